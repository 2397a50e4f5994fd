"""How far the book's intervals can be trusted: a simulation of meta-analyses like the paper's.

Each scenario takes one relief outcome's studies (their number and sizes, each trial once) and a
truth on the logit scale: the mean ``mu`` of the binomial–normal model (GLMM) fitted to the
outcome's counts, and a between-study standard deviation ``tau`` from a grid around the fitted
one (`TAU_MULTIPLIERS`). From each truth it draws `replicates` meta-analyses
(`analysis.metaanalysis.simulation.simulate_proportions`), computes on every one the intervals
the book prints (`INTERVALS`), all at once (`analysis.metaanalysis.batch.pool_batch` and the
batch GLMM), and counts how often each contains its target. `trusted_interval` applies the
chapter's rule, declared before the results (`RULE`).

References
----------
Morris TP, White IR, Crowther MJ (2019). Using simulation studies to evaluate statistical
methods. Statistics in Medicine 38:2074–2102.
IntHout J, Ioannidis JPA, Borm GF (2014). The Hartung–Knapp–Sidik–Jonkman method for random
effects meta-analysis is straightforward and considerably outperforms the standard
DerSimonian–Laird method. BMC Medical Research Methodology 14:25.
Stijnen T, Hamza TH, Özdemir P (2010). Random effects meta-analysis of event outcome in the
framework of the generalized linear mixed model with applications in sparse data. Statistics
in Medicine 29:3046–3067.
"""

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from analysis.metaanalysis.batch import pool_batch
from analysis.metaanalysis.distributions import t_quantile
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.glmm import glmm_proportions
from analysis.metaanalysis.glmm_batch import glmm_batch
from analysis.metaanalysis.proportions import inverse_freeman_tukey_hm, transformed_proportions
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.simulation import (
    SimulatedProportions,
    interval_coverage,
    simulate_proportions,
)
from analysis.paper.primary import PRIMARY_MODELS, RELIEF_MODEL
from analysis.paper.robustness import relief_counts

__all__ = [
    "DEFAULT_REPLICATES",
    "INTERVALS",
    "OUTCOMES",
    "REPLICATES_VARIABLE",
    "RULE",
    "SEED",
    "TAU_MULTIPLIERS",
    "CoverageStudy",
    "IntervalMethod",
    "RuleChoice",
    "Scenario",
    "coverage_scenarios",
    "coverage_study",
    "primary_interval",
    "replicates_setting",
    "simulated_intervals",
    "trusted_interval",
]

REPLICATES_VARIABLE = "KETAMINE_COVERAGE_REPLICATES"
"""Environment variable that sets the replicates per scenario (the data-edit runner sets a few
hundred, so that each data edit still runs the chapter quickly)."""

DEFAULT_REPLICATES = 10_000
"""Replicates per scenario: a Monte-Carlo error of about 0.2 percentage points at 95%."""

TAU_MULTIPLIERS = (0.0, 0.5, 1.0, 1.5, 2.0)
"""The true between-study standard deviation of each scenario, as a multiple of the one the
GLMM estimates from the outcome's data: from no heterogeneity to twice the estimate."""

OUTCOMES = ("immediate", "followup")
"""The relief outcomes simulated (each with its own studies and fitted truth)."""

SEED = 2018
"""Seed of the first scenario; scenario ``s`` (in `coverage_scenarios` order) uses ``SEED + s``."""

LEVEL = 0.95
"""Nominal level of every interval."""

SHORTFALL_ALLOWED = 0.01
"""How far below `LEVEL` an interval's coverage may fall in a scenario: one percentage point, a
shortfall a reader of a 95% interval would not act on. (A first bar, `LEVEL` minus two
Monte-Carlo errors, about 94.5% at 10,000 replicates, was met by no interval: the best, the
logit Hartung–Knapp interval, fell 0.3 points short in one scenario.)"""

RULE = (
    "the narrowest confidence interval whose coverage is at least "
    f"{LEVEL - SHORTFALL_ALLOWED:.0%} (one percentage point under the promised {LEVEL:.0%}) in "
    "every scenario (narrowest: the "
    "smallest mean, over the scenarios, of its median width)"
)
"""The rule that picks the interval the book trusts, in words (`trusted_interval`)."""

TYPICAL = "typical"
MEAN = "mean"
TARGET_WORDS = {
    TYPICAL: "the typical study's share, expit(mu)",
    MEAN: "the mean of the studies' shares, E[p]",
    "new study": "a new study's true share",
}
"""What each kind of interval is judged against."""


