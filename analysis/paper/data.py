"""Read the project's data files and check them against ``data/datapackage.json``.

``data/datapackage.json`` (a Frictionless Data Package) is the single description of every file:
its columns, their types, units, constraints and where in the paper each value comes from.
`load_table` checks a file against it and returns a typed `pandas.DataFrame`; the first problem
found stops the load with a `DataFileError` whose one-line message names the file, the row and
column, and the offending value. `analysis.paper.data_check` checks every file and then the rules
between files (the corrections, the side-effect vocabulary, the flow chart's structure).

The check knows the domain, beyond what a Frictionless schema states: numbers must be finite,
men cannot outnumber patients, a study cannot analyse more patients than it enrolled, a printed
estimate lies inside its own confidence interval, the weights of a forest plot add up to 100%
(see `ROW_RULES` and `TABLE_RULES`). Files are read only from inside ``data/``: a resource path
with ``..`` or a link to a file elsewhere is refused before anything is read.

Run ``python -m analysis.paper`` to check every file from the command line.
"""

import codecs
import csv
import datetime
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from analysis.metaanalysis.errors import DataFileError
from analysis.paper.paths import DATA_DIR, DATAPACKAGE, REPO_ROOT

FIELD_TYPES = ("string", "number", "integer", "boolean", "date")
"""The field types the check knows (Table Schema's names)."""

CONSTRAINTS = ("required", "unique", "minimum", "maximum", "enum", "pattern")
"""The field constraints the check knows (Table Schema's names)."""

CELL_LIMIT = csv.field_size_limit()
"""The longest cell the reader accepts, in characters (Python's csv limit, 128 KB)."""

INTEGER_LIMIT = 2**63 - 1
"""The largest integer a column can hold (a 64-bit integer)."""

_PANDAS_DTYPES = {
    "string": "string",
    "number": "float64",
    "integer": "Int64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHOWN_LENGTH = 40
# Files that are not CSV text, by their first bytes: what they are and what to do.
_NOT_TEXT = (
    (b"\x1f\x8b", "a gzip-compressed file, not CSV text; decompress it"),
    (b"PK\x03\x04", "a ZIP archive (an Excel workbook?), not CSV text; save it as CSV UTF-8"),
    (codecs.BOM_UTF16_LE, "UTF-16 text, not UTF-8; save it as CSV UTF-8"),
    (codecs.BOM_UTF16_BE, "UTF-16 text, not UTF-8; save it as CSV UTF-8"),
)


def datapackage() -> Mapping:
    """The parsed and checked ``data/datapackage.json`` (read again whenever the file changes).

    Raises
    ------
    DataFileError
        One line for a package that is missing, empty, not JSON, not an object, without
        ``resources``, with a resource whose name, path or schema is malformed (an unknown field
        type or constraint, a key naming no field), with a path that leaves ``data/``, or whose
        foreign keys run in a circle.
    """
    return _parse_datapackage(*_file_version(DATAPACKAGE))


@cache
def _parse_datapackage(path: str, mtime_ns: int, size: int) -> Mapping:
    shown = _display_path(DATAPACKAGE)
    _check_inside(DATAPACKAGE, DATA_DIR, shown)
    try:
        raw = DATAPACKAGE.read_bytes()
    except FileNotFoundError:
        raise DataFileError(
            f"{shown} is missing; it describes every data file (restore it from git)"
        ) from None
    except OSError as error:
        raise DataFileError(f"{shown}: cannot be read ({error.strerror})") from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if not raw.strip():
        raise DataFileError(f"{shown}: the file is empty; it must describe every data file")
    try:
        package = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DataFileError(
            f"{shown}: byte {error.start + 1} (0x{raw[error.start]:02x}) is not valid UTF-8"
        ) from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"{shown}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise DataFileError(f"{shown}: not valid JSON (nested too deeply)") from None
    _check_package(package, shown)
    return package


def _file_version(path: Path) -> tuple[str, int, int]:
    # A file is read again when its modification time or size changes, so a chapter re-run
    # after an edit of the data sees the edit, and repeated loads in one run cost nothing.
    try:
        status = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path.resolve()), status.st_mtime_ns, status.st_size


def _kind(value: object) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return kinds.get(type(value), "a number" if isinstance(value, int | float) else "a value")


