"""The descriptive numbers of the paper's Results, recomputed from Table 1.

The paper prints how many studies and subjects it included, when they were published, how long
treatment lasted, the patients' age and how long they had had CRPS, and how many studies and
participants each relief-rate analysis used (``data/published_descriptives.csv``). It does not
say how it computed them: over which studies, weighted or not, with which N where Table 1
prints two, and how it turned durations given in years, or in words, into months.

For each printed number this module tries the computations the paper's wording allows
(`Computation`, a `analysis.paper.readings.Reading` that also names its group of printed numbers
and its studies), each with the assumption it needs, and has `analysis.paper.readings.judge`
decide which of them gives the printed digits and what status the number gets
(`reproduce_descriptives`). A number printed together with another (a mean and the number after
its ±) must come from the same computation as its partner.
"""

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.charts.formatting import round_half_up
from analysis.metaanalysis.checks import one_of
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_studies, load_table
from analysis.paper.published import published_forest
from analysis.paper.readings import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    Judgement,
    PrintedNumber,
    Reading,
    judge,
)
from analysis.paper.whole_patients import RELIEF_COLUMNS, neighbour_n, share_checks

__all__ = [
    "ASSUMED",
    "INCONSISTENT",
    "NOT_REPRODUCIBLE",
    "REPRODUCED",
    "STATUSES",
    "ClaimResult",
    "Computation",
    "DescriptivesReport",
    "crps_months",
    "pooled_patient_sd",
    "reproduce_descriptives",
    "spread_of_means",
    "subsets_with_total",
]

MONTHS_PER_YEAR = 12
_BOUND = re.compile(r"^>\s*(\d+(?:\.\d+)?)\s*(year|years|month|months)$")


@dataclass(frozen=True)
class Computation(Reading):
    """One way of computing printed numbers from Table 1: a `Reading` of a group of them.

    Attributes
    ----------
    name, description, values, assumption, determined
        As for `analysis.paper.readings.Reading`; ``values`` holds ``(claim_id, value)`` for
        each printed number of the group.
    group : str
        The printed numbers it computes (the ``group`` of ``published_descriptives.csv``).
    studies : tuple of str
        ``study_id`` of the studies used.
    """

    group: str = ""
    studies: tuple[str, ...] = ()


def _computation(
    group: str,
    name: str,
    description: str,
    assumption: str | None,
    determined: bool,
    values: tuple[tuple[str, float], ...],
    studies: tuple[str, ...],
) -> Computation:
    return Computation(
        name=name,
        description=description,
        values=values,
        assumption=assumption,
        determined=determined,
        group=group,
        studies=studies,
    )


@dataclass(frozen=True)
class ClaimResult(TidyResult):
    """One printed number beside ours.

    Attributes
    ----------
    claim_id, quantity, unit, source : str
        From ``published_descriptives.csv``.
    printed : float
        The printed value.
    decimals : int
        The printed decimals.
    ours : float
        Our value from `computation`, full precision.
    ours_as_printed : str
        Ours at the printed precision.
    printed_as_printed : str
        The printed value, formatted the same way.
    reproduced : bool
        Some computation gives the printed digits (for every number of its group).
    status : str
        One of `STATUSES`.
    computation : Computation
        The computation behind ``ours`` (`analysis.paper.readings.Judgement.chosen`).
    explanation : Computation or None
        For a number inconsistent within the paper: a computation that does give the printed
        number, by departing from what the paper says (None when there is none, and for the
        other statuses).
    determined_value : float or None
        The value of the first computation the paper fixes itself (see
        `Computation.determined`), None when there is none.
    judgement : Judgement
        The judgement of the number's group by `analysis.paper.readings.judge`.
    """

    claim_id: str
    quantity: str
    unit: str
    source: str
    printed: float
    decimals: int
    ours: float
    ours_as_printed: str
    printed_as_printed: str
    reproduced: bool
    status: str
    computation: Computation
    explanation: Computation | None
    determined_value: float | None
    judgement: Judgement


