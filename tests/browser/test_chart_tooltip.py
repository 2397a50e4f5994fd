"""The book's own chart tooltip (book/_ext/chart_tooltip.js, in the built Vega bundle).

Vega calls a view's tooltip handler with the hovered mark's tooltip value, and with none when
the pointer leaves the mark. The handler keeps the DOM contract of vega-tooltip, which the page
tests and the stylesheet use: one element ``#vg-tooltip-element`` with class ``visible`` while
shown; an object as a table of key/value rows, anything else as text; every value as text (no
markup from the data); placed beside the pointer and inside the window.
"""

import shutil
from pathlib import Path

from tests.browser.conftest import serve
from tests.browser.pages import visit

VIEWPORT = {"width": 400, "height": 300}
SHOW = """([x, y, value]) => {
  window.vegaChartTooltip(null, {clientX: x, clientY: y}, {}, value);
  const boxes = document.querySelectorAll('#vg-tooltip-element');
  const box = boxes[0];
  const rect = box.getBoundingClientRect();
  return {
    count: boxes.length,
    visible: box.classList.contains('visible') && getComputedStyle(box).visibility === 'visible',
    rows: [...box.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.textContent)),
    text: box.textContent,
    elements: box.querySelectorAll('b, script, img').length,
    box: {left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom},
  };
}"""


def test_the_tooltip_shows_values_as_text_beside_the_pointer(
    browser, built_html, tmp_path: Path
) -> None:
    static = tmp_path / "_static"
    static.mkdir()
    shutil.copy(built_html / "_static" / "vega-bundle.js", static / "vega-bundle.js")
    (tmp_path / "probe.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<script src="_static/vega-bundle.js"></script></head><body><p>probe</p></body></html>',
        encoding="utf-8",
    )
    server, url = serve(tmp_path)
    try:
        page, report, context = visit(browser, url + "probe.html", **VIEWPORT)
        try:
            label = "<b>Webster</b><img src=x onerror=window.__pwned=1>"
            record = page.evaluate(SHOW, [20, 30, {"Study": label, "Patients (n)": 13}])
            corner = page.evaluate(SHOW, [395, 295, {"Study": "A", "Estimate": "0.62"}])
            text = page.evaluate(SHOW, [50, 50, "Webster 2006: 0.62"])
            page.evaluate("window.vegaChartTooltip(null, {clientX: 5, clientY: 5}, {}, null)")
            hidden = page.locator("#vg-tooltip-element").is_hidden()
            pwned = page.evaluate("typeof window.__pwned")
        finally:
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert report.problems() == []
    assert record["count"] == 1 and record["visible"]
    assert record["rows"] == [["Study", label], ["Patients (n)", "13"]]
    assert record["elements"] == 0 and pwned == "undefined"  # markup shown as text
    assert record["box"]["left"] >= 20 and record["box"]["top"] >= 30  # beside the pointer
    inside = corner["box"]
    assert inside["left"] >= 0 and inside["top"] >= 0
    assert inside["right"] <= VIEWPORT["width"] and inside["bottom"] <= VIEWPORT["height"]
    assert inside["right"] <= 395 and inside["bottom"] <= 295  # moved before the pointer
    assert text["count"] == 1 and text["rows"] == [] and text["text"] == "Webster 2006: 0.62"
    assert hidden
