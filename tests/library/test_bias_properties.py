"""Invariants of `egger`, `begg` and `trim_and_fill` that hold for any data (hypothesis).

Tolerances (tests/tolerances.py): ``BIAS_INVARIANT``, relative 1e-7 (absolute 1e-9 times the
scale of the numbers), where two computations agree exactly in real arithmetic but are
evaluated in a different order: Egger's regression of y/se on 1/se is ill-conditioned when the
variances are nearly equal (its two columns are then almost collinear; hypothesis found
intercepts in the thousands), so rounding can reach 1e-9.

The effects are drawn so that no two studies nearly tie and no deviation is nearly mirrored
(each effect carries a distinct irrational offset): the rank-based methods break ties by order
of appearance, so with ties a reordering or a sign flip could legitimately change their result.
"""

import itertools
import math
import random

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.metaanalysis.bias import TrimFillResult, begg, egger, trim_and_fill
from analysis.metaanalysis.errors import ConvergenceError
from analysis.metaanalysis.pooling import pool
from tests.library.answers import extreme_studies, finite_or_one_line
from tests.tolerances import BIAS_INVARIANT, CLOSED_FORM_IDENTITY

# Found by hypothesis (issue 11): k0 of L0 alternates 1, 0, 1, ... in every order of these four
# studies, in metafor's trimfill as here (tests/reference/metafor_bias.R): no convergence.
OSCILLATING = (
    np.array([-1.57858579, 0.00173205, -1.58776393, -1.51735425]),
    np.array([0.004, 0.3880001, 0.0020002, 0.0010003]),
)

# Found by hypothesis with the funnels below: with side="right", k0 does not settle either (nor
# in metafor's trimfill); with side="left" both give k0 = 0.
OSCILLATING_RIGHT = (
    np.array([0.9014142135623732, 0.0017320508075688772, -0.00776393202250021,
              -0.01735424868893541, -0.8466833752096445, 0.6636055512754641]),
    np.array([0.194, 0.0020001, 0.0020002, 0.0030003, 0.0010004, 0.0790005]),
)  # fmt: skip


def trim_fill_or_error(*args, **kwargs) -> TrimFillResult | str:
    """The result of `trim_and_fill`, or the message of its ConvergenceError: trim and fill
    need not converge (see its Notes), and then must fail alike for equivalent data."""
    try:
        return trim_and_fill(*args, **kwargs)
    except ConvergenceError as error:
        return str(error).split(" (its last values")[0]


@st.composite
def funnels(draw: st.DrawFn, min_k: int = 3, max_k: int = 20) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(min_value=min_k, max_value=max_k))
    base = draw(st.lists(st.integers(-300, 300), min_size=k, max_size=k))
    # Distinct square roots of primes keep every effect, and every sum of two, distinct.
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71]
    yi = np.array([b / 100 + math.sqrt(p) / 1000 for b, p in zip(base, primes, strict=False)])
    vi = np.array(draw(st.lists(st.integers(1, 2000), min_size=k, max_size=k)), float) / 1000
    vi = vi + np.arange(k) * 1e-7  # distinct variances
    return yi, vi


def close(a: float, b: float, scale: float = 1.0) -> bool:
    return BIAS_INVARIANT.isclose(a, b, max(1.0, scale))


@given(funnels())
def test_egger_intercept_changes_sign_with_the_effects(data: tuple) -> None:
    yi, vi = data
    a, b = egger(yi, vi), egger(-yi, vi)
    assert close(b.intercept, -a.intercept, abs(a.intercept))
    assert close(b.slope, -a.slope, abs(a.slope))
    assert close(b.se, a.se, a.se)
    assert close(b.p_value, a.p_value)


@given(funnels(), st.floats(-5, 5))
def test_egger_intercept_ignores_a_shift_of_all_effects(data: tuple, shift: float) -> None:
    """yi + c: the standardized effects gain c * precision, so only the slope moves (by c)."""
    yi, vi = data
    a, b = egger(yi, vi), egger(yi + shift, vi)
    scale = max(abs(a.intercept), a.se, abs(shift) * float(np.max(1 / np.sqrt(vi))))
    assert close(b.intercept, a.intercept, scale)
    assert close(b.slope, a.slope + shift, scale)


@given(funnels(), st.floats(0.01, 100))
def test_egger_intercept_ignores_the_unit_of_the_effects(data: tuple, factor: float) -> None:
    """Effects in other units (yi * s, vi * s²): same standardized effects, same test."""
    yi, vi = data
    a, b = egger(yi, vi), egger(yi * factor, vi * factor**2)
    assert close(b.intercept, a.intercept, abs(a.intercept) + a.se)
    assert close(b.t, a.t, abs(a.t))
    assert close(b.slope, a.slope * factor, abs(a.slope * factor) + a.slope_se * factor)


@example(OSCILLATING, random.Random(0))
@given(funnels(), st.randoms(use_true_random=False))
def test_order_of_studies_does_not_matter(data: tuple, rng) -> None:
    yi, vi = data
    order = list(range(len(yi)))
    rng.shuffle(order)
    assert close(egger(yi[order], vi[order]).p_value, egger(yi, vi).p_value)
    assert begg(yi[order], vi[order]) == begg(yi, vi)
    a, b = trim_fill_or_error(yi, vi), trim_fill_or_error(yi[order], vi[order])
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert (a.k0, a.side) == (b.k0, b.side)
    assert close(a.pooled.estimate, b.pooled.estimate, 10)
    assert sorted(a.filled_yi) == sorted(b.filled_yi) or BIAS_INVARIANT.allclose(
        sorted(a.filled_yi), sorted(b.filled_yi)
    )


