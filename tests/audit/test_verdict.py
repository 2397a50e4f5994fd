"""The Introduction's verdict: its numbers come from the chapters' functions, its chart draws them.

Sources: the paper's pooled rates are `analysis.paper.relief_rates.pool_rates` (checked against
Fig. 4 in tests/paper/test_fig4_relief_rates.py); the primary model's `pool` (REML, Hartung–Knapp)
against metafor in tests/library. Here only that the verdict passes them on unchanged (exact
equality) and that each interval contains its estimate.
"""

from functools import cache

import pytest

from analysis.audit.verdict import (
    ANALYSES,
    MULTIVERSE,
    PAPER,
    PRIMARY,
    SPREAD,
    relief_verdict,
    verdict_chart,
    verdict_frame,
)
from analysis.paper.multiverse import rate_multiverse
from analysis.paper.primary import primary_fit
from analysis.paper.relief_rates import TIMEPOINTS, pool_rates, rate_inputs


# Computed when a test first needs it, not at import (every pytest-xdist worker imports this
# module; one runs its tests).
@cache
def verdict(timepoint: str):
    return relief_verdict(timepoint)


@cache
def frame():
    return verdict_frame([verdict(key) for key in TIMEPOINTS])


@pytest.mark.parametrize("timepoint", list(TIMEPOINTS))
def test_the_paper_row_is_the_paper_pooled_rate(timepoint: str) -> None:
    shown = verdict(timepoint)
    fit = pool_rates(rate_inputs(timepoint))
    assert (shown.paper.estimate, shown.paper.ci_low, shown.paper.ci_high) == (
        fit.estimate,
        fit.ci_low,
        fit.ci_high,
    )
    assert shown.timepoint == timepoint
    assert shown.multiverse["n_specifications"] == len(rate_multiverse(timepoint))


def test_each_interval_holds_its_estimate_and_lies_in_0_to_1() -> None:
    table = frame()
    assert len(table) == 4 * len(TIMEPOINTS)
    assert ((table["low"] <= table["estimate"]) & (table["estimate"] <= table["high"])).all()
    assert ((table["low"] >= 0) & (table["high"] <= 1)).all()
    assert set(table["analysis"]) == set(ANALYSES)


def test_the_prediction_interval_is_wider_than_the_confidence_interval() -> None:
    table = frame()
    primary = table[table["analysis"] == PRIMARY]
    for _, rows in primary.groupby("when"):
        ci, pi = rows.iloc[0], rows.iloc[1]
        assert pi["what"] == "prediction interval"
        assert pi["low"] < ci["low"] and ci["high"] < pi["high"]


def test_the_chart_has_a_panel_per_time_point_and_leads_with_our_answer() -> None:
    """Issue 12: the verdict chart leads with the primary model's CI and prediction interval."""
    spec = verdict_chart(frame()).to_dict()
    assert spec["facet"]["row"]["sort"] == [p.description for p in TIMEPOINTS.values()]
    assert spec["spec"]["layer"][0]["encoding"]["y"]["sort"] == [PRIMARY, PAPER, MULTIVERSE]


@pytest.mark.parametrize("timepoint", list(TIMEPOINTS))
def test_our_answer_is_the_primary_model_and_the_spread_only_endorsed(timepoint: str) -> None:
    shown = verdict(timepoint)
    assert shown.primary == primary_fit(timepoint)
    endorsed = rate_multiverse(timepoint).query("endorsement == 'endorsed'")["estimate"]
    assert (shown.spread.low, shown.spread.high) == (endorsed.min(), endorsed.max())
    assert shown.spread.n_endorsed == len(endorsed) < shown.spread.n_specifications
    rows = frame()[frame()["when"] == TIMEPOINTS[timepoint].description]
    assert list(rows["analysis"]) == [PRIMARY, PRIMARY, PAPER, MULTIVERSE]
    assert rows.iloc[-1]["what"] == SPREAD
    low, high = (f"{100 * x:.0f}%" for x in (shown.spread.low_ci_low, shown.spread.high_ci_high))
    assert f"the 95% CI of the lowest is {low}" in rows.iloc[-1]["text"]
    assert rows.iloc[-1]["text"].endswith(f"to {high}")
