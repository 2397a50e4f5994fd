"""How much a reader's browser loads: each page's first load, and no file that no page uses.

Every page of the built book is opened in Chromium with an empty cache, at a desktop's and a
phone's width, and the bodies of all its responses are summed, uncompressed: the page's HTML
and every script, stylesheet, font and image it loads, until its charts are drawn and the
network is quiet.

Limits (issue 13, item 9): a page's first load at most 1.2 MB in all, its HTML at most 150 KB.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlparse

import pytest

from tests.browser.pages import CHARTS_DRAWN, PAGES
from tests.conftest import BUILT_HTML

TOTAL_LIMIT = 1_200_000
"""Bytes a page may load in all on a first visit (1.2 MB, uncompressed)."""
HTML_LIMIT = 150_000
"""Bytes of a page's own HTML (150 KB). The charts' specifications are served beside the page,
in ``_static/charts/`` (book/_ext/chart_specs.py), and count in its first load."""

WIDTHS = (1280, 375)
"""A desktop's and a phone's width: a page loads its charts' wide or phone layouts
(book/_ext/chart_specs.py), and each first load is measured."""

UNREQUESTED_BUT_NEEDED = (
    re.compile(r"^\.buildinfo$"),  # Sphinx's record of the build, for incremental builds
    re.compile(r"^objects\.inv$"),  # the intersphinx inventory other projects link to
    re.compile(r"\.LICENSE\.txt$"),  # the licence of a script the book serves
    re.compile(r"^(_downloads|downloads)/"),  # files offered for download
)
"""Files of the built book that a page need not request or link, and why."""
URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LINKS = """() => [...document.querySelectorAll('[href], [src]')]
  .map(e => e.href || e.src).filter(Boolean)"""


@dataclass(frozen=True)
class FirstLoad:
    """What one page loaded on a first visit."""

    html_bytes: int
    total_bytes: int
    requested: frozenset[str]
    linked: frozenset[str]


def _load(browser, url: str, width: int = 1280) -> FirstLoad:
    context = browser.new_context(viewport={"width": width, "height": 900})
    own = urlparse(url).netloc
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlparse(route.request.url).netloc == own
            else route.abort("blockedbyclient")
        ),
    )
    page = context.new_page()
    sizes: dict[str, int] = {}
    stylesheets: dict[str, str] = {}
    page.on("requestfinished", lambda request: _record(request, sizes, stylesheets))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function(CHARTS_DRAWN, timeout=15_000)
        page.wait_for_load_state("networkidle")
        linked = set(page.evaluate(LINKS))
        for address, text in stylesheets.items():
            linked |= {urljoin(address, ref) for ref in URL_IN_CSS.findall(text)}
        return FirstLoad(
            html_bytes=sizes.get(page.url, 0),
            total_bytes=sum(sizes.values()),
            requested=frozenset(sizes),
            linked=frozenset(linked),
        )
    finally:
        context.close()


def _record(request, sizes: dict[str, int], stylesheets: dict[str, str]) -> None:
    response = request.response()
    if response is None or response.status >= 300:
        return
    # The test server sends every file as it is (no compression), so its Content-Length is the
    # body's size; a body may not be readable any more (index.html redirects at once).
    sizes[request.url] = int(response.headers.get("content-length", "0"))
    if request.resource_type == "stylesheet":
        stylesheets[request.url] = response.text()


@pytest.fixture(scope="module")
def first_loads(browser, book_url) -> dict[tuple[str, int], FirstLoad]:
    return {
        (page, width): _load(browser, book_url + page, width) for page in PAGES for width in WIDTHS
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_first_load_within_budget(first_loads, page, width) -> None:
    load = first_loads[page, width]
    assert load.total_bytes <= TOTAL_LIMIT, (
        f"{page} at {width} px: {load.total_bytes:,} bytes on first load"
    )


@pytest.mark.parametrize("page", PAGES)
def test_html_within_budget(first_loads, page) -> None:
    load = first_loads[page, WIDTHS[0]]
    assert load.html_bytes <= HTML_LIMIT, f"{page}: {load.html_bytes:,} bytes of HTML"


def test_every_file_is_used_by_some_page(first_loads, book_url) -> None:
    used = set(PAGES)
    for load in first_loads.values():
        for address in load.requested | load.linked:
            if address.startswith(book_url):
                used.add(unquote(address[len(book_url) :].split("#")[0].split("?")[0]))
    unused = sorted(
        relative
        for path in BUILT_HTML.rglob("*")
        if path.is_file()
        and (relative := path.relative_to(BUILT_HTML).as_posix()) not in used
        and not any(pattern.search(relative) for pattern in UNREQUESTED_BUT_NEEDED)
    )
    assert not unused, f"{len(unused)} files no page loads or links: {unused[:40]}"
