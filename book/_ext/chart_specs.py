"""Sphinx extension: a page's chart specifications are served beside it, not inside it.

Each chart that ``analysis.charts.renderer`` writes is a container and a short script with
its whole specification, data included, on one line (``  var spec = {...};``). Left in the
page, a chapter with many charts weighs several hundred kilobytes of HTML (the Robustness
chapter's specification curves alone 350 KB). While a page is written, this extension moves
every chart's specification into one script per page, ``_static/charts/<page>.js``, loaded in
the page's head, and the chart's script reads it from there
(``window.bookCharts["<chart id>"]``). The page's text arrives first and stays light, the
charts draw as before, and a page opened from disk (``file://``) works, since a script
element, unlike ``fetch``, may load a local file.

The notebooks keep the specifications inline: a notebook opened anywhere draws its charts.
"""

import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

CHART_SCRIPT = re.compile(
    r'(  var el = document\.getElementById\("(?P<id>[^"]+)"\);\n'
    r"(?:(?!  var spec = |</script>).*\n)*?)"
    r"  var spec = (?P<spec>\{.*\});\n"
)
"""A chart's script, up to and including the line with its specification."""
FOLDER = "charts"
"""Where, under ``_static``, the pages' chart scripts are written."""
REGISTRY = "window.bookCharts"
logger = logging.getLogger(__name__)


def chart_file_name(pagename: str) -> str:
    """The name of a page's chart script: its document name with ``/`` as ``--``.

    >>> chart_file_name("book/07-robustness")
    'book--07-robustness.js'
    """
    return pagename.replace("/", "--") + ".js"


def split_specs(body: str) -> tuple[str, dict[str, str]]:
    """Take the specifications out of the chart scripts in ``body``.

    Parameters
    ----------
    body : str
        A page's HTML body.

    Returns
    -------
    tuple of (str, dict)
        The body, each chart reading its specification from ``window.bookCharts``, and the
        specifications (JSON text, as written) by chart id, in page order.

    Examples
    --------
    >>> body, specs = split_specs(
    ...     '  var el = document.getElementById("vega-1");\\n  var spec = {"mark": "bar"};\\n'
    ... )
    >>> print(body, end="")
      var el = document.getElementById("vega-1");
      var spec = window.bookCharts["vega-1"];
    >>> specs
    {'vega-1': '{"mark": "bar"}'}
    """
    specs: dict[str, str] = {}

    def read_from_registry(match: re.Match) -> str:
        chart = match["id"]
        specs[chart] = match["spec"]
        return f"{match[1]}  var spec = {REGISTRY}[{json.dumps(chart)}];\n"

    return CHART_SCRIPT.sub(read_from_registry, body), specs


def chart_script(specs: dict[str, str]) -> str:
    """The JavaScript that puts a page's specifications in ``window.bookCharts``."""
    lines = [f"{REGISTRY} = {REGISTRY} || {{}};"]
    lines += [f"{REGISTRY}[{json.dumps(chart)}] = {spec};" for chart, spec in specs.items()]
    return "\n".join(lines) + "\n"


def _move_specs(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    if app.builder.format != "html" or "body" not in context:
        return
    body, specs = split_specs(context["body"])
    if not specs:
        return
    name = chart_file_name(pagename)
    folder = Path(app.outdir) / "_static" / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(chart_script(specs), encoding="utf-8")
    context["body"] = body
    # After the chart bundle (priority 400, book/_ext/offline_assets.py), before the body.
    app.add_js_file(f"{FOLDER}/{name}", priority=450)


def setup(app: Sphinx) -> dict:
    # After offline_assets (priority 900 too, registered first) has looked for charts.
    app.connect("html-page-context", _move_specs, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
