"""Inverse-variance pooling: the common-effect and the DerSimonian–Laird random-effects model."""

from dataclasses import dataclass

import numpy as np
from scipy import stats

from analysis import tau2 as tau2_estimators
from analysis.checks import as_vector, confidence_level, one_of, same_length
from analysis.errors import InputError

METHODS = ("FE", "DL")
"""Models `pool` fits: ``"FE"`` common effect, ``"DL"`` DerSimonian–Laird random effects."""


@dataclass(frozen=True)
class PoolResult:
    """The result of `pool`: pooled estimate, its uncertainty, and heterogeneity.

    Attributes
    ----------
    method : str
        ``"FE"`` or ``"DL"``.
    k : int
        Number of studies pooled (after leaving out any with zero variance).
    estimate, se : float
        Pooled estimate and its standard error.
    ci_low, ci_high : float
        Confidence limits of the pooled estimate, ``estimate -/+ z * se``.
    z, p_value : float
        Wald test of ``estimate = 0``: ``z = estimate / se`` and its two-sided p-value.
    tau2 : float
        Between-study variance (0 for ``"FE"``).
    q, df, p_q : float, int, float
        Cochran's Q, its degrees of freedom ``k - 1``, and the chi-square p-value.
    i2 : float
        I², percent of the total variability due to heterogeneity, in [0, 100].
    h2 : float
        H², total over within-study variability.
    weights : tuple of float
        Percent weight of each input study, in input order, summing to 100; a study left out
        for zero variance has weight 0 (Stata's "(Excluded)").
    excluded : tuple of int
        Positions (0-based) of the input studies left out because their variance is zero.
    level : float
        Confidence level of ``ci_low`` and ``ci_high``.
    """

    method: str
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    tau2: float
    q: float
    df: int
    p_q: float
    i2: float
    h2: float
    weights: tuple[float, ...]
    excluded: tuple[int, ...]
    level: float

    @property
    def tau(self) -> float:
        """Between-study standard deviation, ``sqrt(tau2)``."""
        return float(np.sqrt(self.tau2))


def pool(
    yi: object,
    vi: object,
    method: str = "DL",
    *,
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
    method : {"DL", "FE"}
        ``"DL"`` (default): random-effects model with the DerSimonian–Laird estimate of tau²,
        what the paper used (Stata ``metan``, option ``random``). ``"FE"``: common-effect model.
    level : float
        Confidence level of the interval, default 0.95.
    drop_zero_variance : bool
        A study with variance 0 (a raw proportion of 0% or 100%) would get infinite weight.
        By default that is an error. With ``True`` such studies are left out, reported in
        ``excluded`` and given weight 0, which is what Stata's ``metan`` does silently.

    Returns
    -------
    PoolResult

    Raises
    ------
    analysis.errors.InputError
        With a one-line message, for inputs of different lengths, non-finite values, negative
        variances, zero variances (unless dropped), fewer than two studies, or an unknown method.

    Notes
    -----
    With weights ``w_i = 1 / (v_i + tau2)`` the estimate is ``sum(w_i y_i) / sum(w_i)`` and its
    variance ``1 / sum(w_i)``. ``Q = sum((y_i - mu_FE)^2 / v_i)`` on ``k - 1`` degrees of
    freedom. For ``"DL"``, ``I2 = tau2 / (tau2 + s2)`` and ``H2 = (tau2 + s2) / s2`` with the
    typical within-study variance ``s2`` (Higgins & Thompson 2002); for ``"FE"``,
    ``I2 = (Q - df) / Q`` (truncated at 0) and ``H2 = Q / df``. These are metafor's definitions;
    for DL the two forms of I² coincide.

    References
    ----------
    DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
    1986;7(3):177-88. doi:10.1016/0197-2456(86)90046-2

    Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med
    2002;21(11):1539-58. doi:10.1002/sim.1186

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03

    Examples
    --------
    The paper's Fig. 4a (eight studies, proportions as the figure prints them):

    >>> p = [0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67]
    >>> n = [33, 13, 20, 19, 16, 18, 5, 30]
    >>> res = pool(p, [pi * (1 - pi) / ni for pi, ni in zip(p, n)], method="DL")
    >>> f"{res.estimate:.2f} ({res.ci_low:.2f}, {res.ci_high:.2f}), I2 {res.i2:.1f}%"
    '0.69 (0.53, 0.84), I2 82.3%'
    """
    where = "pool"
    one_of(method, METHODS, "method", where)
    level = confidence_level(level, where)
    y_all = as_vector(yi, "yi", where)
    v_all = as_vector(vi, "vi", where)
    same_length(where, yi=y_all, vi=v_all)
    negative = np.flatnonzero(v_all < 0)
    if negative.size:
        i = int(negative[0])
        raise InputError(f"{where}: vi[{i}] = {v_all[i]:g} is negative; a variance must be > 0")
    zero = np.flatnonzero(v_all == 0)
    if zero.size and not drop_zero_variance:
        i = int(zero[0])
        raise InputError(
            f"{where}: vi[{i}] = 0 would give that study infinite weight; pass "
            "drop_zero_variance=True to leave such studies out (as Stata's metan does)"
        )
    keep = v_all > 0
    y, v = y_all[keep], v_all[keep]
    k = len(y)
    if k < 2:
        left_out = f" after leaving out {zero.size} with zero variance" if zero.size else ""
        raise InputError(f"{where}: pooling needs at least 2 studies, got {k}{left_out}")

    df = k - 1
    q = tau2_estimators.cochran_q(y, v)
    p_q = float(stats.chi2.sf(q, df))
    if method == "FE":
        tau2 = 0.0
        i2 = max(0.0, 100.0 * (q - df) / q) if q > 0 else 0.0
        h2 = q / df
    else:
        tau2 = tau2_estimators.dersimonian_laird(y, v)
        s2 = tau2_estimators.typical_within_variance(v)
        i2 = 100.0 * tau2 / (tau2 + s2)
        h2 = (tau2 + s2) / s2

    w = 1.0 / (v + tau2)
    estimate = float((w * y).sum() / w.sum())
    se = float(np.sqrt(1.0 / w.sum()))
    crit = float(stats.norm.ppf(0.5 + level / 2))
    z = estimate / se
    weights = np.zeros(len(y_all))
    weights[keep] = 100.0 * w / w.sum()
    return PoolResult(
        method=method,
        k=k,
        estimate=estimate,
        se=se,
        ci_low=estimate - crit * se,
        ci_high=estimate + crit * se,
        z=float(z),
        p_value=float(2.0 * stats.norm.sf(abs(z))),
        tau2=float(tau2),
        q=q,
        df=df,
        p_q=p_q,
        i2=float(i2),
        h2=float(h2),
        weights=tuple(weights.tolist()),
        excluded=tuple(int(i) for i in zero),
        level=level,
    )
