"""Charts of influence: leave-one-out estimates and the Baujat plot (Altair)."""

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, INK, RED
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
            "tau2": loo.field("tau2"),
        }
    )
    rows["text"] = [
        estimate_with_ci(e, lo, hi, decimals)
        for e, lo, hi in rows[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
    ]
    rows["i2_text"] = [f"{value:.1f}%" for value in rows["i2"]]
    order = list(rows["omitted"])
    y = alt.Y("omitted:N", sort=order, title=None, axis=alt.Axis(labelLimit=150))
    tooltip = [
        alt.Tooltip("omitted:N", title="Analysis"),
        alt.Tooltip("text:N", title="Estimate (95% CI)"),
        alt.Tooltip("i2_text:N", title="I²"),
    ]
    band = pd.DataFrame({"low": [full.ci_low], "high": [full.ci_high], "mid": [full.estimate]})
    base = alt.Chart(rows).encode(y=y)
    return (
        alt.layer(
            alt.Chart(band).mark_rect(color=RED, opacity=0.12).encode(x="low:Q", x2="high:Q"),
            alt.Chart(band).mark_rule(color=RED, strokeDash=[4, 3]).encode(x="mid:Q"),
            base.mark_rule(color=INK).encode(
                x=alt.X("ci_low:Q", title=x_title), x2="ci_high:Q", tooltip=tooltip
            ),
            base.mark_point(filled=True, size=60, color=BLUE).encode(
                x="estimate:Q", tooltip=tooltip
            ),
        )
        .properties(
            width=WIDTH,
            height=22 * len(rows),
            title=alt.Title(
                title,
                subtitle=[
                    f"Each row pools all studies but one ({full.method}); shaded: 95% CI with all",
                ],
                anchor="start",
            ),
            usermeta={"chart": "leave-one-out", "rows": len(rows)},
        )
        .configure_axis(labelFontSize=11, titleFontSize=11)
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
                text="name:N", tooltip=tooltip
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
