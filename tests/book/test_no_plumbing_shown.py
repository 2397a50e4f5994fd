"""Readers never see the book's test plumbing or a raw Python value.

The cells tagged ``nbval-check-output`` print a chapter's key numbers at full precision so that
``make nbval`` notices when one changes; they stay in the stored notebooks, and the built pages
and the search index leave them out (``remove-cell``). No page shows a printed list, Series or
DataFrame, or an expression's bare ``repr`` (a ``text/plain`` output).
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO_ROOT

CHAPTERS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.md"))
NOTEBOOKS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.ipynb"))
CHECKED = "nbval-check-output"

RAW_REPR = re.compile(
    r"\[(?:'|\"|-?\d)"  # a printed list: ['0.675717', ...] or [0.67, ...]
    r"|\bdtype: "  # a printed Series
    r"| object at 0x"  # an object's default repr
    r"|^.*\S {2,}\S.*\S {2,}\S.*\S {2,}\S",  # columns aligned by spaces: a printed DataFrame
    re.MULTILINE,
)
STREAM_OUTPUT = re.compile(r'<div class="output stream[^"]*">(.*?)</div>\s*</div>', re.DOTALL)


def _built_pages(built_html: Path) -> list[Path]:
    return sorted((built_html / "book").glob("[0-9][0-9]-*.html"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_checked_cells_are_removed_from_the_page(notebook: Path) -> None:
    """Every nbval-checked cell is also tagged remove-cell (in the stored notebook as built)."""
    shown = [
        cell.source.splitlines()[0]
        for cell in nbformat.read(notebook, as_version=4).cells
        if CHECKED in cell.metadata.get("tags", []) and "remove-cell" not in cell.metadata["tags"]
    ]
    assert shown == [], f"{notebook.name}: cells checked by nbval are shown to readers: {shown}"


def test_no_checked_cell_in_the_built_pages(built_html: Path) -> None:
    pages = _built_pages(built_html)
    assert len(pages) == len(CHAPTERS)
    shown = [page.name for page in pages if f"tag_{CHECKED}" in page.read_text(encoding="utf-8")]
    assert shown == [], f"pages showing a cell checked by nbval: {shown}"


def test_no_raw_value_in_the_built_pages(built_html: Path) -> None:
    """No bare repr (text/plain output), and no printed list, Series or DataFrame."""
    problems = []
    for page in _built_pages(built_html):
        text = page.read_text(encoding="utf-8")
        if 'class="output text_plain' in text:
            problems.append(f"{page.name}: an expression's bare repr (text/plain output)")
        for match in STREAM_OUTPUT.finditer(text):
            printed = re.sub(r"<[^>]+>", "", match.group(1))
            raw = RAW_REPR.search(printed)
            if raw:
                problems.append(f"{page.name}: printed raw value near {raw.group(0)!r}")
    assert problems == []


def test_checked_numbers_are_not_in_the_search_index(built_html: Path) -> None:
    """The search index holds none of the names the nbval print-outs write (``tau2_ci=``),
    unless the chapter also uses them where readers see them."""
    index = (built_html / "searchindex.js").read_text(encoding="utf-8")
    terms = set(json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"])
    found = []
    for notebook in NOTEBOOKS:
        cells = nbformat.read(notebook, as_version=4).cells
        checked = [cell for cell in cells if CHECKED in cell.metadata.get("tags", [])]
        elsewhere = " ".join(cell.source for cell in cells if cell not in checked).lower()
        printed = " ".join(o.get("text", "") for cell in checked for o in cell.get("outputs", []))
        names = {name.lower() for name in re.findall(r"\b([A-Za-z]\w*_\w+)=", printed)}
        found += [
            f"{notebook.stem}: {n}" for n in sorted(names) if n in terms - {*elsewhere.split()}
        ]
    assert found == []
