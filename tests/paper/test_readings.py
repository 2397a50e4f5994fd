"""The readings engine (analysis.paper.readings): statuses, digits, gaps, and its invariants.

The examples are made up; each status rule is the one `analysis.paper.descriptives` applied
before the engine existed (and the audit's two shortcuts, one reading and several
alternatives). A value reproduces a printed number when both show the same digits at the
printed precision: an exact comparison of text, no tolerance.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.audit.claim import status_if_same
from analysis.charts.formatting import round_half_up
from analysis.metaanalysis.errors import InputError
from analysis.paper import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    PrintedNumber,
    judge,
    judge_alternatives,
    reading,
)
from tests.tolerances import GAP_IN_LAST_DIGITS, HALF_DIGIT_BOUNDARY

MEAN = PrintedNumber("mean", 8.41, 2)

HALF_A_DIGIT = 0.5
"""A value that shows the printed digits is at most half a last digit away."""


def test_statuses_best_to_worst() -> None:
    assert STATUSES == (REPRODUCED, ASSUMED, INCONSISTENT, NOT_REPRODUCIBLE)


# --- each status rule ----------------------------------------------------------------------


def test_reproduced_when_a_matching_reading_needs_no_assumption() -> None:
    assumed = reading("assumed", {"mean": 8.414}, assumption="weighted")
    plain = reading("plain", {"mean": 8.406})
    result = judge([MEAN], [assumed, plain])
    assert result.status == REPRODUCED
    assert result.chosen is plain  # the reading without assumption is preferred
    assert result.matching == (assumed, plain)
    assert result.explanation is None


def test_assumed_when_the_matching_reading_is_one_the_paper_fixes() -> None:
    fixed = reading("fixed", {"mean": 8.41}, assumption="N in parentheses", determined=True)
    other = reading("other", {"mean": 8.41}, assumption="something else")
    result = judge([MEAN], [other, fixed])
    assert (result.status, result.chosen) == (ASSUMED, fixed)


def test_inconsistent_when_every_reading_the_paper_fixes_misses() -> None:
    near = reading("near", {"mean": 8.43}, determined=True)
    far = reading("far", {"mean": 9.0}, determined=True)
    explains = reading("explains", {"mean": 8.41}, assumption="a study the figure leaves out")
    result = judge([MEAN], [far, near, explains])
    assert result.status == INCONSISTENT
    assert result.chosen is near  # the closest of the fixed readings
    assert result.explanation is explains
    assert judge([MEAN], [far, near]).explanation is None


def test_assumed_when_only_readings_with_assumptions_match() -> None:
    first = reading("first", {"mean": 8.409}, assumption="rounded years")
    second = reading("second", {"mean": 8.411}, assumption="bounds counted")
    result = judge([MEAN], [reading("miss", {"mean": 8.5}), first, second])
    assert (result.status, result.chosen) == (ASSUMED, first)


def test_not_reproducible_reports_the_closest_and_its_gap() -> None:
    readings = [reading("far", {"mean": 9.0}), reading("near", {"mean": 8.43})]
    result = judge([MEAN], readings)
    assert result.status == NOT_REPRODUCIBLE
    assert result.chosen.name == "near" and result.closest.name == "near"
    assert result.gap == GAP_IN_LAST_DIGITS.approx(2.0)  # 8.43 - 8.41 = 2 in the last digit
    assert not result.reproduced


def test_a_mean_and_its_spread_are_judged_together() -> None:
    """A reading that gives the mean and another that gives the ± reproduce nothing."""
    printed = [PrintedNumber("mean", 37.34, 2), PrintedNumber("sd", 9.23, 2)]
    mean_only = reading("mean only", {"mean": 37.34, "sd": 9.06})
    sd_only = reading("sd only", {"mean": 37.32, "sd": 9.23})
    result = judge(printed, [mean_only, sd_only])
    assert result.status == NOT_REPRODUCIBLE
    assert result.shows(mean_only) == (True, False)
    assert result.shows(sd_only) == (False, True)
    assert result.gap == GAP_IN_LAST_DIGITS.approx(2.0)  # sd only: 37.32 vs 37.34
    both = reading("both", {"mean": 37.341, "sd": 9.229})
    assert judge(printed, [mean_only, sd_only, both]).chosen is both


# --- printed precision ---------------------------------------------------------------------


def test_digits_not_tolerance() -> None:
    assert MEAN.shows(8.405000001) and MEAN.shows(8.4149)
    assert not MEAN.shows(8.4151) and not MEAN.shows(8.404)


def test_negative_zero_shows_as_zero() -> None:
    """Stata prints -0.04 at one decimal as 0.0, and so does the paper."""
    zero = PrintedNumber("estimate", 0.0, 1)
    assert zero.shown == "0.0"
    assert zero.shows(-0.04)
    assert zero.format(-0.04) == "0.0"


def test_half_up_rounding_is_a_reading_not_the_comparison() -> None:
    """0.125 shows as 0.12 (its binary value is a half, rounded to even); 0.13 needs the
    half-up rounding of Stata's display formats, which a reading applies to its value."""
    printed = PrintedNumber("share", 0.13, 2)
    assert not printed.shows(0.125)
    assert round_half_up(0.125, 2) == 0.13
    assert printed.shows(round_half_up(0.125, 2))


