"""The side effects of Table 1, sorted into categories by study.

Table 1 lists each study's side effects as free text ("Nausea, headache, tiredness or
dysphoria; none reported agitation, ..."). This module reads that text with the vocabulary of
``data/side_effect_terms.csv``: each phrase found becomes a *mention* with its category, and a
mention that follows a negation ("no", "none reported", "no evidence of") in the same clause
(up to the next semicolon) is one the study reports as *absent*. Every comma-, semicolon- or
bracket-separated part of the text must contain a known phrase; otherwise the reading stops with
a one-line error, so a changed Table 1 cannot be half-read in silence.
"""

import re
from functools import cache

import pandas as pd

from analysis.paper.data import DataFileError, load_studies, load_table, schema_fields

NEGATION = re.compile(r"\b(?:none reported|no evidence of|no)\b", re.IGNORECASE)
"""Words after which, up to the end of the clause, a side effect is reported as absent."""

NOT_ADVERSE = "not an adverse effect"
"""The category of intended effects that Table 1 lists among the side effects."""

_SPLIT = re.compile(r"[,;()]")


@cache
def categories() -> tuple[str, ...]:
    """The categories, in the order of the schema of ``side_effect_terms`` (the table's order)."""
    field = next(f for f in schema_fields("side_effect_terms") if f["name"] == "category")
    return tuple(field["constraints"]["enum"])


def adverse_categories() -> tuple[str, ...]:
    """The categories of adverse effects (all but `NOT_ADVERSE`)."""
    return tuple(c for c in categories() if c != NOT_ADVERSE)


def side_effect_mentions(
    studies: pd.DataFrame | None = None, terms: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every side effect that Table 1 mentions, one row per mention.

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        The studies table (default: `analysis.paper.data.load_studies`), with ``study_id`` and
        ``side_effects``.
    terms : pandas.DataFrame, optional
        The vocabulary (default: ``data/side_effect_terms.csv``): ``phrase``, ``label``,
        ``category``.

    Returns
    -------
    pandas.DataFrame
        Columns ``study_id``, ``phrase`` (the words as printed), ``label``, ``category`` and
        ``present`` (False where the study reports the effect as absent), in the order of the
        studies and of the text. Studies whose side effects are not reported have no rows.

    Raises
    ------
    analysis.paper.data.DataFileError
        If a part of a study's side-effect text contains no phrase of the vocabulary.

    Examples
    --------
    >>> mentions = side_effect_mentions()
    >>> webster = mentions[mentions["study_id"] == "webster2006"]
    >>> list(zip(webster["label"], webster["present"]))[-1]
    ('hallucinations', False)
    """
    studies = load_studies() if studies is None else studies
    terms = load_table("side_effect_terms") if terms is None else terms
    by_phrase = terms.set_index(terms["phrase"].str.lower())
    phrases = sorted(by_phrase.index, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b", re.IGNORECASE)
    rows = []
    for study_id, text in studies[["study_id", "side_effects"]].itertuples(index=False):
        if pd.isna(text):
            continue
        _check_covered(str(study_id), str(text), pattern)
        for clause in str(text).split(";"):
            cue = NEGATION.search(clause)
            negated_from = cue.start() if cue else len(clause)
            for match in pattern.finditer(clause):
                term = by_phrase.loc[match.group(1).lower()]
                rows.append(
                    {
                        "study_id": study_id,
                        "phrase": match.group(1),
                        "label": term["label"],
                        "category": term["category"],
                        "present": match.start() < negated_from,
                    }
                )
    columns = ["study_id", "phrase", "label", "category", "present"]
    return pd.DataFrame(rows, columns=columns)


def _check_covered(study_id: str, text: str, pattern: re.Pattern) -> None:
    for part in _SPLIT.split(text):
        if part.strip() and not pattern.search(part):
            raise DataFileError(
                f"data/studies.csv: side_effects of {study_id!r}: no phrase of "
                f"data/side_effect_terms.csv matches {part.strip()!r}; add one there"
            )


def by_study(mentions: pd.DataFrame, studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per study, one column per adverse category: what each study reported.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of `side_effect_mentions`.
    studies : pandas.DataFrame, optional
        The studies table (default: `analysis.paper.data.load_studies`), in Table 1 order.

    Returns
    -------
    pandas.DataFrame
        ``study_id``, ``label``, ``reported`` (False where Table 1 gives no side effects) and a
        column per category of `adverse_categories`: the effects reported, then those
        reported absent after "not seen:", or an empty string if the study mentions nothing of
        the category.
    """
    studies = load_studies() if studies is None else studies
    table = studies.sort_values("table1_row")[["study_id", "label"]].reset_index(drop=True)
    table["reported"] = studies.sort_values("table1_row")["side_effects"].notna().to_numpy()
    for category in adverse_categories():
        cells = []
        for study_id in table["study_id"]:
            found = mentions[
                (mentions["study_id"] == study_id) & (mentions["category"] == category)
            ]
            seen = list(dict.fromkeys(found.loc[found["present"], "label"]))
            absent = list(dict.fromkeys(found.loc[~found["present"], "label"]))
            parts = [", ".join(seen)] if seen else []
            if absent:
                parts.append("not seen: " + ", ".join(absent))
            cells.append("; ".join(parts))
        table[category] = cells
    return table


def category_counts(mentions: pd.DataFrame, studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each adverse category: how many studies (and their patients) report it present.

    Returns
    -------
    pandas.DataFrame
        ``category``, ``studies_present`` (number), ``study_labels`` (comma-separated),
        ``patients`` (sum of the patients analysed in those studies), ``studies_absent``
        (studies that report it absent only).
    """
    studies = load_studies() if studies is None else studies
    info = studies.set_index("study_id")
    rows = []
    for category in adverse_categories():
        found = mentions[mentions["category"] == category]
        present = list(dict.fromkeys(found.loc[found["present"], "study_id"]))
        absent = [s for s in dict.fromkeys(found.loc[~found["present"], "study_id"])]
        absent = [s for s in absent if s not in present]
        rows.append(
            {
                "category": category,
                "studies_present": len(present),
                "study_labels": ", ".join(info.loc[present, "label"]),
                "patients": int(info.loc[present, "n_analysed"].sum()),
                "studies_absent": len(absent),
            }
        )
    return pd.DataFrame(rows)
