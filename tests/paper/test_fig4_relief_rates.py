"""Fig. 4a and 4b of the paper, reproduced from data/studies.csv.

Source of the printed values: data/published_forest.csv and data/published_pooled.csv (each
row names its place in the paper). Tolerance: the printed precision. Our value, formatted with
the decimals the paper prints (the schema's ``printed_decimals``), must show the same digits.
Each printed number is its own test, so an edit of a data value names the number it moved.
"""

import pytest

from analysis.paper.relief_rates import (
    TIMEPOINTS,
    compare_pooled,
    compare_studies,
    pool_rates,
    rate_inputs,
    reproduction_attempts,
    with_weights,
)


def _study_checks() -> list:
    params = []
    for key, point in TIMEPOINTS.items():
        inputs = rate_inputs(key)
        table = with_weights(inputs, pool_rates(inputs))
        for row in compare_studies(key, table).to_dict("records"):
            test_id = f"Fig{point.figure}-{row['study_id']}-{row['quantity']}"
            params.append(pytest.param(point.figure, row, id=test_id))
    return params


def _pooled_checks() -> list:
    params = []
    for key, point in TIMEPOINTS.items():
        for row in compare_pooled(key, pool_rates(rate_inputs(key))).to_dict("records"):
            params.append(
                pytest.param(point.figure, row, id=f"Fig{point.figure}-{row['quantity']}")
            )
    return params


@pytest.mark.parametrize(("figure", "row"), _study_checks())
def test_study_number_as_printed(figure: str, row: dict) -> None:
    assert row["reproduced"], (
        f"Fig. {figure}, {row['label']}, {row['quantity']}: printed {row['printed']}, "
        f"ours {row['ours_as_printed']} ({row['ours']!r})"
    )


@pytest.mark.parametrize(("figure", "row"), _pooled_checks())
def test_pooled_number_as_printed(figure: str, row: dict) -> None:
    assert row["reproduced"], (
        f"Fig. {figure}, overall {row['quantity']}: printed {row['printed']}, "
        f"ours {row['ours_as_printed']} ({row['ours']!r})"
    )


def test_every_printed_study_is_checked() -> None:
    # 9 rows in Fig. 4a (8 pooled + 1 excluded) and 7 in Fig. 4b; 4 numbers per pooled row.
    counts = {figure: 0 for figure in ("4a", "4b")}
    for param in _study_checks():
        counts[param.values[0]] += 1
    assert counts == {"4a": 8 * 4 + 1, "4b": 7 * 4 + 1}


@pytest.mark.parametrize("key", TIMEPOINTS)
def test_only_the_figure_inputs_reproduce_everything(key: str) -> None:
    attempts = reproduction_attempts(key).set_index("inputs")
    paper = attempts.loc["as Fig. 4 prints them"]
    assert paper["studies_reproduced"] == paper["studies_total"]
    assert paper["pooled_reproduced"] == paper["pooled_total"]
    others = attempts.drop(index="as Fig. 4 prints them")
    assert (others["studies_reproduced"] < others["studies_total"]).any()
