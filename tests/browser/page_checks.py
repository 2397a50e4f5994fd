"""Every page of the built book in Chromium, once at a desktop's width and once on a phone.

Each page is opened twice, each time in a new browser context with every request to another
host blocked and recorded (`tests.browser.pages.visit`): at 1280 px (`DESKTOP`), and at 375 px
with a touch screen (`PHONE`). Every check below reads that one load; the checks that change
the page (hovering, tapping, printing) come last. pytest runs all the tests of one loaded page
together, because the loads are module-scoped parametrized fixtures (`page_fixtures`).

At both widths:

- the page loads cleanly: no console error, no uncaught script error, no failed request, no
  request to another host; every chart has drawn its marks (a forest plot one square per study
  it pools, a funnel plot one dot per study, imputed ones included);
- what the page, its charts and every chart mark's tooltip say holds no "undefined", "NaN",
  "null", "Infinity" or "[object", no share or I² outside 0–100% that the page does not call
  impossible, and no run time (`tests.browser.rendered_text`);
- neither the page nor its text column scrolls sideways, and no chart is wider than the screen;
- a table wider than its box scrolls inside it, and scrolled to its end still shows its first
  column (`tests.browser.table_scripts`);
- every Font Awesome icon shown is in the subset font it is drawn from
  (`tests.browser.icon_fonts`; issue 13, item 9);
- only the search page loads the search code and index (``book/_ext/lean_search.py``);
- the footer shows the package's version and the repository's commit the book was built from
  (``book/_ext/build_stamp.py``; issue 15, item 3);
- the first load (an empty cache; every response body until the charts are drawn and the
  network is quiet, uncompressed) is at most `TOTAL_LIMIT` bytes (issue 13, item 9).

At 1280 px: the page's HTML is at most `HTML_LIMIT` bytes; numbers are aligned as their column's
header; the heterogeneity table's prediction interval is in view; hovering a study in a forest or
funnel plot shows its tooltip; printed (A4 width, print media), no table is wider than the page or
cut off by its box.

At 375 px: Table 1 shows every study's every field, each with its header, inside the screen;
no chart draws text under `SMALLEST_TEXT_PX` on the screen, and a tap on a mark of each chart
opens its tooltip with numbers (`tests.browser.phone_charts`).

After all the pages: every file of the built book is requested or linked by some page, at
some width (`UNREQUESTED_BUT_NEEDED` names the exceptions).

With SCREENSHOTS=1 (make screenshots), full-page screenshots go to _build/screenshots/.
``test_pages.py`` runs these checks.
"""

import re
import subprocess
from dataclasses import dataclass
from urllib.parse import unquote

import pytest

from analysis import __version__
from tests.browser.icon_fonts import ICONS, missing_icons
from tests.browser.pages import (
    LAYOUT,
    PAGES,
    SCREENSHOTS,
    PageReport,
    screenshot,
    slug,
    visit,
)
from tests.browser.phone_charts import SMALLEST_TEXT_PX, TEXT_SIZES, tap_shows_numbers
from tests.browser.rendered_text import RENDERED_TEXT, page_text_problems
from tests.browser.table_scripts import (
    A4_WIDTH,
    CUT_IN_PRINT,
    FIRST_COLUMN_LOST,
    MISALIGNED,
    NUMBER,
    PREDICTION_INTERVAL_PLACE,
    TABLE_1_HIDDEN,
)
from tests.conftest import BUILT_HTML, REPO_ROOT

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
INCLUSION = "book/02-inclusion.html"
"""The page of Table 1."""
HETEROGENEITY = "book/04-heterogeneity.html"
"""The page of the table with a prediction interval."""
SEARCH_PAGE = "search.html"
SEARCH_FILES = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
LOADED_SCRIPTS = "() => [...document.scripts].map(s => s.src).filter(Boolean)"
FRONT_PAGE = "index.html"
"""Only redirects to the introduction (`test_pages.py` checks that it does)."""
CHECKED_PAGES = [page for page in PAGES if page != FRONT_PAGE]
"""The pages the checks of this module read."""
TOTAL_LIMIT = 1_200_000
"""Bytes a page may load in all on a first visit (1.2 MB, uncompressed)."""
HTML_LIMIT = 150_000
"""Bytes of a page's own HTML (150 KB). The charts' specifications are served beside the page,
in ``_static/charts/`` (book/_ext/chart_specs.py), and count in its first load."""
FOOTER_STAMP = "() => document.querySelector('footer .build-stamp')?.innerText ?? null"
"""The footer's line of what the book was built from (``book/_templates/build-stamp.html``)."""
UNREQUESTED_BUT_NEEDED = (
    re.compile(r"^\.buildinfo$"),  # Sphinx's record of the build, for incremental builds
    re.compile(r"^objects\.inv$"),  # the intersphinx inventory other projects link to
    re.compile(r"\.LICENSE\.txt$"),  # the licence of a script the book serves
    re.compile(r"^(_downloads|downloads)/"),  # files offered for download
)
"""Files of the built book that a page need not request or link, and why."""


