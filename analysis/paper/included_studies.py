"""The included studies in the Inclusion chapter: its prose numbers and its tables.

Numbers for the prose, as frozen dataclasses or mappings ready for
`analysis.charts.glue_result`: how many descriptive numbers have each status
(`status_counts_of`), what Table 1 says about the eligibility criteria (`eligibility_facts`),
the spread of size and duration (`span_facts`), and what lies behind the printed total of
subjects (`subjects_facts`), the mean age (`age_facts`), the duration of CRPS (`crps_facts`)
and the participants of the relief-rate analyses (`participant_facts`). Tables to show, with the
chapter's headings: the computations tried for one group of numbers (`descriptive_attempts`)
and every descriptive number with its status (`status_table`). The report is
`analysis.paper.reproduce_descriptives`; the studies `analysis.paper.load_studies`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.charts.formatting import joined_words, round_half_up
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.bibtex import bib_entries
from analysis.paper.descriptives import (
    DescriptivesReport,
    subsets_with_total,
)
from analysis.paper.readings import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUS_KEYS,
)
from analysis.paper.relief_rates import TIMEPOINTS
from analysis.paper.table1 import PAIN_SCALES, pain_scale, vas_study
from analysis.paper.trials import trial_ids

FOLLOWUP_WITH_RATE = "the studies with a follow-up rate in Table 1, N as printed"
"""The name of the computation that counts every study with a follow-up rate in Table 1."""
FOLLOWUP_ADDED_LEAD = "The printed number is what one gets by also counting"
FOLLOWUP_ADDED_VERDICT = (
    "and whose reference the text leaves out of this analysis: the study count and the "
    "patient count describe different sets of studies"
)
FOLLOWUP_ADDED_LEAD_OTHERWISE = "Also counting"
FOLLOWUP_ADDED_VERDICT_OTHERWISE = (
    "and whose reference the text leaves out of this analysis, gives {total}, not the printed "
    "{printed} either: {otherwise}"
)

LOWER_BOUND = r"^>\s*\d"
"""A duration of CRPS printed only as a lower bound (``">1 year"``)."""
ROUNDED_YEARS = "years rounded to one decimal"
"""How the name of a CRPS computation says that years were rounded before conversion."""
IN_PARENTHESES = "N in parentheses"
"""How the name of a computation of `reproduce_descriptives` ends when it takes the second N."""

GAP = "Off by (last digits)"
"""The heading of the column of `descriptive_attempts` written with one decimal."""

ADULT_AGE = 18
"""A mean age below this (years) says a study's patients were mostly children or adolescents."""
SMALL_AGE_GAP = 1.0
"""A gap (years) between the printed mean age and the closest computation that is small, and
does not matter clinically."""


@dataclass(frozen=True)
class EligibilityFacts(TidyResult):
    """What Table 1 and the paper's text say about the eligibility criteria.

    Attributes
    ----------
    k : int
        Studies in Table 1.
    designs : int
        Studies whose design the paper states.
    designs_stated : str
        Each of them with its design as stated, separated by semicolons.
    with_pain : int
        Studies with pain scores before and after treatment.
    without_pain : str
        The others, joined by "and".
    wide_scale_n : int
        Studies whose scores fit only the wide scale.
    wide_scale : str
        Those studies, joined by "and".
    scale_narrow, scale_wide : str
        The two pain scales, e.g. ``"0–10"``.
    smallest : str
        The three smallest studies with their N.
    youngest_label : str
        The study with the lowest mean age.
    youngest_age : float
        Its mean age in years.
    followup_when : str
        When the follow-up was, in words.
    cited_for_vas : str
        The study the paper cites for its visual analogue scale
        (`analysis.paper.table1.vas_study`).
    scale_sentence : str
        What Table 1 says against (or for) the paper's account of the scales, one sentence.
    age_sentence : str
        What the eligibility criteria and Table 1 say about age, one sentence: that the
        youngest study was mostly of children or adolescents (mean age below `ADULT_AGE`), or
        that none was.
    further_left_out : str
        The subsets of studies that a later analysis could leave out, joined by "or".
    conclusion : str
        Why the criteria cannot be checked for each study, one sentence (or that they can).
    """

    k: int
    designs: int
    designs_stated: str
    with_pain: int
    without_pain: str
    wide_scale_n: int
    wide_scale: str
    scale_narrow: str
    scale_wide: str
    smallest: str
    youngest_label: str
    youngest_age: float
    followup_when: str
    cited_for_vas: str
    scale_sentence: str
    age_sentence: str
    further_left_out: str
    conclusion: str


@dataclass(frozen=True)
class SpanFacts(TidyResult):
    """How large the studies were and how long they treated.

    Attributes
    ----------
    biggest_label : str
        The largest study.
    biggest_n : int
        Its patients.
    duration_median : float
        The median duration of treatment in days.
    duration_ratio : float
        The longest duration over the shortest.
    longest_label : str
        The study that treated longest.
    below_mean : int
        Studies that treated for less than the mean duration.
    pulled_up : str
        What pulls the mean above the median: the longest study on its own (leaving it out
        closes more than half the gap between the plain mean and the median), or the longer
        studies.
    """

    biggest_label: str
    biggest_n: int
    duration_median: float
    duration_ratio: float
    longest_label: str
    below_mean: int
    pulled_up: str


