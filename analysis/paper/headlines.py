"""The Introduction's table of claims: for each claim of the paper, the numbers its row prints.

One function a row: the relief rates of Fig. 4 (`relief_headline`), the pain scores and their
funnel plot (`pain_headline`), the hepatotoxicity rate (`hepatotoxicity_headline`) and the
descriptive numbers of the Results (`descriptives_headline`). Each returns a frozen dataclass
whose fields are the numbers and phrases of the prose, ready for
`analysis.charts.glue_result`; percentages are in percent (0–100), as the prose prints them.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.charts.formatting import percent_with_ci
from analysis.metaanalysis.bias import egger
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.analyses import pain_analysis
from analysis.paper.data import load_table
from analysis.paper.descriptives import reproduce_descriptives
from analysis.paper.hepatotoxicity import denominator_readings
from analysis.paper.pain_facts import closest_attempt
from analysis.paper.pain_scores import attempts_frame, fig2_attempts
from analysis.paper.published import published_pooled
from analysis.paper.relief_facts import printed_rate
from analysis.paper.relief_rates import TIMEPOINTS, compare_pooled, pool_rates, rate_inputs
from analysis.paper.robustness import Reanalysis, pain_reanalyses


@dataclass(frozen=True)
class ReliefHeadline(TidyResult):
    """One relief rate of Fig. 4: printed, reproduced, and with current methods.

    Attributes
    ----------
    printed : str
        The paper's pooled share with its 95% CI, e.g. ``"69% (95% CI 53% to 84%)"``.
    reproduced : str
        ``"reproduced exactly"`` when every pooled number of the figure is reproduced from
        Table 1, else ``"not reproduced"``.
    glmm : str
        The binomial–normal model's pooled share with its 95% CI, written like ``printed``.
    glmm_pi : tuple of float
        Its 95% prediction interval, in percent.
    mv_n : int
        Number of defensible analyses in the multiverse.
    mv : tuple of float
        The lowest and the highest estimate of the multiverse, in percent.
    """

    printed: str
    reproduced: str
    glmm: str
    glmm_pi: tuple[float, float]
    mv_n: int
    mv: tuple[float, float]


@dataclass(frozen=True)
class PainHeadline(TidyResult):
    """The pain scores (Fig. 2) and their funnel plot (Fig. 3).

    Attributes
    ----------
    points, points_low, points_high : float
        The paired mean fall in pain on a 0–10 scale (`analysis.paper.pain_reanalyses`) with
        its 95% CI.
    points_pi : tuple of float
        Its 95% prediction interval.
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
    """

    points: float
    points_low: float
    points_high: float
    points_pi: tuple[float, float]
    p_claim: str
    i2_printed: float
    i2_closest: float
    egger_p: float
    bias_threshold: str


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
    """

    printed: str
    paper: str
    paper_events: int
    paper_patients: int
    liver_enzymes: str
    liver_enzymes_events: int
    liver_enzymes_patients: int


@dataclass(frozen=True)
class DescriptivesHeadline(TidyResult):
    """How many descriptive numbers of the Results we reproduce.

    Attributes
    ----------
    total : int
        Printed descriptive numbers.
    reproduced : int
        Those reproduced, with or without an unstated assumption.
    """

    total: int
    reproduced: int


def relief_headline(
    timepoint: str, glmm: Reanalysis, multiverse: Mapping[str, float]
) -> ReliefHeadline:
    """The numbers of one relief rate's row.

    Parameters
    ----------
    timepoint : str
        A key of `analysis.paper.TIMEPOINTS` (``"immediate"`` or ``"followup"``).
    glmm : Reanalysis
        The binomial–normal model of that time point (from `analysis.paper.relief_reanalyses`).
    multiverse : mapping
        `analysis.paper.multiverse_summary` of its multiverse (``n_specifications``,
        ``estimate_min``, ``estimate_max``).

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
        reproduced="reproduced exactly" if checks["reproduced"].all() else "not reproduced",
        glmm=percent_with_ci(glmm.estimate, glmm.ci_low, glmm.ci_high),
        glmm_pi=(100 * glmm.pi_low, 100 * glmm.pi_high),
        mv_n=multiverse["n_specifications"],
        mv=(100 * multiverse["estimate_min"], 100 * multiverse["estimate_max"]),
    )


ARITHMETIC_SOUND = (
    "The paper's arithmetic is sound where we can check it: both of its headline percentages "
    "follow exactly from its own Table 1."
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
    (Fig. 4a and 4b, pooled) follow exactly from its own Table 1, as the data give it.

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
            "Neither of the paper's headline percentages follows exactly from its own Table 1."
        )
    missed = [TIMEPOINTS[key].description for key, ok in follows.items() if not ok]
    return ArithmeticVerdict(
        f"Of the paper's two headline percentages, the one {held[0]} follows exactly from its "
        f"own Table 1; the one {missed[0]} does not."
    )


def pain_headline() -> PainHeadline:
    """The numbers of the pain scores' and the funnel plot's rows."""
    _paper, _paired, points = pain_reanalyses()
    claim = published_pooled("pain_smd")
    analysis = pain_analysis()
    bias = load_table("published_bias").set_index("analysis_id")
    return PainHeadline(
        points=points.estimate,
        points_low=points.ci_low,
        points_high=points.ci_high,
        points_pi=(points.pi_low, points.pi_high),
        p_claim=f"{claim['p_effect_below']:f}".rstrip("0"),
        i2_printed=float(claim["i2_pct"]),
        i2_closest=float(closest_attempt(attempts_frame(fig2_attempts()), claim["i2_pct"])["i2"]),
        egger_p=egger(analysis.yi, analysis.vi).p_value,
        bias_threshold=f"{bias.at['pain_smd', 'p_threshold']:g}",
    )


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
    return HepatotoxicityHeadline(**values)


def descriptives_headline() -> DescriptivesHeadline:
    """How many of the Results' descriptive numbers `reproduce_descriptives` reproduces."""
    statuses = [claim.status for claim in reproduce_descriptives().claims]
    return DescriptivesHeadline(
        total=len(statuses),
        reproduced=sum(status.startswith("reproduced") for status in statuses),
    )
