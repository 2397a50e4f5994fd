"""Simulated meta-analyses of single proportions, and how often an interval covers its target.

`simulate_proportions` draws many meta-analyses from the binomial–normal model: study ``i``'s
true logit is ``mu + tau z_i`` with ``z_i ~ N(0, 1)``, and its events are
``Binomial(n_i, expit(mu + tau z_i))`` with its size ``n_i`` fixed. `interval_coverage` says
how often a set of intervals, one per simulated meta-analysis, contains the truth, with the
Monte-Carlo error of that share.
"""

from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy import special

from analysis.metaanalysis.checks import as_vector
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult

__all__ = [
    "Coverage",
    "SimulatedProportions",
    "interval_coverage",
    "mean_proportion",
    "monte_carlo_error",
    "simulate_proportions",
]

_WHERE = "simulate_proportions"
_QUADRATURE_POINTS = 64
MAX_REPLICATES = 10_000_000
"""The most meta-analyses one call draws (about 80 MB per study of arrays)."""


@dataclass(frozen=True)
class SimulatedProportions(TidyResult):
    """Meta-analyses drawn by `simulate_proportions`; row ``b`` of each array is one.

    Attributes
    ----------
    mu, tau : float
        The truth: mean and standard deviation of the study logits.
    seed : int
        Seed of the numpy ``Generator`` that drew them.
    n : numpy.ndarray of float, shape (k,)
        Each study's size, the same in every meta-analysis.
    events : numpy.ndarray of float, shape (B, k)
        Events drawn in each study of each meta-analysis.
    new_study_proportion : numpy.ndarray, shape (B,)
        The true proportion of one more study from the same model, drawn for each meta-analysis
        (what a prediction interval should contain).
    """

    mu: float
    tau: float
    seed: int
    n: np.ndarray
    events: np.ndarray
    new_study_proportion: np.ndarray

    @property
    def replicates(self) -> int:
        """Number of meta-analyses drawn (B)."""
        return int(self.events.shape[0])

    @property
    def typical_proportion(self) -> float:
        """``expit(mu)``: the true proportion of a typical (median) study."""
        return float(special.expit(self.mu))

    @property
    def mean_proportion(self) -> float:
        """``E[expit(mu + tau z)]``: the true mean of the studies' proportions."""
        return mean_proportion(self.mu, self.tau)


def simulate_proportions(
    mu: float, tau: float, n: object, replicates: int, seed: int
) -> SimulatedProportions:
    """Draw ``replicates`` meta-analyses of single proportions from the binomial–normal model.

    Parameters
    ----------
    mu : float
        Mean of the true study logits.
    tau : float
        Their standard deviation (``>= 0``): the between-study heterogeneity on the logit scale.
    n : array-like of int
        The studies' sizes (``>= 1``, whole numbers, at least 2 studies).
    replicates : int
        How many meta-analyses to draw (B, 1 to `MAX_REPLICATES`).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same draws.

    Returns
    -------
    SimulatedProportions

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line naming the argument, for a ``mu`` or ``tau`` that is not a finite number (or a
        negative ``tau``), bad sizes, or a ``replicates`` or ``seed`` that is not a whole number
        in range.

    References
    ----------
    Stijnen T, Hamza TH, Özdemir P. Random effects meta-analysis of event outcome in the
    framework of the generalized linear mixed model with applications in sparse data. Stat Med
    2010;29(29):3046-67. doi:10.1002/sim.4040

    Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
    Stat Med 2019;38(11):2074-102. doi:10.1002/sim.8086

    Examples
    --------
    >>> draws = simulate_proportions(0.5, 0.3, [20, 30, 40], replicates=4, seed=1)
    >>> draws.events.shape, round(draws.typical_proportion, 4)
    ((4, 3), 0.6225)
    """
    mu = _finite(mu, "mu")
    tau = _finite(tau, "tau")
    if tau < 0:
        raise InputError(f"{_WHERE}: tau = {tau:g} must be >= 0")
    size = as_vector(n, "n", _WHERE)
    bad = np.flatnonzero((size < 1) | (size != np.round(size)) | (size > 2**31))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{_WHERE}: n[{i}] = {size[i]:g} must be a whole number >= 1")
    if size.size < 2:
        raise InputError(f"{_WHERE}: n has {size.size} study; a meta-analysis needs at least 2")
    replicates = _whole(replicates, "replicates", 1, MAX_REPLICATES)
    seed = _whole(seed, "seed", 0, 2**63 - 1)
    rng = np.random.default_rng(seed)
    logits = mu + tau * rng.standard_normal((replicates, size.size))
    events = rng.binomial(size.astype(np.int64), special.expit(logits)).astype(float)
    new_study = special.expit(mu + tau * rng.standard_normal(replicates))
    return SimulatedProportions(mu, tau, seed, size, events, new_study)


