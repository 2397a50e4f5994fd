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

from analysis.charts.formatting import estimate_with_ci, percent_with_ci
from analysis.charts.funnel import funnel_plot
from analysis.metaanalysis.bias import BeggResult, EggerResult, TrimFillResult
from analysis.metaanalysis.distributions import normal_two_sided_p
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

NUMBER_WORDS = dict(
    enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
)
"""Small counts in words, as the prose writes them."""


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

    The tests are two-sided: an effect below zero is as significant as its mirror image.

    >>> own_test_facts(frame.assign(yi=[-0.5, -0.01]), (0.1, 0.05, 0.01))
    OwnTests(highly_significant=1, not_significant='B')
    """
    if len(contours) == 0:
        raise InputError("own_test_facts: contours must name at least one level")
    p_own = normal_two_sided_p(frame["yi"] / np.sqrt(frame["vi"]))
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
    k_words : str
        Their number in words (``"ten"``), as the prose writes a small count.
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
    k_words: str
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
        k_words=NUMBER_WORDS.get(pain.k, str(pain.k)),
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


def _check_threshold(threshold: float, where: str) -> None:
    """Refuse a significance threshold outside (0, 1), naming the function."""
    if not 0 < threshold < 1:
        raise InputError(f"{where}: threshold={threshold!r} must be between 0 and 1")


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
    _check_threshold(threshold, "bias_test_facts")
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
    overview : str
        The same, with what so few studies can show, for the chapter's overview.
    """

    smallest_p: float
    threshold_phrase: str
    conclusion: str
    overview: str


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
    _check_threshold(threshold, "relief_bias_facts")
    for key in TIMEPOINTS:
        if key not in eggers or key not in beggs or key not in beggs_stata:
            raise InputError(f"relief_bias_facts: the tests need time point {key!r}")
    smallest = min(
        min(eggers[key].p_value, beggs[key].p_value, beggs_stata[key].p_value)
        for key in TIMEPOINTS
    )
    few = "with so few studies neither could have shown much"
    if smallest < threshold:
        phrase = "below"
        conclusion = "at least one of Egger's and Begg's tests falls below the paper's threshold"
        overview = (
            "a test falls below the paper's threshold, though with so few studies that is weak "
            "evidence"
        )
    elif smallest < 2 * threshold:
        phrase = "above, but near,"
        conclusion = (
            "neither Egger's nor Begg's test falls below the paper's threshold, though one "
            "comes near it"
        )
        overview = f"neither test reaches significance, though one comes near it, and {few}"
    else:
        phrase = "far from"
        conclusion = "neither Egger's nor Begg's test comes near the paper's threshold"
        overview = f"neither test comes near significance, and {few}"
    return ReliefBiasFacts(
        smallest_p=float(smallest),
        threshold_phrase=phrase,
        conclusion=conclusion,
        overview=overview,
    )


@dataclass(frozen=True)
class LeftOut(TidyResult):
    """The studies a relief-rate funnel leaves out (variance 0: 0% or 100% responders).

    Attributes
    ----------
    phrase : str
        ``" (left out: Kiefer 2008b, in which no patient responded)"``, or empty when none is.
    """

    phrase: str


def left_out_facts(frame: pd.DataFrame) -> LeftOut:
    """`LeftOut` of one analysis's inputs (``label``, ``yi``, ``vi``).

    Examples
    --------
    >>> frame = pd.DataFrame({"label": ["A", "B"], "yi": [0.0, 0.5], "vi": [0.0, 0.01]})
    >>> left_out_facts(frame).phrase
    ' (left out: A, in which no patient responded)'
    >>> left_out_facts(frame.tail(1)).phrase
    ''
    """
    out = frame[frame["vi"] == 0]
    if out.empty:
        return LeftOut("")
    named = [
        f"{label}, in which {'no patient' if y == 0 else 'every patient'} responded"
        for label, y in zip(out["label"], out["yi"], strict=True)
    ]
    return LeftOut(f" (left out: {'; '.join(named)})")


@dataclass(frozen=True)
class ReliefBiasWords(TidyResult):
    """The words the publication-bias chapter chooses about the relief-rate funnels.

    Every field is a sentence (or a clause) chosen by the results; fields marked MyST hold
    Markdown (emphasis, roles) to paste with ``{glue:md}`name:myst```.

    Attributes
    ----------
    precise_lead : str
        Whether the most precise study of each funnel is the one with the highest rate.
    outside : str
        Whether studies fall outside the pseudo-limits, and what that shows.
    contour_lead : str
        How many studies reject a response rate of zero at the smallest contour: "nearly
        every study" (at least three in four) or not.
    egger_sign : str
        MyST. What the signs of the two Egger intercepts say.
    trim_fill : str
        MyST. What trim and fill does at each time point (with ``{numref}`` to its figure), and
        what the side it fills says.
    trim_fill_short : str
        The same in one clause, for the overview.
    trim_fill_conclusion : str
        The same for the conclusion.
    size_only : str
        Whether Egger's intercept shrinks when every study is given the standard error of
        its size alone, and what that says.
    intercept_verb : str
        ``"shrinks"`` when both intercepts do, else ``"changes"``.
    too_few : str
        ``"fewer than"`` or ``"at least"`` the recommended number of studies.
    """

    precise_lead: str
    outside: str
    contour_lead: str
    egger_sign: str
    trim_fill: str
    trim_fill_short: str
    trim_fill_conclusion: str
    size_only: str
    intercept_verb: str
    too_few: str


