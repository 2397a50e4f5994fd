"""Standard deviations that may be standard errors: a screen, and the pain analyses re-read.

Some SDs of Table 1 are too small for a pain score: Dahan 2011 prints 7.29 ± 0.16 for 30
patients on a 0–10 scale, which would put nearly every patient within half a point of the
mean. A standard error (SD/√n) of that size is ordinary. The paper does not say which it
printed; this module screens each SD against the scale, and re-reads the flagged ones as
standard errors (SD = SE·√n), so that the pain analyses can be run both ways.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts.formatting import estimate_with_ci, joined_words
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import pool
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_studies
from analysis.paper.pain_scores import pain_inputs, paired_effects, pooled_row
from analysis.paper.trials import PRIMARY_TRIAL_RULE, trial_ids

SD_FLOOR = 0.05
"""The screen's floor: an SD below this share of the scale's range (0.5 points on 0–10, 5 on
0–100) is flagged. Pain SDs of CRPS patients are typically 1.5–2.5 points on 0–10; an SD of
0.5 means nearly all patients within a point of the mean."""

SD_SCREEN_MIN_N = 10
"""The screen flags an SD only in a study of at least this many patients: in a very small
study a small SD can happen by chance, and reading it as an SE changes it little (√n)."""

SE_LIKE_FACTOR = 1.5
"""The cross-report check: an SD is flagged when another report of the same trial prints, for
the same measurement, an SD that the screen does not flag and that is √n times larger within
this factor (between √n/1.5 and 1.5·√n times the value), as an SE of that SD would be."""

MEASUREMENTS = {"baseline": "pain_baseline_sd", "end": "pain_end_sd"}
"""The SDs screened: pain at baseline and at the end of treatment."""


def sd_screen(studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each pain SD of Table 1, whether it is implausibly small, and its value as an SE.

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        The studies table (default `load_studies()`).

    Returns
    -------
    pandas.DataFrame
        One row per study with pain scores and measurement (``baseline``, ``end``), in Table 1
        order: ``study_id``, ``measurement``, ``n``, ``scale_max``, ``sd``, ``floor``
        (`SD_FLOOR` times the scale's range), ``below_floor`` (``sd < floor`` and
        ``n >= SD_SCREEN_MIN_N``), ``se_of`` (the label of another report of the same trial
        whose SD this value looks like the SE of, by `SE_LIKE_FACTOR`; empty if none),
        ``flagged`` (either) and ``sd_if_se`` (``sd * sqrt(n)``, the SD the value implies if
        it is a standard error).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "study_id": ["a", "b"], "label": ["A", "B"], "table1_row": [1, 2],
    ...     "n_analysed": [25, 25], "pain_baseline_mean": [7.0, 70.0],
    ...     "pain_baseline_sd": [0.2, 12.0], "pain_end_mean": [4.0, 40.0],
    ...     "pain_end_sd": [1.5, 4.0]})
    >>> screen = sd_screen(table)
    >>> shown = ["study_id", "measurement", "sd", "sd_if_se"]
    >>> screen.loc[screen["flagged"], shown].values.tolist()
    [['a', 'baseline', 0.2, 1.0], ['b', 'end', 4.0, 20.0]]
    """
    table = load_studies() if studies is None else studies
    frame = pain_inputs("all", table)
    rows = []
    for _, study in frame.iterrows():
        for measurement, column in MEASUREMENTS.items():
            sd, n, scale = study[column], study["n"], study["scale_max"]
            floor = SD_FLOOR * scale
            rows.append(
                {
                    "study_id": study["study_id"],
                    "measurement": measurement,
                    "n": int(n),
                    "scale_max": scale,
                    "sd": sd,
                    "floor": floor,
                    "below_floor": bool(sd < floor and n >= SD_SCREEN_MIN_N),
                    "sd_if_se": float(sd * np.sqrt(n)),
                    "sd_10": sd * 10 / scale,
                }
            )
    screen = pd.DataFrame(rows)
    screen["se_of"] = _se_of_another_report(screen, table)
    screen["flagged"] = screen["below_floor"] | (screen["se_of"] != "")
    return screen.drop(columns="sd_10")


