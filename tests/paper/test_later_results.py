"""later_results_table (analysis.paper.later_results): the studies the Discussion's later
results cite, from data/published_claims.csv (study_id) and Table 1 (data/studies.csv).

Exact: the rows must be Table 1's own values.
"""

import pytest

from analysis.metaanalysis import InputError
from analysis.paper import later_results_table, load_studies, load_table

CLAIMS = load_table("published_claims")
CITING = CLAIMS.loc[CLAIMS["study_id"].notna(), "claim_id"]


def test_the_cited_studies_are_shown_with_table_1s_values_in_its_order() -> None:
    table = later_results_table(CITING)
    studies = load_studies()
    cited = studies[studies["study_id"].isin(set(CLAIMS["study_id"].dropna()))]
    assert list(table["Study"]) == list(cited["label"])
    assert list(table["Patients (Table 1)"]) == list(cited["n_analysed"])


def test_claims_that_cite_no_study_give_no_rows() -> None:
    assert later_results_table(["no such claim"]).empty


def test_a_bare_string_is_refused() -> None:
    with pytest.raises(InputError, match="claim_ids='x'"):
        later_results_table("x")
