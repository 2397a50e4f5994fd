"""The Inclusion chapter's numbers and tables (analysis.paper.included_studies).

Sources: Table 1 (data/studies.csv), the designs the Discussion states
(data/study_designs.csv) and the Results' descriptive numbers
(data/published_descriptives.csv, via reproduce_descriptives). Counts must equal those of the
frames they are read from (exact).
"""

import pytest

from analysis.metaanalysis import InputError
from analysis.paper import (
    GAP,
    STATUS_KEYS,
    age_facts,
    claim_values,
    crps_facts,
    descriptive_attempts,
    eligibility_facts,
    load_studies,
    load_table,
    participant_facts,
    reproduce_descriptives,
    span_facts,
    status_counts_of,
    status_table,
    subjects_facts,
)

REPORT = reproduce_descriptives()
STUDIES = load_studies()


def test_status_counts_add_up_and_every_claim_has_its_values() -> None:
    counts = status_counts_of(REPORT)
    assert counts["claims"] == len(REPORT.claims) == sum(counts[k] for k in STATUS_KEYS.values())
    values = claim_values(REPORT)
    claim = REPORT.claims[0]
    assert values[claim.claim_id] == {
        "printed": claim.printed_as_printed,
        "ours": claim.ours_as_printed,
    }


def test_eligibility_facts_count_pain_scores_and_designs() -> None:
    designs = load_table("study_designs")
    facts = eligibility_facts(STUDIES, designs)
    with_pain = STUDIES["pain_baseline_mean"].notna() & STUDIES["pain_end_mean"].notna()
    assert facts.with_pain == with_pain.sum() < facts.k == len(STUDIES)
    assert facts.designs == len(designs)
    assert facts.youngest_age == STUDIES["age_mean"].min()
    with pytest.raises(InputError, match="eligibility_facts: studies has no column 'age_mean'"):
        eligibility_facts(STUDIES.drop(columns="age_mean"), designs)


def test_span_facts_read_the_extremes() -> None:
    facts = span_facts(STUDIES, REPORT.claim("duration_mean").ours)
    assert facts.biggest_n == STUDIES["n_analysed"].max()
    days = STUDIES["duration_days"].astype(float)
    assert facts.duration_ratio == days.max() / days.min()
    assert 0 < facts.below_mean < len(STUDIES)


def test_the_facts_behind_the_printed_numbers() -> None:
    subjects = subjects_facts(REPORT, STUDIES)
    assert subjects.schwartzman_enrolled > subjects.schwartzman_n
    age = age_facts(REPORT, STUDIES)
    assert age.n == STUDIES["age_mean"].notna().sum()
    assert age.attempts == len(REPORT.attempts_table("age"))
    crps = crps_facts(REPORT, STUDIES)
    assert crps.n == len(REPORT.claim("crps_duration_mean").computation.studies)
    participants = participant_facts(REPORT, STUDIES)
    assert 0 < participants.subsets_matching <= participants.subsets_possible
    assert participants.followup_added_n > 0


def test_tables_have_one_row_per_computation_or_number() -> None:
    shown = descriptive_attempts(REPORT, "age", {"age_mean": "Mean (years)"})
    assert list(shown.columns) == ["Computation", "Mean (years)", GAP, "Same digits?"]
    assert len(shown) == len(REPORT.attempts_table("age"))
    assert len(status_table(REPORT)) == len(REPORT.claims)
    with pytest.raises(InputError, match="descriptive_attempts: label='id'"):
        descriptive_attempts(REPORT, "age", {}, label="id")
