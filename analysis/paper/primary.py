"""The book's answer for each outcome: one primary model, declared once.

Each outcome has one primary analysis (`PRIMARY_MODELS`), chosen by current guidance and, for
the relief rates, by how often its interval covers the truth in simulations of meta-analyses
like the paper's (`analysis.paper.coverage`), never by which gives the nicest number; its
reasons are stated. Every chapter that states "our" estimate of an outcome
takes it from `primary_answer`, which also writes it, so the same digits appear on every page.
The other analyses of the book (the paper's own, and the sensitivity analyses) are named as
such where they appear.

References
----------
Stijnen T, Hamza TH, Özdemir P (2010). Random effects meta-analysis of event outcome in the
framework of the generalized linear mixed model with applications in sparse data. Statistics
in Medicine 29:3046–3067.
IntHout J, Ioannidis JPA, Borm GF (2014). The Hartung–Knapp–Sidik–Jonkman method for random
effects meta-analysis is straightforward and considerably outperforms the standard
DerSimonian–Laird method. BMC Medical Research Methodology 14:25.
Higgins JPT, Li T, Deeks JJ (2023). Chapter 6: Choosing effect measures and computing
estimates of effect, section 6.5.2.8 (change from baseline). In: Cochrane Handbook for
Systematic Reviews of Interventions, version 6.4.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts.formatting import as_printed, percent_with_ci
from analysis.metaanalysis.checks import one_of
from analysis.metaanalysis.results import TidyResult
from analysis.paper.pain_scores import pain_inputs
from analysis.paper.robustness import PAIRED_R, Reanalysis, pain_points, relief_logit
from analysis.paper.trials import PRIMARY_TRIAL_RULE, TRIAL_RULES


@dataclass(frozen=True)
class PrimaryModel(TidyResult):
    """The primary analysis of one outcome, with its reasons.

    Attributes
    ----------
    outcome : str
        The key (``"immediate"``, ``"followup"``, ``"pain"``).
    quantity : str
        What is estimated, in words.
    model : str
        The model, short enough to name beside every number it gives.
    trials : str
        How reports of one trial enter (a key of `analysis.paper.trials.TRIAL_RULES`).
    reasons : str
        Why this model, in one or two sentences.
    """

    outcome: str
    quantity: str
    model: str
    trials: str
    reasons: str


RELIEF_MODEL = "logit-scale random-effects model with a Hartung–Knapp interval"
"""The relief rates' primary model, in words (`analysis.paper.robustness.relief_logit`)."""

_RELIEF_REASONS = (
    "With a handful of small studies that disagree, the interval matters most: in the Coverage "
    "chapter's simulations of meta-analyses like these, the Hartung–Knapp interval on the logit "
    "scale covers the typical study's true share about as often as a 95% interval should, while "
    "the binomial–normal model's (GLMM) normal interval and the paper's cover it less often. "
    "The logit scale keeps the estimate and its interval between 0% and 100%, and every study "
    "stays in (a study with 0% or 100% responders gets half a patient added to each cell); "
    "REML estimates the between-study variance."
)

PRIMARY_MODELS = {
    "immediate": PrimaryModel(
        "immediate",
        "share of patients with at least 30% pain relief right after treatment",
        RELIEF_MODEL,
        PRIMARY_TRIAL_RULE,
        _RELIEF_REASONS,
    ),
    "followup": PrimaryModel(
        "followup",
        "share of patients with at least 30% pain relief one to three months later",
        RELIEF_MODEL,
        PRIMARY_TRIAL_RULE,
        _RELIEF_REASONS,
    ),
    "pain": PrimaryModel(
        "pain",
        "fall in pain from before to after treatment, in points on a 0–10 scale",
        f"paired mean change, r = {PAIRED_R}, REML with Hartung–Knapp",
        PRIMARY_TRIAL_RULE,
        "Points are what a patient reports and a clinician reads; each study compares its "
        "patients before and after, so the change is paired (its variance needs the "
        f"within-patient correlation, which no study reports: {PAIRED_R}, the middle of the "
        "range the Pooling chapter tries); REML with Hartung–Knapp keeps the interval honest "
        "with few, disagreeing studies.",
    ),
}
"""The primary model of each outcome. The rule for trials reported more than once is
`analysis.paper.trials.PRIMARY_TRIAL_RULE` for all three."""


