"""The binomial–normal random-effects model for single proportions (a GLMM on the logit scale).

Each study's events are binomial, ``x_i ~ Bin(n_i, p_i)``, and the study logits are normal,
``logit(p_i) = mu + tau u_i`` with ``u_i ~ N(0, 1)``. The model uses the counts themselves, so
studies with 0% or 100% events need no continuity correction. It is what metafor fits with
``rma.glmm(measure = "PLO")`` (through ``lme4::glmer`` with ``nAGQ = 7``); here the likelihood
is approximated by adaptive Gauss–Hermite quadrature and maximised with scipy.
"""

from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy import optimize, special

from analysis.metaanalysis import tau2 as tau2_estimators
from analysis.metaanalysis.checks import confidence_level, event_counts
from analysis.metaanalysis.distributions import (
    binomial_logpmf,
    normal_quantile,
    normal_two_sided_p,
)
from analysis.metaanalysis.errors import ConvergenceError, InputError
from analysis.metaanalysis.proportions import proportion_effect_sizes
from analysis.metaanalysis.results import TidyResult

NAGQ = 7
"""Quadrature points per study by default: metafor 3.8's ``rma.glmm(nAGQ = 7)``."""

_MAX_NAGQ = 50


@dataclass(frozen=True)
class GlmmResult(TidyResult):
    """The result of `glmm_proportions`.

    Attributes
    ----------
    k : int
        Number of studies.
    estimate, ci_low, ci_high : float
        The proportion of a typical study, ``inverse_logit(mu)``, and its Wald confidence
        limits ``inverse_logit(mu -/+ z se)``.
    pi_low, pi_high : float
        Prediction interval for the proportion of a new study,
        ``inverse_logit(mu -/+ z sqrt(tau2 + se²))`` (metafor's ``predict``).
    mu, se : float
        Mean logit (the fixed intercept) and its standard error from the observed information.
    mu_ci_low, mu_ci_high : float
        Confidence limits of ``mu`` on the logit scale.
    z, p_value : float
        Wald test of ``mu = 0`` (a proportion of 1/2).
    tau2 : float
        Between-study variance of the logits (0 when the maximum is on the boundary).
    loglik : float
        Maximised log-likelihood, binomial coefficients included (comparable with a binomial
        GLM's: at ``tau2 = 0`` it is the binomial log-likelihood).
    converged : bool
        Always ``True``: a fit that does not converge raises
        `analysis.metaanalysis.errors.ConvergenceError`.
    iterations : int
        Iterations of the trust-region Newton optimizer.
    nagq : int
        Quadrature points per study (1 is the Laplace approximation).
    level : float
        Confidence level of the intervals.
    """

    k: int
    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float
    mu: float
    se: float
    mu_ci_low: float
    mu_ci_high: float
    z: float
    p_value: float
    tau2: float
    loglik: float
    converged: bool
    iterations: int
    nagq: int
    level: float

    @property
    def tau(self) -> float:
        """Between-study standard deviation of the logits, ``sqrt(tau2)``."""
        return float(np.sqrt(self.tau2))


