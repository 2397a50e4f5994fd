"""Every chart of the book read on a phone: legible text, and numbers on a tap.

For each page (one visit at 375 px with a touch screen): in every chart, no text is drawn
smaller than `SMALLEST_TEXT_PX` on the screen (its font size times the scale at which the SVG
is drawn, so a chart that shrinks to fit fails), and a tap on a mark of the chart (a study's
square in a forest plot; a point, bar or box in the others) opens the tooltip with that mark's
numbers. Every other page; test_chart_phone_more.py checks the rest with the same function,
so that pytest-xdist, which hands out whole files, runs the two halves on different cores.
"""

import re

import pytest

from tests.browser.pages import PAGES, visit

PHONE = {"width": 375, "height": 812}
SMALLEST_TEXT_PX = 10
"""The smallest text a chart may draw on a phone's screen (CSS px)."""

TEXT_SIZES = """() => [...document.querySelectorAll('.vega-chart')].map(chart => {
  const sizes = [...chart.querySelectorAll('svg text')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => {
      const m = t.getScreenCTM();
      const scale = Math.hypot(m.a, m.b);
      return {px: parseFloat(getComputedStyle(t).fontSize) * scale, text: t.textContent.trim()};
    });
  sizes.sort((a, b) => a.px - b.px);
  return {id: chart.id, smallest: sizes[0] || null};
})"""

NO_PHONE_LAYOUT: dict[str, str] = {}
"""Pages with a chart known to fail at phone width, and why (xfail, strict)."""


def marked_pages(pages: list[str]) -> list:
    """``pages`` as parameters, those of `NO_PHONE_LAYOUT` marked xfail (strict)."""
    return [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=NO_PHONE_LAYOUT[p]))
        if p in NO_PHONE_LAYOUT
        else p
        for p in pages
    ]


MARKS = [
    "g.mark-symbol.role-mark > path",
    "g.mark-rect.role-mark > path",
    "g.mark-area.role-mark > path",
    "g.mark-rule.role-mark > line",
]
"""Where a tap looks for a mark, in order: squares and points, bars and boxes, areas, rules."""


@pytest.mark.parametrize("relative", marked_pages(PAGES[::2]))
def test_charts_read_on_a_phone(browser, book_url, relative) -> None:
    """Every other page; test_chart_phone_more.py checks the rest."""
    check_charts_on_a_phone(browser, book_url, relative)


def check_charts_on_a_phone(browser, book_url: str, relative: str) -> None:
    """The checks of one page (see the module docstring)."""
    page, report, context = visit(browser, book_url + relative, touch=True, **PHONE)
    try:
        assert report.problems() == []
        small = [
            f"{chart['id']}: {chart['smallest']['px']:.1f} px ({chart['smallest']['text']!r})"
            for chart in page.evaluate(TEXT_SIZES)
            if chart["smallest"] and chart["smallest"]["px"] < SMALLEST_TEXT_PX
        ]
        assert small == [], f"text under {SMALLEST_TEXT_PX} px at {PHONE['width']} px: {small}"
        for chart in report.charts:
            _tap_shows_numbers(page, chart["id"])
    finally:
        context.close()


def _tap_shows_numbers(page, chart_id: str) -> None:
    tooltip = page.locator("#vg-tooltip-element.visible")
    mark = _first_mark(page, chart_id)
    mark.scroll_into_view_if_needed()
    mark.tap(force=True)
    tooltip.wait_for(state="visible", timeout=3_000)
    text = tooltip.inner_text()
    assert re.search(r"\d", text), f"the tooltip of {chart_id} shows no numbers: {text!r}"
    # Tap outside every chart, so that the next chart's tooltip is its own.
    page.touchscreen.tap(2, 2)
    tooltip.wait_for(state="hidden", timeout=3_000)


HAS_TOOLTIP = "el => Boolean(el.__data__ && el.__data__.tooltip != null)"
"""Whether Vega's scenegraph item of a mark's element has a tooltip (an arrowhead has none)."""


def _first_mark(page, chart_id: str):
    for selector in MARKS:
        marks = page.locator(f"#{chart_id} {selector}")
        for index in range(min(marks.count(), 5)):
            box = marks.nth(index).bounding_box()
            if (
                box
                and max(box["width"], box["height"]) > 2
                and marks.nth(index).evaluate(HAS_TOOLTIP)
            ):
                return marks.nth(index)
    raise AssertionError(f"chart {chart_id} has no mark with a tooltip to tap")