def _check_package(package: object, shown: str) -> None:
    if not isinstance(package, dict):
        raise DataFileError(
            f'{shown}: holds {_kind(package)}, not an object with a "resources" list'
        )
    resources = package.get("resources")
    if resources is None:
        found = 'no "resources" list'
    elif not isinstance(resources, list):
        found = f'"resources" is {_kind(resources)}, not a list'
    elif not resources:
        found = '"resources" is an empty list'
    if not isinstance(resources, list) or not resources:
        raise DataFileError(f"{shown}: {found}; the package must describe its data files")
    names: list[str] = []
    for position, resource in enumerate(resources, start=1):
        where = f"{shown}: resource {position}"
        if not isinstance(resource, dict):
            raise DataFileError(f"{where} is {_kind(resource)}, not an object")
        name = resource.get("name")
        if not isinstance(name, str) or not name:
            raise DataFileError(f'{where} has no "name"')
        if name in names:
            raise DataFileError(f"{shown}: resource {name!r} is described twice")
        names.append(name)
        _check_resource(resource, f"{shown}: resource {name!r}")
    graph = {r["name"]: _references(r) for r in resources}
    for resource in resources:
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"]
            if target and target not in graph:
                raise DataFileError(
                    f"{shown}: resource {resource['name']!r}: a foreign key refers to resource "
                    f"{target!r}, which the package does not describe"
                )
            described = next(r for r in resources if r["name"] == (target or resource["name"]))
            field = key["reference"]["fields"]
            if field not in {f["name"] for f in described["schema"]["fields"]}:
                raise DataFileError(
                    f"{shown}: resource {resource['name']!r}: a foreign key refers to field "
                    f"{field!r} of {described['name']!r}, which has no such field"
                )
    for resource in resources:
        fields = {f["name"] for f in resource["schema"]["fields"]}
        rules = (*ROW_RULES.get(resource["name"], ()), *TABLE_RULES.get(resource["name"], ()))
        for rule in rules:
            lacking = [c for c in rule.columns if c not in fields]
            if lacking:
                raise DataFileError(
                    f"{shown}: resource {resource['name']!r}: the data check has a rule that "
                    f"reads column {lacking[0]!r}, which the schema does not describe"
                )
    for name in graph:
        cycle = _cycle(graph, [name])
        if cycle:
            raise DataFileError(
                f"{shown}: the foreign keys run in a circle ({' -> '.join(cycle)}); "
                "a table can only refer to tables that do not refer back to it"
            )


def _references(resource: dict) -> list[str]:
    keys = resource["schema"].get("foreignKeys", [])
    return [k["reference"]["resource"] for k in keys if k["reference"]["resource"]]


def _cycle(graph: dict[str, list[str]], path: list[str]) -> list[str] | None:
    for target in graph.get(path[-1], []):
        if target == path[0]:
            return [*path, target]
        if target not in path:
            found = _cycle(graph, [*path, target])
            if found:
                return found
    return None


def _check_resource(resource: dict, where: str) -> None:
    path = resource.get("path")
    if not isinstance(path, str) or not path:
        raise DataFileError(f'{where} has no "path" (the file it describes)')
    parts = PurePosixPath(path).parts
    if path.startswith(("/", "\\")) or ":" in path or ".." in parts or "\\" in path:
        raise DataFileError(
            f"{where}: path {_quote(path)} leads out of {_display_path(DATA_DIR)}/; "
            "a data file must lie inside it"
        )
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        raise DataFileError(f'{where} has no "schema" object')
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise DataFileError(f'{where}: the schema has no "fields" list')
    names: list[str] = []
    for position, field in enumerate(fields, start=1):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            raise DataFileError(f"{where}: field {position} is not an object with a name")
        name = field["name"]
        if name in names:
            raise DataFileError(f"{where}: field {name!r} is described twice")
        names.append(name)
        _check_field(field, f"{where}, field {name!r}")
    if schema.get("missingValues", [""]) != [""]:
        raise DataFileError(
            f'{where}: missingValues must be [""] (an empty cell is a value not reported)'
        )
    primary = schema.get("primaryKey", [])
    if not isinstance(primary, str | list):
        raise DataFileError(f"{where}: the primaryKey must be a field name or a list of them")
    for key in [primary] if isinstance(primary, str) else primary:
        if key not in names:
            raise DataFileError(f"{where}: the primaryKey names {key!r}, which is not a field")
    foreign = schema.get("foreignKeys", [])
    if not isinstance(foreign, list):
        raise DataFileError(f'{where}: "foreignKeys" must be a list')
    for key in foreign:
        reference = key.get("reference") if isinstance(key, dict) else None
        if (
            not isinstance(reference, dict)
            or not isinstance(key.get("fields"), str)
            or not isinstance(reference.get("resource"), str)
            or not isinstance(reference.get("fields"), str)
        ):
            raise DataFileError(
                f'{where}: a foreign key must be {{"fields": "<field>", "reference": '
                '{"resource": "<name>", "fields": "<field>"}}'
            )
        if key["fields"] not in names:
            raise DataFileError(
                f"{where}: a foreign key names {key['fields']!r}, which is not a field"
            )


