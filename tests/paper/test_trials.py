"""Reports of the same trial counted once (issue 12, item 2).

Source of the trial links: the studies' own abstracts (data/studies.csv, columns trial_id and
may_share_patients_with, described in data/datapackage.json). The rule is
`analysis.paper.trials.select_reports`: the largest report of a trial, the earliest on a tie.
Seen failing: sorted by ``+size`` instead of ``-size``, the rule kept the smallest report of a
trial and the tie-break test and the property test failed.
"""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.charts.formatting import joined_words
from analysis.metaanalysis.errors import InputError
from analysis.paper import load_studies, pain_inputs, select_reports, trial_facts
from analysis.paper.trials import (
    TRIAL_RULES,
    overlap_table,
    placebo_controlled,
    shared_authors,
    trial_ids,
)

SAME_TRIAL = {"sigtermans2009", "dahan2011", "schilder2013"}
"""The Leiden trial's three reports (their abstracts: Dahan 2011 models the pharmacokinetics
and Schilder 2013 the motor function of the trial Sigtermans 2009 reports)."""


def test_the_data_link_the_three_leiden_reports_and_nothing_else() -> None:
    studies = load_studies()
    ids = trial_ids(studies)
    shared = ids[ids.duplicated(keep=False)]
    assert set(studies.loc[shared.index, "study_id"]) == SAME_TRIAL
    assert trial_facts().reports - trial_facts().trials == len(SAME_TRIAL) - 1


def test_one_report_per_trial_keeps_the_largest_and_the_earliest_on_a_tie() -> None:
    """Sigtermans 2009 and Dahan 2011 both analysed 30 patients (Table 1); 2009 is earlier."""
    every = pain_inputs("all")
    kept = pain_inputs("all", trials="one_per_trial")
    dropped = set(every["study_id"]) - set(kept["study_id"])
    assert dropped == {"dahan2011", "schilder2013"}
    assert len(kept) == len(every) - 2
    assert list(kept["study_id"]) == [s for s in every["study_id"] if s not in dropped]


def test_the_suspected_overlap_is_left_out_only_by_its_own_rule() -> None:
    """Koffler 2007 (9 patients) may share patients with Kiefer 2008a (20): same authors and
    protocol (book/references.bib); neither report says so."""
    studies = load_studies().set_index("study_id")
    assert studies.at["koffler2007", "may_share_patients_with"] == "kiefer2008a"
    one = set(pain_inputs("all", trials="one_per_trial")["study_id"])
    no_overlap = set(pain_inputs("all", trials="no_overlap")["study_id"])
    assert one - no_overlap == {"koffler2007"}
    assert "Koffler 2007 may share patients with Kiefer 2008a" in trial_facts().overlap
    bibliography = Path("book/references.bib").read_text(encoding="utf-8")
    authors = shared_authors(bibliography, "koffler2007", "kiefer2008a")
    assert {"Kiefer", "Schwartzman"} <= set(authors)
    assert joined_words(authors) in trial_facts(bibliography=bibliography).overlap
    table = overlap_table()
    assert list(table.columns) == ["", "Koffler 2007", "Kiefer 2008a"]
    shown = table.set_index("")
    assert shown.loc["Patients analysed"].tolist() == [9, 20]


def test_without_shared_trials_or_overlaps_the_facts_say_so() -> None:
    alone = load_studies().assign(trial_id=None, may_share_patients_with=None)
    facts = trial_facts(alone)
    assert facts.reports == facts.trials == len(alone)
    assert facts.shared == "Each report is its own trial."
    assert facts.overlap == "No two reports are suspected of sharing patients."
    assert overlap_table(alone).empty


def test_the_paper_s_own_analyses_keep_every_report() -> None:
    assert pain_inputs("all").equals(pain_inputs("all", trials="every_report"))
    assert SAME_TRIAL <= set(pain_inputs("all")["study_id"])


def test_an_unknown_rule_or_study_is_refused_in_one_line() -> None:
    frame = pd.DataFrame({"study_id": ["nobody1999"], "n": [10]})
    with pytest.raises(InputError, match="rule='each'"):
        select_reports(frame, "each")
    with pytest.raises(InputError, match="nobody1999"):
        select_reports(frame, "one_per_trial")
    with pytest.raises(InputError, match="no column 'size'"):
        select_reports(frame, "one_per_trial", size="size")


@given(
    sizes=st.lists(st.integers(1, 50), min_size=1, max_size=6),
    trials=st.lists(st.integers(0, 2), min_size=6, max_size=6),
)
def test_each_trial_keeps_exactly_one_report_its_largest(sizes, trials) -> None:
    """Invariant: one row per trial, and no dropped report of a trial is larger than the kept."""
    k = len(sizes)
    studies = pd.DataFrame(
        {
            "study_id": [f"s{i}" for i in range(k)],
            "trial_id": [f"t{t}" for t in trials[:k]],
            "may_share_patients_with": [None] * k,
            "year": [2000 + i for i in range(k)],
            "table1_row": range(1, k + 1),
        }
    )
    frame = pd.DataFrame({"study_id": studies["study_id"], "n": sizes})
    kept = select_reports(frame, "one_per_trial", studies=studies)
    by_trial = dict(zip(studies["study_id"], studies["trial_id"], strict=True))
    kept_trials = [by_trial[s] for s in kept["study_id"]]
    assert sorted(kept_trials) == sorted(set(studies["trial_id"]))
    size = dict(zip(frame["study_id"], frame["n"], strict=True))
    for sid in frame["study_id"]:
        keeper = kept["study_id"][[by_trial[s] == by_trial[sid] for s in kept["study_id"]]]
        assert size[sid] <= size[keeper.iloc[0]]
    assert set(TRIAL_RULES) == {"every_report", "one_per_trial", "no_overlap"}


def test_the_design_is_read_from_the_titles_and_shared_within_a_trial() -> None:
    """Schwartzman 2009's title says 'double-blind placebo controlled', Schilder 2013's
    'secondary analysis of a placebo-controlled study'; Sigtermans 2009 and Dahan 2011 report
    that trial (trial_id). Seen failing with the trial left out: those two read 0."""
    bibliography = Path("book/references.bib").read_text(encoding="utf-8")
    design = placebo_controlled(load_studies(), bibliography)
    assert set(design[design == 1.0].index) == {"schwartzman2009"} | SAME_TRIAL
    assert set(design.dropna().unique()) == {0.0, 1.0}
