"""A claim of the paper and the printed values it rests on, read from ``data/``."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis.audit.links import Link
from analysis.audit.rules import shows
from analysis.charts.formatting import as_printed
from analysis.metaanalysis.errors import DataFileError, InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_studies, load_table, resource_descriptor, schema_fields
from analysis.paper.published import printed_decimals
from analysis.paper.readings import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    PrintedNumber,
    fraction_digits,
    judge,
    reading,
)

_SECTION = re.compile(
    r"^(Abstract|Introduction|Methods|Results|Discussion|Fig\. \d+[ab]?|Table \d+)"
)


@dataclass(frozen=True)
class DataCell(TidyResult):
    """One printed value, as a data file holds it.

    Attributes
    ----------
    resource : str
        The data file's resource name in ``data/datapackage.json``.
    row : str
        The row's primary key (parts of a composite key joined by ``/``).
    column : str
        The column.
    value : float or str
        The cell's value: a number, a date in ISO format, or printed words.
    decimals : int or None
        Decimals the paper prints (None for a date or words).
    shown : str
        The value as the claim's printed text shows it.
    """

    resource: str
    row: str
    column: str
    value: float | str
    decimals: int | None
    shown: str

    @property
    def printed_number(self) -> PrintedNumber:
        """The cell as a printed number (a date as printed text)."""
        if self.decimals is None:
            return PrintedNumber(f"{self.row}/{self.column}", self.shown)
        return PrintedNumber(f"{self.row}/{self.column}", float(self.value), self.decimals)


@dataclass(frozen=True)
class Claim(TidyResult):
    """One quantitative claim of the paper beside our value.

    Attributes
    ----------
    claim_id : str
        Stable identifier.
    section : str
        Where the paper prints it: ``"Abstract"``, ``"Methods"``, ``"Results"``,
        ``"Fig. 1"`` ... ``"Fig. 4b"``, ``"Discussion"``.
    claim : str
        What is claimed, in our words.
    printed : str
        The printed value, formatted from the data file.
    ours : str or None
        Our value, formatted the same way; None when the paper gives no data to compute it.
    status : str
        One of `analysis.paper.readings.STATUSES`.
    note : str
        The assumption a status needs, or the reason for it.
    link : Link
        The chapter section that shows the check.
    cells : tuple of DataCell
        The data cells the printed value comes from.
    study_level : bool
        A study's row of a forest plot (the chapter lists these apart); default False.
    assumption : str or None
        For *reproduced under a stated assumption*: the choice the paper does not state that
        our value needs. None for the other statuses.
    conflict : str or None
        For *inconsistent within the paper*: the other printed value of the paper that gives
        our value instead of the printed one. None for the other statuses.
    readings : tuple of (str, str or None, str or None)
        Every reading tried, in order of preference: its description, its value written as
        `ours` is, and the assumption it needs (None when the paper's words leave no choice).
        Empty when the claim has one reading: `ours`, under `assumption`.
    """

    claim_id: str
    section: str
    claim: str
    printed: str
    ours: str | None
    status: str
    note: str
    link: Link
    cells: tuple[DataCell, ...]
    study_level: bool = False
    assumption: str | None = None
    conflict: str | None = None
    readings: tuple[tuple[str, str | None, str | None], ...] = ()

    @property
    def tried(self) -> tuple[tuple[str, str | None, str | None], ...]:
        """`readings`, or the one reading `ours` under `assumption` when none are listed."""
        return self.readings or (("ours", self.ours, self.assumption),)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InputError(f"Claim: status={self.status!r} is not one of {', '.join(STATUSES)}")


# --- Reading printed values --------------------------------------------------------------


def _primary_key(resource: str) -> tuple[str, ...]:
    key = resource_descriptor(resource)["schema"]["primaryKey"]
    return (key,) if isinstance(key, str) else tuple(key)


def cell(resource: str, key: str | tuple[str, ...], column: str) -> DataCell:
    """Read one printed value from a data file.

    Parameters
    ----------
    resource : str
        Resource name in ``data/datapackage.json``.
    key : str or tuple of str
        The row's primary key (a tuple for a composite key).
    column : str
        The column.

    Returns
    -------
    DataCell
        With the decimals the paper prints: the column's ``printed_decimals`` in the schema,
        else the row's ``decimals`` column, else as many as the value needs.

    Raises
    ------
    DataFileError
        When no row, or more than one, has the key, or the cell is empty.

    Examples
    --------
    >>> cell("published_pooled", "relief_immediate", "i2_pct").shown
    '82.3'
    """
    table = load_table(resource)
    names = _primary_key(resource)
    values = (key,) if isinstance(key, str) else tuple(key)
    mask = pd.Series(True, index=table.index)
    for name, value in zip(names, values, strict=True):
        mask &= table[name] == value
    rows = table[mask.fillna(False).astype(bool)]
    row_key = "/".join(values)
    if len(rows) != 1 or pd.isna(rows.iloc[0][column]):
        raise DataFileError(
            f"data/{resource_descriptor(resource)['path']}: no single value in row {row_key!r}, "
            f"column {column!r}"
        )
    row = rows.iloc[0]
    raw = row[column]
    if isinstance(raw, pd.Timestamp):
        return DataCell(resource, row_key, column, raw.date().isoformat(), None, _date(raw))
    if isinstance(raw, str):
        return DataCell(resource, row_key, column, raw, None, raw)
    number = float(raw)
    decimals = printed_decimals(resource).get(column)
    if decimals is None and "decimals" in table.columns:
        decimals = int(row["decimals"])
    if decimals is None:
        decimals = fraction_digits(number)
    return DataCell(resource, row_key, column, number, decimals, as_printed(number, decimals))


def _date(value: pd.Timestamp) -> str:
    return f"{value.day} {value:%B %Y}"


def claim_row(claim_id: str) -> pd.Series:
    claims = load_table("published_claims").set_index("claim_id")
    if claim_id not in claims.index:
        raise DataFileError(f"data/published_claims.csv has no claim_id {claim_id!r}")
    return claims.loc[claim_id]


def from_file(claim_id: str, **values) -> Claim:
    """A claim of ``published_claims.csv``: its section and wording come from the file."""
    row = claim_row(claim_id)
    return Claim(
        claim_id=claim_id, section=str(row["section"]), claim=str(row["quantity"]), **values
    )


def paper_section(source: str) -> str:
    """The part of the paper a ``source`` text names first (``"Results, 'Included ..."``)."""
    match = _SECTION.match(source)
    if not match:
        raise DataFileError(f"cannot tell the section of the paper from the source {source!r}")
    return match.group(1)


@cache
def sections() -> tuple[str, ...]:
    """The parts of the paper, in the paper's order (the schema of ``published_claims``)."""
    field = next(f for f in schema_fields("published_claims") if f["name"] == "section")
    return tuple(field["constraints"]["enum"])


# --- Links to chapter sections -----------------------------------------------------------


def with_ci(cells: tuple[DataCell, ...]) -> str:
    """``"0.69 (0.53, 0.84)"`` from the cells of an estimate and its limits, as printed."""
    estimate, low, high = (c.shown for c in cells)
    return f"{estimate} ({low}, {high})"


def status_if_same(
    printed: str, ours: str, *, assumption: str | None = None, determined: bool = False
) -> str:
    """The status of one printed text beside ours, computed one way (`judge` with one reading).

    Reproduced when the texts are the same (under ``assumption`` when one is given); when they
    differ, inconsistent within the paper if the paper's own data fix the computation
    (``determined``), else not reproducible.

    Examples
    --------
    >>> status_if_same("0.69 (0.53, 0.84)", "0.69 (0.53, 0.84)")
    'reproduced'
    >>> status_if_same("13", "14", determined=True)
    'inconsistent within the paper'
    """
    ours_reading = reading("ours", {"claim": ours}, assumption=assumption, determined=determined)
    return judge([PrintedNumber("claim", printed)], [ours_reading]).status


def study_labels() -> pd.Series:
    return load_studies().set_index("study_id")["label"]


def judged(
    status: str, *, assumption: str | None = None, conflict: str | None = None
) -> dict[str, str | None]:
    """A claim's ``status``, ``assumption`` and ``conflict``, each kept only for its status.

    Examples
    --------
    >>> judged("reproduced", assumption="rounded")["assumption"] is None
    True
    """
    return {
        "status": status,
        "assumption": assumption if status == ASSUMED else None,
        "conflict": conflict if status == INCONSISTENT else None,
    }


def among_readings(printed: str, readings: Sequence[tuple[str, str]]) -> dict[str, str | None]:
    """Judge a printed text against readings among which the paper's words do not choose.

    Each reading is ``(description, ours)``, ours written as the claim shows it. The rule of
    `analysis.audit.rules.shows` decides which give the printed value: all of them, and the
    claim is *reproduced*; some, and it is *reproduced under a stated assumption*, the first of
    them; none, and it is *not reproducible*, with the first (preferred) reading's value.

    Returns
    -------
    dict
        ``status``, ``ours``, ``assumption``, ``conflict`` (None) and ``readings``, for
        `Claim`.

    Examples
    --------
    >>> among_readings("p < 0.05", [("ten studies", "p = 0.048"), ("13", "p = 0.2")])["status"]
    'reproduced under a stated assumption'
    """
    if not readings:
        raise InputError(f"among_readings: no reading given for the printed value {printed!r}")
    matching = [(d, o) for d, o in readings if shows(printed, o)]
    every = len(matching) == len(readings)
    tried = tuple((d, o, None if every else f"the paper used {d}") for d, o in readings)
    if every:
        return {**judged(REPRODUCED), "ours": readings[0][1], "readings": tried}
    if matching:
        description, ours = matching[0]
        return {
            **judged(ASSUMED, assumption=f"the paper used {description}"),
            "ours": ours,
            "readings": tried,
        }
    return {**judged(NOT_REPRODUCIBLE), "ours": readings[0][1], "readings": tried}
