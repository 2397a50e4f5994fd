"""Numbers of `pool`, the tau² estimators and the heterogeneity intervals that mutation testing
found unchecked (``make mutation``, tests/mutation/), each against metafor or an exact value.

Source: tests/reference/metafor_pool.json, written by tests/reference/metafor_pool.R (R 4.2.2,
metafor 3.8-1): the fits of `test_pool_metafor`, plus per fit the prediction interval with t on
k - 2 df (``pi_t_low``, ``pi_t_high``: the formula of Higgins, Thompson & Spiegelhalter 2009 on
metafor's estimate, se and tau²), REML's ``se.tau2``, and per case the REML log-likelihood
``logLik(rma(yi, vi, tau2 = t, method = "REML"))`` at fixed values of tau².

Tolerances: as `test_pool_metafor` (closed forms relative 1e-10, iterative ones 1e-9).
"""

import re

import numpy as np
import pytest

from analysis import pool
from analysis.metaanalysis import tau2 as tau2_module
from analysis.metaanalysis.errors import ConvergenceError, InputError
from analysis.metaanalysis.heterogeneity import heterogeneity_intervals, q_profile_interval
from analysis.metaanalysis.pooling import prediction_interval
from analysis.metaanalysis.tau2 import (
    _reml_information,
    _reml_score,
    restricted_loglik,
    restricted_maximum_likelihood,
)
from tests.conftest import load_reference
from tests.library.test_pool_metafor import reference_fit
from tests.tolerances import (
    CLOSED_FORM_IDENTITY,
    CLOSED_FORM_IDENTITY_NEAR_ZERO,
    CLOSED_FORM_VS_METAFOR,
    ITERATIVE_VS_METAFOR,
    ROUNDING_SLACK,
    Tolerance,
)

REFERENCE = load_reference("metafor_pool.json")
CASES = REFERENCE["cases"]
CASE_IDS = [case["name"] for case in CASES]


def tolerance(method: str) -> Tolerance:
    return ITERATIVE_VS_METAFOR if method in ("REML", "PM") else CLOSED_FORM_VS_METAFOR


def model(name: str) -> tuple[str, str]:
    method, _, ci = name.partition("-")
    return method, ci or "z"


def data(case: dict) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(case["yi"], dtype=float), np.asarray(case["vi"], dtype=float)


# --- the common-effect I² is truncated at 0 ------------------------------------------------


def test_common_effect_i2_is_zero_when_q_is_below_its_degrees_of_freedom() -> None:
    """metafor's FE I² is ``max(0, 100 (Q - df) / Q)``: 0, not negative, for 0 < Q < df."""
    case = next(c for c in CASES if c["name"] == "q_below_df")
    expected = case["fits"]["FE"]
    assert 0 < expected["q"] < expected["df"]
    result = pool(case["yi"], case["vi"], "FE")
    assert result.i2 == expected["i2"] == 0
    CLOSED_FORM_VS_METAFOR.assert_allclose(result.h2, expected["h2"])


# --- the prediction interval with t on k - 2 df --------------------------------------------

PREDICTIONS = [
    pytest.param(case, name, id=f"{case['name']}-{name}")
    for case in CASES
    for name, fit in case["fits"].items()
    if "pi_t_low" in fit
]


@pytest.mark.parametrize(("case", "name"), PREDICTIONS)
def test_prediction_interval_on_k_minus_2_df_matches_its_formula_in_r(case, name) -> None:
    method, ci = model(name)
    expected = reference_fit(case, name)  # metafor, but for the documented HKSJ departure
    low, high = prediction_interval(pool(case["yi"], case["vi"], method, ci=ci))
    tolerance(method).assert_allclose(
        [low, high], [expected["pi_t_low"], expected["pi_t_high"]], err_msg=case["name"]
    )


def test_prediction_interval_is_defined_from_three_studies() -> None:
    """k = 3 is the smallest k with a t on k - 2 df: it gives the interval, k = 2 an error."""
    k3 = next(c for c in CASES if len(c["yi"]) == 3)
    assert "pi_t_low" in k3["fits"]["DL"]
    low, high = prediction_interval(pool(k3["yi"], k3["vi"]))
    CLOSED_FORM_VS_METAFOR.assert_allclose(
        [low, high], [k3["fits"]["DL"]["pi_t_low"], k3["fits"]["DL"]["pi_t_high"]]
    )
    k2 = next(c for c in CASES if len(c["yi"]) == 2)
    with pytest.raises(InputError, match="at least 3 studies, got k = 2"):
        prediction_interval(pool(k2["yi"], k2["vi"]))


