"""The search and the selection of studies in the Search chapter's prose (Methods, Fig. 1).

Each function returns a frozen dataclass whose fields are the numbers and phrases the chapter
writes, ready for `analysis.charts.glue_result`: `search_facts` (what was searched, when, and
under which registration), `selection_facts` (who screened, assessed and extracted) and
`flow_facts` (what the counts of Fig. 1 give and where they do not add up). Values come from
``data/search_facts.csv``, ``data/search_sources.csv`` and ``data/prisma_flow.csv``.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_table
from analysis.paper.flow import FlowReport

REVIEW_ROLES = ("screening", "bias", "extraction", "arbiter")
"""The roles of `selection_facts`, as in ``data/search_facts.csv`` (``{role}_reviewers``)."""


@dataclass(frozen=True)
class SearchFacts(TidyResult):
    """What the paper searched.

    Attributes
    ----------
    sources : int
        Electronic sources searched (every source but citation searching).
    databases : int
        Of them, bibliographic databases.
    source_names : str
        The electronic sources as the paper names them, comma-separated.
    date_from, date_to : str
        The publication dates searched, e.g. ``"1 January 1950"``.
    language, registry, registration, guideline, terms : str
        The language restriction, the register and registration number of the review, the
        reporting guideline it follows, and its search words, as printed.
    """

    sources: int
    databases: int
    source_names: str
    date_from: str
    date_to: str
    language: str
    registry: str
    registration: str
    guideline: str
    terms: str


@dataclass(frozen=True)
class SelectionFacts(TidyResult):
    """Who chose the studies.

    Attributes
    ----------
    screening_n, bias_n, extraction_n, arbiter_n : int
        How many investigators screened, assessed the risk of bias, extracted the data, and
        settled disagreements.
    screening_who, bias_who, extraction_who, arbiter_who : str
        Their initials, as printed.
    kappa : float
        The agreement the paper reports for data extraction, as printed (a percentage).
    """

    screening_n: int
    screening_who: str
    bias_n: int
    bias_who: str
    extraction_n: int
    extraction_who: str
    arbiter_n: int
    arbiter_who: str
    kappa: float


@dataclass(frozen=True)
class FlowFacts(TidyResult):
    """What the counts of Fig. 1 give.

    Attributes
    ----------
    identified, by_hand, screened_out, retrieved, included : int
        The counts of the boxes: records identified by the search and by hand, excluded on
        title and abstract, full texts retrieved, studies included.
    if_identified_were_all : int
        The records identified by the search minus those excluded on screening: what would
        be retrieved if the search's count were the total.
    checks, checks_hold : int
        Arithmetic checks of the flow, and how many hold.
    items, items_no, items_partly : int
        Boxes of the PRISMA 2020 template, and how many Fig. 1 omits or gives in part.
    omitted : str
        The template's boxes Fig. 1 omits, in lower case, separated by semicolons.
    reasons : int
        Reasons given for excluding full-text articles.
    reasons_sum, reasons_box : int
        What the reasons add up to, and what the box excludes.
    reasons_arithmetic : str
        The sum written out.
    if_reasons_right : int
        The studies that would remain if the reasons were right and the box wrong.
    table1 : int
        Studies in Table 1.
    reasons_verdict : str
        The sentence on which count is likelier right, from how the studies left by each
        compare with the rows of Table 1: "If the reasons were right and the box wrong, only
        14 studies would remain, not the 15 of Table 1; so the box total is the more likely
        to be right", or that Table 1 matches the reasons, or neither.
    sums : mapping
        The arithmetic of each check that holds, by ``box_id`` (not a prose number: glue it
        on its own).
    """

    identified: int
    by_hand: int
    screened_out: int
    retrieved: int
    included: int
    if_identified_were_all: int
    checks: int
    checks_hold: int
    items: int
    items_no: int
    items_partly: int
    omitted: str
    reasons: int
    reasons_sum: int
    reasons_box: int
    reasons_arithmetic: str
    if_reasons_right: int
    table1: int
    reasons_verdict: str
    sums: Mapping[str, str]


def _facts() -> pd.DataFrame:
    return load_table("search_facts").set_index("fact_id")


def search_facts(
    facts: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> SearchFacts:
    """What was searched, from ``search_facts.csv`` and ``search_sources.csv``.

    Parameters
    ----------
    facts : pandas.DataFrame, optional
        ``load_table("search_facts")`` indexed by ``fact_id`` (default: loaded).
    sources : pandas.DataFrame, optional
        ``load_table("search_sources")`` (default: loaded).

    Raises
    ------
    InputError
        For sources without a column ``kind``.

    Examples
    --------
    >>> facts = search_facts()
    >>> facts.date_from, facts.registration
    ('1 January 1950', 'CRD42017067398')
    """
    facts = _facts() if facts is None else facts
    sources = load_table("search_sources") if sources is None else sources
    if "kind" not in sources.columns:
        raise InputError("search_facts: sources has no column 'kind'")
    electronic = sources[sources["kind"] != "citation searching"]

    def text(fact_id: str) -> str:
        return str(facts.at[fact_id, "value_text"])

    return SearchFacts(
        sources=len(electronic),
        databases=int((sources["kind"] == "bibliographic database").sum()),
        source_names=", ".join(electronic["name_as_printed"]),
        date_from=f"{facts.at['search_from', 'value_date']:%-d %B %Y}",
        date_to=f"{facts.at['search_to', 'value_date']:%-d %B %Y}",
        language=text("language_restriction"),
        registry=text("registry"),
        registration=text("registration_id"),
        guideline=text("reporting_guideline"),
        terms=text("search_terms"),
    )


def selection_facts(facts: pd.DataFrame | None = None) -> SelectionFacts:
    """Who screened, assessed, extracted and arbitrated, and their agreement.

    Parameters
    ----------
    facts : pandas.DataFrame, optional
        ``load_table("search_facts")`` indexed by ``fact_id`` (default: loaded).

    Examples
    --------
    >>> selection_facts().arbiter_who
    'DW'
    """
    facts = _facts() if facts is None else facts
    values: dict[str, object] = {}
    for role in REVIEW_ROLES:
        key = "arbiter" if role == "arbiter" else f"{role}_reviewers"
        values[f"{role}_n"] = int(facts.at[key, "value_number"])
        values[f"{role}_who"] = str(facts.at[key, "value_text"])
    values["kappa"] = float(facts.at["extraction_agreement", "value_number"])
    return SelectionFacts(**values)


def flow_facts(
    flow: pd.DataFrame, report: FlowReport, items: pd.DataFrame, studies: pd.DataFrame
) -> FlowFacts:
    """What the counts of Fig. 1 give, and the one sum that does not hold.

    Parameters
    ----------
    flow : pandas.DataFrame
        `analysis.paper.load_flow`.
    report : FlowReport
        `analysis.paper.check_flow` of ``flow``.
    items : pandas.DataFrame
        `analysis.paper.reporting_table` of ``flow`` (column ``paper_reports``).
    studies : pandas.DataFrame
        The studies of Table 1 (one row each).

    Raises
    ------
    InputError
        For a flow without a box the prose needs, or a report with no check of the box of
        excluded full texts.
    """
    counts = dict(zip(flow["box_id"], flow["count"].astype(int), strict=True))
    needed = ("identified_search", "identified_manual", "excluded_screening", "retrieved")
    for box in (*needed, "included"):
        if box not in counts:
            raise InputError(f"flow_facts: flow has no box {box!r}")
    reasons = report.for_box("excluded_assessment")
    if len(reasons) != 1:
        raise InputError("flow_facts: report has no single check of box 'excluded_assessment'")
    (reasons,) = reasons
    reported = items["paper_reports"]
    return FlowFacts(
        identified=int(counts["identified_search"]),
        by_hand=int(counts["identified_manual"]),
        screened_out=int(counts["excluded_screening"]),
        retrieved=int(counts["retrieved"]),
        included=int(counts["included"]),
        if_identified_were_all=int(counts["identified_search"] - counts["excluded_screening"]),
        checks=len(report.checks),
        checks_hold=sum(check.holds for check in report.checks),
        items=len(items),
        items_no=int((reported == "no").sum()),
        items_partly=int((reported == "partly").sum()),
        omitted="; ".join(items.loc[reported == "no", "box_label"].str.lower()),
        reasons=int((flow["role"] == "reason").sum()),
        reasons_sum=reasons.expected,
        reasons_box=reasons.actual,
        reasons_arithmetic=reasons.arithmetic,
        if_reasons_right=int(counts["retrieved"] - reasons.expected),
        table1=len(studies),
        reasons_verdict=_reasons_verdict(
            int(counts["retrieved"] - reasons.expected), int(counts["included"]), len(studies)
        ),
        sums={check.box: check.arithmetic for check in report.checks if check.holds},
    )


def _reasons_verdict(if_reasons_right: int, included: int, table1: int) -> str:
    """Which of the box and its reasons Table 1 bears out, in one sentence."""
    start = f"If the reasons were right and the box wrong, {if_reasons_right} studies would remain"
    if if_reasons_right == table1:
        return f"{start}, as many as Table 1 has; so the reasons are the more likely to be right."
    if included == table1:
        start = start.replace(f"wrong, {if_reasons_right}", f"wrong, only {if_reasons_right}")
        return (
            f"{start}, not the {table1} of Table 1; so the box total is the more likely to be "
            "right."
        )
    return (
        f"{start}, and the box leaves {included}; Table 1, with {table1} studies, bears out "
        "neither."
    )
