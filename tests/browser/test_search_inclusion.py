"""The Search and Inclusion chapters in Chromium: what their charts draw, and their tooltips.

The PRISMA diagram must show the text and count of every box of the paper's Fig. 1
(data/prisma_flow.csv) and the warning of each box whose arithmetic fails; the two study charts
must draw one mark per study of Table 1 and show a tooltip on hover.
"""

import re

from analysis.paper.flow import check_flow, load_flow
from tests.browser.pages import visit


def _chart(page, kind: str):
    chart = page.locator(f'.vega-chart[data-chart="{kind}"]')
    assert chart.count() == 1, f"no chart of kind {kind!r} on the page"
    return chart


def _hover_shows(page, target, *fragments: str) -> None:
    target.scroll_into_view_if_needed()
    target.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    for fragment in fragments:
        assert fragment in text, f"tooltip {text!r} lacks {fragment!r}"
    page.mouse.move(0, 0)


def test_prisma_diagram_shows_every_box_and_flags_the_failing_one(browser, book_url) -> None:
    page, report, context = visit(browser, book_url + "book/01-search.html")
    try:
        assert report.problems() == []
        chart = _chart(page, "prisma")
        drawn = " ".join(chart.locator("svg text").all_text_contents())
        drawn = re.sub(r"\s+", " ", drawn)
        flow = load_flow()
        for text in flow["text_as_printed"]:
            assert text in drawn, f"the diagram does not show {text!r}"
        failing = check_flow(flow).failing
        assert failing, "Fig. 1 has a box whose reasons do not add up"
        for check in failing:
            assert f"{check.arithmetic}, not {check.actual}" in drawn
        assert int(chart.get_attribute("data-flagged")) == len(failing)
        box = chart.locator("g.mark-rect path").nth(3)
        _hover_shows(page, box, "PRISMA 2020 box")
    finally:
        context.close()


def test_study_charts_draw_each_study_with_a_tooltip(browser, book_url) -> None:
    page, report, context = visit(browser, book_url + "book/02-inclusion.html")
    try:
        assert report.problems() == []
        sizes = _chart(page, "sample-size")
        k = int(sizes.get_attribute("data-studies-drawn"))
        assert sizes.locator("g.mark-rect path").count() == 2 * k  # N and the bar behind it
        _hover_shows(page, sizes.locator("g.mark-rect path").nth(k), "Study", "Patients")
        days = _chart(page, "duration")
        assert int(days.get_attribute("data-studies-drawn")) == k
        dots = days.locator("g.mark-symbol path")
        assert dots.count() == k
        _hover_shows(page, dots.first, "Study", "Days of treatment")
    finally:
        context.close()
