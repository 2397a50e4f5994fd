"""Every quantitative claim of the paper beside our value, with a status (the Audit chapter).

Each claim is a number (or a few printed together) that the paper states about its own review:
in the Abstract, Methods, Results, figures or Discussion. Its printed value is read from the
``data/published_*`` files and ``data/search_facts.csv``, never typed here; our value comes from
the functions the other chapters use, formatted the way the paper prints the number; and the
claim gets one of the four statuses of `analysis.paper.readings.STATUSES`:
*reproduced*, *reproduced under a stated assumption*, *inconsistent within the paper* or *not
reproducible*, as `analysis.audit.rules.DEFINITIONS` defines them (the one statement of the
rules, which the chapter prints and the tests check every claim against). A claim carries the
assumption its status needs, or the other printed value that contradicts it.

Each claim also names the chapter section that shows the check, for a link. Figures the paper
cites from other studies (``scope`` "background" in ``data/published_claims.csv``) are not
claims of this meta-analysis: `background` lists them apart, without a status.

The package in modules: `analysis.audit.links` (chapter sections), `analysis.audit.claim` (a
claim and the printed values it rests on), `analysis.audit.figures` and `analysis.audit.text`
(the claims of the figures and of the text), `analysis.audit.table` (all of them, as a table),
`analysis.audit.verdict` (the book's answer on the relief rates, for the Introduction).
"""

from analysis.audit.claim import Claim, DataCell, cell, sections
from analysis.audit.links import AUDIT_DOC, OWN_SECTION, Link, headings, section_link
from analysis.audit.rules import DEFINITIONS, shows
from analysis.audit.table import (
    Fig4Summary,
    audit,
    audit_claims,
    background,
    fig4_summary,
    status_counts,
)
from analysis.audit.verdict import relief_verdict, verdict_chart, verdict_frame
from analysis.paper.readings import STATUS_KEYS

__all__ = [
    "AUDIT_DOC",
    "DEFINITIONS",
    "OWN_SECTION",
    "STATUS_KEYS",
    "Claim",
    "DataCell",
    "Fig4Summary",
    "Link",
    "audit",
    "audit_claims",
    "background",
    "cell",
    "fig4_summary",
    "headings",
    "relief_verdict",
    "section_link",
    "sections",
    "shows",
    "status_counts",
    "verdict_chart",
    "verdict_frame",
]
