"""Small-study effects and publication bias: Egger's and Begg's tests, and trim and fill.

Each function takes study effect sizes ``yi`` and their sampling variances ``vi`` (any effect
measure: proportions, mean differences, log odds ratios, ...) and returns a frozen dataclass.
The computations follow R's metafor (``regtest``, ``ranktest``, ``trimfill``) step by step; the
test suite checks them against it (tests/reference/metafor_bias.R).
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.metaanalysis.checks import confidence_level, effects_and_variances, one_of
from analysis.metaanalysis.distributions import normal_two_sided_p, t_quantile, t_two_sided_p
from analysis.metaanalysis.errors import ConvergenceError, InputError
from analysis.metaanalysis.kendall import kendall_exact_p_value
from analysis.metaanalysis.pooling import METHODS, PoolResult, pool
from analysis.metaanalysis.results import TidyResult, study_rows
from analysis.metaanalysis.tau2 import sum_of_others

ESTIMATORS = ("L0", "R0")
"""Estimators of the number of missing studies that `trim_and_fill` offers."""

SIDES = ("left", "right")
"""Sides of the funnel on which `trim_and_fill` can fill studies."""

BEGG_METHODS = ("exact", "normal")
"""How `begg` computes its p-value: Kendall's exact null distribution, or the normal one."""

RECOMMENDED_MIN_STUDIES = 10
"""Tests for funnel-plot asymmetry should be used only with at least this many studies: with
fewer, their power is too low to tell chance from real asymmetry (Sterne et al. 2011, BMJ
343:d4002)."""


