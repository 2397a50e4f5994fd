"""The flow of studies through a review's selection (the paper's Fig. 1), and its arithmetic.

A flow chart is a set of boxes, each with a count and a role (the columns of
``data/prisma_flow.csv``):

- ``input``: the box's records flow into its ``parent`` box;
- ``exclusion``: the box's records are removed on the way into its ``parent`` box;
- ``reason``: the box is one reason within its ``parent`` exclusion box;
- ``end``: the last box (no parent).

Two rules must hold. A box that other boxes flow into equals the sum of its inputs minus the
exclusions on the way; an exclusion box with reasons equals the sum of its reasons. `check_flow`
applies both to every box they concern and returns each check with the count it expected, the
count printed and whether they agree, so that a box that does not add up is named.

The PRISMA 2020 statement (Page et al. 2021) says what a flow diagram should report;
`reporting_table` sets each box of its template beside what the paper's Fig. 1 gives.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis.metaanalysis.errors import DataFileError, InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import _display_path, load_table, schema_fields
from analysis.paper.paths import DATA_DIR

ROLES = tuple(
    next(f for f in schema_fields("prisma_flow") if f["name"] == "role")["constraints"]["enum"]
)
"""The roles a box can have in a flow chart (the ``enum`` of ``role`` in the schema of
``data/prisma_flow.csv``)."""

RULES = {
    "inputs minus exclusions": "the box equals the boxes that flow into it minus the exclusions",
    "reasons add up": "the reasons of an exclusion box add up to the box",
}
"""The two arithmetic rules of a flow chart, by name."""

_COLUMNS = ("box_id", "count", "role", "parent")


@dataclass(frozen=True)
class FlowCheck(TidyResult):
    """One arithmetic check of one box of a flow chart.

    Attributes
    ----------
    box : str
        ``box_id`` of the box whose printed count is checked.
    rule : str
        Which rule (a key of `RULES`): ``"inputs minus exclusions"`` or ``"reasons add up"``.
    expected : int
        The count the other boxes imply.
    actual : int
        The count printed in the box.
    holds : bool
        ``expected == actual``.
    arithmetic : str
        The sum written out, e.g. ``"82 + 3 - 24 = 61"``.
    text : str
        The box's text as printed (or its id, when the flow has no text), for messages.
    """

    box: str
    rule: str
    expected: int
    actual: int
    holds: bool
    arithmetic: str
    text: str

    @property
    def difference(self) -> int:
        """Printed minus expected: how far the box is off (0 when the check holds)."""
        return self.actual - self.expected

    def describe(self) -> str:
        """The check in one line, e.g. ``"'46 studies excluded': reasons 21 + 6 + 16 + 4 =
        47, but the box prints 46"``."""
        what = "reasons " if self.rule == "reasons add up" else ""
        if self.holds:
            return f"{self.text!r}: {what}{self.arithmetic}, as printed"
        return f"{self.text!r}: {what}{self.arithmetic}, but the box prints {self.actual}"


@dataclass(frozen=True)
class FlowReport(TidyResult):
    """Every arithmetic check of a flow chart.

    Attributes
    ----------
    checks : tuple of FlowCheck
        One per box and rule, in the order of the boxes in the flow.
    """

    checks: tuple[FlowCheck, ...]

    @property
    def holds(self) -> bool:
        """True when every check holds."""
        return all(check.holds for check in self.checks)

    @property
    def failing(self) -> tuple[FlowCheck, ...]:
        """The checks that do not hold."""
        return tuple(check for check in self.checks if not check.holds)

    @property
    def failing_boxes(self) -> tuple[str, ...]:
        """``box_id`` of each box with a check that does not hold, in flow order."""
        return tuple(dict.fromkeys(check.box for check in self.failing))

    def for_box(self, box: str) -> tuple[FlowCheck, ...]:
        """The checks of one box (none for a box no rule concerns)."""
        return tuple(check for check in self.checks if check.box == box)

    def to_frame(self) -> pd.DataFrame:
        """The result as a data frame: `table`."""
        return self.table()

    def table(self) -> pd.DataFrame:
        """The checks as a data frame: one row each, the attributes and ``difference``."""
        return pd.DataFrame([{**asdict(c), "difference": c.difference} for c in self.checks])


def load_flow(path: str | Path | None = None) -> pd.DataFrame:
    """The flow chart of ``data/prisma_flow.csv`` (or ``path``), with its structure checked.

    Parameters
    ----------
    path : str or Path, optional
        Another file with the same columns.

    Returns
    -------
    pandas.DataFrame
        One row per box, in file order.

    Raises
    ------
    DataFileError
        One line naming the file, row and column. The schema in ``data/datapackage.json``
        checks each box's columns: an id that is empty or repeated (``primaryKey``), a role
        outside `ROLES` (``enum``), a parent that is not a ``box_id`` of the file (a
        ``foreignKeys`` reference to the file itself), an empty required cell. Here follow the
        rules between boxes that a schema cannot state: a parent of the wrong role, a missing
        parent, an end box with one, a cycle (see `check_flow`).
    """
    flow = load_table("prisma_flow", path)
    shown = _shown_path(path)
    _check_structure(
        flow, lambda row, column: _file_place(shown, flow, row, column), DataFileError
    )
    return flow


