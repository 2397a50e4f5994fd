"""The data a chart carries are the data it draws: no column that no part of its spec uses.

Every chart of the built book (and its phone layout) is read from the pages: each field of each
of its datasets must be named by the spec (an encoding, a tooltip, a transform's ``field``, or
an expression's ``datum.<field>``). A column carried but never used only adds weight to the page
(the specification curves once carried about 100 KB of them).
"""

import json
import re
from pathlib import Path

import pytest

from tests.conftest import BUILT_HTML

EMBEDDED_SPEC = re.compile(
    r"(?:var spec = |vegaEmbed\(el, |^window\.bookCharts\[\"[^\"]+\"\] = )(\{.*?\})"
    r"(?:;\n|, \{\"actions\")",
    re.MULTILINE,
)
"""Where a chart's spec is written: inline by `analysis.charts.renderer`, or in the page's
chart script by the book's build (book/_ext/chart_specs.py)."""
DATUM = re.compile(r"""datum\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["']([^"']+)["']\s*\])""")
FIELD_KEYS = {"field", "as", "groupby", "fields", "fold", "flatten", "key", "value", "on"}


def _pages() -> list[Path]:
    pages = [p for p in BUILT_HTML.rglob("*.html") if "_static" not in p.parts]
    return sorted(pages + list(BUILT_HTML.glob("_static/charts/*.js")))


def referenced_fields(node: object, found: set[str] | None = None) -> set[str]:
    """Every field a spec names, outside its datasets."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("datasets", "values", "usermeta"):
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
    """For each dataset of ``spec``, the fields that no part of the spec names."""
    used = referenced_fields(spec)
    unused = {}
    for name, rows in spec.get("datasets", {}).items():
        columns = sorted({column for row in rows for column in row} - used)
        if columns:
            unused[name] = columns
    return unused


@pytest.mark.usefixtures("built_html")
def test_every_chart_of_the_book_carries_only_the_fields_it_uses() -> None:
    problems, charts = [], 0
    for page in _pages():
        for text in EMBEDDED_SPEC.findall(page.read_text(encoding="utf-8")):
            charts += 1
            spec = json.loads(text)
            phone = (spec.get("usermeta") or {}).get("phone")
            layouts = [spec]
            if isinstance(phone, dict):  # the phone layout, with the data it shares
                datasets = {**spec.get("datasets", {}), **phone["spec"].get("datasets", {})}
                layouts.append({**phone["spec"], "datasets": datasets})
            for layout in layouts:
                for dataset, columns in unused_fields(layout).items():
                    problems.append(f"{page.name}: {dataset}: {columns}")
    assert charts > 0, "no chart spec found in the built pages"
    assert problems == []