@dataclass(frozen=True)
class DescriptivesReport(TidyResult):
    """Every printed descriptive number beside ours, and every computation tried.

    Attributes
    ----------
    claims : tuple of ClaimResult
        One per printed number, in the order of ``published_descriptives.csv``.
    attempts : tuple of Computation
        Every computation tried, by group.
    """

    claims: tuple[ClaimResult, ...]
    attempts: tuple[Computation, ...]

    def claim(self, claim_id: str) -> ClaimResult:
        """The result for one printed number."""
        known = [c.claim_id for c in self.claims]
        one_of(claim_id, known, "claim_id", "DescriptivesReport.claim")
        return self.claims[known.index(claim_id)]

    def to_frame(self) -> pd.DataFrame:
        """The result as a data frame: `table`."""
        return self.table()

    def table(self) -> pd.DataFrame:
        """One row per printed number: printed, ours, status, the computation behind ours, and
        (``explained_by``) what gives a printed number that is inconsistent within the paper."""
        return pd.DataFrame(
            [
                {
                    "claim_id": c.claim_id,
                    "quantity": c.quantity,
                    "unit": c.unit,
                    "printed": c.printed_as_printed,
                    "ours": c.ours_as_printed,
                    "ours_full": c.ours,
                    "status": c.status,
                    "computation": c.computation.description,
                    "computation_name": c.computation.name,
                    "assumption": c.computation.assumption,
                    "explained_by": (
                        None
                        if c.explanation is None
                        else f"{c.explanation.name}: {c.explanation.assumption}"
                    ),
                    "source": c.source,
                }
                for c in self.claims
            ]
        )

    def attempts_table(self, group: str) -> pd.DataFrame:
        """Every computation tried for one group, with its values and how far each is off.

        Returns
        -------
        pandas.DataFrame
            One row per computation, in the order tried: ``name``, ``description``,
            ``assumption``, ``determined``, ``studies`` (how many), then per printed number of
            the group its value at the printed precision (column named by ``claim_id``),
            ``gap`` (the largest distance from a printed number, in units of its last printed
            digit) and ``matches`` (gives every printed number of the group).
        """
        groups = sorted({a.group for a in self.attempts})
        one_of(group, groups, "group", "DescriptivesReport.attempts_table")
        judgement = next(c.judgement for c in self.claims if c.computation.group == group)
        table = judgement.to_frame().rename(columns={"reading": "name"})
        table.insert(4, "studies", [len(a.studies) for a in judgement.readings])
        for number in judgement.printed:
            table[number.number_id] = table[number.number_id].map(number.format)
        columns = ["name", "description", "assumption", "determined", "studies"]
        return table[[*columns, *(p.number_id for p in judgement.printed), "gap", "matches"]]


def reproduce_descriptives(
    studies: pd.DataFrame | None = None, printed: pd.DataFrame | None = None
) -> DescriptivesReport:
    """Recompute each descriptive number of the Results and set it beside the printed one.

    Parameters
    ----------
    studies : pandas.DataFrame, optional
        Table 1 (default: ``load_studies()``, with the corrections applied; none of them
        touches a column used here).
    printed : pandas.DataFrame, optional
        The printed numbers (default: ``data/published_descriptives.csv``).

    Returns
    -------
    DescriptivesReport

    Raises
    ------
    InputError
        When a printed number has no computation (its ``group`` is unknown).

    References
    ----------
    Zhao J, Wang Y, Wang D. The effect of ketamine infusion in the treatment of complex
    regional pain syndrome: a systemic review and meta-analysis. Curr Pain Headache Rep
    2018;22(2):12, Results and Table 1. doi:10.1007/s11916-018-0664-x

    Examples
    --------
    The mean duration of treatment is the plain mean of Table 1's durations:

    >>> report = reproduce_descriptives()
    >>> result = report.claim("duration_mean")
    >>> result.printed_as_printed, result.ours_as_printed, result.status
    ('8.41', '8.41', 'reproduced')
    """
    studies = load_studies() if studies is None else studies
    printed = load_table("published_descriptives") if printed is None else printed
    attempts = [a for make in _COMPUTATIONS for a in make(studies, printed)]
    known = list(dict.fromkeys(a.group for a in attempts))
    results = []
    for group, rows in printed.groupby("group", sort=False):
        tried = [a for a in attempts if a.group == group]
        if not tried:
            raise InputError(
                f"reproduce_descriptives: printed group {group!r} has no computation "
                f"(known: {', '.join(known)})"
            )
        results.extend(_judge(rows, tried))
    order = {claim_id: i for i, claim_id in enumerate(printed["claim_id"])}
    results.sort(key=lambda r: order[r.claim_id])
    return DescriptivesReport(claims=tuple(results), attempts=tuple(attempts))


