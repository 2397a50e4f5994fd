"""A chart read on a phone: the size of its smallest text, and a tap on a mark.

`TEXT_SIZES` (JavaScript) gives each chart's smallest drawn text, as its font size times the
scale at which the SVG is drawn (so a chart that shrinks to fit shows it); `tap_shows_numbers`
taps a chart's first mark that has a tooltip (a study's square in a forest plot; a point, bar
or box in the others) and reads the numbers the tooltip shows.
"""

import re

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

MARKS = [
    "g.mark-symbol.role-mark > path",
    "g.mark-rect.role-mark > path",
    "g.mark-area.role-mark > path",
    "g.mark-rule.role-mark > line",
]
"""Where a tap looks for a mark, in order: squares and points, bars and boxes, areas, rules."""


def tap_shows_numbers(page, chart_id: str) -> None:
    """Tap the first mark of ``chart_id`` that has a tooltip; the tooltip must show a number."""
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