def _studies(yi: object, vi: object, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Checked effects and positive variances of at least three studies."""
    studies = effects_and_variances(yi, vi, where, min_k=3)
    return studies.yi, studies.vi


@dataclass(frozen=True)
class EggerResult(TidyResult):
    """The result of `egger`: Egger's regression test for funnel-plot asymmetry.

    Attributes
    ----------
    intercept : float
        Intercept of the regression of the standardized effect ``yi / sei`` on the precision
        ``1 / sei``: the measure of asymmetry ("bias" in Stata's ``metabias``). Positive when
        small studies show larger effects than large ones.
    se : float
        Its standard error.
    ci_low, ci_high : float
        Its confidence limits, ``intercept -/+ t(df) * se`` at ``level``.
    t : float
        ``intercept / se``.
    df : int
        Residual degrees of freedom, ``k - 2``.
    p_value : float
        Two-sided p-value of ``t`` on ``df`` degrees of freedom.
    slope, slope_se : float
        Slope of the regression and its standard error: the effect estimated for a study of
        infinite precision (metafor's "limit estimate").
    k : int
        Number of studies.
    level : float
        Confidence level of ``ci_low`` and ``ci_high``.
    """

    intercept: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    p_value: float
    slope: float
    slope_se: float
    k: int
    level: float


def egger(yi: object, vi: object, *, level: float = 0.95) -> EggerResult:
    """Egger's regression test for funnel-plot asymmetry (small-study effects).

    Ordinary least squares of the standardized effect ``yi / sei`` on the precision
    ``1 / sei`` (``sei = sqrt(vi)``), with an intercept; the test is the t-test of the
    intercept on ``k - 2`` degrees of freedom.

    Parameters
    ----------
    yi : array-like of float
        Effect size of each study (at least 3 studies).
    vi : array-like of float
        Its sampling variance (> 0); not all equal.
    level : float
        Confidence level of the interval for the intercept, default 0.95.

    Returns
    -------
    EggerResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for inputs of different lengths, non-finite values, variances that are not
        positive, fewer than 3 studies, variances that are all equal (precision then does not
        vary and the regression is undefined), or studies lying exactly on a line.

    Notes
    -----
    This is the regression of Egger et al. (1997) and of Stata's ``metabias, egger``. R's
    metafor computes it as ``regtest(x, model = "lm", predictor = "sei")``: the weighted least
    squares regression of ``yi`` on ``sei`` with weights ``1 / vi``. Dividing that model,
    ``yi = b0 + b1 sei + e``, by ``sei`` gives ``yi / sei = b1 + b0 / sei + e / sei``, which is
    Egger's regression with intercept ``b1`` and slope ``b0``, and the same residuals; so
    metafor's test of ``sei`` is Egger's test of the intercept (same estimate, standard error,
    t, degrees of freedom and p), and metafor's "limit estimate" is Egger's slope. The test
    suite checks the equality numerically.

    With fewer than about 10 studies the test has little power (Sterne et al. 2011); a
    non-significant result is weak evidence of symmetry.

    References
    ----------
    Egger M, Davey Smith G, Schneider M, Minder C. Bias in meta-analysis detected by a simple,
    graphical test. BMJ 1997;315(7109):629-34. doi:10.1136/bmj.315.7109.629

    Sterne JAC, Sutton AJ, Ioannidis JPA, et al. Recommendations for examining and interpreting
    funnel plot asymmetry in meta-analyses of randomised controlled trials. BMJ
    2011;343:d4002. doi:10.1136/bmj.d4002

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03

    Examples
    --------
    Eight single-arm studies, proportions with their Wald variances; metafor's
    ``regtest(model = "lm")`` gives t = -1.6541, df = 6, p = 0.1492:

    >>> p = [0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67]
    >>> n = [33, 13, 20, 19, 16, 18, 5, 30]
    >>> res = egger(p, [pi * (1 - pi) / ni for pi, ni in zip(p, n)])
    >>> f"intercept {res.intercept:.2f} (SE {res.se:.2f}), t = {res.t:.4f}, p = {res.p_value:.4f}"
    'intercept -3.73 (SE 2.26), t = -1.6541, p = 0.1492'
    """
    where = "egger"
    level = confidence_level(level, where)
    y, v = _studies(yi, vi, where)
    sei = np.sqrt(v)
    if np.ptp(sei) == 0:
        raise InputError(
            f"{where}: all {len(y)} variances are equal ({v[0]:g}), so precision does not "
            "vary and the regression is undefined"
        )
    k = len(y)
    z = y / sei
    precision = 1.0 / sei
    x_mean, z_mean = precision.mean(), z.mean()
    sxx = float(((precision - x_mean) ** 2).sum())
    slope = float(((precision - x_mean) * (z - z_mean)).sum() / sxx)
    intercept = float(z_mean - slope * x_mean)
    residuals = z - intercept - slope * precision
    df = k - 2
    rss = float((residuals**2).sum())
    # A perfect fit, up to rounding (residuals below 1e-12 of the standardized effects).
    if rss <= 1e-24 * float((z**2).sum()):
        raise InputError(
            f"{where}: the {k} standardized effects lie exactly on a line (residual variance "
            "0); the test is undefined"
        )
    sigma2 = rss / df
    se = math.sqrt(sigma2 * (1.0 / k + x_mean**2 / sxx))
    slope_se = math.sqrt(sigma2 / sxx)
    t = intercept / se
    crit = float(t_quantile(0.5 + level / 2, df))
    return EggerResult(
        intercept=intercept,
        se=se,
        ci_low=intercept - crit * se,
        ci_high=intercept + crit * se,
        t=t,
        df=df,
        p_value=float(t_two_sided_p(t, df)),
        slope=slope,
        slope_se=slope_se,
        k=k,
        level=level,
    )


@dataclass(frozen=True)
class BeggResult(TidyResult):
    """The result of `begg`: Begg and Mazumdar's rank correlation test.

    Attributes
    ----------
    tau : float
        Kendall's tau (tau-b, which allows for ties) between the standardized deviates
        ``(yi - mu_FE) / sqrt(vi - 1 / sum(1 / vi))`` and the variances ``vi``.
    score : int
        Kendall's score S: concordant minus discordant pairs.
    z : float
        ``S / sd(S)`` (with the continuity correction ``|S| - 1`` if ``continuity``), the
        variance of S corrected for ties. It is the statistic of the normal approximation and
        is reported whichever ``method`` gives the p-value (Stata prints it).
    p_value : float
        Two-sided p-value, exact or from the normal approximation: see ``exact``.
    exact : bool
        Whether the p-value comes from the exact null distribution of Kendall's statistic.
        ``method="exact"`` falls back to the normal approximation when there are ties, as R
        does.
    ties : bool
        Whether the deviates or the variances have ties.
    continuity : bool
        Whether ``z`` (and a normal-approximation p-value) uses the continuity correction.
    k : int
        Number of studies.
    """

    tau: float
    score: int
    z: float
    p_value: float
    exact: bool
    ties: bool
    continuity: bool
    k: int


def begg(yi: object, vi: object, *, method: str = "exact", continuity: bool = False) -> BeggResult:
    """Begg and Mazumdar's rank correlation test for funnel-plot asymmetry.

    Kendall's tau between each study's standardized deviate from the common-effect estimate
    and its variance; a correlation means that small studies tend to report larger (or
    smaller) effects.

    Parameters
    ----------
    yi : array-like of float
        Effect size of each study (at least 3 studies).
    vi : array-like of float
        Its sampling variance (> 0).
    method : {"exact", "normal"}
        ``"exact"`` (default): the p-value from the exact null distribution of Kendall's
        statistic, as R's metafor (``ranktest``, which calls ``cor.test(..., method =
        "kendall", exact = TRUE)`` and ``scipy.stats.kendalltau(method="exact")``), computed
        by `analysis.metaanalysis.kendall.kendall_exact_p_value` (k = 800 in well under a
        second); with ties in the data the exact distribution does not apply and the normal
        approximation is used, as in R (which warns). ``"normal"``: the normal approximation
        with the variance of Kendall's score corrected for ties, as ``ranktest(..., exact =
        FALSE)``.
    continuity : bool
        Continuity correction of the normal approximation (``|S| - 1``), default False as in
        metafor and R's ``cor.test``.

    Returns
    -------
    BeggResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for inputs of different lengths, non-finite values, variances that are not
        positive, fewer than 3 studies, an unknown method, or effects or variances that are all
        equal (Kendall's tau is then undefined; R's ``cor.test`` returns NA).

    Notes
    -----
    Stata's ``metabias, begg`` (Steichen 1998, the command of the Stata 12 era)
    uses the normal approximation only, with the tie-corrected variance of Kendall's score,
    and prints the z and p-value both without and with the continuity correction: those are
    ``begg(yi, vi, method="normal")`` and ``begg(yi, vi, method="normal",
    continuity=True)``. For fewer than about 50 studies without ties the three p-values
    differ; metafor's exact one is the default here.

    The test has less power than Egger's (Egger et al. 1997); with few studies it can detect
    only extreme asymmetry (Begg & Mazumdar 1994; Sterne et al. 2011).

    References
    ----------
    Begg CB, Mazumdar M. Operating characteristics of a rank correlation test for publication
    bias. Biometrics 1994;50(4):1088-101. doi:10.2307/2533446

    Steichen TJ. Tests for publication bias in meta-analysis. Stata Technical Bulletin
    1998;41:9-15 (sbe19).

    Kendall MG. Rank correlation methods. 4th ed. London: Griffin; 1970.

    Egger M, Davey Smith G, Schneider M, Minder C. Bias in meta-analysis detected by a simple,
    graphical test. BMJ 1997;315(7109):629-34. doi:10.1136/bmj.315.7109.629

    Examples
    --------
    The eight studies of `egger`'s example; metafor's ``ranktest`` gives tau = -0.1429, p = 0.7195:

    >>> p = [0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67]
    >>> n = [33, 13, 20, 19, 16, 18, 5, 30]
    >>> vi = [pi * (1 - pi) / ni for pi, ni in zip(p, n)]
    >>> res = begg(p, vi)
    >>> f"tau {res.tau:.4f}, S = {res.score}, exact p = {res.p_value:.4f}"
    'tau -0.1429, S = -4, exact p = 0.7195'

    What Stata's ``metabias`` would print: the normal approximation, without and with the
    continuity correction:

    >>> [round(begg(p, vi, method="normal", continuity=c).p_value, 3) for c in (False, True)]
    [0.621, 0.711]
    """
    where = "begg"
    one_of(method, BEGG_METHODS, "method", where)
    if not isinstance(continuity, bool):
        raise InputError(f"{where}: continuity={continuity!r} must be True or False")
    y, v = _studies(yi, vi, where)
    k = len(y)
    if np.ptp(y) == 0:
        raise InputError(
            f"{where}: all {k} effects are equal ({y[0]:g}), so their deviates tie and "
            "Kendall's tau is undefined"
        )
    if np.ptp(v) == 0:
        raise InputError(
            f"{where}: all {k} variances are equal ({v[0]:g}), so they tie and Kendall's tau "
            "is undefined"
        )
    w = 1.0 / v
    theta = (w * y).sum() / w.sum()
    deviates = (y - theta) / np.sqrt(_deviate_variances(v, w))
    # var_score > 0: it is 0 only when every deviate ties or every variance does. The
    # variances do not (checked above), nor do the deviates: they sum to 0 with positive
    # weights, so they are all equal only when all are 0, that is when the effects are equal.
    score, tau, var_score, ties = _kendall(deviates, v)
    corrected = score
    if continuity and score != 0:
        corrected = score - 1 if score > 0 else score + 1
    z = corrected / math.sqrt(var_score)
    use_exact = method == "exact" and not ties
    if use_exact:
        # R's cor.test(exact = TRUE) doubles the smaller tail of the exact null distribution
        # of the score, capped at 1, as scipy's kendalltau(method="exact") does.
        p_value = kendall_exact_p_value(k, score)
    else:
        p_value = float(normal_two_sided_p(z))
    return BeggResult(
        tau=tau,
        score=score,
        z=float(z),
        p_value=p_value,
        exact=use_exact,
        ties=ties,
        continuity=continuity,
        k=k,
    )


def _deviate_variances(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``v_i - 1 / sum(w)``, the variance of ``y_i - mu_FE``, as ``v_i sum_{j != i} w_j /
    sum(w)``: the same in real arithmetic, and positive even when one weight dominates."""
    return v * (sum_of_others(w) / w.sum())


