"""The book's renderer compiles each chart to Vega at build time (issue 13, item 9).

A page loads Vega alone (book/_ext/offline_assets.py); the script of a chart holds its Vega
specification, compiled by the Vega-Lite version of the installed Altair, without what the view
does not read, and the phone layout carries no second copy of the data it shares with the wide
layout. No reference values: the specification is read from the HTML.
"""

import json

import altair as alt
import pandas as pd

from analysis.charts.renderer import vega_embed_html
from analysis.charts.vega_compile import vega_lite_version

ROWS = pd.DataFrame(
    {"label": ["A study with a long name", "Another study"], "x": [0.2345678, 0.7654321]}
)


def _spec(markup: str) -> dict:
    return json.loads(markup.split("  var spec = ")[1].split(";\n")[0])


def _wide_chart() -> dict:
    return (
        alt.Chart(ROWS)
        .mark_point()
        .encode(x="x:Q", y="label:N", tooltip=["label:N", "x:Q"])
        .properties(width=600, title="A chart too wide for a phone")
    ).to_dict()


def test_the_page_gets_a_vega_specification_and_no_vega_lite() -> None:
    markup = vega_embed_html(_wide_chart())
    spec = _spec(markup)
    assert "vegaEmbed" not in markup and "vegaLite" not in markup
    assert "marks" in spec and "encoding" not in spec and "mark" not in spec
    assert "$schema" not in markup  # nothing the view does not read
    assert "new vega.View(vega.parse(" in markup


def test_the_phone_layout_shares_the_wide_layouts_data() -> None:
    markup = vega_embed_html(_wide_chart())
    spec = _spec(markup)
    phone = spec["usermeta"]["phone"]["spec"]
    assert markup.count("0.2345678") == 1  # one copy of the data in the page
    wide_values = {entry["name"]: entry["values"] for entry in spec["data"] if "values" in entry}
    shared = [entry for entry in phone["data"] if "valuesOf" in entry]
    assert shared, "the phone layout names no dataset of the wide layout"
    assert all(entry["valuesOf"] in wide_values and "values" not in entry for entry in shared)


def test_the_compiler_is_the_vega_lite_of_the_installed_altair() -> None:
    assert alt.SCHEMA_VERSION.lstrip("v").startswith(vega_lite_version() + ".")
