"""Inverse-variance pooling: the common-effect model and random-effects models.

`pool` fits the common-effect (``"FE"``) model or a random-effects model with tau² estimated by
DerSimonian–Laird (``"DL"``, as Stata's ``metan``), restricted maximum likelihood (``"REML"``)
or Paule–Mandel (``"PM"``); the interval for the pooled effect is a normal (Wald) one or the
Hartung–Knapp–Sidik–Jonkman one. It reports the heterogeneity statistics with their Q-profile
intervals and a prediction interval. Every number is checked against R's metafor.
"""

import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from analysis.metaanalysis import tau2 as tau2_estimators
from analysis.metaanalysis.checks import confidence_level, effects_and_variances, one_of
from analysis.metaanalysis.deferred import Deferred, DeferredField
from analysis.metaanalysis.distributions import (
    chi2_upper_p,
    normal_quantile,
    normal_two_sided_p,
    t_quantile,
    t_two_sided_p,
)
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.heterogeneity import h2_from_tau2, heterogeneity_intervals, i2_from_tau2
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.sums import total

METHODS = ("FE", "DL", "REML", "PM")
"""Models `pool` fits: ``"FE"`` common effect; random effects with tau² by ``"DL"``
(DerSimonian–Laird), ``"REML"`` (restricted maximum likelihood) or ``"PM"`` (Paule–Mandel)."""

CI_METHODS = ("z", "hksj", "hksj-adhoc")
"""Intervals for the pooled effect: ``"z"`` normal (Wald); ``"hksj"`` Hartung–Knapp–Sidik–
Jonkman (t with k - 1 df, variance scaled by the weighted residual variance, untruncated:
metafor's ``test="knha"``, except that a residual sum of squares of 0 gives the factor 1, not
an interval of width 0: see `HKSJ_ZERO_RSS`); ``"hksj-adhoc"`` the same with the scale factor
truncated at 1, so the interval is never narrower than the Wald one (metafor's
``test="adhoc"``)."""

PREDICTION_DISTRIBUTIONS = ("model", "t(k-2)")

HKSJ_ZERO_RSS = float(np.finfo(float).eps)
"""Below this weighted residual sum of squares (every study at the pooled estimate, up to
rounding) the HKSJ scale is taken as 0 by metafor, which then reports an interval of width 0
and p = 0; `pool` uses the scale 1 instead (the truncated, ``"hksj-adhoc"`` value)."""