def _check_field(field: dict, where: str) -> None:
    kind = field.get("type", "string")
    if kind not in FIELD_TYPES:
        raise DataFileError(
            f"{where}: type {_quote(kind)} is not one the check knows ({', '.join(FIELD_TYPES)})"
        )
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        raise DataFileError(f'{where}: "constraints" must be an object')
    for name, bound in constraints.items():
        if name not in CONSTRAINTS:
            raise DataFileError(
                f"{where}: constraint {name!r} is not one the check knows "
                f"({', '.join(CONSTRAINTS)})"
            )
        if name in ("minimum", "maximum") and (
            isinstance(bound, bool)
            or not isinstance(bound, int | float)
            or kind not in ("number", "integer")
        ):
            raise DataFileError(
                f"{where}: {name} {_quote(bound)} needs a number or integer field and a number"
            )
        if name in ("required", "unique") and not isinstance(bound, bool):
            raise DataFileError(f"{where}: {name} must be true or false, not {_quote(bound)}")
        if name == "enum" and (not isinstance(bound, list) or not bound):
            raise DataFileError(f"{where}: enum must be a list of the allowed values")
        if name == "pattern":
            try:
                re.compile(bound)
            except (re.error, TypeError) as error:
                raise DataFileError(
                    f"{where}: pattern {_quote(bound)} is not a regular expression ({error})"
                ) from None


def resource_descriptor(name: str) -> dict:
    """The descriptor of the resource called ``name`` in ``data/datapackage.json``."""
    for resource in datapackage()["resources"]:
        if resource["name"] == name:
            return json.loads(json.dumps(resource))
    known = ", ".join(r["name"] for r in datapackage()["resources"])
    raise DataFileError(f"{_display_path(DATAPACKAGE)} has no resource {name!r} (it has {known})")


def schema_fields(name: str) -> list[dict]:
    """The field descriptors of resource ``name``, in column order."""
    return resource_descriptor(name)["schema"]["fields"]


