"""The data-edit corpus in make test: Correll 2004's N 33 → 34 (checks: representative.py)."""

from tests.data_edits.representative import AUDIT, check_edit


def test_correll_n_plus_one_builds_shows_and_names_what_moved() -> None:
    check_edit("n_analysed:correll2004:+1", AUDIT)
