"""Every result of the paper and audit rooms shows itself: ``to_frame()`` and ``_repr_html_()``.

The mixin is the library's `analysis.metaanalysis.results.TidyResult` (tested there on the
library's results); here, that every dataclass of analysis/paper and analysis/audit uses it,
and that the paper's own results give frames whose values are their fields, unchanged.
"""

import dataclasses
import importlib
import pkgutil

import pytest

from analysis.audit import audit_claims, relief_verdict
from analysis.metaanalysis.results import TidyResult
from analysis.paper import check_flow, pain_headline, pain_reanalyses, reproduce_descriptives


def room_dataclasses() -> list[type]:
    found = []
    for room in ("paper", "audit"):
        package = importlib.import_module(f"analysis.{room}")
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"analysis.{room}.{info.name}")
            found += [
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
            ]
    return found


CLASSES = room_dataclasses()


def test_the_rooms_have_results() -> None:
    assert len(CLASSES) > 40


@pytest.mark.parametrize("cls", CLASSES, ids=[f"{c.__module__}.{c.__name__}" for c in CLASSES])
def test_every_result_shows_itself(cls: type) -> None:
    assert issubclass(cls, TidyResult)


def test_a_summary_result_is_one_row_of_its_fields() -> None:
    reanalysis = pain_reanalyses()[0]
    frame = reanalysis.to_frame()
    assert len(frame) == 1
    row = frame.iloc[0]
    for field in dataclasses.fields(reanalysis):
        value = getattr(reanalysis, field.name)
        if isinstance(value, float | int | str):
            assert row[field.name] == value


def test_a_nested_result_is_flattened() -> None:
    verdict = relief_verdict("immediate")
    row = verdict.to_frame().iloc[0]
    assert row["primary_estimate"] == verdict.primary.estimate
    assert row["paper_ci_low"] == verdict.paper.ci_low


def test_a_collection_of_checks_is_one_row_each() -> None:
    report = reproduce_descriptives()
    assert len(report.to_frame()) == len(report.claims)
    flow = check_flow()
    assert flow.to_frame()["holds"].tolist() == [check.holds for check in flow.checks]


@pytest.mark.parametrize(
    "result",
    [reproduce_descriptives(), check_flow(), audit_claims()[0], pain_headline()],
    ids=["descriptives", "flow", "claim", "pain-headline"],
)
def test_the_html_is_a_table_with_no_unnamed_header(result: TidyResult) -> None:
    html = result._repr_html_()
    assert html.startswith('<table class="analysis-result">')
    assert html.endswith("</table>")
    assert "<th>None</th>" not in html
