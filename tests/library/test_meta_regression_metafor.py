"""`meta_regression` and `cumulative` against R's metafor.

Source: tests/reference/metafor_metareg.json, written by tests/reference/metafor_metareg.R
(R 4.2.2, metafor 3.8-1; the versions are stored in the file): ``rma(yi, vi, mods = ...,
method = M, test = T)`` for FE, DL and REML with z and Knapp–Hartung tests, REML iterated to
1e-12, on metafor's BCG vaccine trials (latitude; latitude and year; allocation as indicators;
six trials) and on four studies with no residual heterogeneity, with the coefficients'
covariance (``vcov``) and ``predict(newmods = ...)`` at the moderators' largest values;
``cumul(rma(...), order = year)`` on the BCG trials for the same models.

Tolerance: relative 1e-8, absolute 1e-9 (`META_REGRESSION_VS_METAFOR`): both sides solve the
normal equations, which lose digits when a moderator is far from zero (publication year:
agreement 5e-10 there, 1e-13 elsewhere); REML is iterated to 1e-12 on both sides.
"""

import pytest

from analysis.metaanalysis.cumulative import cumulative
from analysis.metaanalysis.meta_regression import meta_regression
from tests.conftest import load_reference
from tests.tolerances import META_REGRESSION_VS_METAFOR

REFERENCE = load_reference("metafor_metareg.json")
CASES = [
    (name, fit)
    for name, case in REFERENCE["cases"].items()
    for fit in case["fits"]
]  # fmt: skip
COEFFICIENT_FIELDS = ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high")
MODEL_FIELDS = ("qm", "qm_df", "qm_p", "qe", "qe_df", "qe_p", "tau2", "i2", "h2")


@pytest.mark.parametrize(
    ("name", "expected"), CASES, ids=[f"{n}-{f['method']}-{f['test']}" for n, f in CASES]
)
def test_meta_regression_is_metafor_s(name: str, expected: dict) -> None:
    case = REFERENCE["cases"][name]
    ours = meta_regression(
        case["yi"], case["vi"], case["moderators"], method=expected["method"],
        test=expected["test"],
    )  # fmt: skip
    tolerance = META_REGRESSION_VS_METAFOR
    assert ours.coefficients.term == ("intercept", *case["moderators"])
    for field in COEFFICIENT_FIELDS:
        assert list(getattr(ours.coefficients, field)) == tolerance.approx(expected[field]), field
    for field in MODEL_FIELDS:
        assert getattr(ours, field) == tolerance.approx(expected[field]), field
    for ours_row, metafor_row in zip(ours.covariance, expected["vcov"], strict=True):
        assert list(ours_row) == tolerance.approx(metafor_row), "vcov"
    at = {name: [value] for name, value in expected["predict_at"].items()}
    predicted = [float(a[0]) for a in ours.predict(at)]
    wanted = expected["predict"]
    assert predicted == tolerance.approx([wanted[f] for f in ("pred", "ci_low", "ci_high")])
    if expected["method"] == "FE":
        # metafor's R² of a fixed-effects model is a weighted least-squares adjusted R², not a
        # share of tau²; ours is None there.
        assert ours.r2 is None
    else:
        assert ours.r2 == tolerance.approx(expected["r2"])


def test_the_reference_has_every_model_of_every_case() -> None:
    models = {(f["method"], f["test"]) for _, f in CASES}
    assert models == {(m, t) for m in ("FE", "DL", "REML") for t in ("z", "knha")}
    assert len(CASES) == 6 * len(REFERENCE["cases"]) >= 30


CUMULATIVE = REFERENCE["cumulative"]
CUMULATIVE_FIELDS = (
    "estimate", "se", "statistic", "p_value", "ci_low", "ci_high", "q", "p_q", "tau2", "i2",
    "h2",
)  # fmt: skip
CI_METHOD = {"z": "z", "knha": "hksj"}


@pytest.mark.parametrize(
    "expected", CUMULATIVE["fits"], ids=[f"{f['method']}-{f['test']}" for f in CUMULATIVE["fits"]]
)
def test_cumulative_is_metafor_s_cumul(expected: dict) -> None:
    """metafor's rows from the second on (its first row is the first study alone)."""
    ours = cumulative(
        CUMULATIVE["yi"], CUMULATIVE["vi"], CUMULATIVE["year"], expected["method"],
        ci=CI_METHOD[expected["test"]],
    )  # fmt: skip
    assert [i + 1 for i in ours.order] == expected["order"]
    for field in CUMULATIVE_FIELDS:
        reference = expected[field]
        if reference is None:  # metafor reports no tau2 for a fixed-effects model
            assert field == "tau2" and expected["method"] == "FE"
            assert list(ours.field("tau2")) == [0.0] * len(ours.steps)
            continue
        assert list(ours.field(field)) == META_REGRESSION_VS_METAFOR.approx(reference[1:]), field
