"""Render Altair charts without loading anything from another host.

Altair's own HTML output loads vega, vega-lite and vega-embed from a CDN. In the book, the
``offline_book`` renderer defined here compiles each chart's Vega-Lite specification to Vega
at build time (`analysis.charts.vega_compile`) and writes a ``<div>`` with a stable id and a
short script that draws it with Vega, which the book's Sphinx extension
(``book/_ext/offline_assets.py``) serves from the book's own static files, with the book's
tooltip handler. In JupyterLab (``make lab`` sets ``KETAMINE_BOOK_RENDERER=svg``) charts are
drawn as static SVG by vl-convert, also offline.
"""

import hashlib
import html
import json
import os
import re

import altair as alt

from analysis.charts.csv_data import with_csv_data
from analysis.charts.phone import with_phone_layout
from analysis.charts.vega_compile import compiled_vega
from analysis.metaanalysis.errors import InputError

BOOK_RENDERER = "offline_book"
RENDERER_ENV = "KETAMINE_BOOK_RENDERER"
CHART_CLASS = "vega-chart"
"""CSS class of every chart's container; the Sphinx extension looks for it."""

_ids_used: dict[str, int] = {}

WHOLE_RECORD = re.compile(r'"tooltip":\s*true|"content":\s*"data"|\bdatum\b(?![.\[])')
"""What in a spec can show or use every field of a record (a tooltip of all fields, ``datum``
as a whole in an expression): where it occurs, no field is dropped."""


def chart_id(spec: dict) -> str:
    """A stable element id for a chart: a hash of its spec (and a counter for repeats).

    The same spec in the same order of execution always gets the same id, so the stored
    notebook outputs do not change from one run to the next.
    """
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    count = _ids_used.get(digest, 0)
    _ids_used[digest] = count + 1
    return f"vega-{digest}" if count == 0 else f"vega-{digest}-{count + 1}"


def _spellings(field: str) -> tuple[str, ...]:
    # How a field's name can appear in the JSON of a spec: as it is, and with the characters
    # that Vega-Lite reads as nesting (".", "[", "]") escaped by a backslash.
    escaped = re.sub(r"([.\[\]])", r"\\\1", field)
    return tuple(json.dumps(name, ensure_ascii=False)[1:-1] for name in {field, escaped})


def drop_unused_fields(spec: dict) -> dict:
    """``spec`` with each dataset's records reduced to the fields the rest of the spec names.

    A field is kept when its name occurs anywhere in the spec outside the datasets (in an
    encoding, a tooltip, a transform, an expression, a selection), so nothing the chart draws,
    shows or computes can lose its data; a spec that can use whole records (a tooltip of all
    fields, ``datum`` as an object) is returned unchanged.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification whose inline data are in ``datasets`` (as Altair writes it).

    Returns
    -------
    dict
        A new specification; ``spec`` is not changed.
    """
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict):
        return spec
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, ensure_ascii=False)
    if WHOLE_RECORD.search(rest):
        return spec
    trimmed = {}
    for name, records in datasets.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            trimmed[name] = records
            continue
        fields = {field for record in records for field in record}
        used = {f for f in fields if any(s in rest for s in _spellings(f))}
        trimmed[name] = [{k: v for k, v in r.items() if k in used} for r in records]
    return {**spec, "datasets": trimmed}


def script_safe_json(value: object) -> str:
    # "<" escaped so that no text in the data (a study label with "</script>", say) can close
    # the script element; the JSON value is unchanged.
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _shared_values(narrow: dict, wide: dict) -> dict:
    """``narrow`` with each dataset whose values ``wide`` carries replaced by a reference.

    A compiled phone layout inlines the same datasets as the wide layout; the page carries
    them once. An entry ``{"name": ..., "valuesOf": <name in wide>}`` (no ``values``) is
    resolved by the chart's script before Vega parses the layout.
    """
    carried = {
        json.dumps(entry["values"], sort_keys=True): entry["name"]
        for entry in wide.get("data", [])
        if "values" in entry
    }
    data = []
    for entry in narrow.get("data", []):
        name = carried.get(json.dumps(entry.get("values"), sort_keys=True))
        if "values" in entry and name is not None:
            entry = {key: value for key, value in entry.items() if key != "values"}
            entry["valuesOf"] = name
        data.append(entry)
    return {**narrow, "data": data}


def compiled_layouts(spec: dict) -> dict:
    """The Vega specification a chart's script draws: ``spec`` and its phone layout, compiled.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification, its phone layout (if any) in ``usermeta["phone"]`` as
        `analysis.charts.phone.with_phone_layout` writes it.

    Returns
    -------
    dict
        The compiled wide layout; with a phone layout, ``usermeta`` is
        ``{"phone": {"below": ..., "spec": narrow}}``, ``narrow`` the compiled phone layout
        whose datasets the wide layout carries are references (see `_shared_values`). Inline
        datasets are CSV text where that holds them exactly (`analysis.charts.csv_data`).
    """
    usermeta = spec.get("usermeta") or {}
    wide_spec = {key: value for key, value in spec.items() if key != "usermeta"}
    wide = compiled_vega(wide_spec)
    phone = usermeta.get("phone")
    if not isinstance(phone, dict):
        return with_csv_data(wide)
    datasets = {**spec.get("datasets", {}), **phone["spec"].get("datasets", {})}
    narrow = compiled_vega({**phone["spec"], "datasets": datasets})
    narrow = with_csv_data(_shared_values(narrow, wide))
    phone_layout = {"below": phone["below"], "spec": narrow}
    return {**with_csv_data(wide), "usermeta": {"phone": phone_layout}}


