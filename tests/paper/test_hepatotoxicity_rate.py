"""The hepatotoxicity rate, its denominators, and the side effects of Table 1 by category.

Sources: the paper's Discussion (data/adverse_events.csv, data/published_rates.csv) and Table 1
(data/studies.csv, column side_effects), read with data/side_effect_terms.csv. Counts are
compared exactly; rates at the paper's printed precision (published_rates.csv) or, against
`binomial_interval`, to a relative 1e-12.
"""

import pandas as pd
import pytest

from analysis.metaanalysis.binomial import binomial_interval
from analysis.paper.adverse_effects import (
    NOT_ADVERSE,
    adverse_categories,
    by_study,
    categories,
    category_counts,
    side_effect_mentions,
)
from analysis.paper.data import DataFileError, load_studies, load_table
from analysis.paper.hepatotoxicity import (
    LIVER_CATEGORY,
    READINGS,
    compare_with_paper,
    denominator_readings,
    liver_events,
)
from tests.tolerances import CLOSED_FORM_IDENTITY

STUDIES = load_studies()
MENTIONS = side_effect_mentions(STUDIES)


def _mentions_of(study_id: str) -> list[tuple[str, bool]]:
    rows = MENTIONS[MENTIONS["study_id"] == study_id]
    return list(zip(rows["label"], rows["present"], strict=True))


def test_every_study_with_side_effects_has_mentions() -> None:
    reported = set(STUDIES.loc[STUDIES["side_effects"].notna(), "study_id"])
    assert set(MENTIONS["study_id"]) == reported


def test_every_phrase_of_the_vocabulary_is_used() -> None:
    """No dead rows in side_effect_terms.csv: each phrase occurs in Table 1."""
    terms = load_table("side_effect_terms")
    used = set(MENTIONS["phrase"].str.lower())
    assert set(terms["phrase"]) == used


def test_categories_come_from_the_schema_in_order() -> None:
    assert categories()[-1] == NOT_ADVERSE
    assert NOT_ADVERSE not in adverse_categories()
    assert LIVER_CATEGORY in adverse_categories()


@pytest.mark.parametrize(
    ("study_id", "expected"),
    [
        # "Irritation; fatigue, dizziness, spinal pain, no hallucinations"
        (
            "webster2006",
            [
                ("irritation", True),
                ("fatigue", True),
                ("dizziness", True),
                ("spinal pain", True),
                ("hallucinations", False),
            ],
        ),
        # "...; none reported agitation, blurred vision, hallucinations, delusions"
        (
            "schwartzman2009",
            [
                ("nausea", True),
                ("headache", True),
                ("tiredness", True),
                ("dysphoria", True),
                ("agitation", False),
                ("blurred vision", False),
                ("hallucinations", False),
                ("delusions", False),
            ],
        ),
        # "No evidence of significant tachycardia, arterial oxygen desaturation, ..."
        (
            "goldberg2010",
            [("tachycardia", False), ("oxygen desaturation", False), ("hallucinations", False)],
        ),
        # "Muscle weakness, ...": the longer phrase wins over "weakness"
        (
            "koffler2007",
            [
                ("muscle weakness", True),
                ("dizziness", True),
                ("fatigue", True),
                ("sweating (hyperhidrosis)", True),
            ],
        ),
    ],
)
def test_mentions_and_negations_are_read_as_printed(study_id: str, expected: list) -> None:
    assert _mentions_of(study_id) == expected


def test_a_phrase_missing_from_the_vocabulary_stops_with_one_line() -> None:
    studies = STUDIES.copy()
    studies.loc[studies["study_id"] == "patil2012", "side_effects"] = "Sedation, purple toes"
    with pytest.raises(DataFileError) as caught:
        side_effect_mentions(studies)
    message = str(caught.value)
    assert message == (
        "data/studies.csv: side_effects of 'patil2012': no phrase of "
        "data/side_effect_terms.csv matches 'purple toes'; add one there"
    )


def test_table_by_study_shows_present_and_absent() -> None:
    grid = by_study(MENTIONS, STUDIES).set_index("study_id")
    assert grid.at["schwartzman2009", "psychotomimetic or psychiatric"] == (
        "dysphoria; not seen: agitation, hallucinations, delusions"
    )
    assert grid.at["correll2004", LIVER_CATEGORY] == "raised liver enzymes"
    assert not grid.at["kiefer2002", "reported"]  # Table 1 prints "-"
    assert (grid.loc["kiefer2002", list(adverse_categories())] == "").all()


