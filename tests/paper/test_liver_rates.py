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


def test_denominator_and_liver_facts_follow_the_readings() -> None:
    facts = denominator_facts(READINGS, STUDIES)
    assert facts.all_studies == len(STUDIES)
    assert facts.schwartzman_analysed < facts.schwartzman_enrolled
    assert facts.readings_count == len(READINGS)
    liver = liver_reading_facts(READINGS, STUDIES, EVENTS)
    assert liver.studies + liver.silent_studies == len(STUDIES)
    assert liver.durations.count(" and ") == len(EVENTS) - 1
    with pytest.raises(InputError, match="schwartzman2009"):
        denominator_facts(READINGS, STUDIES[STUDIES["study_id"] != "schwartzman2009"])
    with pytest.raises(InputError, match="liver_enzymes"):
        liver_reading_facts(READINGS[READINGS["reading"] != "liver_enzymes"], STUDIES, EVENTS)


def test_side_effect_facts_count_studies_per_category() -> None:
    mentions = side_effect_mentions(STUDIES)
    counts = category_counts(mentions, STUDIES)
    facts = side_effect_facts(counts, by_study(mentions, STUDIES))
    assert facts.liver_studies == len(EVENTS)  # the two studies of the Discussion
    assert 0 < facts.nausea_studies <= facts.reporting_studies <= len(STUDIES)
    with pytest.raises(InputError, match="nausea or vomiting"):
        side_effect_facts(
            counts[counts["category"] != "nausea or vomiting"], by_study(mentions, STUDIES)
        )
