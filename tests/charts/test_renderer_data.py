"""The book's renderer embeds only the fields of the data that a chart uses (issue 13, item 9)."""

import csv
import io
import json

import altair as alt
import pandas as pd

from analysis.charts.renderer import vega_embed_html

DATA = pd.DataFrame(
    {"study": ["A", "B"], "estimate": [0.1, 0.2], "note.x": ["n", "m"], "spare_column": [1, 2]}
)


def _html(chart: alt.Chart) -> str:
    return vega_embed_html(chart.to_dict())


def _carried(html: str) -> list[dict]:
    """Every record of the chart's inline data, as text (JSON records or CSV, as embedded)."""
    spec = json.loads(html.split("  var spec = ")[1].split(";\n")[0])
    records = []
    for entry in spec["data"]:
        values = entry.get("values")
        if isinstance(values, str):
            records += list(csv.DictReader(io.StringIO(values)))
        elif isinstance(values, list):
            records += [{k: str(v) for k, v in row.items()} for row in values]
    return records


def _fields(html: str) -> set[str]:
    return {field for record in _carried(html) for field in record}


def test_a_field_no_encoding_names_is_not_embedded() -> None:
    chart = alt.Chart(DATA).mark_point().encode(x="estimate:Q", y="study:N")
    assert _fields(_html(chart)) == {"estimate", "study"}


def test_fields_of_tooltips_transforms_and_escaped_names_are_kept() -> None:
    chart = (
        alt.Chart(DATA)
        .mark_point()
        .encode(x="double:Q", y="study:N", tooltip=[alt.Tooltip("note\\.x:N")])
        .transform_calculate(double="datum.estimate * 2")
    )
    records = _carried(_html(chart))
    assert {"estimate": "0.1", "note.x": "n", "study": "A"} in records
    assert "spare_column" not in {field for record in records for field in record}


def test_a_tooltip_of_every_field_keeps_every_field() -> None:
    chart = alt.Chart(DATA).mark_point(tooltip=True).encode(x="estimate:Q")
    assert {"spare_column": "1"}.items() <= _carried(_html(chart))[0].items()
