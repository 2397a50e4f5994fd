"""A narrower layout of a chart for phones, derived from its wide specification.

A chart drawn wider than a phone's text column is scaled down by the browser, and its text with
it (to 5 px for the widest). Instead, the book gives each such chart a second layout: the same
specification with its views narrowed until the whole chart, axes and titles included, fits
`PHONE_WIDTH`, its titles wrapped, and no text set under `SMALLEST_FONT`. The renderer embeds it
in ``usermeta["phone"]`` (without a second copy of the data) and draws it when the chart's
container is narrower than ``usermeta["phone"]["below"]`` pixels. A chart function may build
its own phone layout (the forest plot puts the estimates under the study names); this module
then leaves it as it is.
"""

import copy
import re
import textwrap
from collections.abc import Iterator

import vl_convert

from analysis.charts.vega_compile import vega_lite_version

PHONE_WIDTH = 310
"""The widest a chart may be drawn in a 375 px phone's text column (CSS px)."""
PHONE_BELOW = 560
"""Container width (CSS px) under which the phone layout is drawn."""
SMALLEST_FONT = 10
"""The smallest font size (px) of a phone layout."""
SMALLEST_VIEW = 60
"""The narrowest a view may become (px)."""
NO_PHONE_LAYOUT = {"phone": False}
"""``usermeta`` entry of a chart that narrowing would break (a diagram drawn at fixed
positions): it is drawn at its one width, scaled down on a phone."""
TITLE_CHARACTERS = 38
AXIS_TITLE_CHARACTERS = 44
SUBTITLE_CHARACTERS = 50
_ROUNDS = 6
_WIDTHS = {
    "width": SMALLEST_VIEW,
    "continuousWidth": SMALLEST_VIEW,
    "discreteWidth": SMALLEST_VIEW,
    "labelLimit": 90,
}
"""What `narrow_layout` narrows, and the least each may become (px): views and the room for
axis labels (a label cut short ends in an ellipsis; its tooltip has it whole)."""
_SVG_WIDTH = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"')


def drawn_width(spec: dict) -> float:
    """The width (px) at which Vega draws ``spec``, axes, legends and titles included."""
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vega_lite_version())
    return float(_SVG_WIDTH.search(svg).group(1))


def with_phone_layout(spec: dict) -> dict:
    """``spec`` with a phone layout in ``usermeta["phone"]`` when it is drawn too wide.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification (``chart.to_dict()``).

    Returns
    -------
    dict
        ``spec`` itself when it fits a phone; otherwise a copy whose ``usermeta["phone"]`` is
        ``{"below": PHONE_BELOW, "spec": narrow}``, ``narrow`` holding only the datasets that
        ``spec`` does not (the renderer adds the others).
    """
    usermeta = dict(spec.get("usermeta") or {})
    phone = usermeta.get("phone")
    if phone is False:  # the chart has no phone layout (see `NO_PHONE_LAYOUT`)
        return spec
    if phone is None:
        if drawn_width(spec) <= PHONE_WIDTH:
            return spec
        phone = {"below": PHONE_BELOW, "spec": narrow_layout(spec)}
    shared = spec.get("datasets", {})
    narrow = {key: value for key, value in phone["spec"].items() if key != "datasets"}
    own = {k: v for k, v in phone["spec"].get("datasets", {}).items() if k not in shared}
    if own:
        narrow["datasets"] = own
    usermeta["phone"] = {"below": phone["below"], "spec": narrow}
    return {**spec, "usermeta": usermeta}


def narrow_layout(spec: dict) -> dict:
    """A copy of ``spec`` narrowed to fit `PHONE_WIDTH` (see the module docstring).

    Views (and the room of axis labels) are narrowed in rounds, each by the share by which the
    drawn chart is still too wide, down to `SMALLEST_VIEW`; a chart that cannot fit (a
    fixed-width diagram) comes back as narrow as it gets.
    """
    narrow = copy.deepcopy(spec)
    narrow.pop("usermeta", None)
    _wrap_titles(narrow)
    _raise_small_fonts(narrow)
    _stack_legends(narrow)
    narrow.setdefault("config", {}).setdefault("view", {})
    view = narrow["config"]["view"]
    view.setdefault("continuousWidth", 300)
    for _ in range(_ROUNDS):
        width = drawn_width(narrow)
        if width <= PHONE_WIDTH:
            break
        if not _scale_widths(narrow, (PHONE_WIDTH - 4) / width):
            break
    return narrow


def _scale_widths(node: object, factor: float) -> bool:
    """Multiply every numeric view width under ``node`` by ``factor``; whether any changed."""
    changed = False
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _WIDTHS and isinstance(value, int | float):
                new = max(_WIDTHS[key], int(value * factor))
                changed |= new < value
                node[key] = new
            elif key not in ("datasets", "data", "mark"):
                changed |= _scale_widths(value, factor)
    elif isinstance(node, list):
        for item in node:
            changed |= _scale_widths(item, factor)
    return changed


def _wrap(text: object, characters: int) -> object:
    lines = [text] if isinstance(text, str) else text
    if not isinstance(lines, list):
        return text
    wrapped = [part for line in lines for part in (textwrap.wrap(line, characters) or [""])]
    return wrapped[0] if len(wrapped) == 1 else wrapped


def _dicts(node: object) -> Iterator[dict]:
    """Every object of a spec (``node`` first), outside its data."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in ("datasets", "data"):
                yield from _dicts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _dicts(item)


def _wrap_titles(spec: dict) -> None:
    for node in _dicts(spec):
        title = node.get("title")
        if isinstance(title, dict):
            title["text"] = _wrap(title.get("text", ""), TITLE_CHARACTERS)
            if "subtitle" in title:
                # The subtitle's lines are often one sentence broken for the wide layout.
                lines = title["subtitle"]
                joined = " ".join(lines) if isinstance(lines, list) else lines
                title["subtitle"] = _wrap(joined, SUBTITLE_CHARACTERS)
        elif isinstance(title, str | list) and ({"hconcat", "layer", "mark"} & node.keys()):
            node["title"] = _wrap(title, TITLE_CHARACTERS)
        elif isinstance(title, str) and "field" in node:  # an axis or legend title
            node["title"] = _wrap(title, AXIS_TITLE_CHARACTERS)


def _raise_small_fonts(spec: dict) -> None:
    for node in _dicts(spec):
        for key, value in node.items():
            if key.endswith(("fontSize", "FontSize")) and isinstance(value, int | float):
                node[key] = max(value, SMALLEST_FONT)


def _stack_legends(spec: dict) -> None:
    """One legend entry a line, so that a legend over the plot is no wider than its longest."""
    for node in _dicts(spec):
        if isinstance(node.get("legend"), dict):
            node["legend"]["columns"] = 1
