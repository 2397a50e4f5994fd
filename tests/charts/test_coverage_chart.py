"""The coverage chapter's charts: error bars of ±2 Monte Carlo errors, the nominal line, a
tooltip on every mark, and one-line errors for bad input."""

import pandas as pd
import pytest

from analysis.charts import coverage_chart, width_chart
from analysis.metaanalysis.errors import InputError


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "panel": ["A", "A", "B", "B"],
            "interval": ["one", "two", "one", "two"],
            "multiplier": [0.0, 0.0, 1.0, 1.0],
            "tau": [0.0, 0.0, 0.5, 0.5],
            "coverage": [0.95, 0.90, 0.94, 0.88],
            "mc_error": [0.002, 0.003, 0.0025, 0.003],
            "median_width": [0.2, 0.18, 0.3, 0.25],
            "text": ["a", "b", "c", "d"],
        }
    )


def test_error_bars_span_two_monte_carlo_errors_and_the_nominal_line_is_drawn() -> None:
    spec = coverage_chart(_points(), level=0.95, title="t", subtitle=["s"], x_title="x").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [round(r["high"] - r["low"], 12) for r in rows] == [0.008, 0.012, 0.01, 0.012]
    assert all(r["nominal"] == 0.95 for r in rows)
    marks = [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    assert marks == ["rule", "line", "rule", "circle"]
    assert all("tooltip" in layer["encoding"] for layer in spec["spec"]["layer"][1:])
    phone = spec["usermeta"]["phone"]["spec"]
    assert (spec["columns"], phone["columns"]) == (2, 1)


def test_width_chart_draws_widths_in_percentage_points() -> None:
    spec = width_chart(_points(), title="t", subtitle=[], x_title="x").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["width_points"] for r in rows] == [20.0, 18.0, 30.0, 25.0]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (_points().drop(columns="mc_error"), "points has no column 'mc_error'"),
        (_points().iloc[:0], "points is empty"),
    ],
)
def test_bad_points_are_one_line(points, message: str) -> None:
    for chart in (
        lambda: coverage_chart(points, level=0.95, title="t", subtitle=[], x_title="x"),
        lambda: width_chart(points, title="t", subtitle=[], x_title="x"),
    ):
        with pytest.raises(InputError, match=message):
            chart()
