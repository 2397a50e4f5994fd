"""Whether Table 1's shares of patients are whole numbers of patients.

Table 1 prints, for each study, its N and three shares of its patients in percent: those with
relief right after treatment, those with relief at 1–3 months, and those with no relief. A share
of N patients can only be a whole number of them divided by N: 83.3% of 5 patients would be 4.17
patients. This module checks each printed share against every whole count of the study's N
(either N where Table 1 prints two), at the decimals Table 1 prints, and finds the smallest N
whose whole counts would give all of a study's shares.
"""

import pandas as pd

from analysis.charts.formatting import as_printed
from analysis.metaanalysis.errors import InputError
from analysis.paper.data import load_studies, load_table
from analysis.paper.readings import fraction_digits

SHARE_COLUMNS = {
    "relief_immediate_pct": "relief right after treatment",
    "relief_followup_pct": "relief at 1–3 months",
    "no_relief_pct": "no relief",
}
"""Table 1's columns of shares of patients, in percent, and what each counts."""

LARGEST_N = 1000
"""The largest N `smallest_n` tries."""


def fits(share: float, decimals: int, n: int, scale: float = 100.0) -> bool:
    """Whether some whole number of ``n`` patients gives ``share`` at the printed ``decimals``.

    Parameters
    ----------
    share : float
        The printed share.
    decimals : int
        Its printed decimals.
    n : int
        Patients in the study.
    scale : float
        100 for a percentage, 1 for a fraction.

    Examples
    --------
    >>> fits(83.3, 1, 5), fits(83.3, 1, 6)
    (False, True)
    """
    if n < 1:
        raise InputError(f"fits: n={n} must be at least 1")
    shown = as_printed(share, decimals)
    return any(as_printed(k / n * scale, decimals) == shown for k in range(n + 1))


def smallest_n(shares: list[tuple[float, int, float]]) -> int | None:
    """The smallest N from 1 to `LARGEST_N` whose whole counts give every share.

    ``shares`` holds ``(share, decimals, scale)`` as `fits` takes them; None when no N does.

    Examples
    --------
    >>> smallest_n([(83.3, 1, 100.0), (33.3, 1, 100.0)])
    6
    """
    return next(
        (n for n in range(1, LARGEST_N + 1) if all(fits(s, d, n, c) for s, d, c in shares)),
        None,
    )


def share_checks(studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each share Table 1 prints beside the whole numbers of patients its N allows.

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        Table 1 as printed (``load_studies(corrected=False)``, the default). A share that
        ``data/corrections.csv`` reads in another unit (Goldberg 2010's 0.6, a fraction in a
        column of percentages) is checked in the unit it is printed in.

    Returns
    -------
    pandas.DataFrame
        One row per study and share column, in Table 1 order: ``study_id``, ``label``,
        ``column``, ``what`` (from `SHARE_COLUMNS`), ``share`` (as printed), ``decimals``,
        ``scale`` (100 for percent, 1 for a fraction), ``unit`` ("%", or "" for a fraction),
        ``n`` (Table 1's N), ``n_enrolled`` (the N in parentheses, where Table 1 prints one),
        ``patients`` (share of N, not rounded), ``count`` (the nearest whole count),
        ``nearest`` (that count as a share, at the printed decimals) and ``whole`` (some whole
        count of some printed N gives the printed share).
    """
    table = load_studies(corrected=False) if studies is None else studies
    corrections = load_table("corrections")
    rows = []
    for study in table.sort_values("table1_row").itertuples(index=False):
        ns = [int(study.n_analysed)]
        if not pd.isna(study.n_enrolled):
            ns.append(int(study.n_enrolled))
        for column, what in SHARE_COLUMNS.items():
            share = getattr(study, column)
            if pd.isna(share):
                continue
            fix = corrections[
                (corrections["study_id"] == study.study_id) & (corrections["column"] == column)
            ]
            scale = 100.0
            if len(fix):
                scale = (
                    100.0
                    * float(fix.iloc[0]["value_as_printed"])
                    / float(fix.iloc[0]["value_used"])
                )
            decimals = fraction_digits(float(share))
            n = ns[0]
            patients = float(share) / scale * n
            count = round(patients)
            rows.append(
                {
                    "study_id": study.study_id,
                    "label": study.label,
                    "column": column,
                    "what": what,
                    "share": float(share),
                    "decimals": decimals,
                    "scale": scale,
                    "unit": "%" if scale == 100.0 else "",
                    "n": n,
                    "n_enrolled": ns[-1] if len(ns) > 1 else None,
                    "patients": patients,
                    "count": count,
                    "nearest": as_printed(count / n * scale, decimals),
                    "whole": any(fits(float(share), decimals, m, scale) for m in ns),
                }
            )
    return pd.DataFrame(rows)


def implied_n(checks: pd.DataFrame, study_id: str) -> int | None:
    """The smallest N whose whole counts give every share of ``study_id`` in ``checks``
    (`share_checks`); None when no N up to `LARGEST_N` does, or the study prints no share."""
    rows = checks[checks["study_id"] == study_id]
    if rows.empty:
        return None
    return smallest_n(
        [(float(r.share), int(r.decimals), float(r.scale)) for r in rows.itertuples(index=False)]
    )


RELIEF_COLUMNS = ("relief_immediate_pct", "relief_followup_pct")
"""The shares the two relief-rate analyses (Fig. 4a and 4b) pool."""


def neighbour_n(checks: pd.DataFrame, study_id: str) -> int | None:
    """N one above or below Table 1's that makes the study's shares with relief whole patients.

    A reading of a misprinted N (one patient more or fewer); None when the study's shares with
    relief are whole patients of its N already, or neither neighbour makes them so.

    Examples
    --------
    >>> neighbour_n(share_checks(), "goebel2015")
    6
    """
    rows = checks[(checks["study_id"] == study_id) & checks["column"].isin(RELIEF_COLUMNS)]
    if rows.empty or rows["whole"].all():
        return None
    n = int(rows["n"].iloc[0])
    for m in (n + 1, n - 1):
        if m >= 1 and all(
            fits(float(r.share), int(r.decimals), m, float(r.scale))
            for r in rows.itertuples(index=False)
        ):
            return m
    return None


def share_table(checks: pd.DataFrame) -> pd.DataFrame:
    """`share_checks` as the Audit chapter shows it: study, what is counted, the share as
    printed, N, the patients it makes, and whether a whole number of patients gives it."""
    n = checks["n"].astype(str)
    enrolled = checks["n_enrolled"].notna()
    n[enrolled] = (
        n[enrolled] + " (" + checks.loc[enrolled, "n_enrolled"].astype(int).astype(str) + ")"
    )
    return pd.DataFrame(
        {
            "Study": checks["label"],
            "Share of patients with": checks["what"],
            "Printed": [
                as_printed(s, d) + ("%" if c == 100 else "")
                for s, d, c in zip(
                    checks["share"], checks["decimals"], checks["scale"], strict=True
                )
            ],
            "N": n,
            "Patients it makes": checks["patients"].map(lambda x: f"{x:.2f}"),
            "A whole number of patients": checks["whole"].map({True: "yes", False: "no"}),
        }
    )
