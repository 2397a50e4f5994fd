"""Funnel plots in Altair: each study's effect against its standard error.

The layout follows Stata's ``metafunnel`` (Sterne & Harbord 2004), which drew the paper's
Fig. 3: effect on the horizontal axis, standard error on the vertical axis with 0 at the top,
a vertical line at the summary estimate and dashed pseudo-95% confidence limits around it
(``estimate -/+ 1.96 SE``), inside which about 95% of the studies should fall if there were
no heterogeneity and no bias. Options add the shaded significance contours of Peters et al.
(2008), which show where a study's own test against a null value would have been significant,
the studies imputed by trim and fill, and further reference lines. Each point has a tooltip.
"""

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, CONTOUR_GREYS, GREY, INK, LIGHT_GREY, RED, WHITE
from analysis.metaanalysis.checks import effects_and_variances
from analysis.metaanalysis.distributions import normal_quantile
from analysis.metaanalysis.effect_sizes import wald_intervals
from analysis.metaanalysis.errors import InputError

PLOT_WIDTH = 320
PLOT_HEIGHT = 280
_REQUIRED = ("label", "yi", "vi")


def funnel_plot(
    studies: pd.DataFrame,
    *,
    centre: float,
    title: str,
    x_title: str,
    subtitle: str | Sequence[str] = (),
    centre_label: str = "Summary estimate",
    limits: float | None = 0.95,
    contours: Sequence[float] = (),
    null: float = 0.0,
    filled: pd.DataFrame | None = None,
    references: Sequence[tuple[str, float]] = (),
    bounds: tuple[float, float] | None = None,
    axis_format: str = ".2f",
    decimals: int = 2,
    x_domain: tuple[float, float] | None = None,
    se_max: float | None = None,
) -> alt.LayerChart:
    """Draw a funnel plot: study effects against their standard errors (0 at the top).

    Parameters
    ----------
    studies : pandas.DataFrame
        One row per study with ``label``, ``yi`` (effect) and ``vi`` (variance, > 0);
        optionally ``n`` (shown in the tooltip).
    centre : float
        The summary estimate: the vertical line, and the centre of the pseudo-confidence
        limits. Stata's ``metafunnel`` uses the common-effect (inverse-variance) estimate.
    title, x_title : str
        Chart title (what is measured) and the label of the horizontal axis (with its unit).
    subtitle : str or sequence of str
        Lines under the title.
    centre_label : str
        What the centre line is, for its tooltip and the caption.
    limits : float or None
        Level of the pseudo-confidence limits drawn as dashed lines, ``centre -/+ z SE``
        (default 0.95); None for none.
    contours : sequence of float
        Significance levels of the contours, e.g. ``(0.10, 0.05, 0.01)``: the bands where a
        study's two-sided z-test of ``null`` has a p-value in each range are shaded (Peters et
        al. 2008). Empty (default) for none.
    null : float
        The value tested by the contours (0 for a difference; it is drawn as a line).
    filled : pandas.DataFrame, optional
        Studies imputed by trim and fill, with ``label``, ``yi``, ``vi``: drawn as open red
        circles.
    references : sequence of (str, float)
        Further vertical lines (label, value), dotted, e.g. the random-effects estimate.
    bounds : (low, high), optional
        Range of possible values (``(0, 1)`` for a proportion): the plot is shaded beyond it,
        where pseudo-confidence limits of a normal approximation can run.
    axis_format : str
        d3 format of the horizontal axis ticks.
    decimals : int
        Decimals of the numbers in the tooltips.
    x_domain : (low, high), optional
        Fixed range of the horizontal axis (e.g. the one a published figure prints); by
        default it fits the points and limits.
    se_max : float, optional
        Fixed bottom of the standard-error axis; by default a little below the largest SE.

    Returns
    -------
    altair.LayerChart
        With ``usermeta`` ``{"chart": "funnel", "studies_drawn": <points drawn, observed and
        filled>, "filled_drawn": <filled>}`` for the browser tests.

    Raises
    ------
    analysis.metaanalysis.errors.InputError
        If a column is missing, a variance is not positive, or a level is not between 0 and 1.

    References
    ----------
    Sterne JAC, Harbord RM. Funnel plots in meta-analysis. Stata J 2004;4(2):127-41.
    doi:10.1177/1536867X0400400204

    Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L. Contour-enhanced meta-analysis
    funnel plots help distinguish publication bias from other causes of asymmetry. J Clin
    Epidemiol 2008;61(10):991-6. doi:10.1016/j.jclinepi.2007.11.010

    Examples
    --------
    >>> frame = pd.DataFrame({"label": ["A", "B", "C"], "yi": [0.2, 0.5, 0.9],
    ...                       "vi": [0.01, 0.04, 0.09]})
    >>> chart = funnel_plot(frame, centre=0.3, title="t", x_title="x", contours=(0.05,))
    >>> chart.to_dict()["usermeta"]
    {'chart': 'funnel', 'studies_drawn': 3, 'filled_drawn': 0}
    """
    observed = _points(studies, "studies", decimals, filled=False)
    imputed = (
        _points(filled, "filled", decimals, filled=True)
        if filled is not None and len(filled)
        else observed[:0]
    )
    if len(contours) > len(CONTOUR_GREYS):
        raise InputError(
            f"funnel_plot: contours has {len(contours)} levels; at most {len(CONTOUR_GREYS)}"
        )
    for level in [*contours, *([limits] if limits is not None else [])]:
        if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
            raise InputError(f"funnel_plot: level {level!r} must be a number between 0 and 1")
    points = pd.concat([observed, imputed], ignore_index=True)
    bottom = float(se_max) if se_max is not None else float(points["se"].max()) * 1.08
    z_limits = float(normal_quantile(0.5 + limits / 2)) if limits is not None else None

    xs = [*points["yi"], centre, *(value for _, value in references)]
    if z_limits is not None:
        xs += [centre - z_limits * bottom, centre + z_limits * bottom]
    if contours:
        xs.append(null)
    low, high = min(xs), max(xs)
    pad = 0.06 * (high - low or 1.0)
    if x_domain is not None:
        (low, high), pad = x_domain, 0.0
    x_scale = alt.Scale(domain=[low - pad, high + pad], nice=False, zero=False)
    y_scale = alt.Scale(domain=[0, bottom], reverse=True, nice=False, zero=True)
    x = alt.X("yi:Q", scale=x_scale, title=x_title, axis=alt.Axis(format=axis_format))
    y = alt.Y("se:Q", scale=y_scale, title="Standard error")

    layers: list[alt.Chart] = []
    if contours:
        layers += _contour_layers(sorted(contours, reverse=True), null, bottom, x_scale, y_scale)
    if bounds is not None:
        layers += _impossible_bands(bounds, (low - pad, high + pad), bottom, x_scale, y_scale)
    if z_limits is not None:
        layers.append(_limit_lines(centre, z_limits, limits, bottom, x_scale, y_scale))
    lines = [(centre_label, centre, "solid")] + [(lab, val, "dotted") for lab, val in references]
    if contours:
        lines.append((f"Null value ({null:g}) tested by the contours", null, "null"))
    layers.append(_vertical_lines(lines, bottom, decimals, x_scale, y_scale))
    tooltip = [
        alt.Tooltip("label:N", title="Study"),
        alt.Tooltip("ci_text:N", title="Estimate (95% CI)"),
        alt.Tooltip("se_text:N", title="Standard error"),
    ]
    if "n" in observed.columns:
        tooltip.append(alt.Tooltip("n:Q", title="Patients (n)"))
    layers.append(
        alt.Chart(observed)
        .mark_circle(size=70, color=BLUE, opacity=0.9)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    if len(imputed):
        layers.append(
            alt.Chart(imputed)
            .mark_point(size=70, color=RED, strokeWidth=2, filled=False)
            .encode(x=x, y=y, tooltip=tooltip[:3])
        )
    subtitle_lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return (
        alt.layer(*layers)
        .properties(
            width=PLOT_WIDTH,
            height=PLOT_HEIGHT,
            title=alt.Title(title, subtitle=subtitle_lines, anchor="start"),
            usermeta={
                "chart": "funnel",
                "studies_drawn": len(points),
                "filled_drawn": len(imputed),
            },
        )
        .configure_view(stroke=None)
        .configure_axis(grid=False, labelFontSize=11, titleFontSize=11)
        .configure_legend(
            orient="bottom", direction="vertical", labelFontSize=11, titleFontSize=11
        )
    )


def _points(frame: pd.DataFrame, name: str, decimals: int, filled: bool) -> pd.DataFrame:
    missing = [column for column in _REQUIRED if column not in frame.columns]
    if missing:
        raise InputError(f"funnel_plot: {name} has no column {missing[0]!r}")
    vi = effects_and_variances(frame["yi"], frame["vi"], f"funnel_plot: {name}").vi
    points = pd.DataFrame(
        {
            "label": frame["label"].astype(str).to_numpy(),
            "yi": frame["yi"].astype(float).to_numpy(),
            "se": np.sqrt(vi),
        }
    )
    low, high = wald_intervals(points["yi"], vi)
    points["ci_text"] = [
        estimate_with_ci(y, lo, hi, decimals)
        for y, lo, hi in zip(points["yi"], low, high, strict=True)
    ]
    points["se_text"] = [f"{s:.{decimals + 1}f}" for s in points["se"]]
    if "n" in frame.columns and not filled:
        points["n"] = frame["n"].to_numpy()
    return points


def _contour_layers(
    levels: list[float], null: float, bottom: float, x_scale: alt.Scale, y_scale: alt.Scale
) -> list[alt.Chart]:
    """Shaded bands: the whole plot for p below the smallest level, then narrower triangles."""
    names = [f"p < {levels[-1]:g}"]
    for outer, inner in zip(levels[1:][::-1], levels[:-1][::-1], strict=True):
        names.append(f"{outer:g} ≤ p < {inner:g}")
    names.append(f"p ≥ {levels[0]:g}")
    # names run from the most to the least significant band
    colours = [*CONTOUR_GREYS[: len(names) - 1], WHITE]
    colour = alt.Color(
        "band:N",
        scale=alt.Scale(domain=names, range=colours),
        title=f"p of a study's own test of {null:g}",
        legend=alt.Legend(symbolStrokeColor=LIGHT_GREY, symbolType="square"),
    )
    huge = 1e6  # wider than any axis: the marks are clipped to the plot
    layers = [
        alt.Chart(
            pd.DataFrame(
                {"band": [names[0]], "x": [-huge], "x2": [huge], "y": [0.0], "y2": [bottom]}
            )
        )
        .mark_rect(clip=True)
        .encode(**_span(x_scale, y_scale), color=colour)
    ]
    for name, level in zip(names[1:], levels[::-1], strict=True):
        z = float(normal_quantile(1 - level / 2))
        band = pd.DataFrame(
            {
                "band": name,
                "se": [0.0, bottom],
                "low": [null, null - z * bottom],
                "high": [null, null + z * bottom],
            }
        )
        layers.append(
            alt.Chart(band)
            .mark_area(orient="horizontal", clip=True)
            .encode(
                y=alt.Y("se:Q", scale=y_scale),
                x=alt.X("low:Q", scale=x_scale),
                x2="high:Q",
                color=colour,
            )
        )
    return layers


def _limit_lines(
    centre: float, z: float, level: float, bottom: float, x_scale: alt.Scale, y_scale: alt.Scale
) -> alt.Chart:
    note = f"Pseudo {100 * level:g}% limits: summary estimate -/+ {z:.2f} × standard error"
    frame = pd.DataFrame(
        {
            "x": [centre, centre],
            "x2": [centre - z * bottom, centre + z * bottom],
            "y": [0.0, 0.0],
            "y2": [bottom, bottom],
            "note": note,
        }
    )
    return (
        alt.Chart(frame)
        .mark_rule(strokeDash=[5, 4], color=GREY, clip=True)
        .encode(**_span(x_scale, y_scale), tooltip=alt.Tooltip("note:N", title="Dashed lines"))
    )


def _vertical_lines(
    lines: list[tuple[str, float, str]],
    bottom: float,
    decimals: int,
    x_scale: alt.Scale,
    y_scale: alt.Scale,
) -> alt.LayerChart:
    styles = {
        "solid": ([1, 0], INK),
        "dotted": ([2, 3], RED),
        "null": ([1, 0], LIGHT_GREY),
    }
    layers = []
    for style, (dash, colour) in styles.items():
        chosen = [(label, value) for label, value, kind in lines if kind == style]
        if not chosen:
            continue
        frame = pd.DataFrame(
            {
                "label": [label for label, _ in chosen],
                "x": [value for _, value in chosen],
                "value": [f"{value:.{decimals}f}" for _, value in chosen],
                "y": 0.0,
                "y2": bottom,
            }
        )
        layers.append(
            alt.Chart(frame)
            .mark_rule(strokeDash=dash, color=colour, strokeWidth=1.5)
            .encode(
                x=alt.X("x:Q", scale=x_scale),
                y=alt.Y("y:Q", scale=y_scale),
                y2="y2:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="Line"),
                    alt.Tooltip("value:N", title="Value"),
                ],
            )
        )
    return alt.layer(*layers)


