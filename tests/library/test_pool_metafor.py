"""`analysis.pool` and the influence diagnostics against R's metafor.

Source: tests/reference/metafor_pool.json, written by tests/reference/metafor_pool.R
(R 4.2.2, metafor 3.8-1; the versions are stored in the file): ``rma(yi, vi, method=...,
test=...)`` for FE, DL, REML and PM with test "z", "knha" (our "hksj") and "adhoc" (our
"hksj-adhoc"); ``confint(type="QP")`` for the tau², I² and H² intervals; ``predict()`` for the
prediction interval; ``leave1out()`` and ``baujat()``.

Tolerances: closed-form estimators (FE, DL) relative 1e-10; the iterative ones (REML, PM, and
the Q-profile limits), which both sides iterate to about 1e-12, relative 1e-9 with an absolute
1e-9 for values at the zero boundary of tau² (where both sides approach 0 geometrically).
"""

import json

import numpy as np
import pytest

from analysis import pool
from analysis.metaanalysis.influence import baujat, leave_one_out
from tests.conftest import load_reference
from tests.tolerances import CLOSED_FORM_VS_METAFOR, ITERATIVE_VS_METAFOR, Tolerance

REFERENCE = load_reference("metafor_pool.json")
FIELDS = (
    "estimate", "se", "ci_low", "ci_high", "statistic", "p_value", "tau2", "q", "df", "p_q",
    "i2", "h2", "pi_low", "pi_high", "weights", "tau2_ci", "i2_ci", "h2_ci",
)  # fmt: skip
INFLUENCE_FIELDS = ("estimate", "se", "ci_low", "ci_high", "q", "p_q", "tau2", "i2", "h2")


def tolerance(method: str) -> Tolerance:
    return ITERATIVE_VS_METAFOR if method in ("REML", "PM") else CLOSED_FORM_VS_METAFOR


def model(name: str) -> tuple[str, str]:
    """``"REML-hksj-adhoc"`` -> ``("REML", "hksj-adhoc")``; ``"DL"`` -> ``("DL", "z")``."""
    method, _, ci = name.partition("-")
    return method, ci or "z"


FITS = [
    pytest.param(case, name, id=f"{case['name']}-{name}")
    for case in REFERENCE["cases"]
    for name in case["fits"]
]
INFLUENCE = [
    pytest.param(case, method, id=f"{case['name']}-{method}")
    for case in REFERENCE["cases"]
    for method in case.get("influence", {})
]


def test_reference_file_records_its_provenance() -> None:
    assert REFERENCE["generated_by"] == "tests/reference/metafor_pool.R"
    assert REFERENCE["metafor_version"]
    assert len(REFERENCE["cases"]) >= 10


def reference_fit(case: dict, name: str) -> dict:
    """metafor's fit for ``name``, except where `pool` departs from metafor on purpose.

    The one departure: when every study lies at the pooled estimate, metafor's ``knha`` takes
    the HKSJ scale as 0 and reports an interval of width 0 with p = 0; ``pool(ci="hksj")``
    then uses the scale 1 (`analysis.metaanalysis.pooling.HKSJ_ZERO_RSS`), which is metafor's
    ``test="adhoc"``.
    """
    method, ci = model(name)
    expected = case["fits"][name]
    if ci == "hksj" and expected["se"] == 0:
        # metafor's adhoc fit of the same model; PM has none stored, but the adhoc fit depends
        # on the model only through tau², so a stored one with the same tau² is the same fit.
        adhoc = [
            fit
            for other, fit in case["fits"].items()
            if other.endswith("-hksj-adhoc") and fit["tau2"] == expected["tau2"]
        ]
        return case["fits"].get(f"{method}-hksj-adhoc", adhoc[0])
    return expected


def test_the_departure_from_metafor_is_the_zero_width_hksj_interval_only() -> None:
    departures = [
        (case["name"], name)
        for case in REFERENCE["cases"]
        for name in case["fits"]
        if reference_fit(case, name) is not case["fits"][name]
    ]
    assert departures == [
        ("identical_studies", f"{method}-hksj") for method in ("DL", "REML", "PM")
    ]
    (identical,) = [case for case in REFERENCE["cases"] if case["name"] == "identical_studies"]
    fit = identical["fits"]["DL-hksj"]
    assert fit["ci_low"] == fit["ci_high"] and fit["p_value"] == 0  # what metafor reports


@pytest.mark.parametrize(("case", "name"), FITS)
def test_pool_matches_metafor(case: dict, name: str) -> None:
    method, ci = model(name)
    expected = reference_fit(case, name)
    result = pool(case["yi"], case["vi"], method=method, ci=ci)
    for field in FIELDS:
        if field not in expected:  # the Q-profile intervals are not defined for FE
            assert getattr(result, field) is None, field
            continue
        tolerance(method).assert_allclose(
            np.asarray(getattr(result, field), dtype=float),
            expected[field],
            err_msg=f"{case['name']}, {name}: {field} differs from metafor",
        )
    assert result.k == len(case["yi"])
    assert result.test == ("z" if ci == "z" else "t")


@pytest.mark.parametrize(("case", "method"), INFLUENCE)
def test_leave_one_out_and_baujat_match_metafor(case: dict, method: str) -> None:
    expected = case["influence"][method]
    loo = leave_one_out(case["yi"], case["vi"], method)
    for field in INFLUENCE_FIELDS:
        if expected[field] is None:  # metafor leaves tau2 empty for FE
            assert np.all(loo.field(field) == 0)
            continue
        tolerance(method).assert_allclose(
            loo.field(field),
            expected[field],
            err_msg=f"{case['name']}, leave1out {method}: {field}",
        )
    points = baujat(case["yi"], case["vi"], method)
    tolerance(method).assert_allclose(points.contribution, expected["baujat_x"])
    tolerance(method).assert_allclose(points.influence, expected["baujat_y"])


def test_every_case_has_every_model() -> None:
    names = {"FE", "DL", "REML", "PM", "DL-hksj", "REML-hksj", "PM-hksj", "REML-hksj-adhoc"}
    assert all(names <= set(case["fits"]) for case in REFERENCE["cases"])


def test_reference_covers_the_zero_boundary_and_large_tau2() -> None:
    tau2 = [case["fits"]["REML"]["tau2"] for case in REFERENCE["cases"]]
    assert min(tau2) == 0
    assert max(tau2) > 100


def test_reference_values_are_full_precision() -> None:
    text = json.dumps(REFERENCE["cases"][0]["fits"]["DL"]["estimate"])
    assert len(text.replace("0.", "")) >= 15
