"""`with_phone_layout`: a chart too wide for a phone gets a narrower layout, drawn by vl-convert.

No reference values: the layout is checked by drawing it (its width) and by reading its spec
(fonts, the datasets it shares with the wide layout).
"""

import altair as alt
import pandas as pd

from analysis.charts.phone import (
    NO_PHONE_LAYOUT,
    PHONE_BELOW,
    PHONE_WIDTH,
    SMALLEST_FONT,
    drawn_width,
    with_phone_layout,
)

ROWS = pd.DataFrame({"label": ["A study with a long name", "B"], "x": [0.2, 0.7]})


def _wide(**usermeta) -> dict:
    return (
        alt.Chart(ROWS)
        .mark_point()
        .encode(x=alt.X("x:Q", title="A long axis title that says what is measured, with units"),
                y="label:N", tooltip=["label:N", "x:Q"])
        .properties(width=600, title=alt.Title("A title", subtitle=["one line", "and another"]),
                    usermeta=usermeta)
        .configure_axis(labelFontSize=8)
    ).to_dict()  # fmt: skip


def _font_sizes(node: object) -> list[float]:
    if isinstance(node, dict):
        return [
            size
            for key, value in node.items()
            for size in ([value] if key.endswith(("fontSize", "FontSize")) else _font_sizes(value))
        ]
    if isinstance(node, list):
        return [size for item in node for size in _font_sizes(item)]
    return []


def test_a_wide_chart_gets_a_phone_layout_that_fits_and_shares_its_data() -> None:
    wide = _wide(chart="probe")
    spec = with_phone_layout(wide)
    phone = spec["usermeta"]["phone"]
    assert spec["usermeta"]["chart"] == "probe"
    assert drawn_width(wide) > PHONE_WIDTH
    narrow = {**phone["spec"], "datasets": spec["datasets"]}
    assert drawn_width(narrow) <= PHONE_WIDTH
    assert min(_font_sizes(narrow)) >= SMALLEST_FONT
    assert "datasets" not in phone["spec"]  # the wide layout's data, not a second copy


def test_a_chart_that_fits_or_opts_out_is_left_as_it_is() -> None:
    small = alt.Chart(ROWS).mark_point().encode(x="x:Q").properties(width=100).to_dict()
    assert with_phone_layout(small) == small
    fixed = _wide(**NO_PHONE_LAYOUT)
    assert with_phone_layout(fixed) == fixed


def test_the_prisma_diagram_has_its_own_phone_layout_that_fits_with_legible_text() -> None:
    """The flow diagram's phone layout: the same boxes in three narrower columns, every text at
    least 10 px, drawn within a phone's text column (seen failing while it had none)."""
    from analysis.charts.prisma_diagram import prisma_diagram
    from analysis.paper.data import load_table
    from analysis.paper.flow import check_flow, load_flow

    flow = load_flow()
    spec = prisma_diagram(
        load_table("prisma2020_flow_items"), flow, check_flow(flow), title="Fig. 1"
    ).to_dict()
    phone = spec["usermeta"]["phone"]
    assert phone["below"] == PHONE_BELOW
    assert drawn_width(phone["spec"]) <= PHONE_WIDTH
    sizes = [
        layer["mark"]["fontSize"]
        for layer in phone["spec"]["layer"]
        if isinstance(layer.get("mark"), dict) and "fontSize" in layer["mark"]
    ]
    assert sizes and min(sizes) >= SMALLEST_FONT
    assert phone["spec"]["usermeta"]["boxes_drawn"] == spec["usermeta"]["boxes_drawn"]