def test_a_printed_bound_is_reproduced_below_it() -> None:
    bound = PrintedNumber("p", 0.000001, 6, below=True)
    assert bound.shows(3e-7) and not bound.shows(2e-6)
    assert bound.gap(3e-7) == 0
    assert bound.gap(3e-6) == GAP_IN_LAST_DIGITS.approx(2.0)


def test_printed_text_is_compared_as_written() -> None:
    text = PrintedNumber("row", "0.69 (0.53, 0.84); 12.3%")
    assert text.shows("0.69 (0.53, 0.84); 12.3%")
    assert not text.shows("0.69 (0.53, 0.85); 12.3%")
    assert text.gap("0.69 (0.53, 0.85); 12.3%") == float("inf")


# --- the audit's shortcuts are special cases -----------------------------------------------


def test_one_reading_without_assumption() -> None:
    assert status_if_same("258", "258") == REPRODUCED
    assert status_if_same("258", "251") == NOT_REPRODUCIBLE
    assert status_if_same("258", "251", determined=True) == INCONSISTENT
    assert status_if_same("258", "258", assumption="N in parentheses") == ASSUMED


@given(st.lists(st.booleans(), min_size=1, max_size=8))
def test_alternatives_reproduced_if_all_assumed_if_some(matches: list[bool]) -> None:
    """The audit's rule for readings the paper does not choose between."""
    readings = [reading(f"r{i}", {"mean": 8.41 if m else 9.0}) for i, m in enumerate(matches)]
    expected = REPRODUCED if all(matches) else ASSUMED if any(matches) else NOT_REPRODUCIBLE
    assert judge_alternatives([MEAN], readings).status == expected


# --- the result shows itself ---------------------------------------------------------------


def test_to_frame_has_one_row_per_reading() -> None:
    readings = [reading("plain", {"mean": 8.406}), reading("weighted", {"mean": 9.02})]
    frame = judge([MEAN], readings).to_frame()
    assert list(frame.columns) == [
        "reading",
        "description",
        "assumption",
        "determined",
        "mean",
        "matches",
        "gap",
        "chosen",
    ]
    assert frame["matches"].tolist() == [True, False]
    assert frame["chosen"].tolist() == [True, False]
    assert frame["gap"].iloc[1] == GAP_IN_LAST_DIGITS.approx(61.0)


def test_bad_arguments_give_one_line() -> None:
    cases = [
        (lambda: judge([MEAN], []), "judge: readings is empty for mean"),
        (lambda: judge([], [reading("r", {"mean": 1.0})]), "judge: printed is empty"),
        (
            lambda: judge([MEAN], [reading("r", {"sd": 1.0})]),
            "Reading.value: number_id='mean' is not one of sd",
        ),
        (lambda: PrintedNumber("x", 1.5), "PrintedNumber: decimals=None needs a printed text"),
        (
            lambda: judge([MEAN], [reading("r", {"mean": 1.0})]).printed_number("sd"),
            "Judgement.printed_number: number_id='sd'",
        ),
    ]
    for call, start in cases:
        with pytest.raises(InputError) as caught:
            call()
        assert str(caught.value).startswith(start)
        assert "\n" not in str(caught.value)