def check_flow(flow: pd.DataFrame | None = None) -> FlowReport:
    """Check the arithmetic of a flow chart.

    Parameters
    ----------
    flow : pandas.DataFrame, optional
        One row per box with columns ``box_id``, ``count`` (a whole number >= 0), ``role`` (one
        of `ROLES`) and ``parent`` (a ``box_id``, empty or missing for the end box);
        optionally ``text_as_printed``. Default: the paper's Fig. 1 (`load_flow`).

    Returns
    -------
    FlowReport
        For each box that others flow into: its count against the sum of its inputs minus its
        exclusions; for each exclusion box with reasons: its count against the sum of the
        reasons.

    Raises
    ------
    InputError
        One line naming the row and column: a missing column, a repeated ``box_id``, a count
        that is not a whole number >= 0, an unknown role, a parent that is not a box of the
        flow, a reason whose parent is not an exclusion box, an input or exclusion whose parent
        is an exclusion or a reason, an exclusion before a box that nothing flows into, or a
        cycle.

    References
    ----------
    Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated guideline
    for reporting systematic reviews. BMJ 2021;372:n71. doi:10.1136/bmj.n71

    Examples
    --------
    A flow that adds up, and the same flow with a misprinted box:

    >>> flow = pd.DataFrame({
    ...     "box_id": ["found", "excluded", "included"],
    ...     "count": [10, 4, 6],
    ...     "role": ["input", "exclusion", "end"],
    ...     "parent": ["included", "included", None],
    ... })
    >>> check_flow(flow).holds
    True
    >>> report = check_flow(flow.assign(count=[10, 4, 7]))
    >>> report.failing_boxes
    ('included',)
    >>> report.failing[0].arithmetic
    '10 - 4 = 6'
    """
    boxes = _checked_frame(load_flow() if flow is None else flow)
    text = _texts(boxes)
    checks: list[FlowCheck] = []
    for box_id, count in zip(boxes["box_id"], boxes["count"], strict=True):
        children = boxes[boxes["parent"] == box_id]
        inputs = children[children["role"] == "input"]
        exclusions = children[children["role"] == "exclusion"]
        reasons = children[children["role"] == "reason"]
        if len(inputs):
            added = [int(n) for n in inputs["count"]]
            removed = [int(n) for n in exclusions["count"]]
            expected = sum(added) - sum(removed)
            written = " + ".join(map(str, added))
            if removed:
                written += "".join(f" - {n}" for n in removed)
            checks.append(
                _check(box_id, "inputs minus exclusions", expected, count, written, text)
            )
        if len(reasons):
            parts = [int(n) for n in reasons["count"]]
            written = " + ".join(map(str, parts))
            checks.append(_check(box_id, "reasons add up", sum(parts), count, written, text))
    return FlowReport(checks=tuple(checks))


def _check(box: str, rule: str, expected: int, actual: int, written: str, text: dict) -> FlowCheck:
    return FlowCheck(
        box=box,
        rule=rule,
        expected=int(expected),
        actual=int(actual),
        holds=int(expected) == int(actual),
        arithmetic=f"{written} = {int(expected)}",
        text=text[box],
    )


def _texts(boxes: pd.DataFrame) -> dict[str, str]:
    if "text_as_printed" in boxes.columns:
        return {
            b: (str(t) if not pd.isna(t) else b)
            for b, t in zip(boxes["box_id"], boxes["text_as_printed"], strict=True)
        }
    return {b: b for b in boxes["box_id"]}


def _checked_frame(flow: object) -> pd.DataFrame:
    where = "check_flow"
    if not isinstance(flow, pd.DataFrame):
        raise InputError(f"{where}: flow must be a pandas DataFrame, got {type(flow).__name__}")
    missing = [c for c in _COLUMNS if c not in flow.columns]
    if missing:
        raise InputError(f"{where}: flow has no column {missing[0]!r}")
    if flow.empty:
        raise InputError(f"{where}: flow has no boxes")
    frame = flow.reset_index(drop=True).copy()
    for row, value in enumerate(frame["count"]):
        if not _whole_number(value):
            raise InputError(
                f"{where}: flow row {row}{_key(frame, row)}, column 'count': {value!r} is not a "
                "whole number >= 0"
            )
    frame["count"] = [int(v) for v in frame["count"]]
    frame["parent"] = [None if _blank(p) else str(p) for p in frame["parent"]]

    def place(row: int, column: str) -> str:
        return f"{where}: flow row {row}{_key(frame, row)}, column {column!r}"

    _check_columns(frame, place)
    _check_structure(frame, place, InputError)
    return frame