@dataclass(frozen=True)
class IntervalMethod(TidyResult):
    """One interval the book prints, as the simulation computes it.

    Attributes
    ----------
    key : str
        Short name (a key of `INTERVALS`).
    short : str
        A few words, for a chart's legend.
    label : str
        The interval in words.
    kind : str
        ``"confidence"`` (for the pooled share) or ``"prediction"`` (for a new study's share).
    target : str
        What it is judged against: a key of `TARGET_WORDS`.
    model : str
        The model it belongs to, as `analysis.paper.primary.PRIMARY_MODELS` names models
        (the GLMM) or as the book's other chapters name it.
    """

    key: str
    short: str
    label: str
    kind: str
    target: str
    model: str


_GLMM_MODEL = "binomial–normal model (GLMM)"

INTERVALS = {
    method.key: method
    for method in (
        IntervalMethod(
            "paper",
            "The paper's: raw, DL, normal",
            "Raw proportions, DerSimonian–Laird, normal interval (the paper's; 0% and 100% "
            "studies left out)",
            "confidence",
            MEAN,
            "raw proportions, DerSimonian–Laird",
        ),
        IntervalMethod(
            "logit_reml_hksj",
            "Logit, REML, Hartung–Knapp",
            "Logit, REML, Hartung–Knapp interval",
            "confidence",
            TYPICAL,
            RELIEF_MODEL,
        ),
        IntervalMethod(
            "logit_reml_z",
            "Logit, REML, normal",
            "Logit, REML, normal interval",
            "confidence",
            TYPICAL,
            "logit, REML",
        ),
        IntervalMethod(
            "logit_dl_z",
            "Logit, DL, normal",
            "Logit, DerSimonian–Laird, normal interval",
            "confidence",
            TYPICAL,
            "logit, DerSimonian–Laird",
        ),
        IntervalMethod(
            "freeman_tukey",
            "Freeman–Tukey, DL, normal",
            "Freeman–Tukey, DerSimonian–Laird, normal interval",
            "confidence",
            TYPICAL,
            "Freeman–Tukey, DerSimonian–Laird",
        ),
        IntervalMethod(
            "glmm",
            "GLMM, Wald",
            "Binomial–normal model (GLMM), Wald interval",
            "confidence",
            TYPICAL,
            _GLMM_MODEL,
        ),
        IntervalMethod(
            "logit_reml_hksj_pi",
            "Prediction: logit, REML, Hartung–Knapp",
            "Prediction interval: logit, REML, Hartung–Knapp",
            "prediction",
            "new study",
            "logit, REML",
        ),
        IntervalMethod(
            "glmm_pi",
            "Prediction: GLMM",
            "Prediction interval: binomial–normal model (GLMM)",
            "prediction",
            "new study",
            _GLMM_MODEL,
        ),
    )
}
"""The intervals simulated, in the order the chapter shows them."""


@dataclass(frozen=True)
class Scenario(TidyResult):
    """One truth to simulate from.

    Attributes
    ----------
    outcome : str
        The relief outcome whose studies it copies (a key of `OUTCOMES`).
    multiplier : float
        ``tau`` as a multiple of the fitted one (`TAU_MULTIPLIERS`).
    mu, tau : float
        The truth: mean and standard deviation of the study logits.
    k : int
        Studies per meta-analysis.
    n : tuple of int
        Their sizes, as in the data.
    seed : int
        Seed of its draws.
    """

    outcome: str
    multiplier: float
    mu: float
    tau: float
    k: int
    n: tuple[int, ...]
    seed: int

    @property
    def typical_share(self) -> float:
        """``expit(mu)``, the typical study's true share."""
        return float(special.expit(self.mu))


def coverage_scenarios() -> list[Scenario]:
    """The scenarios: each outcome of `OUTCOMES` times each multiplier of `TAU_MULTIPLIERS`.

    The truth of an outcome is the GLMM (``glmm_proportions``) fitted to its whole-patient
    counts, each trial once (`analysis.paper.robustness.relief_counts`); its ``mu`` is kept and
    its ``tau = sqrt(tau2)`` is multiplied.
    """
    scenarios = []
    for outcome in OUTCOMES:
        events, n = relief_counts(outcome)
        fit = glmm_proportions(events, n)
        for multiplier in TAU_MULTIPLIERS:
            scenarios.append(
                Scenario(
                    outcome,
                    multiplier,
                    float(fit.mu),
                    float(multiplier * np.sqrt(fit.tau2)),
                    len(n),
                    tuple(int(size) for size in n),
                    SEED + len(scenarios),
                )
            )
    return scenarios