def _kendall(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float, bool]:
    """Kendall's score S, tau-b, the tie-corrected variance of S, and whether there are ties.

    The variance is that of R's ``cor.test(..., method = "kendall")`` (Kendall 1970, eq. 4.4).
    S gives the exact p-value (`kendall_exact_p_value`) and, with the variance, the z
    statistic that `begg` reports (with or without the continuity correction).
    """
    n = len(x)
    i, j = np.triu_indices(n, 1)
    score = int((np.sign(x[i] - x[j]) * np.sign(y[i] - y[j])).sum())
    x_ties = _tie_sizes(x)
    y_ties = _tie_sizes(y)
    pairs = n * (n - 1) / 2
    tx = (x_ties * (x_ties - 1)).sum() / 2
    ty = (y_ties * (y_ties - 1)).sum() / 2
    tau = score / math.sqrt((pairs - tx) * (pairs - ty))
    v0 = n * (n - 1) * (2 * n + 5)
    vt = (x_ties * (x_ties - 1) * (2 * x_ties + 5)).sum()
    vu = (y_ties * (y_ties - 1) * (2 * y_ties + 5)).sum()
    v1 = (x_ties * (x_ties - 1)).sum() * (y_ties * (y_ties - 1)).sum()
    v2 = (x_ties * (x_ties - 1) * (x_ties - 2)).sum() * (
        y_ties * (y_ties - 1) * (y_ties - 2)
    ).sum()
    var_score = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2))
    ties = bool(x_ties.size or y_ties.size)
    return score, float(tau), float(var_score), ties


