"""Estimators of the between-study variance tau² of the random-effects model.

All take checked arrays of effect sizes ``yi`` and positive sampling variances ``vi`` of an
intercept-only model and return the estimate (``>= 0``). The iterative ones return the number of
iterations too, and raise `analysis.metaanalysis.errors.ConvergenceError` when they do not
converge.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from math import fsum
from operator import mul

import numpy as np
from scipy import optimize

from analysis.metaanalysis.errors import ConvergenceError
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.roots import bracket_decreasing
from analysis.metaanalysis.sums import FSUM_BELOW, total, total_without

TOLERANCE = 1e-12
"""Convergence tolerance of the iterative estimators: on the change in tau², relative to
``max(tau2, s²)`` with s² the typical within-study variance. Relative, so that rescaling the
data rescales the answer exactly (an absolute tolerance is too loose for effects measured in
small units and below the rounding noise of a large tau²)."""
MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class Tau2Estimate(TidyResult):
    """An estimate of tau².

    Attributes
    ----------
    tau2 : float
        The estimate, ``>= 0``.
    iterations : int
        Iterations used (0 for closed-form estimators).
    """

    tau2: float
    iterations: int = 0


def cochran_q(yi: np.ndarray, vi: np.ndarray) -> float:
    """Cochran's Q: the inverse-variance weighted sum of squares about the common-effect mean.

    References
    ----------
    Cochran WG. The combination of estimates from different experiments. Biometrics
    1954;10(1):101-29. doi:10.2307/3001666
    """
    return generalized_q(yi, vi, 0.0)


def generalized_q(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """The generalised Q statistic ``sum w_i (y_i - mu_w)^2`` with ``w_i = 1 / (v_i + tau2)``.

    Decreasing in tau²; ``generalized_q(yi, vi, 0)`` is Cochran's Q.
    """
    return _q_of_weights(yi, 1.0 / (vi + tau2))


def _q_of_weights(yi: np.ndarray, w: np.ndarray) -> float:
    """``sum w_i (y_i - mu_w)^2`` for the weights ``w``."""
    mean = total(w * yi) / total(w)
    return total(w * (yi - mean) ** 2)


def sum_of_others(
    values: np.ndarray, largest: int | None = None, sum_values: float | None = None
) -> np.ndarray:
    """For each ``i``, ``sum_{j != i} values_j`` (positive values).

    ``sum(values) - values_i``, except for the largest value, whose others are added up
    directly: when it dominates, the subtraction would cancel to 0. A caller that knows the
    position of the largest value or the sum may pass them (an iteration over tau² does:
    the largest weight ``1 / (v_i + tau2)`` is always that of the smallest ``v_i``).
    """
    if largest is None:
        largest = int(values.argmax())
    others = (total(values) if sum_values is None else sum_values) - values
    others[largest] = total_without(values, largest)
    return others


def _weight_spread(w: np.ndarray) -> float:
    """``(sum w)² - sum(w²) = sum_i w_i sum_{j != i} w_j``, without cancellation."""
    return total(w * sum_of_others(w))


def typical_within_variance(vi: np.ndarray) -> float:
    """The "typical" within-study variance ``s² = (k - 1) sum(w) / ((sum w)² - sum(w²))``.

    I² and H² of a random-effects model are defined through it (Higgins & Thompson 2002, eq. 9).
    The denominator is computed as ``sum_i w_i sum_{j != i} w_j``, the same in real arithmetic
    but positive even when one weight dominates the others.
    """
    w = 1.0 / vi
    return (len(vi) - 1) * total(w) / _weight_spread(w)


def dersimonian_laird(yi: np.ndarray, vi: np.ndarray) -> Tau2Estimate:
    """DerSimonian–Laird method-of-moments estimate of tau², truncated at zero.

    ``tau2 = max(0, (Q - (k - 1)) / (sum(w) - sum(w**2) / sum(w)))`` with ``w = 1 / vi`` and
    ``Q`` Cochran's heterogeneity statistic.

    References
    ----------
    DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
    1986;7(3):177-88. doi:10.1016/0197-2456(86)90046-2
    """
    w = 1.0 / vi
    q = _q_of_weights(yi, w)  # Cochran's Q
    c = _weight_spread(w) / total(w)  # sum(w) - sum(w²) / sum(w), no cancellation
    return Tau2Estimate(max(0.0, (q - (len(yi) - 1)) / c))


def paule_mandel(
    yi: np.ndarray, vi: np.ndarray, tol: float = TOLERANCE, max_iter: int = MAX_ITERATIONS
) -> Tau2Estimate:
    """Paule–Mandel estimate: the tau² at which the generalised Q equals its expectation k - 1.

    Zero when Cochran's Q is already at most k - 1. Otherwise the root of the decreasing
    function ``generalized_q(tau2) - (k - 1)``, bracketed by doubling and found by Brent's
    method to a tolerance ``tol`` times the typical within-study variance.

    References
    ----------
    Paule RC, Mandel J. Consensus values and weighting factors. J Res Natl Bur Stand
    1982;87(5):377-85. doi:10.6028/jres.087.022

    DerSimonian R, Kacker R. Random-effects model for meta-analysis of clinical trials: an
    update. Contemp Clin Trials 2007;28(2):105-14. doi:10.1016/j.cct.2006.04.004
    """
    target = len(yi) - 1

    def excess(tau2: float) -> float:
        return generalized_q(yi, vi, tau2) - target

    if excess(0.0) <= 0:
        return Tau2Estimate(0.0)
    scale = typical_within_variance(vi)
    upper = bracket_decreasing(
        excess, max(float(np.var(yi)), scale), what="PM root", where="pool", max_iter=max_iter
    )
    root, info = optimize.brentq(
        excess, 0.0, upper, xtol=tol * scale, rtol=8 * np.finfo(float).eps, maxiter=max_iter,
        full_output=True, disp=False,
    )  # fmt: skip
    if not info.converged:
        raise ConvergenceError(
            f"pool: the Paule-Mandel estimator did not converge in {info.iterations} iterations"
        )
    return Tau2Estimate(float(root), info.iterations)


def restricted_maximum_likelihood(
    yi: np.ndarray, vi: np.ndarray, tol: float = TOLERANCE, max_iter: int = MAX_ITERATIONS
) -> Tau2Estimate:
    """Restricted maximum-likelihood (REML) estimate of tau².

    First by Fisher scoring, metafor's algorithm (``rma(method="REML")``): starting from the
    DerSimonian–Laird estimate, each step adds ``(y'PPy - tr(P)) / tr(PP)`` with
    ``P = W - W 1 (1'W1)^{-1} 1'W`` and ``W = diag(1 / (v_i + tau2))``, halving a step that
    would make tau² negative, until the change is below ``tol * max(tau2, s²)``; written for the
    intercept-only model, each step costs O(k) (below `FSUM_BELOW` studies it is taken on
    Python floats, `_fisher_terms_of_few`, cheaper there than numpy's calls). Fisher scoring
    can oscillate where the likelihood is flat (metafor then stops with an error); if it has
    not converged after `FISHER_ITERATIONS` steps, the REML estimating equation
    ``y'PPy = tr(P)`` is solved instead by Brent's method on a bracket (or tau² = 0 when the
    likelihood decreases from 0).

    Raises
    ------
    ConvergenceError
        When neither converges within ``max_iter`` iterations.

    References
    ----------
    Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. J Educ Behav Stat 2005;30(3):261-93. doi:10.3102/10769986030003261

    Harville DA. Maximum likelihood approaches to variance component estimation and to related
    problems. J Am Stat Assoc 1977;72(358):320-38. doi:10.1080/01621459.1977.10480998
    """
    start = _fisher_start_of_few if len(vi) < FSUM_BELOW else _fisher_start
    tau2, scale, step_at = start(yi, vi)
    tau2, iterations, change = _fisher_scoring(
        step_at, tau2, scale, tol, min(max_iter, FISHER_ITERATIONS)
    )
    if iterations:
        return Tau2Estimate(float(tau2), iterations)
    if _reml_score(yi, vi, 0.0) <= 0:  # the likelihood decreases from 0: the boundary
        return Tau2Estimate(0.0, FISHER_ITERATIONS)

    def score(t: float) -> float:
        return _reml_score(yi, vi, t)

    upper = bracket_decreasing(
        score, max(tau2, float(np.var(yi)), scale), what="REML root", where="pool",
        max_iter=max_iter,
    )  # fmt: skip
    try:
        root, info = optimize.brentq(
            score, 0.0, upper, xtol=tol * scale, rtol=8 * np.finfo(float).eps, maxiter=max_iter,
            full_output=True, disp=False,
        )  # fmt: skip
    except ValueError:
        info = None
    if info is None or not info.converged:
        raise ConvergenceError(
            f"pool: the REML estimator did not converge in {max_iter} iterations "
            f"(last change in tau2 = {change:.3g})"
        )
    return Tau2Estimate(float(root), FISHER_ITERATIONS + info.iterations)


def _fisher_scoring(
    step_at: Callable[[float], float], tau2: float, scale: float, tol: float, steps: int
) -> tuple[float, int, float]:
    """At most ``steps`` Fisher-scoring steps of REML from ``tau2``, as
    `restricted_maximum_likelihood` describes (``step_at(tau2)`` gives the step
    ``(y'PPy - tr(P)) / tr(PP)``, ``scale`` is s²): the last tau², the steps taken when
    converged (else 0), and the last change in tau²."""
    change = math.inf
    for iteration in range(1, steps + 1):
        step = step_at(tau2)
        while tau2 + step < 0:
            step /= 2
        tau2 += step
        change = abs(step)
        if change < tol * max(scale, tau2):
            return tau2, iteration, change
    return tau2, 0, change


def _fisher_start(yi: np.ndarray, vi: np.ndarray) -> tuple[float, float, Callable[[float], float]]:
    """The start of REML's Fisher scoring: the DerSimonian–Laird tau², the typical
    within-study variance s², and the step at a tau² by the positive-term forms on arrays."""
    largest = int(vi.argmin())  # the largest weight, at every tau2

    def step_at(tau2: float) -> float:
        w = 1.0 / (vi + tau2)
        sum_w = total(w)
        others = sum_of_others(w, largest, sum_w)
        return _score_of_weights(yi, w, sum_w, others) / _information_of_weights(
            w, sum_w, others, largest
        )

    return dersimonian_laird(yi, vi).tau2, typical_within_variance(vi), step_at


def _fisher_start_of_few(
    yi: np.ndarray, vi: np.ndarray
) -> tuple[float, float, Callable[[float], float]]:
    """`_fisher_start` for fewer than `FSUM_BELOW` studies, on Python floats: the same start
    (`dersimonian_laird` and `typical_within_variance` to the last bit: the same products,
    summed by `math.fsum`, whose result does not depend on their order), and the step from
    `_fisher_terms_of_few`."""
    order = np.argsort(vi, kind="stable")  # the largest weight first, at every tau2
    effects, variances = yi[order].tolist(), vi[order].tolist()
    w = [1.0 / v for v in variances]
    sum_w = fsum(w)
    mean = fsum(map(mul, w, effects)) / sum_w
    q = fsum([a * ((d := b - mean) * d) for a, b in zip(w, effects, strict=True)])
    others = [sum_w - x for x in w]
    others[0] = fsum(w[1:])  # as in sum_of_others: sum(w) - w[0] would cancel
    spread = fsum(map(mul, w, others))  # as _weight_spread
    df = len(w) - 1

    def step_at(tau2: float) -> float:
        quadratic, trace, information = _fisher_terms_of_few(effects, variances, tau2)
        return (quadratic - trace) / information

    return max(0.0, (q - df) / (spread / sum_w)), df * sum_w / spread, step_at


FISHER_ITERATIONS = 100
"""Fisher-scoring steps `restricted_maximum_likelihood` tries before solving the score equation."""


def _reml_score(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """``y'PPy - tr(P)``: twice the derivative of the restricted log-likelihood in tau²."""
    w = 1.0 / (vi + tau2)
    return _score_of_weights(yi, w, total(w), sum_of_others(w))


def _score_of_weights(yi: np.ndarray, w: np.ndarray, sum_w: float, others: np.ndarray) -> float:
    """`_reml_score` from the weights, their sum and `sum_of_others` of them."""
    residual = yi - total(w * yi) / sum_w
    return total((w * residual) ** 2) - total(w * others) / sum_w


def _fisher_terms_of_few(
    effects: list[float], variances: list[float], tau2: float
) -> tuple[float, float, float]:
    """``y'PPy``, ``tr(P)`` and ``tr(PP)`` at ``tau2`` for a few studies, as Python floats.

    The same quantities as `_reml_score` (the difference of the first two) and
    `_reml_information`, for fewer than `FSUM_BELOW` studies given as lists with the smallest
    variance first: at k = 8 a dozen numpy calls per Fisher step cost more than all of its
    arithmetic, so the step is written on lists, every sum by `math.fsum`. While no weight is
    more than half of their total (shares ``a_i = w_i / sum(w) <= 1/2``), ``tr(P)`` and
    ``tr(PP)`` come from the power sums ``sum(w) - sum(w²) / sum(w)`` and
    ``sum(w²) - 2 sum(w³) / sum(w) + (sum(w²) / sum(w))²``: then ``tr(P) >= sum(w) / 2`` and
    ``tr(PP) >= sum(w²) / 4``, so the differences lose at most a few bits (the tests compare
    them with the positive-term forms to `CLOSED_FORM_IDENTITY`). When the largest weight
    dominates, those differences cancel, and the positive-term forms of `_reml_score` and
    `_reml_information` are used instead.

    References
    ----------
    Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. J Educ Behav Stat 2005;30(3):261-93. doi:10.3102/10769986030003261
    """
    w = [1.0 / (v + tau2) for v in variances]
    sum_w = fsum(w)
    mean = fsum(map(mul, w, effects)) / sum_w
    residuals = list(map(mul, w, [y - mean for y in effects]))  # P y
    quadratic = fsum(map(mul, residuals, residuals))
    squares = list(map(mul, w, w))
    sum_squares = fsum(squares)
    first = w[0]
    if first + first <= sum_w:
        ratio = sum_squares / sum_w
        cubes = fsum(map(mul, squares, w))
        return quadratic, sum_w - ratio, sum_squares - 2.0 * cubes / sum_w + ratio * ratio
    others_of_first = fsum(w[1:])  # sum(w) - w[0] would cancel
    trace_terms = [x * (sum_w - x) for x in w]
    trace_terms[0] = first * others_of_first
    terms = [
        (a := x / sum_w) * a * ((o := sum_w - x) * o + (sum_squares - x2))
        for x, x2 in zip(w, squares, strict=True)
    ]
    share = first / sum_w
    terms[0] = share * share * (others_of_first * others_of_first + fsum(squares[1:]))
    return quadratic, fsum(trace_terms) / sum_w, fsum(terms)


def _reml_information(vi: np.ndarray, tau2: float) -> float:
    """``tr(PP)``: twice the expected information for tau².

    ``sum(w²) - 2 sum(w³) / sum(w) + (sum(w²) / sum(w))²``, computed as the sum of the squared
    elements of ``P`` (``P_ii = w_i sum_{j != i} w_j / sum(w)``, ``P_ij = -w_i w_j / sum(w)``):
    ``sum_i w_i² ((sum_{j != i} w_j)² + sum_{j != i} w_j²) / (sum w)²``, a sum of positive
    terms that does not cancel when one weight dominates (each ``w_i / sum(w)`` is formed
    first, so that no product grows beyond ``sum(w)²``).
    """
    w = 1.0 / (vi + tau2)
    return _information_of_weights(w, total(w), sum_of_others(w))


def _information_of_weights(
    w: np.ndarray, sum_w: float, others: np.ndarray, largest: int | None = None
) -> float:
    """`_reml_information` from the weights, their sum and `sum_of_others` of them (and the
    position of the largest weight, if known)."""
    share = w / sum_w
    return total(share * share * (others * others + sum_of_others(w * w, largest)))


def restricted_loglik(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """Restricted log-likelihood of tau² in the intercept-only model, up to a constant.

    ``-1/2 [sum log(v_i + tau2) + log sum w_i + sum w_i (y_i - mu_w)^2]`` with
    ``w_i = 1 / (v_i + tau2)``.
    """
    w = 1.0 / (vi + tau2)
    mean = (w * yi).sum() / w.sum()
    return float(-0.5 * (np.log(vi + tau2).sum() + np.log(w.sum()) + (w * (yi - mean) ** 2).sum()))


ESTIMATORS = {
    "DL": dersimonian_laird,
    "PM": paule_mandel,
    "REML": restricted_maximum_likelihood,
}
"""The random-effects estimators of tau² by the name `analysis.pool` knows them."""
