"""Every result of the library shows itself: ``to_frame()`` and ``_repr_html_()``.

Source of the expected values: the result objects themselves. A frame must hold each field's
value exactly (compared with ``==``, no tolerance), an interval as ``<field>_low`` and
``<field>_high``, a nested result as ``<field>_<its field>``, and one row per study for the
per-study results. The HTML must be one well-formed table with escaped text and numbers to 4
significant digits. The inputs are small, fixed data sets (the paper's Fig. 4b proportions).
"""

import dataclasses
import importlib
import inspect
import math
import pkgutil
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import analysis.metaanalysis
from analysis.metaanalysis import (
    baujat,
    begg,
    binomial_interval,
    cumulative,
    egger,
    glmm_batch,
    glmm_proportions,
    leave_one_out,
    meta_regression,
    pool,
    pool_batch,
    pool_proportions,
    raw_proportions,
    standardized_mean_difference,
    trim_and_fill,
)
from analysis.metaanalysis.results import MAX_HTML_ROWS, TidyResult
from analysis.metaanalysis.tau2 import paule_mandel

P = [0.54, 0.54, 0.89, 0.60, 0.38, 0.33, 0.67]
N = [33, 13, 20, 16, 18, 5, 6]
VI = [p * (1 - p) / n for p, n in zip(P, N, strict=True)]
EVENTS = [4, 1, 7, 0]
SIZES = [33, 5, 10, 12]

# Fields holding an interval (low, high), and fields holding one value per study, by class:
# written out here rather than read from the annotations as the library does.
INTERVALS = {"PoolResult": {"tau2_ci", "i2_ci", "h2_ci"}}
PER_STUDY = {
    "PoolResult": {"weights", "excluded"},
    "TrimFillResult": {"filled_yi", "filled_vi", "mirrored"},
    "ProportionPool": {
        "effect_sizes",
        "proportions",
        "study_estimate",
        "study_ci_low",
        "study_ci_high",
    },
    "Coefficients": {"term", "estimate", "se", "statistic", "p_value", "ci_low", "ci_high"},
    # One row of the covariance matrix per term: left out of the summary, as per-study values.
    "MetaRegression": {"covariance"},
}
NESTED = {
    "TrimFillResult": {"pooled"},
    "ProportionPool": {"pooled"},
    "MetaRegression": {"coefficients"},
}

SUMMARIES = {
    "pool DL": lambda: pool(P, VI),
    "pool FE (no intervals for tau2)": lambda: pool(P, VI, "FE"),
    "pool REML, HKSJ": lambda: pool(P, VI, "REML", ci="hksj"),
    "egger": lambda: egger(P, VI),
    "begg": lambda: begg(P, VI),
    "trim and fill L0": lambda: trim_and_fill(P, VI),
    "trim and fill R0": lambda: trim_and_fill(P, VI, "R0"),
    "pool_proportions PLO": lambda: pool_proportions(EVENTS, SIZES),
    "pool_proportions PFT": lambda: pool_proportions(EVENTS, SIZES, "PFT"),
    "glmm": lambda: glmm_proportions(EVENTS, SIZES),
    "tau2 PM": lambda: paule_mandel(np.array(P), np.array(VI)),
    "meta-regression REML, Knapp-Hartung": lambda: meta_regression(P, VI, {"n": N}, test="knha"),
    "meta-regression FE (no R2)": lambda: meta_regression(P, VI, {"n": N}, method="FE"),
}
PER_STUDY_RESULTS = {
    "raw proportions": lambda: raw_proportions(P, N),
    "SMD": lambda: standardized_mean_difference(
        [5, 6], [2, 2], [20, 30], [4, 4], [2, 3], [20, 30]
    ),
    "baujat": lambda: baujat(P, VI),
    "binomial exact": lambda: binomial_interval(EVENTS, SIZES),
    "binomial wilson": lambda: binomial_interval(EVENTS, SIZES, "wilson", level=0.9),
    "leave one out": lambda: leave_one_out(P, VI, "DL", ci="hksj"),
    "meta-regression coefficients": lambda: meta_regression(P, VI, {"n": N}).coefficients,
    "cumulative": lambda: cumulative(P, VI, N, "REML", ci="hksj"),
}


def same(actual: object, expected: object) -> bool:
    """Exactly equal, with None and NaN in a frame standing for a missing value."""
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    return bool(actual == expected)


