"""what_if_forest and subset_summaries (analysis.charts.what_if).

No reference values: the chart is checked against the `every_subset` table it is given (itself
tested against `pool`), and its one expression, the bit mask of the ticked studies, is
evaluated here for every subset. The page itself is tried in Chromium in
tests/browser/test_what_if.py.
"""

import re

import pandas as pd
import pytest

from analysis.charts.what_if import PARAM_PREFIX, subset_summaries, what_if_forest
from analysis.metaanalysis import InputError, every_subset

YI = [0.54, 0.54, 0.89, 0.6]
VI = [0.0075, 0.019, 0.0049, 0.015]
STUDIES = pd.DataFrame(
    {
        "label": ["A 2004", "B 2006", "C 2008", "D 2010"],
        "estimate": YI,
        "ci_low": [0.37, 0.27, 0.75, 0.36],
        "ci_high": [0.71, 0.81, 1.03, 0.84],
    }
)
SUBSETS = every_subset(YI, VI, "DL", prediction="t(k-2)")


def _spec() -> dict:
    return what_if_forest(SUBSETS, STUDIES, title="T", x_title="x").to_dict()


def _evaluate_mask(expression: str, ticked: set[int]) -> int:
    # The expression is a sum of "(keep_study_<i> ? <bit> : 0)" terms.
    terms = re.findall(rf"\({PARAM_PREFIX}(\d+) \? (\d+) : 0\)", expression)
    assert " + ".join(f"({PARAM_PREFIX}{i} ? {b} : 0)" for i, b in terms) == expression
    return sum(int(bit) for i, bit in terms if int(i) in ticked)


def test_one_checkbox_per_study_named_by_its_label() -> None:
    spec = _spec()
    params = spec["params"]
    assert [p["name"] for p in params] == [f"{PARAM_PREFIX}{i}" for i in range(len(YI))]
    assert [p["bind"]["name"].strip() for p in params] == list(STUDIES["label"])
    assert all(p["value"] is True and p["bind"]["input"] == "checkbox" for p in params)


def test_the_ticked_studies_select_their_own_subset() -> None:
    spec = _spec()
    forest = spec["vconcat"][0]
    filters = [
        t["filter"]
        for layer in forest["layer"]
        for t in layer.get("transform", [])
        if "filter" in t
    ]
    (expression,) = {f.removeprefix("datum.members == (").removesuffix(")") for f in filters}
    for row, members in enumerate(SUBSETS.members):
        ticked = {i for i in range(len(YI)) if members >> i & 1}
        assert _evaluate_mask(expression, ticked) == members, row


def test_each_subset_s_sentence_prints_its_numbers() -> None:
    frame = subset_summaries(SUBSETS, len(YI))
    assert len(frame) == 2 ** len(YI) - len(YI) - 1
    every = SUBSETS.row((0, 1, 2, 3))
    assert frame.at[every, "summary"] == (
        f"4 of 4 studies: {SUBSETS.estimate[every]:.2f} ({SUBSETS.ci_low[every]:.2f}, "
        f"{SUBSETS.ci_high[every]:.2f}); I² {SUBSETS.i2[every]:.0f}%; prediction interval "
        f"{SUBSETS.pi_low[every]:.2f} to {SUBSETS.pi_high[every]:.2f}"
    )
    pair = SUBSETS.row((0, 2))
    assert frame.at[pair, "summary"].endswith("; no prediction interval from two studies")
    assert "nan" not in " ".join(frame["summary"])


def test_the_studies_must_match_the_subsets() -> None:
    with pytest.raises(InputError, match=r"^what_if_forest: 3 study rows for 4 studies pooled$"):
        what_if_forest(SUBSETS, STUDIES.iloc[:3], title="T", x_title="x")
    with pytest.raises(InputError, match=r"^what_if_forest: studies has no column 'ci_low'$"):
        what_if_forest(SUBSETS, STUDIES.drop(columns="ci_low"), title="T", x_title="x")
