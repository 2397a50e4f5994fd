"""A forest plot on which the reader leaves studies out: the pooled result of any choice.

Each study has a checkbox under the chart. Unticking one greys its row, and the pooled row shows
the subset of the ticked studies, looked up in `analysis.metaanalysis.every_subset`'s table (no
statistics run in the page): the estimate, its CI, the prediction interval and I².
"""

import math

import altair as alt
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, GREY, INK, RED
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.subsets import SubsetPools

WIDTH = 300
ROW_HEIGHT = 24
POOLED_ROW = "Pooled (ticked studies)"
PARAM_PREFIX = "keep_study_"
"""Each study's checkbox is the parameter ``keep_study_<i>`` (i: its 0-based position)."""


def _mask_expression(k: int) -> str:
    # The bit mask of the ticked studies, as SubsetPools.members writes a subset.
    return " + ".join(f"({PARAM_PREFIX}{i} ? {1 << i} : 0)" for i in range(k))


def _count_expression(k: int) -> str:
    return " + ".join(f"({PARAM_PREFIX}{i} ? 1 : 0)" for i in range(k))


def subset_summaries(subsets: SubsetPools, total: int, decimals: int = 2) -> pd.DataFrame:
    """One row per subset: its bit mask, numbers, and the sentence the chart prints for it.

    The sentence reads ``"5 of 7 studies: 0.58 (0.41, 0.75); I² 73%; prediction interval 0.05
    to 1.11"``.
    """
    frame = pd.DataFrame(
        {
            "members": subsets.members,
            "size": subsets.size,
            "estimate": subsets.estimate,
            "ci_low": subsets.ci_low,
            "ci_high": subsets.ci_high,
            "pi_low": subsets.pi_low,
            "pi_high": subsets.pi_high,
            "i2": subsets.i2,
        }
    )

    def predicted(low: float, high: float) -> str:
        if math.isnan(low):
            return "no prediction interval from two studies"
        return f"prediction interval {low:.{decimals}f} to {high:.{decimals}f}"

    frame["summary"] = [
        f"{size} of {total} studies: {estimate_with_ci(e, lo, hi, decimals)}; I² {i2:.0f}%; "
        f"{predicted(pl, ph)}"
        for size, e, lo, hi, i2, pl, ph in frame[
            ["size", "estimate", "ci_low", "ci_high", "i2", "pi_low", "pi_high"]
        ].itertuples(index=False)
    ]
    frame["row"] = POOLED_ROW
    return frame


