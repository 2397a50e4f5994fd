"""What every public function of the library may answer: finite numbers, or one line of ours.

Used by the property suites (``test_*_properties.py``) on extreme inputs: magnitudes from
1e-300 to 1e300, ties, equal variances, two or three studies.
"""

import dataclasses
import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import strategies as st

from analysis.metaanalysis import ConvergenceError, InputError
from tests.conftest import raised_here

OUR_ERRORS = (InputError, ConvergenceError)


def non_finite(value: object, path: str = "result") -> list[str]:
    """Every number inside ``value`` (a result, a tuple, an array) that is not finite."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            bad
            for field in dataclasses.fields(value)
            for bad in non_finite(getattr(value, field.name), f"{path}.{field.name}")
        ]
    if isinstance(value, tuple | list | np.ndarray):
        return [bad for i, item in enumerate(value) for bad in non_finite(item, f"{path}[{i}]")]
    if isinstance(value, bool | np.bool_ | str | type(None)):
        return []
    if isinstance(value, int | float | np.integer | np.floating):
        return [] if math.isfinite(float(value)) else [f"{path} = {value}"]
    raise AssertionError(f"{path}: unexpected {type(value).__name__}")


def finite_or_one_line(call: Callable[[], object]) -> object:
    """Run ``call``: its answer holds only finite numbers, or it raises one of our errors
    with a one-line message, raised in this package; no warning either way.

    Returns the answer, or the error raised.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            answer = call()
        except OUR_ERRORS as error:
            message = str(error)
            assert message and "\n" not in message, message
            assert _raised_in_package(error), f"raised outside the package: {message}"
            return error
    bad = non_finite(answer)
    assert not bad, f"not finite: {', '.join(bad[:5])}"
    return answer


def _raised_in_package(error: BaseException) -> bool:
    return raised_here(pytest.ExceptionInfo.from_exception(error))


# --- strategies: extreme magnitudes, ties, equal variances, few studies ----------------------

MAGNITUDES = st.sampled_from([1e-300, 1e-200, 1e-100, 1e-50, 1e-10, 1.0, 1e10, 1e50, 1e100, 1e300])
extreme_effects = st.one_of(
    st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.builds(lambda m, s, x: s * m * x, MAGNITUDES, st.sampled_from([-1, 1]), st.floats(1, 10)),
    st.just(0.0),
)
extreme_variances = st.one_of(
    st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.builds(lambda m, x: m * x, MAGNITUDES, st.floats(1, 10)),
)


@st.composite
def extreme_studies(
    draw: st.DrawFn, min_k: int = 2, max_k: int = 6
) -> tuple[list[float], list[float]]:
    """Effects and variances of extreme size; often tied effects or equal variances."""
    k = draw(st.integers(min_value=min_k, max_value=max_k))
    if draw(st.booleans()):
        yi = draw(st.lists(extreme_effects, min_size=k, max_size=k))
    else:  # ties: a few distinct values, repeated
        pool = draw(st.lists(extreme_effects, min_size=1, max_size=2))
        yi = draw(st.lists(st.sampled_from(pool), min_size=k, max_size=k))
    if draw(st.booleans()):
        vi = draw(st.lists(extreme_variances, min_size=k, max_size=k))
    else:
        vi = [draw(extreme_variances)] * k
    return yi, vi