def mean_proportion(mu: float, tau: float) -> float:
    """``E[expit(mu + tau z)]`` with ``z ~ N(0, 1)``, by Gauss–Hermite quadrature.

    The mean of the studies' true proportions, which differs from ``expit(mu)`` (the typical
    study's) when ``tau > 0`` and ``mu != 0``: raw proportions pooled on their own scale
    estimate this mean.

    Examples
    --------
    >>> round(mean_proportion(0.0, 2.0), 12), round(mean_proportion(1.0, 0.0), 6)
    (0.5, 0.731059)
    """
    mu = _finite(mu, "mu", "mean_proportion")
    tau = _finite(tau, "tau", "mean_proportion")
    if tau < 0:
        raise InputError(f"mean_proportion: tau = {tau:g} must be >= 0")
    nodes, weights = hermegauss(_QUADRATURE_POINTS)
    return float(np.sum(weights * special.expit(mu + tau * nodes)) / np.sqrt(2 * np.pi))


@dataclass(frozen=True)
class Coverage(TidyResult):
    """How often a set of intervals contains its target (`interval_coverage`).

    Attributes
    ----------
    replicates : int
        Intervals judged (R), one per simulated meta-analysis.
    no_interval : int
        Of them, those with no interval (a NaN limit: the method gave none); they count as
        not covering.
    coverage : float
        Share of the R intervals that contain the target.
    mc_error : float
        Monte-Carlo standard error of ``coverage``, ``sqrt(c (1 - c) / R)``.
    median_width : float
        Median of ``high - low`` over the intervals that exist (NaN when none does).
    """

    replicates: int
    no_interval: int
    coverage: float
    mc_error: float
    median_width: float


def monte_carlo_error(coverage: float, replicates: int) -> float:
    """Monte-Carlo standard error of a share estimated from ``replicates`` draws.

    ``sqrt(c (1 - c) / R)`` (Morris, White & Crowther 2019, Table 6).

    References
    ----------
    Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
    Stat Med 2019;38(11):2074-102. doi:10.1002/sim.8086

    Examples
    --------
    >>> round(monte_carlo_error(0.95, 10_000), 6)
    0.002179
    """
    c = _finite(coverage, "coverage", "monte_carlo_error")
    if not 0 <= c <= 1:
        raise InputError(f"monte_carlo_error: coverage = {c:g} must be between 0 and 1")
    r = _whole(replicates, "replicates", 1, None, "monte_carlo_error")
    return float(np.sqrt(c * (1 - c) / r))


def interval_coverage(low: object, high: object, target: object) -> Coverage:
    """The share of intervals ``[low, high]`` that contain ``target``, with its MC error.

    Parameters
    ----------
    low, high : array-like of float, shape (R,)
        Each replicate's limits; NaN in a replicate with no interval (it does not cover).
    target : float or array-like of float, shape (R,)
        What each interval should contain: one number (e.g. the true pooled proportion) or one
        per replicate (e.g. a new study's true proportion, for prediction intervals).

    Returns
    -------
    Coverage

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for arrays of different lengths, a target that is not finite, or a
        replicate whose ``low`` is above its ``high``.

    Examples
    --------
    >>> interval_coverage([0.1, 0.2, np.nan, 0.6], [0.5, 0.4, np.nan, 0.9], 0.3).coverage
    0.5
    """
    where = "interval_coverage"
    lows, highs = _limits(low, "low"), _limits(high, "high")
    if lows.shape != highs.shape:
        raise InputError(f"{where}: low has {lows.size} values but high has {highs.size}")
    if np.ndim(target) == 0:
        truth = np.full(lows.shape, _finite(target, "target", where))
    else:
        truth = as_vector(target, "target", where)
    if truth.shape != lows.shape:
        raise InputError(f"{where}: target has {truth.size} values but low has {lows.size}")
    if not np.all(np.isfinite(truth)):
        raise InputError(f"{where}: target must be finite, got {target!r}")
    exists = np.isfinite(lows) & np.isfinite(highs)
    reversed_ = np.flatnonzero(exists & (lows > highs))
    if reversed_.size:
        i = int(reversed_[0])
        raise InputError(f"{where}: low[{i}] = {lows[i]:g} is above high[{i}] = {highs[i]:g}")
    covers = exists & (lows <= truth) & (truth <= highs)
    share = float(np.mean(covers))
    widths = (highs - lows)[exists]
    return Coverage(
        replicates=int(lows.size),
        no_interval=int(np.sum(~exists)),
        coverage=share,
        mc_error=monte_carlo_error(share, lows.size),
        median_width=float(np.median(widths)) if widths.size else float("nan"),
    )


def _limits(values: object, name: str) -> np.ndarray:
    """Interval limits as a 1-D float array; NaN allowed (no interval), infinities not."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"interval_coverage: {name} must be an array of numbers") from None
    if array.ndim != 1 or array.size == 0:
        raise InputError(f"interval_coverage: {name} must be a non-empty 1-D array")
    if np.any(np.isinf(array)):
        i = int(np.flatnonzero(np.isinf(array))[0])
        raise InputError(f"interval_coverage: {name}[{i}] = {array[i]:g} must be finite or NaN")
    return array


def _finite(value: object, name: str, where: str = _WHERE) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise InputError(f"{where}: {name} = {value!r} must be a number")
    if not np.isfinite(value):
        raise InputError(f"{where}: {name} = {value!r} must be finite")
    return float(value)


def _whole(value: object, name: str, low: int, high: int | None, where: str = _WHERE) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"{where}: {name} = {value!r} must be a whole number")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise InputError(f"{where}: {name} = {value!r} must be {bound}")
    return int(value)
