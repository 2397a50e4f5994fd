"""percent, percent_range and rate_interval_chart (analysis.charts).

No reference values: percentages are checked exactly against hand-worked examples, and the
chart against the data it is given.
"""

import pandas as pd
import pytest

from analysis.charts import percent, percent_range, rate_interval_chart
from analysis.metaanalysis import InputError

POINTS = pd.DataFrame(
    {
        "name": ["All patients", "Study A"],
        "group": ["Denominator", "Single study"],
        "rate": [0.02, 0.15],
        "exact_low": [0.006, 0.05],
        "exact_high": [0.045, 0.3],
        "text": ["2.0%", "15.0%"],
        "extra": [1, 2],
    }
)


def test_percent_writes_a_proportion_with_the_asked_decimals() -> None:
    assert percent(0.01938) == "1.9%"
    assert percent(0.01938, 2) == "1.94%"
    assert percent(1, 0) == "100%"
    assert percent_range(0.006322, 0.044644) == "0.6% to 4.5%"
    with pytest.raises(InputError, match="decimals=-1"):
        percent(0.5, -1)


def _chart_dict(points: pd.DataFrame) -> dict:
    return rate_interval_chart(
        points, title="Rates", subtitle=["sub"], x_title="x", name_title="n", text_title="t"
    ).to_dict()


def test_rate_chart_draws_every_row_in_the_given_order_with_its_data() -> None:
    spec = _chart_dict(POINTS)
    rows = next(iter(spec["datasets"].values()))
    assert [row["name"] for row in rows] == list(POINTS["name"])
    assert "extra" not in rows[0]  # a column the chart does not use is not carried
    assert spec["layer"][0]["encoding"]["y"]["sort"] == list(POINTS["name"])
    assert spec["title"]["text"] == "Rates"


def test_rate_chart_refuses_a_missing_column_or_no_rows() -> None:
    with pytest.raises(InputError, match="no column 'text'"):
        _chart_dict(POINTS.drop(columns="text"))
    with pytest.raises(InputError, match="empty"):
        _chart_dict(POINTS.iloc[0:0])
