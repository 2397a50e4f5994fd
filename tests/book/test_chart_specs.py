"""Chart specifications are served beside their page (book/_ext/chart_specs.py).

The built pages keep each chart's container and script but none of its specification, which
the page's chart script in ``_static/charts/`` holds, whole and under the chart's id.
"""

import json
import re
from pathlib import Path

import altair as alt
import pandas as pd

from analysis.charts.renderer import vega_embed_html
from book._ext.chart_specs import chart_file_name, joined_specs, served_charts, split_specs

CHART_ID = re.compile(r'<div class="vega-chart" id="([^"]+)"')
INLINE_SPEC = re.compile(r"^\s*var spec = \{", re.MULTILINE)
REGISTERED = re.compile(r'^window\.bookCharts\["([^"]+)"\] = ', re.MULTILINE)


def test_a_chart_reads_back_the_spec_it_was_written_with(tmp_path: Path) -> None:
    data = pd.DataFrame({"label": ["A study with a long name", "B"], "y": [0.5, 0.25]})
    chart = alt.Chart(data).mark_point().encode(x="y", y="label", tooltip=["label", "y"])
    markup = vega_embed_html(chart.properties(width=600).to_dict())
    written = json.loads(markup.split("  var spec = ")[1].split(";\n")[0])

    body, specs = split_specs(markup)
    for kind, script in served_charts(specs).items():
        suffix = ".js" if kind == "data" else f".{kind}.js"
        (tmp_path / f"page{suffix}").write_text(script, encoding="utf-8")

    (chart_id,) = CHART_ID.findall(markup)
    assert not INLINE_SPEC.search(body)
    assert f'  var spec = window.bookCharts["{chart_id}"];\n' in body
    assert "phone" in written["usermeta"], "a chart this wide has a phone layout"
    assert joined_specs(tmp_path, "page.js") == {chart_id: written}
    assert REGISTERED.findall((tmp_path / "page.js").read_text()) == [chart_id]


def test_every_built_chart_has_its_spec_in_the_page_chart_script(built_html: Path) -> None:
    pages = [p for p in built_html.rglob("*.html") if "_static" not in p.parts]
    charted = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        charts = CHART_ID.findall(html)
        assert not INLINE_SPEC.search(html), f"{page.name}: a chart spec is still in the page"
        if not charts:
            continue
        charted += 1
        name = chart_file_name(page.relative_to(built_html).with_suffix("").as_posix())
        script = built_html / "_static" / "charts" / name
        assert f"_static/charts/{name}" in html, f"{page.name} does not load {name}"
        assert REGISTERED.findall(script.read_text(encoding="utf-8")) == charts, page.name
        assert set(joined_specs(script.parent, name)) == set(charts), page.name
    assert charted >= 9, "fewer chart pages than the nine chapters"


def test_a_page_whose_charts_fit_a_phone_gets_no_phone_layouts() -> None:
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_point()
    markup = vega_embed_html(chart.encode(x="x", y="y").properties(width=200).to_dict())

    scripts = served_charts(split_specs(markup)[1])

    assert set(scripts) == {"data", "wide"}
