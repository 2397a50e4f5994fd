"""Heterogeneity: intervals for tau² (Q-profile) and the I² and H² that follow from them."""

import numpy as np
from scipy import optimize

from analysis.metaanalysis.distributions import chi2_quantile
from analysis.metaanalysis.roots import bracket_decreasing
from analysis.metaanalysis.tau2 import (
    MAX_ITERATIONS,
    TOLERANCE,
    generalized_q,
    typical_within_variance,
)

METAFOR_TAU2_MAX_FLOOR = 100.0
METAFOR_TAU2_MAX_FACTOR = 10.0
"""metafor's ``confint(rma(...))`` searches the Q-profile limits in ``[0, tau2.max]`` with the
default ``tau2.max = max(100, 10 tau², 10 tau2.min)`` (tau2.min = 0 by default)."""


def metafor_tau2_ceiling(tau2: float) -> float:
    """The largest Q-profile limit metafor's ``confint`` reports by default for an estimate tau².

    A limit beyond it is printed as ``"> ceiling"`` there; `q_profile_interval` has no ceiling.

    Examples
    --------
    >>> metafor_tau2_ceiling(0.04), metafor_tau2_ceiling(48.0)
    (100.0, 480.0)
    """
    return max(METAFOR_TAU2_MAX_FLOOR, METAFOR_TAU2_MAX_FACTOR * tau2)


def i2_from_tau2(tau2: float, s2: float) -> float:
    """I² in percent: ``100 tau2 / (tau2 + s2)`` with ``s2`` the typical within-study variance."""
    return 100.0 * tau2 / (tau2 + s2)


def h2_from_tau2(tau2: float, s2: float) -> float:
    """H²: ``(tau2 + s2) / s2``."""
    return (tau2 + s2) / s2


def q_profile_interval(
    yi: np.ndarray, vi: np.ndarray, level: float = 0.95, tol: float = TOLERANCE
) -> tuple[float, float]:
    """Q-profile confidence interval for tau² (Viechtbauer 2007).

    The limits are the values of tau² at which the generalised Q statistic equals the upper
    and lower ``(1 - level) / 2`` quantiles of the chi-square distribution with k - 1 degrees
    of freedom. A limit that would be negative is 0 (both are 0 when even tau² = 0 makes Q
    smaller than the lower quantile), as in metafor's ``confint(rma(...), type="QP")``.

    Each limit is the root of the decreasing function ``Q(tau2) - quantile``, bracketed by
    doubling from ``max(var(yi), s²)`` (s² the typical within-study variance) until the
    function is negative, then found by Brent's method: the upper limit has no cap. metafor
    searches ``[0, tau2.max]`` with ``tau2.max = max(100, 10 tau², 10 tau2.min)`` by default and,
    when the root lies beyond it, reports ``tau2.max`` itself as the limit (printed as
    "> 100"); for effects on a scale where tau² can exceed 100 (points of a 0–100 scale, for
    example) the two then differ, and this function gives the root.

    Parameters
    ----------
    yi, vi : numpy.ndarray
        Checked effect sizes and positive variances (k >= 2).
    level : float
        Confidence level.
    tol : float
        Tolerance of the roots, relative to the typical within-study variance (so that the
        limits rescale exactly with the data).

    Returns
    -------
    (low, high) : tuple of float

    References
    ----------
    Viechtbauer W. Confidence intervals for the amount of heterogeneity in meta-analysis.
    Stat Med 2007;26(1):37-52. doi:10.1002/sim.2514
    """
    df = len(yi) - 1
    alpha = 1.0 - level
    upper_quantile = chi2_quantile(1 - alpha / 2, df)
    lower_quantile = chi2_quantile(alpha / 2, df)
    q0 = generalized_q(yi, vi, 0.0)
    if q0 < lower_quantile:
        return 0.0, 0.0
    high = _solve_q(yi, vi, lower_quantile, tol)
    low = 0.0 if q0 < upper_quantile else _solve_q(yi, vi, upper_quantile, tol)
    return low, high


def _solve_q(yi: np.ndarray, vi: np.ndarray, target: float, tol: float) -> float:
    def excess(tau2: float) -> float:
        return generalized_q(yi, vi, tau2) - target

    scale = typical_within_variance(vi)
    upper = bracket_decreasing(
        excess, max(float(np.var(yi)), scale), what="Q-profile limit",
        where="q_profile_interval", max_iter=MAX_ITERATIONS,
    )  # fmt: skip
    return float(
        optimize.brentq(
            excess, 0.0, upper, xtol=tol * scale, rtol=4 * np.finfo(float).eps, maxiter=500
        )
    )


def heterogeneity_intervals(
    yi: np.ndarray, vi: np.ndarray, level: float = 0.95
) -> dict[str, tuple[float, float]]:
    """Q-profile interval for tau² carried to I² (percent) and H², as metafor's ``confint``."""
    low, high = q_profile_interval(yi, vi, level)
    s2 = typical_within_variance(vi)
    return {
        "tau2": (low, high),
        "i2": (i2_from_tau2(low, s2), i2_from_tau2(high, s2)),
        "h2": (h2_from_tau2(low, s2), h2_from_tau2(high, s2)),
    }
