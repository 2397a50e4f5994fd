"""Every page of the built book in Chromium: it loads cleanly, its charts draw, it fits a phone.

For each page, with every request to another host blocked and recorded: no console error, no
uncaught script error, no failed request, no request to another host; every chart has drawn
its marks (a forest plot one square per study it pools, a funnel plot one dot per study, imputed
ones included); hovering a study shows its tooltip; at 375 px wide no chart is wider than the
screen and the page does not scroll sideways.
Full-page screenshots go to _build/screenshots/.
"""

from pathlib import Path

import pytest

from tests.browser.pages import screenshot, slug, visit
from tests.conftest import BUILT_HTML, REPO_ROOT

SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
PHONE_WIDTH = 375


def _pages() -> list[str]:
    pages = sorted(
        str(path.relative_to(BUILT_HTML))
        for path in BUILT_HTML.rglob("*.html")
        if not {"_static", "_sources"} & set(path.relative_to(BUILT_HTML).parts)
    )
    # Without a built book, one parameter whose test fails through the built_html fixture.
    return pages or ["index.html"]


PAGES = _pages()


@pytest.mark.parametrize("relative", PAGES)
def test_page_loads_cleanly_draws_its_charts_with_tooltips(browser, book_url, relative) -> None:
    page, report, context = visit(browser, book_url + relative)
    try:
        screenshot(page, SCREENSHOTS, slug(relative))
        assert report.problems() == []
        for chart in report.charts:
            assert chart["hasSvg"], f"chart {chart['id']} did not draw: {chart['text']!r}"
            assert chart["marks"] > 0, f"chart {chart['id']} drew no marks"
            # Forest plots draw a square per study, funnel plots a dot per (imputed) study.
            if chart["kind"] in ("forest", "funnel"):
                assert chart["squares"] == chart["studiesDrawn"], chart
                _hover_shows_tooltip(page, chart["id"])
    finally:
        context.close()


def _hover_shows_tooltip(page, chart_id: str) -> None:
    square = page.locator(f"#{chart_id} g.mark-symbol.role-mark > path").first
    square.scroll_into_view_if_needed()
    square.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "Study" in text and "Estimate (95% CI)" in text, f"tooltip of {chart_id}: {text!r}"
    page.mouse.move(0, 0)
    tooltip.wait_for(state="hidden", timeout=5_000)


@pytest.mark.parametrize("relative", PAGES)
def test_page_fits_a_phone(browser, book_url, relative) -> None:
    page, report, context = visit(browser, book_url + relative, width=PHONE_WIDTH, height=812)
    try:
        screenshot(page, SCREENSHOTS, f"{slug(relative)}-phone")
        assert report.problems() == []
        layout = report.layout
        assert layout["pageWidth"] <= layout["viewport"], f"page scrolls sideways: {layout}"
        if layout["article"]:
            article = layout["article"]
            assert article["scroll"] <= article["client"] + 1, f"text column scrolls: {layout}"
        for chart in report.charts:
            assert chart["width"] <= PHONE_WIDTH, f"chart {chart['id']} is {chart['width']} px"
            assert chart["left"] >= 0 and chart["right"] <= PHONE_WIDTH + 0.5, chart
    finally:
        context.close()


def test_screenshots_of_every_page_are_written(browser, book_url) -> None:
    # Runs after the page tests in file order; each page has a desktop and a phone screenshot.
    expected = {f"{slug(p)}{suffix}.png" for p in PAGES for suffix in ("", "-phone")}
    assert expected <= {path.name for path in Path(SCREENSHOTS).glob("*.png")}
