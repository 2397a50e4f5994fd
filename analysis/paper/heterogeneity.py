"""How much the studies of the paper's three analyses disagree: the tables and prose numbers.

The heterogeneity chapter pools each analysis (`analysis.paper.analyses`) with several
estimators of tau² and intervals; this module turns those results into its two tables and
into the numbers its prose cites (`HeterogeneityFacts`, `EstimatorFacts`, `InfluenceFacts`,
`WithoutStudy`, `PainIntervalFacts`). The statistics themselves come from
`analysis.metaanalysis`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts.formatting import estimate_with_ci, share_percent
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.heterogeneity import (
    METAFOR_TAU2_MAX_FACTOR,
    METAFOR_TAU2_MAX_FLOOR,
    metafor_tau2_ceiling,
)
from analysis.metaanalysis.influence import Baujat, LeaveOneOut
from analysis.metaanalysis.pooling import PoolResult, prediction_interval
from analysis.metaanalysis.results import TidyResult
from analysis.paper.analyses import Analysis
from analysis.paper.pain_scores import pain_inputs
from analysis.paper.published import published_pooled

ANALYSIS_TITLES = {
    "relief_immediate": "Relief, right after (Fig. 4a)",
    "relief_followup": "Relief, 1–3 months (Fig. 4b)",
    "pain_smd": "Pain score SMD (Fig. 2)",
}
"""Short names of the paper's three analyses, for table rows and chart titles."""

POOLED_AXIS_TITLES = {
    "relief_immediate": "Pooled proportion with ≥30% relief",
    "relief_followup": "Pooled proportion with ≥30% relief",
    "pain_smd": "Pooled SMD (positive: less pain)",
}
"""Axis title of each analysis's pooled estimate (leave-one-out plots)."""

INTERVAL_NAMES = {"z": "normal (z)", "hksj": "Hartung–Knapp (t)"}
"""How the chapter names each interval for the pooled effect."""

SUBSTANTIAL_I2 = 50.0
"""I² (%) from which heterogeneity is substantial (the Cochrane Handbook's 50–90%)."""
SIGNIFICANT = 0.05
"""The level below which Q's test says the studies disagree beyond chance."""
ALMOST_NOBODY, ALMOST_EVERYBODY = 0.2, 0.8
"""Shares of responders that the prose calls "almost nobody" and "almost everybody"."""
MOST_OF_RANGE = 0.5
"""The share of the possible range (0–100%) that a prediction interval must span to span
"most" of it."""
RELIEF_KEYS = ("relief_immediate", "relief_followup")


def _checked_key(key: str, caller: str) -> str:
    if key not in ANALYSIS_TITLES:
        raise InputError(f"{caller}: key={key!r} is not one of {', '.join(ANALYSIS_TITLES)}")
    return key


def _decimals(key: str) -> int:
    """Decimals of a pooled estimate: one for the SMD, two for proportions (as Fig. 2/4)."""
    return 1 if key == "pain_smd" else 2


def _interval(pair, decimals: int = 2, percent: bool = False) -> str:
    suffix = "%" if percent else ""
    return f"{pair[0]:.{decimals}f}{suffix} to {pair[1]:.{decimals}f}{suffix}"


def _pooled(key: str, result: PoolResult) -> str:
    return estimate_with_ci(result.estimate, result.ci_low, result.ci_high, _decimals(key))


def heterogeneity_table(results: Mapping[str, PoolResult]) -> pd.DataFrame:
    """Q, τ², I², H² with their intervals, and both prediction intervals, one row an analysis.

    Parameters
    ----------
    results : mapping
        ``{key: PoolResult}`` with keys of `ANALYSIS_TITLES` (the chapter's DerSimonian–Laird
        fits).

    Returns
    -------
    pandas.DataFrame
        Text columns, ready for `analysis.charts.html_table`: the analysis, k, Q (df), its p,
        τ² [95% CI], τ, I² [95% CI], H² [95% CI], the pooled estimate (95% CI), and the
        prediction intervals with t (k - 2 df) and z (as metafor's ``predict()``).

    Raises
    ------
    InputError
        For a key that is not one of the paper's three analyses.
    """
    rows = []
    for key, result in results.items():
        decimals = _decimals(_checked_key(key, "heterogeneity_table"))
        rows.append(
            {
                "Analysis": ANALYSIS_TITLES[key],
                "k": result.k,
                "Q (df)": f"{result.q:.1f} ({result.df})",
                "p (Q)": f"{result.p_q:.1e}",
                "τ² [95% CI]": f"{result.tau2:.3f} [{_interval(result.tau2_ci, 3)}]",
                "τ": f"{result.tau:.3f}",
                "I² [95% CI]": f"{result.i2:.1f}% [{_interval(result.i2_ci, 1, True)}]",
                "H² [95% CI]": f"{result.h2:.1f} [{_interval(result.h2_ci, 1)}]",
                "Pooled (95% CI)": _pooled(key, result),
                "Prediction interval, t(k-2)": _interval(prediction_interval(result), decimals),
                "Prediction interval, z (metafor)": _interval(
                    (result.pi_low, result.pi_high), decimals
                ),
            }
        )
    return pd.DataFrame(rows)