@given(funnels())
def test_begg_tau_changes_sign_with_the_effects(data: tuple) -> None:
    yi, vi = data
    a, b = begg(yi, vi), begg(-yi, vi)
    assert b.score == -a.score
    assert close(b.tau, -a.tau)
    assert close(b.p_value, a.p_value)
    assert -1 <= a.tau <= 1 and 0 <= a.p_value <= 1


@given(funnels(max_k=7))
def test_begg_exact_p_value_counts_the_permutations(data: tuple) -> None:
    """The exact p-value is the share of the k! pairings of deviates and variances whose
    Kendall score is at least as extreme (two-sided), counted here by brute force."""
    yi, vi = data
    result = begg(yi, vi)
    w = 1 / vi
    deviates = (yi - (w * yi).sum() / w.sum()) / np.sqrt(vi - 1 / w.sum())
    i, j = np.triu_indices(len(yi), 1)
    sign_d = np.sign(deviates[i] - deviates[j])
    scores = [
        int((sign_d * np.sign(vi[list(p)][i] - vi[list(p)][j])).sum())
        for p in itertools.permutations(range(len(yi)))
    ]
    extreme = sum(abs(s) >= abs(result.score) for s in scores)
    assert result.exact
    assert CLOSED_FORM_IDENTITY.isclose(result.p_value, extreme / len(scores))


@example(OSCILLATING, "L0", "right")
@example(OSCILLATING_RIGHT, "L0", "right")
@example(OSCILLATING_RIGHT, "L0", "left")
@given(funnels(), st.sampled_from(["L0", "R0"]), st.sampled_from(["left", "right"]))
def test_trim_and_fill_mirrors_with_the_effects(data: tuple, estimator: str, side: str) -> None:
    """Negating every effect and the side negates the filled studies and the estimate (or
    both do not converge)."""
    yi, vi = data
    other = "right" if side == "left" else "left"
    a = trim_fill_or_error(yi, vi, estimator, side)
    b = trim_fill_or_error(-yi, vi, estimator, other)
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert a.k0 == b.k0 and b.side == other
    BIAS_INVARIANT.assert_allclose(b.filled_yi, [-y for y in a.filled_yi])
    assert close(b.pooled.estimate, -a.pooled.estimate, 10)


@example(OSCILLATING, "L0")
@given(funnels(), st.sampled_from(["L0", "R0"]))
def test_trim_and_fill_choice_of_side_follows_the_effects(data: tuple, estimator: str) -> None:
    yi, vi = data
    a, b = trim_fill_or_error(yi, vi, estimator), trim_fill_or_error(-yi, vi, estimator)
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert {a.side, b.side} == {"left", "right"}
    assert a.k0 == b.k0


@given(funnels(), st.sampled_from(["L0", "R0"]), st.sampled_from(["DL", "FE"]))
def test_trim_and_fill_fills_fewer_studies_than_it_has(data, estimator, method) -> None:
    yi, vi = data
    result = trim_fill_or_error(yi, vi, estimator, method=method)
    if isinstance(result, str):
        return
    assert 0 <= result.k0 < len(yi)
    assert result.pooled.k == len(yi) + result.k0
    if result.k0 == 0:
        assert result.pooled == pool(yi, vi, method)


@st.composite
def symmetric_funnels(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of studies mirrored about a centre, each pair with its own variance."""
    pairs = draw(st.integers(min_value=2, max_value=10))
    centre = draw(st.integers(-100, 100)) / 50
    spread = draw(st.lists(st.integers(1, 500), min_size=pairs, max_size=pairs, unique=True))
    variances = draw(st.lists(st.integers(1, 1000), min_size=pairs, max_size=pairs, unique=True))
    d = np.array(spread) / 100
    v = np.array(variances) / 1000
    middle = draw(st.booleans())  # optionally a study exactly at the centre
    yi = np.concatenate([centre + d, centre - d, [centre] if middle else []])
    vi = np.concatenate([v, v, [draw(st.integers(1, 1000)) / 1000] if middle else []])
    order = draw(st.permutations(range(len(yi))))
    return yi[list(order)], vi[list(order)]


@given(
    symmetric_funnels(), st.sampled_from(["left", "right", None]), st.sampled_from(["DL", "FE"])
)
def test_r0_fills_nothing_in_a_symmetric_funnel(data: tuple, side, method: str) -> None:
    """R0 counts the run of positive deviations at the top of the ranking; a mirrored funnel
    alternates signs there whichever way ties are broken. (L0 does not have this property with
    metafor's tie-breaking: see the Notes of `trim_and_fill`.)"""
    yi, vi = data
    result = trim_and_fill(yi, vi, "R0", side, method)
    assert result.k0 == 0
    assert result.filled_yi == ()


# --- extreme inputs: finite numbers or one line of ours (issue 11) --------------------------


@given(extreme_studies(min_k=2, max_k=6), st.sampled_from(["exact", "normal"]), st.booleans())
def test_egger_and_begg_answer_extreme_data_with_finite_numbers_or_one_line(
    data: tuple, method: str, continuity: bool
) -> None:
    """Magnitudes from 1e-300 to 1e300, ties, equal variances, k = 2 to 6."""
    finite_or_one_line(lambda: egger(*data))
    finite_or_one_line(lambda: begg(*data, method=method, continuity=continuity))


@given(
    extreme_studies(min_k=2, max_k=6),
    st.sampled_from(["L0", "R0"]),
    st.sampled_from(["left", "right", None]),
    st.sampled_from(["DL", "FE", "REML", "PM"]),
)
def test_trim_and_fill_answers_extreme_data_with_finite_numbers_or_one_line(
    data: tuple, estimator: str, side, method: str
) -> None:
    finite_or_one_line(lambda: trim_and_fill(*data, estimator, side, method))