@dataclass(frozen=True)
class Shown:
    """One page as loaded at one width: its address in the book, the open page, its report."""

    relative: str
    width: int
    page: object
    report: PageReport
    book_url: str

    @property
    def html_bytes(self) -> int:
        """The bytes of the page's own HTML."""
        return self.report.sizes.get(self.page.url, 0)


SEEN: dict[tuple[str, int], frozenset[str]] = {}
"""Each load's requested and linked addresses, by (page, width), for
`test_every_file_is_used_by_some_page`."""


def page_fixtures(pages: list[str]):
    """Two module-scoped fixtures, ``desktop`` and ``phone``: each page of ``pages`` loaded
    at 1280 px, and at 375 px with a touch screen, once for all the tests of the module."""

    def load(request, browser, book_url, size: dict, touch: bool):
        page, report, context = _load(browser, book_url + request.param, size, touch)
        SEEN[request.param, size["width"]] = frozenset(report.sizes) | report.linked
        suffix = "-phone" if touch else ""
        screenshot(page, SCREENSHOTS, slug(request.param) + suffix)
        try:
            yield Shown(request.param, size["width"], page, report, book_url)
        finally:
            context.close()

    @pytest.fixture(scope="module", params=pages)
    def desktop(request, browser, book_url):
        yield from load(request, browser, book_url, DESKTOP, touch=False)

    @pytest.fixture(scope="module", params=pages)
    def phone(request, browser, book_url):
        yield from load(request, browser, book_url, PHONE, touch=True)

    return desktop, phone


def _load(browser, url: str, size: dict, touch: bool):
    return visit(browser, url, touch=touch, width=size["width"], height=size["height"], weigh=True)


def _loads_cleanly(shown: Shown) -> None:
    assert shown.report.problems() == []
    assert page_text_problems(shown.page.evaluate(RENDERED_TEXT)) == []
    for chart in shown.report.charts:
        assert chart["hasSvg"], f"chart {chart['id']} did not draw: {chart['text']!r}"
        assert chart["marks"] > 0, f"chart {chart['id']} drew no marks"
        # Forest plots draw a square per study, funnel plots a dot per (imputed) study.
        if chart["kind"] in ("forest", "funnel"):
            assert chart["squares"] == chart["studiesDrawn"], chart


def _fits(shown: Shown) -> None:
    layout = shown.page.evaluate(LAYOUT)
    width = shown.width
    assert layout["viewport"] == width
    assert layout["pageWidth"] <= width, f"the page scrolls sideways at {width} px: {layout}"
    if layout["article"]:
        article = layout["article"]
        assert article["scroll"] <= article["client"] + 1, f"the text column scrolls: {layout}"
    for chart in shown.report.charts:
        assert chart["width"] <= width, f"chart {chart['id']} is {chart['width']} px wide"
        assert chart["left"] >= 0 and chart["right"] <= width + 0.5, chart


def _icons_in_their_font(shown: Shown) -> None:
    shown.page.evaluate("document.fonts.ready")
    icons = shown.page.evaluate(ICONS)
    assert icons, f"{shown.relative} at {shown.width} px shows no Font Awesome icon"
    missing = missing_icons(icons, shown.book_url)
    assert not missing, "\n".join(missing)


def _search_scripts_only_on_the_search_page(shown: Shown) -> None:
    scripts = shown.page.evaluate(LOADED_SCRIPTS)
    loaded = [src for src in scripts if src.split("?")[0].endswith(SEARCH_FILES)]
    if shown.relative == SEARCH_PAGE:
        assert len(loaded) == len(SEARCH_FILES), f"the search page loads only {loaded}"
    else:
        assert not loaded, f"{shown.relative} loads the search code or index: {loaded}"


def _head_commit() -> str:
    command = ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