def what_if_forest(
    subsets: SubsetPools,
    studies: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    decimals: int = 2,
) -> alt.VConcatChart:
    """A forest plot whose studies the reader ticks in or out, with the pooled ticked subset.

    Parameters
    ----------
    subsets : SubsetPools
        `analysis.metaanalysis.every_subset` of the studies, in the order of ``studies``.
    studies : pandas.DataFrame
        One row per study, in the order of the subsets' input: ``label``, ``estimate``,
        ``ci_low``, ``ci_high``.
    title, x_title : str
        Chart title and horizontal-axis title.
    decimals : int
        Decimals of the printed numbers.

    Raises
    ------
    InputError
        When ``studies`` has not one row per study of ``subsets`` or lacks a column.
    """
    needed = ("label", "estimate", "ci_low", "ci_high")
    missing = [c for c in needed if c not in studies]
    if missing:
        raise InputError(f"what_if_forest: studies has no column {missing[0]!r}")
    k = subsets.k
    if len(studies) != k:
        raise InputError(f"what_if_forest: {len(studies)} study rows for {k} studies pooled")
    rows = studies[list(needed)].reset_index(drop=True).copy()
    rows["index"] = range(k)
    rows["text"] = [
        estimate_with_ci(e, lo, hi, decimals)
        for e, lo, hi in rows[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
    ]
    labels = list(rows["label"])
    params = [
        alt.param(
            name=f"{PARAM_PREFIX}{i}",
            value=True,
            bind=alt.binding_checkbox(name=label),
        )
        for i, label in enumerate(labels)
    ]
    kept = "[" + ", ".join(f"{PARAM_PREFIX}{i}" for i in range(k)) + "][datum.index]"
    chosen = f"datum.members == ({_mask_expression(k)})"
    y = alt.Y("row:N", sort=[*labels, POOLED_ROW], title=None, axis=alt.Axis(labelLimit=160))
    # The axis spans the studies and the prediction interval of all of them; a subset's wider
    # interval runs off the edge (clipped) rather than squeezing every row.
    every = subsets.row(tuple(range(k)))
    x_scale = alt.Scale(
        domain=[
            float(min(rows["ci_low"].min(), subsets.pi_low[every], subsets.ci_low[every])),
            float(max(rows["ci_high"].max(), subsets.pi_high[every], subsets.ci_high[every])),
        ],
        nice=True,
    )
    study_tooltip = [
        alt.Tooltip("label:N", title="Study"),
        alt.Tooltip("text:N", title="Estimate (95% CI)"),
    ]
    opacity = alt.condition("datum.kept", alt.value(1.0), alt.value(0.2))
    study_base = (
        alt.Chart(rows)
        .transform_calculate(row="datum.label", kept=kept)
        .encode(y=y, opacity=opacity, tooltip=study_tooltip)
    )
    pooled = subset_summaries(subsets, k, decimals)[
        ["members", "estimate", "ci_low", "ci_high", "pi_low", "pi_high", "summary", "row"]
    ]
    pooled_tooltip = [alt.Tooltip("summary:N", title="Pooled")]
    pooled_base = alt.Chart(pooled).transform_filter(chosen).encode(y=y, tooltip=pooled_tooltip)
    forest = alt.layer(
        study_base.mark_rule(color=INK).encode(
            x=alt.X("ci_low:Q", title=x_title, scale=x_scale), x2="ci_high:Q"
        ),
        study_base.mark_square(color=BLUE, size=70).encode(x="estimate:Q"),
        pooled_base.mark_rule(color=RED, strokeDash=[3, 3], clip=True).encode(
            x="pi_low:Q", x2="pi_high:Q"
        ),
        pooled_base.mark_rule(color=RED, size=4, clip=True).encode(x="ci_low:Q", x2="ci_high:Q"),
        pooled_base.mark_point(shape="diamond", filled=True, color=RED, size=160).encode(
            x="estimate:Q"
        ),
    ).properties(width=WIDTH, height=ROW_HEIGHT * (k + 1))
    # The sentence under the plot: the ticked subset, or what to do when it is too small; a
    # line for each of its parts, so that it fits a phone.
    too_few = pd.DataFrame({"summary": ["Tick at least two studies to pool them."]})
    text = {"align": "left", "baseline": "top", "lineBreak": "\n", "fontSize": 11}
    lines = "replace(datum.summary, regexp('; ', 'g'), ';\\n ')"
    sentence = alt.layer(
        alt.Chart(pooled)
        .transform_filter(chosen)
        .transform_calculate(lines=lines)
        .mark_text(color=INK, **text),
        alt.Chart(too_few)
        .transform_filter(f"({_count_expression(k)}) < 2")
        .transform_calculate(lines=lines)
        .mark_text(color=GREY, **text),
    ).encode(text="lines:N", x=alt.value(0), y=alt.value(0))
    return (
        alt.vconcat(forest, sentence.properties(width=WIDTH, height=42), spacing=6)
        .add_params(*params)
        .properties(
            title=alt.Title(
                title,
                subtitle=[
                    "Untick a study below to leave it out. Red: the ticked studies pooled",
                    f"({subsets.method}), 95% CI (thick) and prediction interval (dashed)",
                ],
                anchor="start",
            ),
            usermeta={"chart": "what-if forest", "studies": k, "subsets": len(pooled)},
        )
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_view(stroke=None)
    )
