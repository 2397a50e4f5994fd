"""`egger`, `begg` and `trim_and_fill` against R's metafor.

Source: tests/reference/metafor_bias.json, written by tests/reference/metafor_bias.R (R 4.2.2,
metafor 3.8-1: ``regtest(model = "lm", predictor = "sei")``, ``ranktest``, ``cor.test`` and
``trimfill``; the versions are stored in the file). Cases: the book's Fig. 4a and 4b inputs,
metafor's dat.bcg, dat.normand1999 and dat.hackshaw1998, simulated funnels with studies missing
on the left and on the right, k = 3, k = 60, and data with ties.

Tolerances (the acceptance criteria of issue 6): estimates, standard errors and test statistics
to a relative 1e-8 (absolute 1e-10 near zero), p-values to a relative 1e-6 (absolute 1e-12);
counts, sides and flags exactly. The implementations agree to about 1e-13 in practice.
"""

import itertools

import numpy as np
import pytest

from analysis.metaanalysis.bias import begg, egger, trim_and_fill
from analysis.metaanalysis.errors import ConvergenceError
from tests.conftest import load_reference, raised_here
from tests.tolerances import BIAS_VS_METAFOR, CLOSED_FORM_IDENTITY_NEAR_ZERO, P_VALUE_VS_METAFOR

REFERENCE = load_reference("metafor_bias.json")
CASES = REFERENCE["cases"]
POOL_FIELDS = ("estimate", "se", "ci_low", "ci_high", "z", "tau2", "q", "df", "i2", "h2")
# PoolResult's name for a field, where it differs from the reference file's.
POOL_NAMES = {"z": "statistic"}
POOL_P_FIELDS = ("p_value", "p_q")


def _close(actual, expected, what: str, p_value: bool = False) -> None:
    tolerance = P_VALUE_VS_METAFOR if p_value else BIAS_VS_METAFOR
    tolerance.assert_allclose(actual, expected, err_msg=what)


def _as_list(value) -> list:
    """jsonlite writes a vector of length 1 as a number."""
    return value if isinstance(value, list) else [value]


def test_reference_file_records_its_provenance() -> None:
    assert REFERENCE["generated_by"] == "tests/reference/metafor_bias.R"
    assert REFERENCE["metafor_version"] and REFERENCE["r_version"]
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_egger_matches_metafor_regtest(case: dict) -> None:
    expected = case["egger"]
    result = egger(case["yi"], case["vi"])
    name = case["name"]
    for field in ("intercept", "se", "t", "slope", "slope_se"):
        _close(getattr(result, field), expected[field], f"{name}: {field}")
    _close(result.p_value, expected["p_value"], f"{name}: p_value", p_value=True)
    assert result.df == expected["df"] == len(case["yi"]) - 2


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_egger_is_what_regtest_reports(case: dict) -> None:
    """regtest's test of sei is Egger's intercept test; its limit estimate is Egger's slope."""
    expected = case["egger"]
    result = egger(case["yi"], case["vi"])
    _close(result.t, expected["regtest_zval"], f"{case['name']}: regtest zval")
    _close(result.p_value, expected["regtest_pval"], f"{case['name']}: regtest pval", True)
    _close(result.slope, expected["limit_estimate"], f"{case['name']}: limit estimate")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_begg_matches_metafor_ranktest(case: dict) -> None:
    expected = case["begg"]
    name = case["name"]
    default = begg(case["yi"], case["vi"])
    _close(default.tau, expected["tau"], f"{name}: tau")
    _close(default.p_value, expected["p_value_exact"], f"{name}: p (default)", p_value=True)
    assert default.ties == expected["ties"]
    assert default.exact == (not expected["ties"])  # R falls back to the normal approximation

    normal = begg(case["yi"], case["vi"], method="normal")
    _close(normal.z, expected["z"], f"{name}: z")
    _close(normal.p_value, expected["p_value_normal"], f"{name}: p (normal)", p_value=True)
    assert not normal.exact

    corrected = begg(case["yi"], case["vi"], method="normal", continuity=True)
    _close(corrected.z, expected["z_continuity"], f"{name}: z (continuity)")
    _close(corrected.p_value, expected["p_value_continuity"], f"{name}: p (continuity)", True)


TRIMFILLS = [
    pytest.param(
        case,
        run,
        id=f"{case['name']}-{run['method']}-{run['estimator']}-{run['side_given'] or 'auto'}",
    )
    for case in CASES
    for run in case["trimfill"]
]


# The funnel on which metafor's trimfill (DL, L0) does not converge; its other combinations
# do, and are compared like every other case.
NONCONVERGENT = REFERENCE["nonconvergent"]
TRIMFILLS += [
    pytest.param(
        NONCONVERGENT | {"name": "oscillating"},
        run,
        id=f"oscillating-{run['method']}-{run['estimator']}-auto",
    )
    for run in NONCONVERGENT["converging"]
]


