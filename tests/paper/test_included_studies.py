"""The Inclusion chapter's numbers and tables (analysis.paper.included_studies).

Sources: Table 1 (data/studies.csv), the designs the Discussion states
(data/study_designs.csv) and the Results' descriptive numbers
(data/published_descriptives.csv, via reproduce_descriptives). Counts must equal those of the
frames they are read from (exact).
"""

from pathlib import Path

import pandas as pd
import pytest

from analysis.metaanalysis import InputError
from analysis.paper import (
    GAP,
    STATUS_KEYS,
    age_facts,
    citation_facts,
    claim_values,
    conclusion_facts,
    crps_facts,
    descriptive_attempts,
    duration_facts,
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


CLAIMS = load_table("published_claims")
BIBLIOGRAPHY = (Path(__file__).parents[2] / "book" / "references.bib").read_text(encoding="utf-8")


def test_eligibility_facts_count_pain_scores_and_designs() -> None:
    designs = load_table("study_designs")
    facts = eligibility_facts(STUDIES, designs, CLAIMS)
    with_pain = STUDIES["pain_baseline_mean"].notna() & STUDIES["pain_end_mean"].notna()
    assert facts.with_pain == with_pain.sum() < facts.k == len(STUDIES)
    assert facts.designs == len(designs)
    assert facts.youngest_age == STUDIES["age_mean"].min()
    with pytest.raises(InputError, match="eligibility_facts: studies has no column 'age_mean'"):
        eligibility_facts(STUDIES.drop(columns="age_mean"), designs, CLAIMS)


def test_span_facts_read_the_extremes() -> None:
    facts = span_facts(STUDIES, REPORT.claim("duration_mean").ours)
    assert facts.biggest_n == STUDIES["n_analysed"].max()
    days = STUDIES["duration_days"].astype(float)
    assert facts.duration_ratio == days.max() / days.min()
    assert 0 < facts.below_mean < len(STUDIES)


def test_the_facts_behind_the_printed_numbers() -> None:
    subjects = subjects_facts(REPORT, STUDIES)
    two = STUDIES[STUDIES["n_enrolled"].notna()]
    assert subjects.two_n_label == " and ".join(two["label"])
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


# Both branches of each sentence the data choose: today's data, then an edit of Table 1 (or of
# the printed numbers) that makes the other branch true.


def _cited_for_vas() -> str:
    return CLAIMS.set_index("claim_id").at["methods_pain_scale_exceptions", "study_id"]


def test_the_scale_sentence_follows_the_cited_study_and_the_wide_scale() -> None:
    designs = load_table("study_designs")
    cited = _cited_for_vas()
    facts = eligibility_facts(STUDIES, designs, CLAIMS)
    label = STUDIES.set_index("study_id").at[cited, "label"]
    assert facts.cited_for_vas == label
    assert facts.scale_sentence.startswith(f"Yet Table 1 gives no pain scores for {label}")
    assert "does not match Table 1" in facts.conclusion
    # The cited study removed: it is named as not in Table 1, and nothing crashes.
    without = STUDIES[STUDIES["study_id"] != cited]
    facts = eligibility_facts(without, designs, CLAIMS)
    assert facts.cited_for_vas == "a study that is not in Table 1"
    assert facts.scale_sentence.startswith("Yet the study it cites is not in Table 1")
    # Only the cited study on the wide scale, with scores: Table 1 bears the paper out.
    fitted = STUDIES.copy()
    wide = fitted["pain_baseline_mean"].astype(float) > 10
    fitted.loc[wide, ["pain_baseline_mean", "pain_end_mean"]] = [7.0, 4.0]
    fitted.loc[fitted["study_id"] == cited, ["pain_baseline_mean", "pain_end_mean"]] = [70, 40]
    facts = eligibility_facts(fitted, designs, CLAIMS)
    assert facts.scale_sentence.startswith("Table 1 bears this out")
    assert "scale the paper describes" not in facts.conclusion


def test_the_age_sentence_names_children_only_when_the_youngest_mean_age_is_a_child() -> None:
    designs = load_table("study_designs")
    facts = eligibility_facts(STUDIES, designs, CLAIMS)
    assert STUDIES["age_mean"].min() < 18
    assert facts.age_sentence.endswith("mostly children or adolescents.")
    assert "the study of adolescents" in facts.further_left_out
    adults = STUDIES.assign(age_mean=STUDIES["age_mean"].clip(lower=30))
    facts = eligibility_facts(adults, designs, CLAIMS)
    assert facts.age_sentence.endswith("so no study was mostly of children or adolescents.")
    assert "adolescents" not in facts.further_left_out


def test_subjects_facts_without_a_second_number_say_so() -> None:
    subjects = subjects_facts(REPORT, STUDIES)
    assert subjects.fig4a_lead.startswith("Fig. 4a")
    single = STUDIES.assign(n_enrolled=float("nan"))
    report = reproduce_descriptives(single)
    facts = subjects_facts(report, single)
    assert facts.two_n_label == ""
    assert facts.fig4a_lead.startswith("No study has a second number")
    assert facts.further_open == "each study's design"
    assert "no study has a second number" in facts.reading
    assert participant_facts(report, single).immediate_enrolled_phrase == ""


def test_age_sentence_says_whether_a_computation_gives_the_printed_pair() -> None:
    sentence = age_facts(REPORT, STUDIES).sentence
    assert sentence.startswith("None of the")
    assert "does not matter clinically" in sentence
    # Printed numbers set to what the plain mean gives: one computation reproduces them.
    printed = load_table("published_descriptives").set_index("claim_id")
    plain = REPORT.attempts_table("age").iloc[0]
    printed.loc["age_mean", "value"] = float(plain["age_mean"])
    printed.loc["age_sd", "value"] = float(plain["age_sd"])
    report = reproduce_descriptives(STUDIES, printed.reset_index())
    assert age_facts(report, STUDIES).sentence.startswith("Of the")
    # Far from every computation: the gap is named, not called small.
    printed.loc["age_mean", "value"] = 60.0
    report = reproduce_descriptives(STUDIES, printed.reset_index())
    assert "the mean is off by" in age_facts(report, STUDIES).sentence


def test_duration_sentence_follows_the_status_of_the_printed_mean() -> None:
    assert duration_facts(REPORT).sentence.endswith("each study counted once.")
    extra = STUDIES.head(1).assign(study_id="x", duration_days=20.0)
    added = pd.concat([STUDIES, extra], ignore_index=True)
    sentence = duration_facts(reproduce_descriptives(added)).sentence
    assert "do not follow from Table 1 together" in sentence
    # The printed mean set to the mean weighted by N: reproduced only under that assumption.
    printed = load_table("published_descriptives").set_index("claim_id")
    weighted = (
        REPORT.attempts_table("duration").set_index("name").at["weighted by N", "duration_mean"]
    )
    printed.loc["duration_mean", "value"] = float(weighted)
    sentence = duration_facts(reproduce_descriptives(STUDIES, printed.reset_index())).sentence
    assert (
        "follow from Table 1 only by a computation the paper does not state (weighted by N"
        in sentence
    )


def test_span_facts_say_what_pulls_the_mean_up() -> None:
    mean = REPORT.claim("duration_mean").ours
    assert span_facts(STUDIES, mean).pulled_up.endswith("pulls up on its own")
    spread = [1.0] * (len(STUDIES) // 2 + 1) + [10.0] * (len(STUDIES) - len(STUDIES) // 2 - 1)
    days = STUDIES.assign(duration_days=spread)
    facts = span_facts(days, float(days["duration_days"].mean()))
    assert facts.pulled_up == "which the longer studies pull up"


def test_conclusion_facts_say_whether_every_number_follows() -> None:
    facts = conclusion_facts(REPORT)
    assert (
        facts.others_lead
        == "The others need choices the paper does not state, or do not follow at all."
    )
    assert facts.consistency.startswith("None of these discrepancies")
    printed = load_table("published_descriptives").set_index("claim_id")
    for claim in REPORT.claims:
        value = claim.ours if claim.determined_value is None else claim.determined_value
        printed.loc[claim.claim_id, "value"] = float(value)
    facts = conclusion_facts(reproduce_descriptives(STUDIES, printed.reset_index()))
    assert facts.consistency == (
        "Every descriptive number of the paragraph follows from Table 1, some only under a "
        "choice the paper does not state."
    )
    assert facts.others_lead == "The others need choices the paper does not state."


def test_citation_facts_cite_the_studies_with_a_reference_and_name_the_others() -> None:
    paragraph = citation_facts(STUDIES, BIBLIOGRAPHY).paragraph
    assert paragraph.count("{cite:t}") == len(STUDIES) + 3
    assert "Three of them" in paragraph and "two Kiefer 2008 studies" in paragraph
    invented = pd.DataFrame({"study_id": ["test2099"], "label": ["TEST 2099"]})
    kept = STUDIES[~STUDIES["study_id"].isin(["sigtermans2009", "dahan2011", "kiefer2008b"])]
    paragraph = citation_facts(pd.concat([kept, invented]), BIBLIOGRAPHY).paragraph
    assert "TEST 2099 (not in the references)" in paragraph
    assert "same randomized trial" not in paragraph
    assert "Kiefer 2008 studies" not in paragraph
