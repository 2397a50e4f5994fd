"""Every quantitative claim of the paper beside our value, with a status (the Audit chapter).

Each claim is a number (or a few printed together) that the paper states about its own review:
in the Abstract, Methods, Results, figures or Discussion. Its printed value is read from the
``data/published_*`` files and ``data/search_facts.csv``, never typed here; our value comes from
the functions the other chapters use, formatted the way the paper prints the number; and the
claim gets one of the four statuses of `analysis.paper.readings.STATUSES`:

- *reproduced*: the paper's data (Table 1, its figures, its other numbers) and a computation that
  needs no unstated choice give the printed digits;
- *reproduced under a stated assumption*: they do, but only with a choice the paper does not
  state (the note says which);
- *not reproducible*: no computation we tried gives the printed value, or the paper gives no
  data to check it (the note says which);
- *inconsistent within the paper*: the paper's own data or text give another value.

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
    "status_counts",
    "verdict_chart",
    "verdict_frame",
]
