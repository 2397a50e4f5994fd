"""How many claims each status of a check covers: one bar a status, with its count."""

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import INK, STATUS_COLOURS
from analysis.metaanalysis.errors import InputError


def status_chart(
    counts: pd.DataFrame,
    *,
    order: Sequence[str],
    colours: Sequence[str] = STATUS_COLOURS,
    title: str,
    subtitle: Sequence[str] = (),
) -> alt.LayerChart:
    """Horizontal bars of the number of claims per status, labelled with the count.

    Parameters
    ----------
    counts : pandas.DataFrame
        One row per status: ``status``, ``claims`` (a count) and ``share`` (of all claims,
        0 to 1, shown in the tooltip).
    order : sequence of str
        The statuses, top to bottom.
    colours : sequence of str
        One colour per status of ``order`` (default: the theme's four grades, best first).
    title : str
        What is counted.
    subtitle : sequence of str
        Lines under the title.

    Returns
    -------
    altair.LayerChart

    Raises
    ------
    InputError
        When ``counts`` lacks a column, or ``colours`` and ``order`` differ in length.

    Examples
    --------
    >>> counts = pd.DataFrame({"status": ["ok", "bad"], "claims": [3, 1], "share": [0.75, 0.25]})
    >>> chart = status_chart(counts, order=["ok", "bad"], colours=["green", "red"], title="t")
    >>> chart.to_dict()["layer"][0]["mark"]["type"]
    'bar'
    """
    missing = [c for c in ("status", "claims", "share") if c not in counts.columns]
    if missing:
        raise InputError(f"status_chart: counts has no column {missing[0]!r}")
    if len(colours) != len(order):
        raise InputError(
            f"status_chart: colours has {len(colours)} entries for {len(order)} statuses"
        )
    data = counts[["status", "claims"]].assign(
        share_text=[f"{100 * s:.0f}% of all claims" for s in counts["share"]]
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("claims:Q", title="Number of claims"),
            y=alt.Y("status:N", title="Status of our check", sort=list(order)),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(order), range=list(colours)),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("claims:Q", title="Claims"),
                alt.Tooltip("share_text:N", title="Share"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4).encode(text="claims:Q", color=alt.value(INK))
    return (
        (bars + labels)
        .properties(
            width=300,
            height=150,
            title=alt.Title(title, subtitle=list(subtitle), anchor="start"),
        )
        .configure_axis(labelLimit=260)
    )