def resource_path(name: str) -> Path:
    """The file of resource ``name``: ``data/`` joined with its path (checked to stay inside)."""
    return DATA_DIR / resource_descriptor(name)["path"]


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
        For the first problem found: a file outside ``data/`` (a link or a path with ``..``),
        unreadable, compressed, binary or non-UTF-8 bytes, an empty file, malformed CSV (an
        unclosed quote, a cell over `CELL_LIMIT` characters), a header that does not match the
        schema, a file with no data rows, a row with too few or too many cells, a value of the
        wrong type, a number that is not finite, an integer beyond `INTEGER_LIMIT`, a value
        outside its constraints (required, minimum, maximum, enum, pattern), a repeated key, a
        key missing from the table it refers to, or a row or table that breaks a rule of
        `ROW_RULES` or `TABLE_RULES`. A UTF-8 byte order mark (Excel's "CSV UTF-8") and any
        line ending (LF, CRLF, CR) are accepted.
    """
    descriptor = resource_descriptor(name)
    if path is None:
        file_path, folder = DATA_DIR / descriptor["path"], DATA_DIR
    else:
        file_path = Path(path)
        folder = file_path.absolute().parent
    versions = [_file_version(file_path)[1:], _file_version(DATAPACKAGE)[1:]]
    for key in descriptor["schema"].get("foreignKeys", []):
        if key["reference"]["resource"]:
            versions.append(_file_version(resource_path(key["reference"]["resource"]))[1:])
    return _load_checked(name, str(file_path), str(folder), tuple(versions)).copy()


@cache
def _load_checked(name: str, path: str, folder: str, versions: tuple) -> pd.DataFrame:
    descriptor = resource_descriptor(name)
    file_path = Path(path)
    shown = _display_path(file_path)
    _check_inside(file_path, Path(folder), shown)
    text = _read_text(file_path, shown)
    table = _Table.parse(name, text, descriptor["schema"], shown)
    table.check()
    return table.frame()


def _display_path(path: Path) -> str:
    try:
        return str(path.absolute().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _check_inside(path: Path, folder: Path, shown: str) -> None:
    """Refuse a file that is, or leads through a link to, something outside ``folder``."""
    target = path.resolve()
    if not target.is_relative_to(folder.resolve()):
        raise DataFileError(
            f"{shown} is a link to a file outside {_display_path(folder)}/; refused (not read)"
        )
    if target.is_dir():
        raise DataFileError(f"{shown} is a folder, not a data file")


def _quote(value: object) -> str:
    """``repr(value)``, shortened to about 40 characters (a cell can be 128 KB long)."""
    text = repr(value)
    if len(text) <= _SHOWN_LENGTH:
        return text
    return f"{text[: _SHOWN_LENGTH - 4]}...{text[0]} ({len(str(value)):,} characters)"


def _read_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{shown}: cannot be read ({error.strerror})") from None
    for magic, what in _NOT_TEXT:
        if raw.startswith(magic):
            raise DataFileError(f"{shown}: the file is {what}")
    if raw.startswith(codecs.BOM_UTF8):  # Excel's "CSV UTF-8" starts with a byte order mark
        raw = raw[len(codecs.BOM_UTF8) :]
    if not raw.strip():
        raise DataFileError(f"{shown}: the file is empty; it needs a header row and data rows")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = _locate(raw.decode("utf-8", errors="replace"), "\ufffd")
        raise DataFileError(
            f"{shown}: {where}: byte 0x{raw[error.start]:02x} is not valid UTF-8; "
            "save the file as UTF-8"
        ) from None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted cell may span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    for cells in reader:
        yield line, cells
        line = reader.line_num + 1


def _locate(text: str, mark: str) -> str:
    """Row and column of the first cell that contains ``mark``."""
    header: list[str] = []
    try:
        for row, (line, cells) in enumerate(_records(text.replace("\x00", "\ufffd"))):
            header = cells if row == 0 else header
            for position, cell in enumerate(cells):
                if mark in cell:
                    if row == 0:
                        return f"header, column {position + 1}"
                    column = header[position] if position < len(header) else f"#{position + 1}"
                    key = f", study_id {cells[0]!r}" if cells and mark not in cells[0] else ""
                    return f"row {row} (line {line}{key}), column {column!r}"
    except csv.Error:
        pass
    line = text[: text.index(mark)].count("\n") + 1 if mark in text else 1
    return f"line {line}"


class _CellError(ValueError):
    """A cell's value breaks its type or a constraint (the message follows the cell's place)."""


class _Table:
    """A parsed file: its schema, header and records (line, cells); checked by `check`.

    Not a result (a plain class, not a dataclass): it lives only inside `load_table`.
    """

    def __init__(
        self,
        name: str,
        schema: dict,
        shown: str,
        header: list[str],
        records: list[tuple[int, list[str]]],
    ) -> None:
        self.name, self.schema, self.shown = name, schema, shown
        self.header, self.records = header, records
        self.values: list[dict] = []

    @classmethod
    def parse(cls, name: str, text: str, schema: dict, shown: str) -> "_Table":
        records: list[tuple[int, list[str]]] = []
        line = 1
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            for cells in reader:
                records.append((line, cells))
                line = reader.line_num + 1
        except csv.Error as error:
            raise DataFileError(_csv_problem(shown, len(records), line, error)) from None
        while records and not any(records[-1][1]):  # blank lines at the end are harmless
            records.pop()
        if not records:
            raise DataFileError(f"{shown}: the file is empty; it needs a header row and data rows")
        table = cls(name, schema, shown, records[0][1], records[1:])
        table._check_header()
        return table

    @property
    def names(self) -> list[str]:
        return [field["name"] for field in self.schema["fields"]]

    def _check_header(self) -> None:
        shown, header, expected = self.shown, self.header, self.names
        for position, name in enumerate(header, start=1):
            if _CONTROL.search(name):
                raise DataFileError(
                    f"{shown}: header, column {position}: {_control(name)}; is this a binary file?"
                )
        missing = [name for name in expected if name not in header]
        unknown = [name for name in header if name not in expected]
        if missing:
            found = (
                f"; found {_quote(unknown[0])}, which the schema does not know" if unknown else ""
            )
            raise DataFileError(f"{shown}: header: column {missing[0]!r} is missing{found}")
        if unknown:
            raise DataFileError(
                f"{shown}: header: column {_quote(unknown[0])} is not in the schema in "
                f"{_display_path(DATAPACKAGE)}; add it there first or remove it"
            )
        for position, (found, wanted) in enumerate(zip(header, expected, strict=False), start=1):
            if found != wanted:
                raise DataFileError(
                    f"{shown}: header: column {position} is {found!r} but the schema puts "
                    f"{wanted!r} there; keep the columns in the schema's order"
                )
        if len(header) != len(expected):
            twice = next(name for name in header if header.count(name) > 1)
            raise DataFileError(f"{shown}: header: column {twice!r} appears more than once")
        empty = not any(any(cell.strip() for cell in cells) for _, cells in self.records)
        # A table whose schema says so may be empty: corrections.csv when nothing is misprinted.
        if empty and not self.schema.get("emptyAllowed", False):
            raise DataFileError(f"{shown}: the file has a header but no data rows")

    def row_name(self, row: int) -> str:
        """``row 2 (line 3, study_id 'webster2006')``: the data row, its first line, its key.

        Rows are counted from the first data row; lines from the top of the file (the header
        is line 1), as a text editor shows them; a quoted cell may span lines.
        """
        line, cells = self.records[row - 1]
        values = dict(zip(self.names, cells, strict=False))
        primary = self.schema.get("primaryKey", [])
        keys = [primary] if isinstance(primary, str) else primary
        key = ", ".join(
            f"{k} {_quote(values[k])}"
            for k in keys
            if values.get(k) and not _CONTROL.search(values[k])
        )
        return f"row {row} (line {line}{', ' + key if key else ''})"

    def check(self) -> None:
        """Check every row, then the keys, then the rules of the whole table."""
        fields = self.schema["fields"]
        primary = self.schema.get("primaryKey", [])
        primary = [primary] if isinstance(primary, str) else list(primary)
        seen: dict[str, dict] = {f["name"]: {} for f in fields}
        seen_keys: dict[tuple, int] = {}
        self.values = []
        for row, (_, cells) in enumerate(self.records, start=1):
            where = f"{self.shown}: {self.row_name(row)}"
            if not any(cell.strip() for cell in cells):
                raise DataFileError(f"{where}: the row is blank")
            if len(cells) < len(fields):
                absent = fields[len(cells)]["name"]
                raise DataFileError(f"{where}: too few cells (column {absent!r} is absent)")
            if len(cells) > len(fields):
                raise DataFileError(f"{where}: more cells than the header has columns")
            values = {}
            for field, cell in zip(fields, cells, strict=True):
                name = field["name"]
                try:
                    values[name] = _parse_cell(field, cell, field["name"] in primary)
                except _CellError as error:
                    raise DataFileError(f"{where}, column {name!r}: {error}") from None
                unique = field.get("constraints", {}).get("unique") or primary == [name]
                if unique and values[name] is not None:
                    first = seen[name].setdefault(values[name], row)
                    if first != row:
                        raise DataFileError(
                            f"{where}, column {name!r}: repeats a key that must be unique "
                            f"(first at row {first})"
                        )
            if len(primary) > 1:
                key = tuple(values[k] for k in primary)
                first = seen_keys.setdefault(key, row)
                if first != row:
                    raise DataFileError(
                        f"{where}: repeats a key that must be unique ({', '.join(primary)}; "
                        f"first at row {first})"
                    )
            raw = dict(zip(self.names, cells, strict=True))
            for rule in ROW_RULES.get(self.name, ()):
                problem = rule(values, raw)
                if problem:
                    raise DataFileError(f"{where}, {problem}")
            self.values.append(values)
        for key in self.schema.get("foreignKeys", []):
            self._check_foreign_key(key)
        for rule in TABLE_RULES.get(self.name, ()):
            problem = rule(self.values)
            if problem:
                raise DataFileError(f"{self.shown}: {problem}")

    def _check_foreign_key(self, key: dict) -> None:
        # A reference to resource "" is to the file itself (e.g. a box's parent is another box);
        # an empty cell refers to nothing and is allowed, as in Frictionless.
        field, target = key["fields"], key["reference"]
        if target["resource"]:
            table = load_table(target["resource"])
            if target["fields"] not in table.columns:
                raise DataFileError(
                    f"{_display_path(DATAPACKAGE)}: a foreign key refers to "
                    f"{target['resource']}.{target['fields']}, which is not a field"
                )
            known = set(table[target["fields"]].dropna())
            shown = f"{Path(resource_descriptor(target['resource'])['path']).name}"
        else:
            known = {values[target["fields"]] for values in self.values}
            shown = "any row of this file"
        for row, values in enumerate(self.values, start=1):
            if values[field] is not None and values[field] not in known:
                raise DataFileError(
                    f"{self.shown}: {self.row_name(row)}, column {field!r}: "
                    f"{_quote(values[field])} is not a {target['fields']} of {shown}"
                )

    def frame(self) -> pd.DataFrame:
        columns = {}
        for field in self.schema["fields"]:
            name, kind = field["name"], field.get("type", "string")
            column = [values[name] for values in self.values]
            if kind == "number":
                columns[name] = np.array(
                    [np.nan if v is None else v for v in column], dtype="float64"
                )
            elif kind == "date":
                columns[name] = pd.to_datetime(pd.Series(column, dtype="object")).astype(
                    "datetime64[ns]"
                )
            else:
                columns[name] = pd.array(column, dtype=_PANDAS_DTYPES[kind])
        return pd.DataFrame(columns)


def _csv_problem(shown: str, records: int, line: int, error: csv.Error) -> str:
    where = (
        f"{shown}: header (line 1)" if records == 0 else f"{shown}: row {records} (line {line})"
    )
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"{where}: a cell is longer than {CELL_LIMIT:,} characters (128 KB); "
            'is a closing quote (") missing?'
        )
    if "unexpected end of data" in text:
        return f'{where}: a quoted cell is never closed (a closing " is missing)'
    if "expected after" in text:
        return f'{where}: a quoted cell goes on after its closing " (write "" for a " inside it)'
    if "NUL" in text:
        return f"{where}: contains a NUL byte; is this a binary file?"
    return f"{where}: not valid CSV ({text})"


def _control(text: str) -> str:
    char = _CONTROL.search(text).group()
    return f"contains the control character U+{ord(char):04X}"


def _parse_cell(field: dict, cell: str, in_key: bool) -> object:
    """The typed value of ``cell`` (None for an empty cell), or `_CellError`."""
    constraints = field.get("constraints", {})
    if cell == "":
        if constraints.get("required") or in_key:
            raise _CellError("the cell is empty but a value is required")
        return None
    if _CONTROL.search(cell):
        raise _CellError(f"{_control(cell)}; is this a binary file?")
    kind = field.get("type", "string")
    value = _PARSERS[kind](cell)
    for name, bound in constraints.items():
        problem = _CONSTRAINT_CHECKS.get(name, lambda *_: None)(value, bound, cell)
        if problem:
            raise _CellError(problem)
    return value


def _parse_number(cell: str) -> float:
    if _NUMBER.fullmatch(cell):
        value = float(cell)
        if not math.isfinite(value):
            raise _CellError(f"{_quote(cell)} is not a finite number (it is too large)")
        return value
    word = cell.strip().lower().lstrip("+-")
    if word == "nan":
        raise _CellError(
            f"{_quote(cell)} is not a number; leave the cell empty for a value not reported"
        )
    if word in ("inf", "infinity"):
        raise _CellError(f"{_quote(cell)} is not a finite number")
    raise _CellError(f"{_quote(cell)} is not a number")


def _parse_integer(cell: str) -> int:
    if not _INTEGER.fullmatch(cell):
        raise _CellError(f"{_quote(cell)} is not an integer")
    if len(cell.lstrip("+-0")) > 19 or abs(int(cell)) > INTEGER_LIMIT:
        raise _CellError(f"{_quote(cell)} is too large for an integer (at most {INTEGER_LIMIT})")
    return int(cell)


def _parse_boolean(cell: str) -> bool:
    if cell.lower() not in ("true", "false"):
        raise _CellError(f"{_quote(cell)} is not a boolean (write true or false)")
    return cell.lower() == "true"


def _parse_date(cell: str) -> datetime.date:
    try:
        if not _DATE.fullmatch(cell):
            raise ValueError(cell)
        value = datetime.date.fromisoformat(cell)
    except ValueError:
        raise _CellError(f"{_quote(cell)} is not a date (YYYY-MM-DD)") from None
    if not pd.Timestamp.min.date() < value < pd.Timestamp.max.date():
        raise _CellError(f"{_quote(cell)} is outside the dates a table can hold (1678 to 2261)")
    return value


_PARSERS: dict[str, Callable[[str], object]] = {
    "string": str,
    "number": _parse_number,
    "integer": _parse_integer,
    "boolean": _parse_boolean,
    "date": _parse_date,
}

_CONSTRAINT_CHECKS: dict[str, Callable[[object, object, str], str | None]] = {
    "minimum": lambda v, bound, cell: (
        f"{_quote(cell)} is below the minimum {bound}" if v < bound else None
    ),
    "maximum": lambda v, bound, cell: (
        f"{_quote(cell)} is above the maximum {bound}" if v > bound else None
    ),
    "enum": lambda v, bound, cell: (
        f"{_quote(cell)} is not one of the allowed values {', '.join(map(repr, bound))}"
        if v not in bound
        else None
    ),
    "pattern": lambda v, bound, cell: (
        f"{_quote(cell)} does not match the pattern {bound}"
        if not re.fullmatch(bound, cell)
        else None
    ),
}


# Rules between the columns of one row, by resource. Each takes the row's typed values and its
# cells as written, and returns the problem (after "column 'x': ") or None.
RowRule = Callable[[dict, dict], str | None]
TableRule = Callable[[list[dict]], str | None]


def _uses(*columns: str) -> Callable[[Callable], Callable]:
    """Record the columns a rule reads (``rule.columns``), checked against the schema."""

    def mark(rule: Callable) -> Callable:
        rule.columns = tuple(c for c in columns if c)
        return rule

    return mark


def _at_most(column: str, limits: tuple[str, ...], why: str = "") -> RowRule:
    """``column`` <= the first of ``limits`` that is given."""

    @_uses(column, *limits)
    def rule(values: dict, raw: dict) -> str | None:
        limit = next((name for name in limits if values[name] is not None), None)
        if values[column] is None or limit is None or values[column] <= values[limit]:
            return None
        because = f"; {why}" if why else ""
        return f"column {column!r}: {raw[column]} is more than {limit} {raw[limit]}{because}"

    return rule


def _inside_interval(estimate: str, low: str = "ci_low", high: str = "ci_high") -> RowRule:
    """``low <= high``; ``low <= estimate <= high`` when all three are given."""

    @_uses(estimate, low, high)
    def rule(values: dict, raw: dict) -> str | None:
        lo, hi, value = values[low], values[high], values[estimate]
        if lo is not None and hi is not None and lo > hi:
            return (
                f"columns {low!r} and {high!r}: the interval is inverted ({low} {raw[low]} is "
                f"above {high} {raw[high]})"
            )
        if value is not None and lo is not None and hi is not None and not lo <= value <= hi:
            return (
                f"column {estimate!r}: {raw[estimate]} lies outside its own interval "
                f"{raw[low]} to {raw[high]}"
            )
        return None

    return rule


@_uses("relation", "value", "ci_low", "ci_high")
def _claim_inside_interval(values: dict, raw: dict) -> str | None:
    # Only a claim stated as equal to a value has that value inside its interval.
    return _inside_interval("value")(values, raw) if values["relation"] == "=" else None


def _all_or_none(*columns: str) -> RowRule:
    @_uses(*columns)
    def rule(values: dict, raw: dict) -> str | None:
        given = [c for c in columns if values[c] is not None]
        if given and len(given) < len(columns):
            empty = next(c for c in columns if values[c] is None)
            return (
                f"column {empty!r}: the cell is empty, but {given[0]!r} is given; "
                f"{', '.join(columns)} go together"
            )
        return None

    return rule


@_uses("unit", "value", "ci_low", "ci_high")
def _percent_claim(values: dict, raw: dict) -> str | None:
    if values["unit"] != "percent":
        return None
    for column in ("value", "ci_low", "ci_high"):
        if values[column] is not None and not 0 <= values[column] <= 100:
            return f"column {column!r}: {raw[column]} percent is outside 0 to 100"
    return None


def _shares_add_up(
    share: str, group: str, total: float, decimals: int, skip: str | None = None
) -> TableRule:
    """The ``share`` of the rows of each ``group`` adds up to ``total``, within the rounding."""

    @_uses(share, group, skip or "")
    def rule(rows: list[dict]) -> str | None:
        groups: dict[object, list[float]] = {}
        for values in rows:
            if skip is None or not values[skip]:
                groups.setdefault(values[group], []).append(values[share])
        for key, shares in groups.items():
            allowed = len(shares) * 0.5 * 10**-decimals + 1e-9
            found = sum(shares)
            if abs(found - total) > allowed:
                return (
                    f"{group} {key!r}, column {share!r}: its {len(shares)} rows add up to "
                    f"{found:.{decimals}f}, not {total:g} (rounding to {decimals} decimals "
                    f"allows {allowed:.3f} either way)"
                )
        return None

    return rule


@_uses("minimum", "maximum")
def _minimum_below_maximum(values: dict, raw: dict) -> str | None:
    if values["minimum"] >= values["maximum"]:
        return f"columns 'minimum' and 'maximum': {raw['minimum']} is not below {raw['maximum']}"
    return None


ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "studies": (
        _at_most(
            "n_analysed", ("n_enrolled",), "a study cannot analyse more patients than it enrolled"
        ),
        _at_most("n_male", ("n_enrolled", "n_analysed"), "the men cannot outnumber the patients"),
    ),
    "published_forest": (
        _all_or_none("estimate", "ci_low", "ci_high"),
        _inside_interval("estimate"),
    ),
    "published_pooled": (_inside_interval("estimate"),),
    "published_claims": (_percent_claim, _claim_inside_interval),
    "adverse_events": (_at_most("patients_with_event", ("patients",)),),
    "published_rates": (_at_most("events", ("patients",)),),
    "published_fig3_axes": (_minimum_below_maximum,),
}
"""Rules between the columns of one row, by resource: each row must satisfy them."""

TABLE_RULES: dict[str, tuple[TableRule, ...]] = {
    # Each forest plot's study weights are printed with 2 decimals and add up to 100%.
    "published_forest": (_shares_add_up("weight_pct", "figure", 100, 2, skip="excluded"),),
}
"""Rules over all rows of a resource (shares that must add up)."""


def apply_corrections(studies: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``studies`` with the values of ``corrections`` put in.

    Each correction names a study, a column, the value as printed and the value to use. The
    printed value must be the one in ``studies`` (otherwise the correction no longer applies and
    a `DataFileError` says so), and the value used must fit the column (its type and range).
    """
    corrected = studies.copy()
    fields = {f["name"]: f for f in schema_fields("studies")}
    table = _display_path(resource_path("studies"))
    for position, fix in enumerate(corrections.itertuples(index=False), start=1):
        where = (
            f"{_display_path(resource_path('corrections'))}: row {position} (study_id "
            f"{fix.study_id!r}, column {fix.column!r})"
        )
        rows = corrected.index[corrected["study_id"] == fix.study_id]
        if len(rows) != 1:
            raise DataFileError(f"{where}: {table} has no study {fix.study_id!r}")
        field = fields.get(fix.column)
        if field is None or fix.column not in corrected.columns:
            raise DataFileError(f"{where}: {table} has no column {fix.column!r}")
        if field["type"] not in ("number", "integer"):
            raise DataFileError(
                f"{where}: column {fix.column!r} holds {field['type']}s; a correction replaces "
                "a number"
            )
        current = corrected.at[rows[0], fix.column]
        if pd.isna(current) or float(current) != float(fix.value_as_printed):
            held = "an empty cell" if pd.isna(current) else f"{float(current):g}"
            raise DataFileError(
                f"{where}: {table} holds {held}, not the printed "
                f"{fix.value_as_printed:g}; update or remove the correction"
            )
        used = fix.value_used
        bounds = field.get("constraints", {})
        if field["type"] == "integer" and used != int(used):
            raise DataFileError(f"{where}: value_used {used:g} is not a whole number")
        if not bounds.get("minimum", -math.inf) <= used <= bounds.get("maximum", math.inf):
            raise DataFileError(
                f"{where}: value_used {used:g} is outside the column's range "
                f"{bounds.get('minimum', '-inf')} to {bounds.get('maximum', 'inf')}"
            )
        corrected.at[rows[0], fix.column] = int(used) if field["type"] == "integer" else used
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
