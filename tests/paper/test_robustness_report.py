"""The robustness chapter's tables, curves and prose numbers (paper.reanalysis_tables and
paper.multiverse_report).

No reference values: the re-analyses and the multiverse are checked in their own tests; here
each number must be the rows' or the summary's own value (exact), written as the chapter
writes it.
"""

import dataclasses
from functools import cache

import pytest

from analysis.metaanalysis import InputError
from analysis.paper import (
    PAIN_REANALYSES,
    RELIEF_REANALYSES,
    TIMEPOINTS,
    choice_effects,
    in_percent,
    load_studies,
    multiverse_summary,
    pain_curve,
    pain_multiverse,
    pain_multiverse_facts,
    pain_reanalyses,
    pain_reanalysis_table,
    rate_curve,
    rate_multiverse,
    rate_multiverse_facts,
    relief_reanalyses,
    relief_reanalysis_table,
    robustness_words,
)
from analysis.paper.multiverse import RATE_CHOICES


# Computed when a test first needs them, not at import: pytest-xdist imports every test module
# in every worker, but runs this module's tests in one.
@cache
def relief() -> dict:
    return {key: relief_reanalyses(key) for key in TIMEPOINTS}


@cache
def pain() -> list:
    return pain_reanalyses()


@cache
def followup():
    return rate_multiverse("followup")


@cache
def pain_specs():
    return pain_multiverse()


@cache
def multiverse() -> dict:
    return {key: rate_multiverse(key) for key in TIMEPOINTS}


@cache
def studies():
    return load_studies()


def test_relief_table_has_a_row_per_analysis_in_whole_percent() -> None:
    table = relief_reanalysis_table(relief())
    assert len(table) == sum(len(rows) for rows in relief().values())
    assert len(relief()["immediate"]) == len(RELIEF_REANALYSES)
    first = relief()["immediate"][0]
    assert table.iloc[0]["Pooled (95% CI)"].startswith(f"{100 * first.estimate:.0f}% (")
    assert table.iloc[0]["Time"] == TIMEPOINTS["immediate"].description
    with pytest.raises(InputError, match="key='later'"):
        relief_reanalysis_table({"later": relief()["immediate"]})


def test_a_share_outside_0_to_100_is_marked_impossible() -> None:
    """Issue 12, item 5: the paper's raw-scale prediction interval passes 100% (Table 1 data)."""
    paper = relief()["immediate"][0]
    assert paper.pi_high > 1
    table = relief_reanalysis_table(relief())
    assert table.iloc[0]["Prediction interval"].endswith(
        f"{100 * paper.pi_high:.0f}% (impossible)"
    )
    inside = table["Pooled (95% CI)"].iloc[2]
    assert "impossible" not in inside


def test_pain_table_has_no_time_column_and_one_decimal() -> None:
    table = pain_reanalysis_table(pain())
    assert "Time" not in table.columns
    assert len(pain()) == len(PAIN_REANALYSES)
    assert (
        table.iloc[-1]["Prediction interval"]
        == f"{pain()[-1].pi_low:.1f} to {pain()[-1].pi_high:.1f}"
    )


def test_in_percent_scales_the_estimate_and_limits_only() -> None:
    row = relief()["followup"][2]
    scaled = in_percent(row)
    assert (scaled.estimate, scaled.pi_high) == (100 * row.estimate, 100 * row.pi_high)
    assert (scaled.k, scaled.tau2, scaled.label) == (row.k, row.tau2, row.label)


def test_rate_multiverse_facts_follow_the_summary_and_choice_effects() -> None:
    facts = rate_multiverse_facts(followup())
    summary = multiverse_summary(followup())
    assert facts.min_pct == 100 * summary["estimate_min"] <= facts.paper_pct <= facts.max_pct
    effects = choice_effects(followup(), RATE_CHOICES)
    assert facts.top_spread == 100 * float(effects["spread"].max())
    with pytest.raises(InputError, match="inclusion option"):
        rate_multiverse_facts(followup()[followup()["inclusion"] != "all"])


def test_pain_multiverse_facts_are_shares_in_percent() -> None:
    facts = pain_multiverse_facts(pain_specs())
    share = multiverse_summary(pain_specs(), null=0.0)["share_excluding_null"]
    assert facts.share_excluding_pct == 100 * share
    assert 0 <= facts.hksj_share <= 100
    with pytest.raises(InputError, match="'interval'"):
        pain_multiverse_facts(pain_specs().drop(columns="interval"))


def test_curves_are_titled_for_their_outcome() -> None:
    assert TIMEPOINTS["followup"].description in str(rate_curve(followup(), "followup").to_dict())
    assert "standardized mean difference" in str(pain_curve(pain_specs()).to_dict())
    with pytest.raises(InputError, match="key='later'"):
        rate_curve(followup(), "later")


def test_robustness_words_follow_today_s_results() -> None:
    words = robustness_words(relief(), pain(), multiverse(), pain_specs(), studies(), "0.000001")
    assert words.paper_printed == "69% and 58%"
    assert words.zero_study == "the study in which nobody responded"
    two = studies().loc[studies()["n_enrolled"].notna(), "label"]
    assert words.two_n == " and ".join(two)
    assert pain()[-1].estimate > 0
    assert words.pain_moved == "fell"
    assert words.immediate_position == "near the top"
    assert words.followup_around == "around"
    assert words.holds.startswith("**Holds:** on average, a majority of patients")
    assert "mostly because it dropped the one study with no responders" in words.does_not_hold


def test_robustness_words_take_the_other_branches() -> None:
    no_zero = studies().assign(
        relief_immediate_pct=studies()["relief_immediate_pct"].replace(0, 5),
        n_enrolled=float("nan"),
    )
    rising = [
        *pain()[:-1],
        dataclasses.replace(pain()[-1], estimate=-1.0, pi_low=-3.0, pi_high=-0.5),
    ]
    lowered = multiverse() | {
        "followup": multiverse()["followup"].assign(
            estimate=multiverse()["followup"]["estimate"]
            - 0.3 * ~multiverse()["followup"]["is_paper"]
        )
    }
    specs = pain_specs().assign(estimate=-pain_specs()["estimate"], ci_low=0.1, ci_high=0.2)
    words = robustness_words(relief(), rising, lowered, specs, no_zero, "0.05")
    assert words.zero_study == "every study"
    assert words.two_n == "no study"
    assert words.pain_moved == "rose"
    assert words.pain_pi_words == "in a new setting, pain could rise"
    assert words.followup_around == "the highest being"
    assert "Pain scores fell on average in 0% of the analyses." in words.holds
    assert "holds in every analysis" in words.does_not_hold
    with pytest.raises(InputError, match="no re-analysis or multiverse of 'followup'"):
        robustness_words(
            {"immediate": relief()["immediate"]},
            pain(),
            multiverse(),
            pain_specs(),
            studies(),
            "1",
        )


def test_robustness_words_say_when_the_inclusion_choice_makes_no_difference() -> None:
    same = multiverse() | {
        "immediate": multiverse()["immediate"].assign(estimate=0.6, ci_low=0.5, ci_high=0.7)
    }
    words = robustness_words(relief(), pain(), same, pain_specs(), studies(), "0.05")
    assert words.top_tail == (
        "whether the study in which nobody responded is kept makes no difference to the median"
    )
