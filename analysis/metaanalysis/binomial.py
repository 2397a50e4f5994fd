"""Confidence intervals for a proportion of events: exact (Clopper–Pearson) and Wilson.

For a rare event counted in a few hundred patients, the Wald interval ``p -/+ 1.96 sqrt(p (1 -
p) / n)`` is too narrow and can fall below zero; these two intervals do not (Brown, Cai &
DasGupta 2001).
"""

from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.checks import (
    as_vector,
    confidence_level,
    event_counts,
    first_non_number,
    one_of,
)
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult

INTERVALS = ("exact", "wilson")
"""Intervals that `binomial_interval` computes."""


@dataclass(frozen=True)
class BinomialIntervals(TidyResult):
    """Confidence intervals for one or more proportions ``events / n``.

    Every field but ``method`` and ``level`` has one value per proportion, in input order.

    Attributes
    ----------
    events : tuple of int
        Number of patients with the event.
    n : tuple of int
        Number of patients.
    proportion : tuple of float
        ``events / n``.
    ci_low, ci_high : tuple of float
        Confidence limits, within [0, 1].
    method : str
        ``"exact"`` (Clopper–Pearson) or ``"wilson"`` (score interval without continuity
        correction).
    level : float
        Confidence level.
    """

    _per_study = True

    events: tuple[int, ...]
    n: tuple[int, ...]
    proportion: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    method: str
    level: float


def binomial_interval(
    events: object, n: object, method: str = "exact", *, level: float = 0.95
) -> BinomialIntervals:
    """Confidence interval for the proportion ``events / n``, for one or several counts.

    Parameters
    ----------
    events : int or array-like of int
        Number of patients with the event (0 to ``n``).
    n : int or array-like of int
        Number of patients (at least 1); a single number applies to every count.
    method : {"exact", "wilson"}
        ``"exact"`` (default): the Clopper–Pearson interval, from quantiles of the beta
        distribution, as R's ``binom.test``; it guarantees at least the nominal coverage and
        is conservative. ``"wilson"``: the score interval without continuity correction, as
        R's ``prop.test(..., correct = FALSE)``; its coverage is close to nominal on average.
    level : float
        Confidence level, default 0.95.

    Returns
    -------
    BinomialIntervals
        Always tuples, also for a single count.

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for counts that are not whole numbers, negative, or larger than ``n``, for
        ``n < 1``, for counts and sizes of different lengths, or for an unknown method.

    Notes
    -----
    Wilson: scipy's ``binomtest(x, n).proportion_ci(level, method="wilson")``; this function
    checks the counts and takes vectors.

    Clopper–Pearson: with ``x`` events of ``n`` and ``a = (1 - level) / 2``, the limits are
    the ``a`` quantile of Beta(x, n - x + 1) (0 if ``x = 0``) and the ``1 - a`` quantile of
    Beta(x + 1, n - x) (1 if ``x = n``), computed as such (``scipy.stats.beta.ppf``).
    ``binomtest(...).proportion_ci(method="exact")`` finds them as roots of the binomial tail
    probabilities to an absolute tolerance of about 1e-12, too coarse for a rare event in a
    large sample (hypothesis found a lower limit above the upper one).

    Wilson: with ``p = x / n`` and ``z`` the ``1 - a`` normal quantile, the limits are
    ``(p + z²/2n -/+ z sqrt(p(1 - p)/n + z²/4n²)) / (1 + z²/n)``; exactly 0 for ``x = 0``
    and 1 for ``x = n``, as in R. scipy's ``"wilson"`` is this interval without continuity
    correction (its ``"wilsoncc"`` is the corrected one).

    References
    ----------
    Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
    of the binomial. Biometrika 1934;26(4):404-13. doi:10.1093/biomet/26.4.404

    Wilson EB. Probable inference, the law of succession, and statistical inference. J Am
    Stat Assoc 1927;22(158):209-12. doi:10.1080/01621459.1927.10502953

    Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion. Stat Sci
    2001;16(2):101-33. doi:10.1214/ss/1009213286

    Examples
    --------
    5 events among 258 patients (R: ``binom.test(5, 258)`` gives
    0.006322 to 0.044644, ``prop.test(5, 258, correct = FALSE)`` 0.008306 to 0.044556):

    >>> exact = binomial_interval(5, 258)
    >>> f"{exact.proportion[0]:.4f} ({exact.ci_low[0]:.6f} to {exact.ci_high[0]:.6f})"
    '0.0194 (0.006322 to 0.044644)'
    >>> wilson = binomial_interval(5, 258, "wilson")
    >>> f"{wilson.ci_low[0]:.6f} to {wilson.ci_high[0]:.6f}"
    '0.008306 to 0.044556'

    Several counts at once:

    >>> [round(x, 3) for x in binomial_interval([4, 1], [33, 5]).ci_high]
    [0.282, 0.716]
    """
    where = "binomial_interval"
    one_of(method, INTERVALS, "method", where)
    level = confidence_level(level, where)
    x = _whole_numbers(events, "events", where)
    size = _whole_numbers(n, "n", where)
    if size.size == 1 and x.size > 1:
        size = np.full(x.shape, size[0])
    if x.size != size.size:
        raise InputError(
            f"{where}: events has {x.size} counts but n has {size.size}; give one n per count "
            "or a single n"
        )
    event_counts(x, size, where)

    if method == "exact":
        low, high = _clopper_pearson(x, size, level)
    else:
        from scipy import stats  # here, not at the top: importing scipy.stats takes a second

        limits = [
            stats.binomtest(int(xi), int(ni)).proportion_ci(confidence_level=level, method=method)
            for xi, ni in zip(x, size, strict=True)
        ]
        low = np.array([ci.low for ci in limits])
        high = np.array([ci.high for ci in limits])
    return BinomialIntervals(
        events=tuple(int(v) for v in x),
        n=tuple(int(v) for v in size),
        proportion=tuple((x / size).tolist()),
        ci_low=tuple(float(v) for v in np.clip(low, 0.0, 1.0)),
        ci_high=tuple(float(v) for v in np.clip(high, 0.0, 1.0)),
        method=method,
        level=level,
    )


