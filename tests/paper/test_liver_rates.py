"""The hepatotoxicity chapter's table, chart points and prose numbers (analysis.paper.liver_rates).

Source: the paper's Discussion (data/adverse_events.csv, data/published_rates.csv) and Table 1.
No new statistics: each number must be the readings' own value (exact) written as the chapter
writes it; the rates themselves are checked in test_hepatotoxicity_rate.py.
"""

import pytest

from analysis.metaanalysis import InputError, binomial_interval
from analysis.paper import (
    by_study,
    category_counts,
    compare_with_paper,
    denominator_facts,
    denominator_readings,
    liver_events,
    liver_rate_points,
    liver_reading_facts,
    liver_studies_facts,
    liver_study_facts,
    load_studies,
    load_table,
    paper_rate_facts,
    readings_table,
    side_effect_facts,
    side_effect_mentions,
)

STUDIES = load_studies()
READINGS = denominator_readings(STUDIES)
EVENTS = liver_events().merge(STUDIES[["study_id", "label"]], on="study_id")
PER_STUDY = binomial_interval(EVENTS["patients_with_event"], EVENTS["patients"], "exact")


def test_readings_table_writes_each_reading_in_percent() -> None:
    table = readings_table(READINGS)
    assert len(table) == len(READINGS)
    first = READINGS.iloc[0]
    assert table.iloc[0]["Rate"] == f"{100 * first['rate']:.1f}%"
    assert table.iloc[0]["Exact 95% CI"].endswith(f"{100 * first['exact_high']:.1f}%")
    with pytest.raises(InputError, match="no column 'rate'"):
        readings_table(READINGS.drop(columns="rate"))


def test_chart_points_are_the_readings_then_each_reporting_study() -> None:
    points = liver_rate_points(READINGS, EVENTS, PER_STUDY)
    assert list(points["group"]).count("Single study") == len(EVENTS)
    assert list(points["name"]) == [*READINGS["label"], *EVENTS["label"]]
    assert (
        points["text"]
        .iloc[-1]
        .endswith(
            f"{EVENTS['patients_with_event'].iloc[-1]} of {EVENTS['patients'].iloc[-1]} patients"
        )
    )
    with pytest.raises(InputError, match="intervals for"):
        liver_rate_points(READINGS, EVENTS.head(1), PER_STUDY)


def test_paper_rate_reproduces_the_printed_rate() -> None:
    check = compare_with_paper(READINGS)
    facts = paper_rate_facts(READINGS, check, 0.95)
    printed = (
        load_table("published_rates").set_index("analysis_id").at["hepatotoxicity", "rate_pct"]
    )
    # The printed rate (one decimal) is our two-decimal rate rounded.
    assert f"{float(facts.rate.rstrip('%')):.1f}" == f"{printed:.1f}"
    assert facts.reproduced == facts.checked == len(check)
    assert facts.upper_ratio > 1
    with pytest.raises(InputError, match="no reading 'paper'"):
        paper_rate_facts(READINGS.iloc[1:], check, 0.95)


def test_liver_study_facts_are_one_per_study_with_its_counts() -> None:
    facts = liver_study_facts(EVENTS, PER_STUDY)
    assert [f.label for f in facts] == list(EVENTS["label"])
    row = EVENTS.iloc[0]
    assert facts[0].count == f"{row['patients_with_event']} of {row['patients']}"
    with pytest.raises(InputError, match="intervals for"):
        liver_study_facts(EVENTS.head(1), PER_STUDY)


PRINTED_PATIENTS = int(
    load_table("published_rates").set_index("analysis_id").at["hepatotoxicity", "patients"]
)


def test_denominator_and_liver_facts_follow_the_readings() -> None:
    facts = denominator_facts(READINGS, STUDIES, PRINTED_PATIENTS)
    assert facts.all_studies == len(STUDIES)
    assert facts.readings_count == len(READINGS)
    liver = liver_reading_facts(READINGS, STUDIES, EVENTS)
    assert liver.studies + liver.silent_studies == len(STUDIES)
    assert liver.durations.count(" and ") == len(EVENTS) - 1
    with pytest.raises(InputError, match="readings has no reading 'paper'"):
        denominator_facts(READINGS[READINGS["reading"] != "paper"], STUDIES, PRINTED_PATIENTS)
    with pytest.raises(InputError, match="liver_enzymes"):
        liver_reading_facts(READINGS[READINGS["reading"] != "liver_enzymes"], STUDIES, EVENTS)


