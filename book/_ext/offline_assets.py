"""Sphinx extension: the built book loads nothing from another host.

1. **Charts.** At the start of an HTML build, vl-convert (a Python package that carries the
   libraries) writes one JavaScript bundle of Vega alone, the Vega of the Vega-Lite version
   that compiles the charts (``analysis.charts.vega_compile``: each chart's Vega-Lite is
   compiled to Vega when its chapter runs), with the book's tooltip handler
   (``chart_tooltip.js``, beside this file), into the build's ``_static/``. Pages that hold a
   chart (an element of class ``vega-chart``, written by ``analysis.charts.renderer``) load
   it; other pages do not. The bundle is a build output, never a committed file.
2. **Thebe.** Jupyter Book 1.x always enables sphinx-thebe, which puts a script on every page
   that, when a reader presses "run", downloads thebe from unpkg.com (and which it adds twice,
   an error in the browser console). The book has no live kernel, so those scripts and their
   stylesheet are removed from every page.
"""

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

BUNDLE = "vega-bundle.js"
CHART_MARKER = 'class="vega-chart"'
THEBE_ASSETS = ("sphinx-thebe.js", "sphinx-thebe.css")
logger = logging.getLogger(__name__)


TOOLTIP_SCRIPT = Path(__file__).with_name("chart_tooltip.js")
VEGA_MODULE = "https://cdn.jsdelivr.net/npm/vega@{version}/+esm"
"""How vl-convert names its own copy of Vega: the bundler resolves the address to the copy it
carries and downloads nothing. (The snippet's predeclared ``vega`` is Vega's default export,
which is empty, so the module is imported under another name.)"""


def _snippet(vega_version: str) -> str:
    return (
        f'import * as vegaModule from "{VEGA_MODULE.format(version=vega_version)}";\n'
        "window.vega = vegaModule;\n" + TOOLTIP_SCRIPT.read_text(encoding="utf-8")
    )


def _write_bundle(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    import vl_convert

    from analysis.charts.vega_compile import vega_lite_version

    version = vega_lite_version()
    vega_version = vl_convert.get_vega_version()
    work = Path(app.doctreedir).parent / "offline-assets"
    static = work / "static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = static / BUNDLE
    stamp = work / "versions.txt"
    snippet = _snippet(vega_version)
    digest = hashlib.sha256(snippet.encode()).hexdigest()[:12]
    wanted = (
        f"vl-convert {vl_convert.__version__}, vega {vega_version} (vega-lite {version}), "
        f"snippet {digest}\n"
    )
    if not bundle.exists() or not stamp.exists() or stamp.read_text() != wanted:
        logger.info("offline_assets: writing %s (%s)", BUNDLE, wanted.strip())
        # The bundle declares top-level constants (one is named "_", like Sphinx's gettext
        # helper); a function scope keeps them out of the page's global scope. It sets
        # window.vega and window.vegaChartTooltip itself.
        code = vl_convert.javascript_bundle(snippet=snippet, vl_version=version)
        bundle.write_text(f"(function () {{\n{code}\n}})();\n", encoding="utf-8")
        stamp.write_text(wanted)
    app.config.html_static_path.append(str(static))


def _is_thebe(asset: object) -> bool:
    name = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return name.endswith(THEBE_ASSETS) or "THEBE_JS_URL" in body


def _page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [asset for asset in context[key] if not _is_thebe(asset)]
    if CHART_MARKER in (context.get("body") or ""):
        app.add_js_file(BUNDLE, priority=400)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _write_bundle)
    app.connect("html-page-context", _page_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