def replicates_setting() -> int:
    """Replicates per scenario: `REPLICATES_VARIABLE` if set (a whole number >= 10), else
    `DEFAULT_REPLICATES`."""
    text = os.environ.get(REPLICATES_VARIABLE, "").strip()
    if not text:
        return DEFAULT_REPLICATES
    if not text.isdigit() or int(text) < 10:
        raise InputError(
            f"{REPLICATES_VARIABLE}={text!r} must be a whole number of replicates >= 10"
        )
    return int(text)


def simulated_intervals(draws: SimulatedProportions) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every interval of `INTERVALS` on every simulated meta-analysis, as shares.

    Returns
    -------
    dict
        ``{key: (low, high)}``, arrays of length B; NaN where the method gives no interval (a
        paper's row with fewer than 2 studies between 0% and 100%, an iterative fit that did
        not converge, a GLMM not estimable).
    """
    events = draws.events
    n = np.broadcast_to(draws.n, events.shape)
    intervals = {}

    raw_yi, raw_vi = transformed_proportions(events, n, "PR", to="none")
    kept = (events > 0) & (events < n)
    intervals["paper"] = _pooled(raw_yi, raw_vi, kept, "DL", "z", lambda x: x)

    logit_yi, logit_vi = transformed_proportions(events, n, "PLO")
    every = np.ones(events.shape, dtype=bool)
    hksj = pool_batch(logit_yi, logit_vi, "REML", ci="hksj", level=LEVEL)
    intervals["logit_reml_hksj"] = _back(hksj.ci_low, hksj.ci_high, hksj.converged)
    intervals["logit_reml_z"] = _pooled(logit_yi, logit_vi, every, "REML", "z", special.expit)
    intervals["logit_dl_z"] = _pooled(logit_yi, logit_vi, every, "DL", "z", special.expit)

    ft_yi, ft_vi = transformed_proportions(events, n, "PFT")
    ft = pool_batch(ft_yi, ft_vi, "DL", level=LEVEL)
    intervals["freeman_tukey"] = (
        inverse_freeman_tukey_hm(ft.ci_low, draws.n),
        inverse_freeman_tukey_hm(ft.ci_high, draws.n),
    )

    glmm = glmm_batch(events, n, level=LEVEL)
    usable = np.asarray(glmm.estimable) & np.asarray(glmm.converged)
    intervals["glmm"] = _back(glmm.ci_low, glmm.ci_high, usable)

    intervals["logit_reml_hksj_pi"] = _back(hksj.pi_t_low, hksj.pi_t_high, hksj.converged)
    with np.errstate(invalid="ignore"):
        half = t_quantile(0.5 + LEVEL / 2, np.asarray(glmm.k) - 2) * np.sqrt(
            np.asarray(glmm.se) ** 2 + np.asarray(glmm.tau2)
        )
    mu = np.asarray(glmm.mu)
    intervals["glmm_pi"] = _back(mu - half, mu + half, usable)
    return intervals


def _back(low: object, high: object, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logit limits back to shares, NaN where ``usable`` is False."""
    ok = np.asarray(usable, dtype=bool)
    return (
        np.where(ok, special.expit(np.asarray(low, dtype=float)), np.nan),
        np.where(ok, special.expit(np.asarray(high, dtype=float)), np.nan),
    )


def _pooled(yi, vi, mask, method, ci, back) -> tuple[np.ndarray, np.ndarray]:
    """``pool_batch`` on the rows with at least 2 studies in ``mask``; NaN in the others."""
    low = np.full(yi.shape[0], np.nan)
    high = np.full(yi.shape[0], np.nan)
    rows = np.flatnonzero(mask.sum(axis=1) >= 2)
    if rows.size:
        fit = pool_batch(yi[rows], vi[rows], method, ci=ci, level=LEVEL, mask=mask[rows])
        ok = np.asarray(fit.converged, dtype=bool)
        low[rows] = np.where(ok, back(fit.ci_low), np.nan)
        high[rows] = np.where(ok, back(fit.ci_high), np.nan)
    return low, high


@dataclass(frozen=True)
class CoverageStudy(TidyResult):
    """The simulation's results (`coverage_study`).

    Attributes
    ----------
    replicates : int
        Meta-analyses drawn per scenario.
    scenarios : tuple of Scenario
        The truths, in order.
    table : pandas.DataFrame
        One row per scenario and interval: ``outcome``, ``multiplier``, ``tau``, ``k``,
        ``interval`` (key of `INTERVALS`), ``label``, ``kind``, ``target``, ``truth`` (the
        target's value; NaN for prediction intervals, whose target differs per replicate),
        ``coverage``, ``mc_error``, ``median_width``, ``no_interval`` and
        ``typical_coverage`` (coverage of the typical study's share, the clinician's
        question, for the confidence intervals).
    """

    replicates: int
    scenarios: tuple[Scenario, ...]
    table: pd.DataFrame


