"""Readings of the paper: the ways to compute a printed number, tried and judged.

The paper rarely says exactly how it computed a number: over which studies, with which N,
rounded how. A *reading* (`Reading`) is one way to compute one or more printed numbers
(`PrintedNumber`), with the assumption it needs beyond the paper's words. `judge` tries every
reading against the printed digits and gives the number one of four statuses (`STATUSES`):

- *reproduced*: a reading that needs no assumption beyond the paper's words gives it;
- *reproduced under a stated assumption*: a reading gives it, but only with a choice the paper
  does not state (which is recorded);
- *inconsistent within the paper*: the paper's own numbers fix the reading (the studies it cites
  and their N in Table 1, say), and that reading gives something else;
- *not reproducible*: no reading tried gives it; the closest is reported.

A value *reproduces* a printed one when, formatted to the printed decimals, it shows the same
digits: the test a reader applies by eye, exact, with no tolerance to choose. Numbers printed
together (a mean and the number after its ±) are judged together: one reading must give all of
them.

This is the one place where a computed value is set against printed digits and judged. The
descriptive numbers (`analysis.paper.descriptives`), the inputs of Fig. 4
(`analysis.paper.relief_rates.reproduction_attempts`), the readings of Fig. 2
(`analysis.paper.pain_scores.fig2_attempts`), the hepatotoxicity denominators
(`analysis.paper.hepatotoxicity`) and the audit's statuses all build readings and call `judge`
(or `judge_alternatives`, for readings among which the paper's words do not choose at all).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis.charts.formatting import as_printed
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult

REPRODUCED = "reproduced"
ASSUMED = "reproduced under a stated assumption"
INCONSISTENT = "inconsistent within the paper"
NOT_REPRODUCIBLE = "not reproducible"
STATUSES = (REPRODUCED, ASSUMED, INCONSISTENT, NOT_REPRODUCIBLE)
"""The statuses of a printed number, from best to worst."""
STATUS_KEYS = {
    REPRODUCED: "reproduced",
    ASSUMED: "assumed",
    INCONSISTENT: "inconsistent",
    NOT_REPRODUCIBLE: "not_reproducible",
}
"""A short name for each status, for glue keys and column names."""


def fraction_digits(value: float) -> int:
    """Decimals needed to write ``value`` exactly: the precision of a number printed in full.

    Examples
    --------
    >>> fraction_digits(0.000001), fraction_digits(98.0), fraction_digits(82.3)
    (6, 0, 1)
    """
    text = f"{value:f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


@dataclass(frozen=True)
class PrintedNumber(TidyResult):
    """A number as the paper prints it.

    Attributes
    ----------
    number_id : str
        Which number (e.g. a ``claim_id`` of ``published_descriptives.csv``).
    value : float or str
        The printed value; a str with ``decimals`` None for printed text that is compared as
        written (e.g. ``"0.69 (0.53, 0.84); 12.3%"``, each part formatted as printed).
    decimals : int or None
        The printed decimals.
    below : bool
        The paper prints a bound, not a value ("p < 0.000001"): a value reproduces it when it
        is below ``value``. Default False.
    """

    number_id: str
    value: float | str
    decimals: int | None = None
    below: bool = False

    def __post_init__(self) -> None:
        if self.decimals is None and not isinstance(self.value, str):
            raise InputError(
                f"PrintedNumber: decimals=None needs a printed text, not value={self.value!r}"
            )

    @property
    def shown(self) -> str:
        """The printed value as the paper shows it."""
        return self.format(self.value)

    def format(self, value: float | str) -> str:
        """``value`` at the printed precision (text is returned as it is)."""
        if self.decimals is None or isinstance(value, str):
            return str(value)
        return as_printed(float(value), self.decimals)

    def shows(self, value: float | str) -> bool:
        """Whether ``value`` reproduces the printed number: the same digits (or below a bound)."""
        if self.below:
            return float(value) < float(self.value)
        return self.format(value) == self.shown

    def gap(self, value: float | str) -> float:
        """How far ``value`` is from the printed number, in units of its last printed digit.

        Zero for a value below a printed bound; for text, 0 when it is the same and infinite
        otherwise; infinite for a missing value.
        """
        if self.decimals is None or isinstance(value, str):
            return 0.0 if self.shows(value) else math.inf
        if math.isnan(float(value)):
            return math.inf
        distance = float(value) - float(self.value)
        if self.below:
            distance = max(distance, 0.0)
        return abs(distance) * 10**self.decimals


@dataclass(frozen=True)
class Reading(TidyResult):
    """One way to compute printed numbers.

    Attributes
    ----------
    name : str
        Short name, for tables.
    description : str
        Its inputs and arithmetic, in words.
    values : tuple of (str, float)
        ``(number_id, value)`` for each printed number it computes (a mean and its ± come from
        the same reading).
    assumption : str or None
        What the reading assumes that the paper does not state; None when the paper's words
        (and its data) leave no choice.
    determined : bool
        The paper fixes this reading itself: its inputs (by the references it cites or the
        figure that uses them) and its arithmetic. When every such reading misses the printed
        number, the paper contradicts itself.
    """

    name: str
    description: str
    values: tuple[tuple[str, float | str], ...]
    assumption: str | None = None
    determined: bool = False

    def value(self, number_id: str) -> float | str:
        """The computed value of one printed number."""
        values = dict(self.values)
        if number_id not in values:
            raise InputError(
                f"Reading.value: number_id={number_id!r} is not one of {', '.join(values)} "
                f"(reading {self.name!r})"
            )
        return values[number_id]


def reading(
    name: str,
    values: Mapping[str, float | str],
    description: str = "",
    assumption: str | None = None,
    determined: bool = False,
) -> Reading:
    """A `Reading` from a mapping of values (``{"age_mean": 37.3, "age_sd": 9.2}``)."""
    return Reading(name, description or name, tuple(values.items()), assumption, determined)


@dataclass(frozen=True)
class Judgement(TidyResult):
    """Printed numbers judged against every reading tried.

    Attributes
    ----------
    status : str
        One of `STATUSES`.
    printed : tuple of PrintedNumber
        The numbers judged together.
    readings : tuple of Reading
        Every reading tried, in the order given.
    chosen : Reading
        The reading behind our value: one that gives the printed numbers (one without
        assumptions first); for numbers inconsistent within the paper, the closest of the
        readings the paper fixes itself; otherwise the closest of all.
    matching : tuple of Reading
        The readings that give every printed number.
    explanation : Reading or None
        For numbers inconsistent within the paper: a reading that does give them, by departing
        from what the paper says (None when there is none, and for the other statuses).
    gap : float
        How far the closest reading is from the printed numbers: the largest distance from one
        of them, in units of its last printed digit (0 when a reading matches).
    """

    status: str
    printed: tuple[PrintedNumber, ...]
    readings: tuple[Reading, ...]
    chosen: Reading
    matching: tuple[Reading, ...]
    explanation: Reading | None
    gap: float

    @property
    def reproduced(self) -> bool:
        """Some reading gives every printed number."""
        return bool(self.matching)

    @property
    def closest(self) -> Reading:
        """The reading nearest the printed numbers (the first, when several are as near)."""
        return min(self.readings, key=lambda r: reading_gap(r, self.printed))

    @property
    def determined(self) -> tuple[Reading, ...]:
        """The readings the paper fixes itself."""
        return tuple(r for r in self.readings if r.determined)

    def printed_number(self, number_id: str) -> PrintedNumber:
        """One of the printed numbers, by id."""
        known = [p.number_id for p in self.printed]
        if number_id not in known:
            raise InputError(
                f"Judgement.printed_number: number_id={number_id!r} is not one of "
                f"{', '.join(known)}"
            )
        return self.printed[known.index(number_id)]

    def shows(self, reading: Reading) -> tuple[bool, ...]:
        """Whether ``reading`` reproduces each printed number, in the order of `printed`."""
        return tuple(p.shows(reading.value(p.number_id)) for p in self.printed)

    def to_frame(self) -> pd.DataFrame:
        """One row per reading: its name, description, assumption, whether the paper fixes it,
        its value of each printed number (full precision, column named by the number's id),
        ``matches`` (gives every printed number), ``gap`` (in last printed digits) and
        ``chosen``."""
        return pd.DataFrame(
            [
                {
                    "reading": r.name,
                    "description": r.description,
                    "assumption": r.assumption,
                    "determined": r.determined,
                    **{p.number_id: r.value(p.number_id) for p in self.printed},
                    "matches": matches(r, self.printed),
                    "gap": reading_gap(r, self.printed),
                    "chosen": r is self.chosen,
                }
                for r in self.readings
            ]
        )


def matches(reading: Reading, printed: Iterable[PrintedNumber]) -> bool:
    """Whether ``reading`` reproduces every printed number."""
    return all(p.shows(reading.value(p.number_id)) for p in printed)


def reading_gap(reading: Reading, printed: Iterable[PrintedNumber]) -> float:
    """The largest distance of ``reading`` from a printed number, in units of its last digit."""
    return max(p.gap(reading.value(p.number_id)) for p in printed)


def judge(printed: Sequence[PrintedNumber], readings: Sequence[Reading]) -> Judgement:
    """Try each reading against the printed numbers, and give them a status.

    Parameters
    ----------
    printed : sequence of PrintedNumber
        The numbers printed together (judged as one: a reading must give all of them).
    readings : sequence of Reading
        Every reading tried, in order of preference; each must give a value of every printed
        number.

    Returns
    -------
    Judgement
        The status is, in this order: *reproduced* if a matching reading needs no assumption;
        *reproduced under a stated assumption* if a matching reading is one the paper fixes
        (`Reading.determined`); *inconsistent within the paper* if the paper fixes some reading
        and none of those matches; *reproduced under a stated assumption* if any reading
        matches; *not reproducible* otherwise, with the closest reading.

    Raises
    ------
    InputError
        When there is no printed number or no reading, or a reading lacks a printed number.

    Examples
    --------
    A mean printed as 8.41: the plain mean gives it, the weighted mean (an assumption) not.

    >>> printed = [PrintedNumber("mean", 8.41, 2)]
    >>> plain = reading("plain mean", {"mean": 126.1 / 15})
    >>> weighted = reading("weighted", {"mean": 9.02}, assumption="each patient counted once")
    >>> result = judge(printed, [weighted, plain])
    >>> result.status, result.chosen.name
    ('reproduced', 'plain mean')
    """
    printed, readings = tuple(printed), tuple(readings)
    if not printed:
        raise InputError("judge: printed is empty; give at least one PrintedNumber")
    if not readings:
        ids = ", ".join(p.number_id for p in printed)
        raise InputError(f"judge: readings is empty for {ids}; give at least one Reading")
    for r in readings:
        for p in printed:
            r.value(p.number_id)
    matching = tuple(r for r in readings if matches(r, printed))
    determined = [r for r in readings if r.determined]
    explanation = None
    if any(r.assumption is None for r in matching):
        status, chosen = REPRODUCED, next(r for r in matching if r.assumption is None)
    elif any(r.determined for r in matching):
        status, chosen = ASSUMED, next(r for r in matching if r.determined)
    elif determined:
        status = INCONSISTENT
        chosen = min(determined, key=lambda r: reading_gap(r, printed))
        explanation = matching[0] if matching else None
    elif matching:
        status, chosen = ASSUMED, matching[0]
    else:
        status, chosen = NOT_REPRODUCIBLE, min(readings, key=lambda r: reading_gap(r, printed))
    gap = min(reading_gap(r, printed) for r in readings)
    return Judgement(status, printed, readings, chosen, matching, explanation, gap)


def judge_alternatives(printed: Sequence[PrintedNumber], readings: Sequence[Reading]) -> Judgement:
    """`judge` readings among which the paper's words do not choose.

    When every reading gives the printed numbers, the choice does not matter and none needs an
    assumption: *reproduced*. Otherwise each needs the assumption that the paper used it (its
    own `Reading.assumption`, or "the paper used <name>"): *reproduced under a stated
    assumption* when some give them, *not reproducible* when none does.

    Examples
    --------
    >>> printed = [PrintedNumber("i2", 95.6, 1)]
    >>> readings = [reading("Cohen's d", {"i2": 95.58}), reading("Hedges' g", {"i2": 95.2})]
    >>> judge_alternatives(printed, readings).status
    'reproduced under a stated assumption'
    >>> judge_alternatives(printed, readings[:1]).status
    'reproduced'
    """
    readings = tuple(readings)
    every = bool(readings) and all(matches(r, printed) for r in readings)
    alternatives = [
        replace(r, assumption=None if every else (r.assumption or f"the paper used {r.name}"))
        for r in readings
    ]
    return judge(printed, alternatives)