NEARLY_EVERY = 0.75
"""The share of studies from which the prose says "nearly every study"."""
FIGURES = {"immediate": "fig-trimfill-immediate", "followup": "fig-trimfill-followup"}
WHEN = {"immediate": "right after treatment", "followup": "one to three months after treatment"}
"""When each relief rate was measured, in the chapter's words."""
"""The names of the trim-and-fill figures, for ``{numref}``."""


def relief_bias_words(
    analysed: Mapping[str, pd.DataFrame],
    eggers: Mapping[str, EggerResult],
    trims: Mapping[str, TrimFillResult],
    pooled: Mapping[str, PoolResult],
    size_only: Mapping[str, EggerResult],
    highly_significant: Mapping[str, int],
    outside: Mapping[str, str],
    min_studies: int,
) -> ReliefBiasWords:
    """`ReliefBiasWords` of the two relief-rate analyses.

    Parameters
    ----------
    analysed : mapping
        The studies in each funnel (``label``, ``yi``, ``vi``), by time point.
    eggers, trims, pooled, size_only : mapping
        Egger's test, trim and fill, the paper's model and Egger's test with standard errors
        of size alone, by time point.
    highly_significant : mapping
        Studies below the smallest contour, by time point (`own_test_facts`).
    outside : mapping
        Labels of the studies outside the pseudo-limits, or ``"none"``, by time point.
    min_studies : int
        The number of studies tests of asymmetry need.

    Raises
    ------
    InputError
        When a time point is missing from any mapping.
    """
    for name, mapping in (
        ("analysed", analysed),
        ("eggers", eggers),
        ("trims", trims),
        ("pooled", pooled),
        ("size_only", size_only),
        ("highly_significant", highly_significant),
        ("outside", outside),
    ):
        for key in TIMEPOINTS:
            if key not in mapping:
                raise InputError(f"relief_bias_words: {name} has no time point {key!r}")
    keys = list(TIMEPOINTS)
    highest = [analysed[k]["vi"].idxmin() == analysed[k]["yi"].idxmax() for k in keys]
    if all(highest):
        precise = (
            "In both plots the most precise study is the one with the highest rate, far to "
            "the right"
        )
    else:
        precise = "The most precise study of each plot is not always the one with the highest rate"
    any_outside = any(outside[k] != "none" for k in keys)
    outside_sentence = (
        f"The studies scatter well beyond the pseudo-limits (outside them: {outside[keys[0]]}; "
        f"and {outside[keys[1]]}), which is the heterogeneity the pooling chapter measured: "
        "these studies do not estimate one common rate, so a funnel shape is not to be "
        "expected to begin with."
        if any_outside
        else "Every study lies within the pseudo-limits: the funnels show no more spread than "
        "one common rate would give."
    )
    k = {key: len(analysed[key]) for key in keys}
    nearly = all(highly_significant[key] >= NEARLY_EVERY * k[key] for key in keys)
    signs = [np.sign(eggers[key].intercept) for key in keys]
    values = f"({eggers[keys[0]].intercept:.2f} and {eggers[keys[1]].intercept:.2f})"
    if all(s < 0 for s in signs):
        egger_sign = (
            f"Both Egger intercepts are negative {values}: if anything, the smaller studies "
            "report *lower* response rates, the opposite of the pattern publication bias "
            "produces."
        )
    elif all(s > 0 for s in signs):
        egger_sign = (
            f"Both Egger intercepts are positive {values}: the smaller studies report "
            "*higher* response rates, the pattern publication bias produces (among others)."
        )
    else:
        egger_sign = (
            f"The Egger intercepts have opposite signs {values}: the smaller studies report "
            "neither consistently higher nor consistently lower response rates."
        )
    clauses, filled = [], []
    for i, key in enumerate(keys):
        trim, before = trims[key], pooled[key]
        when = "Right after treatment" if i == 0 else "At one to three months"
        fig = f"({{numref}}`{FIGURES[key]}`)"
        rate = percent_with_ci(before.estimate, before.ci_low, before.ci_high)
        if trim.k0 == 0:
            clauses.append(
                f"{when} trim and fill finds 0 missing studies {fig}: the estimate stays at "
                f"{rate}."
            )
            continue
        filled.append((key, trim.side))
        after = trim.pooled
        mirrored = " and ".join(_mirrored(analysed[key], trim))
        verb = "trim and fill imputes" if i == 0 else "it imputes"
        clauses.append(
            f"{when} {verb} {trim.k0} on the {trim.side}, mirror images of {mirrored} {fig}, "
            f"and the pooled rate moves from {rate} to "
            f"{percent_with_ci(after.estimate, after.ci_low, after.ci_high)}."
        )
    sides = {side for _, side in filled}
    where = " and ".join(WHEN[key] for key, _ in filled)
    if not filled:
        tail = "Trim and fill finds no asymmetry to correct at either time point."
        short = "Trim and fill imputes no study at either time point."
        conclusion = "trim and fill adds nothing"
    elif sides == {"right"}:
        tail = (
            "Missing studies with *high* response rates are not what publication bias leaves "
            "behind; trim and fill assumes that any asymmetry is publication bias, and here "
            "the asymmetry has another source."
        )
        only = "only " if len(filled) < len(keys) else ""
        short = (
            f"Trim and fill imputes studies {only}{where}, and on the side that would *raise* "
            "the pooled rate."
        )
        conclusion = (
            "trim and fill either adds nothing or adds studies that would raise the pooled rate"
        )
    else:
        tail = (
            "Missing studies with low response rates are what publication bias would leave "
            "behind, but trim and fill assumes that any asymmetry is publication bias."
        )
        short = (
            f"Trim and fill imputes studies {where}, some on the side that would lower the "
            "pooled rate."
        )
        conclusion = "trim and fill adds studies that would lower the pooled rate"
    shrinks = all(abs(size_only[key].intercept) < abs(eggers[key].intercept) for key in keys)
    return ReliefBiasWords(
        precise_lead=precise,
        outside=outside_sentence,
        contour_lead=(
            "nearly every study rejects it overwhelmingly"
            if nearly
            else "not every study rejects it overwhelmingly"
        ),
        egger_sign=egger_sign,
        trim_fill=" ".join([*clauses, tail]),
        trim_fill_short=short,
        trim_fill_conclusion=conclusion,
        size_only=(
            "What little asymmetry there was came from the variance formula, not from study size."
            if shrinks
            else "The variance formula does not explain all of the asymmetry: some of it "
            "remains when only study size sets the standard error."
        ),
        intercept_verb="shrinks" if shrinks else "changes",
        too_few="fewer than" if max(k.values()) < min_studies else "at least",
    )


