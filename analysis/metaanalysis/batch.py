"""Many meta-analyses at once: `pool` over the rows of a (B, k) array, vectorised.

`pool_batch` fits the models of `analysis.metaanalysis.pooling.pool` (``"FE"``, ``"DL"``,
``"REML"``, ``"PM"``; intervals ``"z"``, ``"hksj"``, ``"hksj-adhoc"``) to every row of an array
of effects and one of variances at once, for simulations: each row is one meta-analysis, and an
optional mask leaves cells out so that rows can have different numbers of studies. Every row's
numbers equal those of `pool` on that row (the tests check it to 1e-10); the Q-profile intervals
of `pool` are not computed here.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special

from analysis.metaanalysis.checks import (
    MAX_EFFECT,
    VARIANCE_RANGE,
    cell_mask,
    confidence_level,
    number_matrix,
    one_of,
    studies_per_row,
)
from analysis.metaanalysis.distributions import (
    chi2_upper_p,
    normal_quantile,
    normal_two_sided_p,
    t_quantile,
    t_two_sided_p,
)
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import CI_METHODS, HKSJ_ZERO_RSS, METHODS
from analysis.metaanalysis.results import BatchResult
from analysis.metaanalysis.tau2 import (
    FISHER_ITERATIONS,
    MAX_ITERATIONS,
    TOLERANCE,
)

__all__ = ["BatchPoolResult", "pool_batch"]

_WHERE = "pool_batch"


@dataclass(frozen=True)
class BatchPoolResult(BatchResult):
    """The result of `pool_batch`: one value per row (meta-analysis) in each array.

    Every array has length B and holds, for row ``b``, what the same-named field of
    ``pool(yi[b], vi[b], method, ci=ci, level=level)`` holds (with masked-out cells left out).

    Attributes
    ----------
    method, ci_method : str
        As passed.
    level : float
        Confidence level of the intervals.
    k : numpy.ndarray of int
        Studies in each row (its unmasked cells).
    estimate, se, ci_low, ci_high, statistic, p_value : numpy.ndarray
        Pooled estimate, its standard error (rescaled for HKSJ), confidence limits, and the
        test of ``estimate = 0`` (z, or t with k - 1 df for HKSJ).
    tau2 : numpy.ndarray
        Between-study variance (0 for ``"FE"``).
    q, df, p_q : numpy.ndarray
        Cochran's Q, its degrees of freedom ``k - 1`` and its chi-square p-value.
    i2, h2 : numpy.ndarray
        I² (percent) and H², as `pool` defines them.
    pi_low, pi_high : numpy.ndarray
        Prediction interval as `pool` (metafor's ``predict``): the confidence interval's
        critical value times ``sqrt(se^2 + tau2)``.
    pi_t_low, pi_t_high : numpy.ndarray
        Prediction interval with t on k - 2 df (Higgins, Thompson & Spiegelhalter 2009), as
        ``prediction_interval(result, "t(k-2)")``; NaN in rows with k = 2, where it is not
        defined.
    iterations : numpy.ndarray of int
        Iterations of the tau² estimator: 0 for FE and DL; for REML the Fisher-scoring steps,
        as `pool` counts them (and `FISHER_ITERATIONS` plus Brent's for a row that needed the
        fallback); for PM the safeguarded Newton steps of the batch (`pool` counts Brent's).
    converged : numpy.ndarray of bool
        False in a row whose iterative estimator did not converge (where `pool` raises
        `ConvergenceError`); every number of such a row is NaN. See `not_converged`.
    """

    method: str
    ci_method: str
    level: float
    k: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    tau2: np.ndarray
    q: np.ndarray
    df: np.ndarray
    p_q: np.ndarray
    i2: np.ndarray
    h2: np.ndarray
    pi_low: np.ndarray
    pi_high: np.ndarray
    pi_t_low: np.ndarray
    pi_t_high: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray

    _labels: ClassVar[tuple[str, ...]] = ("method", "ci_method", "level")


def pool_batch(
    yi: object,
    vi: object,
    method: str = "DL",
    *,
    ci: str = "z",
    level: float = 0.95,
    mask: object = None,
) -> BatchPoolResult:
    """Pool each row of a (B, k) array of effects as `pool` pools one meta-analysis.

    Parameters
    ----------
    yi, vi : array-like of float, shape (B, k)
        Effects and sampling variances; row ``b`` is one meta-analysis of up to k studies.
    method : {"DL", "REML", "PM", "FE"}
        The model, as in `pool`. REML and PM iterate all rows at once, each row stopping by
        `pool`'s rule (the change in tau² below ``TOLERANCE * max(tau2, s²)``).
    ci : {"z", "hksj", "hksj-adhoc"}
        The interval for the pooled effect, as in `pool` (with its `HKSJ_ZERO_RSS` rule).
    level : float
        Confidence level of the intervals, default 0.95.
    mask : array-like of bool, shape (B, k), optional
        True for the cells to use; False cells are ignored whatever they hold (NaN too), so
        that rows can have different numbers of studies. Default: every cell.

    Returns
    -------
    BatchPoolResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line naming the argument (and the row and column of a bad cell): for arrays that
        are not 2-D numbers of one shape, a used effect that is not finite or beyond
        `MAX_EFFECT` in size, a used variance that is not in `VARIANCE_RANGE` (zero and
        negative ones included: mask them out), a row with fewer than 2 used studies, an
        unknown method or interval, or a bad level.

    Notes
    -----
    The formulas are those of `pool` and of `analysis.metaanalysis.tau2`, written for arrays:
    DerSimonian–Laird in closed form; REML by metafor's Fisher scoring from the DL estimate,
    steps halved that would make tau² negative, with `pool`'s fallback (its own estimator,
    called on that row) for a row not converged after `FISHER_ITERATIONS` steps; Paule–Mandel
    as the root of ``Q(tau2) = k - 1`` by Newton's method, safeguarded by bisection inside a
    bracket, to the same tolerance (`pool` finds the same root by Brent's method). Each row is
    first packed to the left (its used cells in order, the rest after them), so that its sums
    are formed in the order `pool` forms them.

    References
    ----------
    DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
    1986;7(3):177-88. doi:10.1016/0197-2456(86)90046-2

    Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. J Educ Behav Stat 2005;30(3):261-93. doi:10.3102/10769986030003261

    Paule RC, Mandel J. Consensus values and weighting factors. J Res Natl Bur Stand
    1982;87(5):377-85. doi:10.6028/jres.087.022

    IntHout J, Ioannidis JPA, Borm GF. The Hartung-Knapp-Sidik-Jonkman method for random
    effects meta-analysis is straightforward and considerably outperforms the standard
    DerSimonian-Laird method. BMC Med Res Methodol 2014;14:25. doi:10.1186/1471-2288-14-25

    Higgins JPT, Thompson SG, Spiegelhalter DJ. A re-evaluation of random-effects
    meta-analysis. J R Stat Soc A 2009;172(1):137-59. doi:10.1111/j.1467-985X.2008.00552.x

    Examples
    --------
    Two meta-analyses, the second of two studies only:

    >>> yi = [[0.1, 0.3, 0.5], [0.2, 0.4, np.nan]]
    >>> vi = [[0.01, 0.02, 0.04], [0.01, 0.02, np.nan]]
    >>> used = [[True, True, True], [True, True, False]]
    >>> res = pool_batch(yi, vi, "DL", mask=used)
    >>> res.k.tolist(), res.estimate.round(4).tolist()
    ([3, 2], [0.2524, 0.275])
    """
    one_of(method, METHODS, "method", _WHERE)
    one_of(ci, CI_METHODS, "ci", _WHERE)
    level = confidence_level(level, _WHERE)
    y, v, k = _checked(yi, vi, mask)
    df = k - 1
    w = 1.0 / v
    q = _weighted_ss(y, w)
    p_q = _by_df(_chi2_upper_p, q, df)
    rows = y.shape[1]
    converged = np.ones(rows, dtype=bool)
    iterations = np.zeros(rows, dtype=int)
    if method == "FE":
        tau2 = np.zeros(rows)
        # A subnormal Q > 0 makes (Q - df) / Q overflow to -inf, which the maximum takes to 0.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            i2 = np.where(q > 0, np.maximum(0.0, 100.0 * (q - df) / q), 0.0)
        h2 = q / df
    else:
        sum_w = w.sum(axis=0)
        spread = _weight_spread(w)
        s2 = df * sum_w / spread
        dl = np.maximum(0.0, (q - df) / (spread / sum_w))
        if method == "DL":
            tau2 = dl
        elif method == "REML":
            tau2, iterations, converged = _reml(y, v, dl, s2, k)
        else:
            tau2, iterations, converged = _paule_mandel(y, v, q, df, s2)
        i2 = 100.0 * tau2 / (tau2 + s2)
        h2 = (tau2 + s2) / s2
    w = 1.0 / (v + tau2)
    sum_w = w.sum(axis=0)
    estimate = (w * y).sum(axis=0) / sum_w
    variance = 1.0 / sum_w
    quantile = 0.5 + level / 2
    if ci == "z":
        crit = np.full(rows, float(normal_quantile(quantile)))
    else:
        residual_ss = (w * (y - estimate) ** 2).sum(axis=0)
        scale = residual_ss / df
        floor = (residual_ss <= HKSJ_ZERO_RSS) if ci == "hksj" else True
        variance = variance * np.where(floor, np.maximum(1.0, scale), scale)
        crit = _by_df(lambda _, d: t_quantile(quantile, d), None, df)
    se = np.sqrt(variance)
    statistic = estimate / se
    if ci == "z":
        p_value = normal_two_sided_p(statistic)
    else:
        p_value = _by_df(t_two_sided_p, statistic, df)
    spread_new = np.sqrt(variance + tau2)
    crit_t2 = _by_df(lambda _, d: t_quantile(quantile, d) if d > 0 else np.nan, None, k - 2)
    values = {
        "estimate": estimate,
        "se": se,
        "ci_low": estimate - crit * se,
        "ci_high": estimate + crit * se,
        "statistic": statistic,
        "p_value": p_value,
        "tau2": tau2,
        "q": q,
        "p_q": p_q,
        "i2": i2,
        "h2": h2,
        "pi_low": estimate - crit * spread_new,
        "pi_high": estimate + crit * spread_new,
        "pi_t_low": estimate - crit_t2 * spread_new,
        "pi_t_high": estimate + crit_t2 * spread_new,
    }
    if not converged.all():
        for name in values:
            values[name] = np.where(converged, values[name], np.nan)
    return BatchPoolResult(
        method=method,
        ci_method=ci,
        level=level,
        k=k,
        df=df,
        iterations=iterations,
        converged=converged,
        **values,
    )


def _checked(yi: object, vi: object, mask: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked effects and variances, transposed to (k, B) with each row's used cells first
    and the unused ones holding ``y = 0`` and ``v = inf`` (weight 0); and each row's k."""
    y = number_matrix(yi, "yi", _WHERE)
    v = number_matrix(vi, "vi", _WHERE)
    if v.shape != y.shape:
        raise InputError(f"{_WHERE}: yi has shape {y.shape} but vi has shape {v.shape}")
    used = cell_mask(mask, y.shape, "yi", _WHERE)
    if y.shape[1] < 2:
        raise InputError(f"{_WHERE}: needs at least 2 studies per row, got k = {y.shape[1]}")
    low, high = VARIANCE_RANGE
    if used is None and np.abs(y).max() <= MAX_EFFECT and low <= v.min() and v.max() <= high:
        return np.ascontiguousarray(y.T), np.ascontiguousarray(v.T), np.full(len(y), y.shape[1])
    with np.errstate(invalid="ignore"):
        bad_y = ~(np.abs(y) <= MAX_EFFECT)
        bad_v = ~((v >= low) & (v <= high))
    if used is not None:
        bad_y &= used
        bad_v &= used
    if bad_y.any():
        row, col = np.argwhere(bad_y)[0]
        value = y[row, col]
        why = "is not finite" if not np.isfinite(value) else f"is beyond {MAX_EFFECT:g} in size"
        raise InputError(f"{_WHERE}: yi[{row}, {col}] = {value:g} {why}")
    if bad_v.any():
        row, col = np.argwhere(bad_v)[0]
        raise InputError(
            f"{_WHERE}: vi[{row}, {col}] = {v[row, col]:g} is outside [{low:g}, {high:g}]; "
            "a variance must be positive and finite (mask out studies of zero variance)"
        )
    if used is None or used.all():
        return np.ascontiguousarray(y.T), np.ascontiguousarray(v.T), np.full(len(y), y.shape[1])
    k = studies_per_row(used, _WHERE)
    order = np.argsort(~used, axis=1, kind="stable")
    used = np.take_along_axis(used, order, axis=1)
    y = np.where(used, np.take_along_axis(y, order, axis=1), 0.0)
    v = np.where(used, np.take_along_axis(v, order, axis=1), np.inf)
    return np.ascontiguousarray(y.T), np.ascontiguousarray(v.T), k


def _by_df(function, x, df: np.ndarray) -> np.ndarray:
    """``function(x, df)`` row by row, called once per distinct df (most batches have one)."""
    if df.min() == df.max():
        result = function(x, float(df[0]))
        return np.broadcast_to(np.asarray(result, dtype=float), df.shape).copy()
    out = np.empty(df.shape)
    for value in np.unique(df):
        rows = df == value
        out[rows] = function(None if x is None else x[rows], float(value))
    return out


CLOSED_FORM_CHI2_MAX_DF = 60
"""Up to these degrees of freedom `_chi2_upper_p` sums the closed form (a term per two df)."""


def _chi2_upper_p(x: np.ndarray, df: float) -> np.ndarray:
    """``chi2_upper_p(x, df)`` for a whole df, by the closed forms of Abramowitz & Stegun
    26.4.4–5: ``exp(-x/2) sum_{j < df/2} (x/2)^j / j!`` for even df; for odd df
    ``2 Phi(-sqrt(x))`` plus ``sqrt(2x/pi) exp(-x/2) sum_j x^j / (3 5 ... (2j+1))``.

    A sum of positive terms, accurate to a few units of 1e-16 relative (the tests compare it
    with `scipy.special.chdtrc`) and three times faster than it; beyond
    `CLOSED_FORM_CHI2_MAX_DF` degrees of freedom, or where ``x/2`` is so large that the terms
    would overflow, `chi2_upper_p` itself.

    References
    ----------
    Abramowitz M, Stegun IA. Handbook of Mathematical Functions. Washington: National Bureau
    of Standards; 1964. Formulas 26.4.4 and 26.4.5.
    """
    if df > CLOSED_FORM_CHI2_MAX_DF:
        return chi2_upper_p(x, df)
    far = x > 1400.0  # exp(-700) is near the smallest double: the terms would overflow
    half = np.where(far, 0.0, x) / 2
    pairs = int(df) // 2
    if int(df) % 2 == 0:
        term = np.exp(-half)
        total = term.copy()
        for j in range(1, pairs):
            term = term * half / j
            total += term
    else:
        root = np.sqrt(2 * half)
        term = root * np.sqrt(2 / np.pi) * np.exp(-half)
        total = 2 * special.ndtr(-root)
        for j in range(1, pairs + 1):
            total += term
            term = term * (2 * half) / (2 * j + 1)
    if far.any():
        total[far] = chi2_upper_p(x[far], df)
    return total


def _weighted_ss(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``sum w (y - mu_w)^2`` per row: the generalised Q at the tau² of the weights."""
    mean = (w * y).sum(axis=0) / w.sum(axis=0)
    return (w * (y - mean) ** 2).sum(axis=0)


def _sum_before(values: np.ndarray) -> np.ndarray:
    """Per row (column of the (k, B) layout), ``sum_{j < i} values_j``, added row by row
    (numpy's cumsum along axis 0 is several times slower)."""
    before = np.empty_like(values)
    before[0] = 0.0
    for i in range(1, len(values)):
        np.add(before[i - 1], values[i - 1], out=before[i])
    return before


def _sum_of_others(values: np.ndarray) -> np.ndarray:
    """Per row (column of the (k, B) layout), ``sum_{j != i} values_j`` of positive values.

    As the sum of the values before ``i`` and of those after it: a sum of positive terms,
    which does not cancel when ``values_i`` dominates, as
    `analysis.metaanalysis.tau2.sum_of_others` ensures for the scalar `pool` (the two agree
    to rounding).
    """
    others = _sum_before(values)
    after = np.empty(values.shape[1:])  # values[i + 1] + ... + values[k - 1]
    after[...] = 0.0
    for i in range(len(values) - 1, 0, -1):
        after += values[i]
        others[i - 1] += after
    return others


def _weight_spread(w: np.ndarray) -> np.ndarray:
    """``(sum w)² - sum(w²)`` per row, as ``2 sum_i w_i sum_{j < i} w_j``: positive terms,
    without the cancellation of the difference (`tau2`'s ``_weight_spread`` sums
    ``w_i sum_{j != i} w_j`` for the same reason)."""
    spread = (w * _sum_before(w)).sum(axis=0)
    return np.add(spread, spread, out=spread)


def _reml_step(y: np.ndarray, v: np.ndarray, tau2: np.ndarray) -> np.ndarray:
    """The Fisher-scoring step ``(y'PPy - tr(P)) / tr(PP)`` per row, the formulas of
    `analysis.metaanalysis.tau2` (``_reml_score``, ``_reml_information``) for arrays, with
    their temporaries reused (this is the inner loop of REML)."""
    w = np.add(v, tau2)
    np.reciprocal(w, out=w)
    sum_w = w.sum(axis=0)
    work = np.multiply(w, y)
    residual = np.subtract(y, work.sum(axis=0) / sum_w)
    residual *= w
    residual *= residual
    others = _sum_of_others(w)
    np.multiply(w, others, out=work)
    score = residual.sum(axis=0) - work.sum(axis=0) / sum_w
    np.divide(w, sum_w, out=work)  # each study's share of the weight
    work *= work
    others *= others
    others *= work
    # sum_i share_i² sum_{j != i} w_j² = 2 sum_i share_i² sum_{j < i} share_j² sum_w²
    np.multiply(work, _sum_before(work), out=work)
    return score / (others.sum(axis=0) + 2 * work.sum(axis=0) * sum_w**2)


def _halve_until_nonnegative(tau2: np.ndarray, step: np.ndarray) -> None:
    """Halve, in place, each ``step`` that would make ``tau2 + step`` negative until it does
    not, as `pool`'s REML does; at ``tau2 = 0`` that is a step of 0 (after some 1,075
    halvings there), set at once."""
    negative = np.flatnonzero(tau2 + step < 0)
    at_zero = tau2[negative] == 0
    step[negative[at_zero]] = 0.0
    negative = negative[~at_zero]
    while negative.size:
        step[negative] /= 2
        negative = negative[tau2[negative] + step[negative] < 0]


def _reml_score_and_slope(
    y: np.ndarray, v: np.ndarray, tau2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``y'PPy - tr(P)`` per row and its derivative in tau², ``tr(PP) - 2 y'PPPy``."""
    w = 1.0 / (v + tau2)
    sum_w = w.sum(axis=0)
    u = w * (y - (w * y).sum(axis=0) / sum_w)  # P y
    score = (u**2).sum(axis=0) - _weight_spread(w) / sum_w
    share = w / sum_w
    information = (share**2 * (_sum_of_others(w) ** 2 + _sum_of_others(w**2))).sum(axis=0)
    pu = w * (u - (w * u).sum(axis=0) / sum_w)  # P P y
    return score, information - 2 * (u * pu).sum(axis=0)


CHUNK_CELLS = 2**17
"""REML's Fisher scoring takes the rows in chunks of about this many cells (1 MB per array),
whose arrays stay in the processor's cache, until most of a chunk's rows have converged."""


def _fisher_scoring(
    y: np.ndarray,
    v: np.ndarray,
    tau2: np.ndarray,
    s2: np.ndarray,
    steps: np.ndarray,
    rows: np.ndarray,
    pause_at: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Fisher-scoring steps of `pool`'s REML for ``rows``, updating ``tau2`` and the per-row
    ``steps`` in place, until at most ``pause_at`` rows still iterate. Returns those rows and
    the rows that reached `FISHER_ITERATIONS` steps without converging."""
    limit = min(MAX_ITERATIONS, FISHER_ITERATIONS)
    # np.take and compress keep the (k, rows) arrays C-contiguous, so that the sums over a
    # row's studies add whole rows of the layout; y[:, rows] would be laid out (rows, k), and
    # every sum over axis 0 would then add k strided values per row, several times slower.
    y, v = np.take(y, rows, axis=1), np.take(v, rows, axis=1)
    current, scale, taken = tau2[rows], s2[rows], steps[rows]
    stuck = []
    while rows.size > pause_at:
        step = _reml_step(y, v, current)
        _halve_until_nonnegative(current, step)
        current = current + step
        taken = taken + 1
        tau2[rows] = current
        steps[rows] = taken
        going = np.abs(step) >= TOLERANCE * np.maximum(scale, current)
        out_of_steps = going & (taken >= limit)
        stuck.append(rows[out_of_steps])
        going &= ~out_of_steps
        if not going.all():
            rows, y, v = rows[going], y.compress(going, axis=1), v.compress(going, axis=1)
            current, scale, taken = current[going], scale[going], taken[going]
    return rows, np.concatenate([*stuck, np.zeros(0, dtype=int)])


def _reml(
    y: np.ndarray, v: np.ndarray, start: np.ndarray, s2: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """REML tau² of every row by Fisher scoring, all rows at once, as `pool`; for rows not
    converged after `FISHER_ITERATIONS` steps, `pool`'s fallback: 0 where the score is not
    positive at 0, else the root of the score in a bracket found by doubling."""
    tau2 = start.copy()
    iterations = np.zeros(len(tau2), dtype=int)
    converged = np.ones(len(tau2), dtype=bool)
    chunk = max(1, CHUNK_CELLS // len(y))
    stragglers, failed = [], []
    for first in range(0, len(tau2), chunk):
        rows = np.arange(first, min(first + chunk, len(tau2)))
        left, stuck = _fisher_scoring(y, v, tau2, s2, iterations, rows, len(rows) // 20)
        stragglers.append(left)
        failed.append(stuck)
    left, stuck = _fisher_scoring(y, v, tau2, s2, iterations, np.concatenate(stragglers), 0)
    active = np.concatenate([*failed, stuck])
    if not active.size:
        return tau2, iterations, converged
    y, v = y[:, active], v[:, active]
    score0, _ = _reml_score_and_slope(y, v, np.zeros(len(active)))
    boundary = score0 <= 0
    tau2[active[boundary]] = 0.0
    iterations[active] = FISHER_ITERATIONS
    inside = ~boundary
    active, y, v = active[inside], y[:, inside], v[:, inside]
    if not active.size:
        return tau2, iterations, converged
    mean_y = y.sum(axis=0) / k[active]
    spread_y = np.where(np.isfinite(v), (y - mean_y) ** 2, 0.0).sum(axis=0) / k[active]
    upper = np.maximum(np.maximum(tau2[active], spread_y), s2[active])
    unbracketed = np.ones(len(active), dtype=bool)
    for _ in range(MAX_ITERATIONS):
        score, _ = _reml_score_and_slope(y[:, unbracketed], v[:, unbracketed], upper[unbracketed])
        still = np.flatnonzero(unbracketed)[score >= 0]
        unbracketed[:] = False
        unbracketed[still] = True
        if not still.size:
            break
        upper[still] *= 2
    root, steps, found = _decreasing_root(
        lambda rows, x: _reml_score_and_slope(y[:, rows], v[:, rows], x),
        np.where((tau2[active] > 0) & (tau2[active] < upper), tau2[active], upper / 2),
        np.zeros(len(active)),
        upper,
        s2[active],
    )
    found &= ~unbracketed
    tau2[active] = np.where(found, root, np.nan)
    iterations[active] = FISHER_ITERATIONS + steps
    converged[active] = found
    return tau2, iterations, converged


def _paule_mandel(
    y: np.ndarray, v: np.ndarray, q: np.ndarray, df: np.ndarray, s2: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paule–Mandel tau² of every row: 0 where Q <= k - 1, else the root of
    ``Q(tau2) - (k - 1)`` (slope ``-sum w² (y - mu)²``) by `_decreasing_root` from 0."""
    tau2 = np.zeros(len(q))
    iterations = np.zeros(len(q), dtype=int)
    converged = np.ones(len(q), dtype=bool)
    active = np.flatnonzero(q > df)
    if not active.size:
        return tau2, iterations, converged
    y, v, target = y[:, active], v[:, active], df[active]

    def excess_and_slope(rows: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = 1.0 / (v[:, rows] + x)
        mean = (w * y[:, rows]).sum(axis=0) / w.sum(axis=0)
        residual2 = (y[:, rows] - mean) ** 2
        return (w * residual2).sum(axis=0) - target[rows], -(w**2 * residual2).sum(axis=0)

    n = len(active)
    root, steps, found = _decreasing_root(
        excess_and_slope, np.zeros(n), np.zeros(n), np.full(n, np.inf), s2[active]
    )
    tau2[active] = np.where(found, root, np.nan)
    iterations[active] = steps
    converged[active] = found
    return tau2, iterations, converged


def _decreasing_root(
    evaluate, start: np.ndarray, low: np.ndarray, high: np.ndarray, s2: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Root of a decreasing function per row by Newton's method kept inside its bracket.

    ``evaluate(rows, x)`` gives the function and its slope at ``x`` for those rows. A Newton
    step that leaves the bracket ``(low, high)`` (narrowed at every evaluation) is replaced by
    bisection, or by doubling while ``high`` is infinite. A row stops when its step is below
    ``TOLERANCE * max(s2, x)``, the rule of the REML iteration; the tolerance of `pool`'s
    Brent steps is the same, relative to s², so both land within it of the same root.
    Returns the roots, the steps taken, and which rows converged in `MAX_ITERATIONS`.
    """
    x, low, high = start.copy(), low.copy(), high.copy()
    iterations = np.full(len(x), MAX_ITERATIONS)
    converged = np.zeros(len(x), dtype=bool)
    active = np.arange(len(x))
    for iteration in range(1, MAX_ITERATIONS + 1):
        if not active.size:
            break
        current = x[active]
        value, slope = evaluate(active, current)
        above = value > 0
        low[active] = np.where(above, current, low[active])
        high[active] = np.where(above, high[active], current)
        lo, hi = low[active], high[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            proposal = current - value / slope
        outside = ~((proposal > lo) & (proposal < hi))
        fallback = np.where(np.isfinite(hi), (lo + hi) / 2, 2 * np.maximum(current, s2[active]))
        proposal = np.where(value == 0, current, np.where(outside, fallback, proposal))
        x[active] = proposal
        done = np.abs(proposal - current) < TOLERANCE * np.maximum(s2[active], proposal)
        iterations[active[done]] = iteration
        converged[active[done]] = True
        active = active[~done]
    return x, iterations, converged
