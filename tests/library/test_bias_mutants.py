"""Numbers of `egger`, `begg` and `trim_and_fill` that mutation testing found unchecked
(``make mutation``, tests/mutation/), each against metafor or an exact value.

Source: tests/reference/metafor_bias.json, written by tests/reference/metafor_bias.R (R 4.2.2,
metafor 3.8-1): Egger's interval is ``confint`` of regtest's ``lm`` fit (the row of ``sei``);
the number of trim-and-fill iterations is the number of "Iteration:" lines that
``trimfill(..., verbose = TRUE)`` prints. The cases ``ties_in_both`` (Kendall's tie
corrections with groups of three in both variables) and ``side_by_heterogeneity`` (the side
chosen by the DerSimonian-Laird model differs from the common-effect one) are checked by
`test_bias_metafor` like every case; this file checks that they do what they are there for.

Tolerances: as `test_bias_metafor` (relative 1e-8, p-values 1e-6).
"""

import math

import numpy as np
import pytest

from analysis.metaanalysis.bias import (
    RECOMMENDED_MIN_STUDIES,
    _asymmetry_slope,
    begg,
    egger,
    trim_and_fill,
)
from analysis.metaanalysis.errors import InputError
from tests.conftest import load_reference
from tests.tolerances import BIAS_VS_METAFOR, P_VALUE_VS_METAFOR

REFERENCE = load_reference("metafor_bias.json")
CASES = REFERENCE["cases"]
CASE_IDS = [case["name"] for case in CASES]


def _case(name: str) -> dict:
    return next(case for case in CASES if case["name"] == name)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_egger_interval_matches_lm_confint(case: dict) -> None:
    expected = case["egger"]
    result = egger(case["yi"], case["vi"])
    BIAS_VS_METAFOR.assert_allclose(
        [result.ci_low, result.ci_high],
        [expected["ci_low"], expected["ci_high"]],
        err_msg=case["name"],
    )
    assert result.level == 0.95


def test_egger_interval_at_another_level_uses_its_t_quantile() -> None:
    """At 90% the interval is ``intercept -/+ t_{0.95, k-2} se``, inside the 95% one."""
    case = _case("bcg_logrr")
    wide = egger(case["yi"], case["vi"])
    narrow = egger(case["yi"], case["vi"], level=0.90)
    half = narrow.ci_high - narrow.intercept
    BIAS_VS_METAFOR.assert_allclose(narrow.intercept - narrow.ci_low, half)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    assert narrow.level == 0.90


def test_ties_case_uses_every_term_of_the_tie_correction() -> None:
    """Groups of three equal deviates and of three equal variances: the products of pairs and
    of triples of both variables enter the variance of Kendall's score (Kendall 1970, 4.4)."""
    case = _case("ties_in_both")
    yi, vi = np.asarray(case["yi"]), np.asarray(case["vi"])
    _, counts = np.unique(vi, return_counts=True)
    assert counts.max() >= 3
    assert np.unique(yi[vi == 0.04]).size == 1 and (vi == 0.04).sum() == 3
    for continuity in (False, True):
        result = begg(yi, vi, method="normal", continuity=continuity)
        key = "z_continuity" if continuity else "z"
        BIAS_VS_METAFOR.assert_allclose(result.z, case["begg"][key])
    default = begg(yi, vi)
    assert default.ties and not default.exact
    BIAS_VS_METAFOR.assert_allclose(default.tau, case["begg"]["tau"])
    P_VALUE_VS_METAFOR.assert_allclose(default.p_value, case["begg"]["p_value_exact"])


def test_side_depends_on_the_heterogeneity_of_the_model() -> None:
    case = _case("side_by_heterogeneity")
    sides = {run["method"]: run["side"] for run in case["trimfill"] if run["side_given"] is None}
    assert sides == {"DL": "left", "FE": "right"}
    for method, side in sides.items():
        assert trim_and_fill(case["yi"], case["vi"], method=method).side == side


TRIMFILLS = [
    pytest.param(case, run, id=f"{case['name']}-{run['method']}-{run['estimator']}-"
                 f"{run['side_given'] or 'auto'}")
    for case in CASES
    for run in case["trimfill"]
]  # fmt: skip


@pytest.mark.parametrize(("case", "run"), TRIMFILLS)
def test_trim_and_fill_iterates_as_often_as_metafor(case: dict, run: dict) -> None:
    result = trim_and_fill(
        case["yi"], case["vi"], run["estimator"], run["side_given"], run["method"]
    )
    assert result.iterations == run["iterations"], case["name"]


def test_reference_has_runs_of_several_iterations() -> None:
    assert max(run["iterations"] for _, run in (p.values for p in TRIMFILLS)) >= 3


