"""`analysis.metaanalysis.glmm` against lme4 and metafor: the binomial–normal model.

Source: tests/reference/metafor_proportions.json, written by
tests/reference/metafor_proportions.R (R 4.2.2, metafor 3.8-1, lme4 1.1-31):
``rma.glmm(measure = "PLO", xi, ni)`` with metafor's defaults, and ``lme4::glmer(cbind(xi, ni -
xi) ~ 1 + (1 | study), family = binomial, nAGQ = 7)`` called directly, with lme4's default
control and with tight tolerances (bobyqa, rhoend = 1e-12, tolPwrss = 1e-12).

Each test states its tolerance. In short: the log-likelihood at lme4's own estimates agrees to
1e-9 (tight lme4 fit); the estimates agree with the tight lme4 fit to 1e-6 (relative) or
better; metafor's default fit stops its optimizer earlier (its estimates move by up to 2.5e-5
when the tolerances are tightened), so it is matched to 1e-5 (mu, se, proportions; 2e-5 for
limits on the logit scale, 5e-5 relative for tau2) and our maximum is checked to be at least as
high as its.
"""

import numpy as np
import pytest
from scipy import special

from analysis import glmm_proportions
from analysis.metaanalysis.glmm import binomial_normal_loglik
from tests.conftest import load_reference
from tests.tolerances import (
    CLOSED_FORM_IDENTITY,
    FLOATING_POINT_NOISE,
    GLMM_LAPLACE_LME4_ESTIMATES,
    GLMM_LAPLACE_LME4_SE,
    GLMM_LAPLACE_VS_INDEPENDENT,
    GLMM_LOGLIK_AT_LME4,
    GLMM_MAXIMUM_NOT_LOWER,
    GLMM_METAFOR_DEFAULTS,
    GLMM_METAFOR_DEFAULTS_LOGIT_LIMITS,
    GLMM_METAFOR_DEFAULTS_TAU2,
    GLMM_TIGHT_LME4_ESTIMATES,
    GLMM_TIGHT_LME4_LOGLIK,
    GLMM_TIGHT_LME4_SE,
)

REFERENCE = load_reference("metafor_proportions.json")
GLMM_CASES = [
    pytest.param(case, id=case["name"]) for case in REFERENCE["cases"] if case["glmm"] is not None
]


def full_loglik(case: dict, fit: dict) -> float:
    """lme4's logLik on the scale of a binomial GLM's: lme4 1.1-31 leaves out the saturated
    model's log-likelihood when nAGQ > 1 (it reports the full one for nAGQ = 1)."""
    return fit["lme4_loglik"] + (case["saturated_loglik"] if fit["nagq"] > 1 else 0.0)


def test_reference_uses_metafors_default_quadrature() -> None:
    for case in REFERENCE["cases"]:
        if case["glmm"] is not None:
            assert case["glmm"]["metafor"]["nagq"] == 7
            assert case["glmm"]["glmer"]["tight"]["nagq"] == 7


@pytest.mark.parametrize("case", GLMM_CASES)
@pytest.mark.parametrize("fit_name", sorted(GLMM_LOGLIK_AT_LME4))
def test_loglik_at_lme4_estimates_matches_lme4(case: dict, fit_name: str) -> None:
    """The quadrature itself, independent of any optimizer: our log-likelihood at lme4's
    estimates equals lme4's there. Tolerance (absolute): 1e-9 for nAGQ = 7 with
    tolPwrss = 1e-12; 1e-7 with lme4's default tolPwrss = 1e-7, whose conditional modes stop
    early (2e-8 seen); 1e-6 for nAGQ = 1, where lme4's reported value is off by up to 3.4e-7
    even with tolPwrss = 1e-12 (the next test checks the Laplace value against an independent
    computation instead)."""
    fit = case["glmm"]["glmer"][fit_name]
    ours = binomial_normal_loglik(case["xi"], case["ni"], fit["mu"], fit["tau2"], nagq=fit["nagq"])
    assert ours == GLMM_LOGLIK_AT_LME4[fit_name].approx(full_loglik(case, fit))


@pytest.mark.parametrize("case", GLMM_CASES)
def test_laplace_loglik_matches_independent_computation(case: dict) -> None:
    """nagq = 1 against the R script's own Laplace approximation (uniroot for each study's
    mode, dbinom and dnorm; no lme4), at lme4's Laplace estimates. Tolerance 1e-10 absolute."""
    check = case["glmm"]["laplace_check"]
    ours = binomial_normal_loglik(case["xi"], case["ni"], check["mu"], check["tau2"], nagq=1)
    assert ours == GLMM_LAPLACE_VS_INDEPENDENT.approx(check["loglik"])


@pytest.mark.parametrize("case", GLMM_CASES)
def test_glmm_matches_tight_glmer(case: dict) -> None:
    """nAGQ = 7 against glmer with tight tolerances. Tolerances: mu and tau2 relative 1e-6
    (absolute 1e-7); se relative 2e-6 (both sides take a finite-difference Hessian); the
    maximised log-likelihood 1e-8 absolute."""
    fit = case["glmm"]["glmer"]["tight"]
    result = glmm_proportions(case["xi"], case["ni"])
    assert result.mu == GLMM_TIGHT_LME4_ESTIMATES.approx(fit["mu"])
    assert result.tau2 == GLMM_TIGHT_LME4_ESTIMATES.approx(fit["tau2"])
    assert result.se == GLMM_TIGHT_LME4_SE.approx(fit["se"])
    assert result.loglik == GLMM_TIGHT_LME4_LOGLIK.approx(full_loglik(case, fit))
    assert result.converged and result.nagq == 7


