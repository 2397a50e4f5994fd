"""Read the project's data files and check them against ``data/datapackage.json``.

``data/datapackage.json`` (a Frictionless Data Package) is the single description of every file:
its columns, their types, units, constraints and where in the paper each value comes from.
`load_table` checks a file against it and returns a typed `pandas.DataFrame`; the first problem
found stops the load with a `DataFileError` whose one-line message names the file, the row and
column, and the offending value.

Run ``python -m analysis.paper.data`` to check every file from the command line.
"""

import copy
import csv
import io
import json
import re
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import frictionless
import pandas as pd

from analysis.metaanalysis.errors import DataFileError
from analysis.paper.paths import DATA_DIR, DATAPACKAGE, REPO_ROOT

_PANDAS_DTYPES = {
    "string": "string",
    "number": "float64",
    "integer": "Int64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}
# Row errors that say the row itself is malformed come before the errors of its cells.
_ROW_SHAPE_ERRORS = ("blank-row", "missing-cell", "extra-cell")


def datapackage() -> Mapping:
    """The parsed ``data/datapackage.json`` (read again whenever the file changes)."""
    return _parse_datapackage(*_file_version(DATAPACKAGE))


@cache
def _parse_datapackage(path: str, mtime_ns: int, size: int) -> Mapping:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _file_version(path: Path) -> tuple[str, int, int]:
    # A file is read again when its modification time or size changes, so a chapter re-run
    # after an edit of the data sees the edit, and repeated loads in one run cost nothing.
    try:
        status = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path.resolve()), status.st_mtime_ns, status.st_size


def resource_descriptor(name: str) -> dict:
    """The descriptor of the resource called ``name`` in ``data/datapackage.json``."""
    for resource in datapackage()["resources"]:
        if resource["name"] == name:
            return copy.deepcopy(resource)
    known = ", ".join(r["name"] for r in datapackage()["resources"])
    raise DataFileError(f"data/datapackage.json has no resource {name!r} (it has {known})")


def schema_fields(name: str) -> list[dict]:
    """The field descriptors of resource ``name``, in column order."""
    return resource_descriptor(name)["schema"]["fields"]


