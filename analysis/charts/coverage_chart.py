"""Coverage of intervals against the heterogeneity of the truth, with Monte-Carlo error bars."""

import textwrap
from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

from analysis.charts.phone import PHONE_BELOW, SUBTITLE_CHARACTERS, TITLE_CHARACTERS
from analysis.charts.theme import INK
from analysis.metaanalysis.errors import InputError

__all__ = ["coverage_chart", "width_chart"]

COLUMNS = (
    "panel",
    "interval",
    "multiplier",
    "tau",
    "coverage",
    "mc_error",
    "median_width",
    "text",
)
PALETTE = ["#c0392b", "#1f77b4", "#7fb3d5", "#6c3483", "#b9770e", "#1e8449", "#555555"]
"""One colour per interval (the paper's in red); up to seven intervals."""


def _checked(points: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [column for column in COLUMNS if column not in points.columns]
    if missing:
        raise InputError(f"{where}: points has no column {missing[0]!r}")
    if points.empty:
        raise InputError(f"{where}: points is empty")
    if points["interval"].nunique() > len(PALETTE):
        raise InputError(
            f"{where}: at most {len(PALETTE)} intervals, got {points['interval'].nunique()}"
        )
    frame = points[list(COLUMNS)].copy()
    frame["low"] = frame["coverage"] - 2 * frame["mc_error"]
    frame["high"] = frame["coverage"] + 2 * frame["mc_error"]
    return frame


def _colour(order: Sequence[str]) -> alt.Color:
    return alt.Color(
        "interval:N",
        sort=list(order),
        scale=alt.Scale(domain=list(order), range=PALETTE[: len(order)]),
        legend=alt.Legend(title=None, orient="bottom", columns=1, labelLimit=400),
    )


def _two_layouts(
    layer: Callable[[], alt.Chart | alt.LayerChart],
    frame: pd.DataFrame,
    *,
    height: int,
    title: str,
    subtitle: Sequence[str],
) -> alt.FacetChart:
    """The panels side by side (wide) and, in ``usermeta["phone"]``, one above the other with
    titles wrapped, as `analysis.charts.phone` draws it below `PHONE_BELOW` px."""
    panels = list(dict.fromkeys(frame["panel"]))

    def facetted(columns: int, width: int, phone: bool) -> alt.FacetChart:
        heading = textwrap.wrap(title, TITLE_CHARACTERS) if phone else title
        lines = [
            part
            for line in subtitle
            for part in (textwrap.wrap(line, SUBTITLE_CHARACTERS) if phone else [line])
        ]
        return (
            layer()
            .properties(width=width, height=height)
            .facet(facet=alt.Facet("panel:N", title=None, sort=panels), columns=columns)
            .properties(title=alt.Title(heading, subtitle=lines, anchor="start"))
            .configure_axis(grid=False, labelFontSize=11, titleFontSize=11)
            .configure_view(stroke=None)
            .configure_legend(labelLimit=260 if phone else 400)
        )

    phone = facetted(1, 230, phone=True).to_dict()
    return facetted(2, 220, phone=False).properties(
        usermeta={"phone": {"below": PHONE_BELOW, "spec": phone}}
    )


def coverage_chart(
    points: pd.DataFrame,
    *,
    level: float,
    title: str,
    subtitle: Sequence[str],
    x_title: str,
) -> alt.FacetChart:
    """Each interval's coverage (dots and lines) against the true tau, one panel per outcome
    (side by side; one above the other in the phone layout).

    Parameters
    ----------
    points : pandas.DataFrame
        One row per panel, interval and scenario: ``panel`` (the outcome in words),
        ``interval`` (its name, in the order of the legend), ``multiplier`` (the horizontal
        axis: the true tau as a multiple of a reference), ``tau``, ``coverage`` and
        ``mc_error`` (shares), ``median_width`` and ``text`` (the tooltip's description).
    level : float
        The nominal level, drawn as a dashed line.
    title : str
        What is measured.
    subtitle : sequence of str
        Lines under the title.
    x_title : str
        Title of the horizontal axis.

    Returns
    -------
    altair.FacetChart
        Error bars are ``coverage -/+ 2 mc_error``.

    Raises
    ------
    InputError
        When ``points`` lacks a column above, is empty, or has more intervals than colours.

    Examples
    --------
    >>> points = pd.DataFrame({"panel": ["A"], "interval": ["z"], "multiplier": [1.0],
    ...                        "tau": [0.5],
    ...                        "coverage": [0.93], "mc_error": [0.002], "median_width": [0.2],
    ...                        "text": ["93%"]})
    >>> spec = coverage_chart(points, level=0.95, title="t", subtitle=[], x_title="tau")
    >>> spec.to_dict()["facet"]["field"], spec.to_dict()["usermeta"]["phone"]["spec"]["columns"]
    ('panel', 1)
    """
    frame = _checked(points, "coverage_chart")
    order = list(dict.fromkeys(frame["interval"]))
    frame = frame[["panel", "interval", "multiplier", "tau", "coverage", "low", "high"]].assign(
        nominal=level, text=frame["text"]
    )
    tooltip = [
        alt.Tooltip("interval:N", title="Interval"),
        alt.Tooltip("tau:Q", title="True τ (logit)", format=".2f"),
        alt.Tooltip("text:N", title="Coverage"),
    ]

    def layer() -> alt.LayerChart:
        base = alt.Chart().encode(
            x=alt.X("multiplier:Q", title=x_title, axis=alt.Axis(tickCount=5)),
            color=_colour(order),
            tooltip=tooltip,
        )
        lines = base.mark_line(strokeWidth=1.5).encode(
            y=alt.Y(
                "coverage:Q",
                title="Coverage (intervals that contain the truth)",
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(zero=False),
            )
        )
        bars = base.mark_rule(strokeWidth=1.5).encode(y="low:Q", y2="high:Q")
        dots = base.mark_circle(size=45, opacity=1).encode(y="coverage:Q")
        nominal = (
            alt.Chart()
            .mark_rule(color=INK, strokeDash=[4, 3])
            .encode(y="mean(nominal):Q", tooltip=alt.value(None))
        )
        return alt.layer(nominal, lines, bars, dots, data=frame)

    return _two_layouts(layer, frame, height=240, title=title, subtitle=subtitle)


def width_chart(
    points: pd.DataFrame, *, title: str, subtitle: Sequence[str], x_title: str
) -> alt.FacetChart:
    """Each interval's median width (in percentage points) against the true tau, per outcome.

    Parameters
    ----------
    points : pandas.DataFrame
        As for `coverage_chart`; ``median_width`` is a share (0.2 = 20 percentage points).
    title, subtitle, x_title
        As for `coverage_chart`.

    Returns
    -------
    altair.FacetChart

    Examples
    --------
    >>> points = pd.DataFrame({"panel": ["A"], "interval": ["z"], "multiplier": [1.0],
    ...                        "tau": [0.5],
    ...                        "coverage": [0.93], "mc_error": [0.002], "median_width": [0.2],
    ...                        "text": ["93%"]})
    >>> width_chart(points, title="t", subtitle=[], x_title="tau").to_dict()["spec"]["mark"]
    {'type': 'line', 'point': True, 'strokeWidth': 1.5}
    """
    frame = _checked(points, "width_chart")
    frame["width_points"] = 100 * frame["median_width"]
    order = list(dict.fromkeys(frame["interval"]))
    frame = frame[["panel", "interval", "multiplier", "tau", "width_points"]]

    def layer() -> alt.Chart:
        return (
            alt.Chart(frame)
            .mark_line(point=True, strokeWidth=1.5)
            .encode(
                x=alt.X("multiplier:Q", title=x_title, axis=alt.Axis(tickCount=5)),
                y=alt.Y("width_points:Q", title="Median width (percentage points)"),
                color=_colour(order),
                tooltip=[
                    alt.Tooltip("interval:N", title="Interval"),
                    alt.Tooltip("tau:Q", title="True τ (logit)", format=".2f"),
                    alt.Tooltip("width_points:Q", title="Median width (points)", format=".1f"),
                ],
            )
        )

    return _two_layouts(layer, frame, height=200, title=title, subtitle=subtitle)