@pytest.mark.parametrize("case", GLMM_CASES)
def test_laplace_matches_tight_glmer(case: dict) -> None:
    """nagq = 1 (Laplace) against glmer(nAGQ = 1) with tight tolerances. Tolerances: mu and
    tau2 absolute 1e-5 (bobyqa stops with "a trust region step failed to reduce q" on some
    cases; our maximum is never lower, checked to 1e-9); se relative 1e-3: lme4's Laplace
    deviance is path-dependent (re-evaluated at the same point it moves by up to 5e-8), which
    its finite-difference Hessian with step 1e-4 amplifies (2.7e-4 seen)."""
    fit = case["glmm"]["glmer"]["laplace_tight"]
    result = glmm_proportions(case["xi"], case["ni"], nagq=1)
    assert result.mu == GLMM_LAPLACE_LME4_ESTIMATES.approx(fit["mu"])
    assert result.tau2 == GLMM_LAPLACE_LME4_ESTIMATES.approx(fit["tau2"])
    assert result.se == GLMM_LAPLACE_LME4_SE.approx(fit["se"])
    assert result.loglik >= full_loglik(case, fit) - GLMM_MAXIMUM_NOT_LOWER.atol


@pytest.mark.parametrize("case", GLMM_CASES)
def test_glmm_matches_rma_glmm_defaults(case: dict) -> None:
    """rma.glmm(measure = "PLO") with metafor's defaults, and predict(transf =
    transf.ilogit). Tolerances (absolute): 1e-5 for mu, se, the p-value and every limit on
    the proportion scale; 2e-5 for z and the limits on the logit scale (mu -/+ 1.96 se adds the
    two differences: 1.04e-5 seen); tau2 relative 5e-5 (absolute 1e-7). Our log-likelihood at
    the maximum is at least lme4's at metafor's estimates (to 1e-9)."""
    expected = case["glmm"]["metafor"]
    result = glmm_proportions(case["xi"], case["ni"])
    for field in ("mu", "se", "p_value", "estimate", "ci_low", "ci_high", "pi_low", "pi_high"):
        assert getattr(result, field) == GLMM_METAFOR_DEFAULTS.approx(expected[field]), field
    for field in ("z", "mu_ci_low", "mu_ci_high"):
        assert getattr(result, field) == GLMM_METAFOR_DEFAULTS_LOGIT_LIMITS.approx(
            expected[field]
        ), field
    assert result.tau2 == GLMM_METAFOR_DEFAULTS_TAU2.approx(expected["tau2"])
    at_metafor = binomial_normal_loglik(case["xi"], case["ni"], expected["mu"], expected["tau2"])
    assert result.loglik >= at_metafor - GLMM_MAXIMUM_NOT_LOWER.atol


def test_metafor_loglik_is_another_quantity() -> None:
    """metafor 3.8-1's logLik() of an rma.glmm fit (the saturated model's log-likelihood minus
    half the conditional deviance) is not the marginal log-likelihood; `GlmmResult.loglik` is
    the latter (lme4's scale plus the saturated constant)."""
    case = next(c for c in REFERENCE["cases"] if c["name"] == "relief_immediate_counts")
    result = glmm_proportions(case["xi"], case["ni"])
    assert abs(result.loglik - case["glmm"]["metafor"]["metafor_loglik"]) > 1


@pytest.mark.parametrize("case", GLMM_CASES)
def test_default_glmer_is_metafors_fit(case: dict) -> None:
    """metafor calls glmer with nAGQ = 7 and default control: the same numbers (1e-12)."""
    default, metafor = case["glmm"]["glmer"]["default"], case["glmm"]["metafor"]
    for field in ("mu", "se", "tau2"):
        assert default[field] == FLOATING_POINT_NOISE.approx(metafor[field])


def test_boundary_in_closed_form_where_glmer_refuses() -> None:
    """Every study 5% events: glmer stops ("Response is constant"), so the check is the
    closed form of the boundary fit, tau2 = 0, mu = logit(sum x / sum n),
    se = 1 / sqrt(sum(n) p (1 - p)). Tolerance 1e-12 relative."""
    case = next(c for c in REFERENCE["cases"] if c["name"] == "ft_backtransform_failure")
    assert case["glmm"] is None
    x, n = np.array(case["xi"]), np.array(case["ni"])
    result = glmm_proportions(x, n)
    p = x.sum() / n.sum()
    assert result.tau2 == 0.0
    assert result.mu == CLOSED_FORM_IDENTITY.approx(special.logit(p))
    assert result.se == CLOSED_FORM_IDENTITY.approx(1 / np.sqrt(n.sum() * p * (1 - p)))
    assert result.estimate == CLOSED_FORM_IDENTITY.approx(0.05)


def test_homogeneous_data_give_tau2_exactly_zero() -> None:
    """The ML estimate on the boundary is returned as 0, not as a tiny positive number;
    lme4 also returns 0 (its bound)."""
    case = next(c for c in REFERENCE["cases"] if c["name"] == "homogeneous")
    assert case["glmm"]["metafor"]["tau2"] == 0
    result = glmm_proportions(case["xi"], case["ni"])
    assert result.tau2 == 0.0
    assert result.pi_low == CLOSED_FORM_IDENTITY.approx(result.ci_low)
