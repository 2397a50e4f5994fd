"""Tables for the book: pandas data frames as plain, escaped HTML.

Cells are HTML-escaped, so a study label with markup in it shows as text. The output carries no
random ids (unlike pandas' Styler), so stored notebook outputs are the same from run to run.

Each table sits in its own scrolling box (``div.book-table-scroll``), so a wide table scrolls
inside the text column, not the page, and its first column stays in view (``custom.css``).
A column of numbers is right-aligned, header and cells alike (class ``num``). With
``cards=True`` a phone shows one card per row, each cell beside its header (``data-label``).
"""

import html
import re
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlparse

import pandas as pd
from IPython.display import HTML

from analysis.metaanalysis.errors import InputError

NOT_REPORTED = "not reported"

_ONE_NUMBER = r"[-\u2212+]?\d[\d,.]*(?:e[-\u2212+]?\d+)?\s*%?"
NUMBER_TEXT = re.compile(
    rf"^[\s(\[]*[<>≤≥~≈]?\s*{_ONE_NUMBER}(?:(?:\s*(?:to|–|-|\u2212|,|;|/|±|[()\[\]]|\s)\s*)+{_ONE_NUMBER})*"
    r"[\s)\]%]*$",
    re.IGNORECASE,
)
"""Text that is a number (with a hyphen or a minus sign), or numbers with an interval or a
count around them: ``0.42``, ``-1.2e-3``, ``12.5%``, ``0.53 (0.21 to 0.86)``,
``62.1% [14.8, 83.9]``, ``12 (4)``, ``3/15``."""

ALIGNMENTS = ("left", "right")


def is_number_text(text: str) -> bool:
    """Whether ``text`` reads as a number (see `NUMBER_TEXT`).

    Examples
    --------
    >>> [is_number_text(t) for t in ["0.53 (0.21 to 0.86)", "-1.2e-03", "Kiefer 2008b", "no"]]
    [True, True, False, False]
    """
    return bool(NUMBER_TEXT.match(text.strip()))


def html_table(
    frame: pd.DataFrame,
    formats: Mapping[str, str | Callable[[object], str]] | None = None,
    missing: str = NOT_REPORTED,
    links: Mapping[str, str] | None = None,
    *,
    align: Mapping[str, str] | None = None,
    first: Sequence[str] = (),
    cards: bool = False,
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
    align : mapping, optional
        ``{"column": "left" | "right"}``. Otherwise a column whose shown cells all read as
        numbers (`is_number_text`; missing cells aside) is right-aligned, header included, and
        any other column left-aligned.
    first : sequence of str
        Columns shown first, in this order (the one a paragraph calls important, say); the
        others follow in the frame's order.
    cards : bool
        On a narrow screen, show each row as a card of "header: value" lines instead of a
        table that scrolls sideways (for a table with many columns, such as Table 1).

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    InputError
        When a column named in ``links``, ``align`` or ``first`` is not in ``frame``, an
        alignment is not one of `ALIGNMENTS`, or an address has a scheme other than http or
        https (``javascript:``, say).

    Examples
    --------
    >>> frame = pd.DataFrame({"Study": ["A <b>"], "url": ["a.html#x&y"], "n": [3]})
    >>> markup = html_table(frame, links={"Study": "url"}).data
    >>> '<a href="a.html#x&amp;y">A &lt;b&gt;</a>' in markup
    True
    >>> '<td class="num">3</td>' in markup
    True
    """
    formats = dict(formats or {})
    links = dict(links or {})
    align = dict(align or {})
    for column in [*links, *links.values(), *align, *first]:
        if column not in frame.columns:
            raise InputError(f"html_table: {column!r} is named but is not a column")
    for column, side in align.items():
        if side not in ALIGNMENTS:
            raise InputError(f"html_table: align {column!r} is {side!r}, not left or right")
    order = [*first, *(c for c in frame.columns if c not in first and c not in links.values())]
    headers, columns = [], []
    for column in order:
        texts = [_cell(value, formats.get(column), missing) for value in frame[column]]
        side = align.get(column) or _alignment(texts, missing)
        cells = [html.escape(text, quote=False) for text in texts]
        if column in links:
            cells = [
                _link(text, href) for text, href in zip(texts, frame[links[column]], strict=True)
            ]
        headers.append((html.escape(str(column), quote=True), side))
        columns.append(cells)
    return HTML(_markup(headers, columns, cards))


def _alignment(texts: list[str], missing: str) -> str:
    shown = [text for text in texts if text != missing]
    return "right" if shown and all(is_number_text(text) for text in shown) else "left"


def _markup(headers: list[tuple[str, str]], columns: list[list[str]], cards: bool) -> str:
    kind = ' class="num"'
    head = "".join(
        f'<th scope="col"{kind if side == "right" else ""}>{name}</th>' for name, side in headers
    )
    starts = [
        "<td"
        + (kind if side == "right" else "")
        + (f' data-label="{name}"' if cards else "")
        + ">"
        for name, side in headers
    ]
    rows = []
    for row in zip(*columns, strict=True):
        cells = "".join(f"{start}{cell}</td>" for start, cell in zip(starts, row, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    table_class = "book-table book-table-cards" if cards else "book-table"
    return (
        f'<div class="book-table-scroll" tabindex="0">\n'
        f'<table class="{table_class}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )


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