def coverage_study(replicates: int | None = None) -> CoverageStudy:
    """Simulate every scenario and judge every interval: the chapter's computation.

    Parameters
    ----------
    replicates : int, optional
        Meta-analyses per scenario; default `replicates_setting` (10,000 unless
        `REPLICATES_VARIABLE` says otherwise).
    """
    if replicates is None:
        replicates = replicates_setting()
    scenarios = coverage_scenarios()
    rows = []
    for scenario in scenarios:
        draws = simulate_proportions(
            scenario.mu, scenario.tau, scenario.n, replicates, scenario.seed
        )
        truths = {
            TYPICAL: draws.typical_proportion,
            MEAN: draws.mean_proportion,
            "new study": draws.new_study_proportion,
        }
        for key, (low, high) in simulated_intervals(draws).items():
            method = INTERVALS[key]
            judged = interval_coverage(low, high, truths[method.target])
            typical = (
                interval_coverage(low, high, draws.typical_proportion).coverage
                if method.kind == "confidence"
                else float("nan")
            )
            rows.append(
                {
                    "outcome": scenario.outcome,
                    "multiplier": scenario.multiplier,
                    "tau": scenario.tau,
                    "k": scenario.k,
                    "interval": key,
                    "label": method.label,
                    "kind": method.kind,
                    "target": method.target,
                    "truth": truths[method.target] if method.kind == "confidence" else np.nan,
                    "coverage": judged.coverage,
                    "mc_error": judged.mc_error,
                    "median_width": judged.median_width,
                    "no_interval": judged.no_interval,
                    "typical_coverage": typical,
                }
            )
    return CoverageStudy(replicates, tuple(scenarios), pd.DataFrame(rows))


@dataclass(frozen=True)
class RuleChoice(TidyResult):
    """What `RULE` picks from a `CoverageStudy`.

    Attributes
    ----------
    chosen : str
        The key of the interval the rule picks; empty when no interval passes.
    chosen_label : str
        Its label; empty when none passes.
    passing : tuple of str
        The confidence intervals that cover well enough in every scenario, narrowest first.
    failing : tuple of str
        Those that do not.
    worst_coverage : dict
        ``{key: lowest coverage over the scenarios}`` for every confidence interval.
    primary : str
        The key of the primary model's interval (`primary_interval`).
    agrees : bool
        Whether the rule picks the primary model's interval.
    """

    chosen: str
    chosen_label: str
    passing: tuple[str, ...]
    failing: tuple[str, ...]
    worst_coverage: dict
    primary: str
    agrees: bool


def trusted_interval(study: CoverageStudy) -> RuleChoice:
    """Apply `RULE`: the narrowest confidence interval that covers well enough everywhere.

    An interval passes when, in every scenario, its coverage of its own target is at least
    ``LEVEL - SHORTFALL_ALLOWED``; of those that pass, the rule picks the one with
    the smallest mean (over the scenarios) of its median widths.
    """
    table = study.table[study.table["kind"] == "confidence"]
    if table.empty:
        raise InputError("trusted_interval: the study has no confidence intervals")
    enough = table["coverage"] >= LEVEL - SHORTFALL_ALLOWED
    passes = enough.groupby(table["interval"], sort=False).all()
    width = table.groupby("interval", sort=False)["median_width"].mean()
    passing = tuple(width[passes[passes].index].sort_values(kind="stable").index)
    failing = tuple(key for key in passes.index if key not in passing)
    chosen = passing[0] if passing else ""
    primary = primary_interval()
    return RuleChoice(
        chosen=chosen,
        chosen_label=INTERVALS[chosen].label if chosen else "",
        passing=passing,
        failing=failing,
        worst_coverage={
            key: float(value)
            for key, value in table.groupby("interval", sort=False)["coverage"].min().items()
        },
        primary=primary,
        agrees=chosen == primary,
    )


def primary_interval() -> str:
    """The key of `INTERVALS` for the confidence interval of the relief outcomes' primary model
    (`analysis.paper.primary.PRIMARY_MODELS`)."""
    models = {PRIMARY_MODELS[outcome].model for outcome in OUTCOMES}
    keys = [
        key
        for key, method in INTERVALS.items()
        if method.kind == "confidence" and method.model in models
    ]
    if len(models) != 1 or len(keys) != 1:
        raise InputError(
            f"primary_interval: the primary models {sorted(models)} match the intervals {keys}; "
            "expected one model with one confidence interval"
        )
    return keys[0]
