"""Single proportions on a transformed scale: logit and Freeman–Tukey double arcsine.

A study's proportion of events ``x / n`` is transformed (metafor's ``escalc``), the transformed
values are pooled by inverse-variance weighting (`analysis.metaanalysis.pooling.pool`), and the
pooled value is transformed back to a proportion. The logit has an exact inverse. The Freeman–Tukey
double arcsine has one only for a given sample size; for a pooled value metafor uses the harmonic
mean of the studies' sizes (Miller 1978), which can mislead badly when the sizes differ (Schwarzer
et al. 2019): see `pool_proportions`. `analysis.metaanalysis.glmm.glmm_proportions` avoids
transformations altogether.
"""

import inspect
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from analysis.metaanalysis.checks import (
    MAX_COUNT,
    as_vector,
    confidence_level,
    event_counts,
    one_of,
    same_length,
)
from analysis.metaanalysis.distributions import normal_quantile
from analysis.metaanalysis.effect_sizes import EffectSizes
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult, pool
from analysis.metaanalysis.results import TidyResult, study_rows

MEASURES = ("PLO", "PFT", "PR")
"""Scales `pool_proportions` pools on, in metafor's names: ``"PLO"`` logit, ``"PFT"``
Freeman–Tukey double arcsine, ``"PR"`` the raw proportion."""

CORRECTIONS = ("only0", "all", "if0all", "none")
"""Which studies get the continuity correction ``add`` (metafor's argument ``to``)."""


def proportion_effect_sizes(
    events: object,
    n: object,
    measure: str = "PLO",
    *,
    add: float | None = None,
    to: str = "only0",
) -> EffectSizes:
    """Transformed proportions and their sampling variances, as metafor's ``escalc``.

    Parameters
    ----------
    events : array-like of int
        Number of patients with the event in each study (``0 <= events <= n``).
    n : array-like of int
        Number of patients in each study (``>= 1``).
    measure : {"PLO", "PFT", "PR"}
        ``"PLO"``: the logit, ``yi = log(x / (n - x))``, ``vi = 1/x + 1/(n - x)``.
        ``"PFT"``: the Freeman–Tukey double arcsine,
        ``yi = (asin(sqrt(x / (n + 1))) + asin(sqrt((x + 1) / (n + 1)))) / 2``,
        ``vi = 1 / (4 n + 2)``. ``"PR"``: the raw proportion, ``vi = p (1 - p) / n``.
    add : float, optional
        Continuity correction added to the events and to the non-events of the studies chosen
        by ``to``. By default, as ``escalc``: 1/2 for ``"PLO"`` and ``"PR"``, 0 for ``"PFT"``
        (which is finite at 0 and at ``n`` events).
    to : {"only0", "all", "if0all", "none"}
        ``"only0"`` (default): only studies with 0 events or ``n`` events; ``"all"``: every
        study; ``"if0all"``: every study if any has 0 or ``n`` events; ``"none"``: no study.

    Returns
    -------
    EffectSizes
        ``yi``, ``vi`` and ``measure``.

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for counts that are not whole numbers, ``events`` outside ``[0, n]``, an
        unknown ``measure`` or ``to``, a negative ``add``, or a logit that would be infinite
        (0 or ``n`` events with no correction).

    Notes
    -----
    With the defaults (``add=1/2, to="only0"``) a study with 0 of 4 events has
    ``yi = log(0.5 / 4.5)`` and ``vi = 1/0.5 + 1/4.5``, exactly as ``escalc(measure="PLO")``; for
    ``"PR"`` the corrected proportion is ``0.5 / 5`` (metafor corrects ``yi`` as well as ``vi``,
    its ``addyi = TRUE``). The correction is arbitrary and pulls such studies towards 1/2
    (Sweeting et al. 2004); the binomial–normal model of
    `analysis.metaanalysis.glmm.glmm_proportions` needs none.

    References
    ----------
    Freeman MF, Tukey JW. Transformations related to the angular and the square root. Ann Math
    Stat 1950;21(4):607-11. doi:10.1214/aoms/1177729756

    Sweeting MJ, Sutton AJ, Lambert PC. What to add to nothing? Use and avoidance of continuity
    corrections in meta-analysis of sparse data. Stat Med 2004;23(9):1351-75.
    doi:10.1002/sim.1761

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03 (``escalc``)

    Examples
    --------
    A study with 0 events of 4 and one with 25 of 33:

    >>> es = proportion_effect_sizes([0, 25], [4, 33], "PLO")
    >>> [round(y, 4) for y in es.yi], [round(v, 4) for v in es.vi]
    ([-2.1972, 1.1394], [2.2222, 0.165])
    >>> es = proportion_effect_sizes([0, 25], [4, 33], "PFT")
    >>> [round(y, 4) for y in es.yi], [round(v, 4) for v in es.vi]
    ([0.2318, 1.0474], [0.0556, 0.0075])
    """
    where = "proportion_effect_sizes"
    one_of(measure, MEASURES, "measure", where)
    one_of(to, CORRECTIONS, "to", where)
    x, size = event_counts(events, n, where)
    yi, vi = _transform(x, size, measure, add, to, where)
    return EffectSizes(yi=tuple(yi.tolist()), vi=tuple(vi.tolist()), measure=measure)


