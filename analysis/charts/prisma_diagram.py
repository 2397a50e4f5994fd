"""A flow chart drawn in the layout of the PRISMA 2020 flow diagram, with Altair.

The template of PRISMA 2020 (Page et al. 2021, Fig. 1) has a main column of boxes that records
pass through (identified, screened, sought, assessed, included), a column to its right with
what leaves the flow at each step, and a column for records found by other methods. Each box of
the template is a row of ``data/prisma2020_flow_items.csv``; `SLOTS` places it. A box of the
paper's flow chart is drawn in the slot of the template box it fills (``paper_box``); a slot
that no box of the paper fills is drawn dashed, "not reported". Template boxes that share a
slot (records from databases and from registers, say) are drawn as one box.

Every box with an arithmetic check (`analysis.paper.flow.check_flow`) shows it: a tick and the sum
when it holds; a red border, a warning sign and the sum beside the printed count when it does
not.
"""

import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import altair as alt
import pandas as pd

from analysis.charts.phone import PHONE_BELOW, SUBTITLE_CHARACTERS, TITLE_CHARACTERS
from analysis.charts.theme import BLUE, GREY, RED, WHITE
from analysis.metaanalysis.errors import InputError


class BoxCheck(Protocol):
    """What the diagram reads of one arithmetic check (`analysis.paper.flow.FlowCheck`)."""

    rule: str
    actual: int
    holds: bool
    arithmetic: str


class FlowChecks(Protocol):
    """What the diagram reads of a flow's checks (`analysis.paper.flow.FlowReport`)."""

    def for_box(self, box: str) -> Sequence[BoxCheck]: ...


SLOTS = {
    "records_databases": (0, "main"),
    "records_registers": (0, "main"),
    "records_removed": (0, "side"),
    "records_other_methods": (0, "other"),
    "records_screened": (1, "main"),
    "records_excluded": (1, "side"),
    "other_methods_reports": (1, "other"),
    "reports_sought": (2, "main"),
    "reports_not_retrieved": (2, "side"),
    "reports_assessed": (3, "main"),
    "reports_excluded": (3, "side"),
    "studies_included": (4, "main"),
    "reports_included": (4, "main"),
}
"""Row and column of each box of the PRISMA 2020 template (``item_id``) in the diagram."""

STAGE_ROWS = {"Identification": (0, 0), "Screening": (1, 3), "Included": (4, 4)}
"""First and last row of each stage, labelled in the strip on the left as in the template."""

LINE = 13
PAD = 6
GAP = 30
TOP = 6


@dataclass(frozen=True)
class Geometry:
    """Where the diagram's parts go, for one width.

    Attributes
    ----------
    width : float
        Width of the drawing (px).
    strip : (float, float)
        Left and right edge of the strip of stage names.
    columns : dict
        Left and right edge of the ``"main"``, ``"side"`` and ``"other"`` columns.
    chars : int
        Characters per line of a box's text.
    wrap_labels : bool
        Whether a box's heading and the reasons listed in it wrap too (in the narrow layout).
    smallest_font : float
        Text set smaller is drawn at this size (px).
    """

    width: float
    strip: tuple[float, float]
    columns: dict[str, tuple[float, float]]
    chars: int
    wrap_labels: bool = False
    smallest_font: float = 0.0


WIDE = Geometry(560, (0, 20), {"main": (28, 198), "side": (212, 382), "other": (396, 556)}, 29)
"""The layout of the PRISMA 2020 template."""
PHONE = Geometry(
    298, (0, 12), {"main": (16, 106), "side": (112, 202), "other": (208, 298)}, 13, True, 10.0
)
"""The same three columns narrowed to a phone's text column, every text at least 10 px."""

COLOURS = {
    "box": ("#f4f8fc", BLUE),
    "missing": (WHITE, "#9a9a9a"),
    "flagged": ("#fde6e6", RED),
    "strip": ("#dbe8f5", "#dbe8f5"),
}
TEXT = {
    "header": ("#4d4d4d", 9.5, "normal"),
    "printed": ("#111111", 11, "bold"),
    "reason": ("#111111", 10.5, "normal"),
    "missing": ("#6b6b6b", 10.5, "italic"),
    "ok": ("#1a7a3a", 10, "normal"),
    "flag": (RED, 10, "bold"),
}