@dataclass(frozen=True)
class PoolResult(TidyResult):
    """The result of `pool`: pooled estimate, its uncertainty, and heterogeneity.

    Attributes
    ----------
    method : str
        ``"FE"``, ``"DL"``, ``"REML"`` or ``"PM"``.
    ci_method : str
        ``"z"``, ``"hksj"`` or ``"hksj-adhoc"``.
    k : int
        Number of studies pooled (after leaving out any with zero variance).
    estimate, se : float
        Pooled estimate and its standard error (for HKSJ, the rescaled one).
    ci_low, ci_high : float
        Confidence limits of the pooled estimate, ``estimate -/+ crit * se``.
    test : str
        Distribution of the test statistic and interval: ``"z"`` or ``"t"`` (k - 1 df).
    statistic, p_value : float
        Test of ``estimate = 0``: ``estimate / se`` and its two-sided p-value.
    tau2 : float
        Between-study variance (0 for ``"FE"``).
    tau2_ci, i2_ci, h2_ci : (float, float) or None
        Q-profile confidence interval for tau² (Viechtbauer 2007) and the intervals it implies
        for I² and H²; None for the common-effect model. They cost more than all the rest of
        `pool` (two roots of the generalised Q), so they are computed the first time one of
        them is read (`analysis.metaanalysis.deferred.DeferredField`), once for the three.
    q, df, p_q : float, int, float
        Cochran's Q, its degrees of freedom ``k - 1``, and the chi-square p-value.
    i2 : float
        I², percent of the total variability due to heterogeneity, in [0, 100].
    h2 : float
        H², total over within-study variability.
    pi_low, pi_high : float
        Prediction interval for the true effect of a new study, as metafor's ``predict``
        computes it: ``estimate -/+ crit * sqrt(se^2 + tau2)`` with the same ``crit`` as the
        confidence interval (z, or t with k - 1 df for HKSJ). See `prediction_interval` for
        the t with k - 2 df that Higgins, Thompson & Spiegelhalter (2009) propose.
    weights : tuple of float
        Percent weight of each input study, in input order, summing to 100; a study left out
        for zero variance has weight 0 (Stata's "(Excluded)").
    excluded : tuple of int
        Positions (0-based) of the input studies left out because their variance is zero.
    level : float
        Confidence level of the intervals.
    iterations : int
        Iterations of the tau² estimator (0 for closed-form ones).
    """

    method: str
    ci_method: str
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    test: str
    statistic: float
    p_value: float
    tau2: float
    tau2_ci: tuple[float, float] | None = DeferredField()
    q: float
    df: int
    p_q: float
    i2: float
    i2_ci: tuple[float, float] | None = DeferredField()
    h2: float
    h2_ci: tuple[float, float] | None = DeferredField()
    pi_low: float
    pi_high: float
    weights: tuple[float, ...]
    excluded: tuple[int, ...]
    level: float
    iterations: int

    @property
    def tau(self) -> float:
        """Between-study standard deviation, ``sqrt(tau2)``."""
        return float(np.sqrt(self.tau2))

    def study_frame(self) -> pd.DataFrame:
        """One row per input study: its percent weight, and whether it was left out.

        ``to_frame()`` is the one-row summary; this is the per-study part.

        Examples
        --------
        A study with variance 0, left out:

        >>> res = pool([0.2, 0.4, 0.5], [0.01, 0.0, 0.02], "FE", drop_zero_variance=True)
        >>> res.study_frame().round(1).to_dict("list")
        {'weights': [66.7, 0.0, 33.3], 'excluded': [False, True, False]}
        """
        frame = pd.DataFrame({"weights": self.weights})
        frame["excluded"] = frame.index.isin(self.excluded)
        frame.index.name = self._study_index
        return frame