class _Likelihood:
    """The binomial–normal log-likelihood of fixed data, by adaptive Gauss–Hermite quadrature.

    Parameterised by ``(mu, tau)`` with ``tau`` on the whole real line: the likelihood depends
    on ``tau²`` only, so it is even in ``tau`` and ``tau = 0`` is an ordinary stationary point.
    For study ``i`` the integrand is ``exp(h(u))`` with
    ``h(u) = x eta - n log(1 + exp(eta)) - u²/2``, ``eta = mu + tau u``; the nodes are
    ``u_k = mode + scale z_k``, with ``scale = (-h''(mode))^(-1/2)``.
    """

    def __init__(self, x: np.ndarray, n: np.ndarray, nagq: int) -> None:
        self.x, self.n = x, n
        self.log_choose = (
            special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1)
        )
        nodes, weights = hermegauss(nagq)
        self.nodes = nodes
        # log of w_k exp(z_k² / 2) / sqrt(2 pi): the rule then integrates g(z) against dz.
        self.log_weights = np.log(weights) + nodes**2 / 2 - 0.5 * np.log(2 * np.pi)

    def modes(self, mu: float, tau: float) -> np.ndarray:
        """Each study's mode of ``h`` (`conditional_modes`); 0 at ``tau = 0``."""
        if tau == 0:
            return np.zeros_like(self.x)
        return conditional_modes(self.x, self.n, mu, tau)

    def __call__(self, mu: float, tau: float) -> float:
        return self.value_and_gradient(mu, tau)[0]

    def value_and_gradient(self, mu: float, tau: float) -> tuple[float, np.ndarray]:
        """The log-likelihood and its exact gradient in ``(mu, tau)``.

        The gradient differentiates the quadrature formula itself, including how the mode and
        the scale move with ``(mu, tau)`` (implicit differentiation of ``h'(mode) = 0``).
        """
        x, n, z = self.x, self.n, self.nodes
        mode = self.modes(mu, tau)
        p = special.expit(mu + tau * mode)
        w = n * p * (1 - p)
        dw = w * (1 - 2 * p)  # dw / d eta
        scale2 = 1.0 / (1.0 + tau * tau * w)
        d_mode = np.array([-tau * w, (x - n * p) - tau * mode * w]) * scale2
        d_log_scale = (
            -0.5
            * scale2
            * np.array(
                [
                    tau * tau * dw * (1 + tau * d_mode[0]),
                    2 * tau * w + tau * tau * dw * (mode + tau * d_mode[1]),
                ]
            )
        )
        scale = np.sqrt(scale2)

        points = mode[:, None] + scale[:, None] * z[None, :]
        eta = mu + tau * points
        p_k = special.expit(eta)
        h = x[:, None] * eta - n[:, None] * np.logaddexp(0.0, eta) - points**2 / 2
        terms = h + self.log_weights
        top = terms.max(axis=1, keepdims=True)
        weight = np.exp(terms - top)
        total = weight.sum(axis=1)
        value = float(np.sum(self.log_choose + np.log(scale) + top[:, 0] + np.log(total)))

        share = weight / total[:, None]
        residual = x[:, None] - n[:, None] * p_k
        slope = tau * residual - points  # h'(u_k)
        gradient = np.empty(2)
        for j, direct in enumerate((residual, points * residual)):
            moves = d_mode[j][:, None] + z[None, :] * (scale * d_log_scale[j])[:, None]
            gradient[j] = np.sum(d_log_scale[j] + np.sum(share * (direct + slope * moves), axis=1))
        return value, gradient


def conditional_modes(
    x: np.ndarray, n: np.ndarray, mu: object, tau: object, start: np.ndarray | None = None
) -> np.ndarray:
    """Each study's mode of ``h(u) = x eta - n log(1 + exp(eta)) - u²/2``, ``eta = mu + tau u``:
    the root of ``h'(u) = tau (x - n p) - u``.

    ``mu`` and ``tau`` are numbers, or arrays that broadcast against the counts (one value per
    row of a batch, shape (B, 1)). ``h'`` decreases and its root lies between
    ``tau (x - n)`` and ``tau x``: Newton's method safeguarded by bisection of that bracket
    (as ``rtsafe`` of Press et al., Numerical Recipes, 3rd ed., 2007, sec. 9.4); each cell
    stops when its step is below 1e-14 relative or below the rounding error of ``h'``.
    ``start``, if given, is a first guess (the modes at a nearby ``(mu, tau)``); by default
    each search starts at 0.
    """
    lo, hi = np.minimum(tau * (x - n), tau * x), np.maximum(tau * (x - n), tau * x)
    u = np.zeros(np.broadcast(x, mu, tau).shape) if start is None else np.clip(start, lo, hi)
    previous = hi - lo
    # The rounding error of h'(u), which cancels x - n p (e.g. for a study with all events):
    # below it a Newton step is noise, and Newton's iterates can cycle there.
    noise = 4 * np.finfo(float).eps * np.abs(tau) * n
    result = np.empty_like(u)
    done = np.zeros(u.shape, dtype=bool)
    for _ in range(200):
        p = special.expit(mu + tau * u)
        g = tau * (x - n * p) - u
        lo, hi = np.where(g > 0, u, lo), np.where(g < 0, u, hi)
        slope = 1.0 + tau * tau * n * p * (1.0 - p)
        newton = g / slope
        small = np.abs(newton) <= 1e-14 * (1.0 + np.abs(u)) + noise / slope
        finish = small & ~done
        result[finish] = (u + newton)[finish]
        done |= small
        if done.all():
            return result
        # Bisect where Newton would leave the bracket or does not halve its last step
        # (Newton can cycle on this function, e.g. for a study with all events).
        new = u + newton
        bisect = ~small & ((new <= lo) | (new >= hi) | (np.abs(newton) > 0.5 * np.abs(previous)))
        new = np.where(bisect, 0.5 * (lo + hi), new)
        previous, u = new - u, new
    return np.where(done, result, u)