def test_prediction_interval_model_is_the_stored_one() -> None:
    result = pool(CASES[0]["yi"], CASES[0]["vi"])
    assert prediction_interval(result, "model") == (result.pi_low, result.pi_high)


# --- iterations: 0 for the closed forms ----------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_closed_form_estimators_report_no_iterations(case: dict) -> None:
    assert pool(case["yi"], case["vi"], "DL").iterations == 0
    assert pool(case["yi"], case["vi"], "FE").iterations == 0
    assert pool(case["yi"], case["vi"], "REML").iterations >= 1


# --- REML: the fallback after Fisher scoring, the information, the log-likelihood ----------


@pytest.mark.parametrize("units", [1.0, 1e-3, 1e3])
@pytest.mark.parametrize("fisher_steps", [0, 1])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_reml_fallback_solves_the_score_equation_as_metafor(
    case: dict, fisher_steps: int, units: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With Fisher scoring cut short (0 or 1 step instead of `FISHER_ITERATIONS`), the REML
    estimate comes from Brent's method on the score, or is 0 at the boundary: metafor's (in
    units 1000 times smaller or larger too: the tolerance of the root is relative, and the test
    for the boundary is the sign of the score, whatever its size)."""
    monkeypatch.setattr(tau2_module, "FISHER_ITERATIONS", fisher_steps)
    yi, vi = data(case)
    expected = case["fits"]["REML"]["tau2"]
    fit = restricted_maximum_likelihood(yi * units, vi * units**2)
    ITERATIVE_VS_METAFOR.assert_allclose(fit.tau2 / units**2, expected, err_msg=case["name"])
    if expected == 0:
        assert fit.tau2 == 0
    assert fit.iterations >= fisher_steps


def test_reml_fallback_reports_fisher_steps_plus_brent_iterations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = next(c for c in CASES if c["fits"]["REML"]["tau2"] > 0)
    monkeypatch.setattr(tau2_module, "FISHER_ITERATIONS", 0)
    brent = restricted_maximum_likelihood(*data(case)).iterations
    monkeypatch.setattr(tau2_module, "FISHER_ITERATIONS", 1)
    fit = restricted_maximum_likelihood(*data(case))
    assert brent >= 1 and fit.iterations >= 2


def _p_matrix(vi: np.ndarray, tau2: float) -> np.ndarray:
    """``P = W - W 1 (1'W1)^-1 1'W`` with ``W = diag(1 / (v + tau2))``, as a matrix."""
    w = np.diag(1.0 / (vi + tau2))
    one = np.ones((len(vi), 1))
    return w - w @ one @ np.linalg.inv(one.T @ w @ one) @ one.T @ w


@pytest.mark.parametrize("tau2", [0.0, 0.02, 0.3, 5.0])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_reml_score_and_information_are_their_matrix_forms(case: dict, tau2: float) -> None:
    """``y'PPy - tr(P)`` and ``tr(PP)`` (Viechtbauer 2005), with P written as a matrix."""
    yi, vi = data(case)
    p = _p_matrix(vi, tau2)
    scale = float(np.trace(p @ p))
    CLOSED_FORM_IDENTITY.assert_allclose(_reml_information(vi, tau2), scale)
    quadratic, trace = float(yi @ p @ p @ yi), float(np.trace(p))
    # A difference of two sums: compared on the scale of the larger.
    assert ROUNDING_SLACK.isclose(
        _reml_score(yi, vi, tau2), quadratic - trace, scale=max(quadratic, trace)
    )


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_reml_information_gives_metafors_se_of_tau2(case: dict) -> None:
    """metafor's ``se.tau2`` of a REML fit is ``sqrt(2 / tr(PP))`` at its estimate."""
    _, vi = data(case)
    fit = case["fits"]["REML"]
    ITERATIVE_VS_METAFOR.assert_allclose(
        np.sqrt(2.0 / _reml_information(vi, fit["tau2"])), fit["se_tau2"], err_msg=case["name"]
    )


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_restricted_loglik_differs_from_metafors_by_a_constant(case: dict) -> None:
    """``logLik(rma(..., tau2 = t, method = "REML"))`` minus ours is the same for every t."""
    yi, vi = data(case)
    reference = case["reml_loglik"]
    ours = np.array([restricted_loglik(yi, vi, t) for t in reference["tau2"]])
    theirs = np.asarray(reference["loglik"])
    CLOSED_FORM_VS_METAFOR.assert_allclose(ours - ours[0], theirs - theirs[0])


# --- the Q-profile interval: default level, scale ------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_heterogeneity_intervals_default_to_95_percent(case: dict) -> None:
    yi, vi = data(case)
    expected = case["fits"]["DL"]
    ITERATIVE_VS_METAFOR.assert_allclose(q_profile_interval(yi, vi), expected["tau2_ci"])
    intervals = heterogeneity_intervals(yi, vi)
    for name in ("tau2", "i2", "h2"):
        ITERATIVE_VS_METAFOR.assert_allclose(intervals[name], expected[f"{name}_ci"])


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_q_profile_limits_are_exact_for_effects_in_small_units(case: dict) -> None:
    """Effects in units 1000 times smaller: the limits are metafor's times 1e-6, to the same
    relative accuracy (the root's tolerance is relative to the typical variance)."""
    yi, vi = data(case)
    low, high = q_profile_interval(yi * 1e-3, vi * 1e-6)
    ITERATIVE_VS_METAFOR.assert_allclose(
        [low * 1e6, high * 1e6], case["fits"]["DL"]["tau2_ci"], err_msg=case["name"]
    )


@pytest.mark.parametrize("method", ["REML", "PM"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_iterative_tau2_is_exact_for_effects_in_small_units(case: dict, method: str) -> None:
    """As for the Q-profile limits: tau² of data in units 1000 times smaller is metafor's times
    1e-6, to the same relative accuracy (the convergence tolerance is relative)."""
    yi, vi = data(case)
    result = pool(yi * 1e-3, vi * 1e-6, method)
    ITERATIVE_VS_METAFOR.assert_allclose(
        result.tau2 * 1e6, case["fits"][method]["tau2"], err_msg=case["name"]
    )


def test_reml_stops_after_one_step_for_identical_studies() -> None:
    """Q = 0 and DL gives 0: the first Fisher step is negative, halved to nothing, and the
    estimate 0 is reached at iteration 1, even when one iteration is all that is allowed."""
    case = next(c for c in CASES if c["name"] == "identical_studies")
    yi, vi = data(case)
    assert restricted_maximum_likelihood(yi, vi) == tau2_module.Tau2Estimate(0.0, 1)
    assert restricted_maximum_likelihood(yi, vi, max_iter=1) == tau2_module.Tau2Estimate(0.0, 1)


def test_reml_fallback_that_does_not_converge_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Fisher step, and Brent's method allowed 3 iterations: a ConvergenceError naming them
    (and no change of tau² yet: inf)."""
    case = next(c for c in CASES if c["fits"]["REML"]["tau2"] > 0.01)
    monkeypatch.setattr(tau2_module, "FISHER_ITERATIONS", 0)
    with pytest.raises(
        ConvergenceError,
        match=r"^pool: the REML estimator did not converge in 3 iterations "
        r"\(last change in tau2 = inf\)$",
    ):
        restricted_maximum_likelihood(*data(case), max_iter=3)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_tau_is_the_square_root_of_metafors_tau2(case: dict) -> None:
    result = pool(case["yi"], case["vi"], "REML")
    assert result.tau == np.sqrt(result.tau2)
    ITERATIVE_VS_METAFOR.assert_allclose(result.tau**2, case["fits"]["REML"]["tau2"])


def test_a_zero_variance_is_an_error_by_default() -> None:
    with pytest.raises(InputError, match="drop_zero_variance=True"):
        pool([0.2, 0.4, 0.5], [0.01, 0.0, 0.02])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"method": "ML"}, "pool: method='ML' is not one of 'FE', 'DL', 'REML', 'PM'"),
        ({"ci": "t"}, "pool: ci='t' is not one of 'z', 'hksj', 'hksj-adhoc'"),
        ({"method": "FE", "ci": "knha"}, "pool: ci='knha' is not one of"),
    ],
)
def test_unknown_method_or_interval_is_named(arguments: dict, message: str) -> None:
    with pytest.raises(InputError, match=f"^{re.escape(message)}"):
        pool([0.2, 0.4, 0.5], [0.01, 0.03, 0.02], **arguments)


def test_unknown_prediction_distribution_is_named() -> None:
    result = pool([0.2, 0.4, 0.5], [0.01, 0.03, 0.02])
    with pytest.raises(InputError, match=r"^prediction_interval: distribution='z' is not one of"):
        prediction_interval(result, "z")


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_fisher_scoring_stops_at_its_step_limit(
    case: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fit that needs m Fisher steps, allowed m - 1: no m-th step is taken, the fallback
    (Brent's method, several iterations) gives the same tau² and reports m - 1 plus its own.
    (Where tau² is 0, or approached geometrically, the fallback returns 0 at once.)"""
    yi, vi = data(case)
    natural = restricted_maximum_likelihood(yi, vi)
    if natural.iterations < 2 or case["fits"]["REML"]["tau2"] < 1e-6:
        return
    monkeypatch.setattr(tau2_module, "FISHER_ITERATIONS", natural.iterations - 1)
    fallback = restricted_maximum_likelihood(yi, vi)
    assert fallback.iterations > natural.iterations
    ITERATIVE_VS_METAFOR.assert_allclose(fallback.tau2, natural.tau2)


def test_pool_checks_its_level_and_flag() -> None:
    with pytest.raises(InputError, match=r"^pool: level=1\.5"):
        pool([0.2, 0.4, 0.5], [0.01, 0.03, 0.02], level=1.5)
    with pytest.raises(InputError, match=r"^pool: drop_zero_variance='no' must be True or False"):
        pool([0.2, 0.4, 0.5], [0.01, 0.03, 0.02], drop_zero_variance="no")


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_fisher_scoring_converges_within_its_step_limit(case: dict) -> None:
    """On every reference case Fisher scoring itself converges (7 to 30 steps): the fallback is
    for flat likelihoods only, and a fit that reaches it here has stopped moving."""
    assert restricted_maximum_likelihood(*data(case)).iterations < tau2_module.FISHER_ITERATIONS


# --- REML's Fisher scoring: step halving, the boundary, Brent refusing its bracket ----------


def _fisher_scoring_by_matrices(yi: np.ndarray, vi: np.ndarray) -> tuple[float, int]:
    """REML by Fisher scoring written from its matrix forms (Harville 1977; metafor's step
    halving): score ``(y'PPy - tr P) / 2``, information ``tr(PP) / 2``, a step that would make
    tau² negative halved until it does not, from the DerSimonian–Laird estimate, until a step is
    below `TOLERANCE` times ``max(s², tau²)``."""
    tau2 = tau2_module.dersimonian_laird(yi, vi).tau2
    scale = tau2_module.typical_within_variance(vi)
    for iteration in range(1, tau2_module.FISHER_ITERATIONS + 1):
        p = _p_matrix(vi, tau2)
        step = (yi @ p @ p @ yi - np.trace(p)) / np.trace(p @ p)
        while tau2 + step < 0:
            step /= 2
        tau2 += step
        if abs(step) < tau2_module.TOLERANCE * max(scale, tau2):
            return tau2, iteration
    raise AssertionError("the reference Fisher scoring did not converge")


def test_reml_fisher_scoring_halves_a_step_that_would_leave_zero() -> None:
    """The estimate and the number of steps of every converging case are those of Fisher
    scoring with step halving, written from the matrices; sim_k20 (tau² near 0) needs halving."""
    halving = 0
    for case in CASES:
        yi, vi = data(case)
        fit = restricted_maximum_likelihood(yi, vi)
        if fit.iterations > tau2_module.FISHER_ITERATIONS or fit.tau2 == 0:
            continue
        tau2, steps = _fisher_scoring_by_matrices(yi, vi)
        assert fit.iterations == steps, case["name"]
        CLOSED_FORM_IDENTITY_NEAR_ZERO.assert_allclose(fit.tau2, tau2, err_msg=case["name"])
        halving += case["name"] == "sim_k20"
    assert halving == 1


def test_brent_refusing_its_bracket_is_a_convergence_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If Brent's method rejects the bracket (scipy's ValueError), REML's fallback says it did
    not converge, in this package's words."""

    class Refusing:
        @staticmethod
        def brentq(*args, **kwargs):
            raise ValueError("f(a) and f(b) must have different signs")

    case = next(c for c in CASES if c["fits"]["REML"]["tau2"] > 0)
    monkeypatch.setattr(tau2_module, "FISHER_ITERATIONS", 0)
    monkeypatch.setattr(tau2_module, "optimize", Refusing)
    with pytest.raises(ConvergenceError, match=r"^pool: the REML estimator did not converge"):
        restricted_maximum_likelihood(*data(case))
