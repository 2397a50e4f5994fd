"""Every chapter page offers its notebook and the data package, served by the book (issue 13,
item 8).

Each page ``book/NN-name.html`` links ``NN-name.ipynb`` and every file of ``data/`` (the CSVs
and ``datapackage.json``) by relative addresses that resolve to files in ``_build/html``; the
notebook is valid nbformat with outputs, and the data files are ``data/``'s, byte for byte.
"""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from tests.conftest import REPO_ROOT

CHAPTERS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.md"))
DATA_FILES = sorted([*(REPO_ROOT / "data").glob("*.csv"), REPO_ROOT / "data" / "datapackage.json"])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def linked_files(page: Path) -> dict[str, Path]:
    """The files a page links by a relative address, by file name (anchors and hosts aside)."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    found = {}
    for href in parser.hrefs:
        address = urlparse(href)
        if address.scheme or address.netloc or not address.path:
            continue
        target = (page.parent / unquote(address.path)).resolve()
        found[target.name] = target
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_chapter_page_links_its_notebook_and_the_data(built_html, chapter) -> None:
    page = built_html / "book" / f"{chapter.stem}.html"
    links = linked_files(page)
    notebook_name = f"{chapter.stem}.ipynb"
    assert notebook_name in links, f"{page.name} does not link {notebook_name}"
    notebook_file = links[notebook_name]
    assert notebook_file.is_file(), f"{page.name} links {notebook_name}, which is not served"
    assert built_html.resolve() in notebook_file.parents
    notebook = nbformat.read(notebook_file, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    outputs = sum(len(cell.get("outputs", [])) for cell in notebook.cells)
    assert outputs > 0, f"{notebook_name} as served has no outputs"
    for data_file in DATA_FILES:
        assert data_file.name in links, f"{page.name} does not link {data_file.name}"
        served = links[data_file.name]
        assert served.is_file(), f"{page.name} links {data_file.name}, which is not served"
        assert built_html.resolve() in served.parents
        assert served.read_bytes() == data_file.read_bytes(), f"{served} differs from data/"
