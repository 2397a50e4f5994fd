"""The exact null distribution of Kendall's score, for the exact p-value of `begg`.

Without ties, the number of discordant pairs among ``n`` pairs in random order is distributed
as the number of inversions of a random permutation of ``n`` items: its counts are the
Mahonian numbers, the coefficients of ``prod_{j=1}^{n} (1 + x + ... + x^{j-1})`` (Kendall 1970,
ch. 5). Multiplying by ``1 + x + ... + x^{j-1}`` replaces each coefficient by the sum of a
window of ``j`` of the previous ones, a cumulative sum and a difference: O(n) passes over an
array of at most ``n (n - 1) / 4`` coefficients, each a vectorised numpy operation. Only the
lower tail up to the observed count is needed (the distribution is symmetric), and only the
coefficients a product of the first ``j`` factors can reach.
"""

import math

import numpy as np

from analysis.metaanalysis.errors import InputError

RESCALE_ABOVE = 1e200
"""The coefficients are counts of permutations, and ``n!`` overflows a float from n = 171 on
(counts beyond 2**53 are not exact either): they are kept as probabilities times a factor,
divided by their total whenever it exceeds this bound, so they never overflow."""


def kendall_exact_p_value(n: int, score: int) -> float:
    """Two-sided exact p-value of Kendall's score ``S`` for ``n`` pairs without ties.

    ``S`` is the number of concordant minus discordant pairs. The p-value is twice the smaller
    tail of the null distribution of ``S``, at most 1: what R's ``cor.test(method =
    "kendall", exact = TRUE)`` and ``scipy.stats.kendalltau(method="exact")`` report.

    The distribution is computed by the product of the generating polynomials
    ``1 + x + ... + x^{j-1}``, j = 2 … n, truncated at the observed number of discordant pairs
    ``c = (n (n - 1) / 2 - |S|) / 2``: O(n c) operations in numpy (k = 800 in a fraction of a
    second). The coefficients are held as probabilities (counts divided by the running total,
    rescaled lazily, see `RESCALE_ABOVE`), not as exact integers: they would exceed 2**53 from
    small n on. The result agrees with the exact integer computation to about ``n`` roundings
    (relative 1e-13 at n = 800); a tail probability below the smallest float (about 1e-308)
    is 0.

    Parameters
    ----------
    n : int
        Number of pairs (>= 2).
    score : int
        Kendall's score S, with ``|S| <= n (n - 1) / 2`` and the parity of ``n (n - 1) / 2``.

    Returns
    -------
    float

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for ``n`` below 2 or a score that ``n`` pairs cannot have.

    References
    ----------
    Kendall MG. Rank correlation methods. 4th ed. London: Griffin; 1970.

    Examples
    --------
    Eight pairs with S = -4 (tau = -1/7): metafor's ``ranktest`` gives p = 0.7195.

    >>> round(kendall_exact_p_value(8, -4), 4)
    0.7195
    """
    pairs = n * (n - 1) // 2 if isinstance(n, int) else 0
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise InputError(f"kendall_exact_p_value: n = {n!r} must be a whole number >= 2")
    if not isinstance(score, int) or abs(score) > pairs or (pairs - score) % 2:
        raise InputError(
            f"kendall_exact_p_value: score = {score!r} is not a Kendall score of {n} pairs "
            f"(a whole number in [-{pairs}, {pairs}] of the parity of {pairs})"
        )
    if score == 0:  # the middle of a symmetric distribution: each tail holds at least half
        return 1.0
    discordant = (pairs - abs(score)) // 2  # of the smaller tail
    width_needed = discordant + 1
    tail = np.zeros(width_needed)
    cumulative = np.empty(width_needed)
    tail[0] = 1.0  # one item: no inversion
    mass = 1.0  # sum of the untruncated coefficients, in the units of `tail`
    for j in range(2, n + 1):
        width = min(width_needed, j * (j - 1) // 2 + 1)
        np.cumsum(tail[:width], out=cumulative[:width])
        tail[:j] = cumulative[:j] if j < width else cumulative[:width]
        if j < width:
            np.subtract(cumulative[j:width], cumulative[: width - j], out=tail[j:width])
        mass *= j
        if mass > RESCALE_ABOVE:
            tail[:width] /= mass
            mass = 1.0
    lower = math.fsum(tail.tolist()) / mass
    return min(1.0, 2.0 * lower)