def test_side_effect_facts_count_studies_per_category() -> None:
    mentions = side_effect_mentions(STUDIES)
    counts = category_counts(mentions, STUDIES)
    facts = side_effect_facts(counts, by_study(mentions, STUDIES))
    assert facts.liver_studies == len(EVENTS)  # the two studies of the Discussion
    assert 0 < facts.nausea_studies <= facts.reporting_studies <= len(STUDIES)
    most = counts["studies_present"].max()
    psycho = counts.set_index("category").at["psychotomimetic or psychiatric", "studies_present"]
    assert facts.psycho_rank.endswith("the most often reported") == (psycho == most)
    with pytest.raises(InputError, match="nausea or vomiting"):
        side_effect_facts(
            counts[counts["category"] != "nausea or vomiting"], by_study(mentions, STUDIES)
        )


def test_the_rank_of_psychotomimetic_effects_follows_the_counts() -> None:
    mentions = side_effect_mentions(STUDIES)
    counts = category_counts(mentions, STUDIES)
    grid = by_study(mentions, STUDIES)
    psycho = counts["category"] == "psychotomimetic or psychiatric"
    nausea = counts["category"] == "nausea or vomiting"
    top = counts["studies_present"].max()
    ranks = {}
    for name, psycho_n, nausea_n in [
        ("first", top + 2, top + 1),
        ("tied", top + 1, top + 1),
        ("second", top, top + 1),
    ]:
        edited = counts.copy()
        edited.loc[psycho, "studies_present"] = psycho_n
        edited.loc[nausea, "studies_present"] = nausea_n
        ranks[name] = side_effect_facts(edited, grid).psycho_rank
    assert ranks == {
        "first": "are the most often reported",
        "tied": "are, with nausea or vomiting, the most often reported",
        "second": "are reported less often than nausea or vomiting",
    }


def test_the_enrolled_sentence_names_the_studies_with_two_sample_sizes_from_the_data() -> None:
    two = STUDIES[STUDIES["n_enrolled"].notna()]
    sentence = denominator_facts(READINGS, STUDIES, PRINTED_PATIENTS).enrolled_sentence
    row = two.iloc[0]
    assert f'{row["label"]} as "{int(row["n_analysed"])}({int(row["n_enrolled"])})"' in sentence
    assert sentence.endswith("That changes little.")
    # The printed total one patient off: the paper's patients are not all of Table 1's.
    off = denominator_facts(READINGS, STUDIES, PRINTED_PATIENTS + 1).enrolled_sentence
    assert "are not all the patients" in off
    # No study with two sample sizes: nothing to name, and nothing analysed to compare.
    single = STUDIES.assign(n_enrolled=float("nan"))
    readings = denominator_readings(single)
    patients = int(readings.set_index("reading").at["paper", "patients"])
    sentence = denominator_facts(readings, single, patients).enrolled_sentence
    assert sentence == (
        f"The paper's {patients} patients are all the patients of all {len(single)} studies."
    )


def test_liver_studies_facts_compare_each_study_with_the_paper() -> None:
    paper = float(READINGS.set_index("reading").at["paper", "rate"])
    facts = liver_studies_facts(EVENTS, PER_STUDY, paper, 0.95)
    assert facts.sentence.startswith(
        "In the studies that report on liver enzymes the rates are much higher:"
    )
    assert facts.sentence.endswith("an impossible negative rate.")
    assert facts.course.startswith("In ") and "the course was slow" in facts.course
    # One study, with a common event and a recovered course: the other branches.
    one = EVENTS.head(1).assign(
        patients_with_event=20, patients=40, course_as_reported="back to baseline"
    )
    per = binomial_interval(one["patients_with_event"], one["patients"], "exact")
    facts = liver_studies_facts(one, per, 0.6, 0.95)
    assert facts.sentence.startswith(
        "In the study that reports on liver enzymes the rate is not higher"
    )
    assert facts.sentence.endswith("still a possible rate.")
    assert facts.course == "Where the course after stopping is reported, the enzymes recovered."