def test_l0_standard_error_is_zero_where_its_variance_formula_is_negative() -> None:
    """Only the study nearest the pooled estimate lies above it: L0's estimate is -1.6 and the
    variance of its rank sum (Duval & Tweedie 2000) negative. metafor takes the square root
    (NaN, with a warning); `trim_and_fill` floors the variance at 0, so ``se_k0`` is 0."""
    case = REFERENCE["negative_variance"]
    run = case["trimfill"]
    assert case["variance_of_s"] < 0 and math.isnan(run["se_k0"])
    result = trim_and_fill(case["yi"], case["vi"], "L0", "left", "DL")
    assert result.se_k0 == 0.0
    assert (result.k0, result.iterations) == (run["k0"], run["iterations"]) == (0, 1)
    BIAS_VS_METAFOR.assert_allclose(result.pooled.estimate, run["fit"]["estimate"])


def test_recommended_minimum_is_sterne_et_al_ten_studies() -> None:
    assert RECOMMENDED_MIN_STUDIES == 10


@pytest.mark.parametrize(
    "yi",
    [
        pytest.param([0.0, 0.0, 0.0, 0.0], id="all-zero"),
        # z = -1 - 0.5 / se: negative standardized effects exactly on a line.
        pytest.param([-0.51, -0.52, -0.54, -0.55], id="negative-line"),
    ],
)
def test_egger_on_an_exact_line_is_undefined(yi: list) -> None:
    with pytest.raises(InputError, match=r"^egger: the 4 standardized effects lie exactly on a"):
        egger(yi, [0.0001, 0.0004, 0.0016, 0.0025])


@pytest.mark.parametrize(("yi", "score"), [([0.1, 0.5, 0.3], 1), ([0.5, 0.1, 0.3], -1)])
def test_continuity_correction_takes_a_score_of_one_to_zero(yi: list, score: int) -> None:
    """``|S| - 1`` with the sign of S: a score of +1 or -1 becomes 0, so z = 0 and p = 1."""
    result = begg(yi, [0.01, 0.02, 0.03], method="normal", continuity=True)
    assert (result.score, result.z, result.p_value) == (score, 0.0, 1.0)


def test_r0_is_undefined_when_no_study_lies_below_the_centre() -> None:
    """Effects all 0: every deviation from the trimmed estimate is 0, none negative."""
    with pytest.raises(InputError, match=r"^trim_and_fill: the R0 estimator is undefined here"):
        trim_and_fill([0.0, 0.0, 0.0, 0.0], [0.01, 0.02, 0.03, 0.04], "R0", "left")


def test_trim_and_fill_checks_its_level() -> None:
    with pytest.raises(InputError, match=r"^trim_and_fill: level=1\.5"):
        trim_and_fill(CASES[0]["yi"], CASES[0]["vi"], level=1.5)


def test_max_iterations_allows_exactly_that_many() -> None:
    """A run that needs n iterations passes with ``max_iterations=n``."""
    case = _case("fig4b_rounded")
    run = next(r for r in case["trimfill"] if r["iterations"] >= 3)
    arguments = (case["yi"], case["vi"], run["estimator"], run["side_given"], run["method"])
    result = trim_and_fill(*arguments, max_iterations=run["iterations"])
    assert (result.k0, result.iterations) == (run["k0"], run["iterations"])


def test_one_iteration_is_allowed_and_is_enough_for_a_symmetric_funnel() -> None:
    """``max_iterations=1``, the least allowed: a symmetric funnel stops after its first
    iteration with k0 = 0 (nothing to fill); 0 iterations are refused."""
    yi, vi = [-1.0, -0.5, 0.0, 0.5, 1.0], [0.1, 0.3, 0.2, 0.3, 0.1]
    result = trim_and_fill(yi, vi, max_iterations=1)
    assert (result.k0, result.iterations) == (0, 1)
    with pytest.raises(InputError, match=r"^trim_and_fill: max_iterations=0 must be at least 1$"):
        trim_and_fill(yi, vi, max_iterations=0)


SIDE_CASES = [case for case in CASES if case["side_regression"]]


@pytest.mark.parametrize("case", SIDE_CASES, ids=[c["name"] for c in SIDE_CASES])
def test_side_regression_matches_metafors_meta_regression(case: dict) -> None:
    """The slope that chooses the side: ``rma(yi, vi, mods = ~ sqrt(vi), method = M)``, with
    DL's residual heterogeneity in the weights."""
    expected = case["side_regression"]
    yi, vi = np.asarray(case["yi"]), np.asarray(case["vi"])
    BIAS_VS_METAFOR.assert_allclose(_asymmetry_slope(yi, vi, "FE"), expected["fe_slope"])
    BIAS_VS_METAFOR.assert_allclose(_asymmetry_slope(yi, vi, "DL"), expected["dl_slope"])


def test_side_regression_cases_have_residual_heterogeneity() -> None:
    assert sum(case["side_regression"]["dl_tau2"] > 0 for case in SIDE_CASES) >= 5