def _tie_sizes(values: np.ndarray) -> np.ndarray:
    """Sizes of the groups of equal values that have more than one member."""
    _, counts = np.unique(values, return_counts=True)
    return counts[counts > 1].astype(float)


@dataclass(frozen=True)
class TrimFillResult(TidyResult):
    """The result of `trim_and_fill`.

    Attributes
    ----------
    k0 : int
        Estimated number of studies missing from the funnel (0 if none).
    se_k0 : float
        Standard error of the estimate of ``k0`` (Duval & Tweedie 2000, as metafor reports it).
    p_k0 : float or None
        For the R0 estimator, the p-value of the test that no study is missing
        (``0.5 ** (k0 + 1)``, as metafor); None for L0, which has no such test.
    side : str
        ``"left"`` or ``"right"``: the side of the funnel on which studies were filled.
    estimator : str
        ``"L0"`` or ``"R0"``.
    method : str
        The pooling model used while trimming and after filling (``"DL"`` or ``"FE"``).
    filled_yi, filled_vi : tuple of float
        The filled (imputed) studies: each mirrors one of the ``k0`` most extreme studies on the
        other side about the trimmed estimate, with the same variance. Empty if ``k0 == 0``.
    mirrored : tuple of int
        Positions (0-based, in the input) of the studies that the filled ones mirror, in the
        same order.
    trimmed_estimate : float
        The pooled estimate of the studies left after trimming the ``k0`` most extreme ones:
        the centre about which they are mirrored.
    iterations : int
        Number of trimming iterations until ``k0`` stopped changing.
    pooled : PoolResult
        The model refitted to the observed and the filled studies (observed first, then filled,
        in the order of ``filled_yi``); with ``k0 == 0``, the model of the observed studies.
    """

    _study_index = "filled"

    k0: int
    se_k0: float
    p_k0: float | None
    side: str
    estimator: str
    method: str
    filled_yi: tuple[float, ...]
    filled_vi: tuple[float, ...]
    mirrored: tuple[int, ...]
    trimmed_estimate: float
    iterations: int
    pooled: PoolResult

    def study_frame(self) -> pd.DataFrame:
        """One row per filled study (none if ``k0 == 0``): ``filled_yi``, ``filled_vi`` and
        the position of the study it mirrors. ``to_frame()`` is the one-row summary, with the
        pooled result after filling as the columns ``pooled_<field>``.
        """
        return study_rows(self, with_single_values=False)


