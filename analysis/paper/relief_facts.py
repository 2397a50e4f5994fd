"""The relief rates of Fig. 4a and 4b in the Pooling chapter: its tables and its prose numbers.

Tables to show (each a data frame with the chapter's column headings): the inputs of a forest
plot (`rate_input_table`), every printed number beside ours (`printed_beside_ours`) and the
readings of Table 1 that were tried (`rate_attempts_table`). Numbers for the prose, as frozen
dataclasses ready for `analysis.charts.glue_result`: the paper's pooled rate as printed
(`printed_rate`), the three undocumented input choices (`rate_input_facts`), one pooled rate
(`pooled_rate_facts`) and what the other readings change (`attempt_facts`).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.charts.formatting import estimate_with_ci, percent_with_ci
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult
from analysis.metaanalysis.results import TidyResult
from analysis.paper.published import published_pooled
from analysis.paper.relief_rates import TIMEPOINTS, outside_bounds

QUANTITIES = {
    "estimate": "estimate",
    "ci_low": "lower limit",
    "ci_high": "upper limit",
    "weight_pct": "weight %",
    "excluded": "left out",
    "i2_pct": "I² %",
    "p_heterogeneity": "p (Q test)",
}
"""The quantities of `analysis.paper.compare_studies` and `compare_pooled`, in words."""

PAPER_READING = "as Fig. 4 prints them"
"""The reading of Table 1 the paper used (`analysis.paper.relief_rates.PAPER_INPUTS`)."""
FIG4_FOLLOWS = (
    "The two forest plots of Fig. 4 follow exactly from Table 1, the DerSimonian–Laird model and "
    "the three undocumented input choices above. The arithmetic of the paper is sound."
)
UNROUNDED = "Table 1 percentages unrounded"
UNCORRECTED = "Table 1 uncorrected"
"""Two of the readings of `analysis.paper.reproduction_attempts` (its column ``inputs``)."""


@dataclass(frozen=True)
class RateInputFacts(TidyResult):
    """The inputs of Fig. 4 and the three choices the paper does not state.

    Attributes
    ----------
    immediate_reporting, followup_reporting : int
        Studies with a rate right after treatment, and with a number at follow-up.
    followup_words, followup_words_text : str
        The studies that give the follow-up only in words, and those words.
    goldberg_printed, goldberg_used : str
        Goldberg 2010's follow-up value as Table 1 prints it and as Fig. 4b uses it.
    goldberg_immediate_pct : str
        Its immediate rate in percent, as printed.
    goldberg_immediate_p : str
        The same as the two-decimal proportion pooled (halves rounded up).
    goldberg_half_even : str
        The same rounded as Python rounds (halves to even).
    schwartzman_n, schwartzman_enrolled : int
        Schwartzman 2009's two numbers of patients.
    zero_label : str
        The study with 0% responders right after treatment.
    zero_n : int
        Its patients.
    zero_followup : str
        Its follow-up rate in percent, as printed.
    """

    immediate_reporting: int
    followup_reporting: int
    followup_words: str
    followup_words_text: str
    goldberg_printed: str
    goldberg_used: str
    goldberg_immediate_pct: str
    goldberg_immediate_p: str
    goldberg_half_even: str
    schwartzman_n: int
    schwartzman_enrolled: int
    zero_label: str
    zero_n: int
    zero_followup: str


@dataclass(frozen=True)
class PooledRateFacts(TidyResult):
    """One pooled relief rate.

    Attributes
    ----------
    ours : str
        The pooled share with its 95% CI, in whole percent.
    i2 : float
        I² in percent.
    k : int
        Studies pooled.
    tau2 : float
        Between-study variance.
    below, above : str
        The studies whose confidence interval runs below 0% or above 100% (``"none"``).
    """

    ours: str
    i2: float
    k: int
    tau2: float
    below: str
    above: str


@dataclass(frozen=True)
class AttemptFacts(TidyResult):
    """What the readings of Table 1 other than the paper's change.

    Attributes
    ----------
    immediate_unrounded_studies, followup_unrounded_studies : int
        Study numbers of Fig. 4a and 4b reproduced with unrounded percentages.
    followup_uncorrected : str
        The follow-up rate with Goldberg 2010's misprinted value, with its 95% CI.
    followup_uncorrected_i2 : float
        Its I² in percent.
    largest_shift_points : float
        The largest change of a pooled rate under a reading other than the uncorrected one,
        in percentage points.
    paper_reading_lead, paper_reading_verdict : str
        The beginning (``"Only"`` or ``"Even"``) and the end of the sentence on the paper's
        reading of Table 1: that it reproduces every number of Fig. 4a and 4b, or how many.
    fig4_conclusion : str
        The chapter's conclusion on Fig. 4a and 4b: that they follow exactly from Table 1 with
        the paper's inputs, or how many of their numbers do.
    """

    immediate_unrounded_studies: int
    followup_unrounded_studies: int
    followup_uncorrected: str
    followup_uncorrected_i2: float
    largest_shift_points: float
    paper_reading_lead: str
    paper_reading_verdict: str
    fig4_conclusion: str


def _require(frame: pd.DataFrame, columns: tuple[str, ...], where: str, name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{where}: {name} has no column {missing[0]!r}")


def printed_rate(timepoint: str) -> str:
    """The paper's pooled share of patients with relief, with its CI, as printed.

    Examples
    --------
    >>> printed_rate("immediate")
    '69% (95% CI 53% to 84%)'
    """
    if timepoint not in TIMEPOINTS:
        raise InputError(f"printed_rate: timepoint={timepoint!r} is not one of {list(TIMEPOINTS)}")
    printed = published_pooled(TIMEPOINTS[timepoint].analysis_id)
    return percent_with_ci(printed["estimate"], printed["ci_low"], printed["ci_high"])


def rate_input_facts(
    inputs: Mapping[str, pd.DataFrame], studies: pd.DataFrame, corrections: pd.DataFrame
) -> RateInputFacts:
    """The inputs of Fig. 4 in numbers: who reports, the correction, the rounding, the 0% study.

    Parameters
    ----------
    inputs : mapping
        `analysis.paper.rate_inputs` by time point (``"immediate"`` and ``"followup"``).
    studies : pandas.DataFrame
        `analysis.paper.load_studies`.
    corrections : pandas.DataFrame
        ``load_table("corrections")``.

    Raises
    ------
    InputError
        For inputs without both time points or without a study with 0% responders.
    """
    for key in TIMEPOINTS:
        if key not in inputs:
            raise InputError(f"rate_input_facts: inputs has no time point {key!r}")
    immediate = inputs["immediate"]
    _require(
        immediate,
        ("study_id", "label", "n", "yi", "percent_as_printed"),
        "rate_input_facts",
        "inputs",
    )
    zeros = immediate[immediate["yi"] == 0]
    if zeros.empty:
        raise InputError("rate_input_facts: inputs['immediate'] has no study with 0% responders")
    zero = zeros.iloc[0]
    studies = studies.set_index("study_id")
    in_words = studies[studies["relief_followup_text"].notna()]
    goldberg = corrections.set_index("study_id").loc["goldberg2010"]
    goldberg_now = immediate.set_index("study_id").loc["goldberg2010"]
    schwartzman = studies.loc["schwartzman2009"]
    return RateInputFacts(
        immediate_reporting=len(inputs["immediate"]),
        followup_reporting=len(inputs["followup"]),
        followup_words=", ".join(in_words["label"]),
        followup_words_text=", ".join(in_words["relief_followup_text"]),
        goldberg_printed=f"{goldberg['value_as_printed']:g}",
        goldberg_used=f"{goldberg['value_used']:g}",
        goldberg_immediate_pct=f"{goldberg_now['percent_as_printed']:g}",
        goldberg_immediate_p=f"{goldberg_now['yi']:.2f}",
        goldberg_half_even=f"{round(goldberg_now['percent_as_printed'] / 100, 2):.2f}",
        schwartzman_n=int(schwartzman["n_analysed"]),
        schwartzman_enrolled=int(schwartzman["n_enrolled"]),
        zero_label=zero["label"],
        zero_n=int(zero["n"]),
        zero_followup=f"{studies.loc[zero['study_id'], 'relief_followup_pct']:g}",
    )


def pooled_rate_facts(table: pd.DataFrame, result: PoolResult) -> PooledRateFacts:
    """One pooled rate in numbers, with the studies whose Wald interval leaves 0–100%.

    Parameters
    ----------
    table : pandas.DataFrame
        `analysis.paper.with_weights` of the pooled inputs.
    result : PoolResult
        Their pooled result.
    """
    beyond = outside_bounds(table)
    return PooledRateFacts(
        ours=percent_with_ci(result.estimate, result.ci_low, result.ci_high),
        i2=result.i2,
        k=result.k,
        tau2=result.tau2,
        below=", ".join(beyond["below"]) or "none",
        above=", ".join(beyond["above"]) or "none",
    )


def rate_input_table(inputs: pd.DataFrame) -> pd.DataFrame:
    """The inputs of one forest plot to show: study, patients, Table 1's % and the proportion.

    Show it with ``formats={"Table 1 (%)": "g", "Proportion pooled": ".2f"}``.
    """
    columns = {
        "label": "Study",
        "n": "Patients",
        "percent_as_printed": "Table 1 (%)",
        "yi": "Proportion pooled",
    }
    _require(inputs, tuple(columns), "rate_input_table", "inputs")
    return inputs[list(columns)].rename(columns=columns)


def printed_beside_ours(checks: pd.DataFrame) -> pd.DataFrame:
    """Each printed number of a figure beside ours, to show (``compare_studies`` or
    ``compare_pooled``): the quantity in words, printed, ours rounded alike and in full, and
    "yes" or "NO". Show it with ``formats={"Ours, full precision": ".6g"}, missing=""``."""
    _require(
        checks,
        ("quantity", "printed", "ours_as_printed", "ours", "reproduced"),
        "printed_beside_ours",
        "checks",
    )
    shown = checks.assign(
        quantity=checks["quantity"].map(QUANTITIES),
        reproduced=checks["reproduced"].map({True: "yes", False: "NO"}),
    )
    columns = {
        "quantity": "Quantity",
        "printed": "Printed",
        "ours_as_printed": "Ours, rounded alike",
        "ours": "Ours, full precision",
        "reproduced": "Same?",
    }
    if "label" in shown.columns:
        columns = {"label": "Study", **columns}
    return shown[list(columns)].rename(columns=columns)


RATE_ATTEMPT_FORMATS = {
    "I² %": ".1f",
    "Largest gap, estimates and limits": ".3f",
    "Largest gap, weights (points)": ".2f",
}
"""How `rate_attempts_table`'s numbers are written."""


