"""The Pooling chapter's relief-rate numbers and tables (analysis.paper.relief_facts).

Sources: Fig. 4a/4b's printed pooled rows (data/published_pooled.csv), Table 1
(data/studies.csv) and the Goldberg 2010 correction (data/corrections.csv). Facts must be the
values of the frames they are read from (exact).
"""

from dataclasses import replace

import pytest

from analysis.metaanalysis import InputError
from analysis.paper import (
    PAPER_INPUTS,
    TIMEPOINTS,
    attempt_facts,
    compare_pooled,
    compare_studies,
    heterogeneity_conclusion,
    load_studies,
    load_table,
    pool_rates,
    pooled_rate_facts,
    pooled_versus_paper,
    printed_beside_ours,
    printed_rate,
    rate_attempts_table,
    rate_input_facts,
    rate_input_table,
    rate_inputs,
    reproduction_attempts,
    with_weights,
)

INPUTS = {key: rate_inputs(key, PAPER_INPUTS) for key in TIMEPOINTS}
RESULTS = {key: pool_rates(frame, method="DL") for key, frame in INPUTS.items()}
TABLES = {key: with_weights(INPUTS[key], RESULTS[key]) for key in TIMEPOINTS}


def test_printed_rate_refuses_an_unknown_timepoint() -> None:
    assert printed_rate("followup").startswith("58% (95% CI")
    with pytest.raises(InputError, match="printed_rate: timepoint='later'"):
        printed_rate("later")


def test_rate_input_facts_find_the_zero_study_and_the_correction() -> None:
    corrections = load_table("corrections")
    facts = rate_input_facts(INPUTS, load_studies(), corrections)
    zero = INPUTS["immediate"].query("yi == 0")
    assert f": {zero['label'].iloc[0]}, in which none of" in facts.excluded
    assert facts.excluded_effect.startswith("Leaving out the one study")
    assert facts.immediate_reporting == len(INPUTS["immediate"])
    goldberg = corrections.set_index("study_id").loc["goldberg2010"]
    assert f"Fig. 4b uses {goldberg['value_used']:g}%" in facts.misprints
    assert facts.undocumented_count == "three"
    assert facts.undocumented.count("; ") == 2 and "; and one study with 0%" in facts.undocumented
    assert "Goldberg 2010's 62.5% became 0.63" in facts.rounding_example
    with pytest.raises(InputError, match="rate_input_facts: inputs has no time point"):
        rate_input_facts({"immediate": INPUTS["immediate"]}, load_studies(), corrections)


def test_rate_input_facts_say_so_when_the_explanations_are_gone() -> None:
    """No correction, no study with 0% responders, no percentage on a half: the words change."""
    immediate = INPUTS["immediate"].copy()
    immediate.loc[immediate["yi"] == 0, ["yi", "percent_as_printed"]] = (0.01, 1.0)
    immediate["percent_as_printed"] = immediate["yi"] * 100
    inputs = {"immediate": immediate, "followup": INPUTS["followup"]}
    corrections = load_table("corrections").iloc[0:0]
    facts = rate_input_facts(inputs, load_studies(), corrections)
    assert "a proportion of 0 no longer explains why it was left out" in facts.excluded
    assert facts.excluded_effect == ""
    assert facts.misprints.startswith("None: data/corrections.csv records no correction")
    assert facts.undocumented_count == "one" and "misprint" not in facts.undocumented
    assert facts.rounding_example.startswith("no study's percentage falls on a half")


def test_pooled_rate_facts_carry_the_result() -> None:
    facts = pooled_rate_facts(TABLES["immediate"], RESULTS["immediate"])
    assert (facts.k, facts.i2, facts.tau2) == (
        RESULTS["immediate"].k,
        RESULTS["immediate"].i2,
        RESULTS["immediate"].tau2,
    )
    assert facts.above != "none"  # Wald limits above 100% (Fig. 4a)


def test_pooled_versus_paper_names_what_differs() -> None:
    assert pooled_versus_paper(RESULTS) == "Those are the paper's numbers."
    moved = replace(RESULTS["followup"], estimate=RESULTS["followup"].estimate + 0.01)
    assert pooled_versus_paper({**RESULTS, "followup": moved}) == (
        f"The paper prints {printed_rate('followup')} 1–3 months after treatment; ours differ."
    )
    with pytest.raises(InputError, match="pooled_versus_paper: results has no time point"):
        pooled_versus_paper({"immediate": RESULTS["immediate"]})


def test_heterogeneity_conclusion_follows_i2_and_q() -> None:
    assert heterogeneity_conclusion(RESULTS).startswith("Heterogeneity is large (I² = ")
    low = {key: replace(result, i2=30.0) for key, result in RESULTS.items()}
    assert heterogeneity_conclusion(low) == (
        "Heterogeneity: I² = 30.0% and 30.0% (right after treatment and at follow-up)."
    )


def test_tables_keep_one_row_each_and_name_their_columns() -> None:
    checks = compare_pooled("immediate", RESULTS["immediate"])
    shown = printed_beside_ours(checks)
    assert len(shown) == len(checks) and "Same?" in shown.columns
    assert "Study" in printed_beside_ours(compare_studies("immediate", TABLES["immediate"]))
    assert rate_input_table(INPUTS["followup"]).columns[0] == "Study"
    with pytest.raises(InputError, match="rate_input_table: inputs has no column 'yi'"):
        rate_input_table(INPUTS["followup"].drop(columns="yi"))


def test_attempt_facts_find_the_largest_shift() -> None:
    attempts = {key: reproduction_attempts(key) for key in TIMEPOINTS}
    facts = attempt_facts(attempts, RESULTS)
    assert facts.largest_shift_points > 0
    assert facts.intro.startswith("Both forest plots of Fig. 4 are reproduced")
    assert facts.uncorrected.startswith("Taking the misprinted follow-up value at face value")
    same = attempts["followup"].copy()
    paper = same["inputs"] == "as Fig. 4 prints them"
    uncorrected = same["inputs"] == "Table 1 uncorrected"
    same.loc[uncorrected, ["estimate", "ci_low", "ci_high"]] = same.loc[
        paper, ["estimate", "ci_low", "ci_high"]
    ].to_numpy()
    no_fix = attempt_facts({**attempts, "followup": same}, RESULTS)
    assert no_fix.uncorrected.startswith("Table 1 as printed gives the same follow-up rate")
    assert len(rate_attempts_table(attempts["immediate"])) == len(attempts["immediate"])
    with pytest.raises(InputError, match="attempt_facts: attempts and results need"):
        attempt_facts({"immediate": attempts["immediate"]}, RESULTS)
