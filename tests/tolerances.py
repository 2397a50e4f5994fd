"""Every numerical tolerance of the tests, in one table keyed by the kind of quantity compared.

In the spirit of metafor's ``tests/testthat/settings.r``: a test names the kind of comparison
it makes (``CLOSED_FORM_VS_METAFOR``, ``GLMM_TIGHT_LME4_SE``, ...) instead of typing a number,
so that each tolerance is stated once, with the reason it has the size it has.
``tests/test_tolerances.py`` checks that every entry has a reason and a size in (0, 1e-2), and
that no test under tests/library, tests/paper, tests/charts or tests/audit types a tolerance.

A `Tolerance` holds a relative part ``rtol`` and an absolute part ``atol``; 0 means the part is
not used. Its methods pass both parts, by name, to the comparison the test already used, so
each keeps its own meaning:

- `Tolerance.approx`: ``pytest.approx(expected, rel=rtol, abs=atol)``, which accepts
  ``|actual - expected| <= max(rtol * |expected|, atol)``;
- `Tolerance.isclose`: ``math.isclose(a, b, rel_tol=rtol, abs_tol=atol * scale)``, which
  accepts ``|a - b| <= max(rtol * max(|a|, |b|), atol * scale)``;
- `Tolerance.assert_allclose` and `Tolerance.allclose`: numpy's, which accept
  ``|actual - desired| <= atol + rtol * |desired|``.

A part that a test left to the comparison's default (``pytest.approx``'s absolute 1e-12,
``math.isclose``'s relative 1e-9, ``assert_allclose``'s relative 1e-7, ``np.allclose``'s
absolute 1e-8) is written out here where the test needs it, and dropped (tightened to 0) where
the test passes without it.
"""

import math
from dataclasses import dataclass

import numpy as np
import pytest


@dataclass(frozen=True)
class Tolerance:
    """How far two numbers may differ for a test to count them equal.

    Attributes
    ----------
    rtol : float
        Relative part (0: not used).
    atol : float
        Absolute part (0: not used).
    reason : str
        One line: why the tolerance has this size.
    """

    rtol: float = 0.0
    atol: float = 0.0
    reason: str = ""

    def approx(self, expected: object) -> object:
        """``pytest.approx(expected, rel=rtol, abs=atol)``."""
        return pytest.approx(expected, rel=self.rtol, abs=self.atol)

    def isclose(self, a: float, b: float, scale: float = 1.0) -> bool:
        """``math.isclose(a, b, rel_tol=rtol, abs_tol=atol * scale)``."""
        return math.isclose(a, b, rel_tol=self.rtol, abs_tol=self.atol * scale)

    def assert_allclose(self, actual: object, desired: object, err_msg: str = "") -> None:
        """``numpy.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol)``."""
        np.testing.assert_allclose(
            actual, desired, rtol=self.rtol, atol=self.atol, err_msg=err_msg
        )

    def allclose(self, a: object, b: object) -> bool:
        """``numpy.allclose(a, b, rtol=rtol, atol=atol)``."""
        return bool(np.allclose(a, b, rtol=self.rtol, atol=self.atol))


# --- against R: the same closed forms, evaluated in another order --------------------------

CLOSED_FORM_VS_METAFOR = Tolerance(
    rtol=1e-10,
    atol=1e-12,
    reason="FE, DL, escalc and the proportion scales: metafor's closed forms, summed in "
    "another order",
)
EFFECT_SIZES_VS_R = Tolerance(
    rtol=1e-12,
    atol=1e-14,
    reason="escalc and metan's SMD formulas: a few arithmetic operations per study",
)
ESCALC_PROPORTIONS_VS_R = Tolerance(
    rtol=1e-12, reason="escalc(measure = 'PR'): p and p(1 - p)/n, a single operation each"
)
BINOMIAL_VS_R = Tolerance(
    rtol=1e-10,
    atol=1e-14,
    reason="binom.test and prop.test: the same beta quantiles and Wilson closed form as ours",
)
BINOMIAL_VS_SCIPY = Tolerance(
    atol=1e-10, reason="scipy's binomtest().proportion_ci arranges the Wilson formula differently"
)
NORMAL_QUANTILE_VS_R = Tolerance(
    rtol=1e-15, reason="qnorm(0.975) printed by R to 16 digits: the same double"
)

