"""Chart data written as CSV read back as the records they were (analysis.charts.csv_data).

The reader here does what Vega does with ``"format": {"type": "csv", "parse": ...}``: d3-dsv
splits RFC 4180 text into strings (the last line break ignored), then each declared column is
parsed (vega-loader: ``number``: empty is null, else ``+text``; ``boolean``: empty is null,
``"true"``/``"false"``).
"""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from analysis.charts.csv_data import records_as_csv, with_csv_data

FIELDS = st.text(min_size=1, max_size=6)
TEXT = st.text(max_size=12)  # commas, quotes, line breaks and empty strings included
NUMBERS = st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False))


def vega_reads(text: str, parse: dict[str, str]) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    records = []
    for row in body:
        row = row or [""]  # d3-dsv reads an empty line as one empty field, Python's csv as none
        record = {}
        for field, cell in zip(header, row, strict=True):
            kind = parse.get(field)
            if kind == "number":
                record[field] = None if cell == "" else float(cell)
            elif kind == "boolean":
                record[field] = None if cell == "" else cell == "true"
            else:
                record[field] = cell
        records.append(record)
    return records


@st.composite
def datasets(draw) -> list[dict]:
    fields = draw(st.lists(FIELDS, min_size=1, max_size=4, unique=True))
    kinds = {field: draw(st.sampled_from(["number", "boolean", "string"])) for field in fields}
    values = {
        "number": st.one_of(st.none(), NUMBERS),
        "boolean": st.one_of(st.none(), st.booleans()),
        "string": TEXT,
    }
    rows = draw(st.integers(1, 6))
    return [{field: draw(values[kinds[field]]) for field in fields} for _ in range(rows)]


@given(datasets())
def test_csv_gives_back_every_record(records: list[dict]) -> None:
    written = records_as_csv(records)
    assert written is not None
    text, parse = written
    assert vega_reads(text, parse) == records


@given(st.sampled_from([[{"a": None, "b": "x"}, {"a": "y", "b": "z"}], [{"a": [1, 2]}]]))
def test_what_csv_cannot_hold_stays_json(records: list[dict]) -> None:
    spec = {"data": [{"name": "table", "values": records}]}
    assert records_as_csv(records) is None
    assert with_csv_data(spec) == spec


def test_a_spec_keeps_its_derived_data_and_declared_parse() -> None:
    derived = {"name": "data_1", "source": "table", "transform": [{"type": "filter"}]}
    spec = {
        "data": [
            {
                "name": "table",
                "values": [{"when": "2024-01-02", "n": 3}],
                "format": {"parse": {"when": "date"}},
            },
            derived,
        ],
        "marks": [],
    }

    written = with_csv_data(spec)

    assert written["data"][0]["format"] == {
        "type": "csv",
        "parse": {"n": "number", "when": "date"},
    }
    assert written["data"][0]["values"] == "n,when\n3,2024-01-02\n"
    assert written["data"][1] == derived and written["marks"] == []
    assert spec["data"][0]["values"] == [{"when": "2024-01-02", "n": 3}]
