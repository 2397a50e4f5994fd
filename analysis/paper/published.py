"""The paper's printed results (``data/published_*.csv``) and their comparison with ours.

A computed value *reproduces* a printed one when, formatted to the number of decimals the paper
prints (the schema's ``printed_decimals``), it shows the same digits
(`analysis.paper.readings.PrintedNumber`). That is the test a reader applies by eye, and it is
exact: no tolerance to choose.
"""

from functools import cache

import pandas as pd

from analysis.metaanalysis.errors import InputError
from analysis.paper.data import load_table, schema_fields
from analysis.paper.readings import PrintedNumber


@cache
def printed_decimals(resource: str) -> dict[str, int]:
    """Decimals printed in the paper for each numeric column of ``resource``."""
    return {
        f["name"]: f["printed_decimals"]
        for f in schema_fields(resource)
        if "printed_decimals" in f
    }


def published_forest(figure: str) -> pd.DataFrame:
    """The per-study rows of Fig. 4a or 4b as printed (``figure`` is ``"4a"`` or ``"4b"``)."""
    table = load_table("published_forest")
    rows = table[table["figure"] == figure].reset_index(drop=True)
    if rows.empty:
        raise InputError(f"published_forest: figure={figure!r} is not in the data (4a or 4b)")
    return rows


def published_pooled(analysis_id: str) -> pd.Series:
    """The printed overall result of one analysis (``relief_immediate``, ``relief_followup``)."""
    table = load_table("published_pooled").set_index("analysis_id")
    if analysis_id not in table.index:
        known = ", ".join(table.index)
        raise InputError(f"published_pooled: analysis_id={analysis_id!r} is not one of {known}")
    return table.loc[analysis_id]


def compare_values(printed: pd.Series, ours: dict[str, float], resource: str) -> pd.DataFrame:
    """Set our values beside the printed ones, at the paper's precision.

    Parameters
    ----------
    printed : pandas.Series
        A row of a ``published_*`` table.
    ours : dict
        Our value for each column to compare (e.g. ``{"estimate": 0.688, "i2_pct": 82.31}``).
    resource : str
        The table the row comes from, for its printed decimals.

    Returns
    -------
    pandas.DataFrame
        One row per quantity: ``quantity``, ``printed``, ``ours`` (full precision),
        ``ours_as_printed`` and ``reproduced`` (bool). Quantities the paper does not print
        (empty cells) are left out.
    """
    rows = []
    for number in printed_numbers(printed, list(ours), resource):
        value = float(ours[number.number_id])
        rows.append(
            {
                "quantity": number.number_id,
                "printed": number.shown,
                "ours": value,
                "ours_as_printed": number.format(value),
                "reproduced": number.shows(value),
            }
        )
    return pd.DataFrame(rows)


def printed_numbers(
    printed: pd.Series, quantities: list[str], resource: str
) -> tuple[PrintedNumber, ...]:
    """The printed numbers of a row of a ``published_*`` table, with their printed decimals.

    Quantities the paper does not print (empty cells) are left out.
    """
    decimals = printed_decimals(resource)
    return tuple(
        PrintedNumber(quantity, float(printed[quantity]), decimals[quantity])
        for quantity in quantities
        if not pd.isna(printed[quantity])
    )
