"""The paper's analyses redone the way current guidance recommends, beside the paper's own.

Each re-analysis reports the pooled estimate, its confidence interval and a prediction interval
computed the same way for every model: ``mu -/+ t_{k-2} sqrt(se^2 + tau2)`` on the scale the
model pools on (Higgins, Thompson & Spiegelhalter 2009), transformed back to the outcome's
scale, so the rows of a table are comparable.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special

from analysis.metaanalysis.distributions import t_quantile
from analysis.metaanalysis.glmm import glmm_proportions
from analysis.metaanalysis.pooling import PoolResult, pool, prediction_interval
from analysis.metaanalysis.proportions import proportion_effect_sizes
from analysis.metaanalysis.results import TidyResult
from analysis.paper.analyses import pain_analysis, relief_analysis
from analysis.paper.pain_scores import pain_inputs, paired_effects
from analysis.paper.relief_rates import InputChoice, rate_inputs
from analysis.paper.trials import PRIMARY_TRIAL_RULE, select_reports

PAIRED_R = 0.5
"""Within-patient correlation assumed for the paired pain re-analysis (the middle of the
0.2–0.8 range the pooling chapter explores)."""

TRIAL_WORDS = {
    "every_report": "every report",
    "one_per_trial": "each trial once",
    "no_overlap": "each trial once, suspected overlaps left out",
}
"""The trial rules (`analysis.paper.trials.TRIAL_RULES`) as the labels of a re-analysis say
them."""


@dataclass(frozen=True)
class Reanalysis(TidyResult):
    """One analysis of one outcome.

    Attributes
    ----------
    label : str
        What was done, in words.
    is_paper : bool
        Whether it is the paper's own analysis.
    k : int
        Studies pooled.
    estimate, ci_low, ci_high : float
        Pooled estimate and 95% CI on the outcome's scale (proportion, SMD or points).
    pi_low, pi_high : float
        95% prediction interval (t with k - 2 df), on the outcome's scale.
    tau2 : float
        Between-study variance on the scale of the model.
    """

    label: str
    is_paper: bool
    k: int
    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float
    tau2: float


def _from_pool(label: str, fit: PoolResult, is_paper: bool = False, back=lambda x: x):
    low, high = prediction_interval(fit)
    values = back(np.array([fit.estimate, fit.ci_low, fit.ci_high, low, high]))
    return Reanalysis(label, is_paper, fit.k, *map(float, values), fit.tau2)


def relief_logit(key: str, trials: str = PRIMARY_TRIAL_RULE) -> Reanalysis:
    """Relief at one time point on the logit scale: REML, Hartung–Knapp interval, whole-patient
    counts, every study (the 0% study too), each trial once under ``trials``."""
    events, n = relief_counts(key, trials)
    logit = proportion_effect_sizes(events, n, "PLO")
    return _from_pool(
        f"Logit scale, REML, Hartung–Knapp interval, whole-patient counts, {TRIAL_WORDS[trials]}",
        pool(logit.yi, logit.vi, "REML", ci="hksj"),
        back=special.expit,
    )


def relief_glmm(key: str, trials: str = PRIMARY_TRIAL_RULE) -> Reanalysis:
    """Relief at one time point by the binomial–normal model (GLMM, maximum likelihood) on
    whole-patient counts, every study, each trial once under ``trials``; its prediction
    interval is ``expit(mu -/+ t_{k-2} sqrt(se^2 + tau2))``."""
    events, n = relief_counts(key, trials)
    glmm = glmm_proportions(events, n)
    half = t_quantile(0.975, glmm.k - 2) * np.sqrt(glmm.se**2 + glmm.tau2)
    pi = special.expit([glmm.mu - half, glmm.mu + half])
    return Reanalysis(
        "Binomial–normal model (GLMM, maximum likelihood), whole-patient counts, "
        + TRIAL_WORDS[trials],
        False,
        glmm.k,
        glmm.estimate,
        glmm.ci_low,
        glmm.ci_high,
        float(pi[0]),
        float(pi[1]),
        glmm.tau2,
    )


def relief_counts(key: str, trials: str = PRIMARY_TRIAL_RULE) -> tuple[np.ndarray, np.ndarray]:
    """Whole-patient responders and patients of each study of one relief outcome (each
    percentage of Table 1 times the study's size, rounded to a whole patient), with reports of
    one trial entering under ``trials``: what the logit model and the GLMM pool."""
    counts = select_reports(rate_inputs(key, InputChoice(proportions="counts")), trials)
    return np.round(counts["events"].to_numpy()), counts["n"].to_numpy()


def relief_reanalyses(key: str) -> list[Reanalysis]:
    """The paper's pooled relief rate, the logit model and the GLMM, for one time point."""
    analysis = relief_analysis(key)
    paper = _from_pool(
        "The paper: raw proportions, DerSimonian–Laird, normal interval, rounded "
        "percentages, the 0% study left out",
        pool(analysis.yi, analysis.vi, "DL"),
        is_paper=True,
    )
    return [paper, relief_logit(key), relief_glmm(key)]


def pain_points(r: float = PAIRED_R, trials: str = PRIMARY_TRIAL_RULE) -> Reanalysis:
    """The paired mean fall in pain in points on a 0–10 scale (within-patient correlation
    ``r``), REML with a Hartung–Knapp interval, each trial once under ``trials``."""
    points = paired_effects(pain_inputs("all", trials=trials), r, "MC")
    return _from_pool(
        f"Paired mean change in points on a 0–10 scale (r = {r}), {TRIAL_WORDS[trials]} "
        "with pain scores, REML, Hartung–Knapp",
        pool(points.yi, points.vi, "REML", ci="hksj"),
    )


def pain_reanalyses(r: float = PAIRED_R) -> list[Reanalysis]:
    """The paper's pain SMD (closest reproduction) and the paired re-analyses, SMD and points,
    each trial once."""
    paper = pain_analysis()
    smcc = paired_effects(pain_inputs("all", trials=PRIMARY_TRIAL_RULE), r, "SMCC")
    return [
        _from_pool(
            "The paper (closest reproduction): two groups, Cohen's d, Fig. 2's studies, "
            "DerSimonian–Laird, normal interval",
            pool(paper.yi, paper.vi, "DL"),
            is_paper=True,
        ),
        _from_pool(
            f"Paired SMD (change-score SD, r = {r}), {TRIAL_WORDS[PRIMARY_TRIAL_RULE]} with "
            "pain scores, REML, Hartung–Knapp",
            pool(smcc.yi, smcc.vi, "REML", ci="hksj"),
        ),
        pain_points(r),
    ]
