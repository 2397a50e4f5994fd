"""A multiverse of the relief-rate and pain-score analyses: every defensible choice at once.

Each analysis in the paper rests on choices the paper made silently: the scale the rates are
pooled on, the estimator of tau², the interval for the pooled effect, which numbers go in, and
which studies. Here each choice has its defensible options, every combination that makes sense
is computed, and the results are returned as one table, one row per specification, for a
specification-curve chart (Simonsohn, Simmons & Nelson 2020; Steegen et al. 2016).

A specification is a reading of how to pool (`analysis.paper.readings.Reading`), and
`RateSpecification.reading` gives it as one: its departures from the paper's choices are its
assumption. The multiverse itself does not judge its specifications against the printed
digits: its question is how far the result moves, not which specification the paper used (the
inputs of Fig. 4 are judged by `analysis.paper.relief_rates.input_readings`). Forcing every
specification through `analysis.paper.readings.judge` would give almost all of them the status
"not reproducible" and say nothing the specification curve does not show better, so the
specifications stay a dataclass of choices that can turn itself into a reading.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from itertools import product

import numpy as np
import pandas as pd

from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.glmm import glmm_proportions
from analysis.metaanalysis.mean_effects import SMD_METHODS
from analysis.metaanalysis.pooling import pool
from analysis.metaanalysis.proportions import pool_proportions
from analysis.metaanalysis.results import TidyResult
from analysis.paper.pain_scores import pain_inputs, paired_effects, two_group_smd
from analysis.paper.readings import Reading, reading
from analysis.paper.relief_rates import PAPER_INPUTS, InputChoice, rate_inputs

ESTIMATORS = ("DL", "REML", "PM")
INTERVALS = ("z", "hksj")

RATE_CHOICES = {
    "scale": {
        "PR": "raw proportion (the paper)",
        "PLO": "logit",
        "PFT": "Freeman–Tukey",
        "GLMM": "binomial–normal (GLMM)",
    },
    "estimator": {
        "DL": "DerSimonian–Laird (the paper)",
        "REML": "REML",
        "PM": "Paule–Mandel",
        "ML": "maximum likelihood (GLMM)",
    },
    "interval": {"z": "normal (the paper)", "hksj": "Hartung–Knapp"},
    "inputs": {"figure": "rounded percentages (the paper)", "counts": "whole-patient counts"},
    "inclusion": {"paper": "0% study left out (the paper)", "all": "0% study kept"},
    "sample_size": {"analysed": "n as printed (the paper)", "enrolled": "n enrolled"},
}
"""The choices for the relief rates, each option with a short description."""


@dataclass(frozen=True)
class RateSpecification(TidyResult):
    """One way of pooling a relief rate.

    Attributes
    ----------
    scale : str
        ``"PR"`` raw proportions with Wald variances (the paper), ``"PLO"`` logit,
        ``"PFT"`` Freeman–Tukey double arcsine, ``"GLMM"`` binomial–normal model.
    estimator : str
        tau² estimator: ``"DL"``, ``"REML"``, ``"PM"``; ``"ML"`` for the GLMM.
    interval : str
        ``"z"`` or ``"hksj"`` (the GLMM: ``"z"``).
    inputs : str
        ``"figure"``: Table 1's percentages rounded as Fig. 4 (raw scale only); ``"counts"``:
        whole patients (needed by the other scales).
    inclusion : str
        ``"paper"``: the study with 0% responders left out; ``"all"``: kept (on the raw scale
        with metafor's continuity correction of 1/2).
    sample_size : str
        ``"analysed"`` or ``"enrolled"`` (differs only for Schwartzman 2009, immediately after
        treatment).
    """

    scale: str
    estimator: str
    interval: str
    inputs: str
    inclusion: str
    sample_size: str

    @property
    def is_paper(self) -> bool:
        """Whether this is the specification of the paper's Fig. 4."""
        return self == PAPER_SPECIFICATION

    def describe(self) -> str:
        """The choices in words (`RATE_CHOICES`)."""
        return "; ".join(RATE_CHOICES[choice][option] for choice, option in asdict(self).items())

    def reading(self, result: "SpecificationResult") -> Reading:
        """The specification as a reading of Fig. 4's overall estimate and limits.

        Its assumption lists the choices that depart from the paper's (None for the paper's own
        specification).
        """
        paper = asdict(PAPER_SPECIFICATION)
        departures = [
            f"{choice}: {RATE_CHOICES[choice][option]}"
            for choice, option in asdict(self).items()
            if option != paper[choice]
        ]
        return reading(
            ", ".join(asdict(self).values()),
            {"estimate": result.estimate, "ci_low": result.ci_low, "ci_high": result.ci_high},
            self.describe(),
            assumption="; ".join(departures) or None,
        )


PAPER_SPECIFICATION = RateSpecification("PR", "DL", "z", "figure", "paper", "analysed")
"""The specification of the paper's Fig. 4."""


def rate_specifications(key: str) -> list[RateSpecification]:
    """Every defensible specification for one time point (``"immediate"``/``"followup"``).

    The sample-size choice is offered only where it changes an input (immediately after
    treatment); the rounded percentages only on the raw scale, where the paper used them.
    """
    sizes = ("analysed", "enrolled") if _enrolled_differs(key) else ("analysed",)
    specifications = []
    for scale, sample_size, inclusion in product(
        ("PR", "PLO", "PFT", "GLMM"), sizes, ("paper", "all")
    ):
        if scale == "GLMM":
            specifications.append(
                RateSpecification(scale, "ML", "z", "counts", inclusion, sample_size)
            )
            continue
        inputs_options = (
            ("figure", "counts") if scale == "PR" and inclusion == "paper" else ("counts",)
        )
        for estimator, interval, inputs in product(ESTIMATORS, INTERVALS, inputs_options):
            specifications.append(
                RateSpecification(scale, estimator, interval, inputs, inclusion, sample_size)
            )
    return specifications


def _enrolled_differs(key: str) -> bool:
    analysed = rate_inputs(key, PAPER_INPUTS)["n"]
    enrolled = rate_inputs(key, InputChoice(sample_size="enrolled"))["n"]
    return bool((analysed != enrolled).any())


@dataclass(frozen=True)
class SpecificationResult(TidyResult):
    """The pooled result of one specification, on the scale of the outcome.

    Attributes
    ----------
    estimate, ci_low, ci_high : float
        Pooled estimate and confidence limits (relief rates: proportions).
    pi_low, pi_high : float
        Prediction interval (as `analysis.pool` reports it, back-transformed).
    tau2 : float
        Between-study variance on the scale of the model.
    k : int
        Studies pooled.
    """

    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float
    tau2: float
    k: int


def run_rate_specification(key: str, spec: RateSpecification) -> SpecificationResult:
    """Pool one relief rate as ``spec`` says."""
    choice = InputChoice(
        proportions="figure" if spec.inputs == "figure" else "counts",
        sample_size=spec.sample_size,
    )
    inputs = rate_inputs(key, choice)
    if spec.inclusion == "paper":
        inputs = inputs[inputs["vi"] > 0]
    if spec.scale == "PR" and spec.inputs == "figure":
        fit = pool(inputs["yi"], inputs["vi"], spec.estimator, ci=spec.interval)
        return _result(fit.estimate, fit.ci_low, fit.ci_high, fit.pi_low, fit.pi_high, fit)
    events = np.round(inputs["events"].to_numpy())
    n = inputs["n"].to_numpy()
    if spec.scale == "GLMM":
        fit = glmm_proportions(events, n)
        return SpecificationResult(
            fit.estimate, fit.ci_low, fit.ci_high, fit.pi_low, fit.pi_high, fit.tau2, fit.k
        )
    fit = pool_proportions(events, n, spec.scale, spec.estimator, ci=spec.interval)
    return _result(fit.estimate, fit.ci_low, fit.ci_high, fit.pi_low, fit.pi_high, fit.pooled)


def _result(estimate, ci_low, ci_high, pi_low, pi_high, fit) -> SpecificationResult:
    return SpecificationResult(
        float(estimate), float(ci_low), float(ci_high), float(pi_low), float(pi_high),
        fit.tau2, fit.k,
    )  # fmt: skip


def rate_multiverse(key: str) -> pd.DataFrame:
    """Every specification of one relief rate with its result, sorted by the estimate.

    Returns
    -------
    pandas.DataFrame
        The choice columns of `RateSpecification`, ``is_paper``, the fields of
        `SpecificationResult`, ``rank`` (1 = smallest estimate), and ``endorsement`` and
        ``why_not`` (`endorse` with `RATE_NOT_ENDORSED`).
    """
    rows = []
    for spec in rate_specifications(key):
        result = run_rate_specification(key, spec)
        rows.append({**asdict(spec), "is_paper": spec.is_paper, **asdict(result)})
    return endorse(_ranked(pd.DataFrame(rows)), RATE_NOT_ENDORSED)


PAIN_CHOICES = {
    "effect": {
        **{f"two-group {m}": f"two groups, {m}" for m in SMD_METHODS},
        **{f"paired change r={r}": f"paired, change SD, r = {r}" for r in (0.2, 0.5, 0.8)},
        **{f"paired baseline r={r}": f"paired, baseline SD, r = {r}" for r in (0.2, 0.5, 0.8)},
    },
    "studies": {"fig2": "Fig. 2's ten (the paper)", "all": "all with pain scores"},
    "reports": {
        "every_report": "every report (the paper)",
        "one_per_trial": "each trial once",
        "no_overlap": "each trial once, suspected overlap out",
    },
    "estimator": {"DL": "DerSimonian–Laird (the paper)", "REML": "REML", "PM": "Paule–Mandel"},
    "interval": {"z": "normal (the paper)", "hksj": "Hartung–Knapp"},
}
"""The choices for the pain-score SMD."""


def pain_multiverse() -> pd.DataFrame:
    """Every specification of the pain-score SMD with its result, sorted by the estimate.

    Two-group SMDs (the paper's way, four formulas) and paired SMDs (standardized by the change
    or the baseline SD, r = 0.2, 0.5, 0.8), for Fig. 2's studies or all with pain scores, every
    report or each trial once (`analysis.paper.trials.TRIAL_RULES`), with each tau² estimator
    and interval. The paper's specification: two-group Cohen's d, Fig. 2's studies, every
    report, DL, z. The ``endorsement`` column marks each (`PAIN_NOT_ENDORSED`).
    """
    rows = []
    for studies, reports in product(PAIN_CHOICES["studies"], PAIN_CHOICES["reports"]):
        frame = pain_inputs(studies, trials=reports)
        effects = {f"two-group {m}": two_group_smd(frame, m) for m in SMD_METHODS}
        for r in (0.2, 0.5, 0.8):
            effects[f"paired change r={r}"] = paired_effects(frame, r, "SMCC")
            effects[f"paired baseline r={r}"] = paired_effects(frame, r, "SMCR")
        for (name, es), estimator, interval in product(effects.items(), ESTIMATORS, INTERVALS):
            fit = pool(es.yi, es.vi, estimator, ci=interval)
            rows.append(
                {
                    "effect": name,
                    "studies": studies,
                    "reports": reports,
                    "estimator": estimator,
                    "interval": interval,
                    "is_paper": (name, studies, reports, estimator, interval)
                    == ("two-group cohen", "fig2", "every_report", "DL", "z"),
                    **asdict(
                        _result(
                            fit.estimate, fit.ci_low, fit.ci_high, fit.pi_low, fit.pi_high, fit
                        )
                    ),
                }
            )
    return endorse(_ranked(pd.DataFrame(rows)), PAIN_NOT_ENDORSED)


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["estimate", "ci_low"], kind="stable").reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame


def summary(frame: pd.DataFrame, null: float | None = None) -> dict[str, float]:
    """Headline numbers of a multiverse: its size, the range of estimates, the paper's place.

    With ``null`` (e.g. 0 for an SMD), also the share of specifications whose confidence
    interval excludes it.
    """
    paper = frame[frame["is_paper"]].iloc[0]
    out = {
        "n_specifications": len(frame),
        "estimate_min": float(frame["estimate"].min()),
        "estimate_median": float(frame["estimate"].median()),
        "estimate_max": float(frame["estimate"].max()),
        "ci_low_min": float(frame["ci_low"].min()),
        "ci_high_max": float(frame["ci_high"].max()),
        "paper_estimate": float(paper["estimate"]),
        "paper_rank": int(paper["rank"]),
        "share_below_paper": float((frame["estimate"] < paper["estimate"]).mean()),
        "share_in_paper_ci": float(
            frame["estimate"].between(paper["ci_low"], paper["ci_high"]).mean()
        ),
    }
    if null is not None:
        excludes = (frame["ci_low"] > null) | (frame["ci_high"] < null)
        out["share_excluding_null"] = float(excludes.mean())
    return out


def choice_effects(frame: pd.DataFrame, choices: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """How much each choice moves the result: the median estimate under each of its options.

    Returns
    -------
    pandas.DataFrame
        ``choice``, ``option``, ``description``, ``specifications`` (how many use the option),
        ``median_estimate``, and ``spread``: for each choice, the largest minus the smallest
        median over its options (the same value on each of its rows).
    """
    rows = []
    for choice, options in choices.items():
        if choice not in frame.columns:
            continue
        medians = frame.groupby(choice)["estimate"].median()
        counts = frame[choice].value_counts()
        spread = float(medians.max() - medians.min()) if len(medians) > 1 else 0.0
        for option, description in options.items():
            if option in medians.index:
                rows.append(
                    {
                        "choice": choice,
                        "option": option,
                        "description": description,
                        "specifications": int(counts[option]),
                        "median_estimate": float(medians[option]),
                        "spread": spread,
                    }
                )
    return pd.DataFrame(rows)


ENDORSED, PAPERS_CHOICE, NOT_ENDORSED = "endorsed", "paper's choice", "not endorsed"
"""How the book judges a specification: one it would defend, the paper's own, or one that
makes a choice the book shows to be wrong."""

RATE_NOT_ENDORSED = {
    ("scale", "PR"): "Wald intervals on raw proportions can pass 0% and 100%",
    ("inclusion", "paper"): "leaves out the 0% study only because its Wald variance is zero",
    ("inputs", "figure"): "rounded percentages are not whole patients",
}
"""The choices for the relief rates that the book shows to be wrong, with the reason (the
Pooling and Robustness chapters)."""

PAIN_NOT_ENDORSED = {
    **{
        ("effect", option): "treats the same patients before and after as two groups"
        for option in PAIN_CHOICES["effect"]
        if option.startswith("two-group")
    },
    ("studies", "fig2"): "leaves out studies with pain scores without a stated reason",
    ("reports", "every_report"): "counts one trial as many times as it was reported",
}
"""The choices for the pain scores that the book shows to be wrong, with the reason."""


def endorse(frame: pd.DataFrame, not_endorsed: Mapping[tuple[str, str], str]) -> pd.DataFrame:
    """Mark each specification: the paper's choice, not endorsed (with why), or endorsed.

    Parameters
    ----------
    frame : pandas.DataFrame
        A multiverse: one column per choice and ``is_paper``.
    not_endorsed : mapping
        ``(choice, option) -> reason`` for each option the book shows to be wrong.

    Returns
    -------
    pandas.DataFrame
        A copy with ``endorsement`` (`ENDORSED`, `PAPERS_CHOICE` or `NOT_ENDORSED`) and
        ``why_not`` (the reasons, joined by "; "; empty for an endorsed specification).

    Examples
    --------
    >>> frame = pd.DataFrame({"scale": ["PR", "PLO", "PLO"], "is_paper": [True, False, False],
    ...                       "inputs": ["figure", "counts", "figure"]})
    >>> list(endorse(frame, {("inputs", "figure"): "rounded"})["endorsement"])
    ["paper's choice", 'endorsed', 'not endorsed']
    """
    reasons = [
        "; ".join(
            why
            for (choice, option), why in not_endorsed.items()
            if choice in frame.columns and row[choice] == option
        )
        for _, row in frame.iterrows()
    ]
    out = frame.copy()
    out["why_not"] = reasons
    out["endorsement"] = [
        PAPERS_CHOICE if paper else NOT_ENDORSED if why else ENDORSED
        for paper, why in zip(frame["is_paper"], reasons, strict=True)
    ]
    return out


@dataclass(frozen=True)
class EndorsedSpread(TidyResult):
    """The spread of the endorsed specifications' estimates, with the CIs of its two ends.

    A spread of point estimates is not an interval: each end has its own, wider, confidence
    interval, and a new setting's result is described by a prediction interval instead.

    Attributes
    ----------
    n_endorsed, n_specifications : int
        Endorsed specifications, and all of them.
    low, low_ci_low, low_ci_high : float
        The smallest endorsed estimate and its 95% CI.
    high, high_ci_low, high_ci_high : float
        The largest and its 95% CI.
    """

    n_endorsed: int
    n_specifications: int
    low: float
    low_ci_low: float
    low_ci_high: float
    high: float
    high_ci_low: float
    high_ci_high: float


def endorsed_spread(frame: pd.DataFrame) -> EndorsedSpread:
    """The spread of the estimates of the endorsed specifications of a multiverse.

    Raises
    ------
    InputError
        When no specification is endorsed (or ``endorsement`` is missing).
    """
    if "endorsement" not in frame.columns or not (frame["endorsement"] == ENDORSED).any():
        raise InputError("endorsed_spread: the multiverse has no endorsed specification")
    endorsed = frame[frame["endorsement"] == ENDORSED]
    low = endorsed.loc[endorsed["estimate"].idxmin()]
    high = endorsed.loc[endorsed["estimate"].idxmax()]
    return EndorsedSpread(
        n_endorsed=len(endorsed),
        n_specifications=len(frame),
        low=float(low["estimate"]),
        low_ci_low=float(low["ci_low"]),
        low_ci_high=float(low["ci_high"]),
        high=float(high["estimate"]),
        high_ci_low=float(high["ci_low"]),
        high_ci_high=float(high["ci_high"]),
    )