def trim_and_fill(
    yi: object,
    vi: object,
    estimator: str = "L0",
    side: str | None = None,
    method: str = "DL",
    *,
    level: float = 0.95,
    max_iterations: int = 100,
) -> TrimFillResult:
    """Duval and Tweedie's trim and fill: estimate and impute studies missing from a funnel.

    Parameters
    ----------
    yi : array-like of float
        Effect size of each study (at least 3 studies).
    vi : array-like of float
        Its sampling variance (> 0).
    estimator : {"L0", "R0"}
        Estimator of the number of missing studies; L0 by default (Duval & Tweedie recommend
        it, and metafor and Stata use it by default).
    side : {"left", "right"} or None
        The side of the funnel on which studies are missing. By default (None) it is chosen as
        metafor does: from the sign of the slope of the regression of ``yi`` on ``sqrt(vi)``
        (with the same model, ``method``) -- if small studies have larger effects the missing
        studies are taken to be on the left, otherwise on the right.
    method : {"DL", "REML", "PM", "FE"}
        The model used to compute the centre of the funnel at each iteration and to pool the
        filled data: by default the DerSimonian–Laird random-effects model of `analysis.pool`.
    level : float
        Confidence level of the pooled result after filling.
    max_iterations : int
        Give up (with a `ConvergenceError`) if ``k0`` has not settled after this many
        iterations; 100 as metafor's ``maxiter``.

    Returns
    -------
    TrimFillResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for bad inputs (see `egger`), an unknown estimator, side or method, equal
        variances with ``side=None`` (the side cannot then be chosen), or an R0 estimate that
        is undefined (no study below the trimmed estimate).
    analysis.metaanalysis.errors.ConvergenceError
        One line, when ``k0`` has not settled after ``max_iterations`` iterations.

    Notes
    -----
    The algorithm, as in metafor's ``trimfill`` (3.8): flip the sign of the effects if studies
    are missing on the right, and sort them. Repeat until ``k0`` no longer changes: pool the
    ``k - k0`` smallest effects (model ``method``); rank the absolute deviations of all ``k``
    effects from that estimate (ties in order of appearance); with ``S`` the sum of the ranks
    of the positive deviations, L0 is ``(4 S - k (k + 1)) / (2 k - 1)``, and R0 is the length
    of the run of positive deviations at the top of the ranking minus one; round to the
    nearest integer (halves to even, as R), at least 0. Then mirror the ``k0`` largest effects
    about the last trimmed estimate and pool everything.

    ``k0`` need not settle: with some funnels it alternates for ever (for example between 0
    and 1, when trimming one study moves the centre just enough to bring it back). metafor
    then stops after ``maxiter = 100`` iterations with the error "Trim and fill algorithm did
    not converge"; this function does the same, raising `ConvergenceError` after
    ``max_iterations`` (default 100) iterations, whatever the order of the studies (they are
    sorted first). It does not pick one of the alternating values: neither is the estimate.

    Trim and fill assumes that the asymmetry of the funnel is due to publication bias; if it
    has another cause (heterogeneity, or effect sizes whose variance depends on the effect,
    such as raw proportions) the filled studies are artefacts.

    Ties in the absolute deviations are ranked in order of appearance, as metafor does. A
    perfectly symmetric funnel has such ties (each study and its mirror image), and which of
    the two counts as the larger deviation is then decided by rounding in the last digit of
    the pooled estimate. If the positive one wins, L0 starts at ``k0 = 1`` and the iterations
    build on it, so L0 can fill studies in a funnel with nothing missing (metafor too: for the
    funnel of four mirrored pairs in tests/reference/metafor_bias.R, ``trimfill(..., side =
    "left")`` fills 3). R0 fills nothing on a symmetric funnel whatever the tie-break.

    References
    ----------
    Duval S, Tweedie R. Trim and fill: a simple funnel-plot-based method of testing and
    adjusting for publication bias in meta-analysis. Biometrics 2000;56(2):455-63.
    doi:10.1111/j.0006-341X.2000.00455.x

    Duval S, Tweedie R. A nonparametric "trim and fill" method of accounting for publication
    bias in meta-analysis. J Am Stat Assoc 2000;95(449):89-98.
    doi:10.1080/01621459.2000.10473905

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03

    Examples
    --------
    Seven single-arm studies, proportions with their Wald variances; metafor's
    ``trimfill`` finds 2 studies missing on the right (SE 1.8254) and a filled estimate of
    0.6573:

    >>> p = [0.54, 0.54, 0.89, 0.60, 0.38, 0.33, 0.67]
    >>> n = [33, 13, 20, 16, 18, 5, 6]
    >>> res = trim_and_fill(p, [pi * (1 - pi) / ni for pi, ni in zip(p, n)])
    >>> res.side, res.k0, round(res.se_k0, 4), [round(y, 3) for y in res.filled_yi]
    ('right', 2, 1.8254, [0.939, 0.989])
    >>> f"{res.pooled.estimate:.4f} (k = {res.pooled.k})"
    '0.6573 (k = 9)'
    """
    where = "trim_and_fill"
    one_of(estimator, ESTIMATORS, "estimator", where)
    one_of(method, METHODS, "method", where)
    if side is not None:
        one_of(side, SIDES, "side", where)
    level = confidence_level(level, where)
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, int):
        raise InputError(f"{where}: max_iterations={max_iterations!r} must be a whole number")
    if max_iterations < 1:
        raise InputError(f"{where}: max_iterations={max_iterations!r} must be at least 1")
    y, v = _studies(yi, vi, where)
    k = len(y)
    if side is None:
        side = "right" if _asymmetry_slope(y, v, method) < 0 else "left"
    flip = -1.0 if side == "right" else 1.0
    order = np.argsort(flip * y, kind="stable")
    ys, vs = flip * y[order], v[order]

    k0, previous, iterations = 0, -1, 0
    se_k0 = 0.0
    seen: list[int] = []
    while k0 != previous:
        previous = k0
        iterations += 1
        if iterations > max_iterations:
            last = ", ".join(str(value) for value in seen[-4:])
            raise ConvergenceError(
                f"{where}: the trim and fill algorithm did not converge: k0 has not settled "
                f"after max_iterations={max_iterations} iterations (its last values: {last}); "
                "metafor's trimfill stops with the same error"
            )
        centre = _centre(ys[: k - k0], vs[: k - k0], method)
        deviations = ys - centre
        ranks = np.empty(k)
        ranks[np.argsort(np.abs(deviations), kind="stable")] = np.arange(1, k + 1)
        signed = np.sign(deviations) * ranks
        if estimator == "R0":
            negative = -signed[signed < 0]
            if negative.size == 0:
                raise InputError(
                    f"{where}: the R0 estimator is undefined here: no study lies below the "
                    "trimmed estimate"
                )
            estimate = k - negative.max() - 1
            se_k0 = math.sqrt(2 * max(0.0, estimate) + 2)
        else:
            s_rank = signed[signed > 0].sum()
            estimate = (4 * s_rank - k * (k + 1)) / (2 * k - 1)
            var_s = (
                k * (k + 1) * (2 * k + 1)
                + 10 * estimate**3
                + 27 * estimate**2
                + 17 * estimate
                - 18 * k * estimate**2
                - 18 * k * estimate
                + 6 * k**2 * estimate
            ) / 24
            se_k0 = 4 * math.sqrt(max(0.0, var_s)) / (2 * k - 1)
        k0 = max(0, int(np.rint(estimate)))
        se_k0 = max(0.0, se_k0)
        seen.append(k0)

    mirrored = order[k - k0 :]
    filled = flip * (2 * centre - ys[k - k0 :])
    filled_v = vs[k - k0 :]
    pooled = pool(
        np.concatenate([y, filled]), np.concatenate([v, filled_v]), method=method, level=level
    )
    return TrimFillResult(
        k0=k0,
        se_k0=float(se_k0),
        p_k0=0.5 ** (k0 + 1) if estimator == "R0" else None,
        side=side,
        estimator=estimator,
        method=method,
        filled_yi=tuple(filled.tolist()),
        filled_vi=tuple(filled_v.tolist()),
        mirrored=tuple(int(i) for i in mirrored),
        trimmed_estimate=float(flip * centre),
        iterations=iterations,
        pooled=pooled,
    )