def transformed_proportions(
    events: object,
    n: object,
    measure: str = "PLO",
    *,
    add: float | None = None,
    to: str = "only0",
) -> tuple[np.ndarray, np.ndarray]:
    """`proportion_effect_sizes` for arrays of any shape: many meta-analyses at once.

    The same transformation and continuity correction, applied cell by cell to arrays of events
    and study sizes of one shape (e.g. (B, k): B simulated meta-analyses of k studies each);
    ``to="if0all"`` looks along the last axis (each row is one meta-analysis). Every cell equals
    `proportion_effect_sizes` on its row.

    Parameters
    ----------
    events, n : array-like of int, same shape
        Events and patients of each study (``0 <= events <= n``, ``n >= 1``, whole numbers).
    measure, add, to
        As in `proportion_effect_sizes`.

    Returns
    -------
    yi, vi : numpy.ndarray
        Transformed proportions and their sampling variances, of the shape of ``events``.

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line naming the argument and the cell, for what `proportion_effect_sizes` refuses
        or arrays of different shapes.

    References
    ----------
    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03 (``escalc``)

    Examples
    --------
    >>> yi, vi = transformed_proportions([[0, 25], [2, 33]], [[4, 33], [4, 33]], "PLO")
    >>> yi.round(4).tolist()
    [[-2.1972, 1.1394], [0.0, 4.2047]]
    """
    where = "transformed_proportions"
    one_of(measure, MEASURES, "measure", where)
    one_of(to, CORRECTIONS, "to", where)
    x, size = _count_arrays(events, n, where)
    return _transform(x, size, measure, add, to, where)


def _count_arrays(events: object, n: object, where: str) -> tuple[np.ndarray, np.ndarray]:
    arrays = {}
    for name, values in (("events", events), ("n", n)):
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"{where}: {name} must be an array of numbers") from None
        if array.ndim == 0 or array.size == 0:
            raise InputError(f"{where}: {name} must be a non-empty array, got {values!r}")
        arrays[name] = array
    x, size = arrays["events"], arrays["n"]
    if x.shape != size.shape:
        raise InputError(f"{where}: events has shape {x.shape} but n has shape {size.shape}")
    rows_x, rows_size = x.reshape(-1, x.shape[-1]), size.reshape(-1, x.shape[-1])
    with np.errstate(invalid="ignore"):
        fine = (
            np.isfinite(rows_x)
            & np.isfinite(rows_size)
            & (rows_x == np.round(rows_x))
            & (rows_size == np.round(rows_size))
            & (rows_size >= 1)
            & (rows_size <= MAX_COUNT)
            & (rows_x >= 0)
            & (rows_x <= rows_size)
        ).all(axis=1)
    if not fine.all():
        b = int(np.flatnonzero(~fine)[0])
        label = f"{where} (row {b})" if x.ndim > 1 else where
        event_counts(rows_x[b], rows_size[b], label)  # raises the row's one-line error
    return x, size