def _se_of_another_report(screen: pd.DataFrame, studies: pd.DataFrame) -> list[str]:
    """For each screened SD, the report of the same trial whose SD it looks most like the SE
    of (the ratio closest to √n), or ``""``."""
    if "trial_id" not in studies.columns:
        return [""] * len(screen)
    trial = dict(zip(studies["study_id"], trial_ids(studies), strict=True))
    label = dict(zip(studies["study_id"], studies["label"], strict=True))
    found = []
    for row in screen.itertuples():
        others = screen[
            (screen["measurement"] == row.measurement)
            & (screen["study_id"] != row.study_id)
            & ~screen["below_floor"]
            & (screen["study_id"].map(trial) == trial[row.study_id])
        ]
        ratio = others["sd_10"] / row.sd_10 / np.sqrt(row.n)
        closeness = np.abs(np.log(ratio))
        like = closeness[closeness <= np.log(SE_LIKE_FACTOR)]
        found.append(label[others.at[like.idxmin(), "study_id"]] if len(like) else "")
    return found


def flagged_sds_as_se(studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """The studies table with each SD that `sd_screen` flags read as an SE (SD = SE·√n).

    Everything else is unchanged; the table read is not modified (a copy is returned).
    """
    table = (load_studies() if studies is None else studies).copy()
    screen = sd_screen(table)
    for _, row in screen[screen["flagged"]].iterrows():
        where = table["study_id"] == row["study_id"]
        table.loc[where, MEASUREMENTS[row["measurement"]]] = row["sd_if_se"]
    return table


def flagged_studies(studies: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The studies with at least one flagged SD, in Table 1 order."""
    return _flagged_ids(sd_screen(studies))


def _flagged_ids(screen: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(screen.loc[screen["flagged"], "study_id"]))


READINGS = {
    "as printed": "every SD as Table 1 prints it",
    "flagged SDs as SEs": "the SDs the screen flags read as standard errors (SD = SE·√n)",
}
"""The two readings of Table 1's SDs that `sd_reading_comparison` pools."""


def sd_reading_comparison(
    method: str = "REML",
    ci: str = "hksj",
    r: float = 0.5,
    studies: pd.DataFrame | None = None,
    trials: str = PRIMARY_TRIAL_RULE,
) -> pd.DataFrame:
    """The paired pain analyses on both readings of the SDs (`READINGS`).

    Parameters
    ----------
    method, ci : str
        The model and interval of `analysis.pool`.
    r : float
        The within-patient correlation of the paired effects (Table 1 does not give it).
    studies : pandas.DataFrame, optional
        The studies table (default `load_studies()`).
    trials : str
        How reports of one trial enter (`analysis.paper.trials.TRIAL_RULES`); by default as
        in the book's primary analysis, each trial once.

    Returns
    -------
    pandas.DataFrame
        One row per reading and measure (``MC``: mean fall in points on 0–10; ``SMCC``: the
        fall standardized by the SD of the change): ``reading``, ``measure``, ``r``, ``k``,
        ``estimate``, ``ci_low``, ``ci_high``, ``tau2``, ``i2``, ``pi_low``, ``pi_high``.
    """
    table = load_studies() if studies is None else studies
    tables = {"as printed": table, "flagged SDs as SEs": flagged_sds_as_se(table)}
    rows = []
    for reading, read in tables.items():
        frame = pain_inputs("all", read, trials=trials)
        for measure in ("MC", "SMCC"):
            effects = paired_effects(frame, r, measure)
            result = pool(effects.yi, effects.vi, method, ci=ci)
            rows.append({"reading": reading, "measure": measure, "r": r, "k": result.k,
                         **pooled_row(result)})  # fmt: skip
    return pd.DataFrame(rows)


def sd_screen_table(studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """The flagged SDs for the book: study, measurement, patients (n), the SD as printed and
    the SD it implies if it is a standard error ("SD if SE"); empty when nothing is flagged."""
    table = load_studies() if studies is None else studies
    screen = sd_screen(table)
    labels = table.set_index("study_id")["label"]
    flagged = screen[screen["flagged"]]
    return pd.DataFrame(
        {
            "Study": [labels[sid] for sid in flagged["study_id"]],
            "Pain at": flagged["measurement"].to_list(),
            "n": flagged["n"].to_list(),
            "SD": flagged["sd"].to_list(),
            "SD if SE": flagged["sd_if_se"].to_list(),
            "Why flagged": [_why(row.below_floor, row.se_of) for row in flagged.itertuples()],
        }
    )


def _why(below_floor: bool, se_of: str) -> str:
    reasons = ["small for the scale"] if below_floor else []
    if se_of:
        reasons.append(f"about the SE of {se_of}'s SD")
    return "; ".join(reasons)


@dataclass(frozen=True)
class SdReadingFacts(TidyResult):
    """The SD screen and the two readings in numbers and words, for the book.

    Attributes
    ----------
    floor_pct : float
        The screen's floor, in percent of the scale's range (`SD_FLOOR`).
    floor_points : float
        The same in points of a 0–10 scale.
    r : float
        The within-patient correlation of the paired effects.
    min_n : int
        The fewest patients of a study whose SDs are screened (`SD_SCREEN_MIN_N`).
    flagged_count : int
        SDs flagged.
    flagged_studies : str
        Their studies, e.g. ``"Kiefer 2008a, Sigtermans 2010 and Dahan 2011"`` (``"none"``).
    smcc_printed, smcc_as_se : str
        The pooled SMD standardized by the change, with its CI, on each reading.
    smcc_i2_printed, smcc_i2_as_se : float
        Its I² (%) on each reading.
    mc_printed, mc_as_se : str
        The pooled fall in points (0–10), with its CI, on each reading.
    mc_i2_printed, mc_i2_as_se : float
        Its I² (%) on each reading.
    smcc_move : str
        The SMD re-read against the one as printed, one of `MOVES` (at one decimal).
    mc_move : str
        The same for the fall in points.
    """

    floor_pct: float
    floor_points: float
    r: float
    min_n: int
    flagged_count: int
    flagged_studies: str
    smcc_printed: str
    smcc_as_se: str
    smcc_i2_printed: float
    smcc_i2_as_se: float
    mc_printed: str
    mc_as_se: str
    mc_i2_printed: float
    mc_i2_as_se: float
    smcc_move: str
    mc_move: str


MOVES = ("is lower", "is higher", "is the same at one decimal")
"""How `SdReadingFacts` words the pooled result re-read against the one as printed."""


def _move(before: float, after: float, decimals: int) -> str:
    before, after = round(before, decimals), round(after, decimals)
    if before == after:
        return MOVES[2]
    return MOVES[0] if after < before else MOVES[1]


def sd_reading_facts(
    comparison: pd.DataFrame, studies: pd.DataFrame | None = None
) -> SdReadingFacts:
    """`SdReadingFacts` of `sd_reading_comparison` (and the screen of ``studies``).

    Raises
    ------
    InputError
        When ``comparison`` lacks a reading or a measure.

    Examples
    --------
    >>> facts = sd_reading_facts(sd_reading_comparison())
    >>> facts.flagged_studies
    'Kiefer 2008a, Sigtermans 2010 and Dahan 2011'
    """
    table = load_studies() if studies is None else studies
    rows = comparison.set_index(["reading", "measure"])
    wanted = [(reading, measure) for reading in READINGS for measure in ("SMCC", "MC")]
    missing = [pair for pair in wanted if pair not in rows.index]
    if missing:
        raise InputError(f"sd_reading_facts: comparison has no row for {missing[0]}")
    labels = table.set_index("study_id")["label"]
    screen = sd_screen(table)
    flagged = _flagged_ids(screen)

    def pooled(reading: str, measure: str, decimals: int) -> str:
        row = rows.loc[(reading, measure)]
        return estimate_with_ci(row["estimate"], row["ci_low"], row["ci_high"], decimals)

    def i2(reading: str, measure: str) -> float:
        return float(rows.loc[(reading, measure), "i2"])

    def move(measure: str, decimals: int) -> str:
        before = rows.loc[("as printed", measure), "estimate"]
        after = rows.loc[("flagged SDs as SEs", measure), "estimate"]
        return _move(float(before), float(after), decimals)

    printed, as_se = READINGS
    return SdReadingFacts(
        floor_pct=100 * SD_FLOOR,
        floor_points=10 * SD_FLOOR,
        r=float(rows.loc[(printed, "MC"), "r"]),
        min_n=SD_SCREEN_MIN_N,
        flagged_count=int(screen["flagged"].sum()),
        flagged_studies=joined_words([labels[sid] for sid in flagged], empty="none"),
        smcc_printed=pooled(printed, "SMCC", 1),
        smcc_as_se=pooled(as_se, "SMCC", 1),
        smcc_i2_printed=i2(printed, "SMCC"),
        smcc_i2_as_se=i2(as_se, "SMCC"),
        mc_printed=pooled(printed, "MC", 1),
        mc_as_se=pooled(as_se, "MC", 1),
        mc_i2_printed=i2(printed, "MC"),
        mc_i2_as_se=i2(as_se, "MC"),
        smcc_move=move("SMCC", 1),
        mc_move=move("MC", 1),
    )
