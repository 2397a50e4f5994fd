"""The paper's hepatotoxicity rate, and what it becomes under other readings of its denominator.

The paper divides the patients with raised liver enzymes (counted in its Discussion, stored in
``data/adverse_events.csv``) by all patients of the included studies. Which patients belong in
the denominator is a choice: the studies that never mention liver enzymes may not have measured
them, and one study enrolled more patients than it analysed. `denominator_readings` computes
the rate under each reading, with exact and Wilson confidence intervals, and
`denominator_judgement` sets each reading against the printed rate
(`analysis.paper.readings.judge`).
"""

import pandas as pd

from analysis.metaanalysis.binomial import binomial_interval
from analysis.paper.adverse_effects import NOT_ADVERSE, side_effect_mentions
from analysis.paper.data import load_studies, load_table
from analysis.paper.published import compare_values, printed_numbers
from analysis.paper.readings import Judgement, judge, reading

EVENT = "raised liver enzymes"
"""The event of ``data/adverse_events.csv`` behind the rate."""

LIVER_CATEGORY = "liver enzymes"
"""Category of ``data/side_effect_terms.csv`` for liver-enzyme findings."""

READINGS = {
    "paper": "all studies, patients enrolled (the paper's denominator)",
    "analysed": "all studies, patients analysed",
    "any_adverse_effect": "studies whose Table 1 entry reports some adverse effect",
    "liver_enzymes": "studies that mention liver enzymes at all",
}
"""The readings of the denominator that `denominator_readings` compares, by key."""

READING_LABELS = {
    "paper": "All studies, enrolled",
    "analysed": "All studies, analysed",
    "any_adverse_effect": "Reporting adverse effects",
    "liver_enzymes": "Mentioning liver enzymes",
}
"""Short names of the readings, for charts."""


def liver_events() -> pd.DataFrame:
    """The per-study counts of patients with raised liver enzymes (``adverse_events.csv``)."""
    events = load_table("adverse_events")
    return events[events["event"] == EVENT].reset_index(drop=True)


def denominator_readings(
    studies: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """The hepatotoxicity rate under each reading of `READINGS`.

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        The studies table (default: `analysis.paper.data.load_studies`).
    mentions : pandas.DataFrame, optional
        Output of `analysis.paper.adverse_effects.side_effect_mentions` (default: computed).
    level : float
        Confidence level of the intervals, default 0.95.

    Returns
    -------
    pandas.DataFrame
        One row per reading: ``reading`` (key), ``label`` (short), ``description``,
        ``studies`` (number),
        ``study_labels``, ``events``, ``patients``, ``rate`` (a proportion), ``exact_low``,
        ``exact_high`` (Clopper–Pearson), ``wilson_low`` and ``wilson_high`` (Wilson), at
        ``level``.
        Patients are counted as enrolled where Table 1 gives two numbers, except in the
        reading ``"analysed"``.

    Examples
    --------
    >>> readings = denominator_readings().set_index("reading")
    >>> int(readings.at["paper", "events"]), int(readings.at["paper", "patients"])
    (5, 258)
    >>> int(readings.at["liver_enzymes", "patients"])
    38
    """
    studies = load_studies() if studies is None else studies
    mentions = side_effect_mentions(studies) if mentions is None else mentions
    events = liver_events().set_index("study_id")["patients_with_event"]
    enrolled = studies["n_enrolled"].fillna(studies["n_analysed"]).astype(int)
    adverse = mentions[mentions["present"] & (mentions["category"] != NOT_ADVERSE)]
    liver = mentions[mentions["category"] == LIVER_CATEGORY]
    chosen = {
        "paper": (pd.Series(True, index=studies.index), enrolled),
        "analysed": (pd.Series(True, index=studies.index), studies["n_analysed"].astype(int)),
        "any_adverse_effect": (studies["study_id"].isin(adverse["study_id"]), enrolled),
        "liver_enzymes": (studies["study_id"].isin(liver["study_id"]), enrolled),
    }
    rows = []
    for key, (included, patients) in chosen.items():
        ids = studies.loc[included, "study_id"]
        rows.append(
            {
                "reading": key,
                "label": READING_LABELS[key],
                "description": READINGS[key],
                "studies": int(included.sum()),
                "study_labels": ", ".join(studies.loc[included, "label"]),
                "events": int(events.reindex(ids).fillna(0).sum()),
                "patients": int(patients[included].sum()),
            }
        )
    table = pd.DataFrame(rows)
    for method, prefix in (("exact", "exact"), ("wilson", "wilson")):
        ci = binomial_interval(table["events"], table["patients"], method, level=level)
        table[f"{prefix}_low"] = ci.ci_low
        table[f"{prefix}_high"] = ci.ci_high
    table.insert(7, "rate", table["events"] / table["patients"])
    return table


def denominator_judgement(readings: pd.DataFrame) -> Judgement:
    """The paper's printed rate judged against each reading of its denominator.

    Parameters
    ----------
    readings : pandas.DataFrame
        Output of `denominator_readings`.

    Returns
    -------
    Judgement
        Of the printed count, denominator and rate (``published_rates.csv``), one reading per
        row of ``readings``, named by its key. The paper's own reading needs no assumption;
        each other reading assumes its denominator (its description).

    Examples
    --------
    >>> judgement = denominator_judgement(denominator_readings())
    >>> judgement.status, judgement.chosen.name
    ('reproduced', 'paper')
    """
    printed = load_table("published_rates").set_index("analysis_id").loc["hepatotoxicity"]
    numbers = printed_numbers(printed, ["events", "patients", "rate_pct"], "published_rates")
    tried = [
        reading(
            str(row.reading),
            {
                "events": float(row.events),
                "patients": float(row.patients),
                "rate_pct": 100 * float(row.rate),
            },
            str(row.description),
            assumption=None if row.reading == "paper" else f"the denominator: {row.description}",
        )
        for row in readings.itertuples(index=False)
    ]
    return judge(numbers, tried)


def compare_with_paper(readings: pd.DataFrame) -> pd.DataFrame:
    """The paper's printed rate (5 of 258, 1.9%) beside the reading that reproduces it."""
    printed = load_table("published_rates").set_index("analysis_id").loc["hepatotoxicity"]
    ours = readings.set_index("reading").loc["paper"]
    return compare_values(
        printed,
        {
            "events": ours["events"],
            "patients": ours["patients"],
            "rate_pct": 100 * ours["rate"],
        },
        "published_rates",
    )
