"""Invariants of the models for proportions, checked with hypothesis on random event counts.

Tolerances: 1e-12 (relative or absolute as stated) for closed-form identities; 1e-6 for the
GLMM, whose estimates come from an optimizer that stops at a gradient of about 1e-9 (two fits
of the same likelihood from a different order of the terms agree far better than that).
"""

import math

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from analysis import glmm_proportions, pool_proportions, proportion_effect_sizes
from analysis.metaanalysis import binomial_interval
from analysis.metaanalysis.checks import MAX_LEVEL
from analysis.metaanalysis.glmm import binomial_normal_loglik
from analysis.metaanalysis.proportions import inverse_freeman_tukey, inverse_logit
from tests.library.answers import finite_or_one_line
from tests.tolerances import (
    CLOSED_FORM_IDENTITY,
    FREEMAN_TUKEY_ROUND_TRIP,
    GLMM_INVARIANT_ESTIMATES,
    GLMM_INVARIANT_LOGLIK,
    GLMM_INVARIANT_PROPORTION,
    GLMM_INVARIANT_SE,
    GLMM_MAXIMUM_NOT_LOWER,
    POOL_INVARIANT,
    PROPORTION_MIRROR,
    SAME_ARITHMETIC,
)


@st.composite
def counts(draw: st.DrawFn, min_k: int = 2, max_k: int = 12, max_n: int = 80) -> tuple:
    """Event counts and study sizes; some studies with 0 or all events."""
    k = draw(st.integers(min_value=min_k, max_value=max_k))
    n = draw(st.lists(st.integers(min_value=1, max_value=max_n), min_size=k, max_size=k))
    x = [draw(st.integers(min_value=0, max_value=ni)) for ni in n]
    return x, n