# --- invariants ----------------------------------------------------------------------------

DECIMALS = st.integers(0, 3)
VALUES = st.floats(-1e3, 1e3, allow_nan=False)
READINGS = st.lists(
    st.tuples(
        VALUES,
        st.one_of(st.none(), st.sampled_from(["assumption a", "assumption b"])),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


def _readings(specs, printed: PrintedNumber, hits: list[bool] | None = None):
    """Readings from (value, assumption, determined); ``hits`` forces some to match."""
    out = []
    for i, (value, assumption, determined) in enumerate(specs):
        if hits is not None and hits[i % len(hits)]:
            value = float(printed.value)
        out.append(reading(f"r{i}", {"x": value}, assumption=assumption, determined=determined))
    return out


def _printed(value: float, decimals: int) -> PrintedNumber:
    return PrintedNumber("x", round(value, decimals), decimals)


@given(VALUES, DECIMALS, READINGS, st.lists(st.booleans(), min_size=1, max_size=3), st.randoms())
def test_order_of_readings_does_not_change_the_status(value, decimals, specs, hits, rng) -> None:
    printed = _printed(value, decimals)
    readings = _readings(specs, printed, hits)
    shuffled = list(readings)
    rng.shuffle(shuffled)
    first, second = judge([printed], readings), judge([printed], shuffled)
    assert first.status == second.status
    assert first.gap == second.gap


@given(VALUES, DECIMALS, READINGS, st.lists(st.booleans(), min_size=1, max_size=3), VALUES)
def test_a_reading_that_misses_never_helps(value, decimals, specs, hits, other) -> None:
    """Adding a reading that misses the printed digits: a number the paper does not fix keeps
    its status; a fixed one can only lose 'reproduced' or turn a match into a contradiction."""
    printed = _printed(value, decimals)
    readings = _readings(specs, printed, hits)
    before = judge([printed], readings)
    miss = other if not printed.shows(other) else float(printed.value) + 10 ** (1 - decimals)
    for determined in (False, True):
        after = judge([printed], [*readings, reading("miss", {"x": miss}, determined=determined)])
        assert after.reproduced == before.reproduced
        assert after.gap <= before.gap  # a closer miss is closer, never a match
        if not determined:
            assert after.status == before.status
        elif before.status in (REPRODUCED, ASSUMED):
            assert STATUSES.index(after.status) >= STATUSES.index(before.status)
            assert after.status != NOT_REPRODUCIBLE


@given(VALUES, DECIMALS, READINGS)
def test_status_follows_from_which_readings_match(value, decimals, specs) -> None:
    printed = _printed(value, decimals)
    result = judge([printed], _readings(specs, printed))
    assert result.status in STATUSES
    assert result.reproduced == (
        result.status in (REPRODUCED, ASSUMED) or bool(result.explanation)
    )
    if result.status in (REPRODUCED, ASSUMED):
        assert printed.shows(result.chosen.value("x"))
        assert (result.chosen.assumption is None) == (result.status == REPRODUCED)
    assert result.gap == min(printed.gap(r.value("x")) for r in result.readings)


@given(VALUES, DECIMALS, VALUES)
def test_the_gap_says_how_many_last_digits_off(value, decimals, ours) -> None:
    """A match is at most half a last digit off; less than half a digit off is a match."""
    printed = _printed(value, decimals)
    gap = printed.gap(ours)
    if printed.shows(ours):
        assert gap <= HALF_A_DIGIT + HALF_DIGIT_BOUNDARY.atol
    if gap < HALF_A_DIGIT - HALF_DIGIT_BOUNDARY.atol:
        assert printed.shows(ours)
