"""what_if_inputs: the studies a relief figure pools, and every subset of them.

Source: data/studies.csv through `rate_inputs` (the paper's reading) and `pool_rates`.
Tolerance: exact (the same computation on the same numbers).
"""

import numpy as np
import pytest

from analysis.metaanalysis import InputError, every_subset
from analysis.paper import PAPER_INPUTS, pool_rates, rate_inputs, what_if_inputs, with_weights


@pytest.mark.parametrize("key", ["immediate", "followup"])
def test_the_subsets_are_those_of_the_pooled_studies(key: str) -> None:
    inputs = rate_inputs(key, PAPER_INPUTS)
    table = with_weights(inputs, pool_rates(inputs))
    what_if = what_if_inputs(table)
    kept = table[~table["excluded"]]
    assert table["excluded"].any()  # Kiefer 2008b (0%) is left out of both figures
    assert list(what_if.studies["label"]) == list(kept["label"])
    assert list(what_if.studies["estimate"]) == list(kept["yi"])
    expected = every_subset(kept["yi"], kept["vi"], "DL", prediction="t(k-2)")
    for field in ("members", "estimate", "ci_low", "ci_high", "i2", "pi_low", "pi_high"):
        # NaN where two studies give no prediction interval: equal when both are NaN.
        np.testing.assert_array_equal(getattr(what_if.subsets, field), getattr(expected, field))
    # The whole set is the figure's pooled result.
    every = what_if.subsets.row(tuple(range(len(kept))))
    pooled = pool_rates(inputs)
    assert what_if.subsets.estimate[every] == pooled.estimate
    assert np.isnan(what_if.subsets.pi_low[what_if.subsets.row((0, 1))])


def test_a_missing_column_is_named() -> None:
    inputs = rate_inputs("followup", PAPER_INPUTS)
    with pytest.raises(InputError, match=r"^what_if_inputs: the table has no column 'excluded'$"):
        what_if_inputs(inputs)
