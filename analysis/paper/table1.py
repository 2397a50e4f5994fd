"""Table 1 of the paper as a readable table: one row per study, values as printed.

Missing values stay missing (`analysis.charts.tables.html_table` shows them as "not reported",
never as 0). Means and standard deviations are written "mean ± SD" as the paper prints them; N is
written "19 (26)" where Table 1 prints two numbers. Values that ``data/corrections.csv``
corrects are shown as printed, with the value the analyses use beside them.
"""

import pandas as pd

from analysis.paper.data import load_studies, load_table

NOT_STATED = "not stated"
"""Shown for a study whose design the paper does not state."""

PAIN_SCALES = {10: "0–10", 100: "0–100"}

VAS_CLAIM = "methods_pain_scale_exceptions"
"""The claim (``published_claims.csv``) whose ``study_id`` is the study the paper cites for its
visual analogue scale."""

NOT_IN_TABLE1 = "a study that is not in Table 1"
"""How the prose names a study the paper cites that the data no longer hold."""


def vas_study(studies: pd.DataFrame, claims: pd.DataFrame) -> tuple[str | None, str]:
    """The study the paper cites for its visual analogue scale: its ``study_id`` and label.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies` (``study_id``, ``label``).
    claims : pandas.DataFrame
        ``load_table("published_claims")`` (``claim_id``, ``study_id``).

    Returns
    -------
    tuple
        The ``study_id`` and label of the cited study, or ``(None, NOT_IN_TABLE1)`` when Table 1
        no longer holds it (or the claim names none).

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": [VAS_CLAIM], "study_id": ["a"]})
    >>> vas_study(pd.DataFrame({"study_id": ["a"], "label": ["A 2004"]}), claims)
    ('a', 'A 2004')
    >>> vas_study(pd.DataFrame({"study_id": ["b"], "label": ["B 2005"]}), claims)
    (None, 'a study that is not in Table 1')
    """
    cited = claims.loc[claims["claim_id"] == VAS_CLAIM, "study_id"].dropna()
    labels = studies.set_index("study_id")["label"]
    if cited.empty or cited.iloc[0] not in labels.index:
        return None, NOT_IN_TABLE1
    return str(cited.iloc[0]), str(labels[cited.iloc[0]])


def pain_scale(*values: float) -> str | None:
    """The pain scale a study's scores fit, read from the scores: ``"0–10"`` or ``"0–100"``.

    Table 1 has no column for the scale. The paper says all studies used a 0–10 scale but one;
    scores above 10 can only be on a 0–100 scale. None when no score is given.

    Examples
    --------
    >>> pain_scale(7.7, 4.8), pain_scale(54.44, 29.0), pain_scale(float("nan"))
    ('0–10', '0–100', None)
    """
    given = [float(v) for v in values if not pd.isna(v)]
    if not given:
        return None
    return PAIN_SCALES[100] if max(given) > 10 else PAIN_SCALES[10]


def mean_sd(mean: float, sd: float) -> str | None:
    """``"40.5 ± 13.8"``; just the mean when the SD is missing; None when the mean is.

    Examples
    --------
    >>> mean_sd(40.5, 13.8), mean_sd(5.62, float("nan")), mean_sd(float("nan"), 1.0)
    ('40.5 ± 13.8', '5.62', None)
    """
    if pd.isna(mean):
        return None
    return f"{mean:g}" if pd.isna(sd) else f"{mean:g} ± {sd:g}"


def _n(analysed: int, enrolled: object) -> str:
    return f"{analysed}" if pd.isna(enrolled) else f"{analysed} ({int(enrolled)})"


def table1(
    studies: pd.DataFrame | None = None,
    designs: pd.DataFrame | None = None,
    corrections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Table 1 for reading: one row per study, in the paper's order, with readable columns.

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        Table 1 as printed (default: ``load_studies(corrected=False)``).
    designs : pandas.DataFrame, optional
        Designs the paper states (default: ``data/study_designs.csv``); other studies show
        `NOT_STATED`.
    corrections : pandas.DataFrame, optional
        Corrected values (default: ``data/corrections.csv``), shown beside the printed value.

    Returns
    -------
    pandas.DataFrame
        Columns: Study, Year, Design (as the paper states it), Drug, Dose, Days, N (the number
        in parentheses where two are printed), Men, Age (years), Pain scale (read from the
        scores), Pain before, Pain after, Relief now (%), Relief at 1–3 months (%), No relief
        (%), CRPS duration, Side effects. Missing values are missing (NA).

    Examples
    --------
    >>> table = table1()
    >>> table.set_index("Study").loc["Schwartzman 2009", "N"]
    '19 (26)'
    """
    studies = load_studies(corrected=False) if studies is None else studies
    designs = load_table("study_designs") if designs is None else designs
    corrections = load_table("corrections") if corrections is None else corrections
    rows = studies.sort_values("table1_row").reset_index(drop=True)
    stated = dict(zip(designs["study_id"], designs["design_as_stated"], strict=True))
    fixes = {(f.study_id, f.column): f.value_used for f in corrections.itertuples(index=False)}

    def percent(column: str) -> list[object]:
        shown = []
        for study, value in zip(rows["study_id"], rows[column], strict=True):
            if pd.isna(value):
                shown.append(None)
            elif (study, column) in fixes:
                shown.append(f"{value:g} as printed ({fixes[study, column]:g} used)")
            else:
                shown.append(f"{value:g}")
        return shown

    followup = percent("relief_followup_pct")
    followup = [
        text if text is not None else (None if pd.isna(words) else str(words))
        for text, words in zip(followup, rows["relief_followup_text"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "Study": rows["label"],
            "Year": rows["year"],
            "Design": [stated.get(s, NOT_STATED) for s in rows["study_id"]],
            "Drug": rows["intervention"],
            "Dose": rows["dose_as_printed"],
            "Days": rows["duration_days"],
            "N": [_n(a, e) for a, e in zip(rows["n_analysed"], rows["n_enrolled"], strict=True)],
            "Men": rows["n_male"],
            "Age (years)": _pairs(rows, "age_mean", "age_sd"),
            "Pain scale": [
                pain_scale(b, e)
                for b, e in zip(rows["pain_baseline_mean"], rows["pain_end_mean"], strict=True)
            ],
            "Pain before": _pairs(rows, "pain_baseline_mean", "pain_baseline_sd"),
            "Pain after": _pairs(rows, "pain_end_mean", "pain_end_sd"),
            "Relief now (%)": percent("relief_immediate_pct"),
            "Relief at 1–3 months (%)": followup,
            "No relief (%)": percent("no_relief_pct"),
            "CRPS duration": rows["crps_duration_as_printed"],
            "Side effects": rows["side_effects"],
        }
    )
    return table


def _pairs(rows: pd.DataFrame, mean: str, sd: str) -> list[str | None]:
    return [mean_sd(m, s) for m, s in zip(rows[mean], rows[sd], strict=True)]
