"""The Pooling chapter's relief-rate numbers and tables (analysis.paper.relief_facts).

Sources: Fig. 4a/4b's printed pooled rows (data/published_pooled.csv), Table 1
(data/studies.csv) and the Goldberg 2010 correction (data/corrections.csv). Facts must be the
values of the frames they are read from (exact).
"""

import pytest

from analysis.metaanalysis import InputError
from analysis.paper import (
    PAPER_INPUTS,
    TIMEPOINTS,
    attempt_facts,
    compare_pooled,
    compare_studies,
    load_studies,
    load_table,
    pool_rates,
    pooled_rate_facts,
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
    assert facts.zero_label == zero["label"].iloc[0]
    assert facts.immediate_reporting == len(INPUTS["immediate"])
    goldberg = corrections.set_index("study_id").loc["goldberg2010"]
    assert float(facts.goldberg_used) == goldberg["value_used"]
    with pytest.raises(InputError, match="rate_input_facts: inputs has no time point"):
        rate_input_facts({"immediate": INPUTS["immediate"]}, load_studies(), corrections)


def test_pooled_rate_facts_carry_the_result() -> None:
    facts = pooled_rate_facts(TABLES["immediate"], RESULTS["immediate"])
    assert (facts.k, facts.i2, facts.tau2) == (
        RESULTS["immediate"].k,
        RESULTS["immediate"].i2,
        RESULTS["immediate"].tau2,
    )
    assert facts.above != "none"  # Wald limits above 100% (Fig. 4a)


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
    assert len(rate_attempts_table(attempts["immediate"])) == len(attempts["immediate"])
    with pytest.raises(InputError, match="attempt_facts: attempts and results need"):
        attempt_facts({"immediate": attempts["immediate"]}, RESULTS)
