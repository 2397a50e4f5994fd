"""Bad arguments to the models for proportions, non-convergence, and options passed to `pool`.

Each bad argument must give one line naming the function, the argument and the value, raised
from this package's code with no library exception chained to it (as tests/paper/test_bad_input.py
requires of the other public functions).
"""

import pytest

from analysis import ConvergenceError, InputError, glmm_proportions, pool_proportions
from analysis.metaanalysis.glmm import binomial_normal_loglik
from analysis.metaanalysis.proportions import (
    inverse_freeman_tukey,
    inverse_freeman_tukey_hm,
    proportion_effect_sizes,
)
from tests.conftest import raised_here

X, N = [25, 8, 19, 0, 5, 10, 14, 4, 20], [33, 13, 20, 4, 19, 16, 18, 5, 30]

BAD_ARGUMENTS = [
    (proportion_effect_sizes, {"events": [1, 2.5], "n": [4, 5]}, "events[1] = 2.5 is not a whole"),
    (
        proportion_effect_sizes,
        {"events": [1, 6], "n": [4, 5]},
        "events[1] = 6 is outside [0, n[1]]",
    ),
    (proportion_effect_sizes, {"events": [-1, 2], "n": [4, 5]}, "events[0] = -1 is outside"),
    (proportion_effect_sizes, {"events": [1, 2], "n": [0, 5]}, "n[0] = 0; a study needs n >= 1"),
    (proportion_effect_sizes, {"events": [1, 2], "n": [4]}, "events has 2, n has 1"),
    (proportion_effect_sizes, {"events": [1], "n": [4], "measure": "PAS"}, "measure='PAS'"),
    (proportion_effect_sizes, {"events": [1], "n": [4], "to": "some"}, "to='some' is not one"),
    (proportion_effect_sizes, {"events": [1], "n": [4], "add": -0.5}, "add=-0.5 must be"),
    (
        proportion_effect_sizes,
        {"events": [0, 2], "n": [4, 5], "to": "none"},
        "events[0] = 0 of n[0] = 4 has an infinite logit",
    ),
    (inverse_freeman_tukey, {"y": [0.5, 0.6], "n": [10]}, "y has 2, n has 1"),
    (inverse_freeman_tukey, {"y": [0.5], "n": [0]}, "n[0] = 0 must be > 0"),
    (inverse_freeman_tukey_hm, {"y": [0.5], "n": [10, -1]}, "n[1] = -1 must be > 0"),
    (pool_proportions, {"events": X, "n": N, "measure": "OR"}, "measure='OR' is not one of"),
    (pool_proportions, {"events": X, "n": N, "level": 95}, "level=95 must be"),
    (pool_proportions, {"events": X, "n": N, "method": "ML"}, "method='ML' is not one of"),
    (pool_proportions, {"events": X, "n": N, "tau2": 0.1}, "unexpected keyword argument 'tau2'"),
    (glmm_proportions, {"events": [3], "n": [10]}, "at least 2 studies, got 1"),
    (glmm_proportions, {"events": [0, 5], "n": [4, 5]}, "no study has 0 < events < n"),
    (glmm_proportions, {"events": [0, 0], "n": [4, 5]}, "no study has 0 < events < n"),
    (glmm_proportions, {"events": X, "n": N, "nagq": 0}, "nagq=0 must be a whole number"),
    (glmm_proportions, {"events": X, "n": N, "nagq": 2.5}, "nagq=2.5 must be a whole number"),
    (glmm_proportions, {"events": X, "n": N, "max_iterations": 0}, "max_iterations=0 must be"),
    (glmm_proportions, {"events": X, "n": N, "level": 0}, "level=0 must be"),
    (binomial_normal_loglik, {"events": X, "n": N, "mu": 0.0, "tau2": -1.0}, "tau2=-1.0 is neg"),
    (binomial_normal_loglik, {"events": X, "n": N, "mu": float("nan"), "tau2": 1.0}, "mu=nan"),
]


@pytest.mark.parametrize(
    ("function", "kwargs", "fragment"),
    BAD_ARGUMENTS,
    ids=[f"{f.__name__}-{fragment}" for f, _, fragment in BAD_ARGUMENTS],
)
def test_bad_argument_gives_one_line(function, kwargs: dict, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        function(**kwargs)
    message = str(caught.value)
    prefix = "pool: " if "method" in kwargs else f"{function.__name__}: "
    assert message.startswith(prefix)
    assert fragment in message
    assert "\n" not in message
    assert raised_here(caught)


def test_non_convergence_names_the_function_and_the_iterations() -> None:
    with pytest.raises(ConvergenceError) as caught:
        glmm_proportions(X, N, max_iterations=1)
    message = str(caught.value)
    assert message.startswith("glmm_proportions: ")
    assert "in 1 iterations" in message and "max_iterations=1" in message
    assert "\n" not in message
    assert isinstance(caught.value, RuntimeError)


def test_options_reach_pool_unchanged() -> None:
    """``drop_zero_variance`` is an option of `analysis.pool`, not of `pool_proportions`."""
    with pytest.raises(InputError, match="pool: vi\\[3\\] = 0 would give that study infinite"):
        pool_proportions(X, N, "PR", add=0)
    result = pool_proportions(X, N, "PR", add=0, drop_zero_variance=True)
    assert result.pooled.excluded == (3,)
    assert result.pooled.weights[3] == 0


def test_pooled_result_carries_the_options() -> None:
    result = pool_proportions(X, N, "PLO", "FE", level=0.9)
    assert (result.measure, result.method, result.level) == ("PLO", "FE", 0.9)
    assert result.pooled.level == 0.9 and result.pooled.tau2 == 0
    assert len(result.proportions) == len(result.study_ci_low) == len(X)
