"""Forest plots in Altair: one row per study with its interval, a diamond for the pooled result.

The layout follows the forest plots of Stata's ``metan`` that the paper printed: study labels on
the left; squares with an area proportional to the study's weight, on a horizontal line for the
95% CI; the pooled estimate as a diamond spanning its CI, with a dashed line through it; and
columns with the numbers on the right. As metafor's and meta's forest plots do, it adds the line
of no effect (where the measure has one), a bar for the prediction interval under the diamond
and a line with the heterogeneity statistics of the fit. Each study has a tooltip.

Each chart carries a second, narrower layout for phones in ``usermeta["phone"]`` (the estimate
under the study name, no weight column, wrapped titles), which the book's renderer draws when
the chart's container is narrower than ``usermeta["phone"]["below"]`` pixels.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts.forest_summary import (
    PREDICTION_LABEL,
    has_prediction_interval,
    heterogeneity_text,
    prediction_row,
)
from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, INK, LIGHT_GREY, RED
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult

ROW_HEIGHT = 22
PLOT_WIDTH = 230
LABEL_WIDTH = 120
NUMBERS_WIDTH = 160
PHONE_BELOW = 560
"""Container width (px) under which the book draws a forest plot's phone layout."""
PHONE_ROW_HEIGHT = 34
PHONE_PLOT_WIDTH = 166
PHONE_LABEL_WIDTH = 118
PHONE_TITLE_CHARACTERS = 38
PHONE_SUBTITLE_CHARACTERS = 48
FONT_SIZE = 11
_REQUIRED = ("label", "yi", "ci_low", "ci_high", "weight_pct")


@dataclass(frozen=True)
class _Options:
    """What a forest plot shows, shared by its wide and its phone layout."""

    title: str
    subtitle: tuple[str, ...]
    x_title: str
    pooled_label: str
    bounds: tuple[float, float] | None
    axis_format: str
    decimals: int
    null_value: float | None


def forest_plot(
    studies: pd.DataFrame,
    pooled: PoolResult,
    *,
    title: str,
    x_title: str,
    subtitle: str | Sequence[str] = (),
    pooled_label: str = "Overall (DL)",
    bounds: tuple[float, float] | None = None,
    axis_format: str = ".2f",
    decimals: int = 2,
    null_value: float | None = None,
) -> alt.VConcatChart:
    """Draw a forest plot of study estimates and their pooled result.

    Parameters
    ----------
    studies : pandas.DataFrame
        One row per study, top to bottom, with columns ``label``, ``yi``, ``ci_low``,
        ``ci_high`` and ``weight_pct``; optionally ``excluded`` (bool: drawn as "(Excluded)"),
        ``n`` and ``events`` (shown in the tooltip).
    pooled : PoolResult
        The pooled result drawn as the diamond, with its prediction interval and heterogeneity.
    title, x_title : str
        Chart title (what is measured) and the label of the horizontal axis.
    subtitle : str or sequence of str
        Lines under the title.
    pooled_label : str
        Label of the diamond's row.
    bounds : (low, high), optional
        Range of possible values (``(0, 1)`` for a proportion). Parts of intervals outside it
        are drawn over a shaded band, so that a reader sees where a Wald interval runs past
        what is possible.
    axis_format : str
        d3 format of the axis ticks.
    decimals : int
        Decimals of the numbers printed beside the plot.
    null_value : float, optional
        The value of no effect (0 for a difference), drawn as a vertical line; None for a
        measure that has none (a proportion of responders).

    Returns
    -------
    altair.VConcatChart
        The wide layout, with the phone layout's spec in ``usermeta["phone"]["spec"]``.
    """
    missing = [column for column in _REQUIRED if column not in studies.columns]
    if missing:
        raise InputError(f"forest_plot: studies has no column {missing[0]!r}")
    options = _Options(
        title=title,
        subtitle=(subtitle,) if isinstance(subtitle, str) else tuple(subtitle),
        x_title=x_title,
        pooled_label=pooled_label,
        bounds=bounds,
        axis_format=axis_format,
        decimals=decimals,
        null_value=null_value,
    )
    rows = _study_rows(studies, decimals)
    drawn = int((~rows["excluded"]).sum())
    phone = _finished(_layout(rows, pooled, options, phone=True), options, phone=True)
    return _finished(_layout(rows, pooled, options, phone=False), options, phone=False).properties(
        usermeta={
            "chart": "forest",
            "studies_drawn": drawn,
            "phone": {"below": PHONE_BELOW, "spec": phone.to_dict()},
        }
    )