@dataclass(frozen=True)
class DrawnBox:
    """One box of the diagram, with its text lines.

    Attributes
    ----------
    row : int
        Row of the diagram (0 = top).
    column : str
        ``"main"``, ``"side"`` or ``"other"``.
    items : tuple of str
        The template boxes (``item_id``) drawn in it.
    paper_box : str or None
        ``box_id`` of the paper's box drawn in it; None for a box the paper does not report.
    lines : tuple of (str, str)
        The text, one ``(style, text)`` per line; styles are the keys of `TEXT`.
    flagged : bool
        The box has an arithmetic check that does not hold.
    tooltip : str
        What a reader sees when hovering over the box.
    """

    row: int
    column: str
    items: tuple[str, ...]
    paper_box: str | None
    lines: tuple[tuple[str, str], ...]
    flagged: bool
    tooltip: str


def layout_boxes(
    items: pd.DataFrame, flow: pd.DataFrame, report: FlowChecks, geometry: Geometry = WIDE
) -> list[DrawnBox]:
    """The boxes of the diagram: the template's slots filled with the paper's boxes.

    Parameters
    ----------
    items : pandas.DataFrame
        ``data/prisma2020_flow_items.csv`` (through `analysis.paper.flow.reporting_table` or
        `analysis.paper.data.load_table`).
    flow : pandas.DataFrame
        The paper's flow chart (`analysis.paper.flow.load_flow`).
    report : FlowChecks
        Its checks (`analysis.paper.flow.check_flow`).
    geometry : Geometry
        How wide a line of text may be (`WIDE` or `PHONE`).

    Returns
    -------
    list of DrawnBox
        In row order, then main, side, other.

    Raises
    ------
    InputError
        When an item has no slot in `SLOTS`, or a box of the flow (other than a reason, which
        is drawn inside its exclusion box) fills no slot, so that the diagram would not show it.
    """
    unknown = [i for i in items["item_id"] if i not in SLOTS]
    if unknown:
        raise InputError(f"layout_boxes: item {unknown[0]!r} has no place in SLOTS")
    boxes = flow.set_index("box_id")
    filled = {box for box in items["paper_box"] if isinstance(box, str)}
    shown_boxes = [
        b for b, role in zip(flow["box_id"], flow["role"], strict=True) if role != "reason"
    ]
    for box in shown_boxes:
        if box not in filled:
            raise InputError(f"layout_boxes: box {box!r} of the flow fills no template box")
    slots: dict[tuple[int, str], list[pd.Series]] = {}
    for _, item in items.iterrows():
        slots.setdefault(SLOTS[item["item_id"]], []).append(item)
    order = {"main": 0, "side": 1, "other": 2}
    drawn = []
    for (row, column), members in sorted(slots.items(), key=lambda s: (s[0][0], order[s[0][1]])):
        drawn.append(_drawn_box(row, column, members, boxes, flow, report, geometry))
    return drawn


def _drawn_box(row, column, members, boxes, flow, report, geometry) -> DrawnBox:
    def wrap(text: str) -> list[str]:
        return textwrap.wrap(str(text), geometry.chars) or [""]

    def label(text: str) -> list[str]:
        return wrap(text) if geometry.wrap_labels else [text]

    with_box = [m for m in members if isinstance(m["paper_box"], str)]
    ids = tuple(m["item_id"] for m in members)
    if not with_box:
        lines = [("header", part) for part in label(" / ".join(m["box_label"] for m in members))]
        lines += [("missing", part) for part in label("not reported in Fig. 1")]
        tip = "; ".join(f"{m['box_label']}: not reported in Fig. 1" for m in members)
        return DrawnBox(row, column, ids, None, tuple(lines), False, tip)
    paper_box = with_box[0]["paper_box"]
    lines = [("header", part) for part in label(with_box[0]["box_label"])]
    lines += [("printed", part) for part in wrap(boxes.at[paper_box, "text_as_printed"])]
    reasons = flow[(flow["role"] == "reason") & (flow["parent"] == paper_box)]
    for text in reasons["text_as_printed"]:
        lines += [("reason", part) for part in label(f"\u2022 {text}")]
    for member in members:
        if member is not with_box[0]:
            lines += [("missing", part) for part in wrap(f"{member['box_label']}: not reported")]
    checks = report.for_box(paper_box)
    tips = [f"Fig. 1 prints: {boxes.at[paper_box, 'text_as_printed']}"]
    for check in checks:
        if check.holds:
            lines += [("ok", part) for part in label(f"\u2713 {check.arithmetic}")]
            tips.append(f"check holds: {check.arithmetic}")
        else:
            flag = (
                f"\u26a0 reasons: {check.arithmetic}, not {check.actual}"
                if check.rule == "reasons add up"
                else f"\u26a0 {check.arithmetic}, not {check.actual}"
            )
            lines += [("flag", part) for part in wrap(flag)]
            tips.append(f"does not add up: {check.arithmetic}, but the box prints {check.actual}")
    flagged = any(not c.holds for c in checks)
    return DrawnBox(row, column, ids, paper_box, tuple(lines), flagged, "; ".join(tips))


