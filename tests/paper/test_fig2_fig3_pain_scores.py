"""The pain-score analysis (Fig. 2): inputs, the reproduction attempts, the paired re-analysis.

Sources: Table 1 (data/studies.csv), the printed I² and p bound of Fig. 2 and the Results
(data/published_pooled.csv), the study list of Fig. 2 (data/published_fig2_studies.csv). The
effect-size formulas and pooling are checked against metafor in test_mean_effects.py and
test_pool_metafor.py; here the tests check how they are put together.
"""

import numpy as np
import pytest

from analysis.paper.pain_scores import (
    CORRELATIONS,
    attempts_frame,
    fig2_attempts,
    pain_inputs,
    paired_sensitivity,
)
from analysis.paper.published import published_pooled
from tests.tolerances import CLOSED_FORM_IDENTITY


def test_thirteen_studies_report_pain_and_fig2_lists_ten() -> None:
    every, listed = pain_inputs("all"), pain_inputs("fig2")
    assert len(every) == 13  # Table 1 rows with baseline and end pain
    assert len(listed) == 10  # labels printed in Fig. 2
    assert set(listed["study_id"]) <= set(every["study_id"])


def test_scales_above_ten_are_read_as_zero_to_hundred() -> None:
    frame = pain_inputs("all").set_index("study_id")
    assert set(frame.index[frame["scale_max"] == 100]) == {"kiefer2008b", "koffler2007"}
    CLOSED_FORM_IDENTITY.assert_allclose(frame.loc["koffler2007", "pain_baseline_mean_10"], 5.444)


def test_attempts_cover_both_sets_and_every_smd() -> None:
    attempts = attempts_frame(fig2_attempts())
    assert len(attempts) == 2 * 4
    assert (attempts["estimate"] > 0).all()  # pain fell in every reading
    assert (attempts["i2"] > 90).all()


@pytest.mark.xfail(
    strict=True,
    reason="Fig. 2's I² of 95.6% is not reproduced by any study set and SMD formula "
    "(closest: 95.5% with the ten listed studies and Cohen's d); see the pooling chapter",
)
def test_some_reading_reproduces_the_printed_i2() -> None:
    assert any(attempt.i2_as_printed for attempt in fig2_attempts())


def test_only_all_studies_meet_the_papers_p_bound() -> None:
    bound = float(published_pooled("pain_smd")["p_effect_below"])
    attempts = attempts_frame(fig2_attempts())
    assert bound == 1e-6  # "p < 0.000001", Abstract and Results
    assert set(attempts.loc[attempts["p_below_claim"], "study_set"]) == {"all"}


def test_paired_sensitivity_spans_the_correlations() -> None:
    table = paired_sensitivity()
    assert tuple(sorted(set(table["r"]))) == CORRELATIONS
    assert CORRELATIONS[0] == 0.2 and CORRELATIONS[-1] == 0.8
    changes = table[table["measure"] == "MC"]
    # Raw mean change barely depends on r (it only changes the weights).
    assert changes["estimate"].max() - changes["estimate"].min() < 0.1
    # Standardizing by the change SD: a larger r means a smaller SD and a larger SMD.
    smcc = table[table["measure"] == "SMCC"].sort_values("r")["estimate"].to_numpy()
    assert np.all(np.diff(smcc) > 0)
