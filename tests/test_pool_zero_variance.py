"""`pool` and studies with zero variance; bad arguments are tried in test_bad_input.py."""

import pytest

from analysis import InputError, pool

YI = [0.76, 0.62, 0.94]
VI = [0.0055, 0.018, 0.0028]


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