def test_category_counts() -> None:
    counts = category_counts(MENTIONS, STUDIES).set_index("category")
    assert counts.at[LIVER_CATEGORY, "studies_present"] == 2
    assert counts.at[LIVER_CATEGORY, "study_labels"] == "Correll 2004, Goebel 2015"
    assert counts.at["cardiovascular or respiratory", "studies_absent"] == 1  # Goldberg 2010


def test_discussion_and_table_1_agree_on_the_liver_studies() -> None:
    """The studies the Discussion counts are those whose Table 1 entry reports raised enzymes,
    and the Discussion's numbers of patients are Table 1's."""
    events = liver_events()
    liver = MENTIONS[(MENTIONS["category"] == LIVER_CATEGORY) & MENTIONS["present"]]
    assert set(events["study_id"]) == set(liver["study_id"])
    n = STUDIES.set_index("study_id")["n_analysed"]
    assert list(events["patients"]) == [int(n[s]) for s in events["study_id"]]


READINGS_TABLE = denominator_readings(STUDIES, MENTIONS).set_index("reading")


def test_the_paper_reading_reproduces_the_printed_rate() -> None:
    check = compare_with_paper(denominator_readings(STUDIES, MENTIONS))
    assert check["reproduced"].all(), check
    assert list(check["quantity"]) == ["events", "patients", "rate_pct"]
    paper = READINGS_TABLE.loc["paper"]
    assert (paper["events"], paper["patients"], paper["studies"]) == (5, 258, 15)


def test_denominators_follow_table_1() -> None:
    enrolled = STUDIES["n_enrolled"].fillna(STUDIES["n_analysed"]).sum()
    assert READINGS_TABLE.at["paper", "patients"] == enrolled
    assert READINGS_TABLE.at["analysed", "patients"] == STUDIES["n_analysed"].sum() == 251
    assert READINGS_TABLE.at["liver_enzymes", "patients"] == 33 + 5
    # Leaves out Kiefer 2002 (no side effects reported), Goldberg 2010 and Schilder 2013
    # (only effects that did not occur).
    assert READINGS_TABLE.at["any_adverse_effect", "patients"] == 258 - 6 - 16 - 15
    assert list(READINGS_TABLE.index) == list(READINGS)


def test_narrower_denominators_give_higher_rates() -> None:
    rates = READINGS_TABLE["rate"]
    assert rates["paper"] < rates["analysed"] < rates["any_adverse_effect"]
    assert rates["any_adverse_effect"] < rates["liver_enzymes"]
    assert (READINGS_TABLE["events"] == 5).all()


@pytest.mark.parametrize("method", ["exact", "wilson"])
def test_reading_intervals_are_the_binomial_intervals(method: str) -> None:
    expected = binomial_interval(READINGS_TABLE["events"], READINGS_TABLE["patients"], method)
    for i, reading in enumerate(READINGS_TABLE.index):
        assert CLOSED_FORM_IDENTITY.isclose(
            READINGS_TABLE.at[reading, f"{method}_low"], expected.ci_low[i]
        )
        assert CLOSED_FORM_IDENTITY.isclose(
            READINGS_TABLE.at[reading, f"{method}_high"], expected.ci_high[i]
        )


def test_paper_rate_exact_interval_is_about_0_6_to_4_5_percent() -> None:
    """The acceptance criterion of issue 6, at the precision it states."""
    paper = READINGS_TABLE.loc["paper"]
    assert round(100 * paper["exact_low"], 1) == 0.6
    assert round(100 * paper["exact_high"], 1) == 4.5
    assert f"{100 * paper['rate']:.1f}" == "1.9"


def test_readings_follow_the_studies_given() -> None:
    """A study added to Table 1 that mentions liver enzymes joins the liver reading."""
    extra = STUDIES.iloc[[0]].assign(
        study_id="new2020",
        label="New 2020",
        table1_row=16,
        side_effects="Liver enzymes were mildly raised",
    )
    studies = pd.concat([STUDIES, extra], ignore_index=True)
    readings = denominator_readings(studies).set_index("reading")
    assert readings.at["liver_enzymes", "studies"] == 3
    assert readings.at["liver_enzymes", "events"] == 5  # no count for it in the Discussion
