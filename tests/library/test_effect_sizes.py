"""Effect sizes for proportions and per-study Wald intervals.

Sources: metafor's ``escalc(measure = "PR")`` (yi and vi stored with the proportion cases of
tests/reference/metafor_pool.json, compared at 1e-12 relative), and the per-study intervals
printed in the paper's Fig. 4 (compared at the two printed decimals in
tests/paper/test_fig4_relief_rates.py).
"""

import numpy as np
import pytest

from analysis import InputError, raw_proportions, wald_intervals
from tests.conftest import load_reference
from tests.tolerances import ESCALC_PROPORTIONS_VS_R, NORMAL_QUANTILE_VS_R

PROPORTION_CASES = [c for c in load_reference("metafor_pool.json")["cases"] if c["ni"]]


@pytest.mark.parametrize("case", PROPORTION_CASES, ids=lambda c: c["name"])
def test_raw_proportions_match_escalc(case: dict) -> None:
    effects = raw_proportions(case["yi"], case["ni"])
    assert effects.measure == "PR"
    ESCALC_PROPORTIONS_VS_R.assert_allclose(effects.yi, case["yi"])
    ESCALC_PROPORTIONS_VS_R.assert_allclose(effects.vi, case["vi"])
    ESCALC_PROPORTIONS_VS_R.assert_allclose(effects.sei, np.sqrt(case["vi"]))


def test_zero_and_one_have_zero_variance() -> None:
    assert raw_proportions([0.0, 1.0], [4, 7]).vi == (0.0, 0.0)


def test_wald_interval_is_symmetric_with_normal_quantile() -> None:
    low, high = wald_intervals([0.5], [0.01], level=0.95)
    # qnorm(0.975) = 1.959963984540054 (R 4.2.2)
    NORMAL_QUANTILE_VS_R.assert_allclose(
        [low[0], high[0]], [0.5 - 0.1959963984540054, 0.6959963984540054]
    )


@pytest.mark.parametrize(
    ("p", "n", "message"),
    [
        ([0.5, 1.2], [10, 10], "p[1] = 1.2 is outside [0, 1]"),
        ([0.5], [0], "n[0] = 0; a study needs n >= 1"),
        ([0.5, 0.4], [10], "one value per study"),
        ([], [], "p is empty"),
    ],
)
def test_raw_proportions_rejects_bad_input(p: list, n: list, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        raw_proportions(p, n)
