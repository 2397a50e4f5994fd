"""Many binomial–normal GLMMs at once: `glmm_proportions` over the rows of (B, k) counts.

`glmm_batch` fits the model of `analysis.metaanalysis.glmm.glmm_proportions` (events binomial,
study logits normal, maximum likelihood by adaptive Gauss–Hermite quadrature) to every row of
arrays of events and patients at once, for simulations: the conditional modes, the quadrature
and the Newton iterations over ``(mu, tau)`` are array operations over all rows still
iterating. Every row's numbers equal those of `glmm_proportions` on that row to the stop of the
two optimizers (the tests hold them to ``GLMM_BATCH_EQUALS_SCALAR``).
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy import special

from analysis.metaanalysis.batch import pool_batch
from analysis.metaanalysis.checks import (
    MAX_COUNT,
    cell_mask,
    confidence_level,
    number_matrix,
    studies_per_row,
)
from analysis.metaanalysis.distributions import (
    binomial_logpmf,
    normal_quantile,
    normal_two_sided_p,
)
from analysis.metaanalysis.errors import ConvergenceError, InputError
from analysis.metaanalysis.glmm import NAGQ, check_nagq, conditional_modes, glmm_proportions
from analysis.metaanalysis.results import BatchResult

__all__ = ["BatchGlmmResult", "glmm_batch"]

_WHERE = "glmm_batch"

MAX_NEWTON_STEPS = 100
"""Quasi-Newton steps over ``(mu, tau)`` a row may take before `glmm_proportions` fits it."""

GRADIENT_TOLERANCE = 1e-10
"""A row stops when every component of its log-likelihood gradient is at most this (the
scalar fit stops at a gradient norm of 1e-9), or when its Newton step is below
`STEP_TOLERANCE` relative to ``1 + |theta|``."""

STEP_TOLERANCE = 1e-12

EXTREME_LOGIT = 8.0
EXTREME_TAU = 5.0
"""A maximum with ``|mu|`` above `EXTREME_LOGIT` (a proportion beyond 0.9997 or below 0.0003)
or tau above `EXTREME_TAU` comes from studies with all or no events, whose likelihood is flat
there and can have several maxima; such a row is fitted by `glmm_proportions` itself, so that
it reaches the maximum that fit's optimizer reaches (the two paths can end at different ones)."""

CHUNK_ROWS = 5_000
"""Rows fitted together: each (rows, k, nagq) array of the quadrature then stays a few MB."""

MAX_STEP = 2.0
"""Longest Newton step in ``mu`` or ``tau`` (logit units) tried at once."""


@dataclass(frozen=True)
class BatchGlmmResult(BatchResult):
    """The result of `glmm_batch`: one value per row (meta-analysis) in each array.

    Row ``b`` holds what ``glmm_proportions(events[b], n[b], level, nagq=nagq)`` reports on
    that row's used cells. Unlike `GlmmResult` (and like `BatchPoolResult`, whose
    ``estimate`` is on the scale of the effects), ``ci_low``, ``ci_high``, ``pi_low`` and
    ``pi_high`` here are on the logit scale, the scale of ``mu``; the proportion-scale
    numbers are the ``estimate*`` fields.

    Attributes
    ----------
    level : float
        Confidence level of the intervals.
    nagq : int
        Quadrature points per study.
    k : numpy.ndarray of int
        Studies in each row (its used cells).
    mu, se : numpy.ndarray
        Mean logit and its standard error from the observed information
        (`GlmmResult.mu`, `GlmmResult.se`).
    ci_low, ci_high : numpy.ndarray
        Wald limits of ``mu``, ``mu -/+ z se`` (`GlmmResult.mu_ci_low`, ``mu_ci_high``).
    pi_low, pi_high : numpy.ndarray
        Prediction limits of a new study's logit, ``mu -/+ z sqrt(tau2 + se²)``.
    estimate, estimate_ci_low, estimate_ci_high, estimate_pi_low, estimate_pi_high
        The same on the proportion scale (``expit``): `GlmmResult.estimate`, ``ci_low``,
        ``ci_high``, ``pi_low``, ``pi_high``.
    z, p_value : numpy.ndarray
        Wald test of ``mu = 0``.
    tau2 : numpy.ndarray
        Between-study variance of the logits (0 on the boundary).
    loglik : numpy.ndarray
        Maximised log-likelihood, binomial coefficients included.
    estimable : numpy.ndarray of bool
        False in a row without any used study with ``0 < events < n``, where
        `glmm_proportions` raises `InputError` (the likelihood has no finite maximum); every
        number of such a row is NaN.
    converged : numpy.ndarray of bool
        True where the maximum was found; False in rows that are not estimable and in rows
        where `glmm_proportions` too raises `ConvergenceError` (their numbers are NaN).
    fallback : numpy.ndarray of bool
        Rows the vectorised iteration did not settle, fitted by `glmm_proportions` itself.
    iterations : numpy.ndarray of int
        Quasi-Newton steps of the vectorised iteration (the optimizer's iterations of
        `glmm_proportions` in a fallback row).
    """

    level: float
    nagq: int
    k: np.ndarray
    mu: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    pi_low: np.ndarray
    pi_high: np.ndarray
    estimate: np.ndarray
    estimate_ci_low: np.ndarray
    estimate_ci_high: np.ndarray
    estimate_pi_low: np.ndarray
    estimate_pi_high: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    tau2: np.ndarray
    loglik: np.ndarray
    estimable: np.ndarray
    converged: np.ndarray
    fallback: np.ndarray
    iterations: np.ndarray

    _labels: ClassVar[tuple[str, ...]] = ("level", "nagq")


