"""The book's renderer embeds only the fields of the data that a chart uses (issue 13, item 9)."""

import altair as alt
import pandas as pd

from analysis.charts.renderer import vega_embed_html

DATA = pd.DataFrame(
    {"study": ["A", "B"], "estimate": [0.1, 0.2], "note.x": ["n", "m"], "spare_column": [1, 2]}
)


def _html(chart: alt.Chart) -> str:
    return vega_embed_html(chart.to_dict())


def test_a_field_no_encoding_names_is_not_embedded() -> None:
    chart = alt.Chart(DATA).mark_point().encode(x="estimate:Q", y="study:N")
    html = _html(chart)
    assert '"estimate"' in html and '"study"' in html
    assert "spare_column" not in html and "note.x" not in html


def test_fields_of_tooltips_transforms_and_escaped_names_are_kept() -> None:
    chart = (
        alt.Chart(DATA)
        .mark_point()
        .encode(x="double:Q", y="study:N", tooltip=[alt.Tooltip("note\\.x:N")])
        .transform_calculate(double="datum.estimate * 2")
    )
    html = _html(chart)
    assert '"estimate":0.1' in html and '"note.x":"n"' in html
    assert "spare_column" not in html


def test_a_tooltip_of_every_field_keeps_every_field() -> None:
    chart = alt.Chart(DATA).mark_point(tooltip=True).encode(x="estimate:Q")
    assert '"spare_column":1' in _html(chart)
