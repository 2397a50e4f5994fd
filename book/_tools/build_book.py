"""Build the book strictly into a fresh folder; replace ``_build/html`` only when it succeeds.

Usage: ``python book/_tools/build_book.py [SOURCE] [--output DIR] [--reuse]`` (``make book``,
``make test``). SOURCE is the book's folder (default: the repository), DIR the built HTML
(default: ``SOURCE/_build/html``).

With ``--reuse`` (``make test``) a book built from exactly the same sources is kept and nothing
is executed: a successful build records a fingerprint of its sources (`source_fingerprint`:
every file of SOURCE but the built output, the environments, the tests and caches, plus the
``KETAMINE_*`` settings and the files of a ``KETAMINE_DATA_DIR``) beside DIR, and ``--reuse``
rebuilds only when the fingerprint differs. ``make book`` always rebuilds.

``jupyter-book build --all -W --keep-going`` writes into ``_build/next``; its whole output goes
to ``_build/logs/build.log``, and the console shows only which chapter is being executed. When
the build succeeds, the new HTML takes the place of the old in one rename, so no page of an
earlier build (a renamed chapter) survives; the executed chapters go beside it to
``_build/jupyter_execute`` (`make test` compares the stored notebooks with them); the
chapters' notebooks and the data package are copied into the new HTML before, for download
(`copy_downloads`). When it fails, the last good book stays where it was, and the failure is
one line: the chapter, the first line of the cell that failed and its error (or the first
warning that made the strict build fail), then the log's path.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from build_stamp import source_commit  # book/_ext: the commit the footer shows

ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXECUTING = re.compile(r"^(?P<path>\S+\.(?:md|ipynb)): Executing notebook")
CELL_START = "An error occurred while executing the following cell:"
ERROR_LINE = re.compile(r"^(?P<error>[A-Za-z_][\w.]*(?:Error|Exception|Warning)(?::\s.*)?)$")
WARNING_LINE = re.compile(r"^(?P<where>\S+?(?::\d+)?): (?:WARNING|ERROR): (?P<what>.*)$")
# What a build does not read: its own output and its archive (make dist), environments, tests,
# version control and caches.
NOT_SOURCES = frozenset(
    {"_build", "dist", ".git", "tests", "__pycache__", ".pytest_cache", ".hypothesis"}
    | {".ruff_cache"}
    | {".ipynb_checkpoints", ".jupyter_cache"}
)
SETTINGS_PREFIX = "KETAMINE_"
# The chapters as the build executed them (myst-nb's folder), kept beside the HTML: the test of
# the stored notebooks (tests/book/test_stored_outputs.py) compares them with book/*.ipynb.
EXECUTED = "jupyter_execute"
DATA_DIR_VARIABLE = "KETAMINE_DATA_DIR"
# The folder of the built book that holds the files a reader downloads (`copy_downloads`).
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class Failure:
    """Where a failed build failed, read from its log.

    Attributes
    ----------
    chapter : str or None
        The chapter being executed (as the log names it), None if no chapter was.
    cell : str or None
        The first line of the cell that raised, None for a failure outside a cell.
    error : str
        The error (``AttributeError: ...``) or the warning that failed the strict build.
    """

    chapter: str | None
    cell: str | None
    error: str

    def line(self, log: Path) -> str:
        """The failure in one line, with the log's path."""
        if self.cell is not None:
            where = f"{self.chapter}: the cell starting {self.cell!r} raised {self.error}"
        elif self.chapter is not None:
            where = f"{self.chapter}: {self.error}"
        else:
            where = self.error
        return f"error: the book did not build: {where} (full log: {log})"