def glmm_batch(
    events: object,
    n: object,
    *,
    mask: object = None,
    level: float = 0.95,
    nagq: int = NAGQ,
) -> BatchGlmmResult:
    """Fit the binomial–normal GLMM of `glmm_proportions` to each row of (B, k) counts.

    Parameters
    ----------
    events, n : array-like of int, shape (B, k)
        Events and patients; row ``b`` is one meta-analysis of up to k studies.
    mask : array-like of bool, shape (B, k), optional
        True for the cells to use; False cells are ignored whatever they hold (NaN too), so
        that rows can have different numbers of studies. Default: every cell.
    level : float
        Confidence level of the intervals, default 0.95.
    nagq : int
        Quadrature points per study, 1 (Laplace) to 50; default 7 as metafor.

    Returns
    -------
    BatchGlmmResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line naming the argument (and the row and column of a bad cell): arrays that are
        not 2-D numbers of one shape, a used count that is not a whole number in range
        (``n >= 1``, ``0 <= events <= n``, at most 2**53), a row with fewer than 2 used
        studies, a bad mask, level or nagq. A row without a study with ``0 < events < n``
        is not an error here: it is reported as not ``estimable``.

    Notes
    -----
    The likelihood is that of `glmm_proportions` (``_Likelihood``) written for arrays: each
    cell's conditional mode by Newton's method inside its bracket, adaptive Gauss–Hermite
    quadrature with ``nagq`` points, and the exact gradient in ``(mu, tau)``. The maximum is
    found over ``(mu, tau)``, ``tau`` on the real line, for all rows at once, from
    `glmm_proportions`' start (the pooled logit, and the DerSimonian–Laird tau of the logits
    or 0.3 if larger), by a quasi-Newton ascent: the Hessian by forward differences of the
    gradient at the start (shifted to be negative definite where it is not, as
    Levenberg–Marquardt), updated by BFGS after each step; a step that does not raise the
    log-likelihood enough is halved (Armijo's rule; Nocedal & Wright 2006, ch. 3 and 6).
    Rows leave the iteration as they stop (gradient below `GRADIENT_TOLERANCE` or a
    negligible step), and the observed information is then taken by central differences at
    the stop, as `glmm_proportions` takes it.
    The boundary rule, the standard error and the intervals are those of
    `glmm_proportions`. A row the iteration does not settle (no stop in `MAX_NEWTON_STEPS`,
    no ascent, or an information that is not positive definite off the boundary), or whose
    maximum is extreme (`EXTREME_LOGIT`, `EXTREME_TAU`), or whose ``tau = 0`` is a local
    maximum below the one found inside, is fitted by `glmm_proportions` itself and flagged in
    ``fallback``: such likelihoods can have several maxima, and `glmm_proportions` returns
    the one its optimizer reaches, which another path need not reach.

    References
    ----------
    Stijnen T, Hamza TH, Özdemir P. Random effects meta-analysis of event outcome in the
    framework of the generalized linear mixed model with applications in sparse data. Stat Med
    2010;29(29):3046-67. doi:10.1002/sim.4040

    Liu Q, Pierce DA. A note on Gauss-Hermite quadrature. Biometrika 1994;81(3):624-9.
    doi:10.1093/biomet/81.3.624

    Nocedal J, Wright SJ. Numerical Optimization. 2nd ed. New York: Springer; 2006.

    Examples
    --------
    Two meta-analyses, the second of three studies only:

    >>> events = [[25, 8, 19, 0], [5, 10, 14, 0]]
    >>> n = [[33, 13, 20, 4], [19, 16, 18, 1]]
    >>> used = [[True, True, True, True], [True, True, True, False]]
    >>> res = glmm_batch(events, n, mask=used)
    >>> res.k.tolist(), res.estimate.round(3).tolist(), res.tau2.round(3).tolist()
    ([4, 3], [0.655, 0.56], [3.075, 0.695])
    """
    level = confidence_level(level, _WHERE)
    check_nagq(nagq, _WHERE)
    x, size, used, k = _counts(events, n, mask)
    rows = len(x)
    estimable = ((x > 0) & (x < size) & used).any(axis=1)
    out = {name: np.full(rows, np.nan) for name in ("mu", "se", "tau2", "loglik")}
    converged = np.zeros(rows, dtype=bool)
    fallback = np.zeros(rows, dtype=bool)
    iterations = np.zeros(rows, dtype=int)

    estimable_rows = np.flatnonzero(estimable)
    for first in range(0, len(estimable_rows), CHUNK_ROWS):
        fit = estimable_rows[first : first + CHUNK_ROWS]
        mu, se, tau2, loglik, done, steps = _fit_rows(x[fit], size[fit], used[fit], nagq)
        out["mu"][fit], out["se"][fit], out["tau2"][fit], out["loglik"][fit] = (
            mu,
            se,
            tau2,
            loglik,
        )
        converged[fit], iterations[fit] = done, steps
        for row in fit[~done]:
            _fit_one(row, x, size, used, level, nagq, out, converged, iterations)
            fallback[row] = True
    for name in out:
        out[name] = np.where(converged, out[name], np.nan)
    return _result(out, k, estimable, converged, fallback, iterations, level, nagq)