@dataclass(frozen=True)
class PrimaryAnswer(TidyResult):
    """One outcome's primary estimate, as numbers and as the words every page prints.

    Attributes
    ----------
    outcome, model, trials : str
        As in `PrimaryModel` (``trials`` in words).
    k : int
        Studies (reports) pooled.
    estimate, ci_low, ci_high, pi_low, pi_high : float
        The estimate, its 95% CI and 95% prediction interval (t with k - 2 df), as proportions
        for the relief rates and in points for pain.
    limit : float
        The largest value the quantity can take: 1 for a share; for the fall in pain, the mean
        baseline pain of the pooled studies (0–10), since the average patient cannot lose more
        pain than they had.
    answer : str
        The estimate with its CI, e.g. ``"65% (95% CI 46% to 81%)"``.
    prediction : str
        The prediction interval, e.g. ``"12% to 96%"``.
    beyond_limit : str
        Empty when the prediction interval stays within what is possible; else a sentence that
        names its impossible upper end.
    beyond_limit_why : str
        Empty, or (with ``beyond_limit``) why the interval can pass a limit of the scale.
    """

    outcome: str
    model: str
    trials: str
    k: int
    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float
    limit: float
    answer: str
    prediction: str
    beyond_limit: str
    beyond_limit_why: str


def primary_fit(outcome: str) -> Reanalysis:
    """The primary model of ``outcome`` fitted (`PRIMARY_MODELS`)."""
    one_of(outcome, tuple(PRIMARY_MODELS), "outcome", "primary_fit")
    declared = PRIMARY_MODELS[outcome]
    if outcome == "pain":
        return pain_points(PAIRED_R, declared.trials)
    return relief_logit(outcome, declared.trials)


def primary_answer(outcome: str) -> PrimaryAnswer:
    """One outcome's primary estimate (`PrimaryAnswer`), the one every page states.

    Examples
    --------
    >>> answer = primary_answer("pain")
    >>> answer.answer.endswith(")") and answer.model == PRIMARY_MODELS["pain"].model
    True
    """
    fit = primary_fit(outcome)
    declared = PRIMARY_MODELS[outcome]
    values = dict(
        outcome=outcome,
        model=declared.model,
        trials=TRIAL_RULES[declared.trials],
        k=fit.k,
        estimate=fit.estimate,
        ci_low=fit.ci_low,
        ci_high=fit.ci_high,
        pi_low=fit.pi_low,
        pi_high=fit.pi_high,
    )
    if outcome != "pain":
        return PrimaryAnswer(
            **values,
            limit=1.0,
            answer=percent_with_ci(fit.estimate, fit.ci_low, fit.ci_high),
            prediction=f"{_pct(fit.pi_low)} to {_pct(fit.pi_high)}",
            beyond_limit=_beyond(fit.pi_high, 1.0, "a share above 100%"),
            beyond_limit_why=_beyond_why(fit.pi_high, 1.0),
        )
    baseline = float(np.mean(pain_inputs("all", trials=declared.trials)["pain_baseline_mean_10"]))
    return PrimaryAnswer(
        **values,
        limit=baseline,
        answer=(
            f"{as_printed(fit.estimate, 1)} points (95% CI {as_printed(fit.ci_low, 1)} to "
            f"{as_printed(fit.ci_high, 1)})"
        ),
        prediction=f"{as_printed(fit.pi_low, 1)} to {as_printed(fit.pi_high, 1)} points",
        beyond_limit=_beyond(
            fit.pi_high,
            baseline,
            f"a fall of more than the {as_printed(baseline, 1)} points of pain the patients "
            "had on average before treatment",
        ),
        beyond_limit_why=_beyond_why(fit.pi_high, baseline),
    )


def _beyond_why(upper: float, limit: float) -> str:
    if upper <= limit:
        return ""
    return (
        "A prediction interval assumes normal tails, which do not know where the scale ends; "
        "read it as reaching up to what is possible."
    )


def _pct(x: float) -> str:
    return f"{as_printed(100 * x, 0)}%"


def _beyond(upper: float, limit: float, what: str) -> str:
    if upper <= limit:
        return ""
    return f"The upper end of this prediction interval is impossible: {what}."


def primary_table() -> pd.DataFrame:
    """The primary model of every outcome with its reasons and its answer, one row each.

    Returns
    -------
    pandas.DataFrame
        ``Outcome``, ``Model``, ``Estimate (95% CI)``, ``A new setting (95% prediction
        interval)`` and ``Studies`` (reports pooled, each trial once). The reasons for each
        model are `PrimaryModel.reasons`.
    """
    rows = []
    for outcome, declared in PRIMARY_MODELS.items():
        answer = primary_answer(outcome)
        rows.append(
            {
                "Outcome": declared.quantity[0].upper() + declared.quantity[1:],
                "Model": declared.model,
                "Estimate (95% CI)": answer.answer,
                "A new setting (95% prediction interval)": answer.prediction,
                "Studies": answer.k,
            }
        )
    return pd.DataFrame(rows)