@dataclass(frozen=True)
class SubjectsFacts(TidyResult):
    """The total of subjects, and the study counted two ways.

    Attributes
    ----------
    as_printed : object
        The total of N as Table 1 prints it, at the printed precision.
    two_n_label : str
        The studies for which Table 1 prints two numbers of patients, joined by "and" (empty
        when there is none).
    further_open : str
        What the primary studies could settle about the patients: "each study's design" and,
        when a study has two numbers, "the N of" it.
    rows_relation : str
        How the number of rows of Table 1 compares with the printed number of studies, with
        the printed number (``"as printed (15)"``).
    however : str
        ``", however,"`` when the printed total needs a particular reading of N, else empty.
    reading : str
        Which reading of N gives the printed total, as the rest of a sentence that begins
        "The 258 subjects": the one with the number in parentheses, N as printed, or none.
    fig4a_lead, fig4a_tail : str
        The sentence on Fig. 4a around its link to the Pooling chapter: that Fig. 4a needs the
        first number (with "on the other hand" and that the paper then counts the same study's
        patients differently in different places, when the total needs the second), or that
        no study has two numbers.
    """

    as_printed: object
    two_n_label: str
    further_open: str
    rows_relation: str
    however: str
    reading: str
    fig4a_lead: str
    fig4a_tail: str


@dataclass(frozen=True)
class AgeFacts(TidyResult):
    """The mean age, and the closest computation to the printed one.

    Attributes
    ----------
    plain_mean, plain_sd : object
        The plain mean and SD of the studies' mean ages, at the printed precision.
    n : int
        Studies with a mean age.
    left_out : str
        The studies the closest computation leaves out, joined by "and".
    attempts : int
        Computations tried.
    sentence : str
        What the computations give: the one that gives the printed pair, or that none does,
        how close the closest comes and whether the gap matters (`SMALL_AGE_GAP`).
    """

    plain_mean: object
    plain_sd: object
    n: int
    left_out: str
    attempts: int
    sentence: str


@dataclass(frozen=True)
class CrpsFacts(TidyResult):
    """The duration of CRPS: the computation that gives the printed digits, and the others.

    Attributes
    ----------
    exact_mean, exact_sd : object
        The mean and SD with every duration converted exactly, at the printed precision.
    n : int
        Study durations in the matching computation.
    choices : str
        Its assumptions.
    no_duration_n : int
        Studies that give no duration and are left out.
    no_duration_text : str
        What the first of them prints instead.
    attempts : int
        Computations tried.
    bounded_label, bounded_text : str
        The studies that give only a lower bound, and the bound as printed.
    rounded_label : str
        The studies whose duration in years was rounded before conversion.
    verdict : str
        Whether the computation shown gives the printed digits: ``"is reproduced to the last
        digit by one of the 12 readings we tried"``, or that none does and it is the closest.
    conclusion : str
        What the match shows about the paper's computation, or that no reading gives it.
    """

    exact_mean: object
    exact_sd: object
    n: int
    choices: str
    no_duration_n: int
    no_duration_text: str
    attempts: int
    bounded_label: str
    bounded_text: str
    rounded_label: str
    verdict: str
    conclusion: str


@dataclass(frozen=True)
class ParticipantFacts(TidyResult):
    """The participants of the two relief-rate analyses.

    Attributes
    ----------
    immediate_cited, followup_cited : int
        The N of the studies the paper names for each analysis, added up.
    immediate_enrolled : object
        The same right after treatment with the second number of the studies that have two
        (the first number again when none has).
    immediate_enrolled_phrase : str
        ``" (or 165 with Schwartzman 2009's second number)"``, or empty when no study the
        paper names has two numbers.
    followup_added : str
        The studies with a follow-up rate in Table 1 that Fig. 4b does not list, joined by
        "and" (whose patients the printed follow-up total also counts, when it does).
    followup_added_n : int
        Their patients.
    followup_added_rate : str
        Their response rates in percent.
    followup_added_kind : str
        "a study with a response rate of", or its plural.
    immediate_studies_phrase : str
        How the printed number of studies right after treatment compares with Table 1: "the
        same 9 that have an immediate rate in Table 1 and appear in Fig. 4a", or not.
    immediate_verdict, followup_verdict : str
        How the N of the studies the paper names compare with the printed total: ``"the
        printed 159"`` or ``"not the printed 159"``, then, for the immediate total, that no
        reading of Table 1 gives it when none does.
    followup_added_lead : str
        How the sentence on them begins: that the printed total is what counting them gives,
        or that counting them too.
    followup_added_verdict : str
        How it ends: that the study count and the patient count describe different sets of
        studies, or that counting them gives another total and no computation tried gives
        the printed one.
    subsets_matching, subsets_possible : int
        Sets of as many studies as the paper names whose N add up to the printed total, and
        all such sets.
    """

    immediate_cited: int
    immediate_enrolled: object
    immediate_enrolled_phrase: str
    followup_cited: int
    followup_added: str
    followup_added_n: int
    followup_added_rate: str
    followup_added_kind: str
    immediate_studies_phrase: str
    immediate_verdict: str
    followup_verdict: str
    followup_added_lead: str
    followup_added_verdict: str
    subsets_matching: int
    subsets_possible: int


