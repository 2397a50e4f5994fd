"""`pool` computes its Q-profile intervals only when they are read (issue 14, item 1).

The intervals cost more than the rest of `pool` together; most callers never read them. They
must still be ordinary fields: equal, copied, pickled and frozen like the others.
"""

import dataclasses
import pickle

import numpy as np
import pytest

from analysis import pool
from analysis.metaanalysis import pooling
from analysis.metaanalysis.heterogeneity import heterogeneity_intervals

YI = [0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67]
VI = [0.0055, 0.018, 0.0028, 0.0101, 0.0146, 0.0098, 0.0284, 0.0074]
INTERVALS = ("tau2_ci", "i2_ci", "h2_ci")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The calls of the Q-profile computation that `pool` makes, recorded."""
    made: list[tuple] = []

    def recorded(yi: np.ndarray, vi: np.ndarray, level: float) -> dict:
        made.append((yi, vi, level))
        return heterogeneity_intervals(yi, vi, level)

    monkeypatch.setattr(pooling, "heterogeneity_intervals", recorded)
    return made


@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_the_q_profile_is_computed_once_and_only_when_read(calls: list, method: str) -> None:
    result = pool(YI, VI, method, level=0.9)
    result.to_frame  # noqa: B018  (reading another attribute computes nothing)
    assert (result.estimate, result.tau2, result.i2, calls) == (
        result.estimate, result.tau2, result.i2, [],
    )  # fmt: skip
    expected = heterogeneity_intervals(np.array(YI), np.array(VI), 0.9)
    assert [getattr(result, name) for name in INTERVALS] == [
        expected["tau2"], expected["i2"], expected["h2"],
    ]  # fmt: skip
    assert [getattr(result, name) for name in INTERVALS] == [
        expected["tau2"], expected["i2"], expected["h2"],
    ]  # fmt: skip
    assert len(calls) == 1


def test_the_common_effect_model_has_no_intervals_to_compute(calls: list) -> None:
    result = pool(YI, VI, "FE")
    assert [getattr(result, name) for name in INTERVALS] == [None, None, None]
    assert calls == []


def test_deferred_intervals_are_ordinary_fields() -> None:
    result = pool(YI, VI, "REML")
    names = [field.name for field in dataclasses.fields(result)]
    assert set(INTERVALS) <= set(names)
    assert result == pool(YI, VI, "REML")
    copied = dataclasses.replace(pool(YI, VI, "REML"), method="other")
    assert [getattr(copied, name) for name in INTERVALS] == [
        getattr(result, name) for name in INTERVALS
    ]
    assert pickle.loads(pickle.dumps(pool(YI, VI, "REML"))) == result
    assert "tau2_ci=(" in repr(pool(YI, VI))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.tau2_ci = (0.0, 1.0)  # type: ignore[misc]


def test_intervals_read_later_ignore_later_changes_to_the_inputs() -> None:
    yi, vi = np.array(YI), np.array(VI)
    result = pool(yi, vi)
    yi[:] = 0.0
    vi[:] = 1.0
    assert result.tau2_ci == pool(YI, VI).tau2_ci