def prisma_diagram(
    items: pd.DataFrame, flow: pd.DataFrame, report: FlowChecks, *, title: str, subtitle=()
) -> alt.LayerChart:
    """Draw the flow chart in the PRISMA 2020 layout.

    Parameters
    ----------
    items, flow, report
        As for `layout_boxes`.
    title : str
        Chart title.
    subtitle : str or sequence of str
        Lines under the title.

    Returns
    -------
    altair.LayerChart
        Boxes as rects (dashed where the paper reports nothing; red where a check fails), their
        text, the arrows of the template, and the stage strip. ``usermeta`` records the number
        of boxes drawn, of the paper's boxes among them, and of flagged boxes.

    References
    ----------
    Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated guideline
    for reporting systematic reviews. BMJ 2021;372:n71, Fig. 1. doi:10.1136/bmj.n71

    Examples
    --------
    >>> from analysis.paper.data import load_table
    >>> from analysis.paper.flow import check_flow, load_flow
    >>> flow = load_flow()
    >>> chart = prisma_diagram(
    ...     load_table("prisma2020_flow_items"), flow, check_flow(flow), title="Fig. 1"
    ... )
    >>> chart.to_dict()["usermeta"]["flagged"]
    1
    """
    subtitle_lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    phone = _drawing(
        items,
        flow,
        report,
        PHONE,
        textwrap.wrap(title, TITLE_CHARACTERS),
        [part for line in subtitle_lines for part in textwrap.wrap(line, SUBTITLE_CHARACTERS)],
    )
    wide = _drawing(items, flow, report, WIDE, title, subtitle_lines)
    return wide.properties(
        usermeta={
            **wide.usermeta,
            "phone": {"below": PHONE_BELOW, "spec": phone.to_dict()},
        }
    )


def _drawing(items, flow, report, geometry: Geometry, title, subtitle_lines) -> alt.LayerChart:
    drawn = layout_boxes(items, flow, report, geometry)
    tops, heights = _rows(drawn)
    rects, texts = [], []
    for box in drawn:
        x0, x1 = geometry.columns[box.column]
        y0 = tops[box.row]
        style = "flagged" if box.flagged else ("box" if box.paper_box else "missing")
        fill, stroke = COLOURS[style]
        rects.append(
            {
                "x": x0,
                "x2": x1,
                "y": y0,
                "y2": y0 + heights[box.row],
                "fill": fill,
                "stroke": stroke,
                "dash": "solid" if box.paper_box else "dashed",
                "width": 2.5 if box.flagged else 1.2,
                "box": " / ".join(box.items),
                "tooltip": box.tooltip,
            }
        )
        for number, (kind, text) in enumerate(box.lines):
            texts.append(
                {
                    "x": x0 + PAD,
                    "y": y0 + PAD + LINE * number + LINE / 2,
                    "text": text,
                    "kind": kind,
                    "box": rects[-1]["box"],
                    "tooltip": box.tooltip,
                }
            )
    height = tops[max(tops)] + heights[max(heights)] + TOP
    rules, heads = _arrows(drawn, tops, heights, geometry.columns)
    strip = _strip(tops, heights, geometry.strip)
    x = alt.Scale(domain=[0, geometry.width], nice=False, zero=False)
    y = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)

    tooltip = [
        alt.Tooltip("box:N", title="PRISMA 2020 box"),
        alt.Tooltip("tooltip:N", title="Fig. 1"),
    ]

    def enc(chart, **more):
        channels = {"x": alt.X("x:Q", scale=x, axis=None), "y": alt.Y("y:Q", scale=y, axis=None)}
        return chart.encode(**{**channels, **more})

    layers = [
        enc(
            alt.Chart(pd.DataFrame(strip)).mark_rect(),
            x2="x2:Q",
            y2="y2:Q",
            fill=alt.Fill("fill:N", scale=None),
        ),
        enc(
            alt.Chart(pd.DataFrame(strip)).mark_text(angle=270, fontSize=10, fontWeight="bold"),
            y=alt.Y("ymid:Q", scale=y, axis=None),
            x=alt.X("xmid:Q", scale=x, axis=None),
            text="stage:N",
        ),
        enc(
            alt.Chart(pd.DataFrame(rules)).mark_rule(color=GREY, strokeWidth=1.2),
            x2="x2:Q",
            y2="y2:Q",
        ),
        enc(
            alt.Chart(pd.DataFrame(heads)).mark_point(filled=True, size=45, color=GREY),
            shape=alt.Shape("shape:N", scale=None),
        ),
    ]
    boxes = pd.DataFrame(rects)
    for dash, dashes in (("solid", [1, 0]), ("dashed", [4, 3])):
        layers.append(
            enc(
                alt.Chart(boxes[boxes["dash"] == dash].drop(columns="dash")).mark_rect(
                    cornerRadius=3, strokeDash=dashes
                ),
                x2="x2:Q",
                y2="y2:Q",
                fill=alt.Fill("fill:N", scale=None),
                stroke=alt.Stroke("stroke:N", scale=None),
                strokeWidth=alt.StrokeWidth("width:Q", scale=None),
                tooltip=tooltip,
            )
        )
    frame = pd.DataFrame(texts)
    for kind, (colour, size, weight) in TEXT.items():
        if not (frame["kind"] == kind).any():
            continue
        # One dataset for every kind of line, each layer filtering its own.
        layers.append(
            enc(
                alt.Chart(frame)
                .transform_filter(alt.datum.kind == kind)
                .mark_text(
                    align="left",
                    baseline="middle",
                    color=colour,
                    fontSize=max(size, geometry.smallest_font),
                    fontWeight="bold" if weight == "bold" else "normal",
                    fontStyle="italic" if weight == "italic" else "normal",
                ),
                text="text:N",
                tooltip=tooltip,
            )
        )
    paper_boxes = sum(1 for b in drawn if b.paper_box)
    return (
        alt.layer(*layers)
        .properties(
            width=geometry.width,
            height=height,
            title=alt.Title(title, subtitle=subtitle_lines, anchor="start"),
            usermeta={
                "chart": "prisma",
                "boxes_drawn": len(drawn),
                "paper_boxes": paper_boxes,
                "flagged": sum(1 for b in drawn if b.flagged),
            },
        )
        .configure_view(stroke=None)
    )