def _finished(chart: alt.VConcatChart, options: _Options, *, phone: bool) -> alt.VConcatChart:
    title: str | list[str] = options.title
    subtitle = list(options.subtitle)
    if phone:
        title = textwrap.wrap(options.title, PHONE_TITLE_CHARACTERS)
        subtitle = [
            part for line in subtitle for part in textwrap.wrap(line, PHONE_SUBTITLE_CHARACTERS)
        ]
    return (
        chart.properties(title=alt.Title(title, subtitle=subtitle, anchor="start"))
        .configure_view(stroke=None)
        .configure_axis(grid=False, labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
    )


def _layout(
    rows: pd.DataFrame, pooled: PoolResult, options: _Options, *, phone: bool
) -> alt.VConcatChart:
    k = len(rows)
    pooled_row = k + 0.6
    prediction = (
        prediction_row(pooled, pooled_row + 1, options.decimals)
        if has_prediction_interval(pooled)
        else None
    )
    last_row = pooled_row if prediction is None else pooled_row + 1
    row_height = PHONE_ROW_HEIGHT if phone else ROW_HEIGHT
    height = int(row_height * (last_row + 2.4))
    y_scale = alt.Scale(domain=[-1.6, last_row + 0.8], reverse=True, nice=False, zero=False)
    y = alt.Y("row:Q", scale=y_scale, axis=None)
    x_scale = _x_scale(rows, pooled, options)
    x_title = textwrap.wrap(options.x_title, 34) if phone else options.x_title
    x = alt.X("yi:Q", scale=x_scale, title=x_title, axis=alt.Axis(format=options.axis_format))

    layers = []
    if options.bounds is not None:
        layers += _impossible_bands(options.bounds, x_scale, y_scale, last_row)
    if options.null_value is not None:
        layers.append(_no_effect_rule(options.null_value, x_scale, x_title, y_scale, last_row))
    layers += _study_marks(rows, pooled, pooled_row, (x, y), (x_scale, y_scale), x_title, options)
    if prediction is not None:
        layers.append(_prediction_bar(prediction, x_scale, y))
    plot_width = PHONE_PLOT_WIDTH if phone else PLOT_WIDTH
    plot = alt.layer(*layers).properties(width=plot_width, height=height)

    pooled_text = estimate_with_ci(
        pooled.estimate, pooled.ci_low, pooled.ci_high, options.decimals
    )
    text = pd.concat(
        [
            rows[["row", "label", "ci_text", "weight_text"]],
            pd.DataFrame(
                {
                    "row": [-1, pooled_row],
                    "label": ["Study", options.pooled_label],
                    "ci_text": ["Estimate (95% CI)", pooled_text],
                    "weight_text": ["Weight %", "100.00"],
                }
            ),
        ]
    )
    if prediction is not None:
        extra = prediction.rename(columns={"pi_text": "ci_text"})[["row", "label", "ci_text"]]
        text = pd.concat([text, extra.assign(weight_text="")])
    footer = _footer(pooled, phone)
    if phone:
        labels = _text_column(
            text, [("label", 0, -7), ("ci_text", 0, 8)], y, height, PHONE_LABEL_WIDTH
        )
        return alt.vconcat(
            alt.hconcat(labels, plot, spacing=4).resolve_scale(y="shared"), footer, spacing=6
        )
    left = _text_column(text[["row", "label"]], [("label", 0, 0)], y, height, LABEL_WIDTH)
    right = _text_column(
        text[["row", "ci_text", "weight_text"]],
        [("ci_text", 6, 0), ("weight_text", NUMBERS_WIDTH - 48, 0)],
        y,
        height,
        NUMBERS_WIDTH,
        cut=False,
    )
    return alt.vconcat(
        alt.hconcat(left, plot, right, spacing=4).resolve_scale(y="shared"), footer, spacing=6
    )


def _x_scale(rows: pd.DataFrame, pooled: PoolResult, options: _Options) -> alt.Scale:
    lows = [*rows["ci_low"].dropna(), pooled.ci_low]
    highs = [*rows["ci_high"].dropna(), pooled.ci_high]
    if has_prediction_interval(pooled):
        lows.append(pooled.pi_low)
        highs.append(pooled.pi_high)
    low, high = min(lows), max(highs)
    for value in (options.null_value, *(options.bounds or ())):
        if value is not None:
            low, high = min(low, value), max(high, value)
    pad = 0.04 * (high - low)
    return alt.Scale(domain=[low - pad, high + pad], nice=False, zero=False)


def _study_marks(
    rows: pd.DataFrame,
    pooled: PoolResult,
    pooled_row: float,
    channels: tuple[alt.X, alt.Y],
    scales: tuple[alt.Scale, alt.Scale],
    x_title: str | list[str],
    options: _Options,
) -> list[alt.Chart]:
    x, y = channels
    x_scale, y_scale = scales
    shown = alt.Chart(rows).encode(y=y).transform_filter("!datum.excluded")
    tooltip = [alt.Tooltip(column, title=name) for column, name in _tooltip_columns(rows)]
    k = len(rows)
    return [
        alt.Chart(pd.DataFrame({"yi": [pooled.estimate], "top": [-0.5], "bottom": [k]}))
        .mark_rule(strokeDash=[4, 3], color=RED)
        .encode(x=x, y=alt.Y("top:Q", scale=y_scale, axis=None), y2="bottom:Q"),
        shown.mark_rule(strokeWidth=1.5, color=INK).encode(
            x=alt.X("ci_low:Q", scale=x_scale, title=x_title),
            x2="ci_high:Q",
            tooltip=tooltip,
        ),
        shown.mark_square(color=BLUE, opacity=0.9).encode(
            x=x,
            size=alt.Size(
                "weight_pct:Q",
                scale=alt.Scale(domain=[0, max(1.0, rows["weight_pct"].max())], range=[0, 220]),
                legend=None,
            ),
            tooltip=tooltip,
        ),
        _diamond(pooled, pooled_row, options.pooled_label, x, y_scale),
    ]


def _no_effect_rule(
    value: float, x_scale: alt.Scale, x_title: str | list[str], y_scale: alt.Scale, last_row: float
) -> alt.Chart:
    frame = pd.DataFrame({"no_effect": [value], "top": [-0.5], "bottom": [last_row + 0.5]})
    return (
        alt.Chart(frame)
        .mark_rule(color=LIGHT_GREY, strokeWidth=1)
        .encode(
            x=alt.X("no_effect:Q", scale=x_scale, title=x_title),
            y=alt.Y("top:Q", scale=y_scale, axis=None),
            y2="bottom:Q",
        )
    )


def _prediction_bar(prediction: pd.DataFrame, x_scale: alt.Scale, y: alt.Y) -> alt.LayerChart:
    base = alt.Chart(prediction).encode(
        y=y,
        tooltip=[
            alt.Tooltip("label:N", title="Row"),
            alt.Tooltip("pi_text:N", title=f"{PREDICTION_LABEL} (95%)"),
        ],
    )
    bar = base.mark_rule(color=RED, strokeWidth=2).encode(
        x=alt.X("pi_low:Q", scale=x_scale), x2="pi_high:Q"
    )
    ends = [
        base.mark_tick(color=RED, thickness=2, size=10).encode(x=alt.X(f"{end}:Q", scale=x_scale))
        for end in ("pi_low", "pi_high")
    ]
    return alt.layer(bar, *ends)


def _footer(pooled: PoolResult, phone: bool) -> alt.Chart:
    text = heterogeneity_text(pooled)
    if phone:
        first, second = text.split(", Q = ")
        text = f"{first},\nQ = {second}"
    return (
        alt.Chart(pd.DataFrame({"heterogeneity": [text]}))
        .mark_text(align="left", baseline="top", fontSize=FONT_SIZE, lineBreak="\n", color=INK)
        .encode(x=alt.value(0), y=alt.value(0), text="heterogeneity:N")
        .properties(width=10, height=32 if phone else 16)
    )


def _text_column(
    frame: pd.DataFrame,
    columns: list[tuple[str, int, int]],
    y: alt.Y,
    height: int,
    width: int,
    cut: bool = True,
) -> alt.LayerChart:
    """Columns of text beside the plot; the header row (row -1) and the pooled rows in bold.

    ``columns`` lists, for each text field, its x position and its vertical offset (px);
    with ``cut``, a text longer than the column ends in an ellipsis.
    """
    frame = frame.assign(bold=[row == -1 or row != int(row) for row in frame["row"]])
    layers = []
    for weight, selector in (("normal", "!datum.bold"), ("bold", "datum.bold")):
        for column, x, dy in columns:
            marks = (
                alt.Chart(frame[["row", column, "bold"]])
                .transform_filter(selector)
                .mark_text(
                    align="left",
                    baseline="middle",
                    fontSize=FONT_SIZE,
                    fontWeight=weight,
                    limit=width - x if cut else 0,
                    dy=dy,
                )
            )
            layers.append(marks.encode(x=alt.value(x), y=y, text=f"{column}:N"))
    return alt.layer(*layers).properties(width=width, height=height)


def _study_rows(studies: pd.DataFrame, decimals: int) -> pd.DataFrame:
    rows = studies.reset_index(drop=True).copy()
    if "excluded" not in rows.columns:
        rows["excluded"] = False
    rows["excluded"] = rows["excluded"].astype(bool)
    rows["row"] = np.arange(len(rows), dtype=float)
    rows["ci_text"] = [
        "(Excluded)" if excluded else estimate_with_ci(yi, low, high, decimals)
        for yi, low, high, excluded in rows[["yi", "ci_low", "ci_high", "excluded"]].itertuples(
            index=False
        )
    ]
    rows["weight_text"] = [f"{w:.2f}" for w in rows["weight_pct"]]
    for column in ("ci_low", "ci_high"):
        rows.loc[rows["excluded"], column] = np.nan
    keep = ["row", "label", "yi", "ci_low", "ci_high", "weight_pct", "excluded"]
    keep += [c for c in ("n", "events") if c in rows.columns]
    return rows[[*keep, "ci_text", "weight_text"]]


def _tooltip_columns(rows: pd.DataFrame) -> list[tuple[str, str]]:
    columns = [("label:N", "Study")]
    if "n" in rows.columns:
        columns.append(("n:Q", "Patients (n)"))
    if "events" in rows.columns:
        columns.append(("events:Q", "Patients with the outcome (n × p)"))
    columns += [("ci_text:N", "Estimate (95% CI)"), ("weight_text:N", "Weight %")]
    return columns


def _diamond(
    pooled: PoolResult, row: float, label: str, x: alt.X, y_scale: alt.Scale
) -> alt.Chart:
    half = 0.38
    text = estimate_with_ci(pooled.estimate, pooled.ci_low, pooled.ci_high)
    points = pd.DataFrame(
        {
            "yi": [pooled.ci_low, pooled.estimate, pooled.ci_high],
            "top": [row, row - half, row],
            "bottom": [row, row + half, row],
            "label": label,
            "ci_text": text,
            "heterogeneity": heterogeneity_text(pooled).removeprefix("Heterogeneity: "),
        }
    )
    return (
        alt.Chart(points)
        .mark_area(color=RED, opacity=0.9)
        .encode(
            x=x,
            y=alt.Y("top:Q", scale=y_scale, axis=None),
            y2="bottom:Q",
            tooltip=[
                alt.Tooltip("label:N", title="Pooled"),
                alt.Tooltip("ci_text:N", title="Estimate (95% CI)"),
                alt.Tooltip("heterogeneity:N", title="Heterogeneity"),
            ],
        )
    )


def _impossible_bands(
    bounds: tuple[float, float], x_scale: alt.Scale, y_scale: alt.Scale, last_row: float
) -> list[alt.Chart]:
    low, high = x_scale.domain
    bands = []
    if low < bounds[0]:
        bands.append((low, bounds[0]))
    if high > bounds[1]:
        bands.append((bounds[1], high))
    if not bands:
        return []
    frame = pd.DataFrame(
        {
            "start": [b[0] for b in bands],
            "end": [b[1] for b in bands],
            "top": -0.5,
            "bottom": last_row + 0.5,
            "note": f"Outside the possible range [{bounds[0]:g}, {bounds[1]:g}]",
        }
    )
    return [
        alt.Chart(frame)
        .mark_rect(color=LIGHT_GREY, opacity=0.18)
        .encode(
            x=alt.X("start:Q", scale=x_scale),
            x2="end:Q",
            y=alt.Y("top:Q", scale=y_scale, axis=None),
            y2="bottom:Q",
            tooltip=alt.Tooltip("note:N", title="Shaded"),
        )
    ]
