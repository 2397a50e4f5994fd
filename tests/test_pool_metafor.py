"""`analysis.pool` against R's metafor.

Source: tests/reference/metafor_pool.json, written by tests/reference/metafor_pool.R
(R 4.2.2, metafor 3.8-1: ``rma(yi, vi, method = "DL")`` and ``method = "FE"``; the versions are
stored in the file). Every number is compared at a relative tolerance of 1e-10 (absolute 1e-12
for values near zero): the two implementations compute the same closed-form estimators, so
anything larger is a bug, not rounding.
"""

import numpy as np
import pytest

from analysis import pool
from tests.conftest import load_reference

REFERENCE = load_reference("metafor_pool.json")
RTOL, ATOL = 1e-10, 1e-12
FIELDS = (
    "estimate", "se", "ci_low", "ci_high", "z", "p_value", "tau2",
    "q", "df", "p_q", "i2", "h2", "weights",
)  # fmt: skip

CASES = [
    pytest.param(case, method, id=f"{case['name']}-{method}")
    for case in REFERENCE["cases"]
    for method in case["fits"]
]


def test_reference_file_records_its_provenance() -> None:
    assert REFERENCE["generated_by"] == "tests/reference/metafor_pool.R"
    assert REFERENCE["metafor_version"]
    assert len(REFERENCE["cases"]) >= 10


@pytest.mark.parametrize(("case", "method"), CASES)
def test_pool_matches_metafor(case: dict, method: str) -> None:
    expected = case["fits"][method]
    result = pool(case["yi"], case["vi"], method=method)
    for field in FIELDS:
        np.testing.assert_allclose(
            getattr(result, field),
            expected[field],
            rtol=RTOL,
            atol=ATOL,
            err_msg=f"{case['name']}, method {method}: {field} differs from metafor",
        )
    assert result.k == len(case["yi"])
    assert result.excluded == ()


def test_every_reference_case_has_both_models() -> None:
    assert all(set(case["fits"]) == {"DL", "FE"} for case in REFERENCE["cases"])


def test_reference_covers_truncated_tau2() -> None:
    # At least one case where the DL estimate is truncated at zero, so that branch is checked.
    assert any(case["fits"]["DL"]["tau2"] == 0 for case in REFERENCE["cases"])
