"""The book's answer on the relief rates, in numbers and in one chart (the Introduction).

For each time point of Fig. 4: the paper's pooled share with its confidence interval, the book's
primary model's share (`analysis.paper.PRIMARY_MODELS`) with its confidence and prediction
intervals, and the range of the estimates over every defensible analysis (the multiverse of the
Robustness chapter).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis.charts.theme import BLUE, INK, RED
from analysis.metaanalysis.results import TidyResult
from analysis.paper.multiverse import EndorsedSpread, endorsed_spread, rate_multiverse, summary
from analysis.paper.primary import primary_fit
from analysis.paper.relief_rates import TIMEPOINTS
from analysis.paper.robustness import Reanalysis, relief_reanalyses

PAPER = "The paper"
PRIMARY = "Our answer"
MULTIVERSE = "Spread of endorsed estimates"
ANALYSES = (PRIMARY, PAPER, MULTIVERSE)
"""The chart's rows, top to bottom."""

PREDICTION = "prediction interval"
SPREAD = "spread of estimates, not an interval"


@dataclass(frozen=True)
class ReliefVerdict(TidyResult):
    """What holds of one of the paper's pooled relief rates.

    Attributes
    ----------
    timepoint : str
        A key of `analysis.paper.relief_rates.TIMEPOINTS`.
    paper : Reanalysis
        The paper's analysis (DerSimonian–Laird on rounded proportions).
    primary : Reanalysis
        The book's primary model of the rate (`analysis.paper.PRIMARY_MODELS`: the logit
        scale, REML, Hartung–Knapp interval, whole-patient counts, every study, each trial
        once).
    multiverse : Mapping
        `analysis.paper.multiverse.summary` of every analysis of the multiverse.
    spread : EndorsedSpread
        The spread of the estimates of the analyses the book endorses.
    """

    timepoint: str
    paper: Reanalysis
    primary: Reanalysis
    multiverse: Mapping[str, float]
    spread: EndorsedSpread


def relief_verdict(timepoint: str) -> ReliefVerdict:
    """The paper's analysis, the primary model and the multiverse's summary for one time point.

    References
    ----------
    Stijnen T, Hamza TH, Özdemir P. Random effects meta-analysis of event outcome in the
    framework of the generalized linear mixed model with applications in sparse data. Stat Med
    2010;29(29):3046-67. doi:10.1002/sim.4040

    Steegen S, Tuerlinckx F, Gelman A, Vanpaemel W. Increasing transparency through a
    multiverse analysis. Perspect Psychol Sci 2016;11(5):702-12. doi:10.1177/1745691616658637
    """
    paper = relief_reanalyses(timepoint)[0]
    frame = rate_multiverse(timepoint)
    return ReliefVerdict(
        timepoint, paper, primary_fit(timepoint), summary(frame), endorsed_spread(frame)
    )


def verdict_frame(verdicts: Sequence[ReliefVerdict]) -> pd.DataFrame:
    """One row per interval drawn: ``when``, ``analysis``, ``estimate``, ``low``, ``high``,
    ``what`` (the kind of interval) and ``text`` (the tooltip, in whole percent; for the
    spread of endorsed estimates, its ends with their own 95% CIs)."""
    rows = []
    for verdict in verdicts:
        spread = verdict.spread
        paper, primary = verdict.paper, verdict.primary
        intervals = (
            (PRIMARY, primary.estimate, primary.ci_low, primary.ci_high, "95% CI"),
            (PRIMARY, primary.estimate, primary.pi_low, primary.pi_high, PREDICTION),
            (PAPER, paper.estimate, paper.ci_low, paper.ci_high, "95% CI"),
            (
                MULTIVERSE,
                (spread.low + spread.high) / 2,
                spread.low,
                spread.high,
                SPREAD,
            ),
        )
        when = TIMEPOINTS[verdict.timepoint].description
        rows += [
            {"when": when, "analysis": a, "estimate": e, "low": lo, "high": hi, "what": what,
             "text": _percent_with(e, lo, hi)}
            for a, e, lo, hi, what in intervals
        ]  # fmt: skip
        rows[-1]["text"] = (
            f"{_pct(spread.low)} to {_pct(spread.high)}; the 95% CI of the lowest is "
            f"{_pct(spread.low_ci_low)} to {_pct(spread.low_ci_high)}, of the highest "
            f"{_pct(spread.high_ci_low)} to {_pct(spread.high_ci_high)}"
        )
    frame = pd.DataFrame(rows)
    return frame


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _percent_with(estimate: float, low: float, high: float) -> str:
    return f"{_pct(estimate)} ({_pct(low)} to {_pct(high)})"


def verdict_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """The verdict as dots and intervals, a panel per time point, from `verdict_frame`.

    Prediction intervals are drawn as a wide shaded band under the confidence intervals.
    """
    base = alt.Chart(frame).encode(
        y=alt.Y("analysis:N", sort=list(ANALYSES), title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=[
            alt.Tooltip("analysis:N", title="Analysis"),
            alt.Tooltip("what:N", title="Interval"),
            alt.Tooltip("text:N", title="Estimate (interval)"),
        ],
    )
    x = alt.X(
        "low:Q",
        title="Share of patients with at least 30% pain relief",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".0%"),
    )
    is_prediction = f"datum.what == '{PREDICTION}'"
    not_prediction = f"datum.what != '{PREDICTION}'"
    not_spread = f"datum.what != '{SPREAD}'"
    return (
        alt.layer(
            base.mark_rule(strokeWidth=10, opacity=0.25, color=BLUE)
            .transform_filter(is_prediction)
            .encode(x=x, x2="high:Q"),
            base.mark_rule(strokeWidth=2, color=INK)
            .transform_filter(not_prediction)
            .encode(x=x, x2="high:Q"),
            base.mark_point(filled=True, size=70, color=RED)
            .transform_filter(f"{not_prediction} && {not_spread}")
            .encode(x="estimate:Q"),
            base.mark_tick(thickness=2, size=12, color=INK)
            .transform_filter(f"!({not_spread})")
            .encode(x="low:Q"),
            base.mark_tick(thickness=2, size=12, color=INK)
            .transform_filter(f"!({not_spread})")
            .encode(x="high:Q"),
        )
        .properties(width=300, height=90)
        .facet(
            row=alt.Row(
                "when:N",
                sort=[point.description for point in TIMEPOINTS.values()],
                title=None,
                header=alt.Header(
                    labelAngle=0,
                    labelAlign="left",
                    labelAnchor="start",
                    labelFontWeight="bold",
                    labelOrient="top",
                ),
            )
        )
        .properties(
            title=alt.Title(
                "How many patients get meaningful pain relief",
                subtitle=[
                    "Dots: estimates; lines: 95% CI; shaded: where a new setting could",
                    "land (prediction interval); last row, between the ticks: lowest to",
                    "highest estimate of the analyses we endorse (a spread, not an interval)",
                ],
                anchor="start",
            )
        )
        .configure_axis(labelFontSize=11, titleFontSize=11)
    )
