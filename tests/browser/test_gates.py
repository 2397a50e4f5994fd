"""The browser suite catches what it should: a CDN script, and markup smuggled into a label."""

import shutil
from pathlib import Path

import pandas as pd

from analysis.charts.forest import forest_plot
from analysis.charts.renderer import vega_embed_html
from analysis.charts.tables import html_table
from analysis.metaanalysis.pooling import pool
from analysis.paper.data import load_table
from analysis.paper.relief_rates import rate_inputs, with_weights
from tests.browser.conftest import serve
from tests.browser.pages import visit
from tests.conftest import REPO_ROOT

CORPUS = REPO_ROOT / "tests" / "paper" / "bad_input"
CDN_SCRIPT = "https://cdn.jsdelivr.net/npm/vega@5"


def test_a_page_with_a_cdn_script_fails(browser, tmp_path: Path) -> None:
    (tmp_path / "cdn.html").write_text(
        f'<!doctype html><html><head><script src="{CDN_SCRIPT}"></script></head>'
        "<body><p>CDN probe</p></body></html>",
        encoding="utf-8",
    )
    server, url = serve(tmp_path)
    try:
        _, report, context = visit(browser, url + "cdn.html")
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert report.third_party_requests == [CDN_SCRIPT]
    assert f"request to another host (blocked): {CDN_SCRIPT}" in report.problems()


def test_markup_in_a_study_label_is_shown_as_text(browser, built_html, tmp_path: Path) -> None:
    """A label with HTML and a script, drawn by the book's own table and chart code."""
    studies = load_table("studies", CORPUS / "markup_label.csv")
    label = studies.loc[1, "label"]
    inputs = rate_inputs("immediate", studies=studies)
    result = pool(inputs["yi"], inputs["vi"])
    chart = forest_plot(with_weights(inputs, result), result, title="Probe", x_title="p")
    table = html_table(pd.DataFrame({"Study": studies["label"]})).data
    static = tmp_path / "_static"
    static.mkdir()
    shutil.copy(built_html / "_static" / "vega-bundle.js", static / "vega-bundle.js")
    (tmp_path / "probe.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<script src="_static/vega-bundle.js"></script></head><body>'
        f"{table}\n{vega_embed_html(chart.to_dict())}</body></html>",
        encoding="utf-8",
    )
    server, url = serve(tmp_path)
    try:
        page, report, context = visit(browser, url + "probe.html")
        pwned = page.evaluate("typeof window.__pwned")
        cells = page.locator("table td").all_inner_texts()
        bold = page.locator("table b, .vega-chart b").count()
        svg_text = page.locator(".vega-chart svg").first.text_content()
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert report.problems() == []
    assert pwned == "undefined"  # the script in the label never ran
    assert label in cells  # the table shows the label as text
    assert bold == 0
    assert "<b>Webster</b>" in svg_text  # the chart draws it as text (cut to fit the column)
