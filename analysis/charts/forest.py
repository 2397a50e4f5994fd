"""Forest plots in Altair: one row per study with its interval, a diamond for the pooled result.

The layout follows the forest plots of Stata's ``metan`` that the paper printed: study labels on
the left; squares with an area proportional to the study's weight, on a horizontal line for the
95% CI; the pooled estimate as a diamond spanning its CI, with a dashed line through it; and
columns with the numbers on the right. Each study has a tooltip.
"""

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, INK, LIGHT_GREY, RED
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult

ROW_HEIGHT = 22
PLOT_WIDTH = 230
LABEL_WIDTH = 120
NUMBERS_WIDTH = 160
_REQUIRED = ("label", "yi", "ci_low", "ci_high", "weight_pct")


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
) -> alt.HConcatChart:
    """Draw a forest plot of study estimates and their pooled result.

    Parameters
    ----------
    studies : pandas.DataFrame
        One row per study, top to bottom, with columns ``label``, ``yi``, ``ci_low``,
        ``ci_high`` and ``weight_pct``; optionally ``excluded`` (bool: drawn as "(Excluded)"),
        ``n`` and ``events`` (shown in the tooltip).
    pooled : PoolResult
        The pooled result drawn as the diamond.
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

    Returns
    -------
    altair.HConcatChart
    """
    missing = [column for column in _REQUIRED if column not in studies.columns]
    if missing:
        raise InputError(f"forest_plot: studies has no column {missing[0]!r}")
    rows = _study_rows(studies, decimals)
    k = len(rows)
    pooled_row = k + 0.6
    pooled_text = estimate_with_ci(pooled.estimate, pooled.ci_low, pooled.ci_high, decimals)
    y_scale = alt.Scale(domain=[-1.6, pooled_row + 0.8], reverse=True, nice=False, zero=False)
    height = int(ROW_HEIGHT * (k + 3))

    lows = [*rows["ci_low"].dropna(), pooled.ci_low]
    highs = [*rows["ci_high"].dropna(), pooled.ci_high]
    x_domain = [min(lows), max(highs)]
    if bounds is not None:
        x_domain = [min(x_domain[0], bounds[0]), max(x_domain[1], bounds[1])]
    pad = 0.04 * (x_domain[1] - x_domain[0])
    x_scale = alt.Scale(domain=[x_domain[0] - pad, x_domain[1] + pad], nice=False, zero=False)
    x = alt.X("yi:Q", scale=x_scale, title=x_title, axis=alt.Axis(format=axis_format))
    y = alt.Y("row:Q", scale=y_scale, axis=None)

    base = alt.Chart(rows).encode(y=y)
    shown = base.transform_filter("!datum.excluded")
    tooltip = [alt.Tooltip(column, title=name) for column, name in _tooltip_columns(rows)]
    layers = []
    if bounds is not None:
        layers.extend(_impossible_bands(bounds, x_domain, pad, pooled_row, x_scale, y_scale))
    layers += [
        alt.Chart(pd.DataFrame({"yi": [pooled.estimate], "top": [-0.5], "bottom": [k]}))
        .mark_rule(strokeDash=[4, 3], color=RED)
        .encode(x=x, y=alt.Y("top:Q", scale=y_scale, axis=None), y2="bottom:Q"),
        shown.mark_rule(strokeWidth=1.5, color=INK).encode(
            x=alt.X("ci_low:Q", scale=x_scale, title=x_title), x2="ci_high:Q", tooltip=tooltip
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
        _diamond(pooled, pooled_row, pooled_label, x, y_scale),
    ]
    plot = alt.layer(*layers).properties(width=PLOT_WIDTH, height=height)

    labels = pd.concat(
        [
            rows[["row", "label"]],
            pd.DataFrame({"row": [-1, pooled_row], "label": ["Study", pooled_label]}),
        ]
    )
    left = _text_column(labels, [("label", 0)], y, height, LABEL_WIDTH, limit=LABEL_WIDTH)
    numbers = pd.concat(
        [
            rows[["row", "ci_text", "weight_text"]],
            pd.DataFrame(
                {
                    "row": [-1, pooled_row],
                    "ci_text": ["Estimate (95% CI)", pooled_text],
                    "weight_text": ["Weight %", "100.00"],
                }
            ),
        ]
    )
    right = _text_column(
        numbers, [("ci_text", 6), ("weight_text", NUMBERS_WIDTH - 48)], y, height, NUMBERS_WIDTH
    )

    subtitle_lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    drawn = int((~rows["excluded"]).sum())
    return (
        alt.hconcat(left, plot, right, spacing=4)
        .resolve_scale(y="shared")
        .properties(
            title=alt.Title(title, subtitle=subtitle_lines, anchor="start"),
            usermeta={"chart": "forest", "studies_drawn": drawn},
        )
        .configure_view(stroke=None)
        .configure_axis(grid=False, labelFontSize=11, titleFontSize=11)
    )


def _text_column(
    frame: pd.DataFrame,
    columns: list[tuple[str, int]],
    y: alt.Y,
    height: int,
    width: int,
    limit: int = 0,
) -> alt.LayerChart:
    """Columns of text beside the plot; the header row (row -1) and the pooled row in bold."""
    frame = frame.assign(bold=[row == -1 or row != int(row) for row in frame["row"]])
    layers = []
    for weight, selector in (("normal", "!datum.bold"), ("bold", "datum.bold")):
        marks = (
            alt.Chart(frame)
            .transform_filter(selector)
            .mark_text(
                align="left", baseline="middle", fontSize=11, fontWeight=weight, limit=limit
            )
        )
        layers += [marks.encode(x=alt.value(x), y=y, text=f"{c}:N") for c, x in columns]
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
            "tau2": f"{pooled.tau2:.4f}",
            "i2": f"{pooled.i2:.1f}%",
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
                alt.Tooltip("tau2:N", title="tau²"),
                alt.Tooltip("i2:N", title="I²"),
            ],
        )
    )


def _impossible_bands(
    bounds: tuple[float, float],
    x_domain: list[float],
    pad: float,
    pooled_row: float,
    x_scale: alt.Scale,
    y_scale: alt.Scale,
) -> list[alt.Chart]:
    bands = []
    if x_domain[0] < bounds[0]:
        bands.append((x_domain[0] - pad, bounds[0]))
    if x_domain[1] > bounds[1]:
        bands.append((bounds[1], x_domain[1] + pad))
    if not bands:
        return []
    frame = pd.DataFrame(
        {
            "start": [b[0] for b in bands],
            "end": [b[1] for b in bands],
            "top": -0.5,
            "bottom": pooled_row + 0.5,
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