def _cell(flat: int, shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat, shape)) + "]"


def _transform(
    x: np.ndarray, size: np.ndarray, measure: str, add: float | None, to: str, where: str
) -> tuple[np.ndarray, np.ndarray]:
    """escalc's transformation and continuity correction, cell by cell (rows along the last
    axis for ``to="if0all"``), for validated counts."""
    if add is None:
        add = 0.0 if measure == "PFT" else 0.5
    if isinstance(add, bool) or not isinstance(add, int | float) or not 0 <= add < np.inf:
        raise InputError(f"{where}: add={add!r} must be a number >= 0")
    extreme = (x == 0) | (x == size)
    corrected = {
        "only0": extreme,
        "all": np.ones_like(extreme),
        "if0all": np.broadcast_to(extreme.any(axis=-1, keepdims=True), extreme.shape),
        "none": np.zeros_like(extreme),
    }[to]
    shift = np.where(corrected, float(add), 0.0)
    xc, mc = x + shift, size - x + shift
    nc = xc + mc
    if measure == "PLO":
        infinite = np.flatnonzero((xc == 0) | (mc == 0))
        if infinite.size:
            i = int(infinite[0])
            cell = _cell(i, x.shape)
            raise InputError(
                f"{where}: events{cell} = {x.flat[i]:g} of n{cell} = {size.flat[i]:g} has an "
                f"infinite logit without a continuity correction (add={add!r}, to={to!r})"
            )
        with np.errstate(over="ignore", divide="ignore"):
            yi = np.log(xc / mc)
            vi = 1.0 / xc + 1.0 / mc
        overflow = np.flatnonzero(~(np.isfinite(yi) & np.isfinite(vi)))
        if overflow.size:
            i = int(overflow[0])
            cell = _cell(i, x.shape)
            raise InputError(
                f"{where}: events{cell} = {x.flat[i]:g} of n{cell} = {size.flat[i]:g} with "
                f"add={add!r} gives a logit or a variance too large for floating-point "
                "numbers; use a larger continuity correction"
            )
    elif measure == "PFT":
        yi = 0.5 * (np.arcsin(np.sqrt(xc / (nc + 1))) + np.arcsin(np.sqrt((xc + 1) / (nc + 1))))
        vi = 1.0 / (4.0 * nc + 2.0)
    else:
        yi = xc / nc
        vi = yi * (1.0 - yi) / nc
    return yi, vi


def inverse_logit(y: object) -> np.ndarray:
    """The proportion ``1 / (1 + exp(-y))`` for each logit ``y`` (metafor's ``transf.ilogit``).

    Examples
    --------
    >>> inverse_logit([0.0, np.log(3)]).round(6).tolist()
    [0.5, 0.75]
    """
    return special.expit(as_vector(y, "y", "inverse_logit"))


def inverse_freeman_tukey(y: object, n: object) -> np.ndarray:
    """The proportion for each Freeman–Tukey value ``y`` of a study of ``n`` (``transf.ipft``).

    Miller's (1978) inverse, ``p = (1 - sgn(cos t) sqrt(1 - (sin t + (sin t - 1/sin t)/n)²))/2``
    with ``t = 2y``; values below the transform of 0 events give 0 and values above that of
    ``n`` events give 1, as in metafor. It recovers ``x / n`` exactly from ``x`` events of ``n``.

    Parameters
    ----------
    y : array-like of float
        Freeman–Tukey double-arcsine values (e.g. a study's ``yi`` or confidence limits).
    n : array-like of float
        The sample size belonging to each ``y`` (``> 0``), same length as ``y``.

    References
    ----------
    Miller JJ. The inverse of the Freeman-Tukey double arcsine transformation. Am Stat
    1978;32(4):138. doi:10.1080/00031305.1978.10479283

    Examples
    --------
    >>> es = proportion_effect_sizes([0, 1, 12, 40], [10, 10, 20, 40], "PFT")
    >>> inverse_freeman_tukey(es.yi, [10, 10, 20, 40]).round(12).tolist()
    [0.0, 0.1, 0.6, 1.0]
    """
    where = "inverse_freeman_tukey"
    values = as_vector(y, "y", where)
    size = _positive(as_vector(n, "n", where), "n", where)
    same_length(where, y=values, n=size)
    return _miller_inverse(values, size)


