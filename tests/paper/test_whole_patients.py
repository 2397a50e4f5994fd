"""Table 1's shares of patients against the whole numbers of patients its N allows.

Source: Table 1 of Zhao et al. (2018), as data/studies.csv holds it. A share of N patients is
k/N for a whole k; the checks compare text at the decimals Table 1 prints (no tolerance).
"""

import pytest

from analysis.metaanalysis.errors import InputError
from analysis.paper.whole_patients import (
    fits,
    implied_n,
    neighbour_n,
    share_checks,
    share_table,
    smallest_n,
)

CHECKS = share_checks()


def test_goebel_shares_need_six_patients_not_five() -> None:
    """Goebel 2015: 83.3% and 33.3% of N = 5; 5/6 and 2/6 give them, no count of 5 does."""
    assert not fits(83.3, 1, 5) and fits(83.3, 1, 6)
    assert not fits(33.3, 1, 5) and fits(33.3, 1, 6)
    assert neighbour_n(CHECKS, "goebel2015") == 6
    relief = CHECKS[CHECKS["column"] != "no_relief_pct"]
    assert implied_n(relief, "goebel2015") == 6


def test_kiefer_2008a_and_patil_shares_are_not_whole_patients() -> None:
    rows = CHECKS.set_index(["study_id", "column"])
    kiefer = rows.loc[("kiefer2008a", "relief_immediate_pct")]
    assert f"{kiefer['patients']:.1f}" == "18.7"  # 93.5% of 20
    assert not kiefer["whole"]
    for column in ("relief_immediate_pct", "relief_followup_pct"):
        assert not rows.loc[("patil2012", column), "whole"]  # 77% and 38% of 18


def test_a_fraction_printed_in_a_percent_column_is_checked_as_printed() -> None:
    """Goldberg 2010's follow-up share is printed as 0.6 (data/corrections.csv): 10 of 16."""
    row = CHECKS.set_index(["study_id", "column"]).loc[("goldberg2010", "relief_followup_pct")]
    assert (row["scale"], row["unit"], bool(row["whole"])) == (1.0, "", True)


def test_either_printed_n_may_give_a_share() -> None:
    row = CHECKS.set_index(["study_id", "column"]).loc[("schwartzman2009", "relief_immediate_pct")]
    assert (row["n"], row["n_enrolled"], bool(row["whole"])) == (19, 26, True)


def test_smallest_n_and_bad_input() -> None:
    assert smallest_n([(50.0, 0, 100.0)]) == 2
    assert implied_n(CHECKS, "no_such_study") is None
    with pytest.raises(InputError, match=r"^fits: n=0 must be at least 1$"):
        fits(50.0, 0, 0)


def test_share_table_shows_every_check() -> None:
    table = share_table(CHECKS)
    assert len(table) == len(CHECKS)
    assert set(table["A whole number of patients"]) == {"yes", "no"}
