"""The Introduction's table of claims: for each claim of the paper, the numbers its row prints.

One function a row: the relief rates of Fig. 4 (`relief_headline`), the pain scores and their
funnel plot (`pain_headline`), the hepatotoxicity rate (`hepatotoxicity_headline`) and the
descriptive numbers of the Results (`descriptives_headline`). Each returns a frozen dataclass
whose fields are the numbers and phrases of the prose, ready for
`analysis.charts.glue_result`; percentages are in percent (0–100), as the prose prints them.
"""

from dataclasses import dataclass

from analysis.charts.formatting import percent_with_ci
from analysis.metaanalysis.bias import begg, egger
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import pool
from analysis.metaanalysis.results import TidyResult
from analysis.paper.analyses import pain_analysis
from analysis.paper.data import load_table
from analysis.paper.descriptives import reproduce_descriptives
from analysis.paper.flow import check_flow
from analysis.paper.hepatotoxicity import denominator_readings
from analysis.paper.multiverse import EndorsedSpread
from analysis.paper.pain_facts import closest_attempt
from analysis.paper.pain_scores import attempts_frame, fig2_attempts, pain_inputs, paired_effects
from analysis.paper.primary import primary_fit
from analysis.paper.published import published_pooled
from analysis.paper.relief_facts import printed_rate
from analysis.paper.relief_rates import (
    PROPORTIONS,
    TIMEPOINTS,
    InputChoice,
    compare_pooled,
    pool_rates,
    rate_inputs,
)
from analysis.paper.robustness import PAIRED_R


@dataclass(frozen=True)
class ReliefHeadline(TidyResult):
    """One relief rate of Fig. 4: printed, reproduced, and with current methods.

    Attributes
    ----------
    printed : str
        The paper's pooled share with its 95% CI, e.g. ``"69% (95% CI 53% to 84%)"``.
    reproduced : str
        Whether every pooled number of the figure is reproduced from Table 1: exactly (with
        Table 1's percentages as printed), only with the percentages rounded as Fig. 4 prints
        them (the audit's "reproduced under a stated assumption"), or not.
    spread_n, spread_all : int
        Analyses of the multiverse that the book endorses, and all of them.
    spread_low, spread_high : str
        The lowest and the highest endorsed estimate, each with its own 95% CI, written like
        ``printed``.
    """

    printed: str
    reproduced: str
    spread_n: int
    spread_all: int
    spread_low: str
    spread_high: str


@dataclass(frozen=True)
class PainHeadline(TidyResult):
    """The pain scores (Fig. 2) and their funnel plot (Fig. 3).

    Attributes
    ----------
    p_claim : str
        The paper's bound on the p-value of the pooled effect, as printed (``"0.00001"``).
    i2_printed : float
        The paper's I² in percent.
    i2_closest : float
        The I² of the reading of Fig. 2 that comes closest to it, in percent.
    egger_p : float
        Egger's test on the paper's SMDs (closest reproduction).
    bias_threshold : str
        The p-value below which the paper calls the asymmetry significant, as printed.
    i2_verdict : str
        ``"is reproduced"`` when the closest reading of Fig. 2 gives the printed I² to its
        printed decimal, else ``"is not reproduced exactly"``.
    p_words : str
        Under which models (DerSimonian–Laird, REML, Paule–Mandel; normal or Hartung–Knapp
        interval) the pooled SMD has a p-value below the paper's bound.
    bias_sentence : str
        Whether Egger's test on the paper's SMDs falls below the paper's threshold, whether
        the asymmetry remains on the scale of points (paired data), and whether a test on the
        relief rates falls below it.
    fell : str
        The verdict's sentence on the pain scores, from the primary model
        (`analysis.paper.primary_fit`): that they fell on average by a few points, or not.
    bias_artefact : str
        The verdict's clause on publication bias.
    audit_clause : str
        The audit's clause on Fig. 2: whether it is reproduced exactly, and what its Egger
        test reflects.
    """

    p_claim: str
    i2_printed: float
    i2_closest: float
    egger_p: float
    bias_threshold: str
    i2_verdict: str
    p_words: str
    bias_sentence: str
    fell: str
    bias_artefact: str
    audit_clause: str


@dataclass(frozen=True)
class HepatotoxicityHeadline(TidyResult):
    """The rate of raised liver enzymes: printed, and under two denominators.

    Attributes
    ----------
    printed : str
        The paper's rate as printed, e.g. ``"1.9%"``.
    paper, liver_enzymes : str
        The rate with its exact 95% CI over every patient (the paper's denominator) and over
        the patients of the studies that mention liver enzymes.
    paper_events, paper_patients, liver_enzymes_events, liver_enzymes_patients : int
        The counts behind them.
    uncertain : str
        Why the rate is uncertain: that most studies did not report on the liver (when fewer
        than half mention liver enzymes), or that it rests on few studies.
    """

    printed: str
    paper: str
    paper_events: int
    paper_patients: int
    liver_enzymes: str
    liver_enzymes_events: int
    liver_enzymes_patients: int
    uncertain: str