def inverse_freeman_tukey_hm(y: object, n: object) -> np.ndarray:
    """Back-transform pooled Freeman–Tukey values with the harmonic mean of the studies' ``n``.

    Metafor's ``transf.ipft.hm`` with ``targs = list(ni = n)``: Miller's inverse (see
    `inverse_freeman_tukey`) with ``n`` replaced by ``1 / mean(1 / n)``.

    Parameters
    ----------
    y : array-like of float
        Pooled values on the Freeman–Tukey scale (an estimate and its confidence limits).
    n : array-like of float
        The sample sizes of all pooled studies (``> 0``); any length.

    Notes
    -----
    A pooled value has no sample size of its own, and the harmonic mean is a convention.
    When the studies' sizes differ widely, the back-transformed estimate can lie far from
    every study's proportion (Schwarzer et al. 2019); `pool_proportions` shows an example.

    References
    ----------
    Miller JJ. The inverse of the Freeman-Tukey double arcsine transformation. Am Stat
    1978;32(4):138. doi:10.1080/00031305.1978.10479283

    Schwarzer G, Chemaitelly H, Abu-Raddad LJ, Rücker G. Seriously misleading results using
    inverse of Freeman-Tukey double arcsine transformation in meta-analysis of single
    proportions. Res Synth Methods 2019;10(3):476-83. doi:10.1002/jrsm.1348

    Examples
    --------
    The same transformed value means a different proportion for a different (mean) size:

    >>> y = proportion_effect_sizes([1], [20], "PFT").yi
    >>> inverse_freeman_tukey_hm(y, [20, 20]).round(4).tolist()
    [0.05]
    >>> inverse_freeman_tukey_hm(y, [5, 1000]).round(4).tolist()
    [0.034]
    """
    where = "inverse_freeman_tukey_hm"
    values = as_vector(y, "y", where)
    size = _positive(as_vector(n, "n", where), "n", where)
    return _miller_inverse(values, np.full_like(values, harmonic_mean(size)))


def harmonic_mean(n: np.ndarray) -> float:
    """``1 / mean(1 / n)``, the sample size `inverse_freeman_tukey_hm` uses."""
    return float(1.0 / np.mean(1.0 / n))


def _positive(values: np.ndarray, name: str, where: str) -> np.ndarray:
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{where}: {name}[{i}] = {values[i]:g} must be > 0")
    return values


def _freeman_tukey_of_proportion(p: float | np.ndarray, n: np.ndarray) -> np.ndarray:
    """metafor's ``transf.pft(p, n)``: the double arcsine of ``p n`` events of ``n``."""
    x = p * n
    return 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))


def _miller_inverse(y: np.ndarray, n: np.ndarray) -> np.ndarray:
    low, high = _freeman_tukey_of_proportion(0.0, n), _freeman_tukey_of_proportion(1.0, n)
    inside = (y >= low) & (y <= high)
    # Between the transforms of 0 and n events the square root's argument is >= 0 (no NaN);
    # outside, the value is set to 0 or 1 below, as transf.ipft does.
    t = 2.0 * np.where(inside, y, np.pi / 4)
    s = np.sin(t)
    root = np.sqrt(np.clip(1.0 - (s + (s - 1.0 / s) / n) ** 2, 0.0, None))
    p = 0.5 * (1.0 - np.sign(np.cos(t)) * root)
    return np.where(y > high, 1.0, np.where(y < low, 0.0, p))


