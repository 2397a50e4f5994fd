"""The book's Altair theme: registered and enabled by importing `analysis.charts`.

Source: the title style the charts had before the theme (13 px title, 11 px subtitle in
#555555, set on each chart with ``configure_title``) and Altair's default view size (300 × 300),
which the theme keeps so that no chart changes size. Exact comparisons.
"""

import json
import subprocess
import sys

import altair as alt
import pandas as pd
import pytest

from analysis.charts import THEME, use_offline_renderer
from analysis.charts.renderer import RENDERER_ENV
from analysis.charts.theme import TITLE_CONFIG

BEFORE_THE_THEME = {"fontSize": 13, "subtitleFontSize": 11, "subtitleColor": "#555555"}


def small_chart() -> alt.Chart:
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    return alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q").properties(title="t")


def test_importing_the_charts_registers_and_enables_the_theme() -> None:
    """In a fresh interpreter: before the import Altair's default theme, after it the book's."""
    code = (
        "import altair as alt; before = alt.theme.active; import analysis.charts; "
        "print(before, alt.theme.active, 'ketamine_book' in alt.theme.names())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["default", THEME, "True"]


def test_every_chart_gets_the_title_style_and_the_default_view() -> None:
    assert alt.theme.active == THEME
    config = small_chart().to_dict()["config"]
    assert config["title"] == BEFORE_THE_THEME == TITLE_CONFIG
    assert config["view"] == {"continuousWidth": 300, "continuousHeight": 300}


def test_a_chart_can_still_add_to_the_title_style() -> None:
    config = small_chart().configure_title(anchor="start").to_dict()["config"]
    assert config["title"] == {**BEFORE_THE_THEME, "anchor": "start"}


def test_the_offline_renderer_embeds_the_theme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RENDERER_ENV, raising=False)
    assert use_offline_renderer() == "offline_book"
    markup = alt.renderers.get()(small_chart().to_dict())["text/html"]
    assert 'class="vega-chart"' in markup
    spec = json.loads(markup.split("var spec = ")[1].split(";\n")[0])
    # Compiled to Vega (analysis.charts.vega_compile): the title's size becomes the style of
    # Vega's group titles, the rest stays title configuration.
    assert spec["config"]["style"]["group-title"] == {"fontSize": BEFORE_THE_THEME["fontSize"]}
    assert spec["config"]["title"] == {
        key: value for key, value in BEFORE_THE_THEME.items() if key != "fontSize"
    }


def test_the_svg_renderer_draws_a_themed_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    """As under ``make lab``: vl-convert draws the subtitle in the theme's grey."""
    monkeypatch.setenv(RENDERER_ENV, "svg")
    try:
        assert use_offline_renderer() == "svg"
        chart = small_chart().properties(title=alt.Title("t", subtitle="s"))
        svg = alt.renderers.get()(chart.to_dict())["image/svg+xml"]
        assert "<svg" in svg
        assert 'fill="#555555"' in svg  # the subtitle's grey (Vega-Lite's default is black)
    finally:
        monkeypatch.delenv(RENDERER_ENV)
        use_offline_renderer()
