"""One pooled estimate and CI per row: the layout of the leave-one-out and cumulative plots."""

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.charts.theme import BLUE, INK

WIDTH = 300
ROW_HEIGHT = 22


def row_interval_chart(
    rows: pd.DataFrame,
    *,
    label: str,
    label_title: str,
    x_title: str,
    title: str,
    subtitle: str,
    usermeta: dict,
    decimals: int = 2,
    more_tooltip: Sequence[alt.Tooltip] = (),
    behind: Sequence[alt.Chart] = (),
    label_limit: int = 150,
) -> alt.LayerChart:
    """A row per pooled result, top to bottom in the order of ``rows``: its estimate (a dot)
    and CI (a line), with the estimate, CI and I² in the tooltip.

    Parameters
    ----------
    rows : pandas.DataFrame
        ``estimate``, ``ci_low``, ``ci_high``, ``i2`` (%) and the ``label`` column.
    label, label_title : str
        The column that names each row, and its title in the tooltip.
    x_title, title, subtitle : str
        Horizontal-axis title, chart title and subtitle.
    usermeta : dict
        Stored in the chart (``{"chart": ..., "rows": ...}``) for tests.
    decimals : int
        Decimals in the tooltips.
    more_tooltip : sequence of altair.Tooltip
        Tooltip lines after the row's name (their fields must be columns of ``rows``).
    behind : sequence of altair.Chart
        Layers drawn under the rows (a reference band, a line).
    label_limit : int
        Width (px) at which row names are cut.
    """
    rows = rows.copy()
    rows["text"] = [
        estimate_with_ci(e, lo, hi, decimals)
        for e, lo, hi in rows[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
    ]
    rows["i2_text"] = [f"{value:.1f}%" for value in rows["i2"]]
    y = alt.Y(
        f"{label}:N", sort=list(rows[label]), title=None, axis=alt.Axis(labelLimit=label_limit)
    )
    tooltip = [
        alt.Tooltip(f"{label}:N", title=label_title),
        *more_tooltip,
        alt.Tooltip("text:N", title="Estimate (95% CI)"),
        alt.Tooltip("i2_text:N", title="I²"),
    ]
    base = alt.Chart(rows.drop(columns="i2")).encode(y=y)
    return (
        alt.layer(
            *behind,
            base.mark_rule(color=INK).encode(
                x=alt.X("ci_low:Q", title=x_title), x2="ci_high:Q", tooltip=tooltip
            ),
            base.mark_point(filled=True, size=60, color=BLUE).encode(
                x="estimate:Q", tooltip=tooltip
            ),
        )
        .properties(
            width=WIDTH,
            height=ROW_HEIGHT * len(rows),
            title=alt.Title(title, subtitle=[subtitle], anchor="start"),
            usermeta=usermeta,
        )
        .configure_axis(labelFontSize=11, titleFontSize=11)
    )