def read_failure(log_text: str) -> Failure:
    """The first cell error of a build log, else its first warning, else its last error line.

    Examples
    --------
    >>> log = "\\n".join([
    ...     "/repo/book/02-inclusion.md: Executing notebook using local CWD [mystnb]",
    ...     "nbclient.exceptions.CellExecutionError: " + CELL_START,
    ...     "------------------",
    ...     "studies = explain(total)",
    ...     "print(studies.studies)",
    ...     "------------------",
    ...     "\\x1b[31mAttributeError\\x1b[39m: 'NoneType' object has no attribute 'studies'",
    ... ])
    >>> read_failure(log)
    Failure(chapter='/repo/book/02-inclusion.md', cell='studies = explain(total)', \
error="AttributeError: 'NoneType' object has no attribute 'studies'")
    """
    lines = [ANSI.sub("", line).rstrip() for line in log_text.splitlines()]
    chapter = None
    for i, line in enumerate(lines):
        if match := EXECUTING.match(line):
            chapter = match["path"]
        if line.endswith(CELL_START):
            body = lines[i + 2 :]
            cell = next((row.strip() for row in body if row.strip()), "")
            end = next((j for j, row in enumerate(body) if row.startswith("-" * 18)), 0)
            error = next(
                (m["error"] for row in body[end + 1 :] if (m := ERROR_LINE.match(row.strip()))),
                "an error (see the log)",
            )
            return Failure(chapter, cell, error)
    for line in lines:
        if match := WARNING_LINE.match(line):
            return Failure(match["where"], None, f"{match['what']} (a warning, fatal with -W)")
    errors = [m["error"] for line in lines if (m := ERROR_LINE.match(line.strip()))]
    return Failure(chapter, None, errors[-1] if errors else "see the log")


def _is_source(name: str) -> bool:
    return not (name in NOT_SOURCES or name.startswith(".venv") or name.endswith(".egg-info"))


def _source_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if _is_source(d))
        found += [Path(root, name) for name in sorted(files) if _is_source(name)]
    return found


