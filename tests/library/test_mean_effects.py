"""Effect sizes for means against metafor's escalc and Stata metan's formulas.

Source: tests/reference/metafor_effect_sizes.json, written by
tests/reference/metafor_effect_sizes.R (R 4.2.2, metafor 3.8-1): ``escalc`` with measures
"SMD", "MD", "MC", "SMCC" and "SMCR"; metan's Cohen's d, Hedges' g and Glass's delta written out
in R from their published formulas. Tolerance: relative 1e-12 (closed forms).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import InputError
from analysis.metaanalysis.mean_effects import (
    mean_difference,
    paired_mean_difference,
    paired_standardized_mean_difference,
    standardized_mean_difference,
)
from tests.conftest import load_reference
from tests.tolerances import EFFECT_SIZES_VS_R, SCALE_FREE_SMD

REFERENCE = load_reference("metafor_effect_sizes.json")
TWO_GROUP = REFERENCE["cases"]["two_group"]
PAIRED = [(case, by_r) for case in REFERENCE["cases"]["paired"] for by_r in case["by_r"]]


def close(actual: tuple, expected: list) -> None:
    EFFECT_SIZES_VS_R.assert_allclose(actual, expected)


@pytest.mark.parametrize("case", TWO_GROUP, ids=[c["name"] for c in TWO_GROUP])
@pytest.mark.parametrize("method", ["cohen", "hedges", "glass"])
def test_two_group_smd_matches_metan(case: dict, method: str) -> None:
    args = [case[k] for k in ("m1", "sd1", "n1", "m2", "sd2", "n2")]
    effects = standardized_mean_difference(*args, method=method)
    close(effects.yi, case["metan"][method]["yi"])
    close(effects.vi, case["metan"][method]["vi"])


@pytest.mark.parametrize("case", TWO_GROUP, ids=[c["name"] for c in TWO_GROUP])
def test_two_group_smd_and_md_match_escalc(case: dict) -> None:
    args = [case[k] for k in ("m1", "sd1", "n1", "m2", "sd2", "n2")]
    smd = standardized_mean_difference(*args, method="metafor")
    close(smd.yi, case["SMD"]["yi"])
    close(smd.vi, case["SMD"]["vi"])
    md = mean_difference(*args)
    close(md.yi, case["MD"]["yi"])
    close(md.vi, case["MD"]["vi"])


@pytest.mark.parametrize(
    ("case", "by_r"), PAIRED, ids=[f"{c['name']}-r{b['r']}" for c, b in PAIRED]
)
def test_paired_effects_match_escalc(case: dict, by_r: dict) -> None:
    args = [case[k] for k in ("m1", "sd1", "m2", "sd2", "n")]
    r = by_r["r"]
    for measure, effects in (
        ("MC", paired_mean_difference(*args, r)),
        ("SMCC", paired_standardized_mean_difference(*args, r, standardizer="change")),
        ("SMCR", paired_standardized_mean_difference(*args, r, standardizer="baseline")),
    ):
        assert effects.measure == measure
        close(effects.yi, by_r[measure]["yi"])
        close(effects.vi, by_r[measure]["vi"])


@given(
    st.floats(0.1, 10), st.floats(0.1, 10), st.floats(-5, 5), st.floats(0.1, 100),
    st.integers(3, 200),
)  # fmt: skip
def test_standardized_effects_do_not_depend_on_the_scale(sd1, sd2, diff, scale, n) -> None:
    # A 0-100 scale and a 0-10 scale give the same SMD: multiplying every mean and SD by a
    # constant leaves it unchanged; the raw mean difference scales with it.
    base = standardized_mean_difference([diff], [sd1], [n], [0.0], [sd2], [n])
    scaled = standardized_mean_difference([diff * scale], [sd1 * scale], [n], [0.0],
                                          [sd2 * scale], [n])  # fmt: skip
    assert scaled.yi == SCALE_FREE_SMD.approx(base.yi)
    paired = paired_standardized_mean_difference([diff], [sd1], [0.0], [sd2], [n], 0.5)
    paired_scaled = paired_standardized_mean_difference(
        [diff * scale], [sd1 * scale], [0.0], [sd2 * scale], [n], 0.5
    )
    assert paired_scaled.yi == SCALE_FREE_SMD.approx(paired.yi)


@given(st.floats(0.1, 5), st.floats(0.1, 5), st.floats(0.1, 5), st.integers(3, 100))
def test_higher_correlation_means_a_more_precise_change(sd1, sd2, diff, n) -> None:
    low = paired_mean_difference([diff], [sd1], [0.0], [sd2], [n], 0.2)
    high = paired_mean_difference([diff], [sd1], [0.0], [sd2], [n], 0.8)
    assert high.vi[0] < low.vi[0]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: standardized_mean_difference([1], [-1], [5], [0], [1], [5]), "sd1[0] = -1"),
        (lambda: standardized_mean_difference([1], [1], [1], [0], [1], [5]), "n1[0] = 1"),
        (lambda: standardized_mean_difference([1], [0], [5], [0], [0], [5]), "pooled SD"),
        (lambda: standardized_mean_difference([1], [1], [5], [0], [1], [5], "d"), "method='d'"),
        (lambda: paired_mean_difference([1], [1], [0], [1], [5], 1.0), "r = 1 must lie"),
        (lambda: paired_mean_difference([1, 2], [1], [0], [1], [5], 0.5), "m1 has 2, sd1 has 1"),
    ],
)
def test_bad_arguments_give_one_line(call, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        call()
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)
