"""`with_phone_layout`: a chart too wide for a phone gets a narrower layout, drawn by vl-convert.

No reference values: the layout is checked by drawing it (its width) and by reading its spec
(fonts, the datasets it shares with the wide layout).
"""

import altair as alt
import pandas as pd

from analysis.charts.phone import (
    NO_PHONE_LAYOUT,
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
