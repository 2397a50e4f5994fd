"""`analysis.metaanalysis.proportions` against metafor: transformations, pooling, back-transforms.

Source: tests/reference/metafor_proportions.json, written by
tests/reference/metafor_proportions.R (R 4.2.2, metafor 3.8-1; the versions are stored in the
file): ``escalc(measure = "PLO" | "PFT" | "PR", xi, ni)`` with its default continuity
correction, ``rma(yi, vi, method = "DL" | "FE")`` on each scale, ``predict(...,
transf = transf.ilogit)`` and ``predict(..., transf = transf.ipft.hm, targs = list(ni = ni))``,
and each study's interval back-transformed with ``transf.ilogit`` or ``transf.ipft(., ni)``.
Tolerance: relative 1e-10 (absolute 1e-12 near zero) for every number, as for `pool`: the same
closed-form computations, so anything larger is a bug.
"""

import numpy as np
import pytest

from analysis.metaanalysis.proportions import (
    inverse_freeman_tukey,
    inverse_freeman_tukey_hm,
    inverse_logit,
    pool_proportions,
    proportion_effect_sizes,
)
from tests.conftest import load_reference
from tests.tolerances import CLOSED_FORM_IDENTITY, CLOSED_FORM_VS_METAFOR

REFERENCE = load_reference("metafor_proportions.json")
MEASURES = ("PLO", "PFT", "PR")
METHODS = ("DL", "FE")

CASES = [pytest.param(case, id=case["name"]) for case in REFERENCE["cases"]]
FITS = [
    pytest.param(case, measure, method, id=f"{case['name']}-{measure}-{method}")
    for case in REFERENCE["cases"]
    for measure in MEASURES
    for method in METHODS
]


def close(actual: object, expected: object, what: str) -> None:
    CLOSED_FORM_VS_METAFOR.assert_allclose(actual, expected, err_msg=what)


def test_reference_file_records_its_provenance() -> None:
    assert REFERENCE["generated_by"] == "tests/reference/metafor_proportions.R"
    assert REFERENCE["metafor_version"] and REFERENCE["lme4_version"]
    assert REFERENCE["level"] == 0.95
    names = {case["name"] for case in REFERENCE["cases"]}
    assert {"relief_immediate_counts", "relief_followup_counts", "pritz1997"} <= names


def test_reference_covers_zero_and_all_events() -> None:
    counts = [
        (x, n) for case in REFERENCE["cases"] for x, n in zip(case["xi"], case["ni"], strict=True)
    ]
    assert any(x == 0 for x, _ in counts) and any(x == n for x, n in counts)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("measure", MEASURES)
def test_effect_sizes_match_escalc(case: dict, measure: str) -> None:
    expected = case["escalc"][measure]
    es = proportion_effect_sizes(case["xi"], case["ni"], measure)
    assert es.measure == measure
    close(es.yi, expected["yi"], f"{case['name']}: escalc {measure} yi")
    close(es.vi, expected["vi"], f"{case['name']}: escalc {measure} vi")


@pytest.mark.parametrize(("case", "measure", "method"), FITS)
def test_pool_proportions_matches_rma_and_predict(case: dict, measure: str, method: str) -> None:
    expected = case["escalc"][measure]["fits"][method]
    result = pool_proportions(case["xi"], case["ni"], measure, method)
    where = f"{case['name']}, {measure}, {method}"
    for field in ("estimate", "se", "ci_low", "ci_high", "tau2", "i2", "q"):
        close(getattr(result.pooled, field), expected[field], f"{where}: {field}")
    close(result.estimate, expected["proportion"], f"{where}: back-transformed estimate")
    close(result.ci_low, expected["proportion_ci_low"], f"{where}: back-transformed ci_low")
    close(result.ci_high, expected["proportion_ci_high"], f"{where}: back-transformed ci_high")
    assert result.tau2 == result.pooled.tau2


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("measure", MEASURES)
def test_study_intervals_match_metafor_back_transformations(case: dict, measure: str) -> None:
    expected = case["escalc"][measure]["studies"]
    result = pool_proportions(case["xi"], case["ni"], measure)
    where = f"{case['name']}, {measure}"
    close(result.study_estimate, expected["estimate"], f"{where}: study estimate")
    close(result.study_ci_low, expected["ci_low"], f"{where}: study ci_low")
    close(result.study_ci_high, expected["ci_high"], f"{where}: study ci_high")


@pytest.mark.parametrize("case", CASES)
def test_back_transformations_match_transf_functions(case: dict) -> None:
    """The public back-transformations on their own: transf.ilogit, transf.ipft(.hm)."""
    ni = case["ni"]
    plo, pft = case["escalc"]["PLO"], case["escalc"]["PFT"]
    close(inverse_logit(plo["yi"]), plo["studies"]["estimate"], "transf.ilogit")
    close(inverse_freeman_tukey(pft["yi"], ni), pft["studies"]["estimate"], "transf.ipft")
    fit = pft["fits"]["DL"]
    limits = [fit["estimate"], fit["ci_low"], fit["ci_high"]]
    expected = [fit["proportion"], fit["proportion_ci_low"], fit["proportion_ci_high"]]
    close(inverse_freeman_tukey_hm(limits, ni), expected, "transf.ipft.hm")


def test_freeman_tukey_back_transformation_fails_with_unequal_sizes() -> None:
    """Schwarzer et al. (2019): every study has 5% events, yet the harmonic-mean
    back-transformation of the pooled Freeman–Tukey value gives about 3.3%, with a confidence
    interval that excludes 5%; the logit gives 5% exactly. metafor agrees (1e-10)."""
    case = next(c for c in REFERENCE["cases"] if c["name"] == "ft_backtransform_failure")
    assert len(set(np.divide(case["xi"], case["ni"]))) == 1
    for method in METHODS:
        ft = pool_proportions(case["xi"], case["ni"], "PFT", method)
        logit = pool_proportions(case["xi"], case["ni"], "PLO", method)
        close(ft.estimate, case["escalc"]["PFT"]["fits"][method]["proportion"], "FT estimate")
        assert ft.ci_high < 0.05 and ft.estimate < 0.035
        assert logit.estimate == CLOSED_FORM_IDENTITY.approx(0.05)
        # Each study's own back-transformation is exact: the failure is the shared size.
        assert CLOSED_FORM_IDENTITY.allclose(ft.study_estimate, 0.05)