# --- against R: iterative estimators ---------------------------------------------------------

ITERATIVE_VS_METAFOR = Tolerance(
    rtol=1e-9,
    atol=1e-9,
    reason="REML, PM and the Q-profile limits: both sides iterate to about 1e-12; tau2 at its "
    "zero boundary is approached geometrically",
)
META_REGRESSION_VS_METAFOR = Tolerance(
    rtol=1e-8,
    atol=1e-9,
    reason="rma with moderators: normal equations lose digits on an uncentred moderator (BCG's "
    "year: cond(X'WX) = 3e11; agreement 5e-10); issue 12's criterion",
)
BIAS_VS_METAFOR = Tolerance(
    rtol=1e-8,
    atol=1e-10,
    reason="regtest, ranktest, trimfill estimates and statistics (issue 6's acceptance "
    "criterion; agreement is about 1e-13)",
)
P_VALUE_VS_METAFOR = Tolerance(
    rtol=1e-6,
    atol=1e-12,
    reason="p-values of the bias tests: tail areas of t and normal distributions, relative to "
    "a small number (issue 6's acceptance criterion)",
)

# --- against R: the same computation twice ---------------------------------------------------

FLOATING_POINT_NOISE = Tolerance(
    rtol=1e-12,
    atol=1e-15,
    reason="the same R computation run twice (regenerated reference values, glmer called by "
    "metafor or directly): last-digit noise only",
)

# --- GLMM against lme4 (tests/library/test_glmm_metafor.py) ---------------------------------

GLMM_LOGLIK_AT_LME4 = {
    "tight": Tolerance(
        atol=1e-9,
        reason="log-likelihood at lme4's estimates, nAGQ = 7 with tolPwrss = 1e-12",
    ),
    "default": Tolerance(
        atol=1e-7,
        reason="log-likelihood at lme4's estimates with its default tolPwrss = 1e-7: the "
        "conditional modes stop early (2e-8 seen)",
    ),
    "laplace_tight": Tolerance(
        atol=1e-6,
        reason="log-likelihood at lme4's estimates, nAGQ = 1: lme4's reported value is off by "
        "up to 3.4e-7 even with tolPwrss = 1e-12",
    ),
}
"""Absolute tolerance of the log-likelihood at lme4's own estimates, by lme4 fit."""

