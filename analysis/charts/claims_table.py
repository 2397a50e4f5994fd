"""A table of checked claims: the claim, the printed and our value, the status, and a link."""

from collections.abc import Sequence

import pandas as pd
from IPython.display import HTML

from analysis.charts.tables import html_table
from analysis.metaanalysis.errors import InputError

COLUMNS = {
    "claim": "Claim",
    "printed": "Printed",
    "ours": "Ours",
    "status": "Status",
    "note": "Why, or under which assumption",
    "chapter": "Shown in",
}
"""The columns shown, and their headers."""


def claims_table(claims: pd.DataFrame, sections: Sequence[str], study_level: bool = False) -> HTML:
    """The claims of some sections of a paper as an HTML table, each linked to its check.

    Parameters
    ----------
    claims : pandas.DataFrame
        One row per claim, with ``section``, ``study_level`` (bool), the columns of
        `COLUMNS` and ``href`` (the address of the check, or missing).
    sections : sequence of str
        The sections whose claims are shown, in the frame's order.
    study_level : bool
        Show the claims about single studies (True) or the others (False).

    Returns
    -------
    IPython.display.HTML
        Missing values show as "–"; "Shown in" links to ``href``. On a phone each claim is a
        card (its long texts would otherwise scroll sideways beside a narrow claim column).

    Raises
    ------
    InputError
        When ``claims`` lacks a column, or ``sections`` is one string rather than a list.

    Examples
    --------
    >>> claims = pd.DataFrame({"section": ["Abstract"], "study_level": [False],
    ...     "claim": ["k"], "printed": ["15"], "ours": ["15"], "status": ["reproduced"],
    ...     "note": [None], "chapter": ["Search"], "href": ["01-search.html"]})
    >>> '<a href="01-search.html">Search</a>' in claims_table(claims, ["Abstract"]).data
    True
    """
    needed = ["section", "study_level", *COLUMNS, "href"]
    missing = [column for column in needed if column not in claims.columns]
    if missing:
        raise InputError(f"claims_table: claims has no column {missing[0]!r}")
    if isinstance(sections, str):
        raise InputError(f"claims_table: sections={sections!r} must be a list of sections")
    rows = claims[claims["section"].isin(sections) & (claims["study_level"] == study_level)]
    shown = rows[[*COLUMNS, "href"]].rename(columns=COLUMNS)
    return html_table(shown, missing="–", links={"Shown in": "href"}, cards=True)
