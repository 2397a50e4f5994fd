"""A chart chooses its layout again when its column's width crosses the phone limit.

The renderer draws a chart's phone layout when its container is narrower than
``usermeta.phone.below`` (analysis.charts.phone). A phone turned sideways, or a desktop window
made narrow, crosses that limit after the page has loaded: the chart must then be drawn again
in the other layout, not the wide one scaled down (whose text would be 5–6 px).
"""

from tests.browser.pages import visit

PAGE = "book/03-pooling.html"
INTRINSIC_WIDTHS = """() => [...document.querySelectorAll('.vega-chart svg')]
  .map(svg => Number(svg.getAttribute('width')))"""
PHONE_WIDTH = 327
"""The text column of a 375 px phone (px); a phone layout is drawn within it."""


def test_charts_switch_layout_when_the_window_narrows_and_widens(browser, book_url) -> None:
    page, report, context = visit(browser, book_url + PAGE, width=1280)
    try:
        wide = page.evaluate(INTRINSIC_WIDTHS)
        assert max(wide) > PHONE_WIDTH, wide
        page.set_viewport_size({"width": 375, "height": 812})
        page.wait_for_function(
            f"() => ({INTRINSIC_WIDTHS})().every(w => w > 0 && w <= {PHONE_WIDTH})",
            timeout=10_000,
        )
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function(
            f"() => Math.max(...({INTRINSIC_WIDTHS})()) === {max(wide)}", timeout=10_000
        )
        assert report.problems() == []
    finally:
        context.close()