GLMM_LAPLACE_VS_INDEPENDENT = Tolerance(
    atol=1e-10,
    reason="Laplace log-likelihood against the R script's own (uniroot, dbinom, dnorm; no lme4)",
)
GLMM_TIGHT_LME4_ESTIMATES = Tolerance(
    rtol=1e-6,
    atol=1e-7,
    reason="mu and tau2 against glmer with rhoend = tolPwrss = 1e-12: two optimizers' stops",
)
GLMM_TIGHT_LME4_SE = Tolerance(
    rtol=2e-6, reason="se against tight glmer: both sides take a finite-difference Hessian"
)
GLMM_TIGHT_LME4_LOGLIK = Tolerance(
    atol=1e-8, reason="maximised log-likelihood against tight glmer, nAGQ = 7"
)
GLMM_LAPLACE_LME4_ESTIMATES = Tolerance(
    atol=1e-5,
    reason="mu and tau2 against glmer(nAGQ = 1): bobyqa stops early on some cases ('a trust "
    "region step failed to reduce q')",
)
GLMM_LAPLACE_LME4_SE = Tolerance(
    rtol=1e-3,
    reason="se against glmer(nAGQ = 1): its path-dependent Laplace deviance (5e-8) through a "
    "finite-difference Hessian with step 1e-4 (2.7e-4 seen)",
)
GLMM_METAFOR_DEFAULTS = Tolerance(
    atol=1e-5,
    reason="rma.glmm's default optimizer stops early (estimates move by up to 2.5e-5 when "
    "tightened): mu, se, p and limits on the proportion scale",
)
GLMM_METAFOR_DEFAULTS_LOGIT_LIMITS = Tolerance(
    atol=2e-5,
    reason="z and the logit-scale limits of rma.glmm's defaults: mu -/+ 1.96 se adds the two "
    "differences (1.04e-5 seen)",
)
GLMM_METAFOR_DEFAULTS_TAU2 = Tolerance(
    rtol=5e-5, atol=1e-7, reason="tau2 of rma.glmm's default fit, which stops early"
)
GLMM_BATCH_EQUALS_SCALAR = Tolerance(
    rtol=1e-6,
    atol=1e-6,
    reason="a row of glmm_batch against glmm_proportions (atol times the row's scale): two "
    "optimizers stop at gradients below 1e-9 (scipy's gtol) and 1e-10, within about "
    "gtol se^2 of the maximum (1e-8 seen at k = 8, n 10-40); the tests scale it by se^2 and "
    "by the information's conditioning in flat rows",
)
GLMM_BATCH_EQUALS_SCALAR_SE = Tolerance(
    rtol=1e-5,
    reason="se of glmm_batch against glmm_proportions: central-difference Hessians (step "
    "1e-5) taken at the two optimizers' slightly different stops (times the information's "
    "conditioning in the tests, where it is nearly singular)",
)
GLMM_MODE_IS_A_ROOT = Tolerance(
    atol=1e-12,
    reason="h'(mode) = tau (x - n p) - mode at a conditional mode, relative to 1 + tau n: the "
    "rounding of x - n p, which cancels for a study with all or no events",
)
GLMM_MAXIMUM_NOT_LOWER = Tolerance(
    atol=1e-9,
    reason="our maximised log-likelihood is at least another fit's (or the boundary's), "
    "up to the optimizer's stop",
)

# --- closed forms and identities of our own code --------------------------------------------

CLOSED_FORM_IDENTITY = Tolerance(
    rtol=1e-12,
    reason="an identity between closed forms (a round trip, a sum, a boundary case): a few "
    "roundings",
)
CLOSED_FORM_IDENTITY_NEAR_ZERO = Tolerance(
    rtol=1e-12,
    atol=1e-12,
    reason="an identity between closed forms whose values can be 0, where only an absolute "
    "bound works",
)
KENDALL_EXACT_RECURRENCE = Tolerance(
    rtol=1e-13,
    reason="the exact Kendall p-value by a floating-point recurrence against integer counts or "
    "scipy's recurrence: about n roundings (n <= 100 here; 1e-15 seen)",
)
SAME_ARITHMETIC = Tolerance(
    rtol=1e-15, reason="the same formula on the same numbers by two routes: one or two ulps"
)
ROUNDING_SLACK = Tolerance(
    rtol=1e-12,
    atol=1e-12,
    reason="an inequality that holds in real arithmetic, allowed rounding of 1e-12 of the "
    "numbers' scale",
)
DECIMAL_SUM = Tolerance(
    atol=1e-9, reason="a sum of decimal fractions (Table 1's durations), each rounded to binary"
)
DECIMAL_ARITHMETIC = Tolerance(
    atol=1e-12, reason="a few operations on decimal fractions, each rounded to binary"
)
GAP_IN_LAST_DIGITS = Tolerance(
    atol=1e-9,
    reason="a gap in units of the last printed digit: a decimal difference times 10**decimals",
)
HALF_DIGIT_BOUNDARY = Tolerance(
    atol=1e-6,
    reason="drawn values within rounding of half a last digit, where the printed digits may "
    "round either way (hypothesis draws such ties)",
)

# --- property-based invariants (hypothesis) -------------------------------------------------

