"""`pool` refuses bad arguments with one line that names the argument and the value."""

import math

import pytest

from analysis import InputError, pool

YI = [0.76, 0.62, 0.94]
VI = [0.0055, 0.018, 0.0028]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"yi": YI, "vi": VI[:2]}, "yi has 3, vi has 2"),
        ({"yi": YI, "vi": [0.0055, -0.01, 0.0028]}, "vi[1] = -0.01 is negative"),
        ({"yi": YI, "vi": [0.0055, 0.0, 0.0028]}, "vi[1] = 0 would give that study infinite"),
        ({"yi": [0.76, math.nan, 0.94], "vi": VI}, "yi[1] = nan is not a finite number"),
        ({"yi": [0.76, "x", 0.94], "vi": VI}, "yi[1] = 'x' is not a number"),
        ({"yi": [], "vi": []}, "yi is empty"),
        ({"yi": [0.5], "vi": [0.01]}, "needs at least 2 studies, got 1"),
        ({"yi": YI, "vi": VI, "method": "REM"}, "method='REM' is not one of 'FE', 'DL'"),
        ({"yi": YI, "vi": VI, "level": 95}, "level=95 must be a number between 0 and 1"),
        ({"yi": 0.5, "vi": 0.01}, "yi must be a sequence of numbers"),
        ({"yi": [[0.5, 0.4]], "vi": [[0.1, 0.1]]}, "yi must be one-dimensional"),
    ],
)
def test_bad_arguments_give_one_line(kwargs: dict, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        pool(**kwargs)
    message = str(caught.value)
    assert fragment in message
    assert message.startswith("pool: ")
    assert "\n" not in message


def test_zero_variance_study_can_be_dropped_explicitly() -> None:
    result = pool([0.0, *YI], [0.0, *VI], drop_zero_variance=True)
    reference = pool(YI, VI)
    assert result.excluded == (0,)
    assert result.k == 3
    assert result.weights[0] == 0.0
    assert result.estimate == pytest.approx(reference.estimate, rel=1e-15)
    assert result.weights[1:] == pytest.approx(reference.weights, rel=1e-15)


def test_dropping_leaves_too_few_studies() -> None:
    with pytest.raises(InputError, match="got 1 after leaving out 2 with zero variance"):
        pool([0.0, 1.0, 0.5], [0.0, 0.0, 0.01], drop_zero_variance=True)


def test_result_is_frozen() -> None:
    result = pool(YI, VI)
    with pytest.raises(AttributeError):
        result.estimate = 0.0  # type: ignore[misc]
