"""`total` and `total_without`: the sums of the tau² estimators and of `pool` (issue 14, item 1).

Below `FSUM_BELOW` values they are correctly rounded: the exact sum of the floats (by
fractions), rounded once. Above, numpy's pairwise sum, within its rounding of the exact sum.
"""

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from analysis.metaanalysis.sums import FSUM_BELOW, total, total_without
from tests.tolerances import CLOSED_FORM_IDENTITY

VALUES = st.lists(
    st.floats(min_value=1e-100, max_value=1e100, allow_nan=False), min_size=1, max_size=80
)


def exact_sum(values: list[float]) -> float:
    return float(sum((Fraction(v) for v in values), Fraction(0)))


@given(VALUES)
def test_total_is_the_exact_sum_rounded_once_for_a_few_values(values: list[float]) -> None:
    array = np.array(values)
    result = total(array)
    assert isinstance(result, float)
    if len(values) < FSUM_BELOW:
        assert result == exact_sum(values)
    else:
        CLOSED_FORM_IDENTITY.assert_allclose(result, exact_sum(values))


@given(VALUES, st.data())
def test_total_without_leaves_out_one_value(values: list[float], data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(values) - 1))
    rest = values[:position] + values[position + 1 :]
    result = total_without(np.array(values), position)
    if len(values) <= FSUM_BELOW:
        assert result == exact_sum(rest)
    else:
        CLOSED_FORM_IDENTITY.assert_allclose(result, exact_sum(rest))


def test_a_dominant_value_does_not_swallow_the_others() -> None:
    assert total(np.array([1e20, 1.0, -1e20])) == 1.0
    assert total_without(np.array([3.0, 1e20, 2.0]), 1) == 5.0