@dataclass(frozen=True)
class DescriptivesHeadline(TidyResult):
    """How many descriptive numbers of the Results we reproduce.

    Attributes
    ----------
    total : int
        Printed descriptive numbers.
    reproduced : int
        Those reproduced, with or without an unstated assumption.
    flow_clause : str
        What the arithmetic of Fig. 1 gives (`analysis.paper.check_flow`): that the flow
        chart's reasons do not add up to its count, that another sum fails, or that every sum
        holds.
    """

    total: int
    reproduced: int
    flow_clause: str


def relief_headline(timepoint: str, spread: EndorsedSpread) -> ReliefHeadline:
    """The numbers of one relief rate's row.

    Parameters
    ----------
    timepoint : str
        A key of `analysis.paper.TIMEPOINTS` (``"immediate"`` or ``"followup"``).
    spread : EndorsedSpread
        `analysis.paper.endorsed_spread` of its multiverse.

    Raises
    ------
    InputError
        For an unknown time point.
    """
    if timepoint not in TIMEPOINTS:
        raise InputError(
            f"relief_headline: timepoint={timepoint!r} is not one of {list(TIMEPOINTS)}"
        )
    checks = compare_pooled(timepoint, pool_rates(rate_inputs(timepoint)))
    return ReliefHeadline(
        printed=printed_rate(timepoint),
        reproduced=_reproduced_from_table_1(timepoint, bool(checks["reproduced"].all())),
        spread_n=spread.n_endorsed,
        spread_all=spread.n_specifications,
        spread_low=percent_with_ci(spread.low, spread.low_ci_low, spread.low_ci_high),
        spread_high=percent_with_ci(spread.high, spread.high_ci_low, spread.high_ci_high),
    )


ROUNDED_AS_FIG4 = f"with the {PROPORTIONS['figure']}"
"""The assumption under which Fig. 4's pooled numbers follow from Table 1."""


def _reproduced_from_table_1(timepoint: str, with_rounding: bool) -> str:
    unrounded = rate_inputs(timepoint, InputChoice(proportions="table"))
    if compare_pooled(timepoint, pool_rates(unrounded))["reproduced"].all():
        return "Reproduced exactly from Table 1"
    if with_rounding:
        return f"Reproduced from Table 1 {ROUNDED_AS_FIG4}"
    return "Not reproduced from Table 1"


ARITHMETIC_SOUND = (
    "The paper's arithmetic is sound where we can check it: both of its headline percentages "
    f"follow from its own Table 1 {ROUNDED_AS_FIG4}."
)


@dataclass(frozen=True)
class ArithmeticVerdict(TidyResult):
    """The verdict's sentence on the paper's arithmetic.

    Attributes
    ----------
    sentence : str
        Whether the two headline percentages follow exactly from Table 1, in one sentence.
    """

    sentence: str


def arithmetic_verdict() -> ArithmeticVerdict:
    """The verdict's sentence on the paper's arithmetic: whether its two headline percentages
    (Fig. 4a and 4b, pooled) follow from its own Table 1 read as Fig. 4 prints it (percentages
    rounded to two decimals, `analysis.paper.relief_rates.PAPER_INPUTS`), as the data give it.

    Returns
    -------
    ArithmeticVerdict

    Examples
    --------
    >>> arithmetic_verdict().sentence == ARITHMETIC_SOUND
    True
    """
    follows = {
        key: bool(compare_pooled(key, pool_rates(rate_inputs(key)))["reproduced"].all())
        for key in TIMEPOINTS
    }
    if all(follows.values()):
        return ArithmeticVerdict(ARITHMETIC_SOUND)
    held = [TIMEPOINTS[key].description for key, ok in follows.items() if ok]
    if not held:
        return ArithmeticVerdict(
            "Neither of the paper's headline percentages follows from its own Table 1."
        )
    missed = [TIMEPOINTS[key].description for key, ok in follows.items() if not ok]
    return ArithmeticVerdict(
        f"Of the paper's two headline percentages, the one {held[0]} follows from its "
        f"own Table 1; the one {missed[0]} does not."
    )


