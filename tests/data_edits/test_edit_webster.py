"""The data-edit corpus in make test: Webster 2006's N 13 → 14 (checks: representative.py)."""

from tests.data_edits.representative import INTRODUCTION, check_edit


def test_webster_n_plus_one_builds_shows_and_names_what_moved() -> None:
    check_edit("n_analysed:webster2006:+1", INTRODUCTION)
