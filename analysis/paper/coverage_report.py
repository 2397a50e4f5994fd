"""The coverage chapter's tables, chart data and sentences, from a `CoverageStudy`.

`analysis.paper.coverage` computes; this module only says it: the scenario table, the points of
the charts (`analysis.charts.coverage_chart`) and the facts and words the chapter glues, so
that every sentence follows the numbers (a change of the data or of the simulation that moves
the rule's choice changes the words).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts.coverage_chart import coverage_chart, width_chart
from analysis.charts.formatting import as_printed
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.simulation import monte_carlo_error
from analysis.paper.coverage import (
    INTERVALS,
    LEVEL,
    RULE,
    SHORTFALL_ALLOWED,
    TAU_MULTIPLIERS,
    TYPICAL,
    CoverageStudy,
    RuleChoice,
    primary_interval,
)
from analysis.paper.relief_rates import TIMEPOINTS

__all__ = [
    "CoverageFacts",
    "coverage_facts",
    "coverage_figures",
    "coverage_points",
    "coverage_table",
    "interval_name",
]


def interval_name(key: str, *, short: bool = False) -> str:
    """An interval's name as the chapter writes it, the primary model's marked as such."""
    method = INTERVALS[key]
    name = method.short if short else method.label
    return f"{name} (primary model)" if key == primary_interval() else name


PHRASES = {
    "paper": "paper's interval (raw proportions, DerSimonian–Laird, normal)",
    "logit_reml_hksj": "logit REML Hartung–Knapp interval",
    "logit_reml_z": "logit REML normal interval",
    "logit_dl_z": "logit DerSimonian–Laird normal interval",
    "freeman_tukey": "Freeman–Tukey interval",
    "glmm": "GLMM's Wald interval",
    "logit_reml_hksj_pi": "logit REML Hartung–Knapp prediction interval",
    "glmm_pi": "GLMM's prediction interval",
}
"""Each interval as a sentence names it, after "the"."""


def _outcome(outcome: str) -> str:
    return TIMEPOINTS[outcome].description.capitalize()


def coverage_points(study: CoverageStudy, kind: str = "confidence") -> pd.DataFrame:
    """The points of a coverage or width chart: one row per outcome, interval and tau.

    Parameters
    ----------
    study : CoverageStudy
    kind : {"confidence", "prediction"}
        Which intervals.

    Returns
    -------
    pandas.DataFrame
        ``panel`` (the outcome in words), ``interval`` (short name), ``multiplier`` (of the
        fitted tau), ``tau``, ``coverage``,
        ``mc_error``, ``median_width`` and ``text`` (coverage with its error and the width, for
        the tooltip).
    """
    table = study.table[study.table["kind"] == kind]
    return pd.DataFrame(
        {
            "panel": [_outcome(outcome) for outcome in table["outcome"]],
            "interval": [interval_name(key, short=True) for key in table["interval"]],
            "multiplier": table["multiplier"].to_numpy(),
            "tau": table["tau"].to_numpy(),
            "coverage": table["coverage"].to_numpy(),
            "mc_error": table["mc_error"].to_numpy(),
            "median_width": table["median_width"].to_numpy(),
            "text": [
                f"{_cell(row.coverage, row.mc_error)}; median width "
                f"{as_printed(100 * row.median_width, 0)} percentage points"
                for row in table.itertuples()
            ],
        }
    )


def _cell(coverage: float, mc_error: float) -> str:
    return f"{as_printed(100 * coverage, 1)}% ± {as_printed(100 * mc_error, 1)}"


def coverage_table(study: CoverageStudy, outcome: str) -> pd.DataFrame:
    """One outcome's scenarios as a table: a row per interval, a column per true tau.

    Each cell is the coverage in percent with its Monte-Carlo error, and the median width in
    percentage points, e.g. ``"94.8% ± 0.2 (33)"``.
    """
    table = study.table[study.table["outcome"] == outcome]
    columns = {}
    for multiplier in TAU_MULTIPLIERS:
        rows = table[table["multiplier"] == multiplier]
        tau = float(rows["tau"].iloc[0])
        name = f"τ = {as_printed(tau, 2)} ({as_printed(multiplier, 1)}×)"
        columns[name] = [
            f"{_cell(row.coverage, row.mc_error)} ({as_printed(100 * row.median_width, 0)})"
            for row in rows.itertuples()
        ]
    first = table[table["multiplier"] == TAU_MULTIPLIERS[0]]
    frame = pd.DataFrame(columns)
    frame.insert(0, "Target", [_target(key) for key in first["interval"]])
    frame.insert(0, "Interval", [interval_name(key, short=True) for key in first["interval"]])
    return frame


def _target(key: str) -> str:
    method = INTERVALS[key]
    if method.kind == "prediction":
        return "a new study's share"
    return "typical study's share" if method.target == TYPICAL else "mean of the studies' shares"


@dataclass(frozen=True)
class CoverageFacts(TidyResult):
    """The numbers and words the coverage chapter glues.

    Attributes
    ----------
    replicates, scenarios : int
        Meta-analyses per scenario, and scenarios.
    level_pct, shortfall_pct : float
        The nominal level in percent, and how far below it (in percentage points) the rule
        lets a coverage fall.
    rule : str
        The rule in words.
    k_immediate, k_followup : int
        Studies per simulated meta-analysis of each outcome.
    tau_immediate, tau_followup : float
        The fitted between-study standard deviations (logit scale).
    share_immediate_pct, share_followup_pct : float
        The typical study's true share of each outcome, in percent.
    paper_worst_pct, glmm_worst_pct, hksj_worst_pct : float
        The lowest coverage, over the scenarios, of the paper's interval (for its own target),
        the GLMM's Wald interval and the logit Hartung–Knapp interval, in percent.
    paper_typical_worst_pct : float
        The paper's interval's lowest coverage of the typical study's share.
    pi_worst_pct : float
        The lowest coverage of any prediction interval.
    no_interval : int
        Simulated meta-analyses, over every scenario and interval, with no interval.
    no_interval_words : str
        A sentence about them.
    closest_words : str
        A sentence naming the confidence interval whose lowest coverage is highest.
    pi_worst_multiplier : float
        The multiplier of the fitted tau at which a prediction interval covers least.
    chosen : str
        The interval the rule picks, in words (``"the ..."``), or ``"none of them"``.
    primary : str
        The primary model's confidence interval, in words.
    verdict : str
        One or two sentences: whether the rule's choice is the primary model's.
    passing : str
        The intervals that pass, in words (or ``"none"``).
    median_n : float
        The median size of the simulated studies (both outcomes' studies together).
    spreads : int
        True spreads per outcome (`TAU_MULTIPLIERS`).
    multipliers : str
        The multipliers in words, e.g. ``"0, 0.5, 1, 1.5 and 2"``.
    mc_error_pct : float
        The Monte-Carlo error of a coverage of `LEVEL` with ``replicates``, in percentage
        points.
    clinician : str
        What a clinician should take from it, in one sentence.
    """

    replicates: int
    scenarios: int
    level_pct: float
    shortfall_pct: float
    rule: str
    k_immediate: int
    k_followup: int
    tau_immediate: float
    tau_followup: float
    share_immediate_pct: float
    share_followup_pct: float
    paper_worst_pct: float
    glmm_worst_pct: float
    hksj_worst_pct: float
    paper_typical_worst_pct: float
    pi_worst_pct: float
    no_interval: int
    no_interval_words: str
    closest_words: str
    pi_worst_multiplier: float
    chosen: str
    primary: str
    verdict: str
    passing: str
    median_n: float
    spreads: int
    multipliers: str
    mc_error_pct: float
    clinician: str


def coverage_facts(study: CoverageStudy, choice: RuleChoice) -> CoverageFacts:
    """What the chapter says about ``study`` and the rule's ``choice``."""
    fitted = {s.outcome: s for s in study.scenarios if s.multiplier == 1.0}
    table = study.table
    confidence = table[table["kind"] == "confidence"]
    worst = confidence.groupby("interval")["coverage"].min()
    primary = PHRASES[choice.primary]
    closest = str(worst.idxmax())
    closest_words = (
        f"The interval that comes closest to its promise is the {PHRASES[closest]}: at least "
        f"{as_printed(100 * float(worst[closest]), 1)}% in every scenario."
    )
    if choice.agrees:
        verdict = (
            f"The rule picks the primary model's interval, the {primary}: the book's answer "
            "and the interval it trusts are the same."
        )
    elif choice.chosen:
        verdict = (
            f"The rule picks the {PHRASES[choice.chosen]}, not the primary model's "
            f"{primary}, which covers less often than it claims; read the primary model's "
            "interval as too narrow."
        )
    else:
        verdict = (
            "No interval passes the rule: each covers, in at least one scenario, less often "
            f"than the rule allows, the primary model's ({primary}) included. " + closest_words
        )
    missing = int(np.sum(table["no_interval"]))
    no_interval_words = (
        "Every simulated meta-analysis gave every interval a value."
        if missing == 0
        else f"{missing:,} times a simulated meta-analysis gave some interval no value (too "
        "few studies between 0% and 100% for the paper's method, or a fit that did not "
        "converge); those count as not covering."
    )
    prediction = table[table["kind"] == "prediction"]
    pi_worst = prediction.loc[prediction["coverage"].idxmin()]
    passing = [INTERVALS[key].label for key in choice.passing]
    sizes = [size for scenario in fitted.values() for size in scenario.n]
    ks = sorted(scenario.k for scenario in fitted.values())
    studies = f"{ks[0]} to {ks[-1]}" if ks[0] != ks[-1] else f"{ks[0]}"
    if choice.agrees:
        clinician = (
            f"with {studies} small studies like these, the primary model's interval keeps its "
            "promise."
        )
    else:
        keeps = PHRASES[choice.chosen] if choice.chosen else PHRASES[closest]
        clinician = (
            f"with {studies} small studies that disagree, read the paper's interval and the "
            f"primary model's as narrower than the truth allows; the {keeps} "
            + ("keeps its promise." if choice.chosen else "comes closest to keeping its promise.")
        )
    words = [as_printed(m, 1).removesuffix(".0") for m in TAU_MULTIPLIERS]
    return CoverageFacts(
        replicates=study.replicates,
        scenarios=len(study.scenarios),
        level_pct=100 * LEVEL,
        shortfall_pct=100 * SHORTFALL_ALLOWED,
        rule=RULE,
        k_immediate=fitted["immediate"].k,
        k_followup=fitted["followup"].k,
        tau_immediate=fitted["immediate"].tau,
        tau_followup=fitted["followup"].tau,
        share_immediate_pct=100 * fitted["immediate"].typical_share,
        share_followup_pct=100 * fitted["followup"].typical_share,
        paper_worst_pct=100 * float(worst["paper"]),
        glmm_worst_pct=100 * float(worst["glmm"]),
        hksj_worst_pct=100 * float(worst["logit_reml_hksj"]),
        paper_typical_worst_pct=100
        * float(confidence.loc[confidence["interval"] == "paper", "typical_coverage"].min()),
        pi_worst_pct=100 * float(table.loc[table["kind"] == "prediction", "coverage"].min()),
        no_interval=missing,
        no_interval_words=no_interval_words,
        closest_words=closest_words,
        pi_worst_multiplier=float(pi_worst["multiplier"]),
        chosen=f"the {PHRASES[choice.chosen]}" if choice.chosen else "none of them",
        primary=f"the {primary}",
        verdict=verdict,
        passing="; ".join(passing) if passing else "none",
        median_n=float(np.median(sizes)),
        spreads=len(TAU_MULTIPLIERS),
        multipliers=", ".join(words[:-1]) + f" and {words[-1]}",
        mc_error_pct=100 * monte_carlo_error(LEVEL, study.replicates),
        clinician=clinician,
    )


TAU_TITLE = "True spread between studies, × the fitted τ"


def coverage_figures(study: CoverageStudy) -> dict:
    """The chapter's three charts: ``"coverage"`` and ``"width"`` of the confidence intervals,
    ``"prediction"`` (coverage of the prediction intervals)."""
    errors = f"{study.replicates:,} simulated meta-analyses per point"
    bars = "Bars: ±2 Monte Carlo errors"
    nominal = f"Dashed: the {LEVEL:.0%} the interval promises"
    return {
        "coverage": coverage_chart(
            coverage_points(study),
            level=LEVEL,
            title=f"How often each {LEVEL:.0%} confidence interval contains the truth",
            subtitle=[errors, bars, nominal],
            x_title=TAU_TITLE,
        ),
        "width": width_chart(
            coverage_points(study),
            title=f"How wide each {LEVEL:.0%} confidence interval is",
            subtitle=["Median over the simulated meta-analyses"],
            x_title=TAU_TITLE,
        ),
        "prediction": coverage_chart(
            coverage_points(study, "prediction"),
            level=LEVEL,
            title=f"How often each {LEVEL:.0%} prediction interval contains a new study's share",
            subtitle=[errors, bars, nominal],
            x_title=TAU_TITLE,
        ),
    }
