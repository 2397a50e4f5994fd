"""The exact p-value of Kendall's score behind `begg` (issue 14, item 3).

Checked against the exact integer computation (Mahonian numbers in Python integers, the
p-value as a fraction rounded once), against scipy's exact routine (what `begg` called until
issue 14) for every score at n <= 40 and on random data up to n = 100, and through `begg`
against metafor in test_bias_metafor.py.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from analysis.metaanalysis import InputError, begg
from analysis.metaanalysis.kendall import kendall_exact_p_value
from tests.tolerances import KENDALL_EXACT_RECURRENCE


def exact_p_value(n: int, score: int) -> float:
    """Twice the smaller tail of the number of inversions, from integer counts; at most 1."""
    smaller = (n * (n - 1) // 2 - abs(score)) // 2
    counts = [1] + [0] * smaller
    for j in range(2, n + 1):
        prefix = list(itertools.accumulate(counts))
        counts = [prefix[i] - (prefix[i - j] if i >= j else 0) for i in range(smaller + 1)]
    return float(min(Fraction(1), Fraction(2 * sum(counts), math.factorial(n))))


def scipy_p_value(n: int, score: int) -> float:
    """scipy's exact p-value for a permutation of n items with Kendall score ``score``."""
    inversions = (n * (n - 1) // 2 - score) // 2
    order = _permutation_with_inversions(n, inversions)
    return float(stats.kendalltau(np.arange(n), order, method="exact").pvalue)


def _permutation_with_inversions(n: int, inversions: int) -> list[int]:
    """A permutation of range(n) with exactly ``inversions`` inversions (Lehmer code)."""
    remaining, code = inversions, []
    for position in range(n):
        step = min(remaining, n - 1 - position)
        code.append(step)
        remaining -= step
    items, order = list(range(n)), []
    for step in code:
        order.append(items.pop(step))
    return order


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 13, 21, 34, 60, 100])
def test_equals_the_exact_integer_computation(n: int) -> None:
    pairs = n * (n - 1) // 2
    scores = sorted({pairs, pairs - 2, pairs - 4, pairs // 3, 2, 0, -2, -pairs // 2, -pairs})
    for score in (s for s in scores if abs(s) <= pairs and (pairs - s) % 2 == 0):
        KENDALL_EXACT_RECURRENCE.assert_allclose(
            kendall_exact_p_value(n, score), exact_p_value(n, score), err_msg=f"n={n} S={score}"
        )


@pytest.mark.parametrize("n", [3, 4, 7, 12, 25, 40])
def test_equals_scipys_exact_routine_for_every_score(n: int) -> None:
    pairs = n * (n - 1) // 2
    for score in range(-pairs, pairs + 1, 2):
        KENDALL_EXACT_RECURRENCE.assert_allclose(
            kendall_exact_p_value(n, score), scipy_p_value(n, score), err_msg=f"n={n} S={score}"
        )


@pytest.mark.parametrize("k", [3, 10, 35, 60, 100])
def test_begg_gives_scipys_exact_p_value(k: int) -> None:
    rng = np.random.default_rng(k)
    vi = rng.uniform(0.01, 0.5, k)
    yi = rng.normal(0.3, np.sqrt(vi + 0.05)) + 0.5 * np.sqrt(vi) * (k % 2)
    result = begg(yi, vi)
    assert result.exact
    expected = stats.kendalltau(*_begg_pairs(yi, vi), method="exact").pvalue
    KENDALL_EXACT_RECURRENCE.assert_allclose(result.p_value, expected)


@pytest.mark.parametrize(
    ("n", "score", "message"),
    [
        (1, 0, "n = 1 must be a whole number >= 2"),
        (5, 11, "score = 11 is not a Kendall score of 5 pairs"),
        (5, 3, "score = 3 is not a Kendall score of 5 pairs"),
    ],
)
def test_an_impossible_score_is_named(n: int, score: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        kendall_exact_p_value(n, score)


def _begg_pairs(yi: np.ndarray, vi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Begg's standardized deviates and the variances, as metafor's ranktest pairs them."""
    w = 1 / vi
    theta = (w * yi).sum() / w.sum()
    return (yi - theta) / np.sqrt(vi - 1 / w.sum()), vi
