"""Reports and trials: which rows of Table 1 describe the same patients.

Table 1 has one row per report, and a trial can be reported more than once: the paper pools
three reports of the Leiden randomized trial as three studies. The data say which reports share
a trial (``trial_id``) and which may share patients without saying so
(``may_share_patients_with``). The paper's own analyses keep every report, as the paper did;
the book's current-methods analyses count each trial once (`TRIAL_RULES`).

References
----------
Higgins JPT, Thomas J, Chandler J, et al. (eds.) (2023). Cochrane Handbook for Systematic Reviews
of Interventions, version 6.4, section 5.2.2 ("Identifying multiple reports from the same
study"). Cochrane.
"""

import re
from dataclasses import dataclass

import pandas as pd

from analysis.charts.formatting import joined_words
from analysis.metaanalysis.checks import one_of
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.bibtex import bib_field
from analysis.paper.data import load_studies

TRIAL_RULES = {
    "every_report": "every report, as the paper did",
    "one_per_trial": "each trial once (its largest report; the earliest on a tie)",
    "no_overlap": "each trial once, and a report that may share patients with a larger one "
    "left out",
}
"""How reports of the same trial enter an analysis: the paper's way and two ways that count
each patient once."""

PRIMARY_TRIAL_RULE = "one_per_trial"
"""The rule of the book's primary analyses (`analysis.paper.PRIMARY_MODELS`): a trial reported
twice is counted once, as the Cochrane Handbook asks; the suspected overlap, which no report
states, is a sensitivity analysis."""

_TRIAL_COLUMNS = ("study_id", "trial_id", "may_share_patients_with", "year", "table1_row")


def _trial_columns(studies: pd.DataFrame | None) -> pd.DataFrame:
    table = load_studies() if studies is None else studies
    missing = [column for column in _TRIAL_COLUMNS if column not in table.columns]
    if missing:
        raise InputError(f"select_reports: the studies table lacks the columns {missing}")
    return table[list(_TRIAL_COLUMNS)].assign(trial_id=trial_ids(table))


def trial_ids(studies: pd.DataFrame) -> pd.Series:
    """Each report's trial: its ``trial_id``, or its ``study_id`` where that is empty (a report
    that is its own trial).

    Examples
    --------
    >>> frame = pd.DataFrame({"study_id": ["a2001", "b2003"], "trial_id": ["t", None]})
    >>> list(trial_ids(frame))
    ['t', 'b2003']
    """
    return studies["trial_id"].where(studies["trial_id"].notna(), studies["study_id"])