def vega_embed_html(spec: dict) -> str:
    """The HTML of one chart: a container and a script that draws ``spec`` with Vega.

    The Vega-Lite specification is compiled to Vega here (`compiled_layouts`), so the page
    needs Vega alone, not Vega-Lite or vega-embed.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification (``chart.to_dict()``).

    Returns
    -------
    str
        HTML with no reference to another host. If Vega is not on the page (a notebook viewed
        outside the book), the container says so instead of failing silently.
    """
    spec = drop_unused_fields(spec)
    element = chart_id(spec)
    spec = with_phone_layout(spec)
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    label = html.escape(str(title) or "Chart", quote=True)
    # A chart may describe itself in its spec's "usermeta" (e.g. {"chart": "forest",
    # "studies_drawn": 8}); it becomes data- attributes that the browser tests check.
    meta = "".join(
        f' data-{html.escape(str(k).replace("_", "-"))}="{html.escape(str(v), quote=True)}"'
        for k, v in sorted((spec.get("usermeta") or {}).items())
        if k != "phone"  # the phone layout (analysis.charts.phone) is no attribute
    )
    return (
        f'<div class="{CHART_CLASS}" id="{element}" role="figure" aria-label="{label}"{meta}>'
        "</div>\n"
        '<script type="text/javascript">\n'
        "(function () {\n"
        f'  var el = document.getElementById("{element}");\n'
        '  if (typeof window.vega !== "object" || '
        'typeof window.vegaChartTooltip !== "function") {\n'
        "    el.textContent = \"This chart is drawn by the book's own copy of Vega; "
        'open the built book, or re-run the cell under make lab.";\n'
        "    return;\n"
        "  }\n"
        f"  var spec = {script_safe_json(compiled_layouts(spec))};\n"
        # A phone layout (analysis.charts.phone) when the column is narrow; the datasets it
        # shares with the wide layout are named by "valuesOf" (their values and format are
        # copied). The choice is made again when the column's width crosses the limit (a
        # phone turned, a window resized).
        "  var phone = (spec.usermeta || {}).phone;\n"
        "  var column = el.parentElement || el;\n"
        "  var narrow = null;\n"
        "  var view = null;\n"
        # In the built book each layout is served beside the page and loaded when first needed
        # (book/_ext/chart_specs.py); here ``spec`` then holds only the data ("served").
        "  function layout(now, use) {\n"
        "    if (spec.served) {\n"
        "      window.bookChartLayout(el.id, now, function (shown) {\n"
        "        use(withData(shown, spec.data));\n"
        "      }, failed);\n"
        "      return;\n"
        "    }\n"
        "    use(now ? withData(phone.spec, spec.data) : spec);\n"
        "  }\n"
        "  function withData(shown, data) {\n"
        "    var carried = {};\n"
        "    data.forEach(function (d) { carried[d.name] = d; });\n"
        "    return Object.assign({}, shown, {data: shown.data.map(function (d) {\n"
        "      if (!d.valuesOf) return d;\n"
        "      var shared = {values: carried[d.valuesOf].values};\n"
        "      if (carried[d.valuesOf].format) shared.format = carried[d.valuesOf].format;\n"
        "      return Object.assign({}, d, shared);\n"
        "    })});\n"
        "  }\n"
        "  function failed(error) {\n"
        '    el.textContent = "The chart could not be drawn: " + error;\n'
        "    console.error(error);\n"
        "  }\n"
        "  function draw() {\n"
        "    var now = Boolean(phone) && column.clientWidth < phone.below;\n"
        "    if (now === narrow) return;\n"
        "    narrow = now;\n"
        "    layout(now, function (shown) {\n"
        "      if (now !== narrow) return;  // the width crossed back while it loaded\n"
        "      if (view) view.finalize();\n"
        # Vega sets the role and label of its container: an inner one keeps the chart's own.
        '      var box = document.createElement("div");\n'
        '      box.className = "vega-view";\n'
        "      el.replaceChildren(box);\n"
        "      try {\n"
        "        view = new vega.View(vega.parse(shown), "
        '{renderer: "svg", container: box, hover: true});\n'
        "        view.tooltip(window.vegaChartTooltip);\n"
        "        view.runAsync().catch(failed);\n"
        "      } catch (error) {\n"
        "        failed(error);\n"
        "      }\n"
        "    });\n"
        "  }\n"
        # Vega opens a tooltip on pointermove, which a tap on a touch screen does not send.
        '  el.addEventListener("pointerdown", function (event) {\n'
        '    if (event.pointerType !== "mouse") {\n'
        '      event.target.dispatchEvent(new PointerEvent("pointermove", {bubbles: true, '
        "clientX: event.clientX, clientY: event.clientY, pointerType: event.pointerType}));\n"
        "    }\n"
        "  });\n"
        "  draw();\n"
        '  if (phone && typeof ResizeObserver === "function") {\n'
        "    new ResizeObserver(draw).observe(column);\n"
        "  }\n"
        "})();\n"
        "</script>"
    )


def _offline_book_renderer(spec: dict, **metadata: object) -> dict[str, str]:
    return {"text/html": vega_embed_html(spec)}


alt.renderers.register(BOOK_RENDERER, _offline_book_renderer)


def use_offline_renderer() -> str:
    """Enable the renderer for where the chapter runs and return its name.

    ``offline_book`` by default (the book build, nbval, ``make notebooks``); Altair's ``svg``
    renderer (static, drawn by vl-convert) when ``KETAMINE_BOOK_RENDERER=svg``, as ``make lab``
    sets it.
    """
    name = os.environ.get(RENDERER_ENV, BOOK_RENDERER)
    if name not in (BOOK_RENDERER, "svg"):
        raise InputError(f"{RENDERER_ENV}={name!r} must be {BOOK_RENDERER!r} or 'svg'")
    alt.renderers.enable(name)
    _ids_used.clear()
    return name