def rate_attempts_table(attempts: pd.DataFrame) -> pd.DataFrame:
    """The readings of Table 1 tried for one figure, to show (`reproduction_attempts`).

    Show it with ``formats=RATE_ATTEMPT_FORMATS``.
    """
    _require(
        attempts,
        ("inputs", "estimate", "studies_reproduced", "pooled_reproduced"),
        "rate_attempts_table",
        "attempts",
    )
    shown = attempts.assign(
        pooled=[
            estimate_with_ci(e, lo, hi)
            for e, lo, hi in attempts[["estimate", "ci_low", "ci_high"]].itertuples(index=False)
        ],
        studies=[
            f"{a} of {b}" for a, b in attempts[["studies_reproduced", "studies_total"]].values
        ],
        overall=[f"{a} of {b}" for a, b in attempts[["pooled_reproduced", "pooled_total"]].values],
    )
    columns = {
        "inputs": "Inputs",
        "description": "What they are",
        "pooled": "Pooled (95% CI)",
        "i2": "I² %",
        "studies": "Study numbers reproduced",
        "overall": "Overall numbers reproduced",
        "max_gap_estimate": "Largest gap, estimates and limits",
        "max_gap_weight": "Largest gap, weights (points)",
    }
    return shown[list(columns)].rename(columns=columns)


