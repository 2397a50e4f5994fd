"""The stored notebooks (book/*.ipynb) print what the chapters print today.

Every cell tagged ``nbval-check-output`` must have the same outputs in the stored notebook as
in the chapter the build has just executed (``_build/jupyter_execute/book/NN-*.ipynb``),
compared as nbval compares them (its stream coalescing and its keys left out of the
comparison). The build executed the chapters' code (the .md, which test_notebooks.py shows
holds the same code as the .ipynb) against today's data and package, and `make test` builds
again whenever any of them changed, so this is nbval's check without executing every chapter a
second time. nbval itself re-executes the stored notebooks in ``make nbval`` (and in CI).
"""

import sys
from collections import defaultdict
from pathlib import Path

import jupytext
import pytest
from nbval.plugin import coalesce_streams, transform_streams_for_comparison

from tests.conftest import BUILT_HTML, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "book" / "_tools"))
from build_book import EXECUTED, is_current

CHAPTERS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.md"))
BUILT_CHAPTERS = BUILT_HTML.with_name(EXECUTED) / "book"
CHECKED = "nbval-check-output"
# nbval's keys left out of a comparison (nbval.plugin.IPyNbFile.skip_compare, without nbdime).
NOT_COMPARED = frozenset(
    {"metadata", "traceback", "prompt_number", "output_type", "name", "execution_count"}
    | {"application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg"}
)


def comparable(outputs: list) -> dict[str, list]:
    """A cell's outputs as nbval compares them: each output key (a MIME type of ``data``, or
    the stream's name) with the list of its values, in order."""
    flat = defaultdict(list)
    for output in transform_streams_for_comparison(coalesce_streams(outputs)):
        for key, value in output.items():
            if key == "data":
                for kind, shown in value.items():
                    if kind not in NOT_COMPARED:
                        flat[kind].append(shown)
            elif key not in NOT_COMPARED:
                flat[key].append(value)
    return dict(flat)


def _code_cells(path: Path) -> list:
    return [cell for cell in jupytext.read(path).cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def current_build() -> Path:
    if not is_current(REPO_ROOT, BUILT_HTML):
        pytest.fail("the built book is not from today's sources: run 'make test' (or 'make book')")
    return BUILT_CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_stored_notebook_prints_what_the_chapter_prints(chapter: Path, current_build) -> None:
    stored = _code_cells(chapter.with_suffix(".ipynb"))
    executed = _code_cells(current_build / chapter.with_suffix(".ipynb").name)
    assert [c.source for c in stored] == [c.source for c in executed], (
        f"{chapter.name}: the stored notebook holds other code than the build ran: "
        "run 'make notebooks'"
    )
    checked = [i for i, cell in enumerate(stored) if CHECKED in cell.metadata.get("tags", [])]
    assert checked, f"{chapter.name}: no cell tagged {CHECKED}"
    for i in checked:
        first_line = stored[i].source.splitlines()[0]
        assert comparable(stored[i].outputs) == comparable(executed[i].outputs), (
            f"{chapter.name}, the cell starting {first_line!r}: the stored notebook printed "
            "something else than the chapter prints today: run 'make notebooks'"
        )