def expected_row(result: object, prefix: str = "") -> dict[str, object]:
    kind = type(result).__name__
    row: dict[str, object] = {}
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if field.name in PER_STUDY.get(kind, ()):
            continue
        if field.name in NESTED.get(kind, ()):
            row.update(expected_row(value, f"{prefix}{field.name}_"))
        elif field.name in INTERVALS.get(kind, ()):
            low, high = value if value is not None else (None, None)
            row[f"{prefix}{field.name}_low"] = low
            row[f"{prefix}{field.name}_high"] = high
        else:
            row[f"{prefix}{field.name}"] = value
    return row


@pytest.mark.parametrize("make", SUMMARIES.values(), ids=SUMMARIES.keys())
def test_summary_frame_is_one_row_holding_every_field_exactly(make) -> None:
    result = make()
    frame = result.to_frame()
    expected = expected_row(result)
    assert len(frame) == 1
    assert list(frame.columns) == list(expected)
    for column, value in expected.items():
        assert same(frame.at[0, column], value), column


def test_an_interval_that_is_none_gives_two_missing_values() -> None:
    frame = pool(P, VI, "FE").to_frame()
    assert frame[["tau2_ci_low", "tau2_ci_high", "i2_ci_low", "h2_ci_high"]].isna().all(axis=None)


def test_trim_and_fill_frame_has_the_filled_pooled_result() -> None:
    result = trim_and_fill(P, VI)
    frame = result.to_frame()
    assert frame.at[0, "pooled_estimate"] == result.pooled.estimate
    assert frame.at[0, "pooled_k"] == result.pooled.k == len(P) + result.k0
    assert frame.at[0, "pooled_tau2_ci_high"] == result.pooled.tau2_ci[1]


@pytest.mark.parametrize("make", PER_STUDY_RESULTS.values(), ids=PER_STUDY_RESULTS.keys())
def test_per_study_frame_is_one_row_per_study(make) -> None:
    result = make()
    frame = result.to_frame()
    per_study = {
        f.name: getattr(result, f.name)
        for f in dataclasses.fields(result)
        if isinstance(getattr(result, f.name), tuple)
    }
    k = len(next(iter(per_study.values())))
    assert len(frame) == k
    assert frame.index.name == type(result)._study_index  # "study", or "term", "step"
    assert frame.index.tolist() == list(range(k))
    for name, value in per_study.items():
        if value and isinstance(value[0], TidyResult):
            continue
        assert frame[name].tolist() == list(value), name
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, str | float | int):
            assert (frame[field.name] == value).all(), field.name


def test_leave_one_out_frame_is_the_summary_of_each_reanalysis() -> None:
    result = leave_one_out(P, VI)
    frame = result.to_frame()
    for i, omitted in enumerate(result.omitted):
        for column, value in expected_row(omitted).items():
            assert same(frame.at[i, column], value), (i, column)
    assert frame["k"].tolist() == [len(P) - 1] * len(P)


def test_pool_study_frame_has_weights_and_exclusions() -> None:
    result = pool([0.2, 0.4, 0.5], [0.01, 0.0, 0.02], "FE", drop_zero_variance=True)
    frame = result.study_frame()
    assert frame["weights"].tolist() == list(result.weights)
    assert frame["excluded"].tolist() == [False, True, False]
    assert frame.index.name == "study"


def test_proportion_pool_study_frame() -> None:
    result = pool_proportions(EVENTS, SIZES, "PFT")
    frame = result.study_frame()
    assert len(frame) == len(EVENTS)
    for name in ("proportions", "study_estimate", "study_ci_low", "study_ci_high"):
        assert frame[name].tolist() == list(getattr(result, name)), name
    assert frame["yi"].tolist() == list(result.effect_sizes.yi)
    assert frame["vi"].tolist() == list(result.effect_sizes.vi)
    assert frame["weights"].tolist() == list(result.pooled.weights)


def test_trim_and_fill_study_frame_lists_the_filled_studies() -> None:
    result = trim_and_fill(P, VI)
    frame = result.study_frame()
    assert result.k0 == 2
    assert frame.index.name == "filled"
    assert frame["filled_yi"].tolist() == list(result.filled_yi)
    assert frame["filled_vi"].tolist() == list(result.filled_vi)
    assert frame["mirrored"].tolist() == list(result.mirrored)


def test_trim_and_fill_with_nothing_filled_has_an_empty_study_frame() -> None:
    symmetric = [0.1, 0.5, 0.2, 0.4, 0.3]
    result = trim_and_fill(symmetric, [0.01] * 5, "R0", side="left")
    assert result.k0 == 0
    frame = result.study_frame()
    assert frame.empty
    assert list(frame.columns) == ["filled_yi", "filled_vi", "mirrored"]