def _require(frame: pd.DataFrame, columns: tuple[str, ...], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{where}: studies has no column {missing[0]!r}")
    if frame.empty:
        raise InputError(f"{where}: studies is empty")


def _labels(studies: pd.DataFrame, ids, *, inside: bool = True) -> pd.DataFrame:
    chosen = studies["study_id"].isin(list(ids))
    return studies[chosen if inside else ~chosen]


def status_counts_of(report: DescriptivesReport) -> dict[str, int]:
    """How many descriptive numbers there are (``claims``) and how many have each status.

    Examples
    --------
    >>> from analysis.paper import reproduce_descriptives
    >>> counts = status_counts_of(reproduce_descriptives())
    >>> counts["claims"] == sum(counts[key] for key in STATUS_KEYS.values())
    True
    """
    statuses = pd.Series([claim.status for claim in report.claims]).value_counts()
    counts = {"claims": len(report.claims)}
    counts |= {key: int(statuses.get(status, 0)) for status, key in STATUS_KEYS.items()}
    return counts


def claim_values(report: DescriptivesReport) -> dict[str, Mapping[str, str]]:
    """Each descriptive number printed and ours, as printed, by ``claim_id``."""
    return {
        claim.claim_id: {"printed": claim.printed_as_printed, "ours": claim.ours_as_printed}
        for claim in report.claims
    }


def eligibility_facts(
    studies: pd.DataFrame, designs: pd.DataFrame, claims: pd.DataFrame
) -> EligibilityFacts:
    """What Table 1 says about each eligibility criterion.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies`.
    designs : pandas.DataFrame
        ``load_table("study_designs")`` (``study_id``, ``design_as_stated``).
    claims : pandas.DataFrame
        ``load_table("published_claims")``: the study the paper cites for its visual analogue
        scale (`analysis.paper.table1.vas_study`).

    Raises
    ------
    InputError
        For studies without a column the facts need, or no studies.
    """
    columns = ("study_id", "label", "pain_baseline_mean", "pain_end_mean", "n_analysed")
    _require(studies, (*columns, "age_mean"), "eligibility_facts")
    designs = designs.merge(studies[["study_id", "label"]], on="study_id")
    with_pain = studies[studies["pain_baseline_mean"].notna() & studies["pain_end_mean"].notna()]
    scales = [
        pain_scale(b, e)
        for b, e in zip(studies["pain_baseline_mean"], studies["pain_end_mean"], strict=True)
    ]
    wide = studies[[s == PAIN_SCALES[100] for s in scales]]
    small = studies.nsmallest(3, "n_analysed")
    youngest = studies.loc[studies["age_mean"].idxmin()]
    stated = zip(designs["label"], designs["design_as_stated"], strict=True)
    cited_id, cited = vas_study(studies, claims)
    scale_by_id = dict(zip(studies["study_id"], scales, strict=True))
    young = float(youngest["age_mean"]) < ADULT_AGE
    subsets = ["the small case series"] + (["the study of adolescents"] if young else [])
    subsets += ["the studies without pain scores"] if len(with_pain) < len(studies) else []
    return EligibilityFacts(
        k=len(studies),
        designs=len(designs),
        designs_stated="; ".join(f"{label}: {design}" for label, design in stated),
        with_pain=len(with_pain),
        without_pain=" and ".join(_labels(studies, with_pain["study_id"], inside=False)["label"]),
        wide_scale_n=len(wide),
        wide_scale=" and ".join(wide["label"]),
        scale_narrow=PAIN_SCALES[10],
        scale_wide=PAIN_SCALES[100],
        smallest=", ".join(
            f"{label} ({n})" for label, n in zip(small["label"], small["n_analysed"], strict=True)
        ),
        youngest_label=str(youngest["label"]),
        youngest_age=float(youngest["age_mean"]),
        followup_when=TIMEPOINTS["followup"].description,
        cited_for_vas=cited,
        scale_sentence=_scale_sentence(cited, cited_id and scale_by_id[cited_id], wide, cited_id),
        age_sentence=_age_sentence(str(youngest["label"]), float(youngest["age_mean"])),
        further_left_out=_series(subsets, "or"),
        conclusion=_eligibility_conclusion(
            len(designs) < len(studies),
            len(with_pain) < len(studies),
            (cited_id is None or scale_by_id[cited_id] != PAIN_SCALES[100])
            or (wide["study_id"] != cited_id).any(),
        ),
    )


def _scale_sentence(
    cited: str, cited_scale: str | None, wide: pd.DataFrame, cited_id: str | None
) -> str:
    """Whether Table 1 bears out the paper's account: every study on the narrow scale but the
    one it cites, which used the wide one."""
    if cited_id is None:
        first = "the study it cites is not in Table 1"
    elif cited_scale is None:
        first = f"Table 1 gives no pain scores for {cited}"
    else:
        first = f"Table 1's pain scores for {cited} fit a {cited_scale} scale"
    others = wide[wide["study_id"] != cited_id]
    fit = f"scores that only fit a {PAIN_SCALES[100]} scale"
    if others.empty:
        second = f"no other study has {fit}"
    elif len(others) == 1:
        second = f"1 study ({others['label'].iloc[0]}) has {fit}"
    else:
        second = f"{len(others)} studies ({' and '.join(others['label'])}) have {fit}"
    if cited_scale == PAIN_SCALES[100] and others.empty:
        return f"Table 1 bears this out: {first}, and {second}."
    return f"Yet {first}, while {second}."


def _age_sentence(label: str, age: float) -> str:
    if age < ADULT_AGE:
        return (
            f"The criteria say nothing about age, and one study, {label}, had a mean age of "
            f"{age:.1f} years: its patients were mostly children or adolescents."
        )
    return (
        f"The criteria say nothing about age; the youngest patients, those of {label}, had a "
        f"mean age of {age:.1f} years, so no study was mostly of children or adolescents."
    )


def _eligibility_conclusion(designs_missing: bool, pain_missing: bool, scale_off: bool) -> str:
    reasons = (
        (["designs are not given"] if designs_missing else [])
        + (["some studies lack the pain scores the criteria require"] if pain_missing else [])
        + (["the scale the paper describes does not match Table 1"] if scale_off else [])
    )
    if not reasons:
        return "Table 1 and the paper give what is needed to check the eligibility criteria."
    return (
        "The eligibility criteria cannot be checked against the paper for each study: "
        f"{_series(reasons)}."
    )


def _series(items: list[str], last: str = "and") -> str:
    """Items joined as a series in the prose: "a and b", "a, b, and c" (serial comma)."""
    if len(items) <= 2:
        return f" {last} ".join(items)
    return f"{', '.join(items[:-1])}, {last} {items[-1]}"


def span_facts(studies: pd.DataFrame, duration_mean: float) -> SpanFacts:
    """The largest study and the spread of the durations of treatment.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies`.
    duration_mean : float
        Our mean duration in days (the studies below it are counted).
    """
    _require(studies, ("label", "n_analysed", "duration_days"), "span_facts")
    biggest = studies.loc[studies["n_analysed"].idxmax()]
    duration = studies["duration_days"].astype(float)
    longest = str(studies.loc[duration.idxmax(), "label"])
    others = duration.drop(duration.idxmax())
    gap = duration.mean() - duration.median()
    alone = len(others) > 0 and gap > 0 and others.mean() - duration.median() < gap / 2
    return SpanFacts(
        biggest_label=str(biggest["label"]),
        biggest_n=int(biggest["n_analysed"]),
        duration_median=float(duration.median()),
        duration_ratio=float(duration.max() / duration.min()),
        longest_label=longest,
        below_mean=int((duration < duration_mean).sum()),
        pulled_up=(
            f"which {longest} pulls up on its own" if alone else "which the longer studies pull up"
        ),
    )


@dataclass(frozen=True)
class DurationFacts(TidyResult):
    """What the printed mean and range of the durations of treatment are.

    Attributes
    ----------
    sentence : str
        The computation that gives the printed mean and range, or that none does and what the
        closest gives.
    """

    sentence: str


def duration_facts(report: DescriptivesReport) -> DurationFacts:
    """Which computation gives the printed mean and range of the durations, in one sentence.

    Examples
    --------
    >>> from analysis.paper import reproduce_descriptives
    >>> duration_facts(reproduce_descriptives()).sentence.endswith("each study counted once.")
    True
    """
    mean, low, high = (report.claim(c) for c in ("duration_mean", "duration_min", "duration_max"))
    printed = (
        f"The printed mean of {mean.printed_as_printed} days, and its range from "
        f"{low.printed_as_printed} to {high.printed_as_printed} days,"
    )
    found = mean.computation
    if mean.status == REPRODUCED and found.name == "plain mean":
        return DurationFacts(
            f"{printed} are the plain mean and range of Table 1's durations, each study "
            "counted once."
        )
    if mean.reproduced:
        return DurationFacts(
            f"{printed} follow from Table 1 only by a computation the paper does not state "
            f"({found.name}: {found.assumption})."
        )
    return DurationFacts(
        f"{printed} do not follow from Table 1 together: the closest computation ({found.name}) "
        f"gives a mean of {mean.ours_as_printed} days and a range from {low.ours_as_printed} "
        f"to {high.ours_as_printed} days."
    )


def subjects_facts(report: DescriptivesReport, studies: pd.DataFrame) -> SubjectsFacts:
    """The total of subjects as Table 1 prints N, and the studies for which it prints two
    numbers (chosen from the data: the rows with ``n_enrolled``)."""
    _require(studies, ("study_id", "label", "n_analysed", "n_enrolled"), "subjects_facts")
    subjects = report.attempts_table("subjects_total").set_index("name")
    two = studies[studies["n_enrolled"].notna()]
    label = " and ".join(two["label"])
    as_printed = subjects["subjects_total"].iloc[0]
    in_parentheses = next(
        (v for name, v in subjects["subjects_total"].items() if name.endswith(IN_PARENTHESES)),
        None,
    )
    claim = report.claim("subjects_total")
    parentheses_needed = claim.reproduced and claim.computation.name.endswith(IN_PARENTHESES)
    if len(two) == 1:
        row = two.iloc[0]
        which = (
            f"{label}'s number in parentheses ({int(row['n_enrolled'])}) instead of its first "
            f"number ({int(row['n_analysed'])})"
        )
    else:
        which = f"the numbers in parentheses of {label} instead of their first numbers"
    if two.empty:
        reading = (
            f"follow from adding up N as Table 1 prints it ({as_printed}); no study has a "
            "second number"
            if claim.reproduced
            else "follow from no reading of N. Adding up N as Table 1 prints it gives "
            f"{as_printed}, and no study has a second number"
        )
    elif parentheses_needed:
        reading = (
            "need a particular reading of N. Adding up N as Table 1 prints it gives "
            f"{as_printed}; the printed total needs {which}"
        )
    elif claim.reproduced:
        reading = (
            f"follow from adding up N as Table 1 prints it ({as_printed}); with {which}, the "
            f"total would be {in_parentheses}"
        )
    else:
        reading = (
            "follow from no reading of N. Adding up N as Table 1 prints it gives "
            f"{as_printed}, and with {which}, {in_parentheses}"
        )
    rows = report.claim("studies_included")
    if two.empty:
        fig4a_lead = "No study has a second number for Fig. 4a to choose between"
    else:
        fig4a_lead = (
            f"Fig. 4a{', on the other hand,' if parentheses_needed else ''} needs the first number"
        )
    return SubjectsFacts(
        as_printed=as_printed,
        two_n_label=label,
        further_open=f"each study's design, the N of {label}" if label else "each study's design",
        rows_relation=(
            f"as printed ({rows.printed_as_printed})"
            if rows.reproduced
            else f"where the paper prints {rows.printed_as_printed}"
        ),
        however=", however," if parentheses_needed else "",
        reading=reading,
        fig4a_lead=fig4a_lead,
        fig4a_tail=(
            ": the paper counts the same study's patients differently in different places"
            if parentheses_needed
            else ""
        ),
    )


def age_facts(report: DescriptivesReport, studies: pd.DataFrame) -> AgeFacts:
    """The plain mean age, the studies the closest computation leaves out, and what the
    computations give, in one sentence (`AgeFacts.sentence`)."""
    _require(studies, ("study_id", "label", "age_mean"), "age_facts")
    age = report.attempts_table("age")
    claims = (report.claim("age_mean"), report.claim("age_sd"))
    closest = claims[0].computation
    with_age = studies[studies["age_mean"].notna()]
    left_out = " and ".join(_labels(with_age, closest.studies, inside=False)["label"])
    return AgeFacts(
        plain_mean=age["age_mean"].iloc[0],
        plain_sd=age["age_sd"].iloc[0],
        n=len(with_age),
        left_out=left_out,
        attempts=len(age),
        sentence=_age_verdict(claims, left_out, len(age)),
    )


def _age_verdict(claims, left_out: str, attempts: int) -> str:
    mean, sd = claims
    if mean.reproduced:
        found = mean.computation
        unstated = (
            f", under a choice the paper does not state ({found.assumption})"
            if mean.status == ASSUMED and found.assumption
            else ""
        )
        return (
            f"Of the {attempts} computations below, one gives the printed pair: the "
            f"{found.description} ({mean.ours_as_printed} ± {sd.ours_as_printed}){unstated}."
        )
    missed = [
        name
        for name, claim in (("the mean", mean), ("the ±", sd))
        if claim.ours_as_printed != claim.printed_as_printed
    ]
    how = (
        f"leaves out {left_out}, for no reason the paper gives, and still misses"
        if left_out
        else f"({mean.computation.name}) misses"
    )
    gap = abs(mean.ours - mean.printed)
    size = (
        "the difference is small and does not matter clinically"
        if gap < SMALL_AGE_GAP
        else f"the mean is off by {gap:.1f} years"
    )
    return (
        f"None of the {attempts} computations below gives the printed pair. The closest {how} "
        f"{joined_words(missed)} ({mean.ours_as_printed} ± {sd.ours_as_printed}). We count this "
        f"number as {mean.status}; {size}."
    )


def crps_facts(report: DescriptivesReport, studies: pd.DataFrame) -> CrpsFacts:
    """The duration of CRPS: what the matching computation assumes, and what it leaves out."""
    columns = ("study_id", "label", "crps_duration_mean", "crps_duration_unit")
    _require(studies, (*columns, "crps_duration_as_printed"), "crps_facts")
    crps = report.attempts_table("crps_duration").set_index("name")
    exact = crps.loc["years × 12, bounds counted, plain mean"]
    claim = report.claim("crps_duration_mean")
    match = claim.computation
    no_mean = studies[studies["crps_duration_mean"].isna()]
    # A lower bound is what the text says ("> 1 year"), whether or not the match counts it.
    is_bound = no_mean["crps_duration_as_printed"].fillna("").str.match(LOWER_BOUND).astype(bool)
    no_duration = no_mean[~is_bound]
    bounded = no_mean[is_bound]
    in_years = studies[studies["crps_duration_unit"] == "years"]
    rounded = in_years[
        [round_half_up(v, 1) != v for v in in_years["crps_duration_mean"].astype(float)]
    ]
    return CrpsFacts(
        exact_mean=exact["crps_duration_mean"],
        exact_sd=exact["crps_duration_sd"],
        n=len(match.studies),
        choices=match.assumption,
        no_duration_n=len(no_duration),
        no_duration_text=str(no_duration["crps_duration_as_printed"].iloc[0]),
        attempts=len(crps),
        bounded_label=" and ".join(bounded["label"]),
        bounded_text=" and ".join(bounded["crps_duration_as_printed"]),
        rounded_label=" and ".join(rounded["label"]),
        verdict=(
            f"is reproduced to the last digit by one of the {len(crps)} readings we tried"
            if claim.reproduced
            else f"is not reproduced by any of the {len(crps)} readings we tried; the closest is"
        ),
        conclusion=(
            "So the ± is the spread between the studies' average durations, not between "
            f"patients, and {' and '.join(rounded['label'])}'s duration in years was rounded "
            "before it was converted to months. The paper states neither."
            if claim.reproduced and ROUNDED_YEARS in match.name and len(rounded)
            else "How the paper computed it cannot be told from Table 1."
        ),
    )


def participant_facts(report: DescriptivesReport, studies: pd.DataFrame) -> ParticipantFacts:
    """The participants of the relief-rate analyses: the cited studies' N, and what the
    printed follow-up total also counts; how many sets of studies give the immediate total."""
    _require(
        studies,
        ("study_id", "label", "n_analysed", "n_enrolled", "relief_followup_pct"),
        "participant_facts",
    )
    immediate = report.claim("immediate_participants")
    followup = report.claim("followup_participants")
    # The studies with a follow-up rate that Fig. 4b does not list: whether counting them gives
    # the printed total is what the data say, not assumed.
    with_rate = next(a for a in report.attempts if a.name == FOLLOWUP_WITH_RATE)
    added = _labels(
        _labels(studies, with_rate.studies), followup.computation.studies, inside=False
    )
    lead, verdict = _followup_added_sentence(followup, with_rate)
    matching, possible = subsets_with_total(
        studies["n_analysed"].astype(int),
        int(report.claim("immediate_studies").printed),
        int(immediate.printed),
    )
    immediate_n = report.attempts_table("immediate_participants").set_index("name")[
        "immediate_participants"
    ]
    # The studies the paper names, N as printed, and the same with the numbers in parentheses.
    cited = next(r for r in immediate.judgement.readings if r.determined)
    second = cited.name.replace("N as printed", IN_PARENTHESES)
    named = _labels(studies, cited.studies)
    two = " and ".join(named.loc[named["n_enrolled"].notna(), "label"])
    enrolled = immediate_n.get(second, immediate_n.iloc[0])
    return ParticipantFacts(
        immediate_cited=int(immediate.determined_value),
        immediate_enrolled=enrolled,
        immediate_enrolled_phrase=(
            f" (or {enrolled} with {two}'s second number)" if two and second in immediate_n else ""
        ),
        followup_cited=int(followup.determined_value),
        followup_added=" and ".join(added["label"]),
        followup_added_n=int(added["n_analysed"].sum()),
        # The prose writes "%" after the last rate.
        followup_added_rate="% and ".join(
            f"{v:g}" for v in added["relief_followup_pct"].astype(float)
        ),
        followup_added_kind=(
            "a study with a response rate of"
            if len(added) == 1
            else "studies with response rates of"
        ),
        immediate_studies_phrase=_immediate_studies_phrase(report),
        immediate_verdict=_total_verdict(immediate, explain=True),
        followup_verdict=_total_verdict(followup, explain=False),
        followup_added_lead=lead,
        followup_added_verdict=verdict,
        subsets_matching=matching,
        subsets_possible=possible,
    )


def _immediate_studies_phrase(report: DescriptivesReport) -> str:
    claim = report.claim("immediate_studies")
    if claim.status == REPRODUCED:
        return (
            f"the same {claim.ours_as_printed} that have an immediate rate in Table 1 and "
            "appear in Fig. 4a"
        )
    return f"not the {claim.ours_as_printed} that have an immediate rate in Table 1"


def _total_verdict(claim, *, explain: bool) -> str:
    """How the N of the studies the paper names compare with a printed total of participants:
    the printed number, or not, and then (``explain``) what gives it instead, if anything."""
    printed = claim.printed_as_printed
    if claim.status == REPRODUCED:
        return f"the printed {printed}"
    if not explain:
        return f"not the printed {printed}"
    if claim.explanation is None:
        return f"not the printed {printed}. No reading of Table 1 gives it"
    found = claim.explanation
    return f"not the printed {printed}, which {found.description} gives ({found.assumption})"


def _followup_added_sentence(followup, with_rate) -> tuple[str, str]:
    """The beginning and end of the sentence on the studies Fig. 4b does not list: whether
    counting them gives the printed follow-up total, or what does, or that nothing tried does."""
    explanation = followup.explanation
    if explanation is not None and explanation.name == with_rate.name:
        return FOLLOWUP_ADDED_LEAD, FOLLOWUP_ADDED_VERDICT
    total = round_half_up(float(with_rate.value("followup_participants")), followup.decimals)
    if followup.status == REPRODUCED:
        return FOLLOWUP_ADDED_LEAD_OTHERWISE, (
            f"and whose reference the text leaves out of this analysis, would give {total:g}"
        )
    otherwise = (
        "no computation we tried gives the printed number"
        if explanation is None
        else f"it comes from {explanation.description} ({explanation.assumption})"
    )
    verdict = FOLLOWUP_ADDED_VERDICT_OTHERWISE.format(
        total=f"{total:g}", printed=followup.printed_as_printed, otherwise=otherwise
    )
    return FOLLOWUP_ADDED_LEAD_OTHERWISE, verdict


SIMPLE_GROUPS = {
    "studies_included": "the number of studies",
    "years": "the years of publication",
    "duration": "the duration of treatment",
}
"""The groups of descriptive numbers that a plain computation from Table 1 should give."""
OTHER_GROUPS = {
    "subjects_total": "the total of subjects",
    "crps_duration": "the duration of CRPS",
    "age": "the mean age",
}
"""The other groups the conclusion names, each with its name in the prose."""
COUNT_GROUPS = {
    "immediate_studies": "the count of studies right after treatment",
    "followup_studies": "the count of studies one to three months after",
}
PARTICIPANT_GROUPS = {
    "immediate_participants": "the participant count right after treatment",
    "followup_participants": "the participant count one to three months after",
}
_STATUS_VERBS = {
    REPRODUCED: ("follows from Table 1", "follow from Table 1"),
    ASSUMED: ("needs a choice the paper does not state", "need a choice the paper does not state"),
    INCONSISTENT: (
        "disagrees with the studies the paper names",
        "disagree with the studies the paper names",
    ),
    NOT_REPRODUCIBLE: ("cannot be reproduced", "cannot be reproduced"),
}
_PLURAL = {"years"}
"""Groups whose name in the prose is plural ("the years of publication")."""
PLURAL_NAMES = {SIMPLE_GROUPS[group] for group in _PLURAL if group in SIMPLE_GROUPS}


def _verb(group: str, status: str) -> str:
    return _STATUS_VERBS[status][group in _PLURAL]


# What today's findings are, in words, where a general phrase would say less.
_SPECIFIC = {
    ("subjects_total", ASSUMED, IN_PARENTHESES): (
        "the total of subjects counts one study's patients differently from Fig. 4a"
    ),
    ("crps_duration", ASSUMED, "years rounded to one decimal, × 12, bounds counted"): (
        "the duration of CRPS needs a rounded conversion and a lower bound read as a value"
    ),
}


@dataclass(frozen=True)
class ConclusionFacts(TidyResult):
    """What the chapter concludes about the descriptive numbers, from their statuses.

    Attributes
    ----------
    holds : str
        The sentence on the simple descriptions: that they hold, which of them do, or that
        none does.
    others_lead : str
        What the other numbers have in common: that they need choices the paper does not
        state, do not follow at all, or both; or that they follow too.
    others : str
        One sentence: what each of the other numbers needs, or that it does not follow.
    consistency : str
        Whether the descriptive paragraph as a whole follows from Table 1 (no number
        inconsistent or not reproducible), or was not computed from it in any single,
        consistent way.
    """

    holds: str
    others_lead: str
    others: str
    consistency: str


def conclusion_facts(report: DescriptivesReport) -> ConclusionFacts:
    """The conclusions on the descriptive numbers, as the statuses of `report` give them.

    Examples
    --------
    >>> from analysis.paper import reproduce_descriptives
    >>> conclusion_facts(reproduce_descriptives()).holds.startswith("The simple descriptions hold")
    True
    """
    status = {}
    for claim in report.claims:
        group = claim.computation.group
        status.setdefault(group, (claim.status, claim.computation.name))
    holds = [name for group, name in SIMPLE_GROUPS.items() if status[group][0] == REPRODUCED]
    clauses = [
        f"{name} {_verb(group, status[group][0])}"
        for group, name in SIMPLE_GROUPS.items()
        if status[group][0] != REPRODUCED
    ]
    for group, name in OTHER_GROUPS.items():
        verdict, computation = status[group]
        specific = [
            text
            for (g, s, start), text in _SPECIFIC.items()
            if g == group and s == verdict and (start in computation)
        ]
        clauses.append(specific[0] if specific else f"{name} {_verb(group, verdict)}")
    clauses += [
        f"{name} {_verb(group, status[group][0])}"
        for group, name in COUNT_GROUPS.items()
        if status[group][0] != REPRODUCED
    ]
    participants = {status[group][0] for group in PARTICIPANT_GROUPS}
    if participants == {INCONSISTENT}:
        clauses.append(
            "both participant counts of the relief-rate analyses disagree with the studies "
            "the paper names"
        )
    else:
        clauses += [
            f"{name} {_verb(group, status[group][0])}"
            for group, name in PARTICIPANT_GROUPS.items()
        ]
    others = "; ".join(clauses[:-1]) + f"; and {clauses[-1]}" if len(clauses) > 1 else clauses[0]
    simple = list(SIMPLE_GROUPS.values())
    if len(holds) == len(simple):
        sentence = f"The simple descriptions hold: {joined_words(holds)} follow from Table 1."
    elif holds:
        missed = [name for name in simple if name not in holds]
        sentence = (
            f"Of the simple descriptions, {joined_words(holds)} "
            f"{'follows' if len(holds) == 1 and holds[0] not in PLURAL_NAMES else 'follow'} "
            f"from Table 1; {joined_words(missed)} do not."
        )
    else:
        sentence = (
            f"None of the simple descriptions ({joined_words(simple)}) follows from Table 1."
        )
    other_groups = [*OTHER_GROUPS, *COUNT_GROUPS, *PARTICIPANT_GROUPS]
    other_statuses = {status[group][0] for group in other_groups}
    kinds = (["need choices the paper does not state"] if ASSUMED in other_statuses else []) + (
        ["do not follow at all"] if other_statuses & {INCONSISTENT, NOT_REPRODUCIBLE} else []
    )
    statuses = {claim.status for claim in report.claims}
    every = not statuses & {INCONSISTENT, NOT_REPRODUCIBLE}
    return ConclusionFacts(
        holds=sentence,
        others_lead=(
            f"The others {', or '.join(kinds)}."
            if kinds
            else "The others follow from Table 1 too."
        ),
        others=others[0].upper() + others[1:] + ".",
        consistency=(
            "Every descriptive number of the paragraph follows from Table 1"
            + (
                ", some only under a choice the paper does not state."
                if ASSUMED in statuses
                else "."
            )
            if every
            else "None of these discrepancies changes a clinical conclusion. Together they show "
            "that the descriptive paragraph was not computed from Table 1 as printed in any "
            "single, consistent way."
        ),
    )


def descriptive_attempts(
    report: DescriptivesReport,
    group: str,
    columns: Mapping[str, str],
    label: str = "description",
) -> pd.DataFrame:
    """The computations tried for one group of descriptive numbers, to show.

    Parameters
    ----------
    report : DescriptivesReport
        `analysis.paper.reproduce_descriptives`.
    group : str
        The group (see ``DescriptivesReport.attempts_table``).
    columns : mapping
        The group's value columns (``claim_id``) and their headings.
    label : str
        The column that names the computation: ``"description"`` or ``"name"``.

    Returns
    -------
    pandas.DataFrame
        "Computation", the values, "Off by (last digits)" (`GAP`; show it with ``".1f"``)
        and "Same digits?".
    """
    if label not in ("description", "name"):
        raise InputError(f"descriptive_attempts: label={label!r} is not 'description' or 'name'")
    table = report.attempts_table(group)
    table["matches"] = table["matches"].map({True: "yes", False: "no"})
    shown = {label: "Computation", **columns, "gap": GAP}
    shown["matches"] = "Same digits?"
    return table[list(shown)].rename(columns=shown)


def status_table(report: DescriptivesReport) -> pd.DataFrame:
    """Every descriptive number, printed and ours, with its status and the computation behind
    ours, to show (empty cells are None)."""
    headings = {
        "quantity": "Number",
        "printed": "Printed",
        "ours": "Ours",
        "status": "Status",
        "computation_name": "Our computation (or the closest)",
        "assumption": "Its assumption",
        "explained_by": "What gives the printed number instead",
    }
    return report.table()[list(headings)].rename(columns=headings)


_SAME_AUTHOR_YEAR = re.compile(r"[a-z]$")


@dataclass(frozen=True)
class CitationFacts(TidyResult):
    """The included studies as citations, in MyST Markdown (glue it as
    ``IPython.display.Markdown`` and paste it with ``{glue:md}`name:myst```).

    Attributes
    ----------
    paragraph : str
        A paragraph that names every study of Table 1 in its order, each as a ``{cite:t}``
        citation when the bibliography has its ``study_id`` (else by its label, marked as not
        in the references), with how the citations were found; then, for each trial that
        Table 1 holds more than once (its ``trial_id``), that its reports are one trial.
    """

    paragraph: str


def citation_facts(studies: pd.DataFrame, bibliography: str) -> CitationFacts:
    """The included studies as citations (`CitationFacts`), from Table 1 and the book's
    bibliography.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies` (``study_id``, ``label``), in Table 1's order.
    bibliography : str
        The text of ``book/references.bib``; a study is cited when its ``study_id`` is a key.

    Examples
    --------
    >>> frame = pd.DataFrame({"study_id": ["a2001", "b2002"], "label": ["A 2001", "B 2002"]})
    >>> citation_facts(frame, "@article{a2001,\\n}").paragraph.split(" (")[0]
    'The included studies, in the order of Table 1, are {cite:t}`a2001` and B 2002'
    """
    _require(studies, ("study_id", "label"), "citation_facts")
    keys = set(bib_entries(bibliography))
    names = [
        f"{{cite:t}}`{sid}`" if sid in keys else f"{label} (not in the references)"
        for sid, label in zip(studies["study_id"], studies["label"], strict=True)
    ]
    found = ["these citations were found from the first authors, years and designs"]
    bases = studies["label"].str.replace(_SAME_AUTHOR_YEAR, "", regex=True)
    for base, count in bases[bases != studies["label"]].value_counts(sort=False).items():
        if count > 1:
            found.append(f"the {_count_word(count)} {base} studies told apart by their doses")
    included = (
        f"The included studies, in the order of Table 1, are {joined_words(names)} (the paper's "
        f"reference list did not survive in our copy; {', and '.join(found)})."
    )
    same_trial = ""
    if "trial_id" in studies.columns:
        for _, group in studies.groupby(trial_ids(studies), sort=False):
            if len(group) < 2:
                continue
            cited = [f"{{cite:t}}`{sid}`" if sid in keys else sid for sid in group["study_id"]]
            same_trial += (
                f" {_count_word(len(group)).capitalize()} of them, {joined_words(cited)}, report "
                "the same trial according to their own abstracts, so that trial's patients "
                "enter the paper's analyses more than once; the paper does not say so. The "
                "paper's analyses are redone with its study list as it is; the book's own "
                "analyses count each trial once."
            )
    return CitationFacts(paragraph=f"{included}{same_trial}")


def _count_word(n: int) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five"}
    return words.get(n, str(n))