def source_fingerprint(source: Path) -> str:
    """A SHA-256 of everything a build of ``source`` reads.

    Every file under ``source`` (its path and bytes) except those in `NOT_SOURCES`, the
    virtual environments and egg-info; the environment's ``KETAMINE_*`` settings; and, when
    ``KETAMINE_DATA_DIR`` names a folder, that folder's files; and the commit ``source`` is
    checked out at, which every page's footer shows (``book/_ext/build_stamp.py``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp)
    ...     _ = (folder / "intro.md").write_text("one")
    ...     first = source_fingerprint(folder)
    ...     _ = (folder / "_build").mkdir()
    ...     _ = (folder / "_build" / "log.txt").write_text("ignored")
    ...     _ = (folder / "dist").mkdir()
    ...     _ = (folder / "dist" / "SHA256SUMS").write_text("ignored")
    ...     same = source_fingerprint(folder) == first
    ...     _ = (folder / "intro.md").write_text("two")
    ...     changed = source_fingerprint(folder) != first
    >>> same, changed
    (True, True)
    """
    digest = hashlib.sha256()
    folders = [source]
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith(SETTINGS_PREFIX))
    digest.update(repr(settings).encode())
    digest.update(repr(source_commit(source)).encode())
    if (data := os.environ.get(DATA_DIR_VARIABLE)) and Path(data).is_dir():
        folders.append(Path(data).resolve())
    for folder in folders:
        for path in _source_files(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _fingerprint_file(output: Path) -> Path:
    return output.with_name(output.name + ".sources.sha256")


def is_current(source: Path, output: Path) -> bool:
    """Whether ``output`` holds a complete book built from the sources ``source`` has now."""
    stamp = _fingerprint_file(output)
    return (
        (output / "index.html").is_file()
        and stamp.is_file()
        and stamp.read_text(encoding="utf-8").strip() == source_fingerprint(source)
    )


def build(source: Path, output: Path, *, reuse: bool = False) -> int:
    """Build ``source`` into ``output`` (see the module docstring); return the exit status."""
    if reuse and is_current(source, output):
        shown = output.relative_to(source) if output.is_relative_to(source) else output
        print(f"The book in {shown} was built from these same sources: not rebuilt.")
        return 0
    fingerprint = source_fingerprint(source)
    work = source / "_build"
    fresh, logs = work / "next", work / "logs"
    shutil.rmtree(fresh, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "build.log"
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        *("build", str(source), "--all", "-W", "--keep-going", "--path-output", str(fresh)),
    ]
    with log.open("w", encoding="utf-8") as written:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
        assert process.stdout is not None
        for line in process.stdout:
            written.write(line)
            if match := EXECUTING.match(ANSI.sub("", line)):
                print(f"executing {os.path.relpath(match['path'], source)}", flush=True)
        status = process.wait()
    built = fresh / "_build" / "html"
    if status != 0 or not (built / "index.html").exists():
        failure = read_failure(log.read_text(encoding="utf-8"))
        if failure.chapter and Path(failure.chapter).is_absolute():
            chapter = os.path.relpath(failure.chapter, source)
            failure = Failure(chapter, failure.cell, failure.error)
        print(read_failure_line(failure, log, source), file=sys.stderr)
        return 1
    copy_downloads(source, built)
    _fingerprint_file(output).unlink(missing_ok=True)
    _replace(output, built)
    executed = fresh / "_build" / EXECUTED
    if executed.is_dir():
        _replace(output.with_name(EXECUTED), executed)
    _fingerprint_file(output).write_text(fingerprint + "\n", encoding="utf-8")
    shutil.rmtree(fresh, ignore_errors=True)
    return 0


def copy_downloads(source: Path, html: Path) -> list[Path]:
    """Copy the chapters' notebooks and the data package into the built book, for download.

    Every page of a chapter links its notebook and the data (``book/_templates/downloads.html``):
    ``DOWNLOADS/NN-name.ipynb`` is the stored ``book/NN-name.ipynb`` and ``DOWNLOADS/data/`` holds
    the data files the build read (``KETAMINE_DATA_DIR`` if set, else ``data/``): every CSV
    and ``datapackage.json``, byte for byte. A book without them (a test's probe book) gets
    what it has.

    The stored notebook, not myst-nb's ``_build/jupyter_execute`` copy: myst-nb moves every
    glued output (the charts and the numbers of the prose) out of its copy into a
    ``.glue.json``, so that copy lacks most of what the page shows; the stored one has it all,
    and ``make test`` checks that it prints what this build printed
    (tests/book/test_stored_outputs.py).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    data = Path(os.environ.get(DATA_DIR_VARIABLE) or source / "data")
    wanted = [(path, path.name) for path in sorted((source / "book").glob("[0-9][0-9]-*.ipynb"))]
    package = sorted([*data.glob("*.csv"), *data.glob("datapackage.json")])
    wanted += [(path, f"data/{path.name}") for path in package]
    written = []
    for path, name in wanted:
        target = html / DOWNLOADS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    return written


def read_failure_line(failure: Failure, log: Path, source: Path) -> str:
    """`Failure.line` with the log's path relative to ``source`` where it is inside it."""
    shown = log.relative_to(source) if log.is_relative_to(source) else log
    return failure.line(shown)


def _replace(output: Path, built: Path) -> None:
    """Put ``built`` where ``output`` is, keeping the old one until the new is in place."""
    output.parent.mkdir(parents=True, exist_ok=True)
    old = output.with_name(output.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    built.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str]) -> int:
    args = list(argv)
    reuse = "--reuse" in args
    args = [a for a in args if a != "--reuse"]
    output = None
    if "--output" in args:
        at = args.index("--output")
        output = Path(args[at + 1]).resolve()
        del args[at : at + 2]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(
            "usage: python book/_tools/build_book.py [SOURCE] [--output DIR] [--reuse]",
            file=sys.stderr,
        )
        return 2
    source = Path(args[0] if args else Path(__file__).resolve().parents[2]).resolve()
    return build(source, output or source / "_build" / "html", reuse=reuse)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