def _whole_number(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return number >= 0 and number.is_integer()


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _key(frame: pd.DataFrame, row: int) -> str:
    box = frame.at[row, "box_id"]
    return "" if _blank(box) else f" (box_id {box!r})"


def _check_columns(frame: pd.DataFrame, place) -> None:
    """For a flow given as a data frame, the checks the schema makes of a flow file: each box
    has an id of its own, a role of `ROLES` and a parent (if any) that is a box of the flow."""
    ids = [str(b) for b in frame["box_id"]]
    seen: set[str] = set()
    for row, box in enumerate(ids):
        if _blank(frame.at[row, "box_id"]):
            raise InputError(f"{place(row, 'box_id')}: the box has no id")
        if box in seen:
            raise InputError(f"{place(row, 'box_id')}: {box!r} appears in an earlier row")
        seen.add(box)
    for row, (role, parent) in enumerate(zip(frame["role"], frame["parent"], strict=True)):
        if role not in ROLES:
            allowed = ", ".join(ROLES)
            raise InputError(f"{place(row, 'role')}: {role!r} is not one of {allowed}")
        if not _blank(parent) and str(parent) not in seen:
            raise InputError(f"{place(row, 'parent')}: {parent!r} is not a box_id of the flow")


def _check_structure(frame: pd.DataFrame, place, error: type[InputError]) -> None:
    """Raise ``error`` for the first row whose parent does not fit the flow: the rules between
    boxes that a schema cannot state (ids, roles and parents are checked before)."""
    ids = [str(b) for b in frame["box_id"]]
    roles = dict(zip(ids, frame["role"], strict=True))
    parents = {
        b: (None if _blank(p) else str(p)) for b, p in zip(ids, frame["parent"], strict=True)
    }
    fed = {parents[b] for b in ids if roles[b] == "input"}
    for row, box in enumerate(ids):
        role, parent = roles[box], parents[box]
        if role == "end":
            if parent is not None:
                raise error(f"{place(row, 'parent')}: the end box has no parent, got {parent!r}")
            continue
        if parent is None:
            raise error(f"{place(row, 'parent')}: a box with role {role!r} needs a parent box")
        if parent == box:
            raise error(f"{place(row, 'parent')}: a box cannot be its own parent")
        if role == "reason" and roles[parent] != "exclusion":
            raise error(
                f"{place(row, 'parent')}: a reason belongs to an exclusion box, but {parent!r} "
                f"has role {roles[parent]!r}"
            )
        if role in ("input", "exclusion") and roles[parent] in ("exclusion", "reason"):
            raise error(
                f"{place(row, 'parent')}: records cannot flow into {parent!r}, which has role "
                f"{roles[parent]!r}"
            )
        if role == "exclusion" and parent not in fed:
            raise error(
                f"{place(row, 'parent')}: nothing flows into {parent!r}, so there is nothing to "
                "exclude records from"
            )
    for row, box in enumerate(ids):
        path = [box]
        while (step := parents[path[-1]]) is not None and roles[path[-1]] == "input":
            if step in path:
                raise error(f"{place(row, 'parent')}: the flow runs in a circle through {box!r}")
            path.append(step)


def _shown_path(path: str | Path | None) -> str:
    return _display_path(Path(path) if path is not None else DATA_DIR / "prisma_flow.csv")


def _file_place(shown: str, frame: pd.DataFrame, row: int, column: str) -> str:
    """``data/prisma_flow.csv: row 3 (line 4, box_id 'x'), column 'parent'`` (as the loader)."""
    box = frame.at[row, "box_id"]
    key = "" if _blank(box) else f", box_id {box!r}"
    return f"{shown}: row {row + 1} (line {row + 2}{key}), column {column!r}"


def reporting_table(
    items: pd.DataFrame | None = None, flow: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each box of the PRISMA 2020 flow diagram template beside what the paper's Fig. 1 gives.

    Parameters
    ----------
    items : pandas.DataFrame, optional
        ``data/prisma2020_flow_items.csv`` (default).
    flow : pandas.DataFrame, optional
        ``data/prisma_flow.csv`` (default, via `load_flow`).

    Returns
    -------
    pandas.DataFrame
        The rows of ``items`` in order, with ``printed``: the text of the paper's box that
        gives the count (missing where no box does).

    Raises
    ------
    DataFileError
        When an item names a ``paper_box`` that is not a box of the flow.

    References
    ----------
    Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated guideline
    for reporting systematic reviews. BMJ 2021;372:n71, Fig. 1. doi:10.1136/bmj.n71
    """
    items = load_table("prisma2020_flow_items") if items is None else items.copy()
    flow = load_flow() if flow is None else flow
    text = dict(zip(flow["box_id"], flow["text_as_printed"], strict=True))
    for row, box in enumerate(items["paper_box"]):
        if not _blank(box) and box not in text:
            raise DataFileError(
                f"data/prisma2020_flow_items.csv: row {row + 1} (line {row + 2}, item_id "
                f"{items['item_id'].iloc[row]!r}), column 'paper_box': {box!r} is not a box_id "
                "of prisma_flow.csv"
            )
    items["printed"] = pd.array(
        [None if _blank(box) else text[box] for box in items["paper_box"]], dtype="string"
    )
    return items.reset_index(drop=True)
