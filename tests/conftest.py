"""Shared fixtures: the stored metafor reference values and the built book."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: 150 examples each. In CI the examples are derandomized, so a run is
# repeatable; locally each run explores new ones. `make fuzz` runs the property suites with the
# profile "fuzz" (pytest --hypothesis-profile=fuzz): 2,000 new examples each, not derandomized.
settings.register_profile("book", max_examples=150, deadline=None)
settings.register_profile("ci", parent=settings.get_profile("book"), derandomize=True)
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