POOL_INVARIANT = Tolerance(
    rtol=1e-9,
    atol=1e-12,
    reason="pool before and after a reordering or mirroring: the same sums in another order",
)
POOL_WEIGHTS_REORDERED = Tolerance(
    rtol=1e-9, atol=1e-9, reason="weights (in percent) of pool after the studies are reordered"
)
POOL_SHIFTED_ESTIMATE = Tolerance(
    rtol=1e-9,
    atol=1e-9,
    reason="estimate of pool after a shift or rescaling of the effects (atol scales with them)",
)
POOL_SHIFTED_SE = Tolerance(
    rtol=1e-9, reason="se of pool after a shift or rescaling: the same weights, rounded again"
)
POOL_SHIFTED_TAU2 = Tolerance(
    rtol=1e-6,
    atol=1e-9,
    reason="tau2 after a shift or rescaling: REML and PM are iterated again from other rounding",
)
POOL_SHIFTED_WEIGHTS = Tolerance(
    rtol=1e-6, atol=1e-9, reason="weights after a shift or rescaling: they follow the new tau2"
)
I2_PERCENT = Tolerance(
    rtol=1e-6,
    atol=1e-6,
    reason="I2 in percent, after a shift or rescaling or against its Q-profile interval: "
    "follows tau2",
)
BATCH_EQUALS_POOL = Tolerance(
    rtol=1e-10,
    atol=1e-10,
    reason="a row of pool_batch against pool on that row (atol times the row's scale): the "
    "same formulas summed in another order; PM's root found by Newton there, Brent here, "
    "each to 1e-12 of s2",
)
PM_IN_Q_PROFILE = Tolerance(
    atol=1e-9,
    reason="PM's tau2 within its own Q-profile limits (times max(1, tau2)): each iterated to "
    "about 1e-12",
)
BIAS_INVARIANT = Tolerance(
    rtol=1e-7,
    atol=1e-9,
    reason="egger and trim_and_fill before and after a reordering, mirroring or rescaling: "
    "Egger's regression is ill-conditioned for near-equal variances",
)
SCALE_FREE_SMD = Tolerance(
    rtol=1e-10,
    atol=1e-12,
    reason="an SMD on a scale multiplied by a constant: the constant cancels, up to rounding",
)
FREEMAN_TUKEY_ROUND_TRIP = Tolerance(
    rtol=1e-7,
    atol=1e-12,
    reason="Miller's inverse of the double arcsine: a closed form with a square root of a "
    "difference",
)
BINOMIAL_MIRROR = Tolerance(
    rtol=1e-9,
    atol=1e-12,
    reason="limits of n - x against 1 - the limits of x: beta quantiles with swapped shapes",
)
PROPORTION_MIRROR = Tolerance(
    atol=1e-9,
    reason="a pooled proportion against 1 - the pool of the non-events: each scale is "
    "symmetric about 1/2",
)
GLMM_INVARIANT_ESTIMATES = Tolerance(
    rtol=1e-6,
    atol=1e-6,
    reason="GLMM mu and tau2 after a reordering or mirroring: the optimizer stops at a "
    "gradient of about 1e-9",
)
GLMM_INVARIANT_PROPORTION = Tolerance(
    atol=1e-6,
    reason="GLMM mu and proportions after mirroring (absolute: mu can be 0); the optimizer's stop",
)
GLMM_INVARIANT_SE = Tolerance(
    rtol=1e-5, reason="GLMM se after a reordering or mirroring: a finite-difference Hessian"
)
GLMM_INVARIANT_LOGLIK = Tolerance(
    rtol=1e-10,
    atol=1e-10,
    reason="GLMM maximised log-likelihood after a reordering: flat at the maximum",
)
SUMMARY_STATISTIC_TWO_WAYS = Tolerance(
    rtol=1e-9,
    atol=1e-9,
    reason="a mean or SD computed by our helper and by Python's statistics module",
)
POOLED_SD_SIMULATED = Tolerance(
    rtol=1e-9, reason="pooled SD against the SD of simulated patients: sums of squares of <= 480"
)

# --- the book's charts and tables -------------------------------------------------------------

CHART_GEOMETRY = Tolerance(
    rtol=1e-12, reason="a chart coordinate from one or two operations on the data"
)
SHARES_SUM_TO_ONE = Tolerance(
    atol=1e-12, reason="shares of a whole (claims by status), each a ratio of counts"
)

# --- simulations -----------------------------------------------------------------------------

COVERAGE_MC_ERRORS = 4
"""How many Monte-Carlo errors a simulated coverage may lie from the value the theory gives:
beyond 4 a correct method fails once in about 16,000 runs (a normal tail), so a failure means
a wrong formula, not bad luck."""