@pytest.mark.parametrize(("case", "run"), TRIMFILLS)
def test_trim_and_fill_matches_metafor_trimfill(case: dict, run: dict) -> None:
    result = trim_and_fill(
        case["yi"],
        case["vi"],
        estimator=run["estimator"],
        side=run["side_given"],
        method=run["method"],
    )
    name = f"{case['name']} ({run['method']}, {run['estimator']}, {run['side_given']})"
    assert (result.k0, result.side) == (run["k0"], run["side"]), name
    _close(result.se_k0, run["se_k0"], f"{name}: se_k0")
    if run["estimator"] == "R0":
        _close(result.p_k0, run["p_k0"], f"{name}: p_k0", p_value=True)
    else:
        assert result.p_k0 is None and run["p_k0"] is None
    filled_yi = _as_list(run["filled_yi"]) if run["k0"] else []
    filled_vi = _as_list(run["filled_vi"]) if run["k0"] else []
    assert len(result.filled_yi) == len(filled_yi) == result.k0
    if result.k0:
        _close(result.filled_yi, filled_yi, f"{name}: filled yi (in metafor's order)")
        _close(result.filled_vi, filled_vi, f"{name}: filled vi")
    fit = run["fit"]
    for field in POOL_FIELDS:
        ours = getattr(result.pooled, POOL_NAMES.get(field, field))
        _close(ours, fit[field], f"{name}: pooled {field}")
    for field in POOL_P_FIELDS:
        _close(getattr(result.pooled, field), fit[field], f"{name}: pooled {field}", True)
    _close(result.pooled.weights, _as_list(fit["weights"]), f"{name}: pooled weights")
    assert result.pooled.k == len(case["yi"]) + result.k0


def test_reference_covers_both_sides_and_both_outcomes() -> None:
    # The side chosen automatically is each of left and right somewhere, with studies filled
    # and with none filled; data with ties; more than 50 studies (exact Kendall p regardless).
    automatic = [run for case in CASES for run in case["trimfill"] if run["side_given"] is None]
    assert {run["side"] for run in automatic if run["k0"] > 0} == {"left", "right"}
    assert any(run["k0"] == 0 for run in automatic)
    assert any(case["begg"]["ties"] for case in CASES)
    assert max(len(case["yi"]) for case in CASES) > 50
    assert min(len(case["yi"]) for case in CASES) == 3


def test_mirrored_studies_are_the_most_extreme_on_the_other_side() -> None:
    """Each filled study is 2 * (trimmed estimate) minus the study it mirrors, same variance."""
    for case in CASES:
        yi, vi = np.asarray(case["yi"]), np.asarray(case["vi"])
        result = trim_and_fill(yi, vi)
        mirrored = np.asarray(result.mirrored, dtype=int)
        CLOSED_FORM_IDENTITY_NEAR_ZERO.assert_allclose(
            result.filled_yi, 2 * result.trimmed_estimate - yi[mirrored]
        )
        np.testing.assert_array_equal(result.filled_vi, vi[mirrored])
        others = np.delete(yi, mirrored)
        if result.k0 and result.side == "left":
            assert yi[mirrored].min() >= others.max()
        elif result.k0:
            assert yi[mirrored].max() <= others.min()


def test_trim_and_fill_stops_where_metafor_stops_in_every_order() -> None:
    """metafor's trimfill: k0 alternates 1, 0, 1, ... and after maxiter = 100 iterations it
    stops with "Trim and fill algorithm did not converge.", in each of the 24 orders. Ours
    raises ConvergenceError after the same iterations, in every order, and reports the k0 of
    its last iterations as metafor's trace shows them."""
    yi, vi = NONCONVERGENT["yi"], NONCONVERGENT["vi"]
    assert NONCONVERGENT["errors"] == ["Trim and fill algorithm did not converge."] * 24
    assert NONCONVERGENT["iterations"] == 100
    trace = [int(k0) for k0 in NONCONVERGENT["k0_iterations"]]
    for order in itertools.permutations(range(4)):
        with pytest.raises(ConvergenceError, match="did not converge") as caught:
            trim_and_fill([yi[i] for i in order], [vi[i] for i in order], "L0", method="DL")
        assert raised_here(caught)
        last = ", ".join(str(k0) for k0 in trace[-4:])
        assert f"max_iterations=100 iterations (its last values: {last})" in str(caught.value)
    for n in range(1, 8):
        with pytest.raises(ConvergenceError) as caught:
            trim_and_fill(yi, vi, "L0", method="DL", max_iterations=n)
        last = ", ".join(str(k0) for k0 in trace[:n][-4:])
        assert f"(its last values: {last})" in str(caught.value)
