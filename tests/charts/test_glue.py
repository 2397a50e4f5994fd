"""glue_result (analysis.charts.glue): every number of a result under stable names, or one line.

No reference values: the glued values must be the result's own fields, unchanged (exact).
"""

import math

import pytest

from analysis.charts.glue import glue_result, glued_values
from analysis.metaanalysis import InputError, pool

RESULT = pool([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.04, 0.03], "REML")


def test_every_scalar_and_interval_of_a_result_is_glued_unchanged() -> None:
    glued = glued_values("demo", RESULT)
    assert glued["demo_estimate"] == RESULT.estimate
    assert glued["demo_k"] == RESULT.k
    assert glued["demo_method"] == "REML"
    assert (glued["demo_tau2_ci_low"], glued["demo_tau2_ci_high"]) == RESULT.tau2_ci
    assert (glued["demo_i2_ci_low"], glued["demo_i2_ci_high"]) == RESULT.i2_ci
    # Per-study sequences are not prose numbers.
    assert not any(name.startswith("demo_weights") for name in glued)


def test_glue_result_calls_glue_once_per_name_without_display() -> None:
    calls = []
    glued = glue_result("demo", RESULT, fields=["estimate", "ci_low"], glue=_recorder(calls))
    assert calls == [(name, value, False) for name, value in glued.items()]
    assert [name for name, _, _ in calls] == ["demo_estimate", "demo_ci_low"]


def test_the_returned_names_display_as_nothing_in_a_notebook() -> None:
    """A cell ending with glue_result must store no output: IPython's formatter gives none."""
    from IPython.core.formatters import DisplayFormatter

    glued = glue_result("demo", RESULT, fields=["k"], glue=_recorder([]))
    assert glued == {"demo_k": RESULT.k}
    assert DisplayFormatter().format(glued) == ({}, {})


def test_a_mapping_is_glued_too() -> None:
    assert glued_values("n", {"events": 5, "rate": (0.01, 0.04)}) == {
        "n_events": 5,
        "n_rate_low": 0.01,
        "n_rate_high": 0.04,
    }


@pytest.mark.parametrize(
    ("prefix", "result", "fields", "message"),
    [
        ("a b", RESULT, None, "glue_result: prefix='a b' must be letters, digits and '_'"),
        ("x", [1, 2], None, "glue_result: result must be a dataclass or a mapping, got list"),
        ("x", RESULT, ["tau3"], "glue_result: PoolResult has no field 'tau3'"),
        ("x", {"p": math.nan}, None, "glue_result: x_p = nan is not a finite number"),
        ("x", {"p": None}, ["p"], "glue_result: x_p = None is not a number, a text or"),
    ],
)
def test_bad_input_gives_one_line(prefix, result, fields, message) -> None:
    with pytest.raises(InputError) as caught:
        glued_values(prefix, result, fields=fields)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def _recorder(calls: list):
    def glue(name, value, display=True):
        calls.append((name, value, display))

    return glue