# A GLMM fit takes 20-60 ms: these properties take a quarter of the profile's examples (12 in
# make test, 25 in CI, 500 in make fuzz).
GLMM_EXAMPLES = settings(max_examples=settings.default.max_examples // 4)


def informative(x: list, n: list) -> bool:
    """At least one study with 0 < x < n: the GLMM likelihood then has a finite maximum."""
    return any(0 < xi < ni for xi, ni in zip(x, n, strict=True))


@given(counts())
def test_logit_then_inverse_logit_is_the_identity(data: tuple) -> None:
    x, n = data
    es = proportion_effect_sizes(x, n, "PLO", to="only0")
    p = np.asarray(inverse_logit(es.yi))
    for pi, xi, ni in zip(p, x, n, strict=True):
        expected = xi / ni if 0 < xi < ni else (xi + 0.5) / (ni + 1)  # corrected studies
        assert CLOSED_FORM_IDENTITY.isclose(pi, expected)


@given(counts())
def test_freeman_tukey_then_its_inverse_is_the_identity(data: tuple) -> None:
    """Miller's inverse with the study's own n recovers x / n (to 1e-12 absolute)."""
    x, n = data
    es = proportion_effect_sizes(x, n, "PFT")
    FREEMAN_TUKEY_ROUND_TRIP.assert_allclose(inverse_freeman_tukey(es.yi, n), np.divide(x, n))


@given(counts(), st.sampled_from(["PLO", "PFT", "PR"]), st.sampled_from(["DL", "FE"]))
def test_swapping_events_and_non_events_mirrors_the_pooled_proportion(
    data: tuple, measure: str, method: str
) -> None:
    """p -> 1 - p: every scale is symmetric about 1/2, so the pooled proportion and its limits
    mirror (to 1e-9 absolute)."""
    x, n = data
    a = pool_proportions(x, n, measure, method)
    b = pool_proportions([ni - xi for xi, ni in zip(x, n, strict=True)], n, measure, method)
    assert b.estimate == PROPORTION_MIRROR.approx(1 - a.estimate)
    assert b.ci_low == PROPORTION_MIRROR.approx(1 - a.ci_high)
    assert b.ci_high == PROPORTION_MIRROR.approx(1 - a.ci_low)
    assert b.tau2 == POOL_INVARIANT.approx(a.tau2)


@given(counts(), st.sampled_from(["PLO", "PFT"]), st.sampled_from(["DL", "FE"]))
def test_back_transformed_pool_stays_in_the_unit_interval(
    data: tuple, measure: str, method: str
) -> None:
    result = pool_proportions(*data, measure, method)
    assert 0 <= result.ci_low <= result.estimate <= result.ci_high <= 1
    assert all(
        0 <= lo <= hi <= 1
        for lo, hi in zip(result.study_ci_low, result.study_ci_high, strict=True)
    )


@GLMM_EXAMPLES
@given(counts(), st.randoms(use_true_random=False))
def test_glmm_does_not_depend_on_the_order_of_studies(data: tuple, rng) -> None:
    x, n = data
    assume(informative(x, n))
    order = list(range(len(x)))
    rng.shuffle(order)
    a = glmm_proportions(x, n)
    b = glmm_proportions([x[i] for i in order], [n[i] for i in order])
    assert b.mu == GLMM_INVARIANT_ESTIMATES.approx(a.mu)
    assert b.tau2 == GLMM_INVARIANT_ESTIMATES.approx(a.tau2)
    assert b.se == GLMM_INVARIANT_SE.approx(a.se)
    assert b.loglik == GLMM_INVARIANT_LOGLIK.approx(a.loglik)


@GLMM_EXAMPLES
@given(counts())
def test_glmm_mirrors_when_events_and_non_events_swap(data: tuple) -> None:
    """mu -> -mu, tau2 and se unchanged, the proportion and its limits mirror about 1/2."""
    x, n = data
    assume(informative(x, n))
    a = glmm_proportions(x, n)
    b = glmm_proportions([ni - xi for xi, ni in zip(x, n, strict=True)], n)
    assert b.mu == GLMM_INVARIANT_PROPORTION.approx(-a.mu)
    assert b.tau2 == GLMM_INVARIANT_ESTIMATES.approx(a.tau2)
    assert b.se == GLMM_INVARIANT_SE.approx(a.se)
    assert b.estimate == GLMM_INVARIANT_PROPORTION.approx(1 - a.estimate)
    assert b.ci_low == GLMM_INVARIANT_PROPORTION.approx(1 - a.ci_high)


@GLMM_EXAMPLES
@given(counts())
def test_glmm_result_is_coherent(data: tuple) -> None:
    x, n = data
    assume(informative(x, n))
    result = glmm_proportions(x, n)
    assert result.converged and result.iterations >= 0
    assert result.tau2 >= 0 and result.se > 0
    # On the logit scale the limits are strictly ordered; back on the proportion scale an
    # extreme limit can round to exactly 0 or 1 (e.g. tau2 in the hundreds).
    assert result.mu_ci_low < result.mu < result.mu_ci_high
    assert 0 <= result.ci_low <= result.estimate <= result.ci_high <= 1
    assert result.pi_low <= result.ci_low and result.pi_high >= result.ci_high
    assert result.estimate == SAME_ARITHMETIC.approx(inverse_logit([result.mu])[0])
    # The maximum is at least as high as the boundary: one proportion for all (tau2 = 0).
    p = sum(x) / sum(n)
    boundary = binomial_normal_loglik(x, n, math.log(p / (1 - p)), 0.0)
    assert result.loglik >= boundary - GLMM_MAXIMUM_NOT_LOWER.atol * max(1, abs(boundary))


# --- extreme inputs: finite numbers or one line of ours (issue 11) --------------------------


@st.composite
def extreme_counts(draw: st.DrawFn, min_k: int = 1, max_k: int = 4, max_n: int = 2**60) -> tuple:
    """Counts from 0 to 2**60 (beyond 2**53, floats no longer hold every whole number),
    often 0 or all events, often repeated."""
    k = draw(st.integers(min_value=min_k, max_value=max_k))
    sizes = st.one_of(
        st.integers(1, 10),
        st.integers(1, max_n),
        st.sampled_from([n for n in (2**31, 2**53, 2**53 + 1) if n <= max_n]),
    )
    n = draw(st.lists(sizes, min_size=k, max_size=k))
    x = [draw(st.sampled_from([0, ni, ni // 2, 1 if ni > 1 else 0])) for ni in n]
    return x, n


@given(
    extreme_counts(),
    st.sampled_from(["PLO", "PFT", "PR"]),
    st.sampled_from(["only0", "all", "if0all", "none"]),
    st.sampled_from([None, 0.0, 0.5, 1e-300, 1e300]),
    st.sampled_from(["DL", "FE"]),
)
def test_proportions_answer_extreme_counts_with_finite_numbers_or_one_line(
    data: tuple, measure: str, to: str, add, method: str
) -> None:
    x, n = data
    finite_or_one_line(lambda: proportion_effect_sizes(x, n, measure, add=add, to=to))
    finite_or_one_line(lambda: pool_proportions(x, n, measure, method, add=add, to=to))


@given(extreme_counts(), st.sampled_from(["exact", "wilson"]), st.floats(1e-9, MAX_LEVEL))
# scipy's binomtest gave a lower limit above the upper one here (its root finder's tolerance).
@example(data=([0, 0, 1], [1, 1, 712_046_020_079]), method="exact", level=1e-9)
def test_binomial_interval_answers_extreme_counts_with_finite_numbers_or_one_line(
    data: tuple, method: str, level: float
) -> None:
    result = finite_or_one_line(lambda: binomial_interval(*data, method, level=level))
    if not isinstance(result, Exception):
        pairs = zip(result.ci_low, result.ci_high, strict=True)
        assert all(0 <= low <= high <= 1 for low, high in pairs)


# Studies of 1e15 patients take the optimizer seconds before it gives up (ConvergenceError):
# sizes up to 2**31 here, and a twentieth of the profile's examples (2 in make test, 5 in CI,
# 100 in make fuzz); each takes up to a second.
@settings(max_examples=settings.default.max_examples // 20)
@given(extreme_counts(min_k=2, max_n=2**31))
def test_glmm_answers_extreme_counts_with_finite_numbers_or_one_line(data: tuple) -> None:
    finite_or_one_line(lambda: glmm_proportions(*data))