ALL = {**SUMMARIES, **PER_STUDY_RESULTS}


def parsed(markup: str) -> ET.Element:
    """The HTML as an element tree; fails if it is not one well-formed table."""
    table = ET.fromstring(markup)
    assert table.tag == "table"
    return table


@pytest.mark.parametrize("make", ALL.values(), ids=ALL.keys())
def test_html_is_one_table_with_a_row_per_value(make) -> None:
    result = make()
    table = parsed(result._repr_html_())
    rows = table.findall("./tbody/tr")
    frame = result.to_frame()
    if result._per_study:
        assert len(rows) == len(frame)
    else:
        assert [row.find("th").text for row in rows] == list(frame.columns)
    assert table.find("caption").text.startswith(type(result).__name__)


def test_html_rounds_to_four_significant_digits() -> None:
    result = pool(P, VI)
    table = parsed(result._repr_html_())
    values = {row.find("th").text: row.find("td").text for row in table.findall("./tbody/tr")}
    assert values["estimate"] == f"{result.estimate:.4g}"
    assert values["k"] == str(result.k)
    assert values["tau2_ci_low"] == f"{result.tau2_ci[0]:.4g}"
    assert len(values["estimate"].replace("0.", "", 1)) == 4


def test_html_escapes_text() -> None:
    hostile = "<script>alert('&')</script>"
    per_study = dataclasses.replace(raw_proportions(P, N), measure=hostile)
    summary = dataclasses.replace(pool(P, VI), method=hostile)
    for result in (per_study, summary):
        assert "<script>" not in result._repr_html_()
        assert "&lt;script&gt;" in result._repr_html_()
    # Parsed back, the text is what it was.
    assert parsed(per_study._repr_html_()).find("caption").text.endswith(hostile)
    rows = parsed(summary._repr_html_()).findall("./tbody/tr")
    assert {row.find("th").text: row.find("td").text for row in rows}["method"] == hostile


def test_html_of_many_studies_is_cut_short_with_a_note() -> None:
    k = MAX_HTML_ROWS + 5
    result = raw_proportions([0.5] * k, [10] * k)
    table = parsed(result._repr_html_())
    assert len(table.findall("./tbody/tr")) == MAX_HTML_ROWS
    assert "5 more rows" in table.find("./tfoot/tr/td").text
    assert len(result.to_frame()) == k


def test_missing_values_read_as_a_dash() -> None:
    result = trim_and_fill(P, VI)
    table = parsed(result._repr_html_())
    values = {row.find("th").text: row.find("td").text for row in table.findall("./tbody/tr")}
    assert result.p_k0 is None
    assert values["p_k0"] == "–"


def _library_dataclasses() -> list[type]:
    found = []
    for module_info in pkgutil.iter_modules(analysis.metaanalysis.__path__):
        module = importlib.import_module(f"analysis.metaanalysis.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and dataclasses.is_dataclass(cls):
                found.append(cls)
    return found


def test_every_result_of_the_library_shows_itself() -> None:
    """Every frozen dataclass of the library but the validator's internal one is a result."""
    internal = {"CheckedStudies"}
    classes = [cls for cls in _library_dataclasses() if cls.__name__ not in internal]
    assert len(classes) >= 11
    missing = [cls.__name__ for cls in classes if not issubclass(cls, TidyResult)]
    assert missing == []
    for cls in classes:
        assert cls.__dataclass_params__.frozen, cls.__name__


BATCHES = {
    "pool_batch": lambda: pool_batch([P, P[::-1]], [VI, VI[::-1]], "REML"),
    "glmm_batch": lambda: glmm_batch(
        [EVENTS, [0, 0, 0, 0], EVENTS[::-1]], [SIZES, SIZES, SIZES[::-1]]
    ),
}


@pytest.mark.parametrize("make", BATCHES.values(), ids=BATCHES.keys())
def test_batch_frame_is_one_row_per_meta_analysis_holding_every_field_exactly(make) -> None:
    result = make()
    frame = result.to_frame()
    arrays = [f.name for f in dataclasses.fields(result) if f.name not in result._labels]
    assert list(frame.columns) == arrays + list(result._labels)
    assert frame.index.name == "row" and len(frame) == len(result.k)
    for name in arrays:
        assert all(map(same, frame[name].tolist(), getattr(result, name).tolist())), name
    for name in result._labels:
        assert (frame[name] == getattr(result, name)).all(), name
    assert result._repr_html_().endswith(f"<p>{len(frame)} meta-analyses</p>")
