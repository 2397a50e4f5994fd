"""The primary outcome: pain before and after ketamine (the paper's Fig. 2 and Fig. 3).

Table 1 gives, per study, the mean and SD of the pain score at baseline and at the end of
treatment. The paper pooled them as a standardized mean difference (SMD) in Stata, apparently
treating the two measurements of the same patients as two independent groups. This module
builds those inputs, tries the choices the paper leaves open against its printed I², and
re-analyses the data as the paired measurements they are, over a range of the unreported
within-patient correlation.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.metaanalysis.checks import one_of
from analysis.metaanalysis.effect_sizes import EffectSizes, wald_intervals
from analysis.metaanalysis.mean_effects import (
    SMD_METHODS,
    paired_mean_difference,
    paired_standardized_mean_difference,
    standardized_mean_difference,
)
from analysis.metaanalysis.pooling import PoolResult, pool
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_studies, load_table
from analysis.paper.published import printed_numbers, published_pooled
from analysis.paper.readings import (
    Judgement,
    PrintedNumber,
    Reading,
    fraction_digits,
    judge_alternatives,
    reading,
)
from analysis.paper.trials import select_reports

PAIN_COLUMNS = ("pain_baseline_mean", "pain_baseline_sd", "pain_end_mean", "pain_end_sd")
SMD_LABELS = {
    "cohen": "Cohen's d (Stata metan's default)",
    "hedges": "Hedges' g (metan, option hedges)",
    "glass": "Glass's delta (metan, option glass)",
    "metafor": "Hedges' g, exact correction (metafor escalc SMD)",
}
STUDY_SETS = {
    "fig2": "the ten studies Fig. 2 lists",
    "all": "every study with baseline and end-of-treatment pain in Table 1",
}
CORRELATIONS = tuple(float(round(r, 1)) for r in np.arange(0.2, 0.81, 0.1))
"""Within-patient correlations of the paired re-analysis: 0.2 to 0.8 in steps of 0.1."""


def scale_maximum(studies: pd.DataFrame) -> pd.Series:
    """The top of each study's pain scale, 10 or 100, inferred from its values.

    Table 1 does not give the scale. A mean above 10 can only be on a 0-100 scale (a 100-mm
    visual analogue scale); everything else is read as 0-10, as the paper says most studies
    used. Missing where a study has no pain scores.
    """
    values = studies[["pain_baseline_mean", "pain_end_mean"]].max(axis=1)
    scale = pd.Series(np.where(values > 10, 100.0, 10.0), index=studies.index)
    return scale.where(values.notna())


def pain_inputs(
    study_set: str = "all",
    studies: pd.DataFrame | None = None,
    trials: str = "every_report",
) -> pd.DataFrame:
    """Studies with baseline and end-of-treatment pain, in Table 1 order.

    Parameters
    ----------
    study_set : {"all", "fig2"}
        Every study with both scores, or only those Fig. 2 lists.
    studies : pandas.DataFrame, optional
        The studies table (default `load_studies()`).
    trials : str
        How reports of one trial enter (`analysis.paper.trials.TRIAL_RULES`): every report,
        as the paper did (default), or each trial once (`select_reports`, by the number
        analysed, among the reports with both scores).

    Returns
    -------
    pandas.DataFrame
        ``study_id``, ``label``, ``n``, the four pain columns, ``scale_max`` and the same
        means and SDs rescaled to 0-10 (``*_10`` columns).
    """
    one_of(study_set, tuple(STUDY_SETS), "study_set", "pain_inputs")
    table = load_studies() if studies is None else studies
    rows = table.dropna(subset=list(PAIN_COLUMNS)).sort_values("table1_row")
    if study_set == "fig2":
        listed = set(load_table("published_fig2_studies")["study_id"])
        rows = rows[rows["study_id"].isin(listed)]
    frame = pd.DataFrame(
        {
            "study_id": rows["study_id"].to_numpy(),
            "label": rows["label"].to_numpy(),
            "n": rows["n_analysed"].astype(float).to_numpy(),
            **{column: rows[column].astype(float).to_numpy() for column in PAIN_COLUMNS},
        }
    )
    frame["scale_max"] = scale_maximum(frame).to_numpy()
    for column in PAIN_COLUMNS:
        frame[f"{column}_10"] = frame[column] * 10 / frame["scale_max"]
    return select_reports(frame, trials, studies=table).reset_index(drop=True)


def _arguments(frame: pd.DataFrame, rescale: bool = False) -> dict[str, np.ndarray]:
    suffix = "_10" if rescale else ""
    return {
        "m1": frame[f"pain_baseline_mean{suffix}"].to_numpy(),
        "sd1": frame[f"pain_baseline_sd{suffix}"].to_numpy(),
        "m2": frame[f"pain_end_mean{suffix}"].to_numpy(),
        "sd2": frame[f"pain_end_sd{suffix}"].to_numpy(),
    }


def two_group_smd(frame: pd.DataFrame, method: str = "cohen") -> EffectSizes:
    """SMD of baseline minus end as if they were two independent groups of n patients."""
    a = _arguments(frame)
    n = frame["n"].to_numpy()
    return standardized_mean_difference(a["m1"], a["sd1"], n, a["m2"], a["sd2"], n, method)


def paired_effects(frame: pd.DataFrame, r: float, measure: str = "SMCC") -> EffectSizes:
    """Paired effect of each study for a within-patient correlation ``r``.

    ``measure``: ``"SMCC"`` (standardized by the SD of the change), ``"SMCR"`` (by the
    baseline SD), or ``"MC"`` (raw mean change in points on a 0-10 scale, 0-100 scales
    divided by 10).
    """
    one_of(measure, ("SMCC", "SMCR", "MC"), "measure", "paired_effects")
    n = frame["n"].to_numpy()
    if measure == "MC":
        a = _arguments(frame, rescale=True)
        return paired_mean_difference(a["m1"], a["sd1"], a["m2"], a["sd2"], n, r)
    a = _arguments(frame)
    standardizer = "change" if measure == "SMCC" else "baseline"
    return paired_standardized_mean_difference(
        a["m1"], a["sd1"], a["m2"], a["sd2"], n, r, standardizer=standardizer
    )


def study_table(frame: pd.DataFrame, effects: EffectSizes, result: PoolResult) -> pd.DataFrame:
    """Per-study effects with Wald CIs and pooled weights, for tables and forest plots."""
    low, high = wald_intervals(effects.yi, effects.vi, result.level)
    return frame[["study_id", "label", "n"]].assign(
        yi=effects.yi, vi=effects.vi, ci_low=low, ci_high=high, weight_pct=result.weights
    )


@dataclass(frozen=True)
class Fig2Attempt(TidyResult):
    """One way of computing Fig. 2, and what it gives.

    Attributes
    ----------
    study_set, smd : str
        Keys of `STUDY_SETS` and `SMD_LABELS`.
    result : PoolResult
        DerSimonian–Laird pooling of the SMDs.
    i2_as_printed : bool
        Whether I², rounded as the paper prints it, equals the printed value.
    p_below_claim : bool
        Whether the pooled effect's p-value is below the bound the paper states.
    """

    study_set: str
    smd: str
    result: PoolResult
    i2_as_printed: bool
    p_below_claim: bool

    @property
    def reading(self) -> Reading:
        """The attempt as a reading of Fig. 2's printed numbers (`FIG2_NUMBERS`)."""
        return fig2_reading(self.study_set, self.smd, self.result)


