"""``make dist``'s archive, unpacked into a temporary folder and read there (issue 15, item 4).

The archive is made afresh from the built book (``book/_tools/make_dist.py``, what ``make dist``
runs after building the book when it is not current). Its ``SHA256SUMS`` line must name the
archive and its SHA-256; unpacked, it must hold the data package and every chapter's executed
notebook; and a few of its pages (the introduction, the chapter with the most charts, the search
page; each load costs about a second) opened from ``file://`` in Chromium must load with no
failed request and no request to another host, and draw their charts.
"""

import hashlib
import sys
import zipfile
from pathlib import Path

import pytest

from analysis import __version__
from tests.browser.pages import visit
from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "book" / "_tools"))
from make_dist import archive_name, make_dist

ARCHIVE_PAGES = ("book/00-introduction.html", "book/03-pooling.html", "search.html")
"""Pages opened from the unpacked archive."""
DATA = REPO_ROOT / "data"


@pytest.fixture(scope="module")
def dist(built_html: Path, tmp_path_factory):
    return make_dist(built_html, tmp_path_factory.mktemp("dist"), __version__)


@pytest.fixture(scope="module")
def unpacked(dist, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(dist.archive) as archive:
        archive.extractall(folder)
    return folder / archive_name(__version__)


def test_archive_is_named_by_the_version(dist) -> None:
    assert dist.archive.name == f"ketamine-crps-{__version__}.zip"


def test_sha256sums_line_matches_the_archive(dist) -> None:
    digest = hashlib.sha256(dist.archive.read_bytes()).hexdigest()
    assert dist.sums.read_text(encoding="utf-8") == f"{digest}  {dist.archive.name}\n"


def test_archive_holds_the_data_package_and_the_executed_notebooks(unpacked: Path) -> None:
    downloads = unpacked / "downloads"
    expected = sorted([*DATA.glob("*.csv"), DATA / "datapackage.json"])
    missing = [p.name for p in expected if not (downloads / "data" / p.name).is_file()]
    assert missing == []
    for path in expected:
        assert (downloads / "data" / path.name).read_bytes() == path.read_bytes(), path.name
    notebooks = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.ipynb"))
    assert notebooks
    assert [p.name for p in notebooks if not (downloads / p.name).is_file()] == []


@pytest.mark.parametrize("relative", ARCHIVE_PAGES)
def test_page_from_the_unpacked_archive_is_complete_and_offline(
    browser, unpacked: Path, relative: str
) -> None:
    _, report, context = visit(browser, (unpacked / relative).as_uri())
    try:
        assert report.problems() == []
        for chart in report.charts:
            assert chart["hasSvg"] and chart["marks"] > 0, f"chart {chart['id']} not drawn"
        if relative == "book/03-pooling.html":
            assert len(report.charts) > 0, "no chart on the pooling page"
    finally:
        context.close()