def select_reports(
    frame: pd.DataFrame,
    rule: str,
    size: str = "n",
    studies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The rows of ``frame`` that an analysis under ``rule`` keeps, in their order.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per report with an outcome: ``study_id`` and a sample size column.
    rule : str
        A key of `TRIAL_RULES`. ``"one_per_trial"`` keeps, of the reports of one trial in
        ``frame``, the one with most patients (on a tie, the earliest year, then the first
        row of Table 1): the report chosen depends on which reports give the outcome.
        ``"no_overlap"`` also leaves out a report that may share patients with a larger
        report kept in ``frame``.
    size : str
        The column of ``frame`` with each report's number of patients.
    studies : pandas.DataFrame, optional
        The studies table with ``trial_id`` (default `load_studies()`).

    Returns
    -------
    pandas.DataFrame
        A subset of ``frame``'s rows, index kept.

    Examples
    --------
    >>> studies = pd.DataFrame({
    ...     "study_id": ["a2001", "b2003", "c2005"], "trial_id": ["t", "t", None],
    ...     "may_share_patients_with": [None, None, "a2001"], "year": [2001, 2003, 2005],
    ...     "table1_row": [1, 2, 3]})
    >>> frame = pd.DataFrame({"study_id": ["a2001", "b2003", "c2005"], "n": [30, 30, 9]})
    >>> list(select_reports(frame, "one_per_trial", studies=studies)["study_id"])
    ['a2001', 'c2005']
    >>> list(select_reports(frame, "no_overlap", studies=studies)["study_id"])
    ['a2001']
    """
    one_of(rule, tuple(TRIAL_RULES), "rule", "select_reports")
    for column in ("study_id", size):
        if column not in frame.columns:
            raise InputError(f"select_reports: the frame has no column {column!r}")
    if rule == "every_report":
        return frame
    known = _trial_columns(studies).set_index("study_id")
    unknown = sorted(set(frame["study_id"]) - set(known.index))
    if unknown:
        raise InputError(f"select_reports: {unknown} are not in the studies table")
    rows = known.loc[frame["study_id"]].assign(size=frame[size].to_numpy())
    rows.index = frame.index
    order = rows.assign(minus_size=-rows["size"]).sort_values(
        ["minus_size", "year", "table1_row"], kind="stable"
    )
    kept = order.drop_duplicates("trial_id").index
    if rule == "no_overlap":
        sizes = dict(zip(frame["study_id"], frame[size], strict=True))
        kept_ids = set(frame.loc[kept, "study_id"])
        kept = [index for index in kept if not _overlaps_larger(rows.loc[index], sizes, kept_ids)]
    return frame.loc[[index for index in frame.index if index in set(kept)]]


def _overlaps_larger(row: pd.Series, sizes: dict, kept_ids: set) -> bool:
    other = row["may_share_patients_with"]
    return isinstance(other, str) and other in kept_ids and sizes[other] >= row["size"]


@dataclass(frozen=True)
class TrialFacts(TidyResult):
    """What the data say about reports of the same trial, for the Inclusion chapter.

    Attributes
    ----------
    reports, trials : int
        Rows of Table 1, and the trials they describe.
    shared : str
        The trials reported more than once and by which reports, as a sentence (or that each
        report is its own trial).
    overlap : str
        The reports that may share patients although no report says so, as a sentence (or
        that none is suspected).
    """

    reports: int
    trials: int
    shared: str
    overlap: str


def trial_facts(
    studies: pd.DataFrame | None = None, bibliography: str | None = None
) -> TrialFacts:
    """Reports and trials of Table 1 (`TrialFacts`).

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        The studies table (default `load_studies()`).
    bibliography : str, optional
        The text of ``book/references.bib``: when given, each suspected overlap names the
        authors the two reports share (`shared_authors`).

    Examples
    --------
    >>> facts = trial_facts()
    >>> facts.reports - facts.trials
    2
    """
    table = load_studies() if studies is None else studies
    labels = dict(zip(table["study_id"], table["label"], strict=True))
    groups = [group for _, group in table.groupby(trial_ids(table), sort=False) if len(group) > 1]
    shared = "; ".join(
        f"{joined_words(list(group['label']))} report one trial" for group in groups
    )
    overlaps = table.dropna(subset=["may_share_patients_with"])
    overlaps = overlaps[overlaps["may_share_patients_with"].isin(labels)]
    sentences = []
    for row in overlaps.itertuples():
        sentence = f"{row.label} may share patients with {labels[row.may_share_patients_with]}"
        if bibliography is not None:
            names = shared_authors(bibliography, row.study_id, row.may_share_patients_with)
            sentence += f" (authors in common: {joined_words(names, empty='none')})"
        sentences.append(sentence)
    return TrialFacts(
        reports=len(table),
        trials=int(trial_ids(table).nunique()),
        shared=f"{shared[0].upper()}{shared[1:]}." if shared else "Each report is its own trial.",
        overlap=(
            f"{'; '.join(sentences)}, although neither report says so."
            if sentences
            else "No two reports are suspected of sharing patients."
        ),
    )


_OVERLAP_ROWS = {
    "Patients analysed": "n_analysed",
    "Men": "n_male",
    "Mean age (years)": "age_mean",
    "Days of infusion": "duration_days",
    "Dose as printed": "dose_as_printed",
    "Mean duration of CRPS (months)": "crps_duration_mean",
    "Year": "year",
}


def overlap_table(studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each pair of reports that may share patients, side by side as Table 1 prints them.

    Returns
    -------
    pandas.DataFrame
        A first column naming each feature (`_OVERLAP_ROWS`), then one column per report (its
        label); empty when no report names another it may share patients with.
    """
    table = load_studies() if studies is None else studies
    by_id = table.set_index("study_id")
    columns = {}
    for row in table.dropna(subset=["may_share_patients_with"]).itertuples():
        other = row.may_share_patients_with
        if other not in by_id.index:
            continue
        for sid in (row.study_id, other):
            columns[by_id.at[sid, "label"]] = [
                by_id.at[sid, column] for column in _OVERLAP_ROWS.values()
            ]
    if not columns:
        return pd.DataFrame()
    return pd.DataFrame({"": list(_OVERLAP_ROWS), **columns})


def shared_authors(bibliography: str, first: str, second: str) -> list[str]:
    """The family names that two entries of a BibTeX bibliography have in common, in the
    order of the first's author list.

    Examples
    --------
    >>> bib = ("@article{a2001,\\n  author = {Kiefer, R. and Rohr, P.},\\n}\\n"
    ...        "@article{b2002,\\n  author = {Koffler, S. and Kiefer, R.},\\n}")
    >>> shared_authors(bib, "a2001", "b2002")
    ['Kiefer']
    """
    names = {
        key: [part.split(",")[0].strip() for part in authors.split(" and ")]
        for key, authors in bib_field(bibliography, "author").items()
    }
    for key in (first, second):
        if key not in names:
            raise InputError(f"shared_authors: the bibliography has no authors for {key!r}")
    return [name for name in names[first] if name in set(names[second])]


PLACEBO_CONTROLLED = re.compile(r"placebo[- ]controlled", re.IGNORECASE)
"""How a title states a placebo-controlled (randomised) design."""


def placebo_controlled(studies: pd.DataFrame, bibliography: str) -> pd.Series:
    """Whether each report comes from a placebo-controlled trial, as the titles say.

    The paper states the design of two studies only. A report counts as placebo-controlled
    when its own title, or the title of another report of the same trial (``trial_id``), says
    "placebo-controlled"; else as not (no title of Table 1's other reports names a control
    group).

    Parameters
    ----------
    studies : pandas.DataFrame
        The studies table (``study_id``, ``trial_id``).
    bibliography : str
        The text of ``book/references.bib``.

    Returns
    -------
    pandas.Series
        1.0 or 0.0 by ``study_id``; NaN for a report without a title in the bibliography.

    Examples
    --------
    >>> bib = ("@article{a2001,\\n  title = {A double-blind placebo controlled study},\\n}\\n"
    ...        "@article{b2002,\\n  title = {A retrospective analysis},\\n}")
    >>> frame = pd.DataFrame({"study_id": ["a2001", "b2002", "c2003"],
    ...                       "trial_id": [None, None, None]})
    >>> placebo_controlled(frame, bib).tolist()
    [1.0, 0.0, nan]
    """
    titles = {
        key: bool(PLACEBO_CONTROLLED.search(title))
        for key, title in bib_field(bibliography, "title").items()
    }
    trials = trial_ids(studies)
    by_trial = {
        trial: any(titles.get(sid, False) for sid in studies.loc[trials == trial, "study_id"])
        for trial in set(trials)
    }
    values = [
        float(by_trial[trial]) if sid in titles else float("nan")
        for sid, trial in zip(studies["study_id"], trials, strict=True)
    ]
    return pd.Series(values, index=pd.Index(studies["study_id"], name="study_id"))