FIG2_NUMBERS = ("i2_pct", "p_heterogeneity", "p_effect_below")
"""The numbers of Fig. 2 (and the text) that the attempts are judged against."""


def fig2_reading(study_set: str, smd: str, result: PoolResult) -> Reading:
    """One study set and SMD formula as a reading of `FIG2_NUMBERS`."""
    return reading(
        f"{study_set}, {smd}",
        {"i2_pct": result.i2, "p_heterogeneity": result.p_q, "p_effect_below": result.p_value},
        f"{STUDY_SETS[study_set]}, {SMD_LABELS[smd]}",
    )


def fig2_printed(number_id: str) -> PrintedNumber:
    """One of `FIG2_NUMBERS` as printed (the p-value bound as a bound)."""
    one_of(number_id, FIG2_NUMBERS, "number_id", "fig2_printed")
    printed = published_pooled("pain_smd")
    if number_id == "p_effect_below":
        bound = float(printed[number_id])
        return PrintedNumber(number_id, bound, fraction_digits(bound), below=True)
    return printed_numbers(printed, [number_id], "published_pooled")[0]


def fig2_judgement(number_id: str, attempts: list[Fig2Attempt] | None = None) -> Judgement:
    """One printed number of Fig. 2 judged against every attempt, as alternatives.

    The paper names neither the studies nor the SMD formula, so each attempt is a reading the
    paper's words allow (`analysis.paper.readings.judge_alternatives`).
    """
    attempts = fig2_attempts() if attempts is None else attempts
    return judge_alternatives([fig2_printed(number_id)], [a.reading for a in attempts])


