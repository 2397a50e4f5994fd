"""Run one edit of the data-edit corpus: copy ``data/``, edit, check, execute the chapters, audit.

`run_edit` copies ``data/`` into a temporary folder, applies the edit, and in one fresh
interpreter records the copy's checksums (as ``python -m analysis.paper.checksums --write``),
runs the data check (as ``python -m analysis.paper``) and the audit; then it executes the
chapters (``book/NN-*.md``, as ``book/_tools/store_notebooks.py`` does, without storing). Each
runs with ``KETAMINE_DATA_DIR`` naming the copy. It returns an `EditRun`: what failed, the
glued values and Table 1 as the book shows them, and the claims of the paper whose
reproduction moved.
``data/`` itself is never written.

``python -m tests.data_edits`` (``make data-edits``) runs the whole corpus on two processes.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
BOOK_DIR = REPO_ROOT / "book"
CHAPTERS = tuple(sorted(BOOK_DIR.glob("[0-9][0-9]-*.md")))
TIMEOUT = 600
VARIABLE = "KETAMINE_DATA_DIR"
REPLICATES_VARIABLE = "KETAMINE_COVERAGE_REPLICATES"
DATA_EDIT_REPLICATES = "300"
"""Replicates per scenario of the coverage chapter under a data edit: enough to exercise every
line of it on each edit in seconds (the book's 10,000 would cost each edit most of a minute)."""

# In a fresh interpreter that reads the copy: record its checksums, check it, audit it. The last
# line of the output is JSON: the step that failed, or the audit's claims.
_PREPARE_SCRIPT = """
import json
from analysis.paper.checksums import main as record_checksums
from analysis.paper.data_check import main as check_data
for step, status in (
    ("recording the checksums", lambda: record_checksums(["--write"])),
    ("the data check", lambda: check_data([])),
):
    if status() != 0:
        print(json.dumps({"failed": step}))
        raise SystemExit(0)
from tests.data_edits.runner import audit_table_records
print(json.dumps({"audit": audit_table_records()}))
"""
AUDIT_COLUMNS = ["claim_id", "section", "claim", "printed", "ours", "status", "data", "chapter"]


@dataclass
class EditRun:
    """What one edit gave.

    Attributes
    ----------
    name : str
        The edit.
    failures : list of str
        One line for each thing that went wrong (a failed step, a chapter that did not
        execute, a value that did not reach its page); empty when the edit passed.
    glued : dict
        Each chapter's glued values as text, ``{chapter: {name: text}}``.
    table1 : list of dict
        The book's Table 1 (Inclusion chapter), one mapping of heading to cell per row.
    moved : list of dict
        The audit's claims whose value or status differs from today's data.
    seconds : float
        Wall-clock time of the run.
    retried : list of str
        Chapters run a second time because their kernel failed (not their cells).
    """

    name: str
    failures: list[str] = field(default_factory=list)
    glued: dict[str, dict[str, str]] = field(default_factory=dict)
    table1: list[dict[str, str]] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    retried: list[str] = field(default_factory=list)


def _environment(data_dir: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop(VARIABLE, None)
    if data_dir is not None:
        env[VARIABLE] = str(data_dir)
    return env


def _python(args: list[str], data_dir: Path | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=_environment(data_dir),
        capture_output=True,
        text=True,
        check=False,
    )


def audit_table_records() -> list[dict]:
    """The audit's claims (``analysis.audit.audit()``) for the data this process reads."""
    from analysis.audit import audit

    table = audit()[AUDIT_COLUMNS]
    return table.astype(object).where(table.notna(), None).to_dict(orient="records")


def audit_records() -> list[dict]:
    """The audit's claims for ``data/``, in this process (which must not have
    ``KETAMINE_DATA_DIR`` set): the baseline an edit's claims are compared with."""
    if os.environ.get(VARIABLE):
        raise RuntimeError(f"{VARIABLE} is set: the baseline audit would not read data/")
    # Through JSON, as the edited copy's claims arrive from `_prepare`, so that both compare.
    return json.loads(json.dumps(audit_table_records()))


def _prepare(data_dir: Path) -> dict:
    """Record the checksums of ``data_dir``, check it and audit it (`_PREPARE_SCRIPT`):
    ``{"audit": claims}``, or ``{"failed": "<step> failed: <its last line>"}``."""
    done = _python(["-c", _PREPARE_SCRIPT], data_dir)
    lines = done.stdout.strip().splitlines()
    last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the audit failed: {last}")
    result = json.loads(lines[-1])
    if "failed" in result:
        result["failed"] = f"{result['failed']} failed: {last}"
    return result


def moved_claims(before: list[dict], after: list[dict]) -> list[dict]:
    """Claims whose value or status changed, or that appeared or disappeared."""
    old = {c["claim_id"]: c for c in before}
    new = {c["claim_id"]: c for c in after}
    moved = []
    for claim_id in [*old, *(i for i in new if i not in old)]:
        a, b = old.get(claim_id), new.get(claim_id)
        if (
            a is not None
            and b is not None
            and (a["ours"], a["status"])
            == (
                b["ours"],
                b["status"],
            )
        ):
            continue
        shown = b or a
        moved.append(
            {
                "claim_id": claim_id,
                "section": shown["section"],
                "claim": shown["claim"],
                "data": shown["data"],
                "printed": shown["printed"],
                "ours_before": a and a["ours"],
                "ours_after": b and b["ours"],
                "status_before": a and a["status"],
                "status_after": b and b["status"],
            }
        )
    return moved


def describe(claim: dict) -> str:
    """One line naming a moved claim by its id, its place in the paper and its values."""
    return (
        f"{claim['claim_id']} ({claim['section']}; printed {claim['printed']} from "
        f"{claim['data']}): ours {claim['ours_before']} → {claim['ours_after']}, "
        f"{claim['status_before']} → {claim['status_after']}"
    )


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[list[dict[str, str]]]:
    """Every table of an HTML text as rows of ``{heading: cell}``."""
    parser = _Tables()
    parser.feed(html)
    out = []
    for table in parser.tables:
        if not table:
            continue
        header, *body = table
        out.append([dict(zip(header, row, strict=False)) for row in body])
    return out


def execute_chapter(chapter: Path, data_dir: Path | None):
    """Execute one chapter's MyST source with ``KETAMINE_DATA_DIR`` set (and the coverage
    chapter's replicates at `DATA_EDIT_REPLICATES`); the executed notebook."""
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(chapter)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(chapter.parent)}},
    )
    settings = {VARIABLE: None if data_dir is None else str(data_dir)}
    settings[REPLICATES_VARIABLE] = DATA_EDIT_REPLICATES
    saved = {name: os.environ.get(name) for name in settings}
    for name, value in settings.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value
    try:
        client.execute()
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
    return notebook