def attempt_facts(
    attempts: Mapping[str, pd.DataFrame], results: Mapping[str, PoolResult]
) -> AttemptFacts:
    """What the other readings of Table 1 change (`analysis.paper.reproduction_attempts`).

    Parameters
    ----------
    attempts : mapping
        `reproduction_attempts` by time point.
    results : mapping
        The paper's pooled result by time point.
    """
    for key in TIMEPOINTS:
        if key not in attempts or key not in results:
            raise InputError(f"attempt_facts: attempts and results need time point {key!r}")
    frames = {key: frame.set_index("inputs") for key, frame in attempts.items()}
    uncorrected = frames["followup"].loc[UNCORRECTED]
    shifts = [
        (frame["estimate"].drop(UNCORRECTED) - results[key].estimate).abs().max()
        for key, frame in frames.items()
    ]
    paper = [frame.loc[PAPER_READING] for frame in frames.values()]
    counts = {
        column: sum(int(row[column]) for row in paper)
        for column in ("studies_reproduced", "studies_total", "pooled_reproduced", "pooled_total")
    }
    every = (
        counts["studies_reproduced"] == counts["studies_total"]
        and counts["pooled_reproduced"] == counts["pooled_total"]
    )
    how_many = (
        f"{counts['studies_reproduced']} of the {counts['studies_total']} study numbers and "
        f"{counts['pooled_reproduced']} of the {counts['pooled_total']} pooled numbers"
    )
    return AttemptFacts(
        paper_reading_lead="Only" if every else "Even",
        paper_reading_verdict="reproduce every number" if every else f"reproduce only {how_many}",
        fig4_conclusion=(
            FIG4_FOLLOWS
            if every
            else (
                "The two forest plots of Fig. 4 do not follow exactly from Table 1, the "
                "DerSimonian–Laird model and the three undocumented input choices above: they "
                f"reproduce {how_many} of Fig. 4a and 4b."
            )
        ),
        immediate_unrounded_studies=int(frames["immediate"].loc[UNROUNDED, "studies_reproduced"]),
        followup_unrounded_studies=int(frames["followup"].loc[UNROUNDED, "studies_reproduced"]),
        followup_uncorrected=percent_with_ci(
            uncorrected["estimate"], uncorrected["ci_low"], uncorrected["ci_high"]
        ),
        followup_uncorrected_i2=float(uncorrected["i2"]),
        largest_shift_points=float(100 * max(shifts)),
    )