def _rows(drawn: list[DrawnBox]) -> tuple[dict[int, float], dict[int, float]]:
    heights: dict[int, float] = {}
    for box in drawn:
        needed = 2 * PAD + LINE * len(box.lines)
        heights[box.row] = max(heights.get(box.row, 0.0), needed)
    tops, y = {}, float(TOP)
    for row in sorted(heights):
        tops[row] = y
        y += heights[row] + GAP
    return tops, heights


def _arrows(drawn, tops, heights, columns) -> tuple[list[dict], list[dict]]:
    """The template's arrows: down the main column, right to what leaves, other methods in."""
    at = {(b.row, b.column) for b in drawn}
    mid = {name: (a + b) / 2 for name, (a, b) in columns.items()}
    rules, heads = [], []
    rows = sorted({b.row for b in drawn if b.column == "main"})
    for upper, lower in itertools.pairwise(rows):
        start, end = tops[upper] + heights[upper], tops[lower]
        rules.append({"x": mid["main"], "y": start, "x2": mid["main"], "y2": end - 3})
        heads.append({"x": mid["main"], "y": end - 4, "shape": "triangle-down"})
    for row in rows:
        if (row, "side") in at:
            y = tops[row] + heights[row] / 2
            x0, x1 = columns["main"][1], columns["side"][0]
            rules.append({"x": x0, "y": y, "x2": x1 - 3, "y2": y})
            heads.append({"x": x1 - 4, "y": y, "shape": "triangle-right"})
    if (0, "other") in at and len(rows) > 1:
        # Records found by other methods join the main column before screening.
        y_join = tops[0] + heights[0] + GAP / 2
        rules.append(
            {"x": mid["other"], "y": tops[0] + heights[0], "x2": mid["other"], "y2": y_join}
        )
        rules.append({"x": mid["other"], "y": y_join, "x2": mid["main"], "y2": y_join})
    return rules, heads


def _strip(tops, heights, edges) -> list[dict]:
    strip = []
    for stage, (first, last) in STAGE_ROWS.items():
        if first not in tops or last not in tops:
            continue
        y0, y1 = tops[first], tops[last] + heights[last]
        strip.append(
            {
                "stage": stage,
                "x": edges[0],
                "x2": edges[1],
                "y": y0,
                "y2": y1,
                "xmid": sum(edges) / 2,
                "ymid": (y0 + y1) / 2,
                "fill": COLOURS["strip"][0],
            }
        )
    return strip