def pain_headline() -> PainHeadline:
    """The numbers of the pain scores' and the funnel plot's rows."""
    points = primary_fit("pain")
    claim = published_pooled("pain_smd")
    analysis = pain_analysis()
    bias = load_table("published_bias").set_index("analysis_id")
    closest = float(closest_attempt(attempts_frame(fig2_attempts()), claim["i2_pct"])["i2"])
    smd_egger = egger(analysis.yi, analysis.vi)
    threshold = float(bias.at["pain_smd", "p_threshold"])
    paired = paired_effects(pain_inputs("all"), PAIRED_R, "MC")
    in_points = (egger(paired.yi, paired.vi).p_value, begg(paired.yi, paired.vi).p_value)
    relief_p = []
    for key in TIMEPOINTS:
        frame = rate_inputs(key)
        frame = frame[frame["vi"] > 0]
        relief_p += [egger(frame["yi"], frame["vi"]).p_value]
        relief_p += [begg(frame["yi"], frame["vi"]).p_value]
    reproduced = round(closest, 1) == round(float(claim["i2_pct"]), 1)
    artefact = smd_egger.p_value < threshold and min(in_points) >= threshold
    return PainHeadline(
        p_claim=f"{claim['p_effect_below']:f}".rstrip("0"),
        i2_printed=float(claim["i2_pct"]),
        i2_closest=closest,
        egger_p=smd_egger.p_value,
        bias_threshold=f"{bias.at['pain_smd', 'p_threshold']:g}",
        i2_verdict="is reproduced" if reproduced else "is not reproduced exactly",
        p_words=_p_words(analysis, float(claim["p_effect_below"])),
        bias_sentence=_bias_sentence(smd_egger.p_value, in_points, relief_p, threshold),
        fell=(
            "Pain did fall on average, by a few points on a 0–10 scale."
            if points.ci_low > 0
            else "Whether pain fell on average is not clear: the confidence interval of the "
            "fall in points includes no change."
        ),
        bias_artefact=(
            "The evidence of publication bias is an artefact of how the effect sizes were computed"
            if artefact
            else "The funnel plots give no clear evidence either way on publication bias"
        ),
        audit_clause=(
            ("is reproduced" if reproduced else "can be approached but not reproduced exactly")
            + (
                ", and its significant Egger test reflects the way the paper computed the "
                "effect sizes"
                if artefact
                else ", and its Egger test is no clear evidence of publication bias"
            )
        ),
    )


def _p_words(analysis, bound: float) -> str:
    """Under which of the six models the pooled SMD's p-value is below the paper's bound."""
    below = {
        (method, ci): pool(analysis.yi, analysis.vi, method, ci=ci).p_value < bound
        for method in ("DL", "REML", "PM")
        for ci in ("z", "hksj")
    }
    if all(below.values()):
        return "holds under every model we tried"
    if [choice for choice, ok in below.items() if ok] == [("DL", "z")]:
        return "holds only under the least conservative model"
    if not any(below.values()):
        p_values = {
            (method, ci): pool(analysis.yi, analysis.vi, method, ci=ci).p_value
            for method, ci in below
        }
        closest = min(p_values, key=p_values.get)
        return (
            "is below the printed bound under none of the models we tried (the closest, "
            f"{closest[0]} with a {'normal' if closest[1] == 'z' else 'Hartung–Knapp'} "
            f"interval, gives p = {p_values[closest]:.1g})"
        )
    return "holds under some models and not others"


def _bias_sentence(smd_p: float, points_p, relief_p, threshold: float) -> str:
    if smd_p < threshold:
        first = "is reproduced"
        if min(points_p) >= threshold:
            first += (
                ", but the asymmetry is built into the way the SMDs were computed and "
                "disappears in points"
            )
        else:
            first += ", and the asymmetry remains in points"
    else:
        first = "is not below the paper's threshold"
    relief = (
        "the relief rates show none"
        if min(relief_p) >= threshold
        else "a test on the relief rates falls below the threshold too"
    )
    return f"{first}; {relief}."


def hepatotoxicity_headline() -> HepatotoxicityHeadline:
    """The numbers of the hepatotoxicity row (exact Clopper–Pearson intervals)."""
    readings = denominator_readings().set_index("reading")
    printed = load_table("published_rates").set_index("analysis_id").loc["hepatotoxicity"]
    values: dict[str, object] = {"printed": f"{printed['rate_pct']:g}%"}
    for reading in ("paper", "liver_enzymes"):
        row = readings.loc[reading]
        values[reading] = percent_with_ci(
            row["rate"], row["exact_low"], row["exact_high"], decimals=1
        )
        values[f"{reading}_events"] = int(row["events"])
        values[f"{reading}_patients"] = int(row["patients"])
    looked, every = (int(readings.at[r, "studies"]) for r in ("liver_enzymes", "paper"))
    values["uncertain"] = (
        "the liver-enzyme rate is uncertain because most studies did not report on the liver "
        "at all"
        if looked < every / 2
        else "the liver-enzyme rate is uncertain because it rests on few studies and cases"
    )
    return HepatotoxicityHeadline(**values)


def descriptives_headline() -> DescriptivesHeadline:
    """How many of the Results' descriptive numbers `reproduce_descriptives` reproduces."""
    statuses = [claim.status for claim in reproduce_descriptives().claims]
    failing = check_flow().failing
    if not failing:
        flow = "every sum of the flow chart holds"
    elif all(check.rule == "reasons add up" for check in failing):
        flow = "the flow chart's reasons do not add up to its count"
    else:
        flow = "the flow chart's counts do not add up"
    return DescriptivesHeadline(
        total=len(statuses),
        reproduced=sum(status.startswith("reproduced") for status in statuses),
        flow_clause=flow,
    )