@dataclass(frozen=True)
class ProportionPool(TidyResult):
    """The result of `pool_proportions`: a pooled proportion and the model behind it.

    Attributes
    ----------
    measure : str
        The scale pooled on: ``"PLO"``, ``"PFT"`` or ``"PR"``.
    method : str
        The model passed to `analysis.pool` (e.g. ``"DL"``, ``"FE"``).
    estimate, ci_low, ci_high : float
        Pooled proportion and its confidence limits, back-transformed to the proportion scale
        (``"PFT"``: with the harmonic mean of ``n``, see `inverse_freeman_tukey_hm`). For
        ``"PR"`` the limits can fall outside [0, 1].
    pi_low, pi_high : float
        The prediction interval of the fit (``pooled.pi_low``, ``pooled.pi_high``: z, or t with
        k - 1 df under Hartung–Knapp), back-transformed in the same way.
    pooled : analysis.metaanalysis.pooling.PoolResult
        The fit on the transformed scale (estimate, se, tau², I², weights, ...).
    effect_sizes : analysis.metaanalysis.effect_sizes.EffectSizes
        Each study's transformed proportion ``yi`` and its variance ``vi``.
    proportions : tuple of float
        Each study's observed proportion ``events / n``.
    study_estimate, study_ci_low, study_ci_high : tuple of float
        Each study's ``yi`` and Wald interval ``yi -/+ z sqrt(vi)``, back-transformed (``"PFT"``
        with the study's own ``n``, ``transf.ipft``). With a continuity correction, the
        back-transformed ``yi`` of a 0% study is not 0 and its interval need not contain 0.
    harmonic_mean_n : float
        ``1 / mean(1 / n)``, the size used to back-transform the pooled ``"PFT"`` values.
    level : float
        Confidence level of all intervals.
    """

    measure: str
    method: str
    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float
    pooled: PoolResult
    effect_sizes: EffectSizes
    proportions: tuple[float, ...]
    study_estimate: tuple[float, ...]
    study_ci_low: tuple[float, ...]
    study_ci_high: tuple[float, ...]
    harmonic_mean_n: float
    level: float

    @property
    def tau2(self) -> float:
        """Between-study variance on the transformed scale (``pooled.tau2``)."""
        return self.pooled.tau2

    def study_frame(self) -> pd.DataFrame:
        """One row per study: its proportion, its transformed ``yi`` and ``vi``, its
        back-transformed estimate and interval, and its weight in the pooled fit.

        ``to_frame()`` is the one-row summary (with the fit on the transformed scale as the
        columns ``pooled_<field>``); this is the per-study part.
        """
        return study_rows(self, with_single_values=False).join(self.pooled.study_frame())


