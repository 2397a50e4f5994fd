"""A failing build leaves the last good book in place and says why in one line.

book/_tools/build_book.py (what make book and make test run) builds into a fresh folder and
replaces the HTML only when the build succeeds. Checked on a two-page book in a temporary
folder: built once, then broken in a cell and in its prose. With --reuse (make test) a book
built from the same sources is kept, and any change of a source builds it again.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

BUILD = REPO_ROOT / "book" / "_tools" / "build_book.py"
CONFIG = """\
title: probe
execute:
  execute_notebooks: force
  allow_errors: false
sphinx:
  config:
    nb_execution_raise_on_error: true
"""
TOC = "format: jb-book\nroot: intro\nchapters:\n  - file: chapter\n"
HEADER = (
    "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
    "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n"
)
GOOD = HEADER + "# Chapter\n\n```{code-cell} ipython3\nx = 1\n```\n"
BROKEN_CELL = HEADER + (
    "# Chapter\n\n```{code-cell} ipython3\nstudies = None\nprint(studies.studies)\n```\n"
)


def build(book: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BUILD), str(book), *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("probe")
    (book / "_config.yml").write_text(CONFIG)
    (book / "_toc.yml").write_text(TOC)
    (book / "intro.md").write_text("# Intro\n\nThe first build.\n")
    (book / "chapter.md").write_text(GOOD)
    first = build(book)
    assert first.returncode == 0, first.stderr
    assert "The first build." in (book / "_build/html/intro.html").read_text()
    return book


@pytest.fixture
def built_book(first_build: Path, tmp_path: Path) -> Path:
    """A copy of the book built once (building takes seconds; copying does not)."""
    return Path(shutil.copytree(first_build, tmp_path / "book"))


def test_a_failing_cell_keeps_the_last_good_book(built_book: Path) -> None:
    (built_book / "intro.md").write_text("# Intro\n\nThe second build.\n")
    (built_book / "chapter.md").write_text(BROKEN_CELL)
    run = build(built_book)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "error: the book did not build: chapter.md: the cell starting 'studies = None' raised "
        "AttributeError: 'NoneType' object has no attribute 'studies' "
        "(full log: _build/logs/build.log)"
    ]
    assert "The first build." in (built_book / "_build/html/intro.html").read_text()
    assert "Traceback" in (built_book / "_build/logs/build.log").read_text()


def test_a_fatal_warning_keeps_the_last_good_book(built_book: Path) -> None:
    (built_book / "intro.md").write_text("# Intro\n\nHello {glue:text}`missing_key`.\n")
    run = build(built_book)
    assert run.returncode == 1
    [line] = run.stderr.splitlines()
    assert line.startswith("error: the book did not build: intro.md:3: No key 'missing_key'")
    assert "The first build." in (built_book / "_build/html/intro.html").read_text()


def test_reuse_keeps_a_book_built_from_the_same_sources(built_book: Path) -> None:
    page = built_book / "_build/html/intro.html"
    page.write_text(page.read_text() + "<!-- kept -->")
    run = build(built_book, "--reuse")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "The book in _build/html was built from these same sources: not rebuilt."
    ]
    assert page.read_text().endswith("<!-- kept -->")


def test_reuse_builds_again_after_a_prose_edit_and_drops_old_pages(built_book: Path) -> None:
    (built_book / "intro.md").write_text("# Intro\n\nThe second build.\n")
    (built_book / "_build/html/stale.html").write_text("a page of an earlier build")
    run = build(built_book, "--reuse")
    assert run.returncode == 0, run.stderr
    assert "not rebuilt" not in run.stdout
    assert "The second build." in (built_book / "_build/html/intro.html").read_text()
    assert not (built_book / "_build/html/stale.html").exists()
    assert not (built_book / "_build/next").exists()
    assert (built_book / "_build/jupyter_execute/chapter.ipynb").is_file()
