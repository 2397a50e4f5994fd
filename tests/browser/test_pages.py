"""Every page of the built book in Chromium: it loads cleanly, its charts draw, it fits a phone.

For each page, with every request to another host blocked and recorded: no console error, no
uncaught script error, no failed request, no request to another host; every chart has drawn
its marks (a forest plot one square per study it pools, a funnel plot one dot per study, imputed
ones included); hovering a study shows its tooltip; what the page, its charts and every chart
mark's tooltip say holds no "undefined", "NaN", "null", "Infinity" or "[object", no share or I²
outside 0–100% that the page does not call impossible, and no run time (rendered_text.py); then,
resized to a phone's 375 px, no chart is wider than the screen and neither the page nor its text
column scrolls sideways.
With SCREENSHOTS=1 (make screenshots), full-page screenshots go to _build/screenshots/.
"""

import pytest

from tests.browser.pages import CHART_STATE, LAYOUT, PAGES, SCREENSHOTS, screenshot, slug, visit
from tests.browser.rendered_text import RENDERED_TEXT, page_text_problems

PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("relative", PAGES[::2])
def test_page_in_chromium(browser, book_url, relative) -> None:
    """One visit per page: first at desktop width, then resized to a phone's.

    Every other page; test_pages_more.py checks the rest with the same function, so that
    pytest-xdist, which hands out whole files, runs the two halves on different cores.
    """
    check_page(browser, book_url, relative)


def check_page(browser, book_url: str, relative: str) -> None:
    """The checks of one page (see the module docstring)."""
    page, report, context = visit(browser, book_url + relative)
    try:
        screenshot(page, SCREENSHOTS, slug(relative))
        assert report.problems() == []
        assert page_text_problems(page.evaluate(RENDERED_TEXT)) == []
        for chart in report.charts:
            assert chart["hasSvg"], f"chart {chart['id']} did not draw: {chart['text']!r}"
            assert chart["marks"] > 0, f"chart {chart['id']} drew no marks"
            # Forest plots draw a square per study, funnel plots a dot per (imputed) study.
            if chart["kind"] in ("forest", "funnel"):
                assert chart["squares"] == chart["studiesDrawn"], chart
                _hover_shows_tooltip(page, chart["id"])

        page.set_viewport_size(PHONE)
        page.wait_for_function(f"window.innerWidth === {PHONE['width']}")
        page.wait_for_timeout(300)  # let the theme's layout settle
        screenshot(page, SCREENSHOTS, f"{slug(relative)}-phone")
        _fits(page.evaluate(LAYOUT), page.evaluate(CHART_STATE))
        assert report.problems() == []
    finally:
        context.close()


def _fits(layout: dict, charts: list[dict]) -> None:
    """At phone width: no sideways scrolling of the page or its text, no chart too wide."""
    width = PHONE["width"]
    assert layout["viewport"] == width
    assert layout["pageWidth"] <= width, f"the page scrolls sideways at {width} px: {layout}"
    if layout["article"]:
        article = layout["article"]
        assert article["scroll"] <= article["client"] + 1, f"the text column scrolls: {layout}"
    for chart in charts:
        assert chart["width"] <= width, f"chart {chart['id']} is {chart['width']} px wide"
        assert chart["left"] >= 0 and chart["right"] <= width + 0.5, chart


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
