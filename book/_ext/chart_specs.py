"""Sphinx extension: a page's charts are served beside it, each layout loaded when needed.

Each chart that ``analysis.charts.renderer`` writes is a container and a short script with
its whole specification on one line (``  var spec = {...};``): its data, its wide layout and,
for most charts, a phone layout. Left in the page, a chapter with many charts weighs several
hundred kilobytes of HTML, and every reader loads both layouts of every chart. While a page
is written, this extension takes the specifications out of it into three scripts under
``_static/charts/``:

- ``<page>.js``, loaded in the page's head: each chart's data (``window.bookCharts[id]``,
  marked ``served``) and `LOADER`, which fetches a layout file when a chart first needs it;
- ``<page>.wide.js`` and ``<page>.phone.js``: the layouts, whose datasets name the data by
  ``valuesOf``.

A desktop reader loads the data and the wide layouts, a phone reader the data and the phone
layouts; a reader who turns a phone or narrows the window gets the other file then. Script
elements, unlike ``fetch``, load from disk too, so a page opened as a file draws its charts.

The notebooks keep the specifications inline: a notebook opened anywhere draws its charts.
"""

import hashlib
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
LAYOUTS = "window.bookChartLayouts"
LAYOUT_KINDS = ("wide", "phone")
LOADER = """(function () {
  var src = document.currentScript.src.replace(/\\?.*$/, "");
  var base = src.replace(/\\.js$/, "");
  var files = {};
  window.bookChartLayout = function (id, narrow, use, failed) {
    var kind = narrow ? "phone" : "wide";
    var file = files[kind];
    if (!file) {
      file = files[kind] = {state: "loading", waiting: []};
      var script = document.createElement("script");
      script.src = base + "." + kind + ".js?v=" + VERSIONS[kind];
      script.onload = function () {
        file.state = "loaded";
        file.waiting.splice(0).forEach(function (w) { w.use(); });
      };
      script.onerror = function () {
        file.state = "failed";
        file.waiting.splice(0).forEach(function (w) { w.failed(new Error("no " + script.src)); });
      };
      document.head.appendChild(script);
    }
    var wait = {
      use: function () { use(window.bookChartLayouts[kind][id]); },
      failed: failed,
    };
    if (file.state === "loaded") wait.use();
    else if (file.state === "failed") failed(new Error("no " + base + "." + kind + ".js"));
    else file.waiting.push(wait);
  };
})();
"""
"""Defines ``window.bookChartLayout(id, narrow, use, failed)`` for the chart scripts;
``VERSIONS`` is replaced by each layout file's digest, so a browser never draws a stale one."""
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


def served_charts(specs: dict[str, str]) -> dict[str, dict[str, str]]:
    """The three scripts of a page's charts, as ``{"data"|"wide"|"phone": JavaScript}``.

    Parameters
    ----------
    specs : dict
        Each chart's specification (JSON text, as `split_specs` returns them), by chart id.

    Returns
    -------
    dict
        ``"data"``: each chart's inline datasets, and the loader; ``"wide"``, ``"phone"``: the
        layouts, their inline datasets named by ``valuesOf`` (a phone layout's own datasets,
        which the wide one lacks, stay in it); ``"phone"`` only when some chart has one.
    """
    from analysis.charts.renderer import script_safe_json

    data, layouts = {}, {kind: {} for kind in LAYOUT_KINDS}
    for chart, text in specs.items():
        spec = json.loads(text)
        phone = (spec.get("usermeta") or {}).get("phone")
        carried = [entry for entry in spec.get("data", []) if "values" in entry]
        data[chart] = {"served": True, "data": carried}
        wide = {key: value for key, value in spec.items() if key != "usermeta"}
        wide["data"] = [_named(entry) if "values" in entry else entry for entry in spec["data"]]
        layouts["wide"][chart] = wide
        if isinstance(phone, dict):
            data[chart]["usermeta"] = {"phone": {"below": phone["below"]}}
            layouts["phone"][chart] = phone["spec"]
    scripts = {
        kind: _assignments(f"{LAYOUTS}.{kind}", charts, script_safe_json)
        for kind, charts in layouts.items()
        if charts  # no phone file on a page whose charts have no phone layout
    }
    versions = {kind: hashlib.sha256(s.encode()).hexdigest()[:8] for kind, s in scripts.items()}
    loader = LOADER.replace("VERSIONS", json.dumps(versions))
    scripts["data"] = (
        f"{LAYOUTS} = {LAYOUTS} || {{}};\n"
        + _assignments(REGISTRY, data, script_safe_json)
        + loader
    )
    return scripts


def _named(entry: dict) -> dict:
    kept = {key: value for key, value in entry.items() if key not in ("values", "format")}
    return {**kept, "valuesOf": entry["name"]}


def _assignments(registry: str, charts: dict[str, dict], as_json) -> str:
    lines = [f"{registry} = {registry} || {{}};"]
    lines += [
        f"{registry}[{json.dumps(chart)}] = {as_json(value)};" for chart, value in charts.items()
    ]
    return "\n".join(lines) + "\n"


def with_data(layout: dict, carried: list[dict]) -> dict:
    """``layout`` with each dataset it names by ``valuesOf`` filled in from ``carried``.

    What the chart's script does before Vega parses a layout (``withData`` in
    ``analysis.charts.renderer``): the entry keeps its own name and gets the values and
    format of the carried dataset it names.
    """
    by_name = {entry["name"]: entry for entry in carried}

    def filled(entry: dict) -> dict:
        if "valuesOf" not in entry:
            return entry
        own = {key: value for key, value in entry.items() if key != "valuesOf"}
        shared = {k: v for k, v in by_name[entry["valuesOf"]].items() if k != "name"}
        return {**own, **shared}

    return {**layout, "data": [filled(entry) for entry in layout.get("data", [])]}


SERVED_LINE = re.compile(r'^window\.(bookCharts|bookChartLayouts\.\w+)\["([^"]+)"\] = (\{.*\});$')


def joined_specs(folder: Path, name: str) -> dict[str, dict]:
    """Each chart of a page as the renderer wrote it, put together from its served scripts.

    The inverse of `served_charts` (for tests): the wide layout with its data filled in, and
    the phone layout in ``usermeta["phone"]``, by chart id.
    """
    parts: dict[str, dict[str, dict]] = {}
    for suffix in (".js", ".wide.js", ".phone.js"):
        path = folder / name.replace(".js", suffix)
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            if match := SERVED_LINE.match(line):
                registry, chart, value = match.groups()
                parts.setdefault(chart, {})[registry.split(".")[-1]] = json.loads(value)
    joined = {}
    for chart, part in parts.items():
        joined[chart] = with_data(part["wide"], part["bookCharts"]["data"])
        if "phone" in part:
            below = part["bookCharts"]["usermeta"]["phone"]["below"]
            joined[chart]["usermeta"] = {"phone": {"below": below, "spec": part["phone"]}}
    return joined


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
    for kind, script in served_charts(specs).items():
        suffix = ".js" if kind == "data" else f".{kind}.js"
        (folder / name.replace(".js", suffix)).write_text(script, encoding="utf-8")
    context["body"] = body
    # After the chart bundle (priority 400, book/_ext/offline_assets.py), before the body.
    app.add_js_file(f"{FOLDER}/{name}", priority=450)


def setup(app: Sphinx) -> dict:
    # After offline_assets (priority 900 too, registered first) has looked for charts.
    app.connect("html-page-context", _move_specs, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
