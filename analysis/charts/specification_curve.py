"""The specification curve: every result of a multiverse, sorted, with the choices beneath.

Top panel: each specification's estimate and confidence interval, sorted from smallest to
largest, the paper's own specification marked. Bottom panel: one row per option of each choice,
with a mark under every specification that used it, so a reader can see which choices move the
result (Simonsohn, Simmons & Nelson 2020).
"""

from collections.abc import Mapping

import altair as alt
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, GREY, LIGHT_GREY, MID_GREY, RED

WIDTH = 330

ENDORSEMENT_COLOURS = {"endorsed": BLUE, "not endorsed": LIGHT_GREY, "paper's choice": RED}
"""Colours of the book's judgement of a specification (`analysis.paper.multiverse.endorse`)."""


def specification_curve(
    frame: pd.DataFrame,
    choices: Mapping[str, Mapping[str, str]],
    *,
    title: str,
    y_title: str,
    axis_format: str = ".2f",
    reference: float | None = None,
    decimals: int = 2,
) -> alt.VConcatChart:
    """Draw a multiverse as a specification curve.

    Parameters
    ----------
    frame : pandas.DataFrame
        From `analysis.paper.multiverse` (``rank``, ``estimate``, ``ci_low``, ``ci_high``,
        ``is_paper`` and one column per choice).
    choices : mapping
        Choice name -> {option: description}; the rows of the lower panel, in this order.
    title, y_title : str
        Chart title and the label of the estimate axis.
    axis_format : str
        d3 format of the estimate axis.
    reference : float, optional
        A value to draw as a horizontal line (e.g. 0 for an SMD).
    decimals : int
        Decimals in the tooltips.
    """
    rows = frame.copy()
    rows["text"] = [
        estimate_with_ci(e, lo, hi, decimals)
        for e, lo, hi in rows[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
    ]
    if "endorsement" in rows.columns:
        rows["who"] = rows["endorsement"]
        rows["why"] = rows["why_not"].replace("", "—")
        domain, colours = list(ENDORSEMENT_COLOURS), list(ENDORSEMENT_COLOURS.values())
    else:
        rows["who"] = rows["is_paper"].map({True: "paper's choice", False: "other choices"})
        rows["why"] = "—"
        domain, colours = ["other choices", "paper's choice"], [BLUE, RED]
    used = [name for name in choices if name in rows.columns]
    rows["choices"] = [
        "; ".join(choices[name][row[name]] for name in used) for _, row in rows.iterrows()
    ]
    tooltip = [
        alt.Tooltip("text:N", title="Estimate (95% CI)"),
        alt.Tooltip("choices:N", title="Choices"),
        alt.Tooltip("who:N", title="The book's judgement"),
        alt.Tooltip("why:N", title="Not endorsed because"),
        alt.Tooltip("rank:Q", title="Rank"),
    ]
    x = alt.X("rank:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False),
              scale=alt.Scale(domain=[0, len(rows) + 1], nice=False))  # fmt: skip
    colour = alt.Color(
        "who:N",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(title=None, orient="top"),
    )  # fmt: skip
    shown = ["rank", "is_paper", "estimate", "ci_low", "ci_high", "text", "choices", "who", "why"]
    base = alt.Chart(rows[shown]).encode(x=x)
    layers = [
        base.mark_rule(opacity=0.5).encode(y="ci_low:Q", y2="ci_high:Q", color=colour),
        base.mark_point(filled=True, size=18).encode(
            y=alt.Y("estimate:Q", title=y_title, axis=alt.Axis(format=axis_format)),
            color=colour,
            tooltip=tooltip,
        ),
        base.transform_filter("datum.is_paper")
        .mark_point(size=90, color=RED)
        .encode(y="estimate:Q", tooltip=tooltip),
    ]
    if reference is not None:
        layers.insert(
            0,
            alt.Chart(pd.DataFrame({"y": [reference]}))
            .mark_rule(color=GREY, strokeDash=[4, 3])
            .encode(y="y:Q"),
        )
    curve = alt.layer(*layers).properties(width=WIDTH, height=200)

    long = rows.melt(
        id_vars=["rank", "is_paper"], value_vars=used, var_name="choice", value_name="option"
    )
    long["row"] = [choices[c][o] for c, o in long[["choice", "option"]].itertuples(index=False)]
    order = [choices[name][option] for name in used for option in choices[name]
             if option in set(rows[name])]  # fmt: skip
    matrix = (
        alt.Chart(long[["rank", "is_paper", "row"]])
        .mark_tick(thickness=2, size=9)
        .encode(
            x=x,
            y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=190)),
            color=alt.condition("datum.is_paper", alt.value(RED), alt.value(MID_GREY)),
            tooltip=[alt.Tooltip("row:N", title="Choice"), alt.Tooltip("rank:Q", title="Rank")],
        )
        .properties(width=WIDTH, height=14 * len(order))
    )
    return (
        alt.vconcat(curve, matrix, spacing=6)
        .resolve_scale(x="shared")
        .properties(
            title=alt.Title(
                title,
                subtitle=[f"{len(rows)} specifications, sorted by the estimate; "
                          "beneath: the choices behind each;",
                          "the lowest to highest endorsed estimate is a spread, "
                          "not an interval"],
                anchor="start",
            ),
            usermeta={"chart": "specification-curve", "specifications": len(rows)},
        )
        .configure_axis(labelFontSize=10, titleFontSize=11)
    )  # fmt: skip
