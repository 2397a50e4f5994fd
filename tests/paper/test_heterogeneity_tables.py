"""The heterogeneity chapter's tables and prose numbers (analysis.paper.heterogeneity).

No reference values: each number must be the pooled result's own field (exact), or follow
from it by the rule the docstring states. The statistics are checked against metafor in
tests/library.
"""

import pytest

from analysis.metaanalysis import InputError, baujat, leave_one_out, pool
from analysis.paper import (
    estimator_facts,
    estimator_table,
    heterogeneity_facts,
    heterogeneity_table,
    influence_facts,
    pain_interval_facts,
    pain_p_claim,
    pain_sd_spread,
    paper_analyses,
    without_study,
)
from analysis.paper.analyses import Analysis

ANALYSES = paper_analyses()
DL = {key: pool(a.yi, a.vi, "DL") for key, a in ANALYSES.items()}
ESTIMATORS = {
    (key, method, ci): pool(a.yi, a.vi, method, ci=ci)
    for key, a in ANALYSES.items()
    for method in ("DL", "REML", "PM")
    for ci in ("z", "hksj")
}

TOY = Analysis(
    key="pain_smd",
    title="toy",
    figure="2",
    measure="SMD-cohen",
    study_ids=("a", "b", "c", "d"),
    labels=("A", "B", "C", "D"),
    yi=(0.1, 0.2, 0.15, 2.0),
    vi=(0.01, 0.02, 0.015, 0.02),
)


def test_heterogeneity_table_has_a_row_per_analysis_with_its_own_numbers() -> None:
    table = heterogeneity_table(DL)
    assert list(table["k"]) == [r.k for r in DL.values()]
    pain = table.iloc[-1]
    assert pain["Analysis"] == "Pain score SMD (Fig. 2)"
    assert pain["τ"] == f"{DL['pain_smd'].tau:.3f}"
    # SMDs with one decimal, proportions with two (as the paper's figures print them).
    assert pain["Pooled (95% CI)"].startswith(f"{DL['pain_smd'].estimate:.1f} (")
    assert table.iloc[0]["Pooled (95% CI)"].startswith(f"{DL['relief_immediate'].estimate:.2f} (")


def test_tables_refuse_an_unknown_analysis_or_interval() -> None:
    with pytest.raises(InputError, match="key='other'"):
        heterogeneity_table({"other": DL["pain_smd"]})
    with pytest.raises(InputError, match="ci='wald'"):
        estimator_table({("pain_smd", "DL", "wald"): DL["pain_smd"]})


def test_estimator_table_names_each_interval() -> None:
    table = estimator_table(ESTIMATORS)
    assert len(table) == len(ESTIMATORS)
    assert set(table["Interval"]) == {"normal (z)", "Hartung–Knapp (t)"}


def test_heterogeneity_facts_are_the_results_own_numbers() -> None:
    result = DL["relief_immediate"]
    facts = heterogeneity_facts(result)
    assert (facts.i2, facts.i2_low, facts.i2_high) == (result.i2, *result.i2_ci)
    assert facts.est_pct == 100 * result.estimate
    assert facts.tau2_position == "lies within"


def test_a_moment_estimate_below_its_q_profile_interval_is_said_to_lie_below() -> None:
    # The pain-score DerSimonian–Laird tau² lies below its Q-profile interval (the chapter's
    # finding); REML's lies within.
    facts = heterogeneity_facts(DL["pain_smd"])
    assert (facts.tau2 < facts.tau2_low) == (facts.tau2_position == "lies below")
    assert heterogeneity_facts(ESTIMATORS[("pain_smd", "REML", "z")]).tau2_position == (
        "lies within"
    )


def test_estimator_facts_print_both_models() -> None:
    reml = ESTIMATORS[("pain_smd", "REML", "hksj")]
    facts = estimator_facts("pain_smd", reml, DL["pain_smd"])
    assert facts.reml_tau2 == reml.tau2
    assert facts.dl_z != facts.reml_hksj
    with pytest.raises(InputError, match="key='x'"):
        estimator_facts("x", reml, reml)


def test_pain_interval_facts_name_the_estimators_whose_interval_includes_zero() -> None:
    facts = pain_interval_facts(ESTIMATORS)
    crossing = [
        method
        for (key, method, ci), r in ESTIMATORS.items()
        if key == "pain_smd" and ci == "hksj" and r.ci_low <= 0 <= r.ci_high
    ]
    assert all(method in facts.hksj_sentence for method in crossing)
    assert facts.hksj_sentence[0].isupper()
    assert facts.p_claim == pain_p_claim()
    assert float(facts.p_claim) > 0
    with pytest.raises(InputError, match="no fit of key 'pain_smd'"):
        pain_interval_facts({k: v for k, v in ESTIMATORS.items() if k[0] != "pain_smd"})


def test_influence_facts_name_the_largest_contributor_to_q() -> None:
    loo = leave_one_out(TOY.yi, TOY.vi, "DL")
    facts = influence_facts(TOY, loo, baujat(TOY.yi, TOY.vi, "FE"))
    assert facts.top == "D"  # the outlier
    assert facts.top_est == loo.omitted[3].estimate
    assert facts.top_est_pct == 100 * facts.top_est
    short = leave_one_out(TOY.yi[:3], TOY.vi[:3], "DL")
    with pytest.raises(InputError, match="one entry per study"):
        influence_facts(TOY, short, baujat(TOY.yi, TOY.vi, "FE"))


def test_without_study_is_the_fit_that_leaves_it_out() -> None:
    loo = leave_one_out(TOY.yi, TOY.vi, "DL")
    left = without_study(TOY, loo, "b")
    assert (left.label, left.effect) == ("B", 0.2)
    assert (left.estimate, left.i2) == (loo.omitted[1].estimate, loo.omitted[1].i2)
    with pytest.raises(InputError, match="study_id='zz'"):
        without_study(TOY, loo, "zz")


def test_pain_sd_spread_is_ordered_and_positive() -> None:
    spread = pain_sd_spread()
    assert 0 < spread.min < spread.max
