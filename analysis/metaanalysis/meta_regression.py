"""Meta-regression: a weighted regression of study effects on study-level moderators.

`meta_regression` fits the mixed-effects model ``y_i = x_i'b + u_i + e_i`` with
``u_i ~ N(0, tau²)`` (residual heterogeneity) and ``e_i ~ N(0, v_i)``, or the fixed-effects
model without ``u_i``, as R's metafor ``rma(yi, vi, mods = ~ ..., method = ...)``: the
coefficients with their standard errors, tests and intervals (normal, or Knapp–Hartung's t and
F), the test of the moderators (QM), the test of residual heterogeneity (QE), tau², I², H² and
R², the share of tau² the moderators account for. Every number is checked against metafor.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import optimize

from analysis.metaanalysis import tau2 as tau2_estimators
from analysis.metaanalysis.checks import (
    as_vector,
    confidence_level,
    effects_and_variances,
    one_of,
)
from analysis.metaanalysis.distributions import (
    chi2_upper_p,
    f_upper_p,
    normal_quantile,
    normal_two_sided_p,
    t_quantile,
    t_two_sided_p,
)
from analysis.metaanalysis.errors import ConvergenceError, InputError
from analysis.metaanalysis.pooling import HKSJ_ZERO_RSS
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.roots import bracket_decreasing
from analysis.metaanalysis.tau2 import FISHER_ITERATIONS, MAX_ITERATIONS, TOLERANCE

REGRESSION_METHODS = ("FE", "DL", "REML")
"""Models `meta_regression` fits: ``"FE"`` without residual heterogeneity; mixed effects with
tau² by ``"DL"`` (DerSimonian–Laird's method of moments, generalised to moderators) or
``"REML"`` (restricted maximum likelihood)."""

REGRESSION_TESTS = ("z", "knha")
"""Tests and intervals of the coefficients: ``"z"`` normal, QM chi-squared; ``"knha"``
Knapp–Hartung: the variances scaled by the weighted residual variance, t with k - p df, QM as
an F statistic (metafor's ``test="knha"``; a residual sum of squares of 0 gives the scale 1, as
in `analysis.metaanalysis.pooling.pool`)."""


@dataclass(frozen=True)
class Coefficients(TidyResult):
    """The coefficients of a meta-regression, one row per term.

    Attributes
    ----------
    term : tuple of str
        ``"intercept"`` and the moderators' names, in the order of the design matrix.
    estimate, se : tuple of float
        Coefficient and its standard error.
    statistic : tuple of float
        ``estimate / se``: z, or t with `MetaRegression.df` degrees of freedom.
    p_value : tuple of float
        Two-sided p-value of the statistic.
    ci_low, ci_high : tuple of float
        Limits of the confidence interval at `MetaRegression.level`.
    """

    _per_study = True
    _study_index = "term"

    term: tuple[str, ...]
    estimate: tuple[float, ...]
    se: tuple[float, ...]
    statistic: tuple[float, ...]
    p_value: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]


@dataclass(frozen=True)
class MetaRegression(TidyResult):
    """The result of `meta_regression`.

    Attributes
    ----------
    coefficients : Coefficients
        One row per term (``coefficients.to_frame()`` is the table).
    method, test : str
        The model (`REGRESSION_METHODS`) and the test (`REGRESSION_TESTS`).
    k : int
        Number of studies.
    p : int
        Number of coefficients, the intercept included.
    df : int or None
        Degrees of freedom of the t tests and of QM's denominator (``k - p``); None for z.
    tau2 : float
        Residual between-study variance (0 for ``"FE"``).
    i2, h2 : float
        Residual heterogeneity: I² (%) and H², through the typical within-study variance
        ``(k - p) / tr(P)`` of the fixed-effects fit (metafor's definition); for ``"FE"`` from
        QE, ``max(0, 100 (QE - (k - p)) / QE)`` and ``QE / (k - p)``.
    r2 : float or None
        Share of the intercept-only model's tau² that the moderators account for (%),
        ``max(0, 100 (tau2_0 - tau2) / tau2_0)``, 0 when ``tau2_0 = 0``; None for ``"FE"``.
    qm : float
        Test of the moderators (every coefficient but the intercept is 0): a chi-squared
        statistic with ``qm_df`` df, or with ``"knha"`` an F statistic with ``(qm_df, df)``.
    qm_df : int
        Number of moderator coefficients tested.
    qm_p : float
        Its p-value.
    qe, qe_df, qe_p : float, int, float
        Test of residual heterogeneity: the fixed-effects weighted residual sum of squares,
        chi-squared with ``k - p`` df, and its p-value.
    level : float
        Confidence level of the intervals.
    covariance : tuple of tuple of float
        Covariance matrix of the coefficients (Knapp–Hartung's scale included), row by row.
    """

    coefficients: Coefficients
    method: str
    test: str
    k: int
    p: int
    df: int | None
    tau2: float
    i2: float
    h2: float
    r2: float | None
    qm: float
    qm_df: int
    qm_p: float
    qe: float
    qe_df: int
    qe_p: float
    level: float
    covariance: tuple[tuple[float, ...], ...]

    def predict(
        self, moderators: Mapping[str, object]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The fitted mean effect and its confidence interval at given moderator values.

        As metafor's ``predict(fit, newmods = ...)``: ``x'b`` with variance ``x'Vx``, and the
        t quantile with `df` degrees of freedom for Knapp–Hartung (the normal one for z).

        Parameters
        ----------
        moderators : mapping of str to array-like
            Values of every moderator of the fit (by name, any number of points).

        Returns
        -------
        estimate, ci_low, ci_high : numpy.ndarray

        Examples
        --------
        >>> fit = meta_regression([0.1, 0.3, 0.35, 0.6], [0.01, 0.02, 0.015, 0.03],
        ...                       {"dose": [1, 2, 3, 4]}, method="FE")
        >>> bool(fit.predict({"dose": [0]})[0][0] == fit.coefficients.estimate[0])
        True
        """
        where = "MetaRegression.predict"
        terms = self.coefficients.term[1:]
        if not isinstance(moderators, Mapping) or set(moderators) != set(terms):
            given = sorted(moderators) if isinstance(moderators, Mapping) else moderators
            raise InputError(
                f"{where}: moderators must have the fit's terms {list(terms)}, not {given!r}"
            )
        columns = [as_vector(moderators[name], f"moderators[{name!r}]", where) for name in terms]
        if len({c.size for c in columns}) > 1:
            raise InputError(f"{where}: the moderators have different numbers of values")
        x = np.column_stack([np.ones(columns[0].size), *columns])
        estimate = x @ np.asarray(self.coefficients.estimate)
        se = np.sqrt(np.einsum("ij,jk,ik->i", x, np.asarray(self.covariance), x))
        if self.df is not None:
            crit = float(t_quantile(0.5 + self.level / 2, self.df))
        else:
            crit = float(normal_quantile(0.5 + self.level / 2))
        return estimate, estimate - crit * se, estimate + crit * se


def design_matrix(
    moderators: Mapping[str, object], k: int, where: str
) -> tuple[np.ndarray, tuple]:
    """The design matrix: a column of ones, then one column per moderator.

    A moderator is numeric (one number per study), or a boolean indicator: True/False become
    1/0. Categorical moderators with more than two levels are coded by the caller as
    indicators (one per level but a reference level).

    Raises
    ------
    InputError
        When a moderator does not have one finite number per study, or a column repeats
        another or is constant (the coefficients would not be identified).
    """
    if not isinstance(moderators, Mapping) or not moderators:
        raise InputError(
            f"{where}: moderators must be a mapping of name to one value per study, e.g. "
            "{'year': [2004, 2008, ...]}"
        )
    columns, names = [np.ones(k)], ["intercept"]
    for name, values in moderators.items():
        if not isinstance(name, str) or not name or name == "intercept":
            raise InputError(
                f"{where}: moderator name {name!r} must be text other than 'intercept'"
            )
        raw = values
        if not isinstance(values, str | bytes) and hasattr(values, "__iter__"):
            raw = list(values)
            # An indicator: True and False are 1 and 0 (only when every value is a boolean).
            if raw and all(isinstance(v, bool | np.bool_) for v in raw):
                raw = [float(v) for v in raw]
        column = as_vector(raw, f"moderators[{name!r}]", where)
        if column.size != k:
            raise InputError(
                f"{where}: moderators[{name!r}] has {column.size} values for {k} studies"
            )
        columns.append(column)
        names.append(name)
    x = np.column_stack(columns)
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        raise InputError(
            f"{where}: the moderators {names[1:]} with the intercept are linearly dependent (a "
            "constant moderator, or one that repeats another): their coefficients are not "
            "identified"
        )
    return x, tuple(names)


class _WeightedFit(NamedTuple):
    """Weighted least squares of ``y`` on ``X`` with weights ``w``, through the QR
    decomposition of ``sqrt(W) X`` (the normal equations would square its condition number).

    ``coefficients`` ``(X'WX)^{-1} X'Wy``; ``covariance`` ``(X'WX)^{-1}``; ``projection`` the
    matrix ``P = W - W X (X'WX)^{-1} X'W``; ``py`` the vector ``P y`` (= ``W (y - X b)``);
    ``residual_ss`` ``y'Py``, the weighted residual sum of squares, summed from the scaled
    residuals (a sum of squares, which does not cancel).
    """

    coefficients: np.ndarray
    covariance: np.ndarray
    projection: np.ndarray
    py: np.ndarray
    residual_ss: float


def _weighted_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> _WeightedFit:
    root_w = np.sqrt(w)
    q, r = np.linalg.qr(root_w[:, None] * x)
    r_inverse = np.linalg.inv(r)
    scaled_y = root_w * y
    coefficients = r_inverse @ (q.T @ scaled_y)
    scaled_residual = scaled_y - q @ (q.T @ scaled_y)
    residual_maker = np.eye(len(y)) - q @ q.T
    return _WeightedFit(
        coefficients=coefficients,
        covariance=r_inverse @ r_inverse.T,
        projection=root_w[:, None] * residual_maker * root_w[None, :],
        py=root_w * scaled_residual,
        residual_ss=float(scaled_residual @ scaled_residual),
    )


def _reml_score(yi: np.ndarray, vi: np.ndarray, x: np.ndarray, tau2: float) -> float:
    """``y'PPy - tr(P)``: twice the derivative of the restricted log-likelihood in tau²."""
    fit = _weighted_fit(x, yi, 1.0 / (vi + tau2))
    return float(fit.py @ fit.py - np.trace(fit.projection))


def _dersimonian_laird(yi: np.ndarray, vi: np.ndarray, x: np.ndarray) -> float:
    fit = _weighted_fit(x, yi, 1.0 / vi)
    return max(0.0, (fit.residual_ss - (len(yi) - x.shape[1])) / float(np.trace(fit.projection)))


def _restricted_maximum_likelihood(yi: np.ndarray, vi: np.ndarray, x: np.ndarray) -> float:
    """REML by Fisher scoring from the DerSimonian–Laird estimate, as metafor (a step
    ``(y'PPy - tr(P)) / tr(PP)``, halved while it would make tau² negative); if it has not
    settled after `FISHER_ITERATIONS` steps, the root of the score by Brent's method (or 0)."""
    fixed = _weighted_fit(x, yi, 1.0 / vi)
    scale = (len(yi) - x.shape[1]) / float(np.trace(fixed.projection))
    tau2 = _dersimonian_laird(yi, vi, x)
    for _ in range(FISHER_ITERATIONS):
        fit = _weighted_fit(x, yi, 1.0 / (vi + tau2))
        p = fit.projection
        step = float(fit.py @ fit.py - np.trace(p)) / float(np.sum(p * p))
        while tau2 + step < 0:
            step /= 2
        tau2 += step
        if abs(step) < TOLERANCE * max(scale, tau2):
            return float(tau2)
    if _reml_score(yi, vi, x, 0.0) <= 0:
        return 0.0

    def score(t: float) -> float:
        return _reml_score(yi, vi, x, t)

    upper = bracket_decreasing(
        score, max(tau2, float(np.var(yi)), scale), what="REML root", where="meta_regression",
        max_iter=MAX_ITERATIONS,
    )  # fmt: skip
    root, info = optimize.brentq(
        score, 0.0, upper, xtol=TOLERANCE * scale, rtol=8 * np.finfo(float).eps,
        maxiter=MAX_ITERATIONS, full_output=True, disp=False,
    )  # fmt: skip
    if not info.converged:
        raise ConvergenceError(
            f"meta_regression: the REML estimator did not converge in {MAX_ITERATIONS} iterations"
        )
    return float(root)


def _tau2(yi: np.ndarray, vi: np.ndarray, x: np.ndarray, method: str) -> float:
    if method == "FE":
        return 0.0
    if method == "DL":
        return _dersimonian_laird(yi, vi, x)
    return _restricted_maximum_likelihood(yi, vi, x)


def meta_regression(
    yi: object,
    vi: object,
    moderators: Mapping[str, object],
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
) -> MetaRegression:
    """Meta-regression of effects ``yi`` (variances ``vi``) on study-level ``moderators``.

    Parameters
    ----------
    yi, vi : array-like of float
        Effect and sampling variance (> 0) of each study.
    moderators : mapping of str to array-like
        One value per study for each moderator: numbers, or booleans (an indicator). The
        intercept is added.
    method : {"REML", "DL", "FE"}
        How residual heterogeneity is modelled (`REGRESSION_METHODS`).
    test : {"z", "knha"}
        Normal tests, or Knapp–Hartung's t and F (`REGRESSION_TESTS`).
    level : float
        Confidence level of the coefficients' intervals.

    Returns
    -------
    MetaRegression

    Raises
    ------
    InputError
        For data `effects_and_variances` refuses, moderators that are not one finite number
        (or boolean) per study or that are linearly dependent with the intercept, fewer studies
        than coefficients plus one, or an unknown method or test.
    ConvergenceError
        When the REML estimator does not converge.

    Notes
    -----
    With weights ``w_i = 1 / (v_i + tau²)`` the coefficients are
    ``b = (X'WX)^{-1} X'Wy`` with covariance ``(X'WX)^{-1}``; Knapp–Hartung multiplies it by
    ``sum w_i (y_i - x_i'b)² / (k - p)``. QM is ``b_m' V_m^{-1} b_m`` over the moderators' part
    of ``b``; with Knapp–Hartung it is divided by their number and referred to F. QE is
    ``y'Py`` with the fixed-effects weights. With k ≤ 10 studies, tests of moderators have
    little power and tau² (hence R²) is imprecise: a moderator that "explains" the
    heterogeneity of a handful of studies is a hypothesis, not a finding.

    References
    ----------
    Thompson SG, Higgins JPT. How should meta-regression analyses be undertaken and
    interpreted? Stat Med 2002;21(11):1559-73. doi:10.1002/sim.1187

    Knapp G, Hartung J. Improved tests for a random effects meta-regression with a single
    covariate. Stat Med 2003;22(17):2693-710. doi:10.1002/sim.1482

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03

    Examples
    --------
    >>> fit = meta_regression([0.1, 0.3, 0.35, 0.6], [0.01, 0.02, 0.015, 0.03],
    ...                       {"year": [2001, 2004, 2006, 2010]}, method="FE")
    >>> fit.coefficients.term
    ('intercept', 'year')
    >>> fit.qm_df, fit.qe_df
    (1, 2)
    """
    where = "meta_regression"
    method = one_of(method, REGRESSION_METHODS, "method", where)
    test = one_of(test, REGRESSION_TESTS, "test", where)
    level = confidence_level(level, where)
    checked = effects_and_variances(yi, vi, where, min_k=3)
    y, v = checked.yi, checked.vi
    k = len(y)
    x, names = design_matrix(moderators, k, where)
    p = x.shape[1]
    if k <= p:
        raise InputError(
            f"{where}: {k} studies for {p} coefficients; a meta-regression needs more studies "
            "than coefficients"
        )

    tau2 = _tau2(y, v, x, method)
    fit = _weighted_fit(x, y, 1.0 / (v + tau2))
    estimate, covariance = fit.coefficients, fit.covariance
    df = k - p
    if test == "knha":
        residual_ss = fit.residual_ss
        covariance = covariance * (residual_ss / df if residual_ss > HKSJ_ZERO_RSS else 1.0)
    se = np.sqrt(np.diag(covariance))
    statistic = estimate / se
    tested = slice(1, p)
    qm = float(estimate[tested] @ np.linalg.solve(covariance[tested, tested], estimate[tested]))
    m = p - 1
    if test == "knha":
        qm /= m
        qm_p = float(f_upper_p(qm, m, df))
        p_values = t_two_sided_p(statistic, df)
        crit = float(t_quantile(0.5 + level / 2, df))
    else:
        qm_p = float(chi2_upper_p(qm, m))
        p_values = normal_two_sided_p(statistic)
        crit = float(normal_quantile(0.5 + level / 2))

    fixed = _weighted_fit(x, y, 1.0 / v)
    qe = fixed.residual_ss
    if method == "FE":
        i2 = max(0.0, 100.0 * (qe - df) / qe) if qe > 0 else 0.0
        h2 = qe / df
        r2 = None
    else:
        typical = df / float(np.trace(fixed.projection))
        i2 = 100.0 * tau2 / (typical + tau2)
        h2 = tau2 / typical + 1.0
        # The intercept-only model: tau2.py's estimators, written for it.
        tau2_null = tau2_estimators.ESTIMATORS[method](y, v).tau2
        # As metafor: the share first, then the percentage (so that it is at most 100 exactly).
        r2 = 0.0 if tau2_null == 0 else max(0.0, 100.0 * ((tau2_null - tau2) / tau2_null))

    return MetaRegression(
        coefficients=Coefficients(
            term=names,
            estimate=tuple(float(b) for b in estimate),
            se=tuple(float(s) for s in se),
            statistic=tuple(float(z) for z in statistic),
            p_value=tuple(float(q) for q in p_values),
            ci_low=tuple(float(b - crit * s) for b, s in zip(estimate, se, strict=True)),
            ci_high=tuple(float(b + crit * s) for b, s in zip(estimate, se, strict=True)),
        ),
        method=method,
        test=test,
        k=k,
        p=p,
        df=df if test == "knha" else None,
        tau2=float(tau2),
        i2=float(i2),
        h2=float(h2),
        r2=r2,
        qm=qm,
        qm_df=m,
        qm_p=qm_p,
        qe=qe,
        qe_df=df,
        qe_p=float(chi2_upper_p(qe, df)),
        level=level,
        covariance=tuple(tuple(float(c) for c in row) for row in covariance),
    )
