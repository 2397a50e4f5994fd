"""A pooled estimate along an assumed value, with its confidence band: one chart, two uses.

The Pooling chapter pools the pain scores as paired data for a range of assumed correlations
between baseline and end pain, once as standardized mean differences (one line per
standardizer) and once in points. Both are the same picture: a line of estimates with points,
a shaded band for the 95% CI, and optionally a dashed reference line.
"""

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, RED
from analysis.metaanalysis.errors import InputError


def band_chart(
    frame: pd.DataFrame,
    *,
    x: tuple[str, str],
    x_title: str,
    y_title: str,
    text_title: str,
    title: str,
    subtitle: Sequence[str],
    colour: tuple[str, str] | None = None,
    decimals: int = 2,
    y_domain: tuple[float, float] | None = None,
    reference: tuple[float, str] | None = None,
    width: int = 320,
    height: int = 220,
) -> alt.LayerChart:
    """Estimates along ``x`` as a line with points, over a shaded band of their 95% CI.

    The tooltip of a point gives ``x``, the colour (if any) and the estimate with its CI.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per point: the column of ``x``, ``estimate``, ``ci_low`` and ``ci_high`` (and
        the colour's column). A column ``text``, "estimate (95% CI)" with ``decimals``, is
        added for the tooltip.
    x : (column, tooltip title)
        The column along the horizontal axis (quantitative), and its name in the tooltip.
    x_title, y_title, title : str
        Axis titles and the chart's title.
    text_title : str
        The name of the estimate with its CI in the tooltip.
    subtitle : sequence of str
        Lines under the title.
    colour : (column, title), optional
        One line and band per value of this column, with a legend below the chart. Without
        it, everything is drawn in one blue.
    decimals : int
        Decimals of the tooltip's estimate and limits.
    y_domain : (low, high), optional
        Fixed range of the vertical axis.
    reference : (value, label), optional
        A dashed red horizontal line at ``value``, with ``label`` in its tooltip.
    width, height : int
        Size of the plotting area in pixels.

    Returns
    -------
    altair.LayerChart

    Raises
    ------
    InputError
        For an empty frame or one without a column the chart needs.
    """
    x, x_tooltip = x
    needed = [x, "estimate", "ci_low", "ci_high"] + ([colour[0]] if colour else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(f"band_chart: frame has no column {missing[0]!r}")
    if frame.empty:
        raise InputError("band_chart: frame is empty")
    data = frame[needed].assign(
        text=[
            estimate_with_ci(e, lo, hi, decimals)
            for e, lo, hi in frame[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
        ]
    )
    y = alt.Y(
        "estimate:Q",
        title=y_title,
        **({"scale": alt.Scale(domain=list(y_domain))} if y_domain else {}),
    )
    tips = [alt.Tooltip(f"{x}:Q", title=x_tooltip)]
    if colour:
        tips.append(alt.Tooltip(f"{colour[0]}:N", title=colour[1]))
    tips.append(alt.Tooltip("text:N", title=text_title))
    if colour:
        encoding = {
            "color": alt.Color(
                f"{colour[0]}:N", title=colour[1], legend=alt.Legend(orient="bottom")
            )
        }
        area, line = alt.Chart(data).mark_area(opacity=0.15), alt.Chart(data).mark_line(point=True)
    else:
        encoding = {}
        area = alt.Chart(data).mark_area(opacity=0.15, color=BLUE)
        line = alt.Chart(data).mark_line(point=True, color=BLUE)
    layers = [
        area.encode(x=f"{x}:Q", y="ci_low:Q", y2="ci_high:Q", **encoding),
        line.encode(x=alt.X(f"{x}:Q", title=x_title), y=y, tooltip=tips, **encoding),
    ]
    if reference is not None:
        value, label = reference
        rule = pd.DataFrame({"estimate": [value], "label": [label]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(strokeDash=[4, 3], color=RED)
            .encode(y="estimate:Q", tooltip=alt.Tooltip("label:N", title="Dashed line"))
        )
    return alt.layer(*layers).properties(
        width=width,
        height=height,
        title=alt.Title(title, subtitle=list(subtitle), anchor="start"),
    )
