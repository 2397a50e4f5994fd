"""band_chart (analysis.charts.band_chart): a line of estimates over its confidence band.

No reference values: the chart must draw the frame it is given, with one tooltip text per row.
"""

import pandas as pd
import pytest

from analysis.charts import band_chart
from analysis.metaanalysis import InputError

FRAME = pd.DataFrame(
    {
        "r": [0.2, 0.5, 0.8],
        "estimate": [3.0, 3.1, 3.2],
        "ci_low": [2.5, 2.7, 2.9],
        "ci_high": [3.5, 3.5, 3.5],
        "group": ["a", "a", "a"],
    }
)
TITLES = {
    "x": ("r", "Correlation r"),
    "x_title": "r",
    "y_title": "points",
    "text_title": "Estimate (95% CI)",
    "title": "A title",
    "subtitle": ["a line"],
}


def test_the_chart_draws_band_line_and_reference_with_a_tooltip_text_per_row() -> None:
    spec = band_chart(FRAME, **TITLES, decimals=1, reference=(2.0, "dashed")).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line", "rule"]
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert [row["text"] for row in rows] == [
        "3.0 (2.5, 3.5)",
        "3.1 (2.7, 3.5)",
        "3.2 (2.9, 3.5)",
    ]
    tooltip = spec["layer"][1]["encoding"]["tooltip"]
    assert [t["field"] for t in tooltip] == ["r", "text"]


def test_a_colour_adds_a_legend_and_a_tooltip_field() -> None:
    spec = band_chart(FRAME, **TITLES, colour=("group", "Group")).to_dict()
    line = spec["layer"][1]["encoding"]
    assert line["color"]["field"] == "group"
    assert [t["field"] for t in line["tooltip"]] == ["r", "group", "text"]


@pytest.mark.parametrize(
    ("frame", "colour", "message"),
    [
        (FRAME.drop(columns="ci_low"), None, "band_chart: frame has no column 'ci_low'"),
        (FRAME, ("shade", "Shade"), "band_chart: frame has no column 'shade'"),
        (FRAME.iloc[:0], None, "band_chart: frame is empty"),
    ],
)
def test_bad_input_gives_one_line(frame, colour, message) -> None:
    with pytest.raises(InputError, match=message):
        band_chart(frame, **TITLES, colour=colour)
