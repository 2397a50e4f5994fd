"""Sums of the short arrays of a meta-analysis: correctly rounded, and cheap for a few studies.

numpy's reduction costs about a microsecond or two per call whatever the length of the array,
more than all the arithmetic of 8 studies; an iterative estimator of tau² makes a dozen such
sums per iteration. Below `FSUM_BELOW` values, `total` adds them with `math.fsum` instead:
faster there, and correctly rounded (the exact sum, rounded once), so no less precise than
numpy's pairwise sum. From `FSUM_BELOW` values up, numpy's pairwise sum is the faster.

References
----------
Shewchuk JR. Adaptive precision floating-point arithmetic and fast robust geometric
predicates. Discrete Comput Geom 1997;18(3):305-63. doi:10.1007/PL00009321 (the algorithm
of `math.fsum`)
"""

import math

import numpy as np

FSUM_BELOW = 64
"""Arrays shorter than this are summed by `math.fsum`, longer ones by numpy."""


def total(values: np.ndarray) -> float:
    """The sum of a 1-D float array, as a Python float.

    Examples
    --------
    >>> total(np.array([0.1, 0.2, 0.3])) == 0.6
    True
    """
    if len(values) < FSUM_BELOW:
        return math.fsum(values.tolist())
    return float(np.add.reduce(values))


def total_without(values: np.ndarray, position: int) -> float:
    """The sum of a 1-D float array without the value at ``position``, added up directly.

    Examples
    --------
    >>> total_without(np.array([1e20, 1.0, 2.0]), 0)
    3.0
    """
    if len(values) <= FSUM_BELOW:
        rest = values.tolist()
        del rest[position]
        return math.fsum(rest)
    return float(np.add.reduce(np.concatenate((values[:position], values[position + 1 :]))))
