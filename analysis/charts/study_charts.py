"""Small charts of the included studies: how many patients each had, and how long it treated.

Both charts have one row per study (in the order of the value shown, largest first), a tooltip
per study, and ``usermeta`` naming the chart and the number of studies drawn, which the browser
tests check.
"""

import altair as alt
import pandas as pd

from analysis.charts.theme import BLUE, INK, LIGHT_BLUE, RED
from analysis.metaanalysis.errors import InputError

WIDTH = 330
ROW = 17


def _check(studies: pd.DataFrame, columns: tuple[str, ...], where: str) -> None:
    missing = [c for c in columns if c not in studies.columns]
    if missing:
        raise InputError(f"{where}: studies has no column {missing[0]!r}")
    if studies.empty:
        raise InputError(f"{where}: studies is empty")


def _finish(chart: alt.Chart, title: str, subtitle, kind: str, k: int) -> alt.Chart:
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return (
        chart.properties(
            width=WIDTH,
            height=ROW * k,
            title=alt.Title(title, subtitle=subtitle, anchor="start"),
            usermeta={"chart": kind, "studies_drawn": k},
        )
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11, labelLimit=130)
    )


def sample_size_chart(studies: pd.DataFrame, *, title: str, subtitle=()) -> alt.LayerChart:
    """Patients per study as horizontal bars; the number enrolled, where printed, behind them.

    Parameters
    ----------
    studies : pandas.DataFrame
        Table 1 (columns ``label``, ``year``, ``n_analysed``, ``n_enrolled``).
    title : str
        What the chart measures.
    subtitle : str or sequence of str
        Lines under the title.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from analysis.paper.data import load_studies
    >>> chart = sample_size_chart(load_studies(), title="Patients per study")
    >>> chart.to_dict()["usermeta"]
    {'chart': 'sample-size', 'studies_drawn': 15}
    """
    _check(studies, ("label", "year", "n_analysed", "n_enrolled"), "sample_size_chart")
    data = pd.DataFrame(
        {
            "Study": studies["label"].astype(str),
            "Year": studies["year"].astype(int),
            "N": studies["n_analysed"].astype(int),
            "Enrolled": studies["n_enrolled"].astype(float).fillna(studies["n_analysed"]),
        }
    )
    data["Enrolled"] = data["Enrolled"].astype(int)
    data["Tooltip N"] = [
        f"{n}" if n == e else f"{n} ({e})"
        for n, e in zip(data["N"], data["Enrolled"], strict=True)
    ]
    order = data.sort_values(["N", "Study"], ascending=[False, True])["Study"].tolist()
    y = alt.Y("Study:N", sort=order, title=None)
    tooltip = [
        alt.Tooltip("Study:N"),
        alt.Tooltip("Year:O"),
        alt.Tooltip("Tooltip N:N", title="Patients (Table 1)"),
    ]
    x_title = "Patients (N of Table 1; light: the number in parentheses)"
    behind = (
        alt.Chart(data)
        .mark_bar(color=LIGHT_BLUE, height=12)
        .encode(x=alt.X("Enrolled:Q", title=x_title), y=y, tooltip=tooltip)
    )
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE, height=12)
        .encode(x=alt.X("N:Q", title=x_title), y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=3, fontSize=10, color=INK)
        .encode(x="Enrolled:Q", y=y, text="Tooltip N:N", tooltip=tooltip)
    )
    return _finish(alt.layer(behind, bars, labels), title, subtitle, "sample-size", len(data))


def duration_chart(
    studies: pd.DataFrame, *, title: str, subtitle=(), mean: float | None = None
) -> alt.LayerChart:
    """Days of treatment per study as dots on a logarithmic axis.

    The durations span more than a factor of ten, so a linear axis would squeeze most studies
    into its first tenth; on a log axis equal distances are equal ratios.

    Parameters
    ----------
    studies : pandas.DataFrame
        Table 1 (columns ``label``, ``year``, ``duration_days``, ``dose_as_printed``).
    title : str
        What the chart measures.
    subtitle : str or sequence of str
        Lines under the title.
    mean : float, optional
        A mean to draw as a dashed line (e.g. the mean duration the paper prints).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from analysis.paper.data import load_studies
    >>> chart = duration_chart(load_studies(), title="Days of treatment")
    >>> chart.to_dict()["usermeta"]
    {'chart': 'duration', 'studies_drawn': 15}
    """
    _check(studies, ("label", "year", "duration_days", "dose_as_printed"), "duration_chart")
    rows = studies[studies["duration_days"].notna()]
    if (rows["duration_days"].astype(float) <= 0).any():
        raise InputError("duration_chart: a duration of 0 days or less cannot go on a log axis")
    data = pd.DataFrame(
        {
            "Study": rows["label"].astype(str),
            "Year": rows["year"].astype(int),
            "Days": rows["duration_days"].astype(float),
            "Dose": rows["dose_as_printed"].astype(str),
        }
    )
    order = data.sort_values(["Days", "Study"], ascending=[False, True])["Study"].tolist()
    y = alt.Y("Study:N", sort=order, title=None)
    low, high = float(data["Days"].min()), float(data["Days"].max())
    scale = alt.Scale(type="log", domain=[min(low, 1.0) * 0.8, high * 1.25], nice=False)
    x = alt.X(
        "Days:Q",
        scale=scale,
        axis=alt.Axis(values=[1, 2, 5, 10, 20, 50], format="~g"),
        title="Days of treatment (logarithmic axis)",
    )
    tooltip = [
        alt.Tooltip("Study:N"),
        alt.Tooltip("Year:O"),
        alt.Tooltip("Days:Q", title="Days of treatment", format="~g"),
        alt.Tooltip("Dose:N", title="Dose (Table 1)"),
    ]
    stems = (
        alt.Chart(data)
        .mark_rule(color=LIGHT_BLUE, strokeWidth=2)
        .encode(x=alt.X("floor:Q", scale=scale), x2="Days:Q", y=y)
        .transform_calculate(floor=str(min(low, 1.0) * 0.8))
    )
    dots = (
        alt.Chart(data)
        .mark_circle(size=70, color=BLUE, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    layers = [stems, dots]
    if mean is not None:
        line = pd.DataFrame({"Days": [float(mean)], "label": [f"mean {mean:.2f} days"]})
        layers.append(
            alt.Chart(line)
            .mark_rule(color=RED, strokeDash=[4, 3])
            .encode(x=alt.X("Days:Q", scale=scale), tooltip=alt.Tooltip("label:N", title="Line"))
        )
    return _finish(alt.layer(*layers), title, subtitle, "duration", len(data))
