"""Shared fixtures: the stored metafor reference values and the built book."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: locally 50 new examples each on every run (half Hypothesis's default, so that
# make test stays within three minutes on two cores); in CI (CI=true) Hypothesis's 100,
# derandomized, so that a run is repeatable. `make fuzz` runs the property suites with the
# profile "fuzz" (pytest --hypothesis-profile=fuzz): 2,000 new examples each.
settings.register_profile("book", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
settings.register_profile("fuzz", max_examples=2000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "book")

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
BUILT_HTML = REPO_ROOT / "_build" / "html"
PACKAGE = REPO_ROOT / "analysis"


def raised_here(excinfo: pytest.ExceptionInfo) -> bool:
    """The exception was raised by this package, with no library exception chained to it."""
    last = Path(str(excinfo.traceback[-1].path)).resolve()
    chained = excinfo.value.__cause__ or (
        None if excinfo.value.__suppress_context__ else excinfo.value.__context__
    )
    return PACKAGE in last.parents and chained is None


def load_reference(name: str) -> dict:
    """A JSON file of reference values written by an R script in tests/reference/."""
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_html() -> Path:
    """The built book; the tests that need it fail (not skip) when it is missing."""
    if not (BUILT_HTML / "index.html").exists():
        pytest.fail(
            "_build/html has no built book: run 'make test' (which builds it first) or 'make book'"
        )
    return BUILT_HTML


SLOW_FILES_FIRST = (
    "tests/data_edits/",
    "tests/browser/",
    "tests/book/test_build_keeps_last_good_book.py",
    "tests/library/test_proportions_properties.py",
    "tests/paper/test_bad_input.py",
)
"""Files that take 15–35 s each, run first. pytest-xdist (``--dist loadfile``) hands out whole
files in collection order, each worker holding two; slow files collected last could leave one
core idle for their length (measured: 53 s of a 200 s run)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A stable sort: the order within and among the slow files, and among the rest, is kept.
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FILES_FIRST))
