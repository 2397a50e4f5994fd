"""`funnel_plot`: the layout of Stata's metafunnel (the paper's Fig. 3), contours, filled studies.

The chart specification is checked, not its pixels (the browser suite draws it): the vertical
axis is the standard error with 0 at the top, the pseudo-95% limits run from the centre at
SE 0 to centre -/+ 1.96 SE at the bottom of the plot, and every study and imputed study is a
point with a tooltip.
"""

import pandas as pd
import pytest

from analysis.charts.funnel import funnel_plot
from analysis.metaanalysis.errors import InputError
from tests.tolerances import CHART_GEOMETRY

STUDIES = pd.DataFrame(
    {
        "label": ["A", "B", "C", "D"],
        "yi": [0.2, 0.5, 0.9, 0.4],
        "vi": [0.01, 0.04, 0.09, 0.0025],
        "n": [30, 20, 10, 100],
    }
)
Z95 = 1.959963984540054


def _datasets(chart) -> dict:
    return chart.to_dict()["datasets"]


def _layers(spec: dict) -> list[dict]:
    found = []
    for layer in spec.get("layer", []):
        found += _layers(layer) if "layer" in layer else [layer]
    return found


def test_axes_are_those_of_metafunnel() -> None:
    spec = funnel_plot(STUDIES, centre=0.35, title="t", x_title="Effect").to_dict()
    points = [layer for layer in _layers(spec) if layer["mark"]["type"] == "circle"]
    assert len(points) == 1
    y = points[0]["encoding"]["y"]
    assert y["field"] == "se" and y["title"] == "Standard error"
    assert y["scale"]["reverse"] is True and y["scale"]["domain"][0] == 0
    assert points[0]["encoding"]["x"]["title"] == "Effect"
    assert {t["title"] for t in points[0]["encoding"]["tooltip"]} >= {
        "Study",
        "Estimate (95% CI)",
        "Standard error",
        "Patients (n)",
    }


def test_pseudo_limits_run_from_the_centre_at_the_apex() -> None:
    chart = funnel_plot(STUDIES, centre=0.35, title="t", x_title="x")
    limits = next(
        rows
        for rows in _datasets(chart).values()
        if rows and "note" in rows[0] and "x2" in rows[0]
    )
    bottom = limits[0]["y2"]
    assert CHART_GEOMETRY.isclose(bottom, 1.08 * 0.3)  # a little below the least precise study
    assert [row["x"] for row in limits] == [0.35, 0.35]
    assert [row["y"] for row in limits] == [0.0, 0.0]
    assert CHART_GEOMETRY.isclose(limits[0]["x2"], 0.35 - Z95 * bottom)
    assert CHART_GEOMETRY.isclose(limits[1]["x2"], 0.35 + Z95 * bottom)


def test_points_are_counted_for_the_browser_tests() -> None:
    filled = pd.DataFrame({"label": ["F1", "F2"], "yi": [-0.1, -0.2], "vi": [0.04, 0.09]})
    chart = funnel_plot(STUDIES, centre=0.3, title="t", x_title="x", filled=filled)
    assert chart.to_dict()["usermeta"] == {
        "chart": "funnel",
        "studies_drawn": 6,
        "filled_drawn": 2,
    }
    hollow = [layer for layer in _layers(chart.to_dict()) if layer["mark"]["type"] == "point"]
    assert len(hollow) == 1 and hollow[0]["mark"]["filled"] is False


def test_an_empty_fill_draws_nothing_extra() -> None:
    empty = pd.DataFrame({"label": [], "yi": [], "vi": []})
    chart = funnel_plot(STUDIES, centre=0.3, title="t", x_title="x", filled=empty)
    assert chart.to_dict()["usermeta"]["filled_drawn"] == 0


def test_contours_shade_each_band_with_a_legend() -> None:
    chart = funnel_plot(
        STUDIES, centre=0.3, title="t", x_title="x", contours=(0.1, 0.05, 0.01), limits=None
    )
    spec = chart.to_dict()
    bands = [row["band"] for rows in spec["datasets"].values() for row in rows if "band" in row]
    assert set(bands) == {"p < 0.01", "0.01 ≤ p < 0.05", "0.05 ≤ p < 0.1", "p ≥ 0.1"}
    areas = [layer for layer in _layers(spec) if layer["mark"]["type"] == "area"]
    assert len(areas) == 3
    # no pseudo-limits when limits=None
    assert not any("Dashed lines" in str(layer.get("encoding", {})) for layer in _layers(spec))


def test_the_widest_contour_triangle_has_the_right_slope() -> None:
    chart = funnel_plot(STUDIES, centre=0.3, title="t", x_title="x", contours=(0.05,), null=0.1)
    band = next(
        rows for rows in _datasets(chart).values() if rows and rows[0].get("band") == "p ≥ 0.05"
    )
    bottom = band[1]["se"]
    assert CHART_GEOMETRY.isclose(band[1]["high"], 0.1 + Z95 * bottom)
    assert CHART_GEOMETRY.isclose(band[1]["low"], 0.1 - Z95 * bottom)


BAD = [
    ({"studies": STUDIES.drop(columns="vi")}, "funnel_plot: studies has no column 'vi'"),
    (
        {"studies": STUDIES.assign(vi=[0.01, 0.0, 0.02, 0.03])},
        "funnel_plot: studies: vi[1] = 0 would give that study infinite weight; leave out studies "
        "with zero variance",
    ),
    ({"contours": (0.05, 1.5)}, "funnel_plot: level 1.5 must be a number between 0 and 1"),
    ({"limits": 95}, "funnel_plot: level 95 must be a number between 0 and 1"),
    ({"contours": (0.2, 0.1, 0.05, 0.01)}, "funnel_plot: contours has 4 levels; at most 3"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[b[1] for b in BAD])
def test_bad_arguments_give_one_line(kwargs: dict, message: str) -> None:
    arguments = {"studies": STUDIES, "centre": 0.3, "title": "t", "x_title": "x", **kwargs}
    with pytest.raises(InputError) as caught:
        funnel_plot(**arguments)
    assert str(caught.value) == message