def pool(
    yi: object,
    vi: object,
    method: str = "DL",
    *,
    ci: str = "z",
    level: float = 0.95,
    drop_zero_variance: bool = False,
) -> PoolResult:
    """Pool study effect sizes by inverse-variance weighting.

    Parameters
    ----------
    yi : array-like of float
        Effect size of each study.
    vi : array-like of float
        Sampling variance of each study (> 0).
    method : {"DL", "REML", "PM", "FE"}
        ``"DL"`` (default): random effects with the DerSimonian–Laird tau² (Stata
        ``metan``, option ``random``). ``"REML"``, ``"PM"``: random effects with
        the restricted maximum-likelihood or Paule–Mandel tau² (iterated to an absolute
        tolerance of 1e-12). ``"FE"``: common-effect model.
    ci : {"z", "hksj", "hksj-adhoc"}
        Interval for the pooled effect (see `CI_METHODS`).
    level : float
        Confidence level of all intervals, default 0.95.
    drop_zero_variance : bool
        A study with variance 0 (a raw proportion of 0% or 100%) would get infinite weight.
        By default that is an error. With ``True`` such studies are left out, reported in
        ``excluded`` and given weight 0, which is what Stata's ``metan`` does silently.

    Returns
    -------
    PoolResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        With a one-line message, for inputs of different lengths, values that are not finite
        numbers (booleans and text are not numbers), negative variances, zero variances
        (unless dropped), effects or variances outside the range the arithmetic holds
        (``|yi| <= 1e50``, ``1e-100 <= vi <= 1e100``: see
        `analysis.metaanalysis.checks.VARIANCE_RANGE`), fewer than two studies, a level
        above ``1 - 1e-12``, or an unknown method or interval.
    analysis.metaanalysis.errors.ConvergenceError
        When an iterative tau² estimator does not converge (naming it and its iterations).

    Notes
    -----
    With weights ``w_i = 1 / (v_i + tau2)`` the estimate is ``sum(w_i y_i) / sum(w_i)`` and its
    variance ``1 / sum(w_i)``. ``Q = sum((y_i - mu_FE)^2 / v_i)`` on ``k - 1`` degrees of
    freedom. For random-effects models ``I2 = tau2 / (tau2 + s2)`` and
    ``H2 = (tau2 + s2) / s2`` with the typical within-study variance ``s2`` (Higgins & Thompson
    2002); for ``"FE"``, ``I2 = (Q - df) / Q`` (truncated at 0) and ``H2 = Q / df``. These are
    metafor's definitions; for DL the two forms of I² coincide. HKSJ multiplies the variance of
    the estimate by ``sum(w_i (y_i - mu)^2) / (k - 1)`` and uses t quantiles with k - 1 df.
    When that sum is at most `HKSJ_ZERO_RSS` (machine epsilon; every study at the pooled
    estimate), metafor sets the factor to 0 and reports an interval of width 0 with p = 0, a
    certainty that three identical studies cannot give; here ``"hksj"`` then uses the factor 1,
    the value of the truncated ``"hksj-adhoc"`` (Knapp & Hartung 2003), so the interval is the
    Wald-width one with t quantiles.

    References
    ----------
    DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
    1986;7(3):177-88. doi:10.1016/0197-2456(86)90046-2

    Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med
    2002;21(11):1539-58. doi:10.1002/sim.1186

    Hartung J, Knapp G. A refined method for the meta-analysis of controlled clinical trials
    with binary outcome. Stat Med 2001;20(24):3875-89. doi:10.1002/sim.1009

    Knapp G, Hartung J. Improved tests for a random effects meta-regression with a single
    covariate. Stat Med 2003;22(17):2693-710. doi:10.1002/sim.1482

    IntHout J, Ioannidis JPA, Borm GF. The Hartung-Knapp-Sidik-Jonkman method for random
    effects meta-analysis is straightforward and considerably outperforms the standard
    DerSimonian-Laird method. BMC Med Res Methodol 2014;14:25. doi:10.1186/1471-2288-14-25

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03

    Examples
    --------
    Eight single-arm studies, proportions with their Wald variances:

    >>> p = [0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67]
    >>> n = [33, 13, 20, 19, 16, 18, 5, 30]
    >>> res = pool(p, [pi * (1 - pi) / ni for pi, ni in zip(p, n)], method="DL")
    >>> f"{res.estimate:.2f} ({res.ci_low:.2f}, {res.ci_high:.2f}), I2 {res.i2:.1f}%"
    '0.69 (0.53, 0.84), I2 82.3%'
    """
    where = "pool"
    one_of(method, METHODS, "method", where)
    one_of(ci, CI_METHODS, "ci", where)
    level = confidence_level(level, where)
    if not isinstance(drop_zero_variance, bool | np.bool_):
        raise InputError(
            f"{where}: drop_zero_variance={drop_zero_variance!r} must be True or False"
        )
    studies = effects_and_variances(
        yi, vi, where, min_k=2, zero_variance="drop" if drop_zero_variance else "error",
        hint=" (pass drop_zero_variance=True, as Stata's metan does)",
    )  # fmt: skip
    y, v, keep, zero = studies.yi, studies.vi, studies.keep, studies.dropped
    k = len(y)
    df = k - 1
    q = tau2_estimators.cochran_q(y, v)
    p_q = float(chi2_upper_p(q, df))
    if method == "FE":
        tau2, iterations = 0.0, 0
        i2 = max(0.0, 100.0 * (q - df) / q) if q > 0 else 0.0
        h2 = q / df
        intervals = None
    else:
        fit = tau2_estimators.ESTIMATORS[method](y, v)
        tau2, iterations = fit.tau2, fit.iterations
        s2 = tau2_estimators.typical_within_variance(v)
        i2, h2 = i2_from_tau2(tau2, s2), h2_from_tau2(tau2, s2)
        intervals = Deferred(partial(heterogeneity_intervals, y, v, level))

    w = 1.0 / (v + tau2)
    sum_w = total(w)
    estimate = total(w * y) / sum_w
    variance = 1.0 / sum_w
    if ci == "z":
        test, crit = "z", float(normal_quantile(0.5 + level / 2))
    else:
        residual_ss = total(w * (y - estimate) ** 2)
        scale = residual_ss / df
        if ci == "hksj-adhoc" or residual_ss <= HKSJ_ZERO_RSS:
            scale = max(1.0, scale)
        variance *= scale
        test, crit = "t", float(t_quantile(0.5 + level / 2, df))
    se = math.sqrt(variance)
    # se > 0: every vi is at least 1e-100 (checks) and the HKSJ scale at least eps / df.
    statistic = estimate / se
    p_value = _two_sided_p(statistic, test, df)
    spread = math.sqrt(variance + tau2)
    if zero:
        weights = np.zeros(len(keep))
        weights[keep] = 100.0 * w / sum_w
    else:
        weights = 100.0 * w / sum_w
    return PoolResult(
        method=method,
        ci_method=ci,
        k=k,
        estimate=estimate,
        se=se,
        ci_low=estimate - crit * se,
        ci_high=estimate + crit * se,
        test=test,
        statistic=statistic,
        p_value=p_value,
        tau2=float(tau2),
        tau2_ci=intervals.item("tau2") if intervals else None,
        q=q,
        df=df,
        p_q=p_q,
        i2=float(i2),
        i2_ci=intervals.item("i2") if intervals else None,
        h2=float(h2),
        h2_ci=intervals.item("h2") if intervals else None,
        pi_low=estimate - crit * spread,
        pi_high=estimate + crit * spread,
        weights=tuple(weights.tolist()),
        excluded=zero,
        level=level,
        iterations=iterations,
    )


