"""Rates with their confidence intervals, one row each: a dot and a line, grouped by colour."""

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import BLUE, INK, RED
from analysis.metaanalysis.errors import InputError

COLUMNS = ("name", "group", "rate", "exact_low", "exact_high", "text")
GROUP_COLOURS = [BLUE, RED]


def rate_interval_chart(
    points: pd.DataFrame,
    *,
    title: str,
    subtitle: Sequence[str],
    x_title: str,
    name_title: str,
    text_title: str,
) -> alt.LayerChart:
    """Each row's rate (dot) and exact confidence interval (line), coloured by group.

    Parameters
    ----------
    points : pandas.DataFrame
        One row per rate, in the order shown (top to bottom), with ``name`` (the row label),
        ``group`` (the colour, two groups), ``rate``, ``exact_low`` and ``exact_high``
        (proportions) and ``text`` (the tooltip's description of the rate). Other columns are
        kept in the chart's data.
    title : str
        What is measured.
    subtitle : sequence of str
        Lines under the title.
    x_title : str
        Title of the horizontal axis (percentages).
    name_title, text_title : str
        Tooltip titles of ``name`` and ``text``.

    Returns
    -------
    altair.LayerChart

    Raises
    ------
    InputError
        When ``points`` lacks one of the columns above, or is empty.

    Examples
    --------
    >>> points = pd.DataFrame({"name": ["A"], "group": ["g"], "rate": [0.1],
    ...                        "exact_low": [0.05], "exact_high": [0.2], "text": ["10%"]})
    >>> chart = rate_interval_chart(points, title="t", subtitle=[], x_title="x",
    ...                             name_title="Study", text_title="Rate")
    >>> chart.to_dict()["layer"][0]["mark"]["type"]
    'rule'
    """
    missing = [column for column in COLUMNS if column not in points.columns]
    if missing:
        raise InputError(f"rate_interval_chart: points has no column {missing[0]!r}")
    if points.empty:
        raise InputError("rate_interval_chart: points is empty")
    y = alt.Y(
        "name:N",
        sort=list(points["name"]),
        title=None,
        axis=alt.Axis(labelLimit=170, labelFontSize=11),
    )
    tooltip = [
        alt.Tooltip("name:N", title=name_title),
        alt.Tooltip("text:N", title=text_title),
    ]
    base = alt.Chart(points[list(COLUMNS)]).encode(y=y, tooltip=tooltip)
    intervals = base.mark_rule(strokeWidth=2, color=INK).encode(
        x=alt.X("exact_low:Q", axis=alt.Axis(format=".0%", title=x_title)), x2="exact_high:Q"
    )
    dots = base.mark_circle(size=80).encode(
        x="rate:Q",
        color=alt.Color(
            "group:N",
            scale=alt.Scale(range=GROUP_COLOURS),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
    )
    return (
        (intervals + dots)
        .properties(
            width=200,
            height=180,
            title=alt.Title(title, subtitle=list(subtitle), anchor="start"),
        )
        .configure_axis(grid=False, labelFontSize=11, titleFontSize=11)
        .configure_view(stroke=None)
    )