def fig2_attempts() -> list[Fig2Attempt]:
    """Every combination of study set and SMD formula, pooled as the paper did (DL)."""
    fits = []
    for study_set in STUDY_SETS:
        frame = pain_inputs(study_set)
        for method in SMD_METHODS:
            effects = two_group_smd(frame, method)
            fits.append((study_set, method, pool(effects.yi, effects.vi, "DL")))
    i2, bound = fig2_printed("i2_pct"), fig2_printed("p_effect_below")
    return [
        Fig2Attempt(
            study_set=study_set,
            smd=method,
            result=result,
            i2_as_printed=i2.shows(result.i2),
            p_below_claim=bound.shows(result.p_value),
        )
        for study_set, method, result in fits
    ]


def attempts_frame(attempts: list[Fig2Attempt]) -> pd.DataFrame:
    """The attempts as a table: set, SMD, k, estimate, CI, p, I² and the two checks."""
    return pd.DataFrame(
        [
            {
                "study_set": a.study_set,
                "smd": a.smd,
                "k": a.result.k,
                "estimate": a.result.estimate,
                "ci_low": a.result.ci_low,
                "ci_high": a.result.ci_high,
                "p_value": a.result.p_value,
                "i2": a.result.i2,
                "i2_as_printed": a.i2_as_printed,
                "p_below_claim": a.p_below_claim,
            }
            for a in attempts
        ]
    )


def paired_sensitivity(
    study_set: str = "all", method: str = "DL", correlations: tuple[float, ...] = CORRELATIONS
) -> pd.DataFrame:
    """Pooled paired effects over a range of within-patient correlations.

    Returns
    -------
    pandas.DataFrame
        One row per correlation and measure (``SMCC``, ``SMCR``, ``MC``): ``r``, ``measure``,
        ``estimate``, ``ci_low``, ``ci_high``, ``tau2``, ``i2``, ``pi_low``, ``pi_high``.
    """
    frame = pain_inputs(study_set)
    rows = []
    for r in correlations:
        for measure in ("SMCC", "SMCR", "MC"):
            effects = paired_effects(frame, r, measure)
            result = pool(effects.yi, effects.vi, method)
            rows.append({"r": r, "measure": measure, **pooled_row(result)})
    return pd.DataFrame(rows)


POOLED_FIELDS = ("estimate", "ci_low", "ci_high", "tau2", "i2", "pi_low", "pi_high")
"""The fields of a pooled result that the pain tables show."""


def pooled_row(result: PoolResult) -> dict[str, float]:
    """`POOLED_FIELDS` of ``result``, for one row of a table of pooled results."""
    return {field: getattr(result, field) for field in POOLED_FIELDS}