def _centre(y: np.ndarray, v: np.ndarray, method: str) -> float:
    """Pooled estimate of the studies kept after trimming (a single study is its own)."""
    if len(y) == 1:
        return float(y[0])
    return pool(y, v, method=method).estimate


def _asymmetry_slope(y: np.ndarray, v: np.ndarray, method: str) -> float:
    """Slope of the meta-regression of ``y`` on ``sqrt(v)`` (metafor's rule for the side).

    Weighted least squares with weights ``1 / (v + tau2)``; for ``"DL"``, ``tau2`` is the
    DerSimonian–Laird estimate of the residual heterogeneity of the regression,
    ``max(0, (Q_E - (k - 2)) / tr(P))`` with ``P = W - W X (X' W X)^-1 X' W``, ``W = diag(1/v)``
    (as metafor's ``rma(yi, vi, mods = sqrt(vi), method = "DL")``).
    """
    sei = np.sqrt(v)
    if np.ptp(sei) == 0:
        raise InputError(
            "trim_and_fill: all variances are equal, so the side of the funnel on which studies "
            "are missing cannot be chosen; pass side='left' or side='right'"
        )
    x = np.column_stack([np.ones_like(sei), sei])
    tau2 = 0.0
    if method == "DL":
        w = 1.0 / v
        xtwx_inv = np.linalg.inv(x.T @ (w[:, None] * x))
        p_matrix = np.diag(w) - (w[:, None] * x) @ xtwx_inv @ (x.T * w)
        q_e = float(y @ p_matrix @ y)
        tau2 = max(0.0, (q_e - (len(y) - 2)) / float(np.trace(p_matrix)))
    w = 1.0 / (v + tau2)
    beta = np.linalg.solve(x.T @ (w[:, None] * x), x.T @ (w * y))
    return float(beta[1])
