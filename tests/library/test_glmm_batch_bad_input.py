"""Bad input to `glmm_batch` is one line naming the argument (and the row and column of a bad
cell), raised by this package; masked-out cells are never checked, and a row without a study
with ``0 < events < n`` is a result (not estimable), not an error."""

import numpy as np
import pytest

from analysis.metaanalysis import InputError, glmm_batch
from tests.conftest import raised_here

EVENTS = [[1, 2, 3], [4, 5, 6]]
N = [[10, 20, 30], [40, 50, 60]]


def with_cell(rows: list, row: int, col: int, value: object) -> list:
    changed = [list(r) for r in rows]
    changed[row][col] = value
    return changed


CASES = {
    "shapes differ": ((EVENTS, [r[:2] for r in N]), {}, "n has shape (2, 2)"),
    "1-D events": (([1, 2], [10, 20]), {}, "events must be 2-D"),
    "text events": (([["a", "b"]], [[10, 20]]), {}, "events must be a (B, k) array of numbers"),
    "boolean n": (([[1, 1]], [[True, True]]), {}, "n must be a (B, k) array"),
    "no rows": ((np.zeros((0, 3)), np.zeros((0, 3))), {}, "events has no rows"),
    "one column": (([[1]], [[10]]), {}, "at least 2 studies"),
    "NaN events": ((with_cell(EVENTS, 1, 2, np.nan), N), {}, "events[1, 2] = nan is not finite"),
    "infinite n": ((EVENTS, with_cell(N, 0, 1, np.inf)), {}, "n[0, 1] = inf is not finite"),
    "fractional events": ((with_cell(EVENTS, 1, 0, 2.5), N), {}, "events[1, 0] = 2.5 is not a"),
    "fractional n": ((EVENTS, with_cell(N, 0, 2, 30.5)), {}, "n[0, 2] = 30.5 is not a whole"),
    "huge n": ((EVENTS, with_cell(N, 1, 1, 2.0**60)), {}, "n[1, 1] = 1.15292e+18 is too large"),
    "no patients": ((with_cell(EVENTS, 0, 0, 0), with_cell(N, 0, 0, 0)), {}, "n[0, 0] = 0 is"),
    "negative events": ((with_cell(EVENTS, 1, 1, -1), N), {}, "events[1, 1] = -1 is outside"),
    "more events than n": (
        (with_cell(EVENTS, 0, 2, 31), N),
        {},
        "events[0, 2] = 31 is outside [0, n[0, 2]] = [0, 30]",
    ),
    "level": ((EVENTS, N), {"level": 1.5}, "level=1.5"),
    "nagq": ((EVENTS, N), {"nagq": 0}, "nagq=0"),
    "mask not boolean": ((EVENTS, N), {"mask": [[1, 1, 1], [1, 1, 1]]}, "mask must be"),
    "mask shape": ((EVENTS, N), {"mask": [[True, True]]}, "mask has shape (1, 2) but events"),
    "row of one study": (
        (EVENTS, N),
        {"mask": [[True, True, True], [False, True, False]]},
        "mask leaves row 1 with 1 studies",
    ),
    "bad count in a used cell with a mask": (
        (with_cell(EVENTS, 0, 0, 99), N),
        {"mask": [[True, False, True], [True, True, True]]},
        "events[0, 0] = 99 is outside",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_one_line_naming_the_argument(case: str) -> None:
    args, kwargs, words = CASES[case]
    with pytest.raises(InputError) as excinfo:
        glmm_batch(*args, **kwargs)
    message = str(excinfo.value)
    assert message.startswith("glmm_batch: ") and "\n" not in message
    assert words in message
    assert raised_here(excinfo)


def test_masked_cells_are_not_checked() -> None:
    events = with_cell(with_cell(EVENTS, 0, 1, np.nan), 1, 2, -5)
    n = with_cell(N, 1, 2, 0.5)
    used = [[True, False, True], [True, True, False]]
    result = glmm_batch(events, n, mask=used)
    assert result.converged.all() and result.k.tolist() == [2, 2]


def test_rows_without_a_study_inside_are_not_estimable_and_nan() -> None:
    result = glmm_batch([[0, 0, 0], [5, 6, 7], [1, 2, 3]], [[5, 6, 7], [5, 6, 7], [5, 6, 7]])
    assert result.estimable.tolist() == [False, False, True]
    assert result.converged.tolist() == [False, False, True]
    assert np.isnan(result.mu[:2]).all() and np.isnan(result.estimate_ci_low[:2]).all()
    assert result.to_frame().shape[0] == 3
