"""Publication bias in the paper's three analyses: its funnel plots, its table and prose numbers.

The publication-bias chapter runs Egger's and Begg's tests and trim and fill
(`analysis.metaanalysis.bias`) on the relief rates of Fig. 4a/4b and the pain scores of Fig. 2.
This module draws its funnel plots with the paper's titles and axes (through
`analysis.charts.funnel_plot`), builds the table of tests beside the paper, and gathers the
numbers its prose cites (`OwnTests`, `TrimFillFacts`, `PainFunnelFacts`, `BiasTestFacts`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from analysis.charts.formatting import estimate_with_ci, percent_with_ci
from analysis.charts.funnel import funnel_plot
from analysis.metaanalysis.bias import BeggResult, EggerResult, TrimFillResult
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult
from analysis.metaanalysis.results import TidyResult
from analysis.paper.analyses import Analysis
from analysis.paper.pain_scores import pain_inputs
from analysis.paper.relief_rates import TIMEPOINTS, Timepoint

RELIEF_AXIS = "Proportion of patients with at least 30% pain relief"
"""Horizontal axis of the relief-rate funnels."""

PAIN_AXIS = "SMD, baseline minus end (positive: less pain)"
"""Horizontal axis of the pain-score funnels."""

RANDOM_LABEL = "Random-effects estimate (DerSimonian–Laird)"


def relief_funnel(
    frame: pd.DataFrame, point: Timepoint, *, common: float, random: float, limits: float
) -> alt.LayerChart:
    """The funnel of one relief-rate analysis, as Stata's ``metafunnel`` draws it.

    Parameters
    ----------
    frame : pandas.DataFrame
        The studies analysed (``label``, ``yi``, ``vi``, optionally ``n``).
    point : Timepoint
        The analysis (`analysis.paper.TIMEPOINTS`), for its title.
    common, random : float
        The common-effect estimate (centre of the pseudo-limits) and the paper's
        random-effects estimate (dotted).
    limits : float
        Level of the pseudo-confidence limits, e.g. 0.95.
    """
    return funnel_plot(
        frame,
        centre=common,
        centre_label="Common-effect estimate",
        references=[(RANDOM_LABEL, random)],
        limits=limits,
        title=f"Funnel plot: patients with ≥ 30% relief {point.description}",
        subtitle=[
            f"Studies of Fig. {point.figure}; dashed: pseudo-{100 * limits:g}% limits",
            "Solid: common-effect estimate; dotted: random-effects estimate",
        ],
        x_title=RELIEF_AXIS,
        bounds=(0.0, 1.0),
        axis_format=".0%",
    )


def relief_contour_funnel(
    frame: pd.DataFrame, point: Timepoint, *, common: float, contours: Sequence[float]
) -> alt.LayerChart:
    """The contour-enhanced funnel of one relief-rate analysis (null: a response rate of 0)."""
    return funnel_plot(
        frame,
        centre=common,
        centre_label="Common-effect estimate",
        limits=None,
        contours=contours,
        null=0.0,
        title=f"Contour-enhanced funnel: ≥ 30% relief {point.description}",
        subtitle=[
            f"Studies of Fig. {point.figure}; shading: p-value of each",
            "study's own z-test of a response rate of 0",
        ],
        x_title=RELIEF_AXIS,
        axis_format=".0%",
    )


def relief_trim_fill_funnel(
    frame: pd.DataFrame, point: Timepoint, trim: TrimFillResult, before: PoolResult
) -> alt.LayerChart:
    """The funnel of one relief-rate analysis with the studies trim and fill imputes.

    Parameters
    ----------
    frame : pandas.DataFrame
        The studies analysed, in the order ``trim`` was computed from.
    point : Timepoint
        The analysis, for its title.
    trim : TrimFillResult
        Trim and fill of ``frame``.
    before : PoolResult
        The random-effects estimate of the studies as published (dotted).
    """
    labels = [f"Imputed (mirror of {label})" for label in _mirrored(frame, trim)]
    filled = pd.DataFrame({"label": labels, "yi": trim.filled_yi, "vi": trim.filled_vi})
    return funnel_plot(
        frame,
        centre=trim.pooled.estimate,
        centre_label="Random-effects estimate after filling",
        references=[("Random-effects estimate, studies as published", before.estimate)],
        filled=filled,
        title=f"Trim and fill: ≥ 30% relief {point.description}",
        subtitle=[
            f"Studies of Fig. {point.figure}; open red circles: imputed studies ({trim.k0})",
            "Solid: estimate after filling; dotted: before",
        ],
        x_title=RELIEF_AXIS,
        bounds=(0.0, 1.0),
        axis_format=".0%",
    )


def pain_funnel(
    frame: pd.DataFrame, *, common: float, random: float, limits: float, axes: pd.DataFrame
) -> alt.LayerChart:
    """Fig. 3 redrawn: the pain-score funnel on the axes the paper printed.

    ``axes`` is ``data/published_fig3_axes.csv`` indexed by ``axis`` (``x``, ``y``), with
    ``minimum`` and ``maximum``.
    """
    return funnel_plot(
        frame,
        centre=common,
        centre_label="Common-effect estimate",
        references=[(RANDOM_LABEL, random)],
        limits=limits,
        title="Funnel plot with pseudo 95% confidence limits: pain scores",
        subtitle=[
            "Fig. 3 redrawn on its own axes: Cohen's d of Fig. 2's studies, as two groups",
            "Solid: common-effect estimate; dotted: random-effects estimate",
        ],
        x_title=PAIN_AXIS,
        axis_format=".0f",
        decimals=1,
        x_domain=(float(axes.at["x", "minimum"]), float(axes.at["x", "maximum"])),
        se_max=float(axes.at["y", "maximum"]),
    )


def pain_contour_funnel(
    frame: pd.DataFrame, *, common: float, contours: Sequence[float]
) -> alt.LayerChart:
    """The contour-enhanced funnel of the pain scores (null: no change in pain)."""
    return funnel_plot(
        frame,
        centre=common,
        centre_label="Common-effect estimate",
        limits=None,
        contours=contours,
        null=0.0,
        title="Contour-enhanced funnel: pain scores",
        subtitle=["Shading: p-value of each study's own z-test of no change in pain"],
        x_title=PAIN_AXIS,
        axis_format=".0f",
        decimals=1,
    )


@dataclass(frozen=True)
class OwnTests(TidyResult):
    """How the studies' own z-tests of a null value of 0 come out.

    Attributes
    ----------
    highly_significant : int
        Studies with p below the smallest contour.
    not_significant : str
        Labels of the studies with p ≥ 0.05, or ``"none"``.
    """

    highly_significant: int
    not_significant: str


def own_test_facts(frame: pd.DataFrame, contours: Sequence[float]) -> OwnTests:
    """`OwnTests` of the studies in ``frame`` (two-sided z-test of ``yi`` against 0).

    Raises
    ------
    InputError
        When ``contours`` is empty.

    Examples
    --------
    >>> frame = pd.DataFrame({"label": ["A", "B"], "yi": [0.5, 0.01], "vi": [0.001, 0.01]})
    >>> own_test_facts(frame, (0.1, 0.05, 0.01))
    OwnTests(highly_significant=1, not_significant='B')
    """
    if len(contours) == 0:
        raise InputError("own_test_facts: contours must name at least one level")
    p_own = 2 * stats.norm.sf(frame["yi"] / np.sqrt(frame["vi"]))
    below = frame.loc[p_own < min(contours), "label"]
    return OwnTests(
        highly_significant=len(below),
        not_significant=", ".join(frame.loc[p_own >= 0.05, "label"]) or "none",
    )


@dataclass(frozen=True)
class TrimFillFacts(TidyResult):
    """What trim and fill does to one relief rate.

    Attributes
    ----------
    k0 : int
        Studies imputed.
    side : str
        The side they are imputed on.
    before, after : str
        The pooled rate (95% CI) before and after filling, in percent.
    mirrored : str
        The studies whose mirror images are imputed, or ``"none"``.
    """

    k0: int
    side: str
    after: str
    before: str
    mirrored: str


def trim_fill_facts(
    frame: pd.DataFrame, trim: TrimFillResult, before: PoolResult
) -> TrimFillFacts:
    """`TrimFillFacts` of ``trim`` (computed from ``frame``), ``before`` as published."""
    after = trim.pooled
    return TrimFillFacts(
        k0=trim.k0,
        side=trim.side,
        after=percent_with_ci(after.estimate, after.ci_low, after.ci_high),
        before=percent_with_ci(before.estimate, before.ci_low, before.ci_high),
        mirrored=" and ".join(_mirrored(frame, trim)) or "none",
    )


def _mirrored(frame: pd.DataFrame, trim: TrimFillResult) -> list[str]:
    if any(i >= len(frame) for i in trim.mirrored):
        raise InputError(
            f"trim and fill mirrors study {max(trim.mirrored)}, but frame has {len(frame)} rows"
        )
    return [frame.at[i, "label"] for i in trim.mirrored]


def bias_tests_table(
    eggers: Mapping[str, EggerResult],
    beggs: Mapping[str, BeggResult],
    beggs_stata: Mapping[str, BeggResult],
    trims: Mapping[str, TrimFillResult],
    reported: Mapping[str, str],
) -> pd.DataFrame:
    """Egger, Begg (exact and Stata's) and trim and fill for each relief rate, beside the paper.

    Parameters
    ----------
    eggers, beggs, beggs_stata, trims : mapping
        Results keyed by `analysis.paper.TIMEPOINTS` key (``"immediate"``, ``"followup"``).
    reported : mapping
        What the paper reports, by analysis id (``published_bias.csv``'s ``reported``).

    Returns
    -------
    pandas.DataFrame
        One text row per analysis, p-values and Begg's tau with three decimals.

    Raises
    ------
    InputError
        For a key that is not a time point.
    """
    rows = []
    for key, e in eggers.items():
        if key not in TIMEPOINTS:
            raise InputError(
                f"bias_tests_table: key={key!r} is not one of {', '.join(TIMEPOINTS)}"
            )
        point = TIMEPOINTS[key]
        b, s, t = beggs[key], beggs_stata[key], trims[key]
        rows.append(
            {
                "Analysis": f"Fig. {point.figure}: {point.description}",
                "Studies": e.k,
                "Egger intercept (95% CI)": estimate_with_ci(e.intercept, e.ci_low, e.ci_high),
                "Egger p": f"{e.p_value:.3f}",
                "Begg tau": f"{b.tau:.3f}",
                "Begg p (exact)": f"{b.p_value:.3f}",
                "Begg p (normal, continuity-corrected)": f"{s.p_value:.3f}",
                "Trim and fill": f"{t.k0} filled ({t.side})",
                "Paper": reported[point.analysis_id],
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PainFunnelFacts(TidyResult):
    """Where the pain-score studies fall in Fig. 3, and the study with the largest SE.

    Attributes
    ----------
    inside : int
        Studies within the printed axes.
    k : int
        Studies.
    se_max : float
        The largest standard error.
    se_max_label : str
        Its study.
    tiny_sds : str
        That study's baseline and end SDs, ``"0.1 and 0.2"``.
    tiny_d : float
        Its Cohen's d.
    """

    inside: int
    k: int
    se_max: float
    se_max_label: str
    tiny_sds: str
    tiny_d: float


def pain_funnel_facts(pain: Analysis, axes: pd.DataFrame) -> PainFunnelFacts:
    """`PainFunnelFacts` of the pain analysis (Fig. 2) on Fig. 3's printed ``axes``.

    Raises
    ------
    InputError
        When ``axes`` lacks the ``x`` or ``y`` row.
    """
    if not {"x", "y"} <= set(axes.index):
        raise InputError(
            f"pain_funnel_facts: axes must have rows 'x' and 'y', got {list(axes.index)}"
        )
    yi, se = pd.Series(pain.yi), np.sqrt(pd.Series(pain.vi))
    inside = yi.between(axes.at["x", "minimum"], axes.at["x", "maximum"]) & (
        se <= axes.at["y", "maximum"]
    )
    widest = int(se.idxmax())
    sds = pain_inputs("fig2").set_index("study_id").loc[pain.study_ids[widest]]
    return PainFunnelFacts(
        inside=int(inside.sum()),
        k=pain.k,
        se_max=float(se.max()),
        se_max_label=pain.labels[widest],
        tiny_sds=f"{sds['pain_baseline_sd']:g} and {sds['pain_end_sd']:g}",
        tiny_d=float(yi.iloc[widest]),
    )


@dataclass(frozen=True)
class BiasTestFacts(TidyResult):
    """The tests of one analysis, and whether each p falls below the paper's threshold.

    Attributes
    ----------
    egger_p, egger_intercept : float
        Egger's test.
    begg_p, begg_stata_p : float
        Begg's test, exact and Stata's continuity-corrected normal version.
    k0 : int
        Studies trim and fill imputes.
    egger_verdict, begg_verdict : str
        ``"below"`` or ``"not below"`` the threshold.
    """

    egger_p: float
    egger_intercept: float
    begg_p: float
    begg_stata_p: float
    k0: int
    egger_verdict: str
    begg_verdict: str


def bias_test_facts(
    egger: EggerResult,
    begg: BeggResult,
    begg_stata: BeggResult,
    trim: TrimFillResult,
    threshold: float,
) -> BiasTestFacts:
    """`BiasTestFacts` against the paper's significance ``threshold`` (e.g. 0.05).

    Raises
    ------
    InputError
        When ``threshold`` is not between 0 and 1.
    """
    if not 0 < threshold < 1:
        raise InputError(f"bias_test_facts: threshold={threshold!r} must be between 0 and 1")
    return BiasTestFacts(
        egger_p=egger.p_value,
        egger_intercept=egger.intercept,
        begg_p=begg.p_value,
        begg_stata_p=begg_stata.p_value,
        k0=trim.k0,
        egger_verdict="below" if egger.p_value < threshold else "not below",
        begg_verdict="below" if begg.p_value < threshold else "not below",
    )


@dataclass(frozen=True)
class ReliefBiasFacts(TidyResult):
    """How the relief-rate analyses' tests compare with the paper's significance threshold.

    Attributes
    ----------
    smallest_p : float
        The smallest p-value of Egger's, Begg's and Stata's Begg's test over the time points.
    threshold_phrase : str
        Where it lies: ``"far from"`` (at least twice the threshold), ``"above, but near,"``
        or ``"below"`` (the paper's threshold).
    conclusion : str
        The same, for the chapter's conclusion.
    """

    smallest_p: float
    threshold_phrase: str
    conclusion: str


def relief_bias_facts(
    eggers: Mapping[str, EggerResult],
    beggs: Mapping[str, BeggResult],
    beggs_stata: Mapping[str, BeggResult],
    threshold: float,
) -> ReliefBiasFacts:
    """The smallest p of the relief-rate analyses' tests against the paper's ``threshold``.

    Raises
    ------
    InputError
        When ``threshold`` is not between 0 and 1, or a time point lacks a test.
    """
    if not 0 < threshold < 1:
        raise InputError(f"relief_bias_facts: threshold={threshold!r} must be between 0 and 1")
    for key in TIMEPOINTS:
        if key not in eggers or key not in beggs or key not in beggs_stata:
            raise InputError(f"relief_bias_facts: the tests need time point {key!r}")
    smallest = min(
        min(eggers[key].p_value, beggs[key].p_value, beggs_stata[key].p_value)
        for key in TIMEPOINTS
    )
    if smallest < threshold:
        phrase = "below"
        conclusion = "at least one of Egger's and Begg's tests falls below the paper's threshold"
    elif smallest < 2 * threshold:
        phrase = "above, but near,"
        conclusion = (
            "neither Egger's nor Begg's test falls below the paper's threshold, though one "
            "comes near it"
        )
    else:
        phrase = "far from"
        conclusion = "neither Egger's nor Begg's test comes near the paper's threshold"
    return ReliefBiasFacts(
        smallest_p=float(smallest), threshold_phrase=phrase, conclusion=conclusion
    )