@dataclass(frozen=True)
class PainBiasWords(TidyResult):
    """The words the publication-bias chapter chooses about the pain scores (Fig. 3).

    Attributes
    ----------
    as_paper : str
        ``"as the paper says"`` when Egger's p is below the paper's threshold, else
        ``"unlike the paper"``.
    contours : str
        How many studies sit in the region where their own test of no change was
        significant: ``"most studies"`` (more than half below the smallest contour) or not.
    points_verdict : str
        Whether the asymmetry disappears on the scale of points (Egger's and Begg's p both
        at or above the threshold), and what that says about the paper's evidence.
    conclusion : str
        The chapter's conclusion on the pain scores.
    short : str
        The same as a clause, for the overview.
    """

    as_paper: str
    contours: str
    points_verdict: str
    conclusion: str
    short: str


def pain_bias_words(
    smd_egger: EggerResult,
    points_egger: EggerResult,
    points_begg: BeggResult,
    highly_significant: int,
    k: int,
    threshold: float,
) -> PainBiasWords:
    """`PainBiasWords` from Egger's test on the paper's SMDs and both tests on the points.

    Raises
    ------
    InputError
        When ``threshold`` is not between 0 and 1.
    """
    _check_threshold(threshold, "pain_bias_words")
    significant = smd_egger.p_value < threshold
    gone = points_egger.p_value >= threshold and points_begg.p_value >= threshold
    if significant and gone:
        verdict = "the asymmetry disappears"
        tail = (
            "The paper's evidence of publication bias is an artefact of how it computed the SMD."
        )
        conclusion = (
            f"Egger's test reproduces the paper's p below {threshold:g}, but the asymmetry "
            "comes from treating paired scores as two groups, which ties each SMD's standard "
            "error to its size; on the scale of points it disappears."
        )
        short = (
            "for the pain scores we reproduce the paper's significant Egger test, but the "
            "asymmetry is built into the way the paper computed its standardized mean "
            "differences and vanishes on a scale where it is not"
        )
    elif significant:
        verdict = "the asymmetry remains"
        tail = "So it is not only an artefact of how the paper computed the SMD."
        conclusion = (
            f"Egger's test reproduces the paper's p below {threshold:g}, and the asymmetry "
            "remains on the scale of points."
        )
        short = (
            "for the pain scores we reproduce the paper's significant Egger test, and the "
            "asymmetry remains on the scale of points"
        )
    else:
        verdict = "neither scale shows asymmetry beyond chance"
        tail = "The paper's significant Egger test is not reproduced."
        conclusion = f"Egger's test does not reproduce the paper's p below {threshold:g}."
        short = "for the pain scores we do not reproduce the paper's significant Egger test"
    return PainBiasWords(
        as_paper="as the paper says" if significant else "unlike the paper",
        contours="most studies" if highly_significant > k / 2 else "fewer than half the studies",
        points_verdict=f"{verdict}: Egger's p = {points_egger.p_value:.2f}, Begg's p = "
        f"{points_begg.p_value:.2f}. {tail}",
        conclusion=conclusion,
        short=short,
    )
