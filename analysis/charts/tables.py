"""Tables for the book: pandas data frames as plain, escaped HTML.

Cells are HTML-escaped, so a study label with markup in it shows as text. The output carries no
random ids (unlike pandas' Styler), so stored notebook outputs are the same from run to run.
"""

import html
from collections.abc import Callable, Mapping
from urllib.parse import urlparse

import pandas as pd
from IPython.display import HTML

from analysis.metaanalysis.errors import InputError

NOT_REPORTED = "not reported"


def html_table(
    frame: pd.DataFrame,
    formats: Mapping[str, str | Callable[[object], str]] | None = None,
    missing: str = NOT_REPORTED,
    links: Mapping[str, str] | None = None,
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
    links : mapping, optional
        ``{"column": "href column"}``: each cell of ``column`` becomes a link to the address in
        the same row of ``href column``, which is not shown. Text and address are escaped; a
        row without an address shows its text without a link.

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    InputError
        When a column named in ``links`` is not in ``frame``, or an address has a scheme other
        than http or https (``javascript:``, say).

    Examples
    --------
    >>> frame = pd.DataFrame({"Study": ["A <b>"], "url": ["a.html#x&y"]})
    >>> markup = html_table(frame, links={"Study": "url"}).data
    >>> '<a href="a.html#x&amp;y">A &lt;b&gt;</a>' in markup
    True
    """
    formats = dict(formats or {})
    links = dict(links or {})
    for column in [*links, *links.values()]:
        if column not in frame.columns:
            raise InputError(f"html_table: links names {column!r}, which is not a column")
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        if column in links.values():
            continue
        rule = formats.get(column)
        shown[column] = [_cell(value, rule, missing) for value in frame[column]]
    if not links:
        markup = shown.to_html(index=False, escape=True, border=0, classes=["book-table"])
        return HTML(markup)
    # With links, every cell and header is escaped here and pandas is told not to escape, so
    # that only the <a> elements built below are markup.
    for column, target in links.items():
        shown[column] = [
            _link(text, href) for text, href in zip(shown[column], frame[target], strict=True)
        ]
    for column in shown.columns:
        if column not in links:
            shown[column] = [html.escape(text, quote=False) for text in shown[column]]
    shown.columns = [html.escape(str(c), quote=False) for c in shown.columns]
    markup = shown.to_html(index=False, escape=False, border=0, classes=["book-table"])
    return HTML(markup)


def _link(text: str, href: object) -> str:
    if href is None or (not isinstance(href, str) and pd.isna(href)) or href == "":
        return html.escape(text, quote=False)
    scheme = urlparse(str(href)).scheme
    if scheme not in ("", "http", "https"):
        raise InputError(
            f"html_table: link {str(href)!r} has the scheme {scheme!r}; only "
            "relative, http and https links are allowed"
        )
    return f'<a href="{html.escape(str(href), quote=True)}">{html.escape(text, quote=False)}</a>'


def _cell(value: object, rule: str | Callable[[object], str] | None, missing: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if callable(rule):
        return rule(value)
    if rule:
        return format(value, rule)
    return str(value)