class PageChecks:
    """The checks of one page, in the order they run (those that change the page last).

    A test module subclasses it as ``Test...`` beside the fixtures of `page_fixtures`.
    """

    def test_page_loads_cleanly_at_1280_px(self, desktop: Shown) -> None:
        _loads_cleanly(desktop)

    def test_page_loads_cleanly_at_375_px(self, phone: Shown) -> None:
        _loads_cleanly(phone)

    def test_first_load_within_budget_at_1280_px(self, desktop: Shown) -> None:
        total = sum(desktop.report.sizes.values())
        assert total <= TOTAL_LIMIT, f"{desktop.relative}: {total:,} bytes on first load"

    def test_first_load_within_budget_at_375_px(self, phone: Shown) -> None:
        total = sum(phone.report.sizes.values())
        assert total <= TOTAL_LIMIT, f"{phone.relative}: {total:,} bytes on first load"

    def test_html_within_budget(self, desktop: Shown) -> None:
        assert 0 < desktop.html_bytes <= HTML_LIMIT, (
            f"{desktop.relative}: {desktop.html_bytes:,} bytes of HTML"
        )

    def test_page_fits_1280_px(self, desktop: Shown) -> None:
        _fits(desktop)

    def test_page_fits_a_phone(self, phone: Shown) -> None:
        _fits(phone)

    def test_numbers_are_aligned_as_their_header_at_1280_px(self, desktop: Shown) -> None:
        assert desktop.page.evaluate(MISALIGNED, NUMBER) == []

    def test_first_column_stays_in_view_when_a_table_scrolls_at_1280_px(
        self, desktop: Shown
    ) -> None:
        assert desktop.page.evaluate(FIRST_COLUMN_LOST) == []

    def test_first_column_stays_in_view_when_a_table_scrolls_at_375_px(self, phone: Shown) -> None:
        assert phone.page.evaluate(FIRST_COLUMN_LOST) == []

    def test_prediction_interval_is_in_view_at_1280_px(self, desktop: Shown) -> None:
        place = desktop.page.evaluate(PREDICTION_INTERVAL_PLACE)
        if desktop.relative == HETEROGENEITY:
            assert place is not None, "no table with a prediction interval on the page"
        if place is not None:
            assert place["right"] <= min(place["boxRight"], place["viewport"]), place

    def test_table_1_shows_every_field_on_a_phone(self, phone: Shown) -> None:
        hidden = phone.page.evaluate(TABLE_1_HIDDEN)
        if phone.relative == INCLUSION:
            assert hidden == []
        else:
            assert hidden == ["no table of 15 columns or more on the page"], "Table 1 moved"

    def test_every_shown_icon_is_in_its_font_at_1280_px(self, desktop: Shown) -> None:
        _icons_in_their_font(desktop)

    def test_every_shown_icon_is_in_its_font_at_375_px(self, phone: Shown) -> None:
        _icons_in_their_font(phone)

    def test_only_the_search_page_loads_the_search_scripts(self, desktop: Shown) -> None:
        _search_scripts_only_on_the_search_page(desktop)
        # Without the search code the theme's scripts must still run without an error.
        assert desktop.report.problems() == []

    def test_footer_shows_the_version_and_commit(self, desktop: Shown) -> None:
        stamp = desktop.page.evaluate(FOOTER_STAMP)
        assert stamp is not None, f"{desktop.relative} has no build stamp in its footer"
        assert f"version {__version__}," in stamp, stamp
        assert f"commit {_head_commit()}," in stamp, stamp
        assert re.search(r"data package sha256:[0-9a-f]{12}\.", stamp), stamp

    def test_no_chart_text_is_too_small_on_a_phone(self, phone: Shown) -> None:
        small = [
            f"{chart['id']}: {chart['smallest']['px']:.1f} px ({chart['smallest']['text']!r})"
            for chart in phone.page.evaluate(TEXT_SIZES)
            if chart["smallest"] and chart["smallest"]["px"] < SMALLEST_TEXT_PX
        ]
        assert small == [], f"text under {SMALLEST_TEXT_PX} px at {phone.width} px: {small}"

    # The checks below change the page (a tooltip shown, the page printed): they come last.

    def test_hovering_a_study_shows_its_tooltip(self, desktop: Shown) -> None:
        page = desktop.page
        for chart in desktop.report.charts:
            if chart["kind"] not in ("forest", "funnel"):
                continue
            square = page.locator(f"#{chart['id']} g.mark-symbol.role-mark > path").first
            square.scroll_into_view_if_needed()
            square.hover(force=True)
            tooltip = page.locator("#vg-tooltip-element.visible")
            tooltip.wait_for(state="visible", timeout=5_000)
            text = tooltip.inner_text()
            assert "Study" in text and "Estimate (95% CI)" in text, (
                f"tooltip of {chart['id']}: {text!r}"
            )
            page.mouse.move(0, 0)
            tooltip.wait_for(state="hidden", timeout=5_000)
        assert desktop.report.problems() == []

    def test_tapping_a_mark_shows_its_numbers(self, phone: Shown) -> None:
        for chart in phone.report.charts:
            tap_shows_numbers(phone.page, chart["id"])
        assert phone.report.problems() == []

    def test_no_table_is_cut_in_print(self, desktop: Shown) -> None:
        desktop.page.set_viewport_size({"width": A4_WIDTH, "height": DESKTOP["height"]})
        desktop.page.emulate_media(media="print")
        assert desktop.page.evaluate(CUT_IN_PRINT) == []


@pytest.mark.after_every_page
def test_every_file_is_used_by_some_page(browser, book_url) -> None:
    """Every file of the built book is requested or linked by some page at some width (the
    loads of `page_fixtures`; a page run alone, e.g. with ``-k``, is loaded here)."""
    for relative in CHECKED_PAGES:
        for size, touch in ((DESKTOP, False), (PHONE, True)):
            if (relative, size["width"]) not in SEEN:
                _, report, context = _load(browser, book_url + relative, size, touch)
                context.close()
                SEEN[relative, size["width"]] = frozenset(report.sizes) | report.linked
    used = set(PAGES)
    for addresses in SEEN.values():
        for address in addresses:
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