def load_table(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read a data file, check it against its schema and return it as a typed data frame.

    Parameters
    ----------
    name : str
        The resource's name in ``data/datapackage.json`` (``"studies"``, ``"published_forest"``,
        ``"published_pooled"``, ``"corrections"``).
    path : str or Path, optional
        Read this file instead of the resource's own (it must follow the same schema).

    Returns
    -------
    pandas.DataFrame
        One column per schema field, in schema order: numbers as ``float64`` (empty cells, "not
        reported", as NaN), integers as nullable ``Int64``, text as ``string``, booleans as
        nullable ``boolean``, dates (ISO 8601) as ``datetime64[ns]`` (empty cells as NaT).

    Raises
    ------
    DataFileError
        For the first problem found: unreadable or non-UTF-8 bytes, an empty file, a header
        that does not match the schema, a file with no data rows, a row with too few or too many
        cells, a value of the wrong type, a value outside its constraints (required, minimum,
        maximum, enum, pattern), a repeated key, or a key missing from the table it refers to.
    """
    descriptor = resource_descriptor(name)
    file_path = Path(path) if path is not None else DATA_DIR / descriptor["path"]
    package = _file_version(DATAPACKAGE)
    return _load_checked(name, *_file_version(file_path), *package[1:]).copy()


@cache
def _load_checked(
    name: str, path: str, mtime_ns: int, size: int, package_mtime_ns: int, package_size: int
) -> pd.DataFrame:
    descriptor = resource_descriptor(name)
    file_path = Path(path)
    shown = _display_path(file_path)
    text = _read_utf8(file_path, shown)
    fields = descriptor["schema"]["fields"]
    _check_header_and_rows(text, [f["name"] for f in fields], shown)
    _check_against_schema(descriptor, file_path, shown)
    return _to_frame(text, fields)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _read_utf8(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{shown}: cannot be read ({error.strerror})") from None
    if not raw.strip():
        raise DataFileError(f"{shown}: the file is empty; it needs a header row and data rows")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = _locate_bad_byte(raw.decode("utf-8", errors="replace"))
        raise DataFileError(
            f"{shown}: {where}: byte 0x{raw[error.start]:02x} is not valid UTF-8; "
            "save the file as UTF-8"
        ) from None


def _locate_bad_byte(text: str) -> str:
    """Row and column of the first undecodable byte (shown as U+FFFD in ``text``)."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    for row_number, row in enumerate(reader):
        if row_number == 0:
            header = row
        for position, cell in enumerate(row):
            if "\ufffd" in cell:
                if row_number == 0:
                    return f"header, column {position + 1}"
                column = header[position] if position < len(header) else f"#{position + 1}"
                key = f", study_id {row[0]!r}" if row and "\ufffd" not in row[0] else ""
                return f"row {row_number} (line {reader.line_num}{key}), column {column!r}"
    return "somewhere"


def _check_header_and_rows(text: str, expected: list[str], shown: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    missing = [name for name in expected if name not in header]
    unknown = [name for name in header if name not in expected]
    if missing:
        found = f"; found {unknown[0]!r}, which the schema does not know" if unknown else ""
        raise DataFileError(f"{shown}: header: column {missing[0]!r} is missing{found}")
    if unknown:
        raise DataFileError(
            f"{shown}: header: column {unknown[0]!r} is not in the schema in "
            "data/datapackage.json; add it there first or remove it"
        )
    for position, (found, wanted) in enumerate(zip(header, expected, strict=False), start=1):
        if found != wanted:
            raise DataFileError(
                f"{shown}: header: column {position} is {found!r} but the schema puts "
                f"{wanted!r} there; keep the columns in the schema's order"
            )
    if len(header) != len(expected):
        raise DataFileError(f"{shown}: header: a column name appears more than once")
    if not any(any(cell.strip() for cell in row) for row in rows[1:]):
        raise DataFileError(f"{shown}: the file has a header but no data rows")


def _check_against_schema(descriptor: dict, file_path: Path, shown: str) -> None:
    # The checksum is checked by the test suite, not here: a user who edits a value on purpose
    # should see what their edit changes, not a checksum error.
    for key in ("hash", "bytes"):
        descriptor.pop(key, None)
    descriptor["path"] = file_path.name
    # Foreign keys need the whole package; check them separately below.
    foreign_keys = descriptor["schema"].pop("foreignKeys", [])
    resource = frictionless.Resource(descriptor, basepath=str(file_path.parent))
    report = resource.validate()
    if not report.valid:
        raise DataFileError(_describe(_first_error(report), shown, descriptor["schema"]))
    for key in foreign_keys:
        _check_foreign_key(resource, key, shown, descriptor["schema"])


def _first_error(report: frictionless.Report) -> frictionless.Error:
    errors = [error for task in report.tasks for error in task.errors] or report.errors

    def order(error: frictionless.Error) -> tuple[int, int]:
        row = getattr(error, "row_number", None) or 0
        return row, 0 if error.type in _ROW_SHAPE_ERRORS else 1

    return min(errors, key=order)


def _row_name(line: int, cells: list, schema: dict) -> str:
    """``row 2 (line 3, study_id 'webster2006')``: the data row, the file line, and its key.

    Rows are counted from the first data row; lines from the top of the file (the header is
    line 1), as a text editor or spreadsheet shows them.
    """
    names = [field["name"] for field in schema["fields"]]
    primary = schema.get("primaryKey", [])
    values = dict(zip(names, [str(c) if c is not None else "" for c in cells], strict=False))
    keys = [primary] if isinstance(primary, str) else primary
    shown = ", ".join(f"{k} {values[k]!r}" for k in keys if values.get(k))
    return f"row {line - 1} (line {line}{', ' + shown if shown else ''})"


def _describe(error: frictionless.Error, shown: str, schema: dict) -> str:
    kind = error.type
    if getattr(error, "row_number", None):
        row = _row_name(error.row_number, getattr(error, "cells", None) or [], schema)
    if kind == "type-error":
        field_type = error.note.split('"')[1].split("/")[0] if '"' in error.note else "valid"
        article = "an" if field_type[0] in "aeiou" else "a"
        return (
            f"{shown}: {row}, column {error.field_name!r}: "
            f"{error.cell!r} is not {article} {field_type}"
        )
    if kind == "constraint-error":
        return (
            f"{shown}: {row}, column {error.field_name!r}: "
            f"{_constraint_message(error.note, error.cell)}"
        )
    if kind in ("unique-error", "primary-key"):
        field = f", column {error.field_name!r}" if getattr(error, "field_name", "") else ""
        first = re.search(r"position (\d+)", error.note)
        seen = f" (first at row {int(first.group(1)) - 1})" if first else ""
        return f"{shown}: {row}{field}: repeats a key that must be unique{seen}"
    if kind == "missing-cell":
        return f"{shown}: {row}: too few cells (column {error.field_name!r} is absent)"
    if kind == "extra-cell":
        return f"{shown}: {row}: more cells than the header has columns"
    if kind == "blank-row":
        return f"{shown}: {row}: the row is blank"
    return f"{shown}: {error.message}"


def _constraint_message(note: str, cell: object) -> str:
    match = re.match(r'constraint "(\w+)" is "(.*)"', note)
    if not match:
        return f"{cell!r} breaks a constraint ({note})"
    constraint, bound = match.groups()
    if constraint == "required":
        return "the cell is empty but a value is required"
    messages = {
        "minimum": f"{cell!r} is below the minimum {bound}",
        "maximum": f"{cell!r} is above the maximum {bound}",
        "enum": f"{cell!r} is not one of the allowed values {bound}",
        "pattern": f"{cell!r} does not match the pattern {bound}",
        "unique": f"{cell!r} appears in an earlier row; values must be unique",
    }
    return messages.get(constraint, f"{cell!r} breaks the constraint {constraint} = {bound}")


def _check_foreign_key(
    resource: frictionless.Resource, key: dict, shown: str, schema: dict
) -> None:
    # A reference to resource "" is to the file itself (e.g. a box's parent is another box);
    # an empty cell refers to nothing and is allowed, as in Frictionless.
    field = key["fields"]
    target = key["reference"]
    rows = resource.read_rows()
    if target["resource"]:
        known = set(load_table(target["resource"])[target["fields"]])
        table = f"{target['resource']}.csv"
    else:
        known = {row[target["fields"]] for row in rows}
        table = "any row of this file"
    for row in rows:
        if row[field] is not None and row[field] not in known:
            where = _row_name(row.row_number, row.to_list(), schema)
            raise DataFileError(
                f"{shown}: {where}, column {field!r}: "
                f"{row[field]!r} is not a {target['fields']} of {table}"
            )


def _to_frame(text: str, fields: list[dict]) -> pd.DataFrame:
    frame = pd.read_csv(
        io.StringIO(text),
        dtype={f["name"]: "string" for f in fields},
        keep_default_na=False,
        na_values=[""],
    )
    for field in fields:
        column = frame[field["name"]]
        if field["type"] == "boolean":
            column = column.str.lower().map({"true": True, "false": False})
        frame[field["name"]] = column.astype(_PANDAS_DTYPES[field["type"]])
    return frame


def apply_corrections(studies: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``studies`` with the values of ``corrections`` put in.

    Each correction names a study, a column, the value as printed and the value to use. The
    printed value must be the one in ``studies`` (otherwise the correction no longer applies and
    a `DataFileError` says so).
    """
    corrected = studies.copy()
    for position, fix in enumerate(corrections.itertuples(index=False), start=1):
        rows = corrected.index[corrected["study_id"] == fix.study_id]
        where = f"data/corrections.csv: row {position} ({fix.study_id}, {fix.column})"
        if fix.column not in corrected.columns or len(rows) != 1:
            raise DataFileError(f"{where}: no such study and column in data/studies.csv")
        current = corrected.at[rows[0], fix.column]
        if pd.isna(current) or float(current) != float(fix.value_as_printed):
            raise DataFileError(
                f"{where}: studies.csv holds {current!r}, not the printed "
                f"{fix.value_as_printed!r}; update or remove the correction"
            )
        corrected.at[rows[0], fix.column] = fix.value_used
    return corrected


def load_studies(corrected: bool = True) -> pd.DataFrame:
    """The included studies (Table 1), with the corrections of ``corrections.csv`` applied.

    Parameters
    ----------
    corrected : bool
        ``False`` returns the values exactly as printed.
    """
    studies = load_table("studies")
    return apply_corrections(studies, load_table("corrections")) if corrected else studies


def main(argv: list[str] | None = None) -> int:
    """Check every data file (or ``--resource NAME [PATH]``); stop at the first problem."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--resource"] and len(args) in (2, 3):
        targets = [(args[1], args[2] if len(args) == 3 else None)]
    elif not args:
        targets = [(r["name"], None) for r in datapackage()["resources"]]
    else:
        print("usage: python -m analysis.paper [--resource NAME [PATH]]", file=sys.stderr)
        return 2
    for name, path in targets:
        try:
            frame = load_table(name, path)
        except DataFileError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"ok: {name} ({len(frame)} rows)")
    return 0
