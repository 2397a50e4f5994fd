"""Tables for the book: pandas data frames as plain, escaped HTML.

Cells are HTML-escaped, so a study label with markup in it shows as text. The output carries no
random ids (unlike pandas' Styler), so stored notebook outputs are the same from run to run.
"""

from collections.abc import Callable, Mapping

import pandas as pd
from IPython.display import HTML

NOT_REPORTED = "not reported"


def html_table(
    frame: pd.DataFrame,
    formats: Mapping[str, str | Callable[[object], str]] | None = None,
    missing: str = NOT_REPORTED,
) -> HTML:
    """Render ``frame`` as an HTML table for the book.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its column names are the headers.
    formats : mapping, optional
        Per column, a format spec (``".2f"``) or a function of the value returning text.
    missing : str
        Text shown for a missing value (default "not reported"; never 0 or "nan").

    Returns
    -------
    IPython.display.HTML
    """
    formats = dict(formats or {})
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        rule = formats.get(column)
        shown[column] = [_cell(value, rule, missing) for value in frame[column]]
    markup = shown.to_html(index=False, escape=True, border=0, classes=["book-table"])
    return HTML(markup)


def _cell(value: object, rule: str | Callable[[object], str] | None, missing: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if callable(rule):
        return rule(value)
    if rule:
        return format(value, rule)
    return str(value)