def _clopper_pearson(x: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, ...]:
    """Clopper–Pearson limits as beta quantiles (0 below 0 events, 1 above n).

    ``scipy.stats.binomtest(...).proportion_ci(method="exact")`` finds the same limits with a
    root finder whose absolute tolerance (about 1e-12) is coarser than the limits of a rare
    event in a large sample: for 1 event in 7e11 patients at a low level it returns a lower
    limit above the upper one. The beta quantiles are exact to floating point.
    """
    from scipy import stats  # here, not at the top: importing scipy.stats takes a second

    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
        high = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
    return low, high


def _whole_numbers(values: object, name: str, where: str) -> np.ndarray:
    """``values`` (a number or a sequence) as a 1-D float array of whole numbers, or an
    `InputError`; `event_counts` then checks their range."""
    if isinstance(values, str | bytes | bool | np.bool_):
        raise InputError(f"{where}: {name} must be a whole number or numbers, got {values!r}")
    if np.ndim(values) == 0:
        values = [values]
    bad = first_non_number(values)
    if bad is not None:
        if bad[2] == "too large":
            as_vector(values, name, where)  # names the integer that does not fit a float
        raise InputError(f"{where}: {name}[{bad[0]}] = {bad[1]!r} is not a number")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError(
            f"{where}: {name} must be a whole number or numbers, got {values!r}"
        ) from None
    if array.ndim != 1 or array.size == 0:
        raise InputError(f"{where}: {name} must be a number or a flat, non-empty sequence")
    bad = np.flatnonzero(~np.isfinite(array) | (array != np.round(array)))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{where}: {name}[{i}] = {array[i]:g} is not a whole number")
    return array
