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

from analysis.charts.formatting import estimate_with_ci
from analysis.metaanalysis.errors import InputError
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
        est_pct=100 * result.estimate,
        tau2=result.tau2,
        tau2_low=tau2_low,
        tau2_high=tau2_high,
        tau2_position=position,
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
    """

    top: str
    top_i2: float
    top_est: float
    top_est_pct: float


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
    return InfluenceFacts(
        analysis.labels[position], result.i2, result.estimate, 100 * result.estimate
    )


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
