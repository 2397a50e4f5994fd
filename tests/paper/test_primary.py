"""One primary model per outcome, declared once (issue 12, items 1 and 5).

Sources: the models are `analysis.paper.PRIMARY_MODELS`; their fits are the re-analyses of
`analysis.paper.robustness` (the GLMM checked against lme4 in tests/library/test_glmm_metafor.py,
REML with Hartung–Knapp against metafor in tests/library). Here: that every outcome has one
declaration, that the answer is that fit (exact equality), that its words print its digits, and
that an interval beyond what the scale allows is named (item 5).
"""

import dataclasses

import numpy as np
import pytest

from analysis.metaanalysis.errors import InputError
from analysis.paper import (
    PRIMARY_MODELS,
    TIMEPOINTS,
    pain_inputs,
    pain_reanalyses,
    primary_answer,
    primary_fit,
    primary_table,
    relief_reanalyses,
)
from analysis.paper.primary import _beyond

OUTCOMES = (*TIMEPOINTS, "pain")


def test_every_outcome_has_one_declared_model_counting_each_trial_once() -> None:
    assert tuple(PRIMARY_MODELS) == OUTCOMES
    for outcome, model in PRIMARY_MODELS.items():
        assert model.outcome == outcome
        assert model.trials == "one_per_trial"
        assert model.reasons


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_the_answer_is_the_declared_fit_and_the_robustness_row(outcome: str) -> None:
    fit = primary_fit(outcome)
    answer = primary_answer(outcome)
    assert (answer.estimate, answer.ci_low, answer.ci_high) == (
        fit.estimate,
        fit.ci_low,
        fit.ci_high,
    )
    assert (answer.pi_low, answer.pi_high, answer.k) == (fit.pi_low, fit.pi_high, fit.k)
    rows = pain_reanalyses() if outcome == "pain" else relief_reanalyses(outcome)
    assert fit in rows
    assert answer.model == PRIMARY_MODELS[outcome].model


def test_the_relief_answers_print_whole_percent_and_stay_in_0_to_100() -> None:
    for outcome in TIMEPOINTS:
        answer = primary_answer(outcome)
        low, high = (round(100 * x) for x in (answer.ci_low, answer.ci_high))
        assert answer.answer == f"{100 * answer.estimate:.0f}% (95% CI {low}% to {high}%)"
        assert 0 <= answer.pi_low <= answer.pi_high <= 1
        assert answer.beyond_limit == answer.beyond_limit_why == ""


def test_the_pain_answer_counts_the_leiden_trial_once_and_names_its_impossible_end() -> None:
    answer = primary_answer("pain")
    assert answer.k == len(pain_inputs("all")) - 2
    assert answer.answer == (
        f"{answer.estimate:.1f} points (95% CI {answer.ci_low:.1f} to {answer.ci_high:.1f})"
    )
    baseline = pain_inputs("all", trials="one_per_trial")["pain_baseline_mean_10"].mean()
    assert answer.limit == baseline
    assert answer.pi_high > baseline
    assert f"more than the {baseline:.1f} points" in answer.beyond_limit
    assert answer.beyond_limit.startswith(
        "The upper end of this prediction interval is impossible"
    )
    assert "normal tails" in answer.beyond_limit_why


def test_an_interval_within_the_scale_says_nothing() -> None:
    assert _beyond(0.9, 1.0, "a share above 100%") == ""
    assert "a share above 100%" in _beyond(1.2, 1.0, "a share above 100%")


def test_the_table_has_one_row_per_outcome_with_the_printed_answer() -> None:
    table = primary_table()
    assert list(table["Estimate (95% CI)"]) == [primary_answer(o).answer for o in OUTCOMES]
    assert list(table["Model"]) == [PRIMARY_MODELS[o].model for o in OUTCOMES]
    assert not table.isna().any().any()


def test_an_unknown_outcome_is_refused_in_one_line() -> None:
    with pytest.raises(InputError, match="outcome='pain score'"):
        primary_answer("pain score")


def test_answers_are_frozen() -> None:
    answer = primary_answer("immediate")
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.estimate = np.nan