def binomial_normal_loglik(
    events: object, n: object, mu: float, tau2: float, *, nagq: int = NAGQ
) -> float:
    """Log-likelihood of the binomial–normal model at given ``mu`` and ``tau2``.

    Each study's marginal likelihood ``∫ Bin(x_i; n_i, expit(mu + tau u)) φ(u) du`` by adaptive
    Gauss–Hermite quadrature with ``nagq`` points centred at the mode of the integrand and
    scaled by its curvature (Liu & Pierce 1994); ``nagq = 1`` is the Laplace approximation.
    Binomial coefficients are included.

    Parameters
    ----------
    events, n : array-like of int
        Events and patients in each study.
    mu : float
        Mean logit.
    tau2 : float
        Between-study variance of the logits (``>= 0``).
    nagq : int
        Quadrature points per study, 1 to 50 (default 7, as metafor).

    Returns
    -------
    float

    Notes
    -----
    lme4 1.1-31 reports for ``nAGQ > 1`` this log-likelihood minus that of the saturated model
    (``sum(dbinom(x, n, x/n, log = TRUE))``); for ``nAGQ = 1`` it reports this one.

    References
    ----------
    Liu Q, Pierce DA. A note on Gauss-Hermite quadrature. Biometrika 1994;81(3):624-9.
    doi:10.1093/biomet/81.3.624

    Pinheiro JC, Bates DM. Approximations to the log-likelihood function in the nonlinear
    mixed-effects model. J Comput Graph Stat 1995;4(1):12-35.
    doi:10.1080/10618600.1995.10474663

    Examples
    --------
    With ``tau2 = 0`` it is the binomial log-likelihood:

    >>> round(binomial_normal_loglik([3, 5], [10, 10], 0.0, 0.0), 10)
    -3.5460227809
    >>> from scipy import stats
    >>> round(float(np.sum(stats.binom.logpmf([3, 5], [10, 10], 0.5))), 10)
    -3.5460227809
    """
    where = "binomial_normal_loglik"
    x, size = event_counts(events, n, where)
    check_nagq(nagq, where)
    for name, value in (("mu", mu), ("tau2", tau2)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
            raise InputError(f"{where}: {name}={value!r} must be a finite number")
    if tau2 < 0:
        raise InputError(f"{where}: tau2={tau2!r} is negative; a variance must be >= 0")
    return _Likelihood(x, size, nagq)(float(mu), float(np.sqrt(tau2)))


def glmm_proportions(
    events: object,
    n: object,
    level: float = 0.95,
    *,
    nagq: int = NAGQ,
    max_iterations: int = 200,
) -> GlmmResult:
    """Pool single proportions with the binomial–normal random-effects model (maximum likelihood).

    The model of ``rma.glmm(measure = "PLO", xi = events, ni = n)`` in metafor: a logistic
    regression with a random intercept per study, ``logit(p_i) = mu + tau u_i``. ``mu`` and
    ``tau`` maximise the likelihood of `binomial_normal_loglik`; the standard error of ``mu``
    comes from the observed information (the inverse of the negative Hessian of the
    log-likelihood in ``(mu, tau)``), as lme4 computes it for ``vcov`` of a ``glmer`` fit.

    Parameters
    ----------
    events, n : array-like of int
        Events and patients in each study; 0 and ``n`` events are allowed and need no
        continuity correction.
    level : float
        Confidence level, default 0.95.
    nagq : int
        Quadrature points per study, 1 (Laplace) to 50; default 7 as metafor.
    max_iterations : int
        Most optimizer iterations allowed before `analysis.metaanalysis.errors.ConvergenceError`.

    Returns
    -------
    GlmmResult

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        One line, for bad counts, fewer than 2 studies, or data without any study with
        ``0 < events < n`` (then the likelihood has no finite maximum).
    analysis.metaanalysis.errors.ConvergenceError
        One line naming this function and the iterations used, when the maximum is not found.

    Notes
    -----
    The likelihood is maximised over ``(mu, tau)`` with ``tau`` on the whole real line (it
    depends on ``tau²`` only), not over ``log tau``, so that ``tau = 0`` can be reached. The
    optimizer is scipy's trust-region Newton method (``trust-exact``) with the exact gradient
    of the quadrature formula and a Hessian from central differences of that gradient,
    started at the pooled logit and the DerSimonian–Laird tau of the logits. When the score
    for ``tau²`` at ``tau = 0`` is not positive and that boundary is at least as likely as the
    point found, the estimate is the boundary: ``tau2 = 0``, ``mu = logit(sum(x) / sum(n))``
    and ``se = 1 / sqrt(sum(n) p (1 - p))``, in closed form (lme4 returns the same, with
    ``tau`` on its lower bound). The confidence interval is Wald's on the logit scale,
    transformed back. With very small studies (a few patients, all or none with the event)
    the likelihood can have more than one maximum; like lme4, this returns the one its
    optimizer reaches from the start above.

    References
    ----------
    Hamza TH, van Houwelingen HC, Stijnen T. The binomial distribution of meta-analysis was
    preferred to model within-study variability. J Clin Epidemiol 2008;61(1):41-51.
    doi:10.1016/j.jclinepi.2007.03.016

    Stijnen T, Hamza TH, Özdemir P. Random effects meta-analysis of event outcome in the
    framework of the generalized linear mixed model with applications in sparse data. Stat Med
    2010;29(29):3046-67. doi:10.1002/sim.4040

    Lin L, Chu H. Meta-analysis of proportions using generalized linear mixed models.
    Epidemiology 2020;31(5):713-7. doi:10.1097/EDE.0000000000001232

    Liu Q, Pierce DA. A note on Gauss-Hermite quadrature. Biometrika 1994;81(3):624-9.
    doi:10.1093/biomet/81.3.624

    Bates D, Mächler M, Bolker B, Walker S. Fitting linear mixed-effects models using lme4.
    J Stat Softw 2015;67(1):1-48. doi:10.18637/jss.v067.i01

    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48. doi:10.18637/jss.v036.i03 (``rma.glmm``)

    Examples
    --------
    Nine single-arm studies, events and patients (one study has 0 events of 4):

    >>> x = [25, 8, 19, 0, 5, 10, 14, 4, 20]
    >>> n = [33, 13, 20, 4, 19, 16, 18, 5, 30]
    >>> res = glmm_proportions(x, n)
    >>> f"{res.estimate:.3f} ({res.ci_low:.3f}, {res.ci_high:.3f}), tau2 {res.tau2:.3f}"
    '0.654 (0.463, 0.806), tau2 1.033'
    >>> f"mu {res.mu:.4f}, se {res.se:.4f}"
    'mu 0.6357, se 0.4009'

    Homogeneous data put the maximum on the boundary:

    >>> glmm_proportions([10, 21, 29, 16], [50, 100, 150, 75]).tau2
    0.0
    """
    where = "glmm_proportions"
    level = confidence_level(level, where)
    x, size = event_counts(events, n, where)
    check_nagq(nagq, where)
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, int | np.integer):
        raise InputError(f"{where}: max_iterations={max_iterations!r} must be a whole number")
    if max_iterations < 1:
        raise InputError(f"{where}: max_iterations={max_iterations!r} must be at least 1")
    k = len(x)
    if k < 2:
        raise InputError(f"{where}: the model needs at least 2 studies, got {k}")
    if not np.any((x > 0) & (x < size)):
        raise InputError(
            f"{where}: no study has 0 < events < n, so the likelihood has no finite maximum "
            "(mu or tau2 would be infinite)"
        )

    loglik = _Likelihood(x, size, nagq)
    mu, tau, iterations, information = _maximise(loglik, x, size, max_iterations)
    crit = float(normal_quantile(0.5 + level / 2))

    # The boundary tau = 0: the binomial model with one proportion, in closed form.
    p0 = x.sum() / size.sum()
    score_tau2 = 0.5 * float(np.sum((x - size * p0) ** 2 - size * p0 * (1 - p0)))
    loglik_boundary = float(np.sum(binomial_logpmf(x, size, p0)))
    loglik_max = loglik(mu, tau)
    if score_tau2 <= 0 and loglik_boundary >= loglik_max - 1e-9 * max(1.0, abs(loglik_max)):
        mu, tau, loglik_max = float(special.logit(p0)), 0.0, loglik_boundary
        se = float(1.0 / np.sqrt(np.sum(size) * p0 * (1 - p0)))
    elif information is None:
        raise ConvergenceError(
            f"glmm_proportions: no maximum of the likelihood found after {iterations} "
            f"iterations (stopped at mu = {mu:.6g}, tau = {tau:.6g}: the gradient is not zero "
            "or the observed information is not positive definite)"
        )
    else:
        se = float(np.sqrt(np.linalg.inv(information)[0, 0]))

    tau2 = tau * tau
    z = mu / se
    logits = np.array([mu, mu - crit * se, mu + crit * se])
    spread = crit * np.sqrt(tau2 + se * se)
    proportions = special.expit(np.concatenate([logits, [mu - spread, mu + spread]]))
    return GlmmResult(
        k=k,
        estimate=float(proportions[0]),
        ci_low=float(proportions[1]),
        ci_high=float(proportions[2]),
        pi_low=float(proportions[3]),
        pi_high=float(proportions[4]),
        mu=mu,
        se=se,
        mu_ci_low=float(logits[1]),
        mu_ci_high=float(logits[2]),
        z=float(z),
        p_value=float(normal_two_sided_p(z)),
        tau2=float(tau2),
        loglik=float(loglik_max),
        converged=True,
        iterations=iterations,
        nagq=int(nagq),
        level=level,
    )


