"""The Introduction's verdict: its numbers come from the chapters' functions, its chart draws them.

Sources: the paper's pooled rates are `analysis.paper.relief_rates.pool_rates` (checked against
Fig. 4 in tests/paper/test_fig4_relief_rates.py); the GLMM against lme4 in
tests/library/test_glmm_metafor.py. Here only that the verdict passes them on unchanged (exact
equality) and that each interval contains its estimate.
"""

import pytest

from analysis.audit.verdict import (
    ANALYSES,
    GLMM,
    PAPER,
    relief_verdict,
    verdict_chart,
    verdict_frame,
)
from analysis.paper.multiverse import rate_multiverse
from analysis.paper.relief_rates import TIMEPOINTS, pool_rates, rate_inputs

VERDICTS = [relief_verdict(key) for key in TIMEPOINTS]
FRAME = verdict_frame(VERDICTS)


@pytest.mark.parametrize("verdict", VERDICTS, ids=list(TIMEPOINTS))
def test_the_paper_row_is_the_paper_pooled_rate(verdict) -> None:
    fit = pool_rates(rate_inputs(verdict.timepoint))
    assert (verdict.paper.estimate, verdict.paper.ci_low, verdict.paper.ci_high) == (
        fit.estimate,
        fit.ci_low,
        fit.ci_high,
    )
    assert verdict.multiverse["n_specifications"] == len(rate_multiverse(verdict.timepoint))


def test_each_interval_holds_its_estimate_and_lies_in_0_to_1() -> None:
    assert len(FRAME) == 4 * len(TIMEPOINTS)
    assert ((FRAME["low"] <= FRAME["estimate"]) & (FRAME["estimate"] <= FRAME["high"])).all()
    assert ((FRAME["low"] >= 0) & (FRAME["high"] <= 1)).all()
    assert set(FRAME["analysis"]) == set(ANALYSES)


def test_the_prediction_interval_is_wider_than_the_confidence_interval() -> None:
    glmm = FRAME[FRAME["analysis"] == GLMM]
    for _, rows in glmm.groupby("when"):
        ci, pi = rows.iloc[0], rows.iloc[1]
        assert pi["what"] == "prediction interval"
        assert pi["low"] < ci["low"] and ci["high"] < pi["high"]


def test_the_chart_has_a_panel_per_time_point_and_the_paper_on_top() -> None:
    spec = verdict_chart(FRAME).to_dict()
    assert spec["facet"]["row"]["sort"] == [p.description for p in TIMEPOINTS.values()]
    assert spec["spec"]["layer"][0]["encoding"]["y"]["sort"][0] == PAPER