def _impossible_bands(
    bounds: tuple[float, float],
    domain: tuple[float, float],
    bottom: float,
    x_scale: alt.Scale,
    y_scale: alt.Scale,
) -> list[alt.Chart]:
    bands = [(domain[0], bounds[0])] if domain[0] < bounds[0] else []
    if domain[1] > bounds[1]:
        bands.append((bounds[1], domain[1]))
    if not bands:
        return []
    frame = pd.DataFrame(
        {
            "x": [b[0] for b in bands],
            "x2": [b[1] for b in bands],
            "y": 0.0,
            "y2": bottom,
            "note": f"Outside the possible range [{bounds[0]:g}, {bounds[1]:g}]",
        }
    )
    return [
        alt.Chart(frame)
        .mark_rect(color=LIGHT_GREY, opacity=0.18)
        .encode(**_span(x_scale, y_scale), tooltip=alt.Tooltip("note:N", title="Shaded"))
    ]


def _span(x_scale: alt.Scale, y_scale: alt.Scale) -> dict:
    """Encodings of a rectangle or segment from (``x``, ``y``) to (``x2``, ``y2``)."""
    return {
        "x": alt.X("x:Q", scale=x_scale),
        "x2": "x2:Q",
        "y": alt.Y("y:Q", scale=y_scale),
        "y2": "y2:Q",
    }