def pool_proportions(
    events: object,
    n: object,
    measure: str = "PLO",
    method: str = "DL",
    *,
    level: float = 0.95,
    add: float | None = None,
    to: str = "only0",
    **pool_options: object,
) -> ProportionPool:
    """Pool single proportions on a transformed scale and transform the result back.

    Parameters
    ----------
    events, n : array-like of int
        Events and patients in each study.
    measure : {"PLO", "PFT", "PR"}
        The scale: logit (default), Freeman–Tukey double arcsine, or raw proportion; see
        `proportion_effect_sizes`.
    method : str
        The model, passed unchanged to `analysis.pool` (``"DL"`` or ``"FE"``; any model
        `analysis.pool` accepts).
    level : float
        Confidence level of the pooled and the per-study intervals, default 0.95.
    add, to
        Continuity correction, as in `proportion_effect_sizes` (metafor's defaults).
    **pool_options
        Further keyword arguments passed unchanged to `analysis.pool` (e.g.
        ``drop_zero_variance``).

    Returns
    -------
    ProportionPool

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for bad counts, an unknown ``measure``, or an option `analysis.pool` does not
        take (and whatever `analysis.pool` refuses).

    Notes
    -----
    The pooled estimate and its limits are back-transformed with ``transf.ilogit`` (``"PLO"``)
    or ``transf.ipft.hm`` with all studies' ``n`` (``"PFT"``), as
    ``predict(rma(yi, vi), transf = ...)`` in metafor. The Freeman–Tukey back-transformation
    depends on that single size: when the sizes differ, a pooled value dominated by a large
    study is read as if it came from a small one (Schwarzer et al. 2019). In the example below
    every study has 5% events, yet the Freeman–Tukey result is 3.3% with an interval that
    excludes 5%; the logit gives 5%.

    References
    ----------
    Barendregt JJ, Doi SA, Lee YY, Norman RE, Vos T. Meta-analysis of prevalence. J Epidemiol
    Community Health 2013;67(11):974-8. doi:10.1136/jech-2013-203104

    Miller JJ. The inverse of the Freeman-Tukey double arcsine transformation. Am Stat
    1978;32(4):138. doi:10.1080/00031305.1978.10479283

    Schwarzer G, Chemaitelly H, Abu-Raddad LJ, Rücker G. Seriously misleading results using
    inverse of Freeman-Tukey double arcsine transformation in meta-analysis of single
    proportions. Res Synth Methods 2019;10(3):476-83. doi:10.1002/jrsm.1348

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03

    Examples
    --------
    Nine single-arm studies, events and patients (one study has 0 events of 4):

    >>> x = [25, 8, 19, 0, 5, 10, 14, 4, 20]
    >>> n = [33, 13, 20, 4, 19, 16, 18, 5, 30]
    >>> res = pool_proportions(x, n, "PLO", "DL")
    >>> f"{res.estimate:.3f} ({res.ci_low:.3f}, {res.ci_high:.3f}), tau2 {res.tau2:.3f}"
    '0.653 (0.492, 0.785), tau2 0.593'

    The failure of the Freeman–Tukey back-transformation: every study has 5% events.

    >>> x, n = [500, 1, 1, 1, 1, 1], [10000, 20, 20, 20, 20, 20]
    >>> ft = pool_proportions(x, n, "PFT", "FE")
    >>> f"{ft.estimate:.4f} ({ft.ci_low:.4f}, {ft.ci_high:.4f}), n {ft.harmonic_mean_n:.1f}"
    '0.0334 (0.0293, 0.0378), n 24.0'
    >>> f"{pool_proportions(x, n, 'PLO', 'FE').estimate:.4f}"
    '0.0500'
    """
    where = "pool_proportions"
    one_of(measure, MEASURES, "measure", where)
    level = confidence_level(level, where)
    x, size = event_counts(events, n, where)
    es = proportion_effect_sizes(x, size, measure, add=add, to=to)
    try:
        inspect.signature(pool).bind(es.yi, es.vi, method=method, level=level, **pool_options)
    except TypeError as error:
        raise InputError(f"{where}: {error} (options are passed to analysis.pool)") from None
    fit = pool(es.yi, es.vi, method=method, level=level, **pool_options)
    yi, vi = np.asarray(es.yi), np.asarray(es.vi)
    half = normal_quantile(0.5 + level / 2) * np.sqrt(vi)
    pooled = np.array([fit.estimate, fit.ci_low, fit.ci_high, fit.pi_low, fit.pi_high])
    if measure == "PLO":
        back_pooled = special.expit(pooled)
        studies = [special.expit(v) for v in (yi, yi - half, yi + half)]
    elif measure == "PFT":
        back_pooled = _miller_inverse(pooled, np.full(pooled.size, harmonic_mean(size)))
        studies = [_miller_inverse(v, size) for v in (yi, yi - half, yi + half)]
    else:
        back_pooled = pooled
        studies = [yi, yi - half, yi + half]
    return ProportionPool(
        measure=measure,
        method=fit.method,
        estimate=float(back_pooled[0]),
        ci_low=float(back_pooled[1]),
        ci_high=float(back_pooled[2]),
        pi_low=float(back_pooled[3]),
        pi_high=float(back_pooled[4]),
        pooled=fit,
        effect_sizes=es,
        proportions=tuple((x / size).tolist()),
        study_estimate=tuple(studies[0].tolist()),
        study_ci_low=tuple(studies[1].tolist()),
        study_ci_high=tuple(studies[2].tolist()),
        harmonic_mean_n=harmonic_mean(size),
        level=level,
    )
