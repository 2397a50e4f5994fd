"""The SD-or-SE screen (analysis.paper.sd_screen): which SDs it flags, and the re-reading.

Source of the expected values: Table 1 as stored in data/studies.csv, and the screen's stated
rule (an SD below 5% of the scale's range in a study of at least 10 patients). Exact
comparisons except where a result is pooled twice (`SAME_ARITHMETIC`).
"""

import math

import pandas as pd
import pytest

from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import pool
from analysis.paper import primary_answer
from analysis.paper.data import load_studies
from analysis.paper.pain_scores import pain_inputs, paired_effects
from analysis.paper.sd_screen import (
    MOVES,
    SD_FLOOR,
    SD_SCREEN_MIN_N,
    SE_LIKE_FACTOR,
    flagged_sds_as_se,
    flagged_studies,
    sd_reading_comparison,
    sd_reading_facts,
    sd_screen,
    sd_screen_table,
)
from tests.tolerances import SAME_ARITHMETIC


def table(rows: list[tuple]) -> pd.DataFrame:
    """A studies table of (study_id, n, baseline mean, baseline SD, end mean, end SD)."""
    return pd.DataFrame(
        [
            {
                "study_id": sid, "label": sid, "table1_row": i, "n_analysed": n,
                "pain_baseline_mean": m1, "pain_baseline_sd": sd1, "pain_end_mean": m2,
                "pain_end_sd": sd2,
            }
            for i, (sid, n, m1, sd1, m2, sd2) in enumerate(rows, 1)
        ]
    )  # fmt: skip


def test_table_1_s_flagged_sds_are_the_ones_below_half_a_point() -> None:
    screen = sd_screen()
    flagged = screen.loc[screen["flagged"], ["study_id", "measurement"]].values.tolist()
    assert flagged == [
        ["kiefer2008a", "baseline"],
        ["sigtermans2010", "baseline"],
        ["sigtermans2010", "end"],
        ["dahan2011", "baseline"],
        ["dahan2011", "end"],
    ]
    assert flagged_studies() == ("kiefer2008a", "sigtermans2010", "dahan2011")


def test_the_rule_s_edges() -> None:
    floor = SD_FLOOR * 10
    rows = [
        ("at_floor", SD_SCREEN_MIN_N, 7.0, floor, 4.0, 2.0),
        ("below_floor", SD_SCREEN_MIN_N, 7.0, floor - 0.01, 4.0, 2.0),
        ("too_few", SD_SCREEN_MIN_N - 1, 7.0, 0.1, 4.0, 2.0),
        ("hundred_scale", 20, 70.0, 12.0, 40.0, SD_FLOOR * 100 - 0.1),
        ("hundred_scale_ok", 20, 70.0, 12.0, 40.0, 1.0 * SD_FLOOR * 100),
    ]
    screen = sd_screen(table(rows)).set_index(["study_id", "measurement"])
    assert not screen.loc[("at_floor", "baseline"), "flagged"]
    assert screen.loc[("below_floor", "baseline"), "flagged"]
    assert not screen.loc[("too_few", "baseline"), "flagged"]
    assert screen.loc[("hundred_scale", "end"), "flagged"]
    assert not screen.loc[("hundred_scale_ok", "end"), "flagged"]
    assert screen["flagged"].sum() == 2


def test_an_sd_like_the_se_of_another_report_of_the_trial_is_flagged() -> None:
    """Issue 12, item 3: Dahan 2011 prints 7.29 ± 0.16 and Sigtermans 2009, the same trial
    (trial_id), 7.2 ± 1.2, for 30 patients: 1.2 / 0.16 = 7.5, near √30 = 5.5 (within
    `SE_LIKE_FACTOR`). Seen failing with the ratio taken the other way round (0.16 / 1.2)."""
    screen = sd_screen().set_index(["study_id", "measurement"])
    assert screen.at[("dahan2011", "baseline"), "se_of"] == "Sigtermans 2009"
    assert screen.at[("sigtermans2009", "baseline"), "se_of"] == ""
    # Not below the floor (0.6 on 0-10), 16 patients: flagged only by its sibling's SD.
    root = 4.0
    rows = [
        ("report_a", 16, 7.0, 0.6, 4.0, 2.0),
        ("report_b", 16, 7.0, 0.6 * root * SE_LIKE_FACTOR * 0.99, 4.0, 2.0 * root * 1.6),
        ("other_trial", 16, 7.0, 0.6 * root, 4.0, 2.0),
    ]
    studies = table(rows).assign(
        trial_id=["t", "t", None], year=2000, may_share_patients_with=None
    )
    screen = sd_screen(studies).set_index(["study_id", "measurement"])
    assert screen.at[("report_a", "baseline"), "se_of"] == "report_b"
    assert screen.at[("report_a", "baseline"), "flagged"]
    assert not screen.at[("report_a", "baseline"), "below_floor"]
    assert screen.at[("report_a", "end"), "se_of"] == ""  # 2.0 · 4 · 1.6: beyond the factor
    assert not screen.loc[[("report_b", "baseline"), ("other_trial", "baseline")], "flagged"].any()
    assert "about the SE of report_b's SD" in sd_screen_table(studies)["Why flagged"].iloc[0]


