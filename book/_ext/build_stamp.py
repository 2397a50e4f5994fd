"""Sphinx extension: every page's footer says what the book was built from.

At the start of the build it reads three things and gives them to the footer template
``book/_templates/build-stamp.html`` (``html_context["build_stamp"]``, shown by
``footer_content_items`` in ``_config.yml``):

- the version, ``analysis.__version__`` (set there only; ``CHANGELOG.md`` lists the releases);
- the commit, ``git rev-parse --short HEAD`` of the repository when the book's folder is a git
  checkout (its top level). Otherwise, a book built from an unpacked archive say, the footer
  says "unknown" and why (no git, or not a git checkout); a number is never typed in;
- the data package's checksum, `analysis.paper.checksums.package_checksum` (the SHA-256 of
  ``datapackage.json``, which records the SHA-256 of every data file).

Nothing is fetched over the network. A commit changes the footer, so
``book/_tools/build_book.py`` counts the commit among the sources a current build was built
from. ``tests/browser/page_checks.py`` checks the footer of every page.
"""

import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Commit:
    """The commit a folder was checked out at: a short hash, or `UNKNOWN` and why."""

    short_hash: str
    why_unknown: str = ""


@dataclass(frozen=True)
class BuildStamp:
    """What the footer shows: the package's version, the commit, the data package's checksum."""

    version: str
    commit: str
    why_commit_unknown: str
    data_checksum: str


def source_commit(folder: Path) -> Commit:
    """The commit of the git checkout whose top level is ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     source_commit(Path(tmp))
    Commit(short_hash='unknown', why_unknown='not built from a git checkout')
    """
    command = ["git", "-C", str(folder), "rev-parse", "--show-toplevel", "--short", "HEAD"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except FileNotFoundError:
        return Commit(UNKNOWN, "git is not installed")
    lines = result.stdout.split()
    if result.returncode != 0 or len(lines) != 2 or Path(lines[0]) != folder.resolve():
        return Commit(UNKNOWN, "not built from a git checkout")
    return Commit(lines[1])


def build_stamp(folder: Path) -> BuildStamp:
    """The version, commit and data checksum of a build of the book in ``folder``."""
    # Imported here: build_book.py imports this module for `source_commit` alone.
    from analysis import __version__
    from analysis.paper.checksums import package_checksum

    commit = source_commit(folder)
    return BuildStamp(__version__, commit.short_hash, commit.why_unknown, package_checksum())


def _stamp_context(app, config) -> None:
    config.html_context["build_stamp"] = asdict(build_stamp(Path(app.confdir)))


def setup(app):
    app.connect("config-inited", _stamp_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
