"""Each chapter's MyST source (.md) and its executed record (.ipynb) hold the same code.

The .md is what people edit; the .ipynb is what nbval re-executes and compares. If they drift,
CI would be checking a notebook nobody reads. Regenerate with ``make notebooks``.
"""

from pathlib import Path

import jupytext
import pytest

from tests.conftest import REPO_ROOT

CHAPTERS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.md"))


def _cells(path: Path) -> list[tuple[str, str]]:
    notebook = jupytext.read(path)
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_there_are_chapters() -> None:
    assert CHAPTERS, "no book/NN-*.md chapters found"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_md_and_ipynb_hold_the_same_cells(chapter: Path) -> None:
    record = chapter.with_suffix(".ipynb")
    assert record.exists(), f"{record.name} is missing: run 'make notebooks'"
    md_cells, ipynb_cells = _cells(chapter), _cells(record)
    md_code = [source for kind, source in md_cells if kind == "code"]
    ipynb_code = [source for kind, source in ipynb_cells if kind == "code"]
    assert md_code == ipynb_code, (
        f"{chapter.name} and {record.name} differ in their code: run 'make notebooks'"
    )
    assert md_cells == ipynb_cells, f"{chapter.name} and {record.name} differ in their text"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_ipynb_is_executed_in_order(chapter: Path) -> None:
    notebook = jupytext.read(chapter.with_suffix(".ipynb"))
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert None not in counts, f"{chapter.name}: some cells were not executed"
    assert counts == list(range(1, len(counts) + 1)), f"{chapter.name}: not run top to bottom"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_a_checked_cell(chapter: Path) -> None:
    notebook = jupytext.read(chapter)
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells if cell.cell_type == "code"]
    if not tags:
        pytest.fail(f"{chapter.name} has no code")
    checked = [t for t in tags if "nbval-check-output" in t]
    assert checked, f"{chapter.name}: no cell tagged nbval-check-output prints its key numbers"