def _judge(rows: pd.DataFrame, tried: list[Computation]) -> list[ClaimResult]:
    printed = [
        PrintedNumber(str(c), float(v), int(d))
        for c, v, d in zip(rows["claim_id"], rows["value"], rows["decimals"], strict=True)
    ]
    judgement = judge(printed, tried)
    chosen = judgement.chosen
    determined = judgement.determined
    results = []
    for row, number in zip(rows.itertuples(index=False), printed, strict=True):
        ours = float(chosen.value(number.number_id))
        results.append(
            ClaimResult(
                claim_id=number.number_id,
                quantity=str(row.quantity),
                unit=str(row.unit),
                source=str(row.source),
                printed=float(number.value),
                decimals=int(number.decimals),
                ours=ours,
                ours_as_printed=number.format(ours),
                printed_as_printed=number.shown,
                reproduced=judgement.reproduced,
                status=judgement.status,
                computation=chosen,
                explanation=judgement.explanation,
                determined_value=(
                    float(determined[0].value(number.number_id)) if determined else None
                ),
                judgement=judgement,
            )
        )
    return results


# --- the computations, one function per group of printed numbers ---------------------------


def _ids(frame: pd.DataFrame) -> tuple[str, ...]:
    return tuple(str(s) for s in frame["study_id"])


def _n(frame: pd.DataFrame, enrolled: bool) -> pd.Series:
    n = frame["n_analysed"].astype(float)
    return frame["n_enrolled"].astype(float).fillna(n) if enrolled else n


def _n_reading(frame: pd.DataFrame, enrolled: bool) -> str:
    """How the studies that print two numbers for N are counted, e.g. "Schwartzman 2009: 19
    of '19 (26)'"; empty when no study of ``frame`` prints two."""
    both = frame[frame["n_enrolled"].notna()]
    return ", ".join(
        f"{label}: {int(e if enrolled else a)} of '{int(a)} ({int(e)})'"
        for label, a, e in zip(both["label"], both["n_analysed"], both["n_enrolled"], strict=True)
    )


