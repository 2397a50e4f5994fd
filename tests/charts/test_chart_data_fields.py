"""The data a chart carries are the data it draws: no column that no part of its spec uses.

Every chart of the built book (and its phone layout) is read from the pages, where it is a Vega
specification compiled from the chart's Vega-Lite (``analysis.charts.renderer``): each field of
each of its inline datasets (``data`` entries with ``values``) must be named by the spec (an
encoding, a scale's domain, a tooltip, a transform's ``field``, or an expression's
``datum.<field>``). A column carried but never used only adds weight to the page
(the specification curves once carried about 100 KB of them).
"""

import csv
import io
import json
import re

import pytest

from book._ext.chart_specs import joined_specs, with_data
from tests.conftest import BUILT_HTML

EMBEDDED_SPEC = re.compile(r"var spec = (\{.*?\});\n")
"""Where `analysis.charts.renderer` writes a chart's spec into a page; the book's build serves
it beside the page instead (book/_ext/chart_specs.py, read back by `joined_specs`)."""
DATUM = re.compile(r"""datum\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["']([^"']+)["']\s*\])""")
FIELD_KEYS = {"field", "as", "groupby", "fields", "fold", "flatten", "key", "value", "on"}


def referenced_fields(node: object, found: set[str] | None = None) -> set[str]:
    """Every field a spec names, outside its datasets."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("values", "usermeta"):
                continue
            if key in FIELD_KEYS:
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        found.add(item.replace("\\.", "."))
            referenced_fields(value, found)
    elif isinstance(node, list):
        for item in node:
            referenced_fields(item, found)
    elif isinstance(node, str):
        found.update(a or b for a, b in DATUM.findall(node))
    return found


def unused_fields(spec: dict) -> dict[str, list[str]]:
    """For each inline dataset of ``spec`` (Vega), the fields that no part of the spec names."""
    used = referenced_fields(spec)
    unused = {}
    for entry in spec.get("data", []):
        rows = entry.get("values")
        if isinstance(rows, str):  # CSV (analysis.charts.csv_data): its header names the fields
            fields = set(next(csv.reader(io.StringIO(rows))))
        elif isinstance(rows, list):
            fields = {column for row in rows for column in row}
        else:
            continue
        columns = sorted(fields - used)
        if columns:
            unused[entry["name"]] = columns
    return unused


@pytest.mark.usefixtures("built_html")
def test_every_chart_of_the_book_carries_only_the_fields_it_uses() -> None:
    problems, charts = [], 0
    for page, spec in _built_specs():
        charts += 1
        phone = (spec.get("usermeta") or {}).get("phone")
        layouts = [spec]
        if isinstance(phone, dict):  # the phone layout, with the data it shares
            layouts.append(with_data(phone["spec"], spec["data"]))
        for layout in layouts:
            for dataset, columns in unused_fields(layout).items():
                problems.append(f"{page}: {dataset}: {columns}")
    assert charts > 0, "no chart spec found in the built pages"
    assert problems == []


def _built_specs() -> list[tuple[str, dict]]:
    """Every chart of the built book: inline in a page, or served beside it."""
    found = []
    for page in sorted(p for p in BUILT_HTML.rglob("*.html") if "_static" not in p.parts):
        found += [
            (page.name, json.loads(text)) for text in EMBEDDED_SPEC.findall(page.read_text())
        ]
    folder = BUILT_HTML / "_static" / "charts"
    for script in sorted(folder.glob("*.js")):
        if script.name.count(".") == 1:  # a page's data script; its layouts are beside it
            found += [(script.name, spec) for spec in joined_specs(folder, script.name).values()]
    return found