def _two_sided_p(statistic: float, test: str, df: int) -> float:
    if test == "z":
        return float(normal_two_sided_p(statistic))
    return float(t_two_sided_p(statistic, df))


def prediction_interval(result: PoolResult, distribution: str = "t(k-2)") -> tuple[float, float]:
    """Prediction interval for the true effect in a new study.

    Parameters
    ----------
    result : PoolResult
        A random-effects result.
    distribution : {"t(k-2)", "model"}
        ``"t(k-2)"`` (default): ``estimate -/+ t_{k-2} sqrt(se^2 + tau2)``, the interval of
        Higgins, Thompson & Spiegelhalter (2009), recommended by Riley et al. (2011); it needs
        k >= 3. ``"model"``: the interval stored in the result (z, or t with k - 1 df under
        HKSJ), as metafor's ``predict``.

    Returns
    -------
    (low, high) : tuple of float

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, when ``result`` is not a `PoolResult`, for an unknown ``distribution``, or
        for ``"t(k-2)"`` with fewer than 3 studies.

    References
    ----------
    Higgins JPT, Thompson SG, Spiegelhalter DJ. A re-evaluation of random-effects
    meta-analysis. J R Stat Soc A 2009;172(1):137-59. doi:10.1111/j.1467-985X.2008.00552.x

    Riley RD, Higgins JPT, Deeks JJ. Interpretation of random effects meta-analyses. BMJ
    2011;342:d549. doi:10.1136/bmj.d549
    """
    if not isinstance(result, PoolResult):
        raise InputError(
            f"prediction_interval: result must be the PoolResult of pool(), got "
            f"{type(result).__name__}"
        )
    one_of(distribution, PREDICTION_DISTRIBUTIONS, "distribution", "prediction_interval")
    if distribution == "model":
        return result.pi_low, result.pi_high
    if result.k < 3:
        raise InputError(
            f"prediction_interval: distribution='t(k-2)' needs at least 3 studies, "
            f"got k = {result.k}"
        )
    crit = float(t_quantile(0.5 + result.level / 2, result.k - 2))
    spread = float(np.sqrt(result.se**2 + result.tau2))
    return result.estimate - crit * spread, result.estimate + crit * spread
