"""The Search chapter's numbers (analysis.paper.search).

Sources: the paper's Methods ('Search Strategy and Selection Criteria', data/search_facts.csv,
data/search_sources.csv) and Fig. 1 (data/prisma_flow.csv). Counts are compared exactly with
the data files; the one sum of Fig. 1 that does not hold (its reasons for excluding full texts)
must be the one `flow_facts` reports.
"""

import pandas as pd
import pytest

from analysis.metaanalysis import InputError
from analysis.paper import (
    check_flow,
    flow_facts,
    load_flow,
    load_table,
    reporting_table,
    search_facts,
    selection_facts,
)

FACTS = load_table("search_facts").set_index("fact_id")
SOURCES = load_table("search_sources")


def test_search_facts_count_the_electronic_sources_and_write_the_dates() -> None:
    facts = search_facts(FACTS, SOURCES)
    electronic = SOURCES[SOURCES["kind"] != "citation searching"]
    assert facts.sources == len(electronic) < len(SOURCES)
    assert facts.source_names.split(", ") == electronic["name_as_printed"].tolist()
    assert facts.date_from == FACTS.at["search_from", "value_date"].strftime("%-d %B %Y")
    assert facts.registration == FACTS.at["registration_id", "value_text"]


def test_search_facts_refuse_sources_without_their_kind() -> None:
    with pytest.raises(InputError, match="search_facts: sources has no column 'kind'"):
        search_facts(FACTS, SOURCES.drop(columns="kind"))


def test_selection_facts_read_each_role() -> None:
    facts = selection_facts(FACTS)
    assert facts.screening_n == FACTS.at["screening_reviewers", "value_number"]
    assert facts.arbiter_who == FACTS.at["arbiter", "value_text"]
    assert facts.kappa == FACTS.at["extraction_agreement", "value_number"]


def test_flow_facts_find_the_reasons_that_do_not_add_up() -> None:
    flow = load_flow()
    report = check_flow(flow)
    items = reporting_table(flow=flow)
    facts = flow_facts(flow, report, items, load_table("studies"))
    counts = flow.set_index("box_id")["count"]
    assert facts.identified == counts["identified_search"]
    assert facts.reasons_box == counts["excluded_assessment"] != facts.reasons_sum
    assert facts.checks - facts.checks_hold == len(report.failing) == 1
    assert facts.if_reasons_right == counts["retrieved"] - facts.reasons_sum
    assert set(facts.sums) == {c.box for c in report.checks if c.holds}
    assert facts.items_no == facts.omitted.count(";") + 1


def test_flow_facts_refuse_a_flow_without_a_box_they_need() -> None:
    flow = load_flow()
    cut = flow[flow["box_id"] != "identified_manual"]
    with pytest.raises(InputError, match="flow_facts: flow has no box 'identified_manual'"):
        flow_facts(cut, check_flow(flow), reporting_table(flow=flow), load_table("studies"))


def test_the_reasons_verdict_follows_table_1s_count() -> None:
    flow = load_flow()
    report = check_flow(flow)
    items = reporting_table(flow=flow)
    studies = load_table("studies")
    facts = flow_facts(flow, report, items, studies)
    assert facts.included == facts.table1
    assert facts.reasons_verdict.endswith("so the box total is the more likely to be right.")
    fewer = studies.head(facts.if_reasons_right)
    assert flow_facts(flow, report, items, fewer).reasons_verdict.endswith(
        "as many as Table 1 has; so the reasons are the more likely to be right."
    )
    more = flow_facts(flow, report, items, pd.concat([studies, studies.head(1)]))
    assert more.reasons_verdict.endswith(
        f"Table 1, with {len(studies) + 1} studies, bears out neither."
    )
