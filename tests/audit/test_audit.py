"""The audit of every quantitative claim of the paper (analysis.audit, chapter "Audit").

Source of each printed value: the data files in data/ (Zhao et al. 2018; the place in the paper
of each value is in the file's ``source`` column or its schema). A claim is reproduced when our
value, formatted as the paper prints it, shows the printed digits: an exact comparison of text,
no tolerance. The expected counts per status and the spot checks are what the chapter reports;
if a data value or a computation moves a claim to another status, a test here fails by name.
"""

import csv
import dataclasses
import io
import tokenize
from functools import cache

import pandas as pd
import pytest
import yaml
from docutils.nodes import make_id

from analysis.audit import (
    Claim,
    DataCell,
    audit,
    audit_claims,
    background,
    cell,
    headings,
    section_link,
    sections,
    status_counts,
)
from analysis.charts.formatting import as_printed
from analysis.metaanalysis.errors import DataFileError, InputError
from analysis.paper.data import datapackage, load_table, resource_descriptor
from analysis.paper.descriptives import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
)
from analysis.paper.published import printed_decimals
from tests.conftest import REPO_ROOT
from tests.tolerances import SHARES_SUM_TO_ONE


# Computed on first use, not when pytest imports this file (in every worker).
@cache
def claims() -> tuple[Claim, ...]:
    return audit_claims()


@cache
def table() -> pd.DataFrame:
    return audit(claims())


@cache
def by_id() -> dict[str, Claim]:
    return {c.claim_id: c for c in claims()}


EXPECTED_COUNTS = {
    REPRODUCED: 27,
    ASSUMED: 38,
    INCONSISTENT: 13,
    NOT_REPRODUCIBLE: 15,
}
"""Claims per status, as the chapter reports them."""

AUDITED_RESOURCES = {
    "published_forest": ("estimate", "ci_low", "ci_high", "weight_pct"),
    "published_pooled": ("estimate", "ci_low", "ci_high", "i2_pct", "p_heterogeneity"),
    "published_descriptives": ("value",),
    "prisma_flow": ("count",),
    "published_rates": ("events", "patients", "rate_pct"),
    "adverse_events": ("patients_with_event", "patients"),
    "published_fig3_axes": ("minimum", "maximum"),
    "published_claims": ("value", "ci_low", "ci_high"),
}
"""The files of printed results, and their columns of printed numbers: every filled cell of
these (claims only, for published_claims) must be a printed value of some claim."""


def test_the_audit_lists_several_dozen_claims() -> None:
    assert len(claims()) == sum(EXPECTED_COUNTS.values())
    assert len(claims()) >= 84
    assert table()["claim_id"].is_unique


def test_every_status_is_one_of_the_four() -> None:
    assert set(table()["status"]) <= set(STATUSES)
    assert set(STATUSES) == {
        "reproduced",
        "reproduced under a stated assumption",
        "not reproducible",
        "inconsistent within the paper",
    }


def test_counts_per_status() -> None:
    counts = status_counts(table()).set_index("status")["claims"].to_dict()
    assert counts == EXPECTED_COUNTS
    assert list(status_counts(table())["status"]) == list(STATUSES)
    assert status_counts(table())["share"].sum() == SHARES_SUM_TO_ONE.approx(1.0)


