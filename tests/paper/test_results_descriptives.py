"""The descriptive numbers of the Results (analysis.paper.descriptives), one test per number.

Source of each printed value: data/published_descriptives.csv (Zhao et al. 2018, Results, with
the place of each number in its ``source`` column). A number is reproduced when our value,
formatted to the printed decimals, shows the printed digits: an exact comparison of text, no
tolerance. The expected status of each number is what the chapter "Inclusion" reports; if a
data value or a computation changes it, the test of that number fails by name.
"""

import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.charts.formatting import as_printed
from analysis.metaanalysis.errors import InputError
from analysis.paper.data import load_studies, load_table
from analysis.paper.descriptives import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    crps_months,
    pooled_patient_sd,
    reproduce_descriptives,
    spread_of_means,
    subsets_with_total,
)
from tests.tolerances import (
    DECIMAL_ARITHMETIC,
    DECIMAL_SUM,
    POOLED_SD_SIMULATED,
    SUMMARY_STATISTIC_TWO_WAYS,
)

PRINTED = load_table("published_descriptives")
REPORT = reproduce_descriptives()

EXPECTED_STATUS = {
    "studies_included": REPRODUCED,
    "subjects_total": ASSUMED,
    "year_first": REPRODUCED,
    "year_last": REPRODUCED,
    "duration_mean": REPRODUCED,
    "duration_min": REPRODUCED,
    "duration_max": REPRODUCED,
    "age_mean": NOT_REPRODUCIBLE,
    "age_sd": NOT_REPRODUCIBLE,
    "crps_duration_mean": ASSUMED,
    "crps_duration_sd": ASSUMED,
    "immediate_studies": REPRODUCED,
    "immediate_participants": INCONSISTENT,
    "followup_studies": REPRODUCED,
    "followup_participants": INCONSISTENT,
}


def test_every_printed_number_has_an_expected_status() -> None:
    assert list(PRINTED["claim_id"]) == list(EXPECTED_STATUS)
    assert [c.claim_id for c in REPORT.claims] == list(PRINTED["claim_id"])
    assert {c.status for c in REPORT.claims} <= set(STATUSES)


@pytest.mark.parametrize("claim_id", list(EXPECTED_STATUS))
def test_printed_number(claim_id: str) -> None:
    """Each printed number: its status, and our digits beside the printed ones."""
    row = PRINTED.set_index("claim_id").loc[claim_id]
    result = REPORT.claim(claim_id)
    printed = as_printed(float(row["value"]), int(row["decimals"]))
    assert result.printed_as_printed == printed
    assert result.status == EXPECTED_STATUS[claim_id], (
        f"{claim_id}: printed {printed}, ours {result.ours_as_printed} "
        f"({result.computation.description})"
    )
    if result.status in (REPRODUCED, ASSUMED):
        assert result.ours_as_printed == printed
        assert (result.computation.assumption is None) == (result.status == REPRODUCED)
    elif result.status == NOT_REPRODUCIBLE:
        assert not result.reproduced
    else:  # inconsistent: the computation the paper itself fixes gives other digits
        assert as_printed(result.determined_value, int(row["decimals"])) != printed


def test_subjects_258_needs_the_number_in_parentheses() -> None:
    """Results: 258 subjects. Table 1's N sum to 251 with Schwartzman 2009's 19, 258 with 26."""
    attempts = REPORT.attempts_table("subjects_total").set_index("name")
    assert attempts["subjects_total"].tolist() == ["251", "258"]
    assert (
        "Schwartzman 2009: 26 of '19 (26)'"
        in REPORT.claim("subjects_total").computation.assumption
    )


def test_duration_is_the_plain_mean_of_table_1() -> None:
    """Results: 8.41 days (range 1 to 43.8); Table 1's 15 durations sum to 126.1 days."""
    days = load_studies()["duration_days"].astype(float)
    assert days.sum() == DECIMAL_SUM.approx(126.1)
    assert REPORT.claim("duration_mean").ours == DECIMAL_ARITHMETIC.approx(126.1 / 15)


def test_age_closest_computations() -> None:
    """Results: 37.34 ± 9.23 years. The plain mean of the 14 ages is 36.83 ± 9.06; the closest
    single omission (Kiefer 2008a) gives 37.32 ± 9.23, still 0.02 off the mean."""
    attempts = REPORT.attempts_table("age")
    plain = attempts.iloc[0]
    assert (plain["age_mean"], plain["age_sd"]) == ("36.83", "9.06")
    closest = REPORT.claim("age_mean").computation
    assert closest.name == "without Kiefer 2008a"
    assert round(closest.value("age_mean"), 2) == 37.32
    assert round(closest.value("age_sd"), 2) == 9.23
    assert not attempts["matches"].any()


