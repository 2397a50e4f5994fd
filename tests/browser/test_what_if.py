"""The what-if forest plots of the Pooling chapter in Chromium, with a mouse and by touch.

Unticking studies must show the pooled result of exactly the studies left, as `pool` computes
it (DerSimonian–Laird, as the figures); unticking all but one must ask for two studies.
Source of the expected values: `analysis.pool` on the studies left (exact: the page prints what
the package computed, rounded to two decimals).
"""

import pytest

from analysis.charts.formatting import estimate_with_ci
from analysis.metaanalysis import pool
from analysis.paper import PAPER_INPUTS, pool_rates, rate_inputs, what_if_inputs, with_weights
from tests.browser.pages import visit

KEYS = ("immediate", "followup")


def _studies(key: str):
    inputs = rate_inputs(key, PAPER_INPUTS)
    return what_if_inputs(with_weights(inputs, pool_rates(inputs))), inputs


# The sentence is drawn a part a line (a <tspan> each, ending in ";"), joined again by spaces.
TEXTS = """els => els.map(t => {
  const lines = [...t.querySelectorAll('tspan')].map(s => s.textContent);
  return lines.length ? lines.join(' ') : t.textContent;
})"""


def _sentence(chart) -> str:
    texts = [t for t in chart.locator("svg text").evaluate_all(TEXTS) if "studies" in t]
    sentences = [t for t in texts if " of " in t or t.startswith("Tick")]
    assert len(sentences) == 1, texts
    return sentences[0]


@pytest.mark.parametrize(("width", "touch"), [(1280, False), (375, True)])
def test_unticking_studies_pools_the_rest(browser, book_url, width, touch) -> None:
    url = book_url + "book/03-pooling.html"
    page, report, context = visit(browser, url, width=width, touch=touch)
    try:
        assert report.problems() == []
        charts = page.locator('.vega-chart[data-chart="what-if forest"]')
        assert charts.count() == len(KEYS)
        for position, key in enumerate(KEYS):
            what_if, inputs = _studies(key)
            chart = charts.nth(position)
            chart.scroll_into_view_if_needed()
            k = len(what_if.studies)
            assert _sentence(chart).startswith(f"{k} of {k} studies: ")
            boxes = chart.locator("input[type=checkbox]")
            assert boxes.count() == k
            left = list(range(k))
            for leave_out in (k - 1, 0):
                box = boxes.nth(leave_out)
                box.tap() if touch else box.click()
                left.remove(leave_out)
                labels = what_if.studies.loc[left, "label"]
                by_label = inputs.set_index("label").loc[labels]
                yi, vi = by_label["yi"], by_label["vi"]
                expected = pool(yi, vi, "DL")
                sentence = _sentence(chart)
                wanted = estimate_with_ci(expected.estimate, expected.ci_low, expected.ci_high)
                assert sentence.startswith(f"{len(left)} of {k} studies: {wanted}; "), sentence
                assert f"I² {expected.i2:.0f}%" in sentence
            for i in left[:-1]:
                box = boxes.nth(i)
                box.tap() if touch else box.click()
            assert _sentence(chart) == "Tick at least two studies to pool them."
    finally:
        context.close()
