"""The relief rates of Fig. 4a and 4b in the Pooling chapter: its tables and its prose numbers.

Tables to show (each a data frame with the chapter's column headings): the inputs of a forest
plot (`rate_input_table`), every printed number beside ours (`printed_beside_ours`) and the
readings of Table 1 that were tried (`rate_attempts_table`). Numbers for the prose, as frozen
dataclasses ready for `analysis.charts.glue_result`: the paper's pooled rate as printed
(`printed_rate`), the undocumented input choices (`rate_input_facts`), one pooled rate
(`pooled_rate_facts`) and what the other readings change (`attempt_facts`).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.charts.formatting import estimate_with_ci, percent_with_ci
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PoolResult
from analysis.metaanalysis.results import TidyResult
from analysis.paper.published import published_forest, published_pooled
from analysis.paper.relief_rates import TIMEPOINTS, compare_pooled, outside_bounds

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
    "the undocumented input choices above. The arithmetic of the paper is sound."
)
UNROUNDED = "Table 1 percentages unrounded"
UNCORRECTED = "Table 1 uncorrected"
"""Two of the readings of `analysis.paper.reproduction_attempts` (its column ``inputs``)."""


@dataclass(frozen=True)
class RateInputFacts(TidyResult):
    """The inputs of Fig. 4 and the choices the paper does not state, as the data give them.

    Every sentence is chosen by the data: an edit of ``data/`` that removes the correction, the
    study with 0% responders or the percentage that falls on a half changes the words, not
    only the numbers.

    Attributes
    ----------
    immediate_reporting, followup_reporting : int
        Studies with a rate right after treatment, and with a number at follow-up.
    followup_words, followup_words_text : str
        The studies that give the follow-up only in words, and those words.
    undocumented : str
        The undocumented input choices, as a list in words (``"it rounded ...; and ..."``).
    undocumented_count : str
        How many there are, in words (``"three"``).
    rounding_example : str
        A study whose percentage falls on a half, rounded up and rounded as Python does
        (halves to even), or that no study's does.
    misprints : str
        Each correction of `data/corrections.csv` that concerns a relief rate, or that
        there is none.
    sample_sizes : str
        The studies that print two numbers of patients, and the one pooled, or that none does.
    excluded : str
        The study Fig. 4a prints as "(Excluded)" and whether its proportion (0, so a Wald
        variance of 0) explains why, as the data now stand.
    excluded_effect : str
        What leaving it out does to the pooled rate.
    """

    immediate_reporting: int
    followup_reporting: int
    followup_words: str
    followup_words_text: str
    undocumented: str
    undocumented_count: str
    rounding_example: str
    misprints: str
    sample_sizes: str
    excluded: str
    excluded_effect: str


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
    intro : str
        The opening of the section: that both forest plots are reproduced to the last printed
        digit once the undocumented choices are known, or that they are only in part.
    uncorrected : str
        What Table 1 as printed (no correction) would have given at follow-up, or that there
        is no correction to undo.
    """

    immediate_unrounded_studies: int
    followup_unrounded_studies: int
    followup_uncorrected: str
    followup_uncorrected_i2: float
    largest_shift_points: float
    paper_reading_lead: str
    paper_reading_verdict: str
    fig4_conclusion: str
    intro: str
    uncorrected: str


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
    """The inputs of Fig. 4 in words: who reports, the rounding, the misprints, the 0% study.

    Parameters
    ----------
    inputs : mapping
        `analysis.paper.rate_inputs` by time point (``"immediate"`` and ``"followup"``).
    studies : pandas.DataFrame
        `analysis.paper.load_studies`.
    corrections : pandas.DataFrame
        ``load_table("corrections")`` (may have no rows).

    Raises
    ------
    InputError
        For inputs without both time points or without the columns of `rate_inputs`.
    """
    for key in TIMEPOINTS:
        if key not in inputs:
            raise InputError(f"rate_input_facts: inputs has no time point {key!r}")
        _require(
            inputs[key],
            ("study_id", "label", "n", "yi", "percent_as_printed"),
            "rate_input_facts",
            f"inputs[{key!r}]",
        )
    immediate = inputs["immediate"]
    in_words = studies[studies["relief_followup_text"].notna()]
    misprints = _relief_misprints(studies, corrections)
    excluded, excluded_effect, zero_dropped = _excluded_in_words(immediate, studies)
    undocumented = [
        "it rounded each study's percentage to a two-decimal proportion before pooling",
        *(
            f"it used {label}'s {words} value, which Table 1 misprints"
            for label, words, _ in misprints
        ),
    ]
    if zero_dropped:
        undocumented.append(
            "one study with 0% responders could not be weighted, so it was dropped"
        )
    return RateInputFacts(
        immediate_reporting=len(immediate),
        followup_reporting=len(inputs["followup"]),
        followup_words=", ".join(in_words["label"]) or "no study",
        followup_words_text=", ".join(in_words["relief_followup_text"]),
        undocumented=_in_a_list(undocumented),
        undocumented_count=_NUMBER_WORDS.get(len(undocumented), str(len(undocumented))),
        rounding_example=_rounding_example(immediate),
        misprints=(
            " ".join(sentence for _, _, sentence in misprints)
            if misprints
            else "None: data/corrections.csv records no correction of a relief rate, so "
            "Table 1's percentages are pooled as printed."
        ),
        sample_sizes=_two_sample_sizes(immediate, studies),
        excluded=excluded,
        excluded_effect=excluded_effect,
    )


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _in_a_list(items: list[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a; b; and c"``."""
    if len(items) <= 2:
        return " and ".join(items)
    return "; ".join(items[:-1]) + "; and " + items[-1]


def _rounding_example(immediate: pd.DataFrame) -> str:
    """The first study whose percentage falls on a half of the second decimal, in words."""
    for row in immediate.itertuples(index=False):
        half_even = round(row.percent_as_printed / 100, 2)
        if abs(half_even - row.yi) > 0:
            return (
                f"{row.label}'s {row.percent_as_printed:g}% became {row.yi:.2f}, where Python's "
                f"rounding (halves to even) gives {half_even:.2f}"
            )
    return "no study's percentage falls on a half, so the two rules give the same proportions"


def _relief_misprints(
    studies: pd.DataFrame, corrections: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Each correction of a relief rate: the study, the rate in words and a sentence."""
    labels = studies.set_index("study_id")["label"]
    found = []
    for row in corrections.itertuples(index=False):
        point = next((t for t in TIMEPOINTS.values() if t.column == row.column), None)
        if point is None:
            continue
        label = str(labels.get(row.study_id, row.study_id))
        words = "follow-up" if point.key == "followup" else "immediate"
        found.append(
            (
                label,
                words,
                f"Table 1 gives {label}'s {words} response as {row.value_as_printed:g} in a "
                f"column of percentages; Fig. {point.figure} uses {row.value_used:g}%. We store "
                "the value as printed and apply the correction from data/corrections.csv, "
                "where the evidence is recorded.",
            )
        )
    return found


def _two_sample_sizes(immediate: pd.DataFrame, studies: pd.DataFrame) -> str:
    """The studies pooled that print a second number of patients, in words."""
    enrolled = studies.set_index("study_id")["n_enrolled"]
    two = [
        (row.label, row.n, int(enrolled[row.study_id]))
        for row in immediate.itertuples(index=False)
        if row.study_id in enrolled.index and pd.notna(enrolled[row.study_id])
    ]
    if not two:
        return "Every study pooled prints one number of patients."
    return " ".join(
        f"{label} lists {n} patients with {second} in parentheses; the pooling uses {n}, the "
        "first number (the comparison of readings below shows what the second gives)."
        for label, n, second in two
    )


def _excluded_in_words(immediate: pd.DataFrame, studies: pd.DataFrame) -> tuple[str, str, bool]:
    """Fig. 4a's "(Excluded)" study and whether a proportion of 0 explains it, in words.

    Returns the paragraph, the sentence on its effect, and whether a study was dropped for a
    proportion of 0.
    """
    printed = published_forest(TIMEPOINTS["immediate"].figure)
    printed = printed[printed["excluded"].astype(bool)]
    ours = immediate.set_index("study_id")
    followup = studies.set_index("study_id")["relief_followup_pct"]
    if printed.empty:
        return 'Fig. 4a lists no study as "(Excluded)".', "", False
    row = printed.iloc[0]
    label = row["label_as_printed"]
    if row["study_id"] not in ours.index:
        return (
            f'Fig. 4a lists {label} as "(Excluded)" with weight 0, but the data as they now '
            "stand give it no rate right after treatment, so why it was left out cannot be "
            "checked.",
            "",
            False,
        )
    study = ours.loc[row["study_id"]]
    if study["yi"] != 0:
        return (
            f'Fig. 4a lists {study["label"]} as "(Excluded)" with weight 0. In the data as '
            f"they now stand {study['percent_as_printed']:g}% of its {study['n']} patients "
            "responded, so its Wald variance is not 0 and the paper's model would have "
            "weighted it: a proportion of 0 no longer explains why it was left out, and the "
            "printed figure no longer follows from the data (see the comparison above).",
            "",
            False,
        )
    later = followup.get(row["study_id"])
    in_4b = row["study_id"] in set(published_forest(TIMEPOINTS["followup"].figure)["study_id"])
    if in_4b:
        later_words = "Fig. 4b lists it."
    elif pd.isna(later):
        later_words = "Fig. 4b does not list it, and Table 1 gives it no follow-up response."
    elif later == 0:
        later_words = (
            "Fig. 4b does not list it at all, although Table 1 gives its follow-up response as "
            "0% too; under this model that makes no difference to the result."
        )
    else:
        later_words = (
            "Fig. 4b does not list it at all, although Table 1 gives its follow-up response as "
            f"{later:g}%, which the model could have weighted."
        )
    return (
        f'Fig. 4a lists one study as "(Excluded)" with weight 0: {study["label"]}, in which '
        f"none of {study['n']} patients responded. With a raw proportion of 0 the Wald variance "
        'is 0, and Stata\'s `metan` prints exactly this, "(Excluded)", for any study whose '
        "standard error is 0. So whatever the quality of that study, the model the paper chose "
        f"could not have included it. {later_words}",
        "Leaving out the one study in which ketamine helped nobody pushes the pooled rate up.",
        True,
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


def pooled_versus_paper(results: Mapping[str, PoolResult]) -> str:
    """Whether the paper prints the same pooled rates, limits and I² (at its precision).

    Parameters
    ----------
    results : mapping
        The pooled result by time point (``"immediate"`` and ``"followup"``).
    """
    differ = []
    for key, point in TIMEPOINTS.items():
        if key not in results:
            raise InputError(f"pooled_versus_paper: results has no time point {key!r}")
        checks = compare_pooled(key, results[key])
        shown = checks[checks["quantity"].isin(("estimate", "ci_low", "ci_high", "i2_pct"))]
        if not bool(shown["reproduced"].all()):
            differ.append(f"{printed_rate(key)} {point.description}")
    if not differ:
        return "Those are the paper's numbers."
    return f"The paper prints {' and '.join(differ)}; ours differ."


def heterogeneity_conclusion(results: Mapping[str, PoolResult]) -> str:
    """The chapter's conclusion on the heterogeneity of the two relief rates, in words.

    "Large" when every I² is at least 50% and every Q test has p < 0.05 (Higgins & Thompson,
    2002, call 50% moderate to substantial); otherwise the numbers alone.
    """
    values = " and ".join(f"{results[key].i2:.1f}%" for key in TIMEPOINTS)
    if all(results[key].i2 >= 50 and results[key].p_q < 0.05 for key in TIMEPOINTS):
        return (
            f"Heterogeneity is large (I² = {values}): the studies disagree far more than chance "
            "allows. A single pooled percentage hides that spread."
        )
    return f"Heterogeneity: I² = {values} (right after treatment and at follow-up)."


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
                "DerSimonian–Laird model and the undocumented input choices above: they "
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
        intro=(
            "Both forest plots of Fig. 4 are reproduced here to the last printed digit, once we "
            "know"
            if every
            else f"Fig. 4 is reproduced here only in part ({how_many}), even once we know"
        ),
        uncorrected=_uncorrected_sentence(frames["followup"]),
    )


def _uncorrected_sentence(followup: pd.DataFrame) -> str:
    """What pooling Table 1 as printed (no correction) gives at follow-up, in words."""
    uncorrected, paper = followup.loc[UNCORRECTED], followup.loc[PAPER_READING]
    ours = percent_with_ci(uncorrected["estimate"], uncorrected["ci_low"], uncorrected["ci_high"])
    if ours == percent_with_ci(paper["estimate"], paper["ci_low"], paper["ci_high"]):
        return (
            "Table 1 as printed gives the same follow-up rate: no correction of "
            "data/corrections.csv concerns it."
        )
    return (
        "Taking the misprinted follow-up value at face value would have given a pooled rate of "
        f"{ours}, with I² = {uncorrected['i2']:.1f}%."
    )
