"""`every_subset`: every subset of two or more studies, each pooled exactly as `pool` pools it.

Source of the expected values: `analysis.pool` on the same subset (the same computation, so
the comparison is exact).
"""

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import pool, prediction_interval
from analysis.metaanalysis import MAX_SUBSET_STUDIES, InputError, every_subset

FIELDS = ("estimate", "ci_low", "ci_high", "i2", "tau2", "pi_low", "pi_high")


@st.composite
def studies(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    k = draw(st.integers(min_value=2, max_value=6))
    yi = draw(st.lists(st.floats(-3, 3), min_size=k, max_size=k))
    vi = draw(st.lists(st.floats(0.001, 1.0), min_size=k, max_size=k))
    return yi, vi


@given(studies(), st.sampled_from(["FE", "DL", "REML"]), st.sampled_from(["z", "hksj"]))
def test_every_subset_is_pool_on_that_subset(data, method, ci) -> None:
    yi, vi = data
    k = len(yi)
    subsets = every_subset(yi, vi, method, ci=ci)
    assert len(subsets.members) == 2**k - k - 1
    assert len(set(subsets.members)) == len(subsets.members)
    assert list(subsets.size) == sorted(subsets.size)
    for size in range(2, k + 1):
        for group in combinations(range(k), size):
            row = subsets.row(group)
            assert subsets.size[row] == size
            assert subsets.members[row] == sum(2**i for i in group)
            expected = pool([yi[i] for i in group], [vi[i] for i in group], method, ci=ci)
            for field in FIELDS:
                assert getattr(subsets, field)[row] == getattr(expected, field), field


@given(studies(), st.sampled_from(["DL", "REML"]))
def test_t_prediction_intervals_are_prediction_interval_s_and_none_from_two(data, method) -> None:
    yi, vi = data
    k = len(yi)
    subsets = every_subset(yi, vi, method, prediction="t(k-2)")
    assert subsets.prediction == "t(k-2)"
    for size in range(2, k + 1):
        for group in combinations(range(k), size):
            row = subsets.row(group)
            interval = (subsets.pi_low[row], subsets.pi_high[row])
            if size == 2:
                assert np.isnan(interval).all()  # t with 0 df: no interval, by design
                continue
            expected = pool([yi[i] for i in group], [vi[i] for i in group], method)
            assert interval == prediction_interval(expected, "t(k-2)")


def test_an_unknown_prediction_is_named() -> None:
    with pytest.raises(InputError, match=r"^every_subset: prediction="):
        every_subset([0.1, 0.2], [0.01, 0.02], prediction="normal")


def test_the_whole_set_is_the_last_row() -> None:
    yi, vi = [0.2, 0.5, 0.9, 0.4], [0.02, 0.01, 0.05, 0.03]
    subsets = every_subset(yi, vi, "REML", ci="hksj")
    assert subsets.members[-1] == 0b1111
    assert subsets.estimate[-1] == pool(yi, vi, "REML", ci="hksj").estimate


def test_too_many_studies_get_one_line() -> None:
    k = MAX_SUBSET_STUDIES + 1
    with pytest.raises(InputError) as caught:
        every_subset(np.linspace(0, 1, k), [0.01] * k)
    assert str(caught.value) == (
        f"every_subset: {k} studies give {2**k - k - 1} subsets; at most "
        f"{MAX_SUBSET_STUDIES} studies are accepted"
    )


def test_a_subset_that_is_not_there_is_named() -> None:
    subsets = every_subset([0.1, 0.3, 0.5], [0.01, 0.02, 0.04])
    with pytest.raises(InputError) as caught:
        subsets.row((1,))
    assert str(caught.value) == (
        "SubsetPools.row: no subset of studies [1]: the subsets hold two or more of studies 0 to 2"
    )