def _studies_included(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    return [_count("studies_included", "rows of Table 1", "rows of Table 1", studies, None, True)]


def _subjects_total(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    return _present(
        _sum_of_n("subjects_total", studies, "all studies of Table 1", enrolled, determined=True)
        for enrolled in (False, True)
    )


def _sum_of_n(
    group: str,
    frame: pd.DataFrame,
    which: str,
    enrolled: bool,
    *,
    determined: bool,
    assumption: str | None = None,
) -> Computation | None:
    """The sum of N over ``frame``; None for ``enrolled`` when no study prints two numbers."""
    reading = _n_reading(frame, enrolled)
    if enrolled and not reading:
        return None
    if enrolled:
        extra = f"the number in parentheses taken as N ({reading}); Fig. 4a needs the first"
        assumption = f"{assumption}; {extra}" if assumption else extra
    how = f"; {reading}" if reading else ""
    return _computation(
        group,
        f"{which}, {'N in parentheses' if enrolled else 'N as printed'}",
        f"sum of N over {which} ({len(frame)} studies{how})",
        assumption,
        determined,
        ((group, float(_n(frame, enrolled).sum())),),
        _ids(frame),
    )


def _misprinted_n(group: str, frame: pd.DataFrame, which: str) -> list[Computation]:
    """The sum of N over ``frame`` with one study's N read as the neighbour (one patient more or
    fewer) that makes its shares with relief whole patients (`neighbour_n`), for each such
    study."""
    checks = share_checks()
    out = []
    for study in frame.itertuples(index=False):
        n = neighbour_n(checks, str(study.study_id))
        if n is None:
            continue
        shares = checks[
            (checks["study_id"] == study.study_id) & checks["column"].isin(RELIEF_COLUMNS)
        ]
        printed = " and ".join(f"{s:g}%" for s in shares["share"])
        total = float(_n(frame, False).sum()) - float(study.n_analysed) + n
        out.append(
            _computation(
                group,
                f"{which}, {study.label} N = {n}",
                f"sum of N over {which} ({len(frame)} studies), {study.label} counted as {n}",
                f"{study.label}'s N read as {n}, the N its shares with relief ({printed}) "
                f"imply; Table 1 prints {int(study.n_analysed)}",
                False,
                ((group, total),),
                _ids(frame),
            )
        )
    return out


def _present(computations: Iterable[Computation | None]) -> list[Computation]:
    return [c for c in computations if c is not None]


def _years(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    return [
        _computation(
            "years",
            "earliest and latest year",
            f"earliest and latest year of publication in Table 1 ({len(studies)} studies)",
            None,
            True,
            (
                ("year_first", float(studies["year"].min())),
                ("year_last", float(studies["year"].max())),
            ),
            _ids(studies),
        )
    ]


def _duration(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    rows = studies[studies["duration_days"].notna()]
    days = rows["duration_days"].astype(float)
    n = _n(rows, enrolled=False)
    extremes = (("duration_min", float(days.min())), ("duration_max", float(days.max())))
    return [
        _computation(
            "duration",
            "plain mean",
            f"mean of the {len(rows)} durations of Table 1, each study counted once; "
            "shortest and longest",
            None,
            False,
            (("duration_mean", float(days.mean())), *extremes),
            _ids(rows),
        ),
        _computation(
            "duration",
            "weighted by N",
            f"mean of the {len(rows)} durations weighted by each study's N (a mean over "
            "patients); shortest and longest",
            "each patient counted once rather than each study",
            False,
            (("duration_mean", float(np.average(days, weights=n))), *extremes),
            _ids(rows),
        ),
    ]


def spread_of_means(means: Iterable[float], weights: Iterable[float] | None = None) -> float:
    """Standard deviation of study means (divisor ``n - 1``; with weights, ``sum(w) - 1``).

    With weights ``w_i = n_i`` it is the standard deviation over patients when each patient is
    given their study's mean.

    Parameters
    ----------
    means : iterable of float
        One value per study.
    weights : iterable of float, optional
        Frequency weights (e.g. each study's N); default 1 each.

    Returns
    -------
    float

    Examples
    --------
    >>> round(spread_of_means([1.0, 2.0, 3.0]), 6)
    1.0
    """
    x = np.asarray(list(means), dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(list(weights), dtype=float)
    centre = np.average(x, weights=w)
    return float(math.sqrt(float((w * (x - centre) ** 2).sum()) / (w.sum() - 1)))


def pooled_patient_sd(means: Iterable[float], sds: Iterable[float], ns: Iterable[float]) -> float:
    """Standard deviation over all patients of several studies, from their means, SDs and Ns.

    The total sum of squares is the within-study part ``sum((n_i - 1) s_i²)`` plus the
    between-study part ``sum(n_i (m_i - m)²)``, divided by ``N - 1``.

    References
    ----------
    Higgins JPT, Li T, Deeks JJ (eds). Cochrane Handbook for Systematic Reviews of
    Interventions, version 6.4, section 6.5.2.10 (combining groups). Cochrane, 2023.

    Examples
    --------
    Two studies of 10 patients, means 0 and 2, SD 1 each:

    >>> round(pooled_patient_sd([0.0, 2.0], [1.0, 1.0], [10, 10]), 6)
    1.414214
    """
    m = np.asarray(list(means), dtype=float)
    s = np.asarray(list(sds), dtype=float)
    n = np.asarray(list(ns), dtype=float)
    centre = np.average(m, weights=n)
    total = ((n - 1) * s**2).sum() + (n * (m - centre) ** 2).sum()
    return float(math.sqrt(total / (n.sum() - 1)))


def _age(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    rows = studies[studies["age_mean"].notna()]
    means = rows["age_mean"].astype(float)
    sds = rows["age_sd"].astype(float)
    k = len(rows)
    out = [
        _mean_and_spread(
            "age",
            "plain mean, SD of the study means",
            f"mean of the {k} mean ages of Table 1, each study counted once; ± = standard "
            "deviation of those means",
            rows,
            float(means.mean()),
            spread_of_means(means),
        ),
        _mean_and_spread(
            "age",
            "plain mean, SD of the study means (divisor k)",
            f"as above, with the standard deviation divided by {k} instead of {k - 1}",
            rows,
            float(means.mean()),
            float(np.std(means, ddof=0)),
        ),
        _mean_and_spread(
            "age",
            "plain mean, mean of the study SDs",
            f"mean of the {k} mean ages; ± = mean of the {k} standard deviations",
            rows,
            float(means.mean()),
            float(sds.mean()),
        ),
    ]
    for enrolled in (False, True):
        n = _n(rows, enrolled)
        which = "N in parentheses" if enrolled else "N as printed"
        out.append(
            _mean_and_spread(
                "age",
                f"weighted by {which}, SD over all patients",
                f"mean of the {k} mean ages weighted by {which}; ± = standard deviation over "
                "all their patients, from each study's mean, SD and N",
                rows,
                float(np.average(means, weights=n)),
                pooled_patient_sd(means, sds, n),
            )
        )
    out.append(_best_leave_one_out(rows, printed))
    return out


def _mean_and_spread(
    group: str, name: str, description: str, rows: pd.DataFrame, mean: float, spread: float
) -> Computation:
    assumption = "the paper does not say which mean, over which studies, or what the ± is"
    return _computation(
        group,
        name,
        description,
        assumption,
        False,
        ((f"{group}_mean", mean), (f"{group}_sd", spread)),
        _ids(rows),
    )


def _best_leave_one_out(rows: pd.DataFrame, printed: pd.DataFrame) -> Computation:
    values = printed.set_index("claim_id")["value"]
    target = (float(values["age_mean"]), float(values["age_sd"]))
    best = None
    for position in range(len(rows)):
        kept = rows.drop(rows.index[position])
        means = kept["age_mean"].astype(float)
        candidate = (float(means.mean()), spread_of_means(means))
        gap = max(abs(candidate[0] - target[0]), abs(candidate[1] - target[1]))
        if best is None or gap < best[0]:
            best = (gap, position, candidate, kept)
    assert best is not None
    _, position, (mean, spread), kept = best
    left_out = rows["label"].iloc[position]
    return _computation(
        "age",
        f"without {left_out}",
        f"the closest of the {len(rows)} ways of leaving one study out: the plain mean and SD "
        f"of the other {len(kept)} mean ages, without {left_out}",
        f"{left_out} left out, for no reason the paper gives",
        False,
        (("age_mean", mean), ("age_sd", spread)),
        _ids(kept),
    )


YEAR_CONVERSIONS: dict[str, Callable[[float], float]] = {
    "years × 12": lambda years: years * MONTHS_PER_YEAR,
    "years rounded to one decimal, × 12": lambda years: round_half_up(years, 1) * MONTHS_PER_YEAR,
    "years read as months": lambda years: years,
}
"""Ways of turning a CRPS duration printed in years into months."""


def crps_months(
    studies: pd.DataFrame, conversion: str, bounds: bool
) -> tuple[pd.DataFrame, pd.Series]:
    """Each study's CRPS duration in months, under one reading of Table 1.

    Parameters
    ----------
    studies : pandas.DataFrame
        Table 1.
    conversion : str
        A key of `YEAR_CONVERSIONS`.
    bounds : bool
        Count a duration printed only as a lower bound (">1 year") at the bound; otherwise
        leave that study out. Cells with no duration at all ("Fulfill CRPS diagnosis
        criteria") are always left out.

    Returns
    -------
    (rows, months)
        The studies used and their durations in months.

    Examples
    --------
    >>> from analysis.paper.data import load_studies
    >>> rows, months = crps_months(load_studies(), "years × 12", bounds=True)
    >>> len(rows), round(float(months.mean()), 2)
    (10, 39.69)
    """
    convert = YEAR_CONVERSIONS[
        one_of(conversion, tuple(YEAR_CONVERSIONS), "conversion", "crps_months")
    ]
    keep, values = [], []
    for index, row in studies.iterrows():
        unit, mean = row["crps_duration_unit"], row["crps_duration_mean"]
        if not pd.isna(mean):
            value, unit_used = float(mean), str(unit)
        else:
            bound = _BOUND.match(str(row["crps_duration_as_printed"]).strip())
            if not bound or not bounds:
                continue
            value, unit_used = float(bound.group(1)), bound.group(2)
        keep.append(index)
        values.append(convert(value) if unit_used.startswith("year") else value)
    rows = studies.loc[keep]
    return rows, pd.Series(values, index=rows.index, dtype=float)


def _crps_duration(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    out = []
    for conversion in YEAR_CONVERSIONS:
        for bounds in (True, False):
            rows, months = crps_months(studies, conversion, bounds)
            choices = _crps_choices(rows, months, conversion, bounds)
            for weighted in (False, True):
                n = _n(rows, enrolled=False)
                mean = float(np.average(months, weights=n)) if weighted else float(months.mean())
                spread = spread_of_means(months, n if weighted else None)
                how = "weighted by N" if weighted else "plain mean"
                out.append(
                    _computation(
                        "crps_duration",
                        f"{conversion}, {'bounds counted' if bounds else 'bounds left out'}, "
                        f"{how}",
                        f"{how} of the durations of the {len(rows)} studies that give one, in "
                        "months; ± = standard deviation of those durations",
                        f"{choices}; the ± read as the spread of the study durations"
                        + ("; each patient counted once" if weighted else ""),
                        False,
                        (("crps_duration_mean", mean), ("crps_duration_sd", spread)),
                        _ids(rows),
                    )
                )
    return out


def _crps_choices(rows: pd.DataFrame, months: pd.Series, conversion: str, bounds: bool) -> str:
    """The unit conversions of one reading of Table 1, in words."""
    parts = []
    in_years = rows[rows["crps_duration_unit"] == "years"]
    for index, label, years in zip(
        in_years.index, in_years["label"], in_years["crps_duration_mean"], strict=True
    ):
        parts.append(
            f"{label} {_short(float(years))} years as {_short(float(months[index]))} months"
        )
    bounded = rows[rows["crps_duration_mean"].isna()]
    for index, label, text in zip(
        bounded.index, bounded["label"], bounded["crps_duration_as_printed"], strict=True
    ):
        parts.append(f"{label} '{text}' as {_short(float(months[index]))} months")
    if not bounds:
        parts.append("durations printed only as a bound left out")
    return f"{conversion}: " + ", ".join(parts)


def _short(value: float) -> str:
    """A number without trailing zeros: 67.2, 100.8, 12."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _relief_sets(
    studies: pd.DataFrame, figure: str, column: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Studies a panel of Fig. 4 lists, those it pools, and those with a rate in Table 1."""
    listed = published_forest(figure)
    in_figure = studies[studies["study_id"].isin(listed["study_id"])].sort_values("table1_row")
    excluded = set(listed.loc[listed["excluded"].astype(bool), "study_id"])
    pooled = in_figure[~in_figure["study_id"].isin(excluded)]
    with_rate = studies[studies[column].notna()].sort_values("table1_row")
    return in_figure, pooled, with_rate


def _labels(frame: pd.DataFrame) -> str:
    return ", ".join(frame["label"])


def _count(group: str, name: str, description: str, frame, assumption=None, determined=False):
    return _computation(
        group,
        name,
        description,
        assumption,
        determined,
        ((group, float(len(frame))),),
        _ids(frame),
    )


def _immediate(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    in_figure, pooled, with_rate = _relief_sets(studies, "4a", "relief_immediate_pct")
    dropped = in_figure[~in_figure["study_id"].isin(pooled["study_id"])]
    group = "immediate_participants"
    return _present(
        [
            _count(
                "immediate_studies",
                "Table 1 rows with an immediate rate",
                f"studies with an immediate relief rate in Table 1 ({_labels(with_rate)})",
                with_rate,
                determined=True,
            ),
            _count(
                "immediate_studies",
                "studies Fig. 4a pools",
                "studies Fig. 4a pools",
                pooled,
                assumption=f"{_labels(dropped)}, which Fig. 4a marks '(Excluded)', not counted",
            ),
            _sum_of_n(group, in_figure, "the studies Fig. 4a lists", False, determined=True),
            _sum_of_n(group, in_figure, "the studies Fig. 4a lists", True, determined=True),
            *_misprinted_n(group, in_figure, "the studies Fig. 4a lists"),
            *(
                _sum_of_n(
                    group,
                    pooled,
                    "the studies Fig. 4a pools",
                    enrolled,
                    determined=False,
                    assumption=f"{_labels(dropped)}, marked '(Excluded)', not counted",
                )
                for enrolled in (False, True)
            ),
        ]
    )


def _followup(studies: pd.DataFrame, printed: pd.DataFrame) -> list[Computation]:
    in_figure, _, with_rate = _relief_sets(studies, "4b", "relief_followup_pct")
    in_words = studies[
        studies["relief_followup_pct"].isna() & studies["relief_followup_text"].notna()
    ]
    either = pd.concat([with_rate, in_words]).sort_values("table1_row")
    extra = with_rate[~with_rate["study_id"].isin(in_figure["study_id"])]
    group = "followup_participants"
    return _present(
        [
            _count(
                "followup_studies",
                "studies Fig. 4b lists",
                f"studies Fig. 4b lists ({_labels(in_figure)})",
                in_figure,
                determined=True,
            ),
            _count(
                "followup_studies",
                "Table 1 rows with a follow-up rate",
                f"studies with a follow-up relief rate in Table 1: those of Fig. 4b and "
                f"{_labels(extra)}",
                with_rate,
            ),
            _count(
                "followup_studies",
                "Table 1 rows with follow-up data, in numbers or words",
                f"as above, and {_labels(in_words)}, whose follow-up Table 1 gives in words",
                either,
            ),
            _sum_of_n(group, in_figure, "the studies Fig. 4b lists", False, determined=True),
            *_misprinted_n(group, in_figure, "the studies Fig. 4b lists"),
            _sum_of_n(
                group,
                with_rate,
                "the studies with a follow-up rate in Table 1",
                False,
                determined=False,
                assumption=f"{_labels(extra)} counted, although Fig. 4b does not list it and "
                "the text does not cite it here",
            ),
            *(
                _sum_of_n(
                    group,
                    either,
                    "the studies with follow-up data in numbers or words",
                    enrolled,
                    determined=False,
                    assumption=f"{_labels(extra)} and {_labels(in_words)} counted",
                )
                for enrolled in (False, True)
            ),
        ]
    )


_COMPUTATIONS: tuple[Callable[[pd.DataFrame, pd.DataFrame], list[Computation]], ...] = (
    _studies_included,
    _subjects_total,
    _years,
    _duration,
    _age,
    _crps_duration,
    _immediate,
    _followup,
)


def subsets_with_total(sizes: Iterable[int], k: int, total: int) -> tuple[int, int]:
    """How many of the ways of choosing ``k`` studies give ``total`` patients.

    A printed count can often be matched by picking studies until the sum fits; this says how
    easy that is, so that such a match is not mistaken for an explanation.

    Parameters
    ----------
    sizes : iterable of int
        Each study's N.
    k : int
        How many studies to choose.
    total : int
        The total to reach.

    Returns
    -------
    (matching, possible) : tuple of int
        The number of ``k``-study subsets whose N add up to ``total``, and of all ``k``-study
        subsets.

    Examples
    --------
    >>> subsets_with_total([1, 2, 3, 4], 2, 5)
    (2, 6)
    """
    n = [int(s) for s in sizes]
    if not 0 < k <= len(n):
        raise InputError(f"subsets_with_total: k={k} must be between 1 and {len(n)}")
    matching = sum(1 for chosen in combinations(n, k) if sum(chosen) == total)
    return matching, math.comb(len(n), k)