def test_reading_as_se_multiplies_by_root_n_and_leaves_the_rest() -> None:
    studies = load_studies()
    before = studies.copy()
    read = flagged_sds_as_se(studies)
    pd.testing.assert_frame_equal(studies, before)  # the table given is not modified
    flagged = sd_screen().set_index(["study_id", "measurement"])["flagged"]
    for (sid, measurement), is_flagged in flagged.items():
        column = f"pain_{measurement}_sd"
        old = before.loc[before["study_id"] == sid, column].item()
        new = read.loc[read["study_id"] == sid, column].item()
        n = before.loc[before["study_id"] == sid, "n_analysed"].item()
        assert new == (old * math.sqrt(n) if is_flagged else old), (sid, measurement)
    others = [c for c in before.columns if not c.endswith("_sd")]
    pd.testing.assert_frame_equal(read[others], before[others])


@pytest.mark.parametrize("measure", ["MC", "SMCC"])
def test_the_comparison_pools_each_reading(measure: str) -> None:
    comparison = sd_reading_comparison("REML", "hksj", 0.5).set_index(["reading", "measure"])
    for reading, studies in (
        ("as printed", load_studies()),
        ("flagged SDs as SEs", flagged_sds_as_se()),
    ):
        frame = pain_inputs("all", studies, trials="one_per_trial")
        effects = paired_effects(frame, 0.5, measure)
        expected = pool(effects.yi, effects.vi, "REML", ci="hksj")
        row = comparison.loc[(reading, measure)]
        for field in ("estimate", "ci_low", "ci_high", "tau2", "i2", "pi_low", "pi_high"):
            assert row[field] == SAME_ARITHMETIC.approx(getattr(expected, field)), field
    printed, as_se = (
        comparison.loc[("as printed", measure)],
        comparison.loc[("flagged SDs as SEs", measure)],
    )
    assert printed["k"] == as_se["k"] == primary_answer("pain").k
    assert printed["estimate"] != as_se["estimate"]
    if measure == "MC":
        assert printed["estimate"] == primary_answer("pain").estimate


def test_the_facts_word_what_the_re_reading_does() -> None:
    facts = sd_reading_facts(sd_reading_comparison("REML", "hksj", 0.5))
    assert facts.flagged_count == 5
    assert facts.flagged_studies == "Kiefer 2008a, Sigtermans 2010 and Dahan 2011"
    assert (facts.floor_pct, facts.floor_points, facts.min_n, facts.r) == (5.0, 0.5, 10, 0.5)
    assert facts.smcc_move in MOVES and facts.mc_move in MOVES
    comparison = sd_reading_comparison("REML", "hksj", 0.5).set_index(["reading", "measure"])
    smcc = comparison.xs("SMCC", level="measure")["estimate"].round(1)
    expected = (
        MOVES[2] if smcc["as printed"] == smcc["flagged SDs as SEs"]
        else MOVES[0] if smcc["flagged SDs as SEs"] < smcc["as printed"] else MOVES[1]
    )  # fmt: skip
    assert facts.smcc_move == expected


def test_with_nothing_flagged_the_readings_are_the_same() -> None:
    rows = [("a", 20, 7.0, 1.5, 4.0, 2.0), ("b", 12, 6.0, 2.0, 3.0, 1.8),
            ("c", 15, 8.0, 1.2, 5.0, 2.2)]  # fmt: skip
    studies = table(rows)
    comparison = sd_reading_comparison("DL", "z", 0.5, studies, trials="every_report")
    facts = sd_reading_facts(comparison, studies)
    assert (facts.flagged_count, facts.flagged_studies) == (0, "none")
    assert facts.smcc_printed == facts.smcc_as_se and facts.mc_printed == facts.mc_as_se
    assert facts.smcc_move == facts.mc_move == MOVES[2]


def test_a_comparison_without_a_reading_is_named() -> None:
    comparison = sd_reading_comparison()
    with pytest.raises(InputError, match=r"no row for \('flagged SDs as SEs', 'SMCC'\)"):
        sd_reading_facts(comparison[comparison["reading"] == "as printed"])