def _fit_rows(
    x: np.ndarray, size: np.ndarray, used: np.ndarray, nagq: int
) -> tuple[np.ndarray, ...]:
    """``mu, se, tau2, loglik`` of estimable rows by the vectorised iteration and the boundary
    rule of `glmm_proportions`, which rows that settled, and the steps taken."""
    likelihood = _BatchLikelihood(x, size, used, nagq)
    theta, steps, information, loglik_max, settled, exhausted = _maximise(
        likelihood, _start(x, size, used)
    )
    # The boundary tau = 0: the binomial model with one proportion, in closed form.
    p0 = x.sum(axis=1) / size.sum(axis=1)
    expected = size * p0[:, None]
    score_tau2 = 0.5 * np.sum(
        np.where(used, (x - expected) ** 2 - expected * (1 - p0[:, None]), 0.0), axis=1
    )
    loglik_boundary = np.sum(np.where(used, binomial_logpmf(x, size, p0[:, None]), 0.0), axis=1)
    boundary = (
        ~exhausted
        & (score_tau2 <= 0)
        & (loglik_boundary >= loglik_max - 1e-9 * np.maximum(1.0, np.abs(loglik_max)))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        se_inside = np.sqrt(information[1, 1] / _determinant(information))
    mu = np.where(boundary, special.logit(p0), theta[0])
    tau = np.where(boundary, 0.0, np.abs(theta[1]))
    se = np.where(boundary, 1.0 / np.sqrt(size.sum(axis=1) * p0 * (1 - p0)), se_inside)
    loglik = np.where(boundary, loglik_boundary, loglik_max)
    extreme = ~boundary & ((np.abs(mu) > EXTREME_LOGIT) | (tau > EXTREME_TAU))
    # tau = 0 is a local maximum (score <= 0) but a higher one lies inside: which of the two
    # glmm_proportions returns depends on its optimizer's path.
    two_maxima = ~boundary & ~exhausted & (score_tau2 <= 0)
    return mu, se, tau * tau, loglik, (boundary | settled) & ~extreme & ~two_maxima, steps


def _result(out, k, estimable, converged, fallback, iterations, level, nagq) -> BatchGlmmResult:
    crit = float(normal_quantile(0.5 + level / 2))
    mu, se, tau2 = out["mu"], out["se"], out["tau2"]
    half = crit * se
    spread = crit * np.sqrt(tau2 + se * se)
    logits = {
        "ci_low": mu - half,
        "ci_high": mu + half,
        "pi_low": mu - spread,
        "pi_high": mu + spread,
    }
    z = mu / se
    return BatchGlmmResult(
        level=level,
        nagq=int(nagq),
        k=k,
        mu=mu,
        se=se,
        **logits,
        estimate=special.expit(mu),
        **{f"estimate_{name}": special.expit(value) for name, value in logits.items()},
        z=z,
        p_value=normal_two_sided_p(z),
        tau2=tau2,
        loglik=out["loglik"],
        estimable=estimable,
        converged=converged,
        fallback=fallback,
        iterations=iterations,
    )


def _fit_one(row, x, size, used, level, nagq, out, converged, iterations) -> None:
    """Fit ``row`` with `glmm_proportions` itself, writing into ``out`` (NaN if it fails)."""
    cells = used[row]
    try:
        res = glmm_proportions(x[row, cells], size[row, cells], level, nagq=nagq)
    except ConvergenceError:
        converged[row] = False
        return
    for name in out:
        out[name][row] = getattr(res, name)
    converged[row] = True
    iterations[row] = res.iterations


def _counts(
    events: object, n: object, mask: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Checked counts with unused cells set to 0 events of 0, the mask of used cells (all
    True without one), and each row's number of used cells."""
    x = number_matrix(events, "events", _WHERE)
    size = number_matrix(n, "n", _WHERE)
    if size.shape != x.shape:
        raise InputError(f"{_WHERE}: events has shape {x.shape} but n has shape {size.shape}")
    used = cell_mask(mask, x.shape, "events", _WHERE)
    if x.shape[1] < 2:
        raise InputError(f"{_WHERE}: needs at least 2 studies per row, got k = {x.shape[1]}")
    if used is None:
        used = np.ones(x.shape, dtype=bool)
        k = np.full(len(x), x.shape[1])
    else:
        k = studies_per_row(used, _WHERE)
    with np.errstate(invalid="ignore"):
        for name, values in (("events", x), ("n", size)):
            _first_bad(~np.isfinite(values) & used, values, name, "is not finite")
            _first_bad((values != np.round(values)) & used, values, name, "is not a whole number")
            _first_bad(
                (np.abs(values) > MAX_COUNT) & used,
                values,
                name,
                f"is too large: counts above 2**53 = {MAX_COUNT} are not held exactly",
            )
        _first_bad((size < 1) & used, size, "n", "is below 1; a study needs n >= 1")
        outside = ((x < 0) | (x > size)) & used
    if outside.any():
        row, col = np.argwhere(outside)[0]
        raise InputError(
            f"{_WHERE}: events[{row}, {col}] = {x[row, col]:g} is outside [0, n[{row}, {col}]] "
            f"= [0, {size[row, col]:g}]"
        )
    return np.where(used, x, 0.0), np.where(used, size, 0.0), used, k


def _first_bad(bad: np.ndarray, values: np.ndarray, name: str, why: str) -> None:
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise InputError(f"{_WHERE}: {name}[{row}, {col}] = {values[row, col]:g} {why}")


def _start(x: np.ndarray, size: np.ndarray, used: np.ndarray) -> np.ndarray:
    """`glmm_proportions`' start per row: the pooled logit, and the DerSimonian–Laird tau of
    the study logits (escalc's 1/2 added to studies with 0 or n events), at least 0.3."""
    add = np.where((x == 0) | (x == size), 0.5, 0.0)
    events, others = np.where(used, x + add, 1.0), np.where(used, size - x + add, 1.0)
    logits = np.log(events / others)
    variances = 1.0 / events + 1.0 / others
    tau_dl = np.sqrt(pool_batch(logits, variances, "DL", mask=used).tau2)
    return np.array([special.logit(x.sum(axis=1) / size.sum(axis=1)), np.maximum(tau_dl, 0.3)])


class _BatchLikelihood:
    """`glmm._Likelihood` for (B, k) arrays: each row's log-likelihood and gradient.

    Unused cells hold 0 events of 0 patients; their mode is 0, their gradient exactly 0, and
    their value is left out.
    """

    def __init__(self, x: np.ndarray, n: np.ndarray, used: np.ndarray, nagq: int) -> None:
        self.x, self.n, self.used = x, n, used
        self.log_choose = np.where(
            used,
            special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1),
            0.0,
        )
        nodes, weights = hermegauss(nagq)
        self.nodes = nodes
        self.log_weights = np.log(weights) + nodes**2 / 2 - 0.5 * np.log(2 * np.pi)

    def rows(self, which: np.ndarray) -> "_BatchLikelihood":
        """The likelihood of some rows only."""
        part = object.__new__(_BatchLikelihood)
        part.x, part.n, part.used = self.x[which], self.n[which], self.used[which]
        part.log_choose = self.log_choose[which]
        part.nodes, part.log_weights = self.nodes, self.log_weights
        return part

    def value_and_gradient(
        self, mu: np.ndarray, tau: np.ndarray, near: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each row's log-likelihood (B,) and its gradient in ``(mu, tau)`` (2, B); ``near``:
        the conditional modes at a nearby point, to start their search from."""
        return self.evaluate(mu, tau, near)[:2]

    def evaluate(
        self, mu: np.ndarray, tau: np.ndarray, near: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`value_and_gradient` and the conditional modes (B, k) found on the way."""
        x, n, z = self.x, self.n, self.nodes
        m, t = mu[:, None], tau[:, None]
        mode = conditional_modes(x, n, m, t, near)
        p = special.expit(m + t * mode)
        w = n * p * (1 - p)
        dw = w * (1 - 2 * p)
        scale2 = 1.0 / (1.0 + t * t * w)
        d_mode = (-t * w * scale2, ((x - n * p) - t * mode * w) * scale2)
        d_log_scale = (
            -0.5 * scale2 * (t * t * dw * (1 + t * d_mode[0])),
            -0.5 * scale2 * (2 * t * w + t * t * dw * (mode + t * d_mode[1])),
        )
        scale = np.sqrt(scale2)
        points = mode[..., None] + scale[..., None] * z
        eta = m[..., None] + t[..., None] * points
        softplus = np.logaddexp(0.0, eta)
        terms = x[..., None] * eta - n[..., None] * softplus - points**2 / 2 + self.log_weights
        top = terms.max(axis=-1, keepdims=True)
        weight = np.exp(terms - top)
        total = weight.sum(axis=-1)
        cell = self.log_choose + np.log(scale) + top[..., 0] + np.log(total)
        value = np.where(self.used, cell, 0.0).sum(axis=-1)

        # The gradient of `glmm._Likelihood.value_and_gradient`, with its sums over the nodes
        # written through four moments of each cell's weights (the shares sum to 1):
        # sum share (direct_j + slope (d_mode_j + z scale d_log_scale_j)), where
        # slope = tau residual - points and points = mode + scale z.
        share = weight / total[..., None]
        weighted = share * (x[..., None] - n[..., None] * special.expit(eta))
        r0, r1 = weighted.sum(axis=-1), weighted @ z
        s1, s2 = share @ z, share @ (z * z)
        slope0 = t * r0 - mode - scale * s1  # sum share slope
        slope1 = t * r1 - mode * s1 - scale * s2  # sum share slope z
        direct = (r0, mode * r0 + scale * r1)
        gradient = np.empty((2, len(mu)))
        for j in range(2):
            inner = direct[j] + d_mode[j] * slope0 + scale * d_log_scale[j] * slope1
            gradient[j] = np.sum(d_log_scale[j] + inner, axis=-1)
        return value, gradient, mode

    def hessian(
        self,
        mu: np.ndarray,
        tau: np.ndarray,
        gradient: np.ndarray | None = None,
        near: np.ndarray | None = None,
    ) -> np.ndarray:
        """Differences of the gradient, symmetrised, shape (2, 2, B): central ones as
        `glmm._jacobian` (step ``1e-5 max(1, |theta|)``), or forward ones from ``gradient``,
        the gradient at ``(mu, tau)``, when it is given (half the evaluations, for a first
        model of the curvature only). ``near``: the conditional modes at ``(mu, tau)``."""
        if near is None:
            near = conditional_modes(self.x, self.n, mu[:, None], tau[:, None])
        columns = []
        for i, theta in enumerate((mu, tau)):
            h = 1e-5 * np.maximum(1.0, np.abs(theta))
            shifts = [(mu + h, tau), (mu - h, tau)] if i == 0 else [(mu, tau + h), (mu, tau - h)]
            up = self.value_and_gradient(*shifts[0], near)[1]
            if gradient is None:
                columns.append((up - self.value_and_gradient(*shifts[1], near)[1]) / (2 * h))
            else:
                columns.append((up - gradient) / h)
        jacobian = np.stack(columns, axis=1)  # [gradient component, variable, row]
        return (jacobian + jacobian.transpose(1, 0, 2)) / 2


def _determinant(matrix: np.ndarray) -> np.ndarray:
    return matrix[0, 0] * matrix[1, 1] - matrix[0, 1] * matrix[1, 0]


def _maximise(likelihood: _BatchLikelihood, start: np.ndarray) -> tuple[np.ndarray, ...]:
    """Quasi-Newton ascent over ``(mu, tau)`` for all rows at once, safeguarded.

    The model of the information (negative Hessian) starts as the forward-difference one at
    the start, shifted to be positive definite where it is not, and is updated by BFGS after
    each step (an update that would lose positive definiteness is skipped); steps are capped
    at `MAX_STEP` and halved until the log-likelihood rises (Armijo's rule). Rows leave as
    they stop. At each row's stop the information is taken afresh by central differences, as
    `glmm_proportions` takes it.

    Returns ``theta`` (2, B), the steps taken, that information (2 x 2 x B), the
    log-likelihood at the stop, which rows reached a maximum (gradient ~0 and information
    positive definite, the test of `glmm_proportions`), and which ran out of steps.
    """
    rows = start.shape[1]
    theta = start.copy()
    steps = np.zeros(rows, dtype=int)
    loglik = np.full(rows, np.nan)
    final_gradient = np.full((2, rows), np.nan)
    final_modes = np.zeros(likelihood.x.shape)
    exhausted = np.zeros(rows, dtype=bool)
    active = np.arange(rows)
    part = likelihood
    value, gradient, modes = part.evaluate(theta[0], theta[1])
    model = _positive_definite(-part.hessian(theta[0], theta[1], gradient, modes))
    for iteration in range(MAX_NEWTON_STEPS + 1):
        step = _solve(model, gradient)
        size = np.max(np.abs(theta[:, active]), axis=0)
        stop = (np.max(np.abs(gradient), axis=0) <= GRADIENT_TOLERANCE) | (
            np.max(np.abs(step), axis=0) <= STEP_TOLERANCE * (1 + size)
        )
        if iteration == MAX_NEWTON_STEPS:
            exhausted[active[~stop]] = True
            stop[:] = True
        if stop.any():
            done = active[stop]
            loglik[done], final_gradient[:, done] = value[stop], gradient[:, stop]
            final_modes[done] = modes[stop]
            keep = ~stop
            active, part = active[keep], part.rows(keep)
            value, gradient, modes = value[keep], gradient[:, keep], modes[keep]
            step, model = step[:, keep], model[..., keep]
        if not active.size:
            break
        step *= np.minimum(1.0, MAX_STEP / np.max(np.abs(step), axis=0))
        new_value, new_gradient, modes, fraction = _backtrack(
            part, theta[:, active], value, gradient, modes, step
        )
        failed = fraction == 0
        moved = fraction[None, :] * step
        theta[:, active] += moved
        steps[active] += 1
        model = _bfgs_update(model, moved, gradient - new_gradient)
        value, gradient = new_value, new_gradient
        if failed.any():
            done = active[failed]
            loglik[done], final_gradient[:, done] = value[failed], gradient[:, failed]
            final_modes[done] = modes[failed]
            keep = ~failed
            active, part = active[keep], part.rows(keep)
            value, gradient, modes = value[keep], gradient[:, keep], modes[keep]
            model = model[..., keep]
    information = np.full((2, 2, rows), np.nan)
    stopped = np.flatnonzero(~exhausted)
    if stopped.size:
        information[..., stopped] = -likelihood.rows(stopped).hessian(
            *theta[:, stopped], near=final_modes[stopped]
        )
    scale = np.maximum(1.0, np.abs(loglik))
    with np.errstate(invalid="ignore"):
        settled = (
            ~exhausted
            & (np.max(np.abs(final_gradient), axis=0) <= 1e-6 * scale)
            & (_smallest_eigenvalue(information) > 0)
        )
    return theta, steps, information, loglik, settled, exhausted


def _backtrack(
    part: _BatchLikelihood,
    theta: np.ndarray,
    value: np.ndarray,
    gradient: np.ndarray,
    modes: np.ndarray,
    step: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Armijo backtracking for all rows: the value, gradient and conditional modes at
    ``theta + fraction step`` (each mode searched from ``modes``, those at ``theta``) and the
    fraction (halved from 1 until the log-likelihood rises enough; 0 for a row that does not
    rise after 40 halvings)."""
    slope = np.sum(gradient * step, axis=0)
    new_value, new_gradient, new_modes = value.copy(), gradient.copy(), modes.copy()
    fraction = np.ones(len(value))
    pending = np.arange(len(value))
    for _ in range(40):
        trial = theta[:, pending] + fraction[pending] * step[:, pending]
        v_try, g_try, m_try = part.rows(pending).evaluate(trial[0], trial[1], modes[pending])
        rise = value[pending] + 1e-4 * fraction[pending] * slope[pending]
        ok = v_try >= rise - 1e-13 * (1 + np.abs(value[pending]))
        accepted = pending[ok]
        new_value[accepted], new_gradient[:, accepted] = v_try[ok], g_try[:, ok]
        new_modes[accepted] = m_try[ok]
        pending = pending[~ok]
        if not pending.size:
            return new_value, new_gradient, new_modes, fraction
        fraction[pending] /= 2
    fraction[pending] = 0.0
    return new_value, new_gradient, new_modes, fraction


def _smallest_eigenvalue(matrix: np.ndarray) -> np.ndarray:
    a, b, c = matrix[0, 0], matrix[0, 1], matrix[1, 1]
    return (a + c) / 2 - np.sqrt(((a - c) / 2) ** 2 + b * b)


def _positive_definite(matrix: np.ndarray) -> np.ndarray:
    """Each symmetric 2 x 2 matrix, with its diagonal raised where needed so that its
    smallest eigenvalue is at least 1e-3 of its largest (Levenberg–Marquardt)."""
    a, c = matrix[0, 0], matrix[1, 1]
    smallest = _smallest_eigenvalue(matrix)
    largest = a + c - smallest
    floor = 1e-3 * np.maximum(1.0, np.abs(largest))
    shift = np.where(smallest >= floor, 0.0, floor - smallest)
    shifted = matrix.copy()
    shifted[0, 0] += shift
    shifted[1, 1] += shift
    return shifted


def _solve(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """``matrix^-1 vector`` for each 2 x 2 matrix and 2-vector (the last axis is the row)."""
    a, b, c = matrix[0, 0], matrix[0, 1], matrix[1, 1]
    det = a * c - b * b
    return np.array([c * vector[0] - b * vector[1], a * vector[1] - b * vector[0]]) / det


def _bfgs_update(model: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The BFGS update of each 2 x 2 model ``B`` after a step ``s`` whose gradient of the
    negative log-likelihood changed by ``y`` (Nocedal & Wright 2006, eq. 6.19), skipped
    where ``s'y`` is not positive enough to keep ``B`` positive definite."""
    bs = np.einsum("ijb,jb->ib", model, s)
    sbs = np.sum(s * bs, axis=0)
    sy = np.sum(s * y, axis=0)
    usable = (sy > 1e-12 * np.sqrt(np.sum(s * s, axis=0) * np.sum(y * y, axis=0))) & (sbs > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = y[:, None] * y[None, :] / sy - bs[:, None] * bs[None, :] / sbs
    return model + np.where(usable, change, 0.0)
