"""The pain scores in the Pooling chapter's prose: the data, the readings of Fig. 2, paired data.

Each function returns a frozen dataclass whose fields are the numbers and phrases the chapter
writes, ready for `analysis.charts.glue_result`: `pain_data_facts` (which studies report pain
and on which scale), `fig2_facts` (how close the readings of Fig. 2 come to its printed I²) and
`paired_facts` (the pain scores as paired measurements, over the assumed correlations).
`closest_attempt` is the reading of Fig. 2 whose I² is nearest a given one. Two tables to
show, with the chapter's column headings: the pain scores of each study (`pain_data_table`)
and every reading of Fig. 2 (`fig2_attempts_table`).
"""

from dataclasses import dataclass

import pandas as pd

from analysis.charts.formatting import estimate_with_ci
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_table
from analysis.paper.pain_scores import SMD_LABELS
from analysis.paper.published import published_pooled
from analysis.paper.table1 import vas_study

STUDY_SET_WORDS = {"fig2": "the studies Fig. 2 lists", "all": "all studies with pain scores"}
"""The study sets of `analysis.paper.fig2_attempts`, in words."""

STANDARDIZERS = {"SMCC": "SD of the change", "SMCR": "baseline SD"}
"""The paired SMDs of `analysis.paper.paired_sensitivity` by what they are standardized by."""


@dataclass(frozen=True)
class PainDataFacts(TidyResult):
    """Which studies report pain scores, and on which scale.

    Attributes
    ----------
    table1_studies : int
        Studies in Table 1.
    studies : int
        Studies with pain scores before and after treatment.
    fig2_studies : int
        Studies Fig. 2 lists.
    not_in_fig2 : str
        The studies with pain scores that Fig. 2 leaves out, comma-separated.
    scale_100_studies : str
        The studies whose scores fit only a 0–100 scale, joined by "and".
    scale_100_n : int
        How many.
    correll_label : str
        The study the paper cites for its visual analogue scale
        (`analysis.paper.table1.vas_study`: its label, or a phrase when Table 1 no longer
        holds it).
    correll_scores : str
        What Table 1 gives of that study's pain scores, in words (``"reports no pain scores
        in Table 1"``, or the scale its scores fit).
    i2_printed : float
        The I² the paper prints for Fig. 2, in percent.
    p_claim : str
        The paper's bound on the p-value of the pooled effect, as printed.
    """

    table1_studies: int
    studies: int
    fig2_studies: int
    not_in_fig2: str
    scale_100_studies: str
    scale_100_n: int
    correll_label: str
    correll_scores: str
    i2_printed: float
    p_claim: str


@dataclass(frozen=True)
class Fig2Facts(TidyResult):
    """How the readings of Fig. 2 compare with its printed I².

    Attributes
    ----------
    closest_i2 : float
        The I² of the closest reading, in percent.
    closest_set, closest_smd : str
        Its study set and SMD, in words.
    cohen_i2 : float
        The I² of the paper's analysis as we take it (Fig. 2's studies, Cohen's d).
    cohen_pooled : str
        Its pooled SMD with the 95% CI.
    cohen_p : str
        Its p-value, in scientific notation.
    p_claim_sets : str
        Which study sets give a p-value below the paper's bound, in words.
    i2_range : tuple of float
        The lowest and highest I² over the readings.
    smd_range : tuple of float
        The lowest and highest pooled SMD over the readings.
    """

    closest_i2: float
    closest_set: str
    closest_smd: str
    cohen_i2: float
    cohen_pooled: str
    cohen_p: str
    p_claim_sets: str
    i2_range: tuple[float, float]
    smd_range: tuple[float, float]


@dataclass(frozen=True)
class PairedFacts(TidyResult):
    """The pain scores as paired measurements, over the assumed correlations.

    Attributes
    ----------
    r : tuple of float
        The lowest and highest correlation assumed.
    smcc, smcr, mc : tuple of float
        The range of the pooled SMD standardized by the change-score SD, by the baseline SD,
        and of the raw mean change in points.
    smcc_i2, smcr_i2, mc_i2 : tuple of float
        The range of their I², in percent.
    two_groups : float
        The pooled SMD of the same studies as two independent groups.
    baseline_mean_10 : float
        The average baseline pain score on the 0–10 scale.
    """

    r: tuple[float, float]
    smcc: tuple[float, float]
    smcc_i2: tuple[float, float]
    smcr: tuple[float, float]
    smcr_i2: tuple[float, float]
    mc: tuple[float, float]
    mc_i2: tuple[float, float]
    two_groups: float
    baseline_mean_10: float


