"""The arithmetic check of a flow chart (analysis.paper.flow) and its PRISMA 2020 diagram.

Source of the real flow: Zhao et al. 2018, Fig. 1 (data/prisma_flow.csv). Counts are whole
numbers, so every comparison is exact (no tolerance). Synthetic flows check that a flow that
adds up passes and that one that does not names the box that fails.
"""

import re
from itertools import pairwise

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.charts.prisma_diagram import SLOTS, layout_boxes, prisma_diagram
from analysis.metaanalysis.errors import InputError
from analysis.paper.data import DataFileError, load_table, resource_descriptor
from analysis.paper.flow import ROLES, RULES, check_flow, load_flow, reporting_table
from tests.conftest import REPO_ROOT

FLOW_FILE = REPO_ROOT / "data" / "prisma_flow.csv"


def _flow(rows: list[tuple[str, int, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["box_id", "count", "role", "parent"])


# --- the paper's Fig. 1 ------------------------------------------------------------------


def test_each_box_prints_its_count_first() -> None:
    """Fig. 1: the count column is the number each box's text begins with."""
    flow = load_flow()
    for text, count in zip(flow["text_as_printed"], flow["count"], strict=True):
        assert re.match(r"\d+", text).group() == str(count), text


def test_fig1_retrieved_box_adds_up() -> None:
    """Fig. 1: 82 identified + 3 by hand - 24 excluded on title and abstract = 61 retrieved."""
    (check,) = check_flow().for_box("retrieved")
    assert check.rule == "inputs minus exclusions"
    assert (check.expected, check.actual, check.holds) == (61, 61, True)
    assert check.arithmetic == "82 + 3 - 24 = 61"


def test_fig1_included_box_adds_up() -> None:
    """Fig. 1: 61 retrieved - 46 excluded = 15 included."""
    (check,) = check_flow().for_box("included")
    assert (check.expected, check.actual, check.holds) == (15, 15, True)


def test_fig1_exclusion_reasons_do_not_add_up() -> None:
    """Fig. 1: the reasons 21 + 6 + 16 + 4 add up to 47, but the box prints 46."""
    report = check_flow()
    (check,) = report.for_box("excluded_assessment")
    assert check.rule == "reasons add up"
    assert (check.expected, check.actual, check.difference) == (47, 46, -1)
    assert not check.holds
    assert report.failing_boxes == ("excluded_assessment",)
    assert not report.holds
    assert check.describe() == (
        "'46 studies excluded': reasons 21 + 6 + 16 + 4 = 47, but the box prints 46"
    )


def test_fig1_every_rule_is_applied_where_it_can_be() -> None:
    report = check_flow()
    assert [(c.box, c.rule) for c in report.checks] == [
        ("retrieved", "inputs minus exclusions"),
        ("included", "inputs minus exclusions"),
        ("excluded_assessment", "reasons add up"),
    ]
    assert set(report.table()["rule"]) <= set(RULES)


# --- synthetic flows -----------------------------------------------------------------------

ADDS_UP = [
    ("found", 100, "input", "screened"),
    ("by_hand", 5, "input", "screened"),
    ("duplicates", 20, "exclusion", "screened"),
    ("screened", 85, "input", "included"),
    ("excluded", 70, "exclusion", "included"),
    ("reason_a", 50, "reason", "excluded"),
    ("reason_b", 20, "reason", "excluded"),
    ("included", 15, "end", None),
]


def test_a_flow_that_adds_up_passes() -> None:
    report = check_flow(_flow(ADDS_UP))
    assert report.holds
    assert report.failing == ()
    assert len(report.checks) == 3


def test_a_misprinted_box_is_named() -> None:
    rows = [r if r[0] != "screened" else ("screened", 84, "input", "included") for r in ADDS_UP]
    report = check_flow(_flow(rows))
    # The misprinted box fails its own check, and the box it flows into fails too.
    assert report.failing_boxes == ("screened", "included")
    assert report.failing[0].describe() == "'screened': 100 + 5 - 20 = 85, but the box prints 84"


def test_reasons_that_do_not_add_up_name_their_box() -> None:
    rows = [r if r[0] != "reason_b" else ("reason_b", 21, "reason", "excluded") for r in ADDS_UP]
    report = check_flow(_flow(rows))
    assert report.failing_boxes == ("excluded",)
    (failing,) = report.failing
    assert (failing.rule, failing.expected, failing.actual) == ("reasons add up", 71, 70)


def test_a_flow_without_exclusions_or_reasons() -> None:
    report = check_flow(_flow([("a", 3, "input", "b"), ("b", 3, "end", None)]))
    assert report.holds
    assert [c.arithmetic for c in report.checks] == ["3 = 3"]


@st.composite
def chain_flows(draw):
    """A random flow that adds up: sources into a chain of boxes, with exclusions and reasons."""
    sources = draw(st.lists(st.integers(0, 500), min_size=1, max_size=4))
    rows = [(f"source{i}", n, "input", "box0") for i, n in enumerate(sources)]
    total = sum(sources)
    steps = draw(st.integers(1, 3))
    for step in range(steps):
        removed = draw(st.integers(0, total))
        rows.append((f"excl{step}", removed, "exclusion", f"box{step + 1}"))
        cuts = sorted(draw(st.lists(st.integers(0, removed), max_size=3)))
        if cuts:
            bounds = [0, *cuts, removed]
            rows += [
                (f"reason{step}_{j}", high - low, "reason", f"excl{step}")
                for j, (low, high) in enumerate(pairwise(bounds))
            ]
        rows.append((f"box{step}", total, "input", f"box{step + 1}"))
        total -= removed
    rows.append((f"box{steps}", total, "end", None))
    return rows


@given(chain_flows())
def test_random_flows_that_add_up_pass(rows) -> None:
    """Invariant: a flow built to add up passes every check."""
    assert check_flow(_flow(rows)).holds


@given(chain_flows(), st.data())
def test_changing_any_count_is_caught_next_to_the_change(rows, data) -> None:
    """Invariant: changing one count fails the box itself or the box it belongs to, no other."""
    position = data.draw(st.integers(0, len(rows) - 1))
    box, count, role, parent = rows[position]
    step = data.draw(st.sampled_from([-3, -1, 1, 2, 7]).filter(lambda d: count + d >= 0))
    rows = [*rows[:position], (box, count + step, role, parent), *rows[position + 1 :]]
    report = check_flow(_flow(rows))
    assert not report.holds
    assert set(report.failing_boxes) <= {box, parent}


# --- bad flows: one line naming the row and the column -----------------------------------

BAD_FLOWS = [
    (
        [("a", 1, "input", "zzz"), ("b", 1, "end", None)],
        "flow row 0 (box_id 'a'), column 'parent': 'zzz' is not a box_id of the flow",
    ),
    (
        [("a", 1, "input", "b"), ("a", 1, "end", None)],
        "flow row 1 (box_id 'a'), column 'box_id': 'a' appears in an earlier row",
    ),
    (
        [("a", -1, "input", "b"), ("b", 1, "end", None)],
        "flow row 0 (box_id 'a'), column 'count': -1 is not a whole number >= 0",
    ),
    ([("a", 1.5, "input", "b"), ("b", 1, "end", None)], "column 'count': 1.5 is not a whole"),
    ([("a", "many", "input", "b"), ("b", 1, "end", None)], "column 'count': 'many' is not a"),
    ([("a", 1, "source", "b"), ("b", 1, "end", None)], "column 'role': 'source' is not one of"),
    (
        [("a", 1, "input", None), ("b", 1, "end", None)],
        "column 'parent': a box with role 'input' needs a parent box",
    ),
    ([("a", 1, "input", "a"), ("b", 1, "end", None)], "a box cannot be its own parent"),
    (
        [("a", 1, "input", "b"), ("r", 1, "reason", "b"), ("b", 1, "end", None)],
        "flow row 1 (box_id 'r'), column 'parent': a reason belongs to an exclusion box, but 'b' "
        "has role 'end'",
    ),
    (
        [("a", 1, "input", "x"), ("x", 1, "exclusion", "b"), ("b", 1, "end", None)],
        "flow row 0 (box_id 'a'), column 'parent': records cannot flow into 'x'",
    ),
    ([("x", 1, "exclusion", "b"), ("b", 1, "end", None)], "nothing flows into 'b'"),
    ([("a", 1, "input", "b"), ("b", 1, "input", "a")], "the flow runs in a circle"),
    ([("a", 1, "input", "b"), ("b", 1, "end", "a")], "the end box has no parent, got 'a'"),
]


@pytest.mark.parametrize(("rows", "fragment"), BAD_FLOWS, ids=[f[1][-40:] for f in BAD_FLOWS])
def test_a_bad_flow_gives_one_line(rows, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        check_flow(_flow(rows))
    message = str(caught.value)
    assert message.startswith("check_flow: ")
    assert fragment in message
    assert "\n" not in message


def test_a_flow_must_be_a_frame_with_the_columns() -> None:
    with pytest.raises(InputError, match="check_flow: flow must be a pandas DataFrame"):
        check_flow([("a", 1, "end", None)])
    with pytest.raises(InputError, match="check_flow: flow has no column 'parent'"):
        check_flow(pd.DataFrame({"box_id": ["a"], "count": [1], "role": ["end"]}))
    with pytest.raises(InputError, match="check_flow: flow has no boxes"):
        check_flow(_flow([]))


def _broken_flow_file(tmp_path, old: str, new: str) -> str:
    """A copy of data/prisma_flow.csv with one edit, in a tmp dir (the real file is untouched)."""
    text = FLOW_FILE.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    broken = tmp_path / "prisma_flow.csv"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return broken


def test_the_schema_states_the_rules_of_each_box() -> None:
    """data/datapackage.json: box_id is the key, role one of ROLES, parent a box_id of the
    same file (a foreign key to the resource itself, ""); the arithmetic and the rules between
    boxes (roles of parents, cycles) stay in analysis.paper.flow."""
    schema = resource_descriptor("prisma_flow")["schema"]
    fields = {field["name"]: field for field in schema["fields"]}
    assert schema["primaryKey"] == "box_id"
    assert tuple(fields["role"]["constraints"]["enum"]) == ROLES
    assert (
        fields["role"]["constraints"]["required"] and fields["box_id"]["constraints"]["required"]
    )
    assert schema["foreignKeys"] == [
        {"fields": "parent", "reference": {"resource": "", "fields": "box_id"}}
    ]


# Each rule of the schema, broken in a copy of the file: one line naming file, row and column.
BROKEN_FLOW_FILES = [
    pytest.param(
        "exclusion,retrieved,",
        "exclusion,nowhere,",
        "row 4 (line 5, box_id 'excluded_screening'), column 'parent': 'nowhere' is not a "
        "box_id of any row of this file",
        id="foreign key: a parent that is no box",
    ),
    pytest.param(
        "reason_animal,8,",
        "reason_reviews,8,",
        "row 8 (line 9, box_id 'reason_reviews'), column 'box_id': repeats a key that must be "
        "unique (first at row 7)",
        id="primary key: a repeated box_id",
    ),
    pytest.param(
        ",end,,",
        ",last,,",
        "row 5 (line 6, box_id 'included'), column 'role': 'last' is not one of the allowed "
        "values",
        id="enum: an unknown role",
    ),
    pytest.param(
        ",end,,",
        ",,,",
        "row 5 (line 6, box_id 'included'), column 'role': the cell is empty but a value is "
        "required",
        id="required: an empty role",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_FLOW_FILES)
def test_a_flow_file_that_breaks_the_schema_gives_one_line(
    tmp_path, old: str, new: str, expected: str
) -> None:
    broken = _broken_flow_file(tmp_path, old, new)
    with pytest.raises(DataFileError) as caught:
        load_flow(broken)
    message = str(caught.value)
    assert message.startswith(f"{broken}: {expected}")
    assert "\n" not in message


def test_a_flow_file_with_a_parent_of_the_wrong_role_fails_in_python(tmp_path) -> None:
    """What the schema cannot state: a reason whose parent is not an exclusion box."""
    broken = _broken_flow_file(tmp_path, "reason,excluded_assessment,", "reason,included,")
    with pytest.raises(DataFileError) as caught:
        load_flow(broken)
    assert str(caught.value) == (
        f"{broken}: row 7 (line 8, box_id 'reason_reviews'), column 'parent': a reason belongs "
        "to an exclusion box, but 'included' has role 'end'"
    )


# --- PRISMA 2020 -------------------------------------------------------------------------


def test_every_box_of_fig1_answers_a_prisma_2020_item() -> None:
    """Page et al. 2021, Fig. 1: each box of the paper's Fig. 1 (but the reasons) fills one."""
    table = reporting_table()
    flow = load_flow()
    boxes = set(flow.loc[flow["role"] != "reason", "box_id"])
    assert boxes <= set(table["paper_box"].dropna())
    assert set(table["item_id"]) == set(SLOTS)
    reported = table[table["paper_box"].notna()]
    assert (reported["paper_reports"] != "no").all()
    assert table.loc[table["paper_box"].isna(), "printed"].isna().all()


def test_an_item_naming_an_unknown_box_is_refused() -> None:
    items = load_table("prisma2020_flow_items")
    items.loc[0, "paper_box"] = "nowhere"
    with pytest.raises(
        DataFileError,
        match=r"row 1 \(line 2, item_id 'records_databases'\), "
        r"column 'paper_box': 'nowhere' is not a box_id",
    ):
        reporting_table(items)


def _diagram(flow=None):
    flow = load_flow() if flow is None else flow
    return prisma_diagram(
        load_table("prisma2020_flow_items"), flow, check_flow(flow), title="t"
    ).to_dict()


def _drawn_text(spec: dict) -> str:
    lines = [
        row["text"]
        for dataset in spec["datasets"].values()
        for row in dataset
        if isinstance(row, dict) and "kind" in row
    ]
    return " ".join(lines)


def test_the_diagram_shows_every_box_with_its_count() -> None:
    spec = _diagram()
    drawn = _drawn_text(spec)
    for text in load_flow()["text_as_printed"]:
        assert text in drawn, text
    assert spec["width"] <= 560


def test_the_diagram_flags_each_box_that_does_not_add_up() -> None:
    flow = load_flow()
    report = check_flow(flow)
    boxes = layout_boxes(load_table("prisma2020_flow_items"), flow, report)
    flagged = [b.paper_box for b in boxes if b.flagged]
    assert flagged == list(report.failing_boxes)
    spec = _diagram(flow)
    assert spec["usermeta"]["flagged"] == len(report.failing_boxes)
    assert "\u26a0 reasons: 21 + 6 + 16 + 4 = 47, not 46" in _drawn_text(spec)


def test_the_diagram_flags_nothing_when_the_flow_adds_up() -> None:
    flow = load_flow()
    flow.loc[flow["box_id"] == "reason_reviews", "count"] = 20  # 20 + 6 + 16 + 4 = 46
    spec = _diagram(flow)
    assert spec["usermeta"]["flagged"] == 0
    assert "\u26a0" not in _drawn_text(spec)


def test_the_diagram_draws_unreported_template_boxes_dashed() -> None:
    boxes = layout_boxes(load_table("prisma2020_flow_items"), load_flow(), check_flow())
    missing = [b for b in boxes if b.paper_box is None]
    assert missing, "Fig. 1 omits several boxes of the PRISMA 2020 template"
    assert all(line[0] != "printed" for b in missing for line in b.lines)


def test_a_box_the_template_cannot_place_is_refused() -> None:
    items = load_table("prisma2020_flow_items")
    with pytest.raises(InputError, match="layout_boxes: box 'included' of the flow fills no"):
        layout_boxes(items[items["paper_box"] != "included"], load_flow(), check_flow())
    items.loc[0, "item_id"] = "something_new"
    with pytest.raises(InputError, match="layout_boxes: item 'something_new' has no place"):
        layout_boxes(items, load_flow(), check_flow())