def test_a_claim_must_have_a_known_status() -> None:
    fields = {f.name: getattr(claims()[0], f.name) for f in dataclasses.fields(Claim)}
    with pytest.raises(InputError, match=r"^Claim: status='roughly right' is not one of"):
        Claim(**{**fields, "status": "roughly right"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        claims()[0].status = REPRODUCED  # type: ignore[misc]


def test_claims_follow_the_order_of_the_paper() -> None:
    order = sections()
    positions = [order.index(section) for section in table()["section"]]
    assert positions == sorted(positions)
    assert {"Abstract", "Methods", "Results", "Fig. 1", "Fig. 2", "Fig. 3"} <= set(
        table()["section"]
    )
    assert {"Fig. 4a", "Fig. 4b", "Discussion"} <= set(table()["section"])


def _raw_rows(resource: str) -> list[dict[str, str]]:
    """A data file read as plain text, independently of analysis.paper.data."""
    path = REPO_ROOT / "data" / resource_descriptor(resource)["path"]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _raw_value(data_cell: DataCell) -> str:
    keys = resource_descriptor(data_cell.resource)["schema"]["primaryKey"]
    keys = [keys] if isinstance(keys, str) else keys
    wanted = data_cell.row.split("/")
    rows = [r for r in _raw_rows(data_cell.resource) if [r[k] for k in keys] == wanted]
    assert len(rows) == 1, data_cell
    return rows[0][data_cell.column]


def test_printed_values_are_the_data_files_values() -> None:
    """Each printed number of a claim is a cell of a data file, shown at its printed decimals.

    One test for all claims (a parametrized test would compute the audit when pytest collects
    it, in every worker); each claim's failure is reported with its id.
    """
    failures = []
    for claim in claims():
        try:
            _check_printed_values(claim)
        except AssertionError as error:
            failures.append(f"{claim.claim_id}: {error}")
    assert failures == []


def _check_printed_values(claim: Claim) -> None:
    assert claim.cells, f"{claim.claim_id} names no data cell for its printed value"
    for data_cell in claim.cells:
        raw = _raw_value(data_cell)
        assert data_cell.shown in claim.printed
        if data_cell.decimals is None:  # a date
            assert data_cell.value == raw
            continue
        assert data_cell.value == float(raw)
        assert data_cell.shown == as_printed(float(raw), data_cell.decimals)
        schema = printed_decimals(data_cell.resource).get(data_cell.column)
        if schema is not None:
            assert data_cell.decimals == schema


def test_every_printed_result_in_the_data_is_audited() -> None:
    used = {(c.resource, c.row, c.column) for claim in claims() for c in claim.cells}
    for resource, columns in AUDITED_RESOURCES.items():
        table = load_table(resource)
        if resource == "published_claims":
            table = table[table["scope"] == "claim"]
        keys = resource_descriptor(resource)["schema"]["primaryKey"]
        keys = [keys] if isinstance(keys, str) else keys
        for _, row in table.iterrows():
            for column in columns:
                if pd.isna(row[column]):
                    continue
                key = "/".join(str(row[k]) for k in keys)
                assert (resource, key, column) in used, f"{resource}/{key}:{column} not audited"


def test_no_printed_number_is_typed_in_the_audit_package() -> None:
    """The printed values come from data/: none of them is a literal of analysis/audit/."""
    modules = sorted((REPO_ROOT / "analysis" / "audit").glob("*.py"))
    assert len(modules) > 1
    literals = {
        float(token.string.replace("_", ""))
        for module in modules
        for token in tokenize.generate_tokens(
            io.StringIO(module.read_text(encoding="utf-8")).readline
        )
        if token.type == tokenize.NUMBER
    }
    printed = {c.value for claim in claims() for c in claim.cells if c.decimals is not None}
    # Small whole numbers (0, 1, 2, ...) are indices and counts in any code, and 100 turns a
    # proportion into a percentage (Table 1 also prints a share of 100%).
    meaningful = {v for v in printed if not (float(v).is_integer() and abs(v) < 10)} - {100.0}
    assert literals & meaningful == set()


def test_background_figures_are_listed_apart_without_a_status() -> None:
    cited = background()
    assert len(cited) == 8
    assert "status" not in cited.columns
    assert set(cited["claim_id"]).isdisjoint(table()["claim_id"])
    farrar = cited.set_index("claim_id")
    assert farrar.at["farrar_subjects", "printed"] == "2724 subjects"
    assert farrar.at["crps_share_of_chronic_pain", "printed"] == "1.2%"


def _toc_docs() -> set[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"], *(entry["file"] for entry in toc["chapters"])]
    return {f.removeprefix("book/") for f in files}


def test_every_link_names_a_chapter_in_the_book_and_a_heading_of_it() -> None:
    docs = _toc_docs()
    assert "08-audit" in docs
    for claim in claims():
        link = claim.link
        assert link.doc in docs, claim.claim_id
        ids = [make_id(text) for _, text in headings(link.doc)]
        assert link.anchor in ids, f"{claim.claim_id}: no heading gives #{link.anchor}"
        assert link.href == f"{link.doc}.html#{link.anchor}"


def test_section_link_refuses_a_heading_that_is_not_there() -> None:
    with pytest.raises(InputError, match=r"^section_link: book/03-pooling.md has no heading"):
        section_link("03-pooling", "A heading nobody wrote")
    with pytest.raises(InputError, match=r"^headings: doc='99-none' is not a chapter"):
        headings("99-none")


def test_headings_skip_comments_in_code_cells() -> None:
    texts = [text for _, text in headings("05-publication-bias")]
    assert "The pain scores (Fig. 3)" in texts
    assert not any(text.startswith("A study with 0%") for text in texts)


def test_cell_reports_a_missing_row_in_one_line() -> None:
    with pytest.raises(DataFileError, match=r"^data/published_pooled.csv: no single value"):
        cell("published_pooled", "no_such_analysis", "estimate")
    assert cell("search_facts", "search_from", "value_date").shown == "1 January 1950"


# Spot checks: what the chapter says about single claims.


def test_fig4a_pooled_row_holds_only_with_rounded_proportions() -> None:
    """Table 1's percentages at their own precision give I² 81.4%, not the printed 82.3%."""
    claim = by_id()["fig4a_pooled"]
    assert (claim.printed, claim.ours, claim.status) == (
        "0.69 (0.53, 0.84)",
        "0.69 (0.53, 0.84)",
        ASSUMED,
    )
    assert "rounded to two decimals" in claim.assumption
    assert by_id()["fig4a_i2"].status == ASSUMED
    assert by_id()["abstract_relief_immediate"].status == ASSUMED
    assert by_id()["fig4b_pooled"].status == ASSUMED
    assert by_id()["fig4a_axis"].printed == "±1.16"
    assert by_id()["fig4b_axis"].status == ASSUMED


def test_every_forest_plot_study_row_holds_under_the_rounding_but_the_excluded_one() -> None:
    rows = table()[table()["study_level"]]
    assert len(rows) == len(load_table("published_forest"))
    assert rows.set_index("claim_id")["status"].to_dict() == {
        **{claim_id: ASSUMED for claim_id in rows["claim_id"]},
        "fig4a_kiefer2008b": REPRODUCED,
    }
    assert "data/corrections.csv" in by_id()["fig4b_goldberg2010"].assumption


def test_fig2_i2_is_not_reproducible() -> None:
    claim = by_id()["fig2_i2"]
    assert claim.printed == "95.6%"
    assert claim.status == NOT_REPRODUCIBLE
    assert claim.ours != claim.printed
    assert claim.link.href == "03-pooling.html#fig-2-beside-ours"


def test_pain_p_value_holds_only_for_all_studies_with_pain_scores() -> None:
    claim = by_id()["pain_p_effect"]
    assert claim.printed == "p < 0.000001"
    assert claim.status == ASSUMED
    assert "every study with baseline and end-of-treatment pain" in claim.note
    repeat = by_id()["results_pain_p_effect"]
    assert (repeat.section, repeat.printed, repeat.status) == ("Results", claim.printed, ASSUMED)


def test_hepatotoxicity_rate_is_reproduced() -> None:
    claim = by_id()["hepatotoxicity_rate"]
    assert claim.printed == "1.9% (5 of 258)"
    assert claim.ours == claim.printed
    assert claim.status == REPRODUCED


def test_fig1_reasons_add_up_to_47_not_46() -> None:
    claim = by_id()["fig1_excluded_assessment_reasons"]
    assert claim.printed.startswith("46 = ")
    assert claim.ours.startswith("47 = ")
    assert claim.status == INCONSISTENT
    assert by_id()["fig1_included"].status == REPRODUCED


def test_publication_bias_claims_follow_the_same_readings_as_the_p_value() -> None:
    """Begg's test, like the pooled p-value, holds on every study with pain scores."""
    assert by_id()["results_egger"].status == REPRODUCED
    assert by_id()["results_egger"].ours == "p = 0.048"
    begg = by_id()["fig3_begg"]
    assert begg.status == ASSUMED
    assert begg.assumption.startswith(by_id()["pain_p_effect"].assumption)
    assert by_id()["fig3_axis_x"].status == ASSUMED
    assert by_id()["fig3_axis_y"].status == ASSUMED


def test_the_excluded_study_is_an_assumption_about_which_study() -> None:
    claim = by_id()["results_excluded_immediate"]
    assert claim.status == ASSUMED
    assert "variance is 0" in claim.assumption


def test_159_participants_need_goebel_with_six_patients() -> None:
    claim = by_id()["immediate_participants"]
    assert (claim.printed, claim.ours, claim.status) == ("159", "158", INCONSISTENT)
    assert "Goebel 2015's N read as 6" in claim.note


def test_table1_shares_that_are_not_whole_patients() -> None:
    rows = table()[table()["section"] == "Table 1"].set_index("claim_id")
    assert set(rows.index[rows["status"] == INCONSISTENT]) == {
        "table1_shares_correll2004",
        "table1_shares_kiefer2008a",
        "table1_shares_patil2012",
        "table1_shares_goebel2015",
        "table1_shares_dahan2011",
    }
    assert set(rows["status"]) == {REPRODUCED, INCONSISTENT}
    assert "93.5% of 20 is 18.70 patients" in rows.at["table1_shares_kiefer2008a", "note"]
    assert "N = 6" in rows.at["table1_shares_goebel2015", "note"]


def test_claims_the_paper_contradicts() -> None:
    inconsistent = set(table().loc[table()["status"] == INCONSISTENT, "claim_id"])
    assert {claim_id for claim_id in inconsistent if not claim_id.startswith("table1_")} == {
        "methods_pain_scale_exceptions",
        "methods_mean_difference",
        "immediate_participants",
        "followup_participants",
        "results_pain_studies",
        "discussion_pain_studies",
        "discussion_kiefer_dose",
        "fig1_excluded_assessment_reasons",
    }
    scale = by_id()["methods_pain_scale_exceptions"]
    assert scale.printed == "1 (Correll 2004)"
    assert scale.ours == "2 (Kiefer 2008b, Koffler 2007)"


def test_claims_without_data_to_check_them() -> None:
    unchecked = table()[table()["ours"].isna()]
    assert set(unchecked["status"]) == {NOT_REPRODUCIBLE}
    assert {"extraction_agreement", "discussion_rct", "discussion_correll_6m_pain_free"} <= set(
        unchecked["claim_id"]
    )
    assert by_id()["discussion_correll_6m_patients"].status == REPRODUCED
    assert by_id()["discussion_kiefer_6m_patients"].status == REPRODUCED
    assert by_id()["discussion_kiefer_6m_remission"].ours == "? of 20"


def test_descriptive_numbers_keep_their_status() -> None:
    """The Results' descriptive numbers get the status analysis.paper.descriptives gives them."""
    from analysis.paper.descriptives import reproduce_descriptives

    for result in reproduce_descriptives().claims:
        assert by_id()[result.claim_id].status == result.status


def test_the_claims_file_is_described_in_the_package() -> None:
    names = [r["name"] for r in datapackage()["resources"]]
    assert "published_claims" in names
    claims = load_table("published_claims")
    studies = set(load_table("studies")["study_id"])
    assert set(claims["study_id"].dropna()) <= studies