def _require(frame: pd.DataFrame, columns: tuple[str, ...], where: str, name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{where}: {name} has no column {missing[0]!r}")
    if frame.empty:
        raise InputError(f"{where}: {name} is empty")


def closest_attempt(attempts: pd.DataFrame, i2: float) -> pd.Series:
    """The reading of Fig. 2 whose I² is closest to ``i2`` (the first, on a tie).

    Parameters
    ----------
    attempts : pandas.DataFrame
        `analysis.paper.attempts_frame` (at least a column ``i2``, in percent).
    i2 : float
        The I² to come close to, in percent.

    Returns
    -------
    pandas.Series
        The row of ``attempts``.

    Raises
    ------
    InputError
        For an empty table or one without ``i2``.

    Examples
    --------
    >>> closest_attempt(pd.DataFrame({"i2": [90.0, 96.5, 99.0]}), 97.0)["i2"]
    np.float64(96.5)
    """
    _require(attempts, ("i2",), "closest_attempt", "attempts")
    return attempts.iloc[(attempts["i2"] - float(i2)).abs().argmin()]


def pain_data_facts(
    studies: pd.DataFrame, pain: pd.DataFrame, fig2_ids: set[str] | frozenset[str]
) -> PainDataFacts:
    """Which of Table 1's studies report pain, which Fig. 2 lists, and their scales.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies`.
    pain : pandas.DataFrame
        `analysis.paper.pain_inputs` of every study with pain scores (``"all"``).
    fig2_ids : set of str
        The ``study_id`` of the studies Fig. 2 lists.
    """
    _require(pain, ("study_id", "label", "scale_max"), "pain_data_facts", "pain")
    _require(studies, ("study_id", "label"), "pain_data_facts", "studies")
    printed = published_pooled("pain_smd")
    hundred = pain.loc[pain["scale_max"] == 100, "label"]
    cited_id, cited_label = vas_study(studies, load_table("published_claims"))
    return PainDataFacts(
        table1_studies=len(studies),
        studies=len(pain),
        fig2_studies=len(fig2_ids),
        not_in_fig2=", ".join(pain.loc[~pain["study_id"].isin(fig2_ids), "label"]),
        scale_100_studies=" and ".join(hundred),
        scale_100_n=len(hundred),
        correll_label=cited_label,
        correll_scores=_scores_in_words(cited_id, pain),
        i2_printed=float(printed["i2_pct"]),
        p_claim=f"{printed['p_effect_below']:f}".rstrip("0"),
    )


def _scores_in_words(study_id: str | None, pain: pd.DataFrame) -> str:
    """What Table 1 gives of one study's pain scores: none, or the scale they fit."""
    rows = pain[pain["study_id"] == study_id]
    if rows.empty:
        return "reports no pain scores in Table 1"
    return f"reports pain scores in Table 1 that fit a 0–{int(rows['scale_max'].iloc[0])} scale"


def fig2_facts(attempts: pd.DataFrame, cohen: PoolResult) -> Fig2Facts:
    """How the readings of Fig. 2 (`analysis.paper.attempts_frame`) compare with the paper.

    Parameters
    ----------
    attempts : pandas.DataFrame
        `analysis.paper.attempts_frame` of `analysis.paper.fig2_attempts`.
    cohen : PoolResult
        The paper's analysis as we take it: Fig. 2's studies, Cohen's d, DerSimonian–Laird.
    """
    columns = ("study_set", "smd", "estimate", "i2", "p_below_claim")
    _require(attempts, columns, "fig2_facts", "attempts")
    closest = closest_attempt(attempts, published_pooled("pain_smd")["i2_pct"])
    below = attempts[attempts["p_below_claim"]]
    return Fig2Facts(
        closest_i2=float(closest["i2"]),
        closest_set=STUDY_SET_WORDS[closest["study_set"]],
        closest_smd=SMD_LABELS[closest["smd"]],
        cohen_i2=cohen.i2,
        cohen_pooled=estimate_with_ci(cohen.estimate, cohen.ci_low, cohen.ci_high),
        cohen_p=f"{cohen.p_value:.1e}",
        p_claim_sets=(
            STUDY_SET_WORDS["all"] if set(below["study_set"]) == {"all"} else "several sets"
        ),
        i2_range=(float(attempts["i2"].min()), float(attempts["i2"].max())),
        smd_range=(float(attempts["estimate"].min()), float(attempts["estimate"].max())),
    )


def paired_facts(paired: pd.DataFrame, two_groups: PoolResult, pain: pd.DataFrame) -> PairedFacts:
    """The paired re-analysis in numbers (`analysis.paper.paired_sensitivity`).

    Parameters
    ----------
    paired : pandas.DataFrame
        `analysis.paper.paired_sensitivity`: one row per correlation ``r`` and ``measure``
        (``SMCC``, ``SMCR``, ``MC``).
    two_groups : PoolResult
        The same studies pooled as two independent groups (Cohen's d).
    pain : pandas.DataFrame
        `analysis.paper.pain_inputs` of the same studies (for the baseline on 0–10).

    Raises
    ------
    InputError
        For a table without one of the measures.
    """
    _require(paired, ("r", "measure", "estimate", "i2"), "paired_facts", "paired")
    by = {m: paired[paired["measure"] == m] for m in ("SMCC", "SMCR", "MC")}
    for measure, frame in by.items():
        if frame.empty:
            raise InputError(f"paired_facts: paired has no rows of measure {measure!r}")

    def span(frame: pd.DataFrame, column: str) -> tuple[float, float]:
        return float(frame[column].min()), float(frame[column].max())

    return PairedFacts(
        r=span(paired, "r"),
        smcc=span(by["SMCC"], "estimate"),
        smcc_i2=span(by["SMCC"], "i2"),
        smcr=span(by["SMCR"], "estimate"),
        smcr_i2=span(by["SMCR"], "i2"),
        mc=span(by["MC"], "estimate"),
        mc_i2=span(by["MC"], "i2"),
        two_groups=two_groups.estimate,
        baseline_mean_10=float(pain["pain_baseline_mean_10"].mean()),
    )


def pain_data_table(pain: pd.DataFrame, fig2_ids: set[str] | frozenset[str]) -> pd.DataFrame:
    """The pain scores of each study, to show: patients, scale, "mean ± SD" before and after.

    Parameters
    ----------
    pain : pandas.DataFrame
        `analysis.paper.pain_inputs` (``"all"``).
    fig2_ids : set of str
        The ``study_id`` of the studies Fig. 2 lists (column "In Fig. 2").
    """
    columns = ("label", "n", "scale_max", "pain_baseline_mean", "pain_baseline_sd")
    _require(pain, (*columns, "pain_end_mean", "pain_end_sd"), "pain_data_table", "pain")

    def mean_sd(prefix: str) -> list[str]:
        pairs = pain[[f"{prefix}_mean", f"{prefix}_sd"]].itertuples(index=False)
        return [f"{mean:g} ± {sd:g}" for mean, sd in pairs]

    return pd.DataFrame(
        {
            "Study": pain["label"],
            "Patients": pain["n"].astype(int),
            "Scale": [f"0–{m:g}" for m in pain["scale_max"]],
            "Baseline": mean_sd("pain_baseline"),
            "End of treatment": mean_sd("pain_end"),
            "In Fig. 2": ["yes" if s in fig2_ids else "no" for s in pain["study_id"]],
        }
    )


def paired_smds(paired: pd.DataFrame) -> pd.DataFrame:
    """The standardized rows of `analysis.paper.paired_sensitivity` (not the mean change in
    points), with a column ``standardizer``: what each SMD is divided by, in words."""
    _require(paired, ("measure",), "paired_smds", "paired")
    smds = paired[paired["measure"].isin(list(STANDARDIZERS))]
    return smds.assign(standardizer=smds["measure"].map(STANDARDIZERS))


def fig2_attempts_table(attempts: pd.DataFrame) -> pd.DataFrame:
    """Every reading of Fig. 2 (`analysis.paper.attempts_frame`), to show: the study set and
    SMD in words, the pooled SMD with its CI, p, I² and the two checks as "yes"/"no".

    Show it with ``formats={"I² %": ".2f"}``.
    """
    columns = ("study_set", "smd", "k", "estimate", "p_value", "i2", "i2_as_printed")
    _require(attempts, (*columns, "p_below_claim"), "fig2_attempts_table", "attempts")
    yes_no = {True: "yes", False: "no"}
    shown = attempts.assign(
        study_set=attempts["study_set"].map(
            {"fig2": "Fig. 2's studies", "all": "all with pain scores"}
        ),
        smd=attempts["smd"].map(SMD_LABELS),
        pooled=[
            estimate_with_ci(e, lo, hi)
            for e, lo, hi in attempts[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
        ],
        p_value=[f"{p:.1e}" for p in attempts["p_value"]],
        i2_as_printed=attempts["i2_as_printed"].map(yes_no),
        p_below_claim=attempts["p_below_claim"].map(yes_no),
    )
    headings = {
        "study_set": "Studies",
        "smd": "SMD",
        "k": "k",
        "pooled": "Pooled SMD (95% CI)",
        "p_value": "p (effect)",
        "i2": "I² %",
        "i2_as_printed": "I² as printed?",
        "p_below_claim": "p below the paper's bound?",
    }
    return shown[list(headings)].rename(columns=headings)
