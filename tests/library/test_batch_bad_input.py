"""Bad input to `pool_batch` is one line naming the argument (and the row and column of a bad
cell), raised by this package; masked-out cells are never checked."""

import numpy as np
import pytest

from analysis.metaanalysis import InputError, pool_batch
from tests.conftest import raised_here

YI = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
VI = [[0.01, 0.02, 0.03], [0.04, 0.05, 0.06]]


def with_cell(rows: list, row: int, col: int, value: object) -> list:
    changed = [list(r) for r in rows]
    changed[row][col] = value
    return changed


CASES = {
    "shapes differ": ((YI, [r[:2] for r in VI]), {}, "shape"),
    "1-D effects": (([0.1, 0.2], [0.01, 0.02]), {}, "yi must be 2-D"),
    "text effects": (([["a", "b"]], [[0.1, 0.2]]), {}, "yi must be a (B, k) array of numbers"),
    "boolean variances": (([[0.1, 0.2]], [[True, True]]), {}, "vi must be a (B, k) array"),
    "no rows": ((np.zeros((0, 3)), np.zeros((0, 3))), {}, "yi has no rows"),
    "one column": (([[0.1]], [[0.1]]), {}, "at least 2 studies"),
    "NaN effect": ((with_cell(YI, 1, 2, np.nan), VI), {}, "yi[1, 2] = nan is not finite"),
    "infinite effect": ((with_cell(YI, 0, 1, np.inf), VI), {}, "yi[0, 1] = inf"),
    "huge effect": ((with_cell(YI, 1, 0, 1e60), VI), {}, "yi[1, 0] = 1e+60 is beyond"),
    "zero variance": ((YI, with_cell(VI, 0, 2, 0.0)), {}, "vi[0, 2] = 0 is outside"),
    "negative variance": ((YI, with_cell(VI, 1, 1, -0.5)), {}, "vi[1, 1] = -0.5"),
    "NaN variance": ((YI, with_cell(VI, 1, 0, np.nan)), {}, "vi[1, 0] = nan"),
    "unknown method": ((YI, VI), {"method": "ML"}, "method='ML'"),
    "unknown interval": ((YI, VI), {"ci": "t"}, "ci='t'"),
    "level": ((YI, VI), {"level": 1.5}, "level=1.5"),
    "mask not boolean": ((YI, VI), {"mask": [[1, 1, 1], [1, 1, 1]]}, "mask must be"),
    "mask shape": ((YI, VI), {"mask": [[True, True]]}, "mask has shape"),
    "row of one study": (
        (YI, VI),
        {"mask": [[True, True, True], [False, True, False]]},
        "mask leaves row 1 with 1 studies",
    ),
    "NaN in a used cell with a mask": (
        (with_cell(YI, 0, 0, np.nan), VI),
        {"mask": [[True, True, True], [True, True, True]]},
        "yi[0, 0] = nan",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_one_line_naming_the_argument(case: str) -> None:
    args, kwargs, words = CASES[case]
    with pytest.raises(InputError) as excinfo:
        pool_batch(*args, **kwargs)
    message = str(excinfo.value)
    assert message.startswith("pool_batch: ") and "\n" not in message
    assert words in message
    assert raised_here(excinfo)


def test_masked_out_cells_are_ignored_whatever_they_hold() -> None:
    yi = with_cell(with_cell(YI, 0, 2, np.nan), 1, 0, 1e300)
    vi = with_cell(with_cell(VI, 0, 2, -1.0), 1, 0, 0.0)
    mask = [[True, True, False], [False, True, True]]
    result = pool_batch(yi, vi, "REML", mask=mask)
    clean = pool_batch([[0.1, 0.2], [0.5, 0.6]], [[0.01, 0.02], [0.05, 0.06]], "REML")
    assert result.k.tolist() == [2, 2]
    np.testing.assert_array_equal(result.estimate, clean.estimate)
    np.testing.assert_array_equal(result.tau2, clean.tau2)
