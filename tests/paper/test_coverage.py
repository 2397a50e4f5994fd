"""The chapter "How far can the intervals be trusted?": its rule picks the primary model's
interval on the paper's data, the rule itself, and the replicate setting."""

import numpy as np
import pandas as pd
import pytest

from analysis.metaanalysis.errors import InputError
from analysis.paper import coverage
from analysis.paper.coverage import (
    INTERVALS,
    REPLICATES_VARIABLE,
    CoverageStudy,
    coverage_scenarios,
    coverage_study,
    primary_interval,
    replicates_setting,
    trusted_interval,
)
from analysis.paper.primary import PRIMARY_MODELS


@pytest.fixture(scope="module")
def paper_study() -> CoverageStudy:
    """The chapter's simulation with the replicates the chapter uses by default."""
    return coverage_study(coverage.DEFAULT_REPLICATES)


def test_the_rule_picks_the_primary_models_interval_on_the_papers_data(paper_study) -> None:
    choice = trusted_interval(paper_study)
    assert choice.chosen == primary_interval(), choice
    assert choice.agrees


def test_the_primary_interval_is_the_logit_hartung_knapp_one() -> None:
    assert INTERVALS[primary_interval()].model == PRIMARY_MODELS["immediate"].model
    assert primary_interval() == "logit_reml_hksj"


def test_scenarios_copy_the_data_and_the_fitted_truth() -> None:
    scenarios = coverage_scenarios()
    assert len(scenarios) == len(coverage.OUTCOMES) * len(coverage.TAU_MULTIPLIERS)
    assert len({s.seed for s in scenarios}) == len(scenarios)
    for outcome in coverage.OUTCOMES:
        mine = [s for s in scenarios if s.outcome == outcome]
        assert [s.multiplier for s in mine] == list(coverage.TAU_MULTIPLIERS)
        fitted = next(s for s in mine if s.multiplier == 1.0)
        assert mine[0].tau == 0.0 and fitted.tau > 0
        assert all(s.mu == fitted.mu and s.n == fitted.n for s in mine)


def _study(rows: list[tuple]) -> CoverageStudy:
    table = pd.DataFrame(
        rows, columns=["interval", "kind", "coverage", "mc_error", "median_width"]
    )
    return CoverageStudy(100, (), table)


def test_the_rule_takes_the_narrowest_that_covers_in_every_scenario() -> None:
    study = _study(
        [
            ("paper", "confidence", 0.90, 0.01, 0.10),  # narrow but under-covers
            ("paper", "confidence", 0.95, 0.01, 0.10),
            ("glmm", "confidence", 0.945, 0.01, 0.20),  # within one point of 95%
            ("logit_dl_z", "confidence", 0.935, 0.001, 0.05),  # narrowest, but 1.5 points under
            ("glmm", "confidence", 0.96, 0.01, 0.22),
            ("logit_reml_hksj", "confidence", 0.97, 0.01, 0.30),
            ("logit_reml_hksj", "confidence", 0.96, 0.01, 0.30),
            ("glmm_pi", "prediction", 0.99, 0.01, 0.01),  # not a confidence interval
        ]
    )
    choice = trusted_interval(study)
    assert choice.chosen == "glmm"
    assert choice.passing == ("glmm", "logit_reml_hksj")
    assert choice.failing == ("paper", "logit_dl_z")
    assert choice.worst_coverage["paper"] == 0.90


def test_the_rule_picks_nothing_when_every_interval_under_covers() -> None:
    choice = trusted_interval(_study([("glmm", "confidence", 0.80, 0.01, 0.2)]))
    assert (choice.chosen, choice.agrees, choice.passing) == ("", False, ())


def test_replicates_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(REPLICATES_VARIABLE, raising=False)
    assert replicates_setting() == coverage.DEFAULT_REPLICATES == 10_000
    monkeypatch.setenv(REPLICATES_VARIABLE, "300")
    assert replicates_setting() == 300


@pytest.mark.parametrize("value", ["many", "5", "-100", "1e4"])
def test_a_bad_replicate_setting_is_one_line(monkeypatch, value: str) -> None:
    monkeypatch.setenv(REPLICATES_VARIABLE, value)
    with pytest.raises(InputError, match=f"{REPLICATES_VARIABLE}='{value}' must be a whole"):
        replicates_setting()


def test_the_table_has_every_interval_in_every_scenario(paper_study) -> None:
    table = paper_study.table
    assert len(table) == len(coverage_scenarios()) * len(INTERVALS)
    assert set(table["interval"]) == set(INTERVALS)
    assert np.all((table["coverage"] >= 0) & (table["coverage"] <= 1))


@pytest.fixture(scope="module")
def small_study() -> CoverageStudy:
    return coverage_study(50)


@pytest.mark.parametrize(
    ("chosen", "words"),
    [
        ("glmm", "The rule picks the primary model's interval, the GLMM's Wald interval"),
        ("logit_reml_hksj", "The rule picks the logit REML Hartung–Knapp interval, not"),
        ("", "No interval passes the rule"),
    ],
)
def test_the_chapters_verdict_follows_the_rules_choice(small_study, chosen, words) -> None:
    from analysis.paper import coverage_facts
    from analysis.paper.coverage import RuleChoice

    choice = RuleChoice(chosen, "", (chosen,) if chosen else (), (), {}, "glmm", chosen == "glmm")
    facts = coverage_facts(small_study, choice)
    assert facts.verdict.startswith(words)
    assert facts.replicates == 50 and facts.scenarios == len(coverage_scenarios())
