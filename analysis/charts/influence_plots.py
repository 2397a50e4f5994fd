"""Charts of influence: leave-one-out estimates and the Baujat plot (Altair)."""

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.row_intervals import row_interval_chart
from analysis.charts.theme import BLUE, RED
from analysis.metaanalysis.influence import Baujat, LeaveOneOut

WIDTH = 300


def leave_one_out_plot(
    loo: LeaveOneOut,
    labels: Sequence[str],
    *,
    title: str,
    x_title: str,
    decimals: int = 2,
) -> alt.LayerChart:
    """One row per omitted study: the pooled estimate and CI without it.

    A shaded band and a dashed line show the CI and estimate with every study, so a row that
    leaves the band marks a study on which the result depends.

    Parameters
    ----------
    loo : LeaveOneOut
        From `analysis.metaanalysis.influence.leave_one_out`.
    labels : sequence of str
        Study labels, in the order of ``loo.omitted``.
    title, x_title : str
        Chart title and horizontal-axis label.
    decimals : int
        Decimals in the tooltips.
    """
    full = loo.full
    rows = pd.DataFrame(
        {
            "omitted": [f"without {label}" for label in labels],
            "estimate": loo.field("estimate"),
            "ci_low": loo.field("ci_low"),
            "ci_high": loo.field("ci_high"),
            "i2": loo.field("i2"),
        }
    )
    band = pd.DataFrame({"low": [full.ci_low], "high": [full.ci_high], "mid": [full.estimate]})
    return row_interval_chart(
        rows,
        label="omitted",
        label_title="Analysis",
        x_title=x_title,
        title=title,
        subtitle=f"Each row pools all studies but one ({full.method}); shaded: 95% CI with all",
        usermeta={"chart": "leave-one-out", "rows": len(rows)},
        decimals=decimals,
        behind=(
            alt.Chart(band).mark_rect(color=RED, opacity=0.12).encode(x="low:Q", x2="high:Q"),
            alt.Chart(band).mark_rule(color=RED, strokeDash=[4, 3]).encode(x="mid:Q"),
        ),
    )


def baujat_plot(points: Baujat, labels: Sequence[str], *, title: str) -> alt.LayerChart:
    """Baujat plot: contribution to heterogeneity (x) against influence on the result (y).

    Studies at the top right both disagree with the others and move the pooled result.
    """
    rows = pd.DataFrame({"label": list(labels), "x": points.contribution, "y": points.influence})
    tooltip = [
        alt.Tooltip("label:N", title="Study"),
        alt.Tooltip("x:Q", title="Contribution to heterogeneity", format=".2f"),
        alt.Tooltip("y:Q", title="Influence on the result", format=".2f"),
    ]
    base = alt.Chart(rows).encode(
        x=alt.X("x:Q", title="Contribution to heterogeneity (squared Pearson residual)"),
        y=alt.Y("y:Q", title="Influence on the pooled result"),
    )
    return (
        alt.layer(
            base.mark_point(filled=True, size=70, color=BLUE).encode(tooltip=tooltip),
            base.mark_text(align="left", dx=6, dy=-6, fontSize=10).encode(
                text="label:N", tooltip=tooltip
            ),
        )
        .properties(
            width=WIDTH,
            height=240,
            title=alt.Title(
                title,
                subtitle=[f"Baujat plot, {points.method} model; top right: studies that matter"],
                anchor="start",
            ),
            usermeta={"chart": "baujat", "points": len(rows)},
        )
        .configure_axis(labelFontSize=11, titleFontSize=11)
    )