def test_crps_duration_needs_rounded_years() -> None:
    """Results: 39.67 ± 31.61 months. Reproduced by Patil 2012's 5.62 years taken as 5.6
    (67.2 months) and Goebel 2015's '>1 year' as 12 months; the exact conversion (67.44
    months) gives 39.69 ± 31.63."""
    attempts = REPORT.attempts_table("crps_duration").set_index("name")
    exact = attempts.loc["years × 12, bounds counted, plain mean"]
    assert (exact["crps_duration_mean"], exact["crps_duration_sd"]) == ("39.69", "31.63")
    matching = attempts[attempts["matches"]]
    assert matching.index.tolist() == [
        "years rounded to one decimal, × 12, bounds counted, plain mean"
    ]
    rows, months = crps_months(load_studies(), "years rounded to one decimal, × 12", True)
    by_study = dict(zip(rows["study_id"], months, strict=True))
    assert by_study["patil2012"] == DECIMAL_ARITHMETIC.approx(67.2)
    assert by_study["sigtermans2010"] == DECIMAL_ARITHMETIC.approx(100.8)
    assert by_study["goebel2015"] == 12


def test_immediate_participants_159_is_not_the_sum_of_the_cited_studies() -> None:
    """Results: nine studies, 159 participants. The nine studies Fig. 4a lists (those cited)
    have 158 patients by Table 1's N (165 with Schwartzman 2009's 26); 159 needs Goebel 2015
    with 6 patients, the N its shares with relief (83.3% = 5/6, 33.3% = 2/6) imply."""
    result = REPORT.claim("immediate_participants")
    assert result.determined_value == 158
    assert result.ours == 158
    assert result.explanation.value("immediate_participants") == 159
    assert "Goebel 2015's N read as 6" in result.explanation.assumption
    attempts = REPORT.attempts_table("immediate_participants")
    assert attempts["immediate_participants"].tolist() == ["158", "165", "159", "154", "161"]
    sizes = load_studies()["n_analysed"].astype(int)
    matching, possible = subsets_with_total(sizes, 9, 159)
    assert possible == 5005
    assert matching > 0  # some set of nine studies always fits: a fit explains nothing


def test_followup_participants_115_counts_the_study_fig_4b_leaves_out() -> None:
    """Results: seven studies, 115 participants. The seven of Fig. 4b have 111; 115 adds
    Kiefer 2008b (4 patients, 0% relief), which Fig. 4b does not list."""
    result = REPORT.claim("followup_participants")
    assert result.determined_value == 111
    assert result.ours == 111
    assert result.explanation.value("followup_participants") == 115
    assert set(result.explanation.studies) - set(result.computation.studies) == {"kiefer2008b"}


def test_attempts_table_marks_the_matching_computation() -> None:
    table = REPORT.attempts_table("duration")
    assert table["matches"].tolist() == [True, False]
    assert table["gap"].iloc[0] < 0.5


# --- the helper statistics -------------------------------------------------------------


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=20))
def test_spread_of_means_is_the_sample_sd(values) -> None:
    """Reference: Python's statistics.stdev (divisor n - 1)."""
    assert spread_of_means(values) == SUMMARY_STATISTIC_TWO_WAYS.approx(statistics.stdev(values))


@given(
    st.lists(
        st.tuples(
            st.floats(0, 100, allow_nan=False),
            st.floats(0.1, 30, allow_nan=False),
            st.integers(2, 60),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_pooled_patient_sd_equals_the_sd_of_all_patients(studies) -> None:
    """Invariant: the SD over every patient of the studies, each study simulated with exactly
    its mean and SD (two values per half of its patients, symmetric about the mean)."""
    patients = []
    for mean, sd, n in studies:
        half = n // 2
        if n % 2:
            # odd n: one patient at the mean; the others at mean ± d with the right spread
            d = sd * np.sqrt((n - 1) / (2 * half))
            patients += [mean] + [mean - d] * half + [mean + d] * half
        else:
            d = sd * np.sqrt((n - 1) / n)
            patients += [mean - d] * half + [mean + d] * half
    means, sds, ns = zip(*studies, strict=True)
    expected = float(np.std(patients, ddof=1))
    assert pooled_patient_sd(means, sds, ns) == POOLED_SD_SIMULATED.approx(expected)


def test_bad_arguments_give_one_line() -> None:
    cases = [
        (lambda: REPORT.claim("age_median"), "DescriptivesReport.claim: claim_id='age_median'"),
        (lambda: REPORT.attempts_table("weight"), "DescriptivesReport.attempts_table: group="),
        (
            lambda: crps_months(load_studies(), "days", True),
            "crps_months: conversion='days' is not one of",
        ),
        (lambda: subsets_with_total([1, 2], 3, 3), "subsets_with_total: k=3 must be between 1"),
        (
            lambda: reproduce_descriptives(printed=PRINTED.assign(group="weight")),
            "reproduce_descriptives: printed group 'weight' has no computation",
        ),
    ]
    for call, start in cases:
        with pytest.raises(InputError) as caught:
            call()
        assert str(caught.value).startswith(start)
        assert "\n" not in str(caught.value)
