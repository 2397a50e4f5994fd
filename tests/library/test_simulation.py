"""Simulated meta-analyses of proportions (`analysis.metaanalysis.simulation`) and the batch
transformation of proportions (`transformed_proportions`): seeds, the Monte-Carlo error, a case
whose coverage is known, and one-line errors for bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from analysis.metaanalysis import pool_batch, proportion_effect_sizes
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.proportions import transformed_proportions
from analysis.metaanalysis.simulation import (
    interval_coverage,
    mean_proportion,
    monte_carlo_error,
    simulate_proportions,
)
from tests.tolerances import CLOSED_FORM_IDENTITY, COVERAGE_MC_ERRORS, SAME_ARITHMETIC

SIMULATION_EXAMPLES = settings(max_examples=max(5, settings.default.max_examples // 10))


@given(
    mu=st.floats(-3, 3),
    tau=st.floats(0, 2),
    seed=st.integers(0, 2**32),
    n=st.lists(st.integers(1, 200), min_size=2, max_size=10),
)
def test_the_draws_follow_the_seed(mu: float, tau: float, seed: int, n: list) -> None:
    first = simulate_proportions(mu, tau, n, 20, seed)
    again = simulate_proportions(mu, tau, n, 20, seed)
    other = simulate_proportions(mu, tau, n, 20, seed + 1)
    np.testing.assert_array_equal(first.events, again.events)
    np.testing.assert_array_equal(first.new_study_proportion, again.new_study_proportion)
    assert first.events.shape == (20, len(n))
    assert np.all((first.events >= 0) & (first.events <= np.asarray(n)))
    assert not (
        np.array_equal(first.events, other.events)
        and np.array_equal(first.new_study_proportion, other.new_study_proportion)
    )


@given(c=st.floats(0, 1), r=st.integers(1, 10**7))
def test_monte_carlo_error_is_the_binomial_standard_error(c: float, r: int) -> None:
    assert SAME_ARITHMETIC.isclose(monte_carlo_error(c, r), math.sqrt(c * (1 - c) / r))


@given(mu=st.floats(-4, 4), tau=st.floats(0, 3))
def test_mean_proportion_is_expit_mu_at_tau_zero_and_mirrors(mu: float, tau: float) -> None:
    assert CLOSED_FORM_IDENTITY.isclose(mean_proportion(mu, 0.0), float(special.expit(mu)))
    assert CLOSED_FORM_IDENTITY.isclose(mean_proportion(mu, tau) + mean_proportion(-mu, tau), 1)


@SIMULATION_EXAMPLES
@given(mu=st.floats(-1.5, 1.5), seed=st.integers(0, 2**32))
def test_logit_intervals_cover_95_percent_without_heterogeneity_and_large_studies(
    mu: float, seed: int
) -> None:
    """With tau = 0 and 2,000 patients per study the logits are nearly normal with known
    variances, so the common-effect normal interval covers 95% (within COVERAGE_MC_ERRORS
    Monte-Carlo errors either way); DerSimonian–Laird's tau², truncated at 0 and so positive on
    average, only widens it: at least 95%."""
    replicates, level = 4000, 0.95
    draws = simulate_proportions(mu, 0.0, [2000] * 8, replicates, seed)
    yi, vi = transformed_proportions(draws.events, np.broadcast_to(draws.n, draws.events.shape))
    fit = pool_batch(yi, vi, "FE")
    covered = interval_coverage(
        special.expit(fit.ci_low), special.expit(fit.ci_high), draws.typical_proportion
    )
    assert abs(covered.coverage - level) <= COVERAGE_MC_ERRORS * covered.mc_error
    dl = pool_batch(yi, vi, "DL")
    covered = interval_coverage(
        special.expit(dl.ci_low), special.expit(dl.ci_high), draws.typical_proportion
    )
    assert covered.coverage >= level - COVERAGE_MC_ERRORS * covered.mc_error


def test_a_missing_interval_counts_as_not_covering() -> None:
    result = interval_coverage([0.1, 0.2, np.nan, 0.6], [0.5, 0.4, np.nan, 0.9], 0.3)
    assert (result.coverage, result.no_interval, result.replicates) == (0.5, 1, 4)
    assert CLOSED_FORM_IDENTITY.isclose(result.median_width, 0.3)
    per_replicate = interval_coverage([0.1, 0.2], [0.5, 0.4], [0.45, 0.45])
    assert per_replicate.coverage == 0.5


@given(
    data=st.lists(
        st.lists(st.tuples(st.integers(1, 60), st.floats(0, 1)), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    ),
    measure=st.sampled_from(["PLO", "PFT", "PR"]),
    to=st.sampled_from(["only0", "all", "if0all"]),
)
def test_transformed_proportions_equal_escalc_row_by_row(data, measure: str, to: str) -> None:
    n = np.array([[size for size, _ in row] for row in data], dtype=float)
    events = np.array([[round(size * share) for size, share in row] for row in data], dtype=float)
    yi, vi = transformed_proportions(events, n, measure, to=to)
    for row in range(len(data)):
        es = proportion_effect_sizes(events[row], n[row], measure, to=to)
        np.testing.assert_array_equal(yi[row], es.yi)
        np.testing.assert_array_equal(vi[row], es.vi)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate_proportions(0.0, -1.0, [10, 10], 5, 1), "tau = -1 must be >= 0"),
        (lambda: simulate_proportions(np.nan, 1.0, [10, 10], 5, 1), "mu = nan must be finite"),
        (lambda: simulate_proportions(0.0, 1.0, [10, 0.5], 5, 1), "n[1] = 0.5 must be a whole"),
        (lambda: simulate_proportions(0.0, 1.0, [10], 5, 1), "needs at least 2"),
        (lambda: simulate_proportions(0.0, 1.0, [10, 10], 0, 1), "replicates = 0 must be"),
        (lambda: simulate_proportions(0.0, 1.0, [10, 10], 5, 1.5), "seed = 1.5 must be a whole"),
        (lambda: monte_carlo_error(1.5, 10), "coverage = 1.5 must be between 0 and 1"),
        (lambda: monte_carlo_error(0.5, 0), "replicates = 0 must be >= 1"),
        (lambda: interval_coverage([0.1], [0.2, 0.3], 0.1), "low has 1 values but high has 2"),
        (lambda: interval_coverage([0.3], [0.2], 0.1), "low[0] = 0.3 is above high[0] = 0.2"),
        (lambda: interval_coverage([0.1], [0.2], np.inf), "target = inf must be finite"),
        (lambda: interval_coverage([0.1], [np.inf], 0.1), "high[0] = inf must be finite or NaN"),
        (
            lambda: transformed_proportions([[1, 2]], [[4, 1]]),
            "transformed_proportions (row 0): events[1] = 2 is outside",
        ),
        (lambda: transformed_proportions([[1, 2]], [4, 4]), "events has shape (1, 2) but n"),
        (
            lambda: transformed_proportions([[0, 2]], [[4, 4]], add=0, to="none"),
            "events[0, 0] = 0 of n[0, 0] = 4 has an infinite logit",
        ),
    ],
)
def test_bad_input_is_one_line(call, message: str) -> None:
    with pytest.raises(InputError) as raised:
        call()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
