"""The studies whose later results the paper's Discussion describes, as Table 1 gives them."""

from collections.abc import Iterable

import pandas as pd

from analysis.metaanalysis.errors import InputError
from analysis.paper.data import load_studies, load_table

COLUMNS = {
    "label": "Study",
    "n_analysed": "Patients (Table 1)",
    "relief_immediate_pct": "Responders right after (%)",
    "relief_followup_pct": "Responders at 1–3 months (%)",
}


def later_results_table(claim_ids: Iterable[str]) -> pd.DataFrame:
    """Table 1's entries for the studies that the claims ``claim_ids`` cite.

    Parameters
    ----------
    claim_ids : iterable of str
        Claims; those in ``data/published_claims.csv`` name their studies (``study_id``),
        the others are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per cited study in Table 1 order: study, patients, and the shares of
        responders right after treatment and at 1–3 months (percent, as printed).

    Raises
    ------
    InputError
        When ``claim_ids`` is a single string rather than a list of ids.
    """
    if isinstance(claim_ids, str):
        raise InputError(f"later_results_table: claim_ids={claim_ids!r} must be a list of ids")
    claims = load_table("published_claims").set_index("claim_id")
    cited = set(claims.loc[claims.index.isin(list(claim_ids)), "study_id"].dropna())
    table1 = load_studies().set_index("study_id")
    studies = [s for s in table1.index if s in cited]
    return table1.loc[studies, list(COLUMNS)].rename(columns=COLUMNS).reset_index(drop=True)