def glued_values(notebook) -> dict[str, str]:
    """The chapter's glued values (``glue(name, ...)``) as their text."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                data = output.get("data", {})
                text = data.get(scrap["mime_prefix"] + "text/plain")
                if text is not None:
                    values[scrap["name"]] = text
    return values


def table1_rows(notebook) -> list[dict[str, str]]:
    """The book's Table 1 (the table with a "Study" and an "N" column) in the Inclusion chapter."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if not html:
                continue
            for table in html_tables("".join(html)):
                if table and {"Study", "N", "Side effects"} <= set(table[0]):
                    return table
    return []


def _first_error_line(error: Exception) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()
    lines = [line for line in text if line.strip()]
    return lines[-1] if lines else type(error).__name__


def run_edit(edit, chapters=CHAPTERS, baseline: list[dict] | None = None) -> EditRun:
    """Apply one `edits.Edit` to a copy of ``data/`` and run the package and the chapters on it.

    Parameters
    ----------
    edit : Edit
        The edit.
    chapters : sequence of Path
        The chapters to execute (default: every ``book/NN-*.md``).
    baseline : list of dict, optional
        `audit_records` on today's data (computed when not given).
    """
    started = time.perf_counter()
    run = EditRun(edit.name)
    with tempfile.TemporaryDirectory(prefix="data-edit-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(DATA_DIR, copy)
        edit.apply(copy)
        try:
            prepared = _prepare(copy)
        except RuntimeError as error:
            prepared = {"failed": str(error)}
        if "failed" in prepared:
            run.failures.append(prepared["failed"])
            run.seconds = time.perf_counter() - started
            return run
        for chapter in chapters:
            notebook = _execute_once_more_if_the_kernel_failed(chapter, copy, run)
            if notebook is None:
                continue
            run.glued[chapter.stem] = glued_values(notebook)
            if chapter.stem.startswith("02-"):
                run.table1 = table1_rows(notebook)
        before = audit_records() if baseline is None else baseline
        run.moved = moved_claims(before, prepared["audit"])
    run.failures.extend(_shown_failures(edit, run, chapters))
    run.seconds = time.perf_counter() - started
    return run


def _execute_once_more_if_the_kernel_failed(chapter: Path, data_dir: Path, run: EditRun):
    """`execute_chapter`, once more when the failure is not the chapter's own (a kernel that
    did not start or died, as two processes starting kernels at once can cause), noted in
    ``run.retried``; None, with the failure recorded, when it does not execute."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    for attempt in (1, 2):
        try:
            return execute_chapter(chapter, data_dir)
        except (CellExecutionError, CellTimeoutError) as error:
            run.failures.append(f"{chapter.name} did not execute: {_first_error_line(error)}")
            return None
        except Exception as error:
            line = f"{chapter.name} did not execute: {_first_error_line(error)}"
            if attempt == 2:
                run.failures.append(line)
                return None
            run.retried.append(f"{line} ({type(error).__name__}); run again")
    return None


def _shown_failures(edit, run: EditRun, chapters) -> list[str]:
    if not any(c.stem.startswith("02-") for c in chapters) or "02-inclusion" not in run.glued:
        return []
    failures = []
    by_label = {row.get("Study"): row for row in run.table1}
    for shown in edit.shown:
        cell = by_label.get(shown.label, {}).get(shown.column)
        if cell is None or not (cell == shown.text or cell.startswith(f"{shown.text} ")):
            where = f"{shown.label}, {shown.column}"
            failures.append(f"Table 1 shows {cell!r} for {where}; expected {shown.text!r}")
    return failures


def _run_named(name: str, baseline: list[dict]) -> EditRun:
    # Edits hold closures, which do not pickle: a worker process finds its edit by name.
    from tests.data_edits.edits import edit

    return run_edit(edit(name, DATA_DIR), CHAPTERS, baseline)


def main(argv: list[str]) -> int:
    """Run the whole corpus (or the edits named in ``argv``) on two processes and report."""
    from concurrent.futures import ProcessPoolExecutor

    from tests.data_edits.edits import corpus

    edits = corpus(DATA_DIR)
    unknown = sorted(set(argv) - {e.name for e in edits})
    if unknown:
        print(f"data-edits: no edit called {unknown[0]!r} (see tests/data_edits/edits.py)")
        return 2
    if argv:
        edits = tuple(e for e in edits if e.name in argv)
    started = time.perf_counter()
    baseline = audit_records()
    failed = 0
    summary = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        names = [e.name for e in edits]
        runs = pool.map(_run_named, names, [baseline] * len(edits))
        for edit, run in zip(edits, runs, strict=True):
            if edit.known_gap:
                verdict = "xfail" if run.failures else "XPASS"
            else:
                verdict = "FAIL" if run.failures else "ok"
            failed += verdict in ("FAIL", "XPASS")
            if verdict in ("FAIL", "XPASS"):
                first = run.failures[0] if run.failures else "passed, but it is a known gap"
                summary.append(f"{verdict:5} {edit.name}: {first}")
            print(f"{verdict:5} {run.seconds:6.1f} s  {edit.name}: {edit.description}")
            if edit.known_gap:
                print(f"        known gap: {edit.known_gap}")
            for line in run.retried:
                print(f"        retried: {line}")
            for line in run.failures:
                print(f"        {line}")
            for claim in run.moved:
                kind = (
                    "changed status"
                    if claim["status_before"] != claim["status_after"]
                    else "moved"
                )
                print(f"        {kind}: {describe(claim)}")
            sys.stdout.flush()
    total = time.perf_counter() - started
    # Repeated last, so that a log's tail names what failed.
    for line in summary:
        print(line)
    print(f"{len(edits)} edits, {failed} failed, {total:.0f} s in all on 2 processes")
    return 1 if failed else 0


_GLUE_ROLE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]+))?`")


def _glue_text(value: str, spec: str | None) -> str:
    # As myst-nb's {glue:text} role writes a glued value into the page.
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(value, spec or "s")


def rendered_prose(notebook) -> str:
    """The notebook's Markdown with every ``{glue:text}`` role replaced by its glued text."""
    glued = glued_values(notebook)

    def replace(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2)
        if name not in glued:
            return f"<missing glue {name}>"
        return _glue_text(glued[name], spec)

    return "\n".join(
        _GLUE_ROLE.sub(replace, "".join(cell.source))
        for cell in notebook.cells
        if cell.cell_type == "markdown"
    )