def estimator_table(estimators: Mapping[tuple[str, str, str], PoolResult]) -> pd.DataFrame:
    """τ², I² and the pooled estimate under each estimator of τ² and interval.

    Parameters
    ----------
    estimators : mapping
        ``{(key, method, ci): PoolResult}``: key of `ANALYSIS_TITLES`, τ² estimator (``"DL"``,
        ``"REML"``, ...) and interval (``"z"`` or ``"hksj"``).

    Returns
    -------
    pandas.DataFrame
        One text row per entry, in the mapping's order.

    Raises
    ------
    InputError
        For an unknown key or interval.
    """
    rows = []
    for (key, method, ci), result in estimators.items():
        _checked_key(key, "estimator_table")
        if ci not in INTERVAL_NAMES:
            raise InputError(
                f"estimator_table: ci={ci!r} is not one of {', '.join(INTERVAL_NAMES)}"
            )
        rows.append(
            {
                "Analysis": ANALYSIS_TITLES[key],
                "τ² estimator": method,
                "Interval": INTERVAL_NAMES[ci],
                "τ²": f"{result.tau2:.3f}",
                "I²": f"{result.i2:.1f}%",
                "Pooled (95% CI)": _pooled(key, result),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class HeterogeneityFacts(TidyResult):
    """The numbers the chapter's prose cites about one analysis's heterogeneity.

    Attributes
    ----------
    i2, i2_low, i2_high : float
        I² (%) and its Q-profile 95% interval.
    tau, tau2, tau2_low, tau2_high : float
        τ, τ² and τ²'s Q-profile 95% interval.
    pi_low, pi_high : float
        The 95% prediction interval with t on k - 2 df.
    pi_low_pct, pi_high_pct, est_pct : float
        The prediction interval and the pooled estimate times 100 (for proportions).
    pi_pct : str
        The prediction interval as shares, ``"17% to 121% (impossible)"`` (for proportions;
        a limit outside 0–100% is marked, see `analysis.charts.formatting.share_percent`).
    tau2_position : str
        Where the estimate of τ² lies against its interval: ``"lies below"``,
        ``"lies within"`` or ``"lies above"`` (a moment estimator can fall outside).
    """

    i2: float
    i2_low: float
    i2_high: float
    tau: float
    pi_low: float
    pi_high: float
    pi_low_pct: float
    pi_high_pct: float
    pi_pct: str
    est_pct: float
    tau2: float
    tau2_low: float
    tau2_high: float
    tau2_position: str


def heterogeneity_facts(result: PoolResult) -> HeterogeneityFacts:
    """The prose numbers of one pooled analysis (see `HeterogeneityFacts`).

    Examples
    --------
    >>> from analysis.metaanalysis import pool
    >>> heterogeneity_facts(pool([0.1, 0.3, 0.5], [0.01, 0.02, 0.04])).tau2_position
    'lies within'
    """
    low, high = prediction_interval(result)
    tau2_low, tau2_high = result.tau2_ci
    if result.tau2 < tau2_low:
        position = "lies below"
    elif result.tau2 > tau2_high:
        position = "lies above"
    else:
        position = "lies within"
    return HeterogeneityFacts(
        i2=result.i2,
        i2_low=result.i2_ci[0],
        i2_high=result.i2_ci[1],
        tau=result.tau,
        pi_low=low,
        pi_high=high,
        pi_low_pct=100 * low,
        pi_high_pct=100 * high,
        pi_pct=f"{share_percent(low)} to {share_percent(high)}",
        est_pct=100 * result.estimate,
        tau2=result.tau2,
        tau2_low=tau2_low,
        tau2_high=tau2_high,
        tau2_position=position,
    )


@dataclass(frozen=True)
class DisagreementFacts(TidyResult):
    """What the heterogeneity of the three analyses says, in the chapter's words.

    Attributes
    ----------
    lead : str
        Whether the disagreement is real (Q's p below `SIGNIFICANT`) and large (I² at least
        `SUBSTANTIAL_I2`) in all three analyses, one sentence.
    low_lead, low_verdict : str
        ``"Even"`` and ``"are substantial"`` when every lower limit of I² is at least
        `SUBSTANTIAL_I2`, else ``"But"`` and ``"are not all substantial"``.
    impossible : str
        Whether a prediction interval of a relief rate passes 0% or 100%, and what that shows.
    plain_words : str
        What the prediction intervals of the relief rates mean, in plain words.
    conclusion : str
        The chapter's conclusion on heterogeneity, naming the paper's printed pooled shares.
    """

    lead: str
    low_lead: str
    low_verdict: str
    impossible: str
    plain_words: str
    conclusion: str


def disagreement_facts(results: Mapping[str, PoolResult]) -> DisagreementFacts:
    """`DisagreementFacts` of the DerSimonian–Laird fits of the paper's analyses.

    Parameters
    ----------
    results : mapping
        Fits keyed by the keys of `ANALYSIS_TITLES`; the relief rates must be among them.

    Raises
    ------
    InputError
        When a relief rate has no fit.
    """
    for key in RELIEF_KEYS:
        if key not in results:
            raise InputError(f"disagreement_facts: results has no fit of key {key!r}")
    real = all(r.p_q < SIGNIFICANT for r in results.values())
    large = all(r.i2 >= SUBSTANTIAL_I2 for r in results.values())
    n = {2: "both", 3: "all three"}.get(len(results), f"all {len(results)}")
    if real and large:
        lead = f"The disagreement is real and large in {n} analyses."
    elif real:
        lead = f"The studies disagree beyond chance in {n} analyses, though not always by much."
    else:
        lead = "Not in every analysis do the studies disagree beyond chance."
    substantial = all(r.i2_ci[0] >= SUBSTANTIAL_I2 for r in results.values())
    intervals = {key: prediction_interval(results[key]) for key in RELIEF_KEYS}
    beyond = any(low < 0 or high > 1 for low, high in intervals.values())
    impossible = (
        "Limits beyond 0% or 100% are impossible: they show that raw proportions are the "
        "wrong scale for this question (the robustness chapter uses the logit scale instead)."
        if beyond
        else "Both intervals stay within 0% to 100%; the robustness chapter refits them on the "
        "logit scale, where they always do."
    )
    nobody = any(low <= ALMOST_NOBODY for low, _ in intervals.values())
    everybody = any(high >= ALMOST_EVERYBODY for _, high in intervals.values())
    plain = (
        "In plain words: the studies are consistent with ketamine helping almost nobody in "
        "some settings and almost everybody in others."
        if nobody and everybody
        else "In plain words: what a new clinic sees could differ widely from the pooled share."
    )
    span = all(min(high, 1.0) - max(low, 0.0) >= MOST_OF_RANGE for low, high in intervals.values())
    printed = " or ".join(
        f'"{100 * published_pooled(key)["estimate"]:.0f}%"' for key in RELIEF_KEYS
    )
    beyond_chance = (
        "in every analysis the studies disagree far more than chance allows"
        if real
        else "the studies do not disagree beyond chance in every analysis"
    )
    ranges = (
        "the prediction intervals span most of the possible range"
        if span
        else "the prediction intervals are wide"
    )
    conclusion = (
        f"Heterogeneity is not a footnote here: {beyond_chance}, and {ranges}. A pooled "
        f"{printed} describes no particular clinic."
    )
    return DisagreementFacts(
        lead=lead,
        low_lead="Even" if substantial else "But",
        low_verdict="are substantial" if substantial else "are not all substantial",
        impossible=impossible,
        plain_words=plain,
        conclusion=conclusion,
    )


@dataclass(frozen=True)
class EstimatorFacts(TidyResult):
    """The prose numbers that compare the paper's model with REML and Hartung–Knapp.

    Attributes
    ----------
    reml_hksj : str
        The pooled estimate (95% CI) with REML and Hartung–Knapp, as printed.
    dl_z : str
        The same with the paper's DerSimonian–Laird and normal interval.
    reml_tau2 : float
        τ² by REML.
    """

    reml_hksj: str
    dl_z: str
    reml_tau2: float


def estimator_facts(key: str, reml_hksj: PoolResult, dl_z: PoolResult) -> EstimatorFacts:
    """The prose numbers of `EstimatorFacts` for analysis ``key`` (of `ANALYSIS_TITLES`)."""
    _checked_key(key, "estimator_facts")
    return EstimatorFacts(_pooled(key, reml_hksj), _pooled(key, dl_z), reml_hksj.tau2)


@dataclass(frozen=True)
class PainIntervalFacts(TidyResult):
    """What the choice of estimator and interval does to the pain-score analysis.

    Attributes
    ----------
    hksj_sentence : str
        A sentence: which estimators' Hartung–Knapp intervals include zero, or that none does.
    dl_z_rank : str
        Whether the paper's interval (DerSimonian–Laird, normal) is the narrowest of all.
    p_claim : str
        The paper's printed bound "p < ..." for the pain scores, as printed.
    """

    hksj_sentence: str
    dl_z_rank: str
    p_claim: str


def pain_p_claim() -> str:
    """The paper's printed p-value bound for the pain scores, e.g. ``"0.00001"``."""
    claim = published_pooled("pain_smd")["p_effect_below"]
    return f"{claim:f}".rstrip("0")


def pain_interval_facts(
    estimators: Mapping[tuple[str, str, str], PoolResult],
) -> PainIntervalFacts:
    """`PainIntervalFacts` from the fits of `estimator_table`'s ``estimators``.

    Raises
    ------
    InputError
        When ``estimators`` has no fit of the pain scores.
    """
    pain = {(method, ci): r for (key, method, ci), r in estimators.items() if key == "pain_smd"}
    if not pain:
        raise InputError("pain_interval_facts: estimators has no fit of key 'pain_smd'")
    crossing = [m for (m, ci), r in pain.items() if ci == "hksj" and r.ci_low <= 0 <= r.ci_high]
    if crossing:
        sentence = (
            f"with {', '.join(crossing)} and Hartung–Knapp, the 95% interval of the pooled SMD "
            "includes zero, so the data no longer exclude that ketamine has no effect on "
            "average."
        )
    else:
        sentence = "with every estimator and Hartung–Knapp, the 95% interval still excludes zero."
    widths = {choice: r.ci_high - r.ci_low for choice, r in pain.items()}
    narrowest = min(widths, key=widths.get) == ("DL", "z")
    return PainIntervalFacts(
        hksj_sentence=sentence[0].upper() + sentence[1:],
        dl_z_rank="the narrowest of the six" if narrowest else "not the narrowest",
        p_claim=pain_p_claim(),
    )


@dataclass(frozen=True)
class InfluenceFacts(TidyResult):
    """The study that contributes most to Q, and the analysis without it.

    Attributes
    ----------
    top : str
        Its label.
    top_i2 : float
        I² (%) without it.
    top_est, top_est_pct : float
        The pooled estimate without it, and that times 100.
    i2_move : str
        What I² does without it: ``"falls from 82% to 38%"``, ``"rises from …"`` or
        ``"stays at 82%"`` (whole percent).
    est_move : str
        What the pooled estimate does without it, in percent (for proportions):
        ``"rises to 76%"``, ``"falls to …"`` or ``"stays at …"``.
    top_role : str
        ``"is the outlier"`` when leaving it out at least halves I², else ``"contributes
        most to the heterogeneity"``.
    one_study : str
        ``"is essentially one study"`` or ``"does not come from one study alone"``, by the
        same rule.
    """

    top: str
    top_i2: float
    top_est: float
    top_est_pct: float
    i2_move: str
    est_move: str
    top_role: str
    one_study: str


def influence_facts(analysis: Analysis, loo: LeaveOneOut, points: Baujat) -> InfluenceFacts:
    """`InfluenceFacts` for one analysis, from its leave-one-out fits and Baujat points.

    Raises
    ------
    InputError
        When ``loo`` or ``points`` do not have one entry per study of ``analysis``.
    """
    if not len(loo.omitted) == len(points.contribution) == analysis.k:
        raise InputError(
            f"influence_facts: loo and points must have one entry per study (k={analysis.k})"
        )
    position = max(range(analysis.k), key=lambda i: points.contribution[i])
    result = loo.omitted[position]
    full = loo.full
    alone = result.i2 <= full.i2 / 2
    i2_before, i2_after = f"{full.i2:.0f}%", f"{result.i2:.0f}%"
    est_after = f"{100 * result.estimate:.0f}%"
    return InfluenceFacts(
        top=analysis.labels[position],
        top_i2=result.i2,
        top_est=result.estimate,
        top_est_pct=100 * result.estimate,
        i2_move=(
            f"stays at {i2_after}"
            if i2_before == i2_after
            else f"{_direction(result.i2, full.i2)} from {i2_before} to {i2_after}"
        ),
        est_move=(
            f"stays at {est_after}"
            if est_after == f"{100 * full.estimate:.0f}%"
            else f"{_direction(result.estimate, full.estimate)} to {est_after}"
        ),
        top_role="is the outlier" if alone else "contributes most to the heterogeneity",
        one_study="is essentially one study" if alone else "does not come from one study alone",
    )


def _direction(value: float, before: float) -> str:
    return "rises" if value > before else "falls"


@dataclass(frozen=True)
class WithoutStudy(TidyResult):
    """One analysis without one study.

    Attributes
    ----------
    label : str
        The study left out.
    effect : float
        Its own effect size.
    estimate, i2 : float
        The pooled estimate and I² (%) of the other studies.
    """

    label: str
    effect: float
    estimate: float
    i2: float


def without_study(analysis: Analysis, loo: LeaveOneOut, study_id: str) -> WithoutStudy:
    """`WithoutStudy` for ``study_id`` from the leave-one-out fits of ``analysis``.

    Raises
    ------
    InputError
        When ``study_id`` is not a study of ``analysis``.
    """
    if study_id not in analysis.study_ids:
        raise InputError(f"without_study: study_id={study_id!r} is not in {analysis.key}")
    position = analysis.study_ids.index(study_id)
    result = loo.omitted[position]
    return WithoutStudy(
        analysis.labels[position], analysis.yi[position], result.estimate, result.i2
    )


@dataclass(frozen=True)
class Spread(TidyResult):
    """The smallest and largest of some values.

    Attributes
    ----------
    min, max : float
    """

    min: float
    max: float


def pain_sd_spread() -> Spread:
    """The smallest and largest pain-score SD (baseline or end) of Fig. 2's studies."""
    sds = pain_inputs("fig2")[["pain_baseline_sd", "pain_end_sd"]].to_numpy()
    return Spread(float(np.min(sds)), float(np.max(sds)))


LITTLE_MOVE = 0.05
"""A change of a pooled share or of its confidence limits below this (5 percentage points)
"changes little"."""


@dataclass(frozen=True)
class EstimatorWords(TidyResult):
    """The words the chapter chooses about the estimators of τ² and Hartung–Knapp.

    Attributes
    ----------
    relief_agree : str
        Whether the estimators of τ² agree more closely for the relief rates than for the
        pain scores (relative spread of τ² over DL, REML and PM).
    widens : str
        ``"widens"`` or ``"narrows"``: what REML with Hartung–Knapp does to the interval of
        the immediate relief rate, against the paper's.
    immediate_change : str
        ``"which changes little"`` (no limit or estimate moves by `LITTLE_MOVE` or more) or
        ``"which matters"``.
    understates : str
        ``"understates"`` when REML's τ² for the pain scores is larger than
        DerSimonian–Laird's, else ``"does not understate"``.
    relief_move : str
        ``"barely move"`` when neither relief rate's estimate or limits move by `LITTLE_MOVE`
        under REML or Paule–Mandel with Hartung–Knapp, else ``"move too"``.
    pain_weaker : str
        How the evidence that pain falls compares with the paper's claim: much weaker when a
        Hartung–Knapp interval includes zero.
    """

    relief_agree: str
    widens: str
    immediate_change: str
    understates: str
    relief_move: str
    pain_weaker: str


def _spread(fits: list[PoolResult]) -> float:
    tau2 = [f.tau2 for f in fits]
    return (max(tau2) - min(tau2)) / max(max(tau2), 1e-300)


def _moves_little(after: PoolResult, before: PoolResult) -> bool:
    return all(
        abs(getattr(after, name) - getattr(before, name)) < LITTLE_MOVE
        for name in ("estimate", "ci_low", "ci_high")
    )


def estimator_words(estimators: Mapping[tuple[str, str, str], PoolResult]) -> EstimatorWords:
    """`EstimatorWords` from the fits of `estimator_table`'s ``estimators``.

    Raises
    ------
    InputError
        When a fit the words need is missing.
    """
    needed = [
        (key, method, ci)
        for key in ANALYSIS_TITLES
        for method in ("DL", "REML", "PM")
        for ci in ("z", "hksj")
    ]
    missing = [choice for choice in needed if choice not in estimators]
    if missing:
        raise InputError(f"estimator_words: estimators has no fit {missing[0]!r}")

    def fits(key: str) -> list[PoolResult]:
        return [estimators[(key, m, "z")] for m in ("DL", "REML", "PM")]

    pain_spread = _spread(fits("pain_smd"))
    closer = all(_spread(fits(key)) < pain_spread for key in RELIEF_KEYS)
    paper = estimators[("relief_immediate", "DL", "z")]
    modern = estimators[("relief_immediate", "REML", "hksj")]
    wider = modern.ci_high - modern.ci_low > paper.ci_high - paper.ci_low
    relief_still = all(
        _moves_little(estimators[(key, m, "hksj")], estimators[(key, "DL", "z")])
        for key in RELIEF_KEYS
        for m in ("REML", "PM")
    )
    crossing = any(
        estimators[("pain_smd", m, "hksj")].ci_low
        <= 0
        <= estimators[("pain_smd", m, "hksj")].ci_high
        for m in ("DL", "REML", "PM")
    )
    reml, dl = estimators[("pain_smd", "REML", "z")], estimators[("pain_smd", "DL", "z")]
    return EstimatorWords(
        relief_agree=(
            "for the relief rates the estimators agree more closely"
            if closer
            else "for the relief rates the estimators differ at least as much"
        ),
        widens="widens" if wider else "narrows",
        immediate_change=(
            "which changes little" if _moves_little(modern, paper) else "which matters"
        ),
        understates="understates" if reml.tau2 > dl.tau2 else "does not understate",
        relief_move="barely move" if relief_still else "move too",
        pain_weaker=(
            "becomes much weaker than" if crossing else "is weaker, though still clear, than"
        ),
    )


I2_STAYS = 2.0
"""A change of I² below this many percentage points "stays" (at the printed whole percent)."""


@dataclass(frozen=True)
class ExcludedFacts(TidyResult):
    """The study Fig. 4a marks as excluded, in the chapter's words (MyST Markdown).

    Attributes
    ----------
    paragraph : str
        Which study it is and what its response rate was, whether the raw-proportion model
        could have included it, and what leaving it out of the pain scores does; or that
        Fig. 4a, as the data give it, marks no study as excluded.
    conclusion : str
        Whether the studies that carry the disagreement are the one the paper excluded.
    """

    paragraph: str
    conclusion: str


def excluded_facts(
    studies: pd.DataFrame,
    forest: pd.DataFrame,
    analyses: Mapping[str, Analysis],
    loo: Mapping[str, LeaveOneOut],
    points: Mapping[str, Baujat],
) -> ExcludedFacts:
    """`ExcludedFacts` of the study (or studies) that Fig. 4a marks as excluded.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies` (``study_id``, ``label``, ``relief_immediate_pct``).
    forest : pandas.DataFrame
        ``load_table("published_forest")`` (``figure``, ``study_id``, ``excluded``).
    analyses, loo, points : mapping
        The paper's analyses, their leave-one-out fits and Baujat points, keyed alike.
    """
    tops = {key: influence_facts(analyses[key], loo[key], points[key]).top for key in analyses}
    excluded = forest.loc[(forest["figure"] == "4a") & forest["excluded"].astype(bool), "study_id"]
    by_id = studies.set_index("study_id")
    excluded = [sid for sid in excluded if sid in by_id.index]
    lead = (
        "**The study the paper excluded.** The paper dropped one study from the immediate "
        'analysis for "a low score of study quality"; '
    )
    if len(excluded) != 1:
        return ExcludedFacts(
            paragraph=lead + f"Fig. 4a, as the data give it, marks {len(excluded)} studies "
            "as excluded, so the study the text means cannot be named.",
            conclusion="Single studies carry much of the disagreement.",
        )
    (sid,) = excluded
    label = str(by_id.at[sid, "label"])
    rates = studies["relief_immediate_pct"].dropna().astype(float)
    rate = float(by_id.at[sid, "relief_immediate_pct"])
    if rate == 0 and (rates == 0).sum() == 1:
        who = "the only study in which nobody responded"
    elif rate == 0:
        who = "a study in which nobody responded"
    else:
        who = f"a study in which {rate:g}% responded"
    model = (
        ", and the pooling chapter shows why the raw-proportion model could not have included "
        "it anyway (its variance is zero)"
        if rate in (0, 100)
        else ", which the raw-proportion model could have included"
    )
    parts = [f"{lead}Fig. 4a shows it is {label}, {who}{model}."]
    pain, pain_loo = analyses["pain_smd"], loo["pain_smd"]
    if sid in pain.study_ids:
        i = pain.study_ids.index(sid)
        without, full = pain_loo.omitted[i], pain_loo.full
        direction = "pain rose" if pain.yi[i] < 0 else "pain fell"
        if abs(without.i2 - full.i2) < I2_STAYS:
            i2 = f"stays at {without.i2:.0f}%"
        else:
            i2 = f"{_direction(without.i2, full.i2)} to {without.i2:.0f}%"
        drives = tops["pain_smd"] == label or without.i2 < SUBSTANTIAL_I2
        verdict = (
            "it is part of what makes the studies disagree"
            if drives
            else "it is not what makes the studies disagree"
        )
        parts.append(
            f"In the pain-score analysis, where it is included (SMD {pain.yi[i]:.1f}: "
            f"{direction}), {verdict}: without it the pooled SMD changes from "
            f"{full.estimate:.1f} to {without.estimate:.1f} and $I^2$ {i2}."
        )
    others = label not in tops.values()
    parts.append(
        "The studies that do drive heterogeneity, and move the pooled results most, are "
        "others, which the paper kept."
        if others
        else f"{label} is itself the study that contributes most to $Q$ in at least one analysis."
    )
    parts.append(
        "Excluding a study for quality is legitimate only with a stated rule applied to every "
        "study; here neither the rule nor the other studies' scores are reported."
    )
    return ExcludedFacts(
        paragraph=" ".join(parts),
        conclusion=(
            "Single studies carry much of the disagreement, and they are not the study the "
            "paper excluded."
            if others
            else f"Single studies carry much of the disagreement, among them {label}, the "
            "study the paper excluded."
        ),
    )


@dataclass(frozen=True)
class CeilingFacts(TidyResult):
    """How our Q-profile upper limits compare with metafor's default search ceiling.

    Attributes
    ----------
    floor, factor : float
        metafor's ceiling: ``max(floor, factor * tau²)``.
    sentence : str
        Whether every upper limit of ``results`` lies below metafor's ceiling (the two then
        agree), or which analyses' limits lie beyond it (metafor prints "> ceiling" there).
    """

    floor: float
    factor: float
    sentence: str


def _lowered(title: str) -> str:
    return title[:1].lower() + title[1:]


def ceiling_facts(results: Mapping[str, PoolResult]) -> CeilingFacts:
    """`CeilingFacts` of the pooled analyses (by key of `ANALYSIS_TITLES`).

    Examples
    --------
    >>> from analysis.metaanalysis import pool
    >>> ceiling_facts({"relief_immediate": pool([0.1, 0.3, 0.5], [0.01, 0.02, 0.04])}).sentence
    'Here every upper limit lies below that ceiling, so metafor reports the same intervals.'
    """
    beyond = []
    for key, result in results.items():
        _checked_key(key, "ceiling_facts")
        ceiling = metafor_tau2_ceiling(result.tau2)
        high = result.tau2_ci[1]
        if high > ceiling:
            beyond.append(
                f"for the {_lowered(ANALYSIS_TITLES[key])} our upper limit, {high:.4g}, lies "
                f"beyond metafor's ceiling of {ceiling:.4g}, where metafor would print "
                f"\u201c> {ceiling:.4g}\u201d"
            )
    if beyond:
        sentence = "Here, " + "; ".join(beyond) + "."
    else:
        sentence = (
            "Here every upper limit lies below that ceiling, so metafor reports the same "
            "intervals."
        )
    return CeilingFacts(METAFOR_TAU2_MAX_FLOOR, METAFOR_TAU2_MAX_FACTOR, sentence)
