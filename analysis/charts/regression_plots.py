"""Charts of moderators: the bubble plot of a meta-regression and the cumulative forest plot."""

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts.row_intervals import row_interval_chart
from analysis.charts.theme import BLUE, INK, RED
from analysis.metaanalysis.cumulative import Cumulative
from analysis.metaanalysis.meta_regression import MetaRegression

WIDTH = 300
GRID_POINTS = 50


def bubble_plot(
    fit: MetaRegression,
    x: Sequence[float],
    yi: Sequence[float],
    vi: Sequence[float],
    labels: Sequence[str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    category_names: tuple[str, str] | None = None,
    decimals: int = 2,
) -> alt.LayerChart:
    """Each study's effect against one moderator, sized by its random-effects weight, with
    the meta-regression line and its 95% confidence band (metafor's ``regplot``).

    Parameters
    ----------
    fit : MetaRegression
        `analysis.metaanalysis.meta_regression` of ``yi`` on the one moderator ``x``.
    x, yi, vi : sequence of float
        The moderator, effect and sampling variance of each study of the fit.
    labels : sequence of str
        Study labels, in the same order.
    title, x_title, y_title : str
        Chart title and axis titles.
    category_names : tuple of str, optional
        For an indicator moderator (0 and 1): the names of its two values, shown on the axis.
    decimals : int
        Decimals in the tooltips.
    """
    (name,) = fit.coefficients.term[1:]
    x = np.asarray(x, dtype=float)
    weights = 1.0 / (np.asarray(vi, dtype=float) + fit.tau2)
    rows = pd.DataFrame(
        {
            "label": list(labels),
            "x": x,
            "y": np.asarray(yi, dtype=float),
            "weight_pct": 100.0 * weights / weights.sum(),
        }
    )
    rows["y_text"] = [f"{value:.{decimals}f}" for value in rows["y"]]
    rows["weight_text"] = [f"{value:.1f}%" for value in rows["weight_pct"]]
    grid = np.linspace(x.min(), x.max(), GRID_POINTS)
    mean, low, high = fit.predict({name: grid})
    line = pd.DataFrame({"x": grid, "mean": mean, "low": low, "high": high})
    axis = alt.Axis()
    if category_names is not None:
        zero, one = category_names
        axis = alt.Axis(
            values=[0, 1],
            labelExpr=f"datum.value == 0 ? '{zero}' : datum.value == 1 ? '{one}' : ''",
        )
    x_encoding = alt.X(
        "x:Q", title=x_title, axis=axis, scale=alt.Scale(zero=False, nice=False, padding=20)
    )
    tooltip = [
        alt.Tooltip("label:N", title="Study"),
        alt.Tooltip("y_text:N", title=y_title),
        alt.Tooltip("weight_text:N", title="Weight"),
    ]
    test = "Knapp–Hartung" if fit.test == "knha" else "z"
    return (
        alt.layer(
            alt.Chart(line)
            .mark_area(color=RED, opacity=0.12)
            .encode(x=x_encoding, y="low:Q", y2="high:Q"),
            alt.Chart(line).mark_line(color=RED).encode(x="x:Q", y=alt.Y("mean:Q", title=y_title)),
            alt.Chart(rows)
            .mark_circle(color=BLUE, opacity=0.6, stroke=INK, strokeWidth=0.5)
            .encode(
                x="x:Q",
                y="y:Q",
                size=alt.Size("weight_pct:Q", legend=None, scale=alt.Scale(range=[40, 600])),
                tooltip=tooltip,
            ),
        )
        .properties(
            width=WIDTH,
            height=240,
            title=alt.Title(
                title,
                subtitle=[
                    f"Meta-regression ({fit.method}, {test}); line and band: fitted mean, 95% CI;",
                    "circle area: the study's weight",
                ],
                anchor="start",
            ),
            usermeta={"chart": "bubble", "points": len(rows)},
        )
        .configure_axis(labelFontSize=11, titleFontSize=11)
    )


def cumulative_plot(
    result: Cumulative,
    labels: Sequence[str],
    *,
    title: str,
    x_title: str,
    decimals: int = 2,
) -> alt.LayerChart:
    """One row per step of a cumulative meta-analysis: the pooled estimate and CI once the
    row's study is added to those above it.

    Parameters
    ----------
    result : Cumulative
        From `analysis.metaanalysis.cumulative`.
    labels : sequence of str
        Study labels, in the order of the input of ``result`` (not the order of adding).
    title, x_title : str
        Chart title and horizontal-axis label.
    decimals : int
        Decimals in the tooltips.
    """
    order = [labels[i] for i in result.order]
    rows = pd.DataFrame(
        {
            "step": [f"{' + '.join(order[:2])}", *(f"+ {order[i]}" for i in range(2, len(order)))],
            "k": range(2, len(order) + 1),
            "estimate": result.field("estimate"),
            "ci_low": result.field("ci_low"),
            "ci_high": result.field("ci_high"),
            "i2": result.field("i2"),
        }
    )
    return row_interval_chart(
        rows,
        label="step",
        label_title="Studies added",
        x_title=x_title,
        title=title,
        subtitle=f"Cumulative meta-analysis ({result.method}): each row adds one study",
        usermeta={"chart": "cumulative", "rows": len(rows)},
        decimals=decimals,
        more_tooltip=(alt.Tooltip("k:Q", title="Studies pooled"),),
        label_limit=220,
    )
