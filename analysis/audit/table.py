"""The audit: every claim in the paper's order, as a table, with counts per status."""

from dataclasses import dataclass, fields

import pandas as pd

from analysis.audit.claim import Claim, cell, sections
from analysis.audit.figures import bias_claims, pain_claims, relief_claims
from analysis.audit.text import (
    adverse_claims,
    descriptive_claims,
    discussion_claims,
    flow_claims,
    methods_claims,
    table1_claims,
)
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper import (
    ASSUMED,
    REPRODUCED,
    STATUSES,
    TIMEPOINTS,
)
from analysis.paper.data import load_table

# In the order of the paper's text within each section (the sort keeps it).
BUILDERS = (
    methods_claims,
    descriptive_claims,
    pain_claims,
    bias_claims,
    relief_claims,
    flow_claims,
    table1_claims,
    discussion_claims,
    adverse_claims,
)


def audit_claims() -> tuple[Claim, ...]:
    """Every quantitative claim of the paper, in the order of the paper's sections.

    Returns
    -------
    tuple of Claim
        Sorted by `sections` (Abstract first, Discussion last); within a section, by topic.

    Raises
    ------
    DataFileError
        When a printed value the audit needs is missing from ``data/``.

    References
    ----------
    Zhao J, Wang Y, Wang D. The effect of ketamine infusion in the treatment of complex
    regional pain syndrome: a systemic review and meta-analysis. Curr Pain Headache Rep
    2018;22(2):12. doi:10.1007/s11916-018-0664-x

    Examples
    --------
    >>> claims = {c.claim_id: c for c in audit_claims()}
    >>> c = claims["fig4a_pooled"]
    >>> c.printed, c.ours, c.status
    ('0.69 (0.53, 0.84)', '0.69 (0.53, 0.84)', 'reproduced under a stated assumption')
    """
    claims = [claim for build in BUILDERS for claim in build()]
    ids = [c.claim_id for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InputError(f"audit_claims: claim ids appear twice: {', '.join(repeated)}")
    order = sections()
    return tuple(sorted(claims, key=lambda c: order.index(c.section)))


def audit(claims: tuple[Claim, ...] | None = None) -> pd.DataFrame:
    """The claims as a table, one row each.

    Returns
    -------
    pandas.DataFrame
        The fields of `Claim` except ``link`` and ``cells``, and ``doc``, ``anchor``, ``href``,
        ``link_title`` and ``chapter`` (the chapter section that shows the check), and ``data``
        (where the printed value is stored: ``resource/row:column``, comma-separated).
    """
    claims = audit_claims() if claims is None else claims
    names = [f.name for f in fields(Claim) if f.name not in ("link", "cells")]
    rows = []
    for claim in claims:
        row = {name: getattr(claim, name) for name in names}
        row.update(
            doc=claim.link.doc,
            anchor=claim.link.anchor,
            href=claim.link.href,
            link_title=claim.link.title,
            chapter=claim.link.chapter,
            data=", ".join(f"{c.resource}/{c.row}:{c.column}" for c in claim.cells),
        )
        rows.append(row)
    return pd.DataFrame(rows)


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims have each status, in the order of `STATUSES` (zeros included).

    Returns
    -------
    pandas.DataFrame
        ``status``, ``claims`` (count) and ``share`` (of all claims).

    Examples
    --------
    >>> from analysis.paper import INCONSISTENT, REPRODUCED
    >>> table = pd.DataFrame({"status": [REPRODUCED, REPRODUCED, INCONSISTENT]})
    >>> status_counts(table)["claims"].tolist()
    [2, 0, 1, 0]
    """
    counts = table["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return pd.DataFrame(
        {
            "status": list(STATUSES),
            "claims": counts.astype(int).to_numpy(),
            "share": (counts / counts.sum()).to_numpy(),
        }
    )


def background() -> pd.DataFrame:
    """Figures the paper cites from other studies: listed apart, not audited.

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``section``, ``quantity``, ``printed`` (value and unit) and ``source``,
        in file order.

    Examples
    --------
    >>> background().set_index("claim_id").at["crps_chronic_disabled", "printed"]
    '80%'
    """
    claims = load_table("published_claims")
    rows = claims[claims["scope"] == "background"]
    out = []
    for row in rows.itertuples(index=False):
        value = cell("published_claims", row.claim_id, "value")
        unit = "%" if row.unit == "percent" else f" {row.unit}"
        relation = "" if row.relation == "=" else f"{row.relation} "
        out.append(
            {
                "claim_id": row.claim_id,
                "section": row.section,
                "quantity": row.quantity,
                "printed": f"{relation}{value.shown}{unit}",
                "source": row.source,
            }
        )
    return pd.DataFrame(out)


MAIN_RESULTS_HOLD = "The paper's main results hold"
REPEATS_HOLD = "and so are the pooled rates where the text repeats them"


@dataclass(frozen=True)
class Fig4Summary(TidyResult):
    """How the paper's main results, the relief rates of Fig. 4, fare in the audit.

    Attributes
    ----------
    fig4 : int
        Rows of the two forest plots (each study, the overall result and the axis) audited.
    fig4_held : int
        Those reproduced, with or without a stated assumption.
    fig4_assumed : int
        Those reproduced only under a stated assumption (Table 1's percentages rounded to two
        decimals; for one row also a misprint read as corrected).
    main_results : str
        ``"The paper's main results hold"``, or that they do not all hold.
    repeats_clause : str
        That the text's repeats of the pooled rates are reproduced too, or how many are.
    """

    fig4: int
    fig4_held: int
    fig4_assumed: int
    main_results: str
    repeats_clause: str


def fig4_summary(table: pd.DataFrame) -> Fig4Summary:
    """The audit's verdict on Fig. 4a and 4b and on the text's repeats of their pooled rates.

    Parameters
    ----------
    table : pandas.DataFrame
        `audit` (``claim_id``, ``section``, ``status``).

    Examples
    --------
    >>> summary = fig4_summary(audit())
    >>> summary.main_results == MAIN_RESULTS_HOLD, summary.fig4 == summary.fig4_held
    (True, True)
    """
    held = [REPRODUCED, ASSUMED]
    fig4 = table[table["section"].isin(["Fig. 4a", "Fig. 4b"])]
    printed = load_table("published_claims")
    relief = {point.analysis_id for point in TIMEPOINTS.values()}
    repeat_ids = printed.loc[
        (printed["scope"] == "claim")
        & printed["analysis_id"].isin(relief)
        & (printed["unit"] == "percent")
        & printed["value"].notna(),
        "claim_id",
    ]
    repeats = table[table["claim_id"].isin(set(repeat_ids))]
    fig4_held = int(fig4["status"].isin(held).sum())
    repeats_held = int(repeats["status"].isin(held).sum())
    all_held = fig4_held == len(fig4) and repeats_held == len(repeats)
    return Fig4Summary(
        fig4=len(fig4),
        fig4_held=fig4_held,
        fig4_assumed=int((fig4["status"] == ASSUMED).sum()),
        main_results=MAIN_RESULTS_HOLD if all_held else "The paper's main results do not all hold",
        repeats_clause=(
            REPEATS_HOLD
            if repeats_held == len(repeats)
            else f"and {repeats_held} of the {len(repeats)} places where the text repeats the "
            "pooled rates are"
        ),
    )
