"""The heterogeneity chapter's tables and prose numbers (analysis.paper.heterogeneity).

No reference values: each number must be the pooled result's own field (exact), or follow
from it by the rule the docstring states. The statistics are checked against metafor in
tests/library.
"""

import pytest

from analysis.metaanalysis import InputError, baujat, leave_one_out, pool
from analysis.paper import (
    disagreement_facts,
    estimator_facts,
    estimator_table,
    estimator_words,
    excluded_facts,
    heterogeneity_facts,
    heterogeneity_table,
    influence_facts,
    load_studies,
    load_table,
    pain_interval_facts,
    pain_p_claim,
    pain_sd_spread,
    paper_analyses,
    without_study,
)
from analysis.paper.analyses import Analysis
from analysis.paper.heterogeneity import SUBSTANTIAL_I2

ANALYSES = paper_analyses()
STUDIES = load_studies()
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


# The words the chapter chooses: today's data, then an analysis that makes the other branch
# true (every rule is the docstring's).

LOO = {key: leave_one_out(a.yi, a.vi, "DL") for key, a in ANALYSES.items()}
POINTS = {key: baujat(a.yi, a.vi, "FE") for key, a in ANALYSES.items()}


def test_disagreement_facts_follow_q_i2_and_the_prediction_intervals() -> None:
    facts = disagreement_facts(DL)
    assert facts.lead == "The disagreement is real and large in all three analyses."
    lows = [r.i2_ci[0] for r in DL.values()]
    assert (facts.low_lead == "Even") == (min(lows) >= SUBSTANTIAL_I2)
    assert facts.impossible.startswith("Limits beyond 0% or 100% are impossible")
    assert '"69%" or "58%"' in facts.conclusion
    # Studies that agree: no disagreement beyond chance, prediction intervals within 0–100%.
    calm = {key: pool([0.5, 0.52, 0.54, 0.5], [0.01, 0.01, 0.01, 0.01], "DL") for key in DL}
    facts = disagreement_facts(calm)
    assert facts.lead == "Not in every analysis do the studies disagree beyond chance."
    assert (facts.low_lead, facts.low_verdict) == ("But", "are not all substantial")
    assert facts.impossible.startswith("Both intervals stay within 0% to 100%")
    assert facts.plain_words.endswith("could differ widely from the pooled share.")
    assert "the prediction intervals are wide" in facts.conclusion
    with pytest.raises(InputError, match="results has no fit of key 'relief_followup'"):
        disagreement_facts({"relief_immediate": DL["relief_immediate"]})


def test_influence_facts_say_which_way_each_number_moves() -> None:
    facts = influence_facts(
        ANALYSES["relief_followup"], LOO["relief_followup"], POINTS["relief_followup"]
    )
    full = LOO["relief_followup"].full
    assert facts.i2_move == f"falls from {full.i2:.0f}% to {facts.top_i2:.0f}%"
    assert facts.top_role == "is the outlier" and facts.one_study == "is essentially one study"
    facts = influence_facts(TOY, leave_one_out(TOY.yi, TOY.vi, "DL"), baujat(TOY.yi, TOY.vi, "FE"))
    assert facts.i2_move.split()[0] in {"falls", "rises", "stays"}
    assert facts.est_move.split()[0] in {"falls", "rises", "stays"}


def test_estimator_words_follow_the_fits() -> None:
    words = estimator_words(ESTIMATORS)
    reml, dl = ESTIMATORS[("pain_smd", "REML", "z")], ESTIMATORS[("pain_smd", "DL", "z")]
    assert (words.understates == "understates") == (reml.tau2 > dl.tau2)
    assert words.pain_weaker == "becomes much weaker than"
    assert words.widens == "widens" and words.immediate_change == "which changes little"
    # Identical fits everywhere: nothing widens, nothing moves, no interval includes zero.
    same = {choice: pool([1.0, 1.2, 1.1], [0.01, 0.02, 0.015], "DL") for choice in ESTIMATORS}
    words = estimator_words(same)
    assert words.widens == "narrows"
    assert words.understates == "does not understate"
    assert words.relief_agree == "for the relief rates the estimators differ at least as much"
    assert words.pain_weaker == "is weaker, though still clear, than"
    with pytest.raises(InputError, match="estimators has no fit"):
        estimator_words({})


def test_excluded_facts_read_the_excluded_study_from_fig4a() -> None:
    forest = load_table("published_forest")
    facts = excluded_facts(STUDIES, forest, ANALYSES, LOO, POINTS)
    (excluded,) = forest.loc[(forest["figure"] == "4a") & forest["excluded"], "study_id"]
    label = STUDIES.set_index("study_id").at[excluded, "label"]
    assert (
        f"Fig. 4a shows it is {label}, the only study in which nobody responded" in facts.paragraph
    )
    assert "pain rose" in facts.paragraph and "stays at" in facts.paragraph
    assert facts.conclusion.endswith("they are not the study the paper excluded.")
    # Its 0% edited to 10%: the model could have included it.
    edited = STUDIES.copy()
    edited.loc[edited["study_id"] == excluded, "relief_immediate_pct"] = 10.0
    facts = excluded_facts(edited, forest, ANALYSES, LOO, POINTS)
    assert (
        "a study in which 10% responded, which the raw-proportion model could" in facts.paragraph
    )
    # No excluded row (the study removed from the data): the text says so.
    facts = excluded_facts(STUDIES[STUDIES["study_id"] != excluded], forest, ANALYSES, LOO, POINTS)
    assert "marks 0 studies as excluded" in facts.paragraph


def test_the_ceiling_sentence_names_each_limit_beyond_metafor_s_ceiling() -> None:
    """metafor's default ceiling is max(100, 10 tau²); a limit beyond it is named, with both."""
    from analysis.metaanalysis.heterogeneity import metafor_tau2_ceiling
    from analysis.paper import ceiling_facts

    results = {key: pool(a.yi, a.vi, "DL") for key, a in paper_analyses().items()}
    beyond = [k for k, r in results.items() if r.tau2_ci[1] > metafor_tau2_ceiling(r.tau2)]
    assert beyond == ["pain_smd"]  # tau² of an SMD of 4 and more, on these data
    facts = ceiling_facts(results)
    pain = results["pain_smd"]
    assert f"our upper limit, {pain.tau2_ci[1]:.4g}, lies beyond" in facts.sentence
    assert "Relief" not in facts.sentence
    relief_only = {k: r for k, r in results.items() if k != "pain_smd"}
    assert ceiling_facts(relief_only).sentence.startswith("Here every upper limit lies below")
    assert metafor_tau2_ceiling(20.0) == 200.0 and metafor_tau2_ceiling(1.0) == 100.0
