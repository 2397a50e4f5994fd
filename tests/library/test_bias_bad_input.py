"""Bad arguments to `egger`, `begg` and `trim_and_fill`: one line naming the argument and value.

As in tests/paper/test_bad_input.py, the error must come from this package's code, with no library
exception chained to it.
"""

import math

import pytest

from analysis.metaanalysis.bias import begg, egger, trim_and_fill
from analysis.metaanalysis.errors import ConvergenceError, InputError
from tests.conftest import raised_here

Y, V = [0.2, 0.5, 0.1, 0.4], [0.01, 0.04, 0.02, 0.03]

BAD_ARGUMENTS = [
    (egger, {"yi": Y, "vi": V[:3]}, "yi has 4, vi has 3"),
    (egger, {"yi": [0.1, 0.2], "vi": [0.01, 0.02]}, "needs at least 3 studies, got 2"),
    (
        egger,
        {"yi": Y, "vi": [0.01, 0.0, 0.02, 0.03]},
        "vi[1] = 0 would give that study infinite weight",
    ),
    (egger, {"yi": Y, "vi": [0.02] * 4}, "all 4 variances are equal (0.02)"),
    (egger, {"yi": [1.5, 1.0, 0.75], "vi": [1.0, 0.25, 0.0625]}, "lie exactly on a line"),
    (egger, {"yi": [0.1, math.inf, 0.3], "vi": V[:3]}, "yi[1] = inf is not a finite number"),
    (egger, {"yi": Y, "vi": V, "level": 0}, "level=0 must be"),
    (begg, {"yi": Y, "vi": V, "method": "permutation"}, "method='permutation' is not one of"),
    (begg, {"yi": Y, "vi": V, "continuity": "yes"}, "continuity='yes' must be True or False"),
    (begg, {"yi": "0.2", "vi": V}, "yi must be a sequence of numbers"),
    (trim_and_fill, {"yi": Y, "vi": V, "estimator": "Q0"}, "estimator='Q0' is not one of"),
    (trim_and_fill, {"yi": Y, "vi": V, "side": "top"}, "side='top' is not one of"),
    (trim_and_fill, {"yi": Y, "vi": V, "method": "ML"}, "method='ML' is not one of"),
    (trim_and_fill, {"yi": Y, "vi": [0.02] * 4}, "all variances are equal, so the side"),
    (trim_and_fill, {"yi": Y, "vi": V, "max_iterations": 2.5}, "max_iterations=2.5 must be"),
    (trim_and_fill, {"yi": Y, "vi": V, "max_iterations": 0}, "max_iterations=0 must be at"),
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
    assert message.startswith(f"{function.__name__}: ")
    assert fragment in message
    assert "\n" not in message
    assert raised_here(caught)


def test_equal_variances_are_fine_when_the_side_is_given() -> None:
    result = trim_and_fill(Y, [0.02] * 4, side="left")
    assert result.side == "left"


def test_trim_and_fill_that_does_not_settle_says_so_in_one_line() -> None:
    """Too few iterations for k0 to settle: a ConvergenceError, as metafor's trimfill."""
    with pytest.raises(ConvergenceError) as caught:
        trim_and_fill(Y, V, max_iterations=1)
    assert str(caught.value) == (
        "trim_and_fill: the trim and fill algorithm did not converge: k0 has not settled after "
        "max_iterations=1 iterations (its last values: 1); metafor's trimfill stops with the "
        "same error"
    )
    assert raised_here(caught)
