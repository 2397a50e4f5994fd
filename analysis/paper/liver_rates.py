"""The hepatotoxicity chapter's tables, chart data and prose numbers.

`analysis.paper.hepatotoxicity` computes the rate of raised liver enzymes under each reading of
the denominator (`denominator_readings`), and `analysis.paper.adverse_effects` sorts the
side effects of Table 1; this module turns their frames into the chapter's table of readings,
the points of its rate chart, and the numbers its prose cites.
"""

from dataclasses import dataclass

import pandas as pd

from analysis.charts.percentages import percent, percent_range
from analysis.metaanalysis.binomial import BinomialIntervals
from analysis.metaanalysis.effect_sizes import raw_proportions, wald_intervals
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult

LITTLE_CHANGE = 0.1
"""A relative change of the rate below this (10%) "changes little"."""
MUCH_HIGHER = 2.0
"""A study's rate at least this many times the paper's is "much higher"."""
SLOW_COURSE = ("not yet normal", "still raised", "still elevated")
"""Phrases of ``course_as_reported`` that say the enzymes had not recovered when last seen."""


def _require(frame: pd.DataFrame, columns: list[str], where: str, name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InputError(f"{where}: {name} has no column {missing[0]!r}")


def readings_table(readings: pd.DataFrame) -> pd.DataFrame:
    """The rate under each reading of the denominator, as text, for the chapter's table.

    Parameters
    ----------
    readings : pandas.DataFrame
        Output of `analysis.paper.denominator_readings`.

    Returns
    -------
    pandas.DataFrame
        Denominator, studies, events, patients, the rate and its exact and Wilson intervals
        (percentages with one decimal).

    Raises
    ------
    InputError
        When ``readings`` lacks a column of `denominator_readings`.
    """
    _require(
        readings,
        ["description", "studies", "events", "patients", "rate", "exact_low", "wilson_low"],
        "readings_table",
        "readings",
    )
    shown = readings.assign(
        rate=[percent(r) for r in readings["rate"]],
        exact=[percent_range(lo, hi) for lo, hi in readings[["exact_low", "exact_high"]].values],
        wilson=[
            percent_range(lo, hi) for lo, hi in readings[["wilson_low", "wilson_high"]].values
        ],
    )
    return shown[
        ["description", "studies", "events", "patients", "rate", "exact", "wilson"]
    ].rename(
        columns={
            "description": "Denominator",
            "studies": "Studies",
            "events": "Patients with raised enzymes",
            "patients": "Patients",
            "rate": "Rate",
            "exact": "Exact 95% CI",
            "wilson": "Wilson 95% CI",
        }
    )


def liver_rate_points(
    readings: pd.DataFrame, events: pd.DataFrame, per_study: BinomialIntervals
) -> pd.DataFrame:
    """The rows of the rate chart: each reading of the denominator, then each reporting study.

    Parameters
    ----------
    readings : pandas.DataFrame
        Output of `analysis.paper.denominator_readings`.
    events : pandas.DataFrame
        `analysis.paper.liver_events` with the studies' ``label``.
    per_study : BinomialIntervals
        Exact intervals of ``events`` (``binomial_interval(..., "exact")``).

    Returns
    -------
    pandas.DataFrame
        ``readings``'s columns with ``group`` (``"Denominator"`` or ``"Single study"``),
        ``name`` and ``text`` (the rate, its interval and the counts), as
        `analysis.charts.rate_interval_chart` takes them.

    Raises
    ------
    InputError
        When ``per_study`` does not have one interval per row of ``events``.
    """
    _check_one_interval_per_study(events, per_study, "liver_rate_points")
    points = pd.concat(
        [
            readings.assign(group="Denominator", name=readings["label"]),
            pd.DataFrame(
                {
                    "group": "Single study",
                    "name": events["label"],
                    "events": events["patients_with_event"],
                    "patients": events["patients"],
                    "rate": per_study.proportion,
                    "exact_low": per_study.ci_low,
                    "exact_high": per_study.ci_high,
                }
            ),
        ],
        ignore_index=True,
    )
    columns = ["rate", "exact_low", "exact_high", "events", "patients"]
    points["text"] = [
        f"{percent(r)} ({percent(lo)} to {percent(hi)}), {e} of {n} patients"
        for r, lo, hi, e, n in points[columns].values
    ]
    return points


@dataclass(frozen=True)
class LiverStudiesFacts(TidyResult):
    """The studies that report raised liver enzymes, in the chapter's words.

    Attributes
    ----------
    sentence : str
        Their rates beside the paper's (higher, much higher, or not), each with its exact
        interval, and where the Wald interval of the smallest would start.
    course : str
        What the reported courses after stopping ketamine advise: follow-up tests when a
        study's enzymes had not recovered (`SLOW_COURSE`), or that they had.
    """

    sentence: str
    course: str


def liver_studies_facts(
    events: pd.DataFrame, per_study: BinomialIntervals, paper_rate: float, level: float
) -> LiverStudiesFacts:
    """`LiverStudiesFacts` of the studies in ``events`` against the paper's rate.

    Parameters
    ----------
    events : pandas.DataFrame
        `analysis.paper.liver_events` with ``label``.
    per_study : BinomialIntervals
        Exact intervals of ``events``.
    paper_rate : float
        The paper's rate recomputed (a proportion).
    level : float
        The level of the Wald interval of the smallest study.

    Raises
    ------
    InputError
        When ``per_study`` does not have one interval per row of ``events``.
    """
    _check_one_interval_per_study(events, per_study, "liver_studies_facts")
    facts = liver_study_facts(events, per_study)
    if not facts:
        return LiverStudiesFacts(
            "No study reports raised liver enzymes.", "No study reports how the enzymes went."
        )
    shown = [
        f"{f.label} {f.count} ({f.rate}, {'exact CI ' if i == 0 else ''}{f.ci})"
        for i, f in enumerate(facts)
    ]
    rates = pd.Series(per_study.proportion, dtype=float)
    if (rates >= MUCH_HIGHER * paper_rate).all():
        how = "much higher"
    elif (rates > paper_rate).all():
        how = "higher"
    else:
        how = "not all higher" if len(facts) > 1 else "not higher"
    where = (
        "In the study that reports on liver enzymes the rate is"
        if len(facts) == 1
        else "In the studies that report on liver enzymes the rates are"
    )
    small = int(pd.Series(per_study.n).idxmin())
    wald = raw_proportions([per_study.proportion[small]], [per_study.n[small]])
    low = float(wald_intervals(wald.yi, wald.vi, level)[0][0])
    which = {1: "this study", 2: "the smaller study"}.get(len(facts), "the smallest study")
    wald_sentence = f"For {which} a Wald interval would start at {percent(low)}" + (
        ", an impossible negative rate." if low < 0 else ", still a possible rate."
    )
    sentence = f"{where} {how}: {' and '.join(shown)}. {wald_sentence}"
    slow = [f for f in facts if any(phrase in f.course for phrase in SLOW_COURSE)]
    if slow:
        course = (
            f"In {' and '.join(f.label for f in slow)} the course was slow "
            f"({'; '.join(f.course for f in slow)}), so follow-up tests after treatment are "
            "worth planning too."
        )
    else:
        course = "Where the course after stopping is reported, the enzymes recovered."
    return LiverStudiesFacts(sentence=sentence, course=course)


@dataclass(frozen=True)
class PaperRate(TidyResult):
    """The paper's rate recomputed, with its intervals.

    Attributes
    ----------
    rate : str
        The rate in percent, two decimals.
    exact_ci, wilson_ci : str
        Its exact (Clopper–Pearson) and Wilson intervals, ``"0.9% to 3.6%"``.
    checked, reproduced : int
        Printed numbers compared (count, denominator, rate), and how many we reproduce.
    level_pct : str
        The confidence level, ``"95%"``.
    upper_ratio : float
        The exact upper limit over the rate.
    """

    rate: str
    exact_ci: str
    wilson_ci: str
    checked: int
    level_pct: str
    upper_ratio: float
    reproduced: int


def paper_rate_facts(readings: pd.DataFrame, check: pd.DataFrame, level: float) -> PaperRate:
    """`PaperRate` from the reading ``"paper"`` and `analysis.paper.compare_with_paper`.

    Raises
    ------
    InputError
        When ``readings`` has no reading ``"paper"``.
    """
    by_reading = readings.set_index("reading")
    if "paper" not in by_reading.index:
        raise InputError("paper_rate_facts: readings has no reading 'paper'")
    paper = by_reading.loc["paper"]
    return PaperRate(
        rate=percent(paper["rate"], 2),
        exact_ci=percent_range(paper["exact_low"], paper["exact_high"]),
        wilson_ci=percent_range(paper["wilson_low"], paper["wilson_high"]),
        checked=len(check),
        level_pct=f"{100 * level:g}%",
        upper_ratio=float(paper["exact_high"] / paper["rate"]),
        reproduced=int(check["reproduced"].sum()),
    )


@dataclass(frozen=True)
class LiverStudy(TidyResult):
    """One study that reports raised liver enzymes.

    Attributes
    ----------
    label : str
    count : str
        ``"2 of 20"``.
    rate, ci : str
        Its rate and exact interval in percent.
    course : str
        What happened after ketamine was stopped, as reported.
    """

    label: str
    count: str
    rate: str
    course: str
    ci: str


def liver_study_facts(events: pd.DataFrame, per_study: BinomialIntervals) -> list[LiverStudy]:
    """`LiverStudy` for each row of ``events``, with its interval from ``per_study``.

    Raises
    ------
    InputError
        When ``per_study`` does not have one interval per row of ``events``.
    """
    _check_one_interval_per_study(events, per_study, "liver_study_facts")
    return [
        LiverStudy(
            label=row["label"],
            count=f"{row['patients_with_event']} of {row['patients']}",
            rate=percent(per_study.proportion[i]),
            course=row["course_as_reported"],
            ci=percent_range(per_study.ci_low[i], per_study.ci_high[i]),
        )
        for i, (_, row) in enumerate(events.iterrows())
    ]


@dataclass(frozen=True)
class DenominatorFacts(TidyResult):
    """What the readings of the denominator give.

    Attributes
    ----------
    all_studies : int
        Studies of Table 1.
    analysed_total : int
        Patients analysed (rather than enrolled).
    enrolled_sentence : str
        Which patients the paper's printed denominator counts: every patient of every study,
        counted as enrolled (the studies Table 1 prints with two sample sizes, chosen from the
        data, at their second), or as analysed, or neither; then what counting the patients
        analysed gives, and whether that changes the rate much (`LITTLE_CHANGE`).
    adverse_studies : int
        Studies whose Table 1 entry reports some adverse effect.
    no_side_effects : str
        Studies with no side effects in Table 1.
    readings_count : int
        Readings of the denominator.
    lowest_rate, highest_rate, range_low, range_high : str
        The range of the rates, and of their exact limits, over the readings (percent).
    """

    all_studies: int
    analysed_total: int
    enrolled_sentence: str
    adverse_studies: int
    no_side_effects: str
    readings_count: int
    lowest_rate: str
    highest_rate: str
    range_low: str
    range_high: str


def denominator_facts(
    readings: pd.DataFrame, studies: pd.DataFrame, printed_patients: int
) -> DenominatorFacts:
    """`DenominatorFacts` of `denominator_readings` over the studies of Table 1.

    Parameters
    ----------
    readings : pandas.DataFrame
        `analysis.paper.denominator_readings`.
    studies : pandas.DataFrame
        `analysis.paper.load_studies` (``label``, ``n_analysed``, ``n_enrolled``,
        ``side_effects``).
    printed_patients : int
        The paper's denominator.

    Raises
    ------
    InputError
        When ``readings`` lacks a needed reading.
    """
    by_reading = readings.set_index("reading")
    for reading in ("paper", "analysed", "any_adverse_effect"):
        if reading not in by_reading.index:
            raise InputError(f"denominator_facts: readings has no reading {reading!r}")
    _require(
        studies,
        ["label", "n_analysed", "n_enrolled", "side_effects"],
        "denominator_facts",
        "studies",
    )
    return DenominatorFacts(
        all_studies=len(studies),
        analysed_total=int(by_reading.at["analysed", "patients"]),
        enrolled_sentence=_enrolled_sentence(by_reading, studies, printed_patients),
        adverse_studies=int(by_reading.at["any_adverse_effect", "studies"]),
        no_side_effects=", ".join(studies.loc[studies["side_effects"].isna(), "label"]),
        readings_count=len(readings),
        lowest_rate=percent(readings["rate"].min()),
        highest_rate=percent(readings["rate"].max()),
        range_low=percent(readings["exact_low"].min()),
        range_high=percent(readings["exact_high"].max()),
    )


def _enrolled_sentence(by_reading: pd.DataFrame, studies: pd.DataFrame, printed: int) -> str:
    enrolled = int(by_reading.at["paper", "patients"])
    analysed = int(by_reading.at["analysed", "patients"])
    two = studies[studies["n_enrolled"].notna()]
    k = len(studies)
    if enrolled == printed and not two.empty:
        shown = " and ".join(
            f'{label} as "{int(a)}({int(e)})"'
            for label, a, e in zip(two["label"], two["n_analysed"], two["n_enrolled"], strict=True)
        )
        second = " and ".join(str(int(e)) for e in two["n_enrolled"])
        first = (
            f"The paper's {printed} patients are all the patients of all {k} studies, counted "
            f"as enrolled: Table 1 gives {shown}, and the total is reached only with the "
            f"{second} enrolled patients."
        )
    elif enrolled == printed:
        first = f"The paper's {printed} patients are all the patients of all {k} studies."
    elif analysed == printed:
        first = (
            f"The paper's {printed} patients are all the patients of all {k} studies, counted "
            "as analysed."
        )
    else:
        first = (
            f"The paper's {printed} patients are not all the patients of the {k} studies of "
            f"Table 1, who number {enrolled} counted as enrolled."
        )
    if analysed == enrolled:
        return first
    rates = by_reading.loc[["paper", "analysed"], "rate"].astype(float)
    change = abs(rates["analysed"] - rates["paper"]) / rates["paper"] if rates["paper"] else 0.0
    verdict = (
        "That changes little."
        if change < LITTLE_CHANGE
        else (f"That changes the rate by {100 * change:.0f}%.")
    )
    return f"{first} Counting the patients analysed instead gives {analysed}. {verdict}"


@dataclass(frozen=True)
class LiverReading(TidyResult):
    """The rate among the studies that mention liver enzymes.

    Attributes
    ----------
    studies, patients : int
        Those studies and their patients.
    silent_studies : int
        Studies that do not mention liver enzymes.
    rate, ci : str
        The rate and its exact interval (percent).
    durations : str
        Infusion days of the studies with raised enzymes, ``"5 and 10"``.
    """

    studies: int
    patients: int
    silent_studies: int
    rate: str
    ci: str
    durations: str


def liver_reading_facts(
    readings: pd.DataFrame, studies: pd.DataFrame, events: pd.DataFrame
) -> LiverReading:
    """`LiverReading` from the reading ``"liver_enzymes"`` and the studies with events.

    Raises
    ------
    InputError
        When ``readings`` has no reading ``"liver_enzymes"``.
    """
    by_reading = readings.set_index("reading")
    if "liver_enzymes" not in by_reading.index:
        raise InputError("liver_reading_facts: readings has no reading 'liver_enzymes'")
    liver = by_reading.loc["liver_enzymes"]
    durations = studies.set_index("study_id").loc[events["study_id"], "duration_days"]
    return LiverReading(
        studies=int(liver["studies"]),
        patients=int(liver["patients"]),
        silent_studies=len(studies) - int(liver["studies"]),
        rate=percent(liver["rate"]),
        ci=percent_range(liver["exact_low"], liver["exact_high"]),
        durations=" and ".join(f"{d:g}" for d in durations),
    )


@dataclass(frozen=True)
class SideEffectFacts(TidyResult):
    """How many studies report the commonest categories of side effects.

    Attributes
    ----------
    psycho_studies, psycho_patients : int
        Studies reporting psychotomimetic or psychiatric effects, and their patients.
    psycho_rank : str
        Where that category stands among all categories by studies reporting it, as a
        predicate: "are the most often reported", "are, with nausea or vomiting, the most
        often reported" (a tie) or "are reported less often than nausea or vomiting".
    nausea_studies : int
        Studies reporting nausea or vomiting.
    reporting_studies : int
        Studies reporting any side effect in Table 1.
    liver_studies : int
        Studies reporting raised liver enzymes.
    """

    psycho_studies: int
    psycho_patients: int
    psycho_rank: str
    nausea_studies: int
    reporting_studies: int
    liver_studies: int


def side_effect_facts(counts: pd.DataFrame, grid: pd.DataFrame) -> SideEffectFacts:
    """`SideEffectFacts` from `analysis.paper.category_counts` and `analysis.paper.by_study`.

    Raises
    ------
    InputError
        When ``counts`` lacks one of the three categories.
    """
    by_category = counts.set_index("category")
    for category in ("psychotomimetic or psychiatric", "nausea or vomiting", "liver enzymes"):
        if category not in by_category.index:
            raise InputError(f"side_effect_facts: counts has no category {category!r}")
    psycho = by_category.loc["psychotomimetic or psychiatric"]
    return SideEffectFacts(
        psycho_studies=int(psycho["studies_present"]),
        psycho_patients=int(psycho["patients"]),
        psycho_rank=_rank_phrase(by_category["studies_present"], "psychotomimetic or psychiatric"),
        nausea_studies=int(by_category.at["nausea or vomiting", "studies_present"]),
        reporting_studies=int(grid["reported"].sum()),
        liver_studies=int(by_category.at["liver enzymes", "studies_present"]),
    )


def _rank_phrase(studies_per_category: pd.Series, category: str) -> str:
    """Where ``category`` stands by studies reporting it, as a predicate (see `SideEffectFacts`).

    Examples
    --------
    >>> counts = pd.Series({"a": 5, "b": 3, "c": 5})
    >>> _rank_phrase(counts, "a"), _rank_phrase(counts, "b")
    ('are, with c, the most often reported', 'are reported less often than a and c')
    >>> _rank_phrase(pd.Series({"a": 5, "b": 3}), "a")
    'are the most often reported'
    """
    most = studies_per_category.max()
    top = [name for name, n in studies_per_category.items() if n == most]
    others = [name for name in top if name != category]
    if category not in top:
        return f"are reported less often than {' and '.join(top)}"
    if not others:
        return "are the most often reported"
    return f"are, with {' and '.join(others)}, the most often reported"


def _check_one_interval_per_study(
    events: pd.DataFrame, per_study: BinomialIntervals, where: str
) -> None:
    """Raise `InputError` unless ``per_study`` has one interval per row of ``events``."""
    if len(per_study.proportion) != len(events):
        raise InputError(
            f"{where}: per_study has {len(per_study.proportion)} intervals for "
            f"{len(events)} studies"
        )