def check_nagq(nagq: object, where: str) -> None:
    """Raise `InputError` unless ``nagq`` is a whole number from 1 to 50 (``where`` names the
    function in the message)."""
    if (
        isinstance(nagq, bool)
        or not isinstance(nagq, int | np.integer)
        or not 1 <= nagq <= _MAX_NAGQ
    ):
        raise InputError(f"{where}: nagq={nagq!r} must be a whole number from 1 to {_MAX_NAGQ}")


def _maximise(
    loglik: _Likelihood, x: np.ndarray, size: np.ndarray, max_iterations: int
) -> tuple[float, float, int, np.ndarray | None]:
    """``(mu, |tau|, iterations, information)`` where the optimizer stops.

    ``information`` is the negative Hessian of the log-likelihood in ``(mu, tau)``, or None
    when the point is not a maximum (gradient not ~0 or information not positive definite).
    Running out of iterations raises `ConvergenceError`.
    """

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = loglik.value_and_gradient(theta[0], theta[1])
        return -value, -gradient

    logits = proportion_effect_sizes(x, size, "PLO")
    tau_start = np.sqrt(
        tau2_estimators.dersimonian_laird(np.asarray(logits.yi), np.asarray(logits.vi)).tau2
    )
    start = np.array([special.logit(x.sum() / size.sum()), max(float(tau_start), 0.3)])

    def hessian(theta: np.ndarray) -> np.ndarray:
        return _jacobian(lambda t: objective(t)[1], theta)

    fit = optimize.minimize(
        objective,
        start,
        jac=True,
        hess=hessian,
        method="trust-exact",
        options={"maxiter": max_iterations, "gtol": 1e-9},
    )
    iterations = int(fit.nit)
    theta = fit.x
    if fit.status == 1 or not np.all(np.isfinite(theta)):
        raise ConvergenceError(
            f"glmm_proportions: the likelihood was not maximised in {iterations} iterations "
            f"(max_iterations={max_iterations}): {fit.message}"
        )
    information = hessian(theta)
    largest = float(np.max(np.abs(fit.jac)))
    if largest > 1e-6 * max(1.0, abs(fit.fun)) or np.any(np.linalg.eigvalsh(information) <= 0):
        information = None
    return float(theta[0]), float(abs(theta[1])), iterations, information


def _jacobian(f, theta: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Central-difference Jacobian of the vector function ``f`` at ``theta``, symmetrised
    (``f`` is a gradient, so its Jacobian is a Hessian)."""
    columns = []
    for i in range(len(theta)):
        h = np.zeros_like(theta)
        h[i] = step * max(1.0, abs(theta[i]))
        columns.append((f(theta + h) - f(theta - h)) / (2 * h[i]))
    jacobian = np.column_stack(columns)
    return (jacobian + jacobian.T) / 2
