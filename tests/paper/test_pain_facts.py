"""The Pooling chapter's pain-score numbers and tables (analysis.paper.pain_facts).

Sources: Fig. 2's printed I² and p bound (data/published_pooled.csv), Table 1's pain scores
(data/studies.csv). Each fact must be the value of the frame it is read from (exact); the
closest reading of Fig. 2 must be the one with the smallest distance to the printed I².
"""

import pandas as pd
import pytest

from analysis.metaanalysis import InputError, pool
from analysis.paper import (
    STANDARDIZERS,
    attempts_frame,
    closest_attempt,
    fig2_attempts,
    fig2_attempts_table,
    fig2_facts,
    load_studies,
    pain_data_facts,
    pain_data_table,
    pain_inputs,
    paired_facts,
    paired_sensitivity,
    paired_smds,
    published_pooled,
    two_group_smd,
)

PAIN = pain_inputs("all")
FIG2_IDS = set(pain_inputs("fig2")["study_id"])
ATTEMPTS = attempts_frame(fig2_attempts())
PAIRED = paired_sensitivity("all", "DL")


def test_pain_data_facts_count_the_studies_and_the_scales() -> None:
    facts = pain_data_facts(load_studies(), PAIN, FIG2_IDS)
    assert facts.studies == len(PAIN) > facts.fig2_studies == len(FIG2_IDS)
    assert facts.not_in_fig2.count(",") + 1 == facts.studies - facts.fig2_studies
    assert facts.scale_100_n == (PAIN["scale_max"] == 100).sum()
    assert facts.i2_printed == published_pooled("pain_smd")["i2_pct"]
    assert facts.correll_scores == "reports no pain scores in Table 1"  # Correll 2004


def test_pain_data_facts_give_the_scale_of_a_cited_study_with_scores() -> None:
    """Were the study cited for the 100-mm scale to report scores, the sentence says which
    scale they fit instead of that there are none."""
    studies = load_studies()
    cited = studies.loc[studies["study_id"] == "correll2004"].iloc[0]
    first = PAIN.iloc[[0]].assign(study_id=cited["study_id"], label=cited["label"])
    facts = pain_data_facts(studies, pd.concat([first, PAIN]), FIG2_IDS)
    scale = int(first["scale_max"].iloc[0])
    assert facts.correll_scores == f"reports pain scores in Table 1 that fit a 0–{scale} scale"


def test_pain_data_table_writes_mean_and_sd_and_marks_fig2() -> None:
    table = pain_data_table(PAIN, FIG2_IDS)
    first = PAIN.iloc[0]
    assert table["Baseline"].iloc[0] == (
        f"{first['pain_baseline_mean']:g} ± {first['pain_baseline_sd']:g}"
    )
    assert (table["In Fig. 2"] == "yes").sum() == len(FIG2_IDS)


def test_closest_attempt_is_the_smallest_distance() -> None:
    printed = published_pooled("pain_smd")["i2_pct"]
    closest = closest_attempt(ATTEMPTS, printed)
    assert abs(closest["i2"] - printed) == (ATTEMPTS["i2"] - printed).abs().min()
    with pytest.raises(InputError, match="closest_attempt: attempts has no column 'i2'"):
        closest_attempt(ATTEMPTS.drop(columns="i2"), printed)


def test_fig2_facts_span_the_readings() -> None:
    effects = two_group_smd(pain_inputs("fig2"), "cohen")
    cohen = pool(effects.yi, effects.vi, "DL")
    facts = fig2_facts(ATTEMPTS, cohen)
    assert facts.i2_range == (ATTEMPTS["i2"].min(), ATTEMPTS["i2"].max())
    assert facts.i2_range[0] <= facts.closest_i2 <= facts.i2_range[1]
    assert facts.cohen_i2 == cohen.i2
    assert len(fig2_attempts_table(ATTEMPTS)) == len(ATTEMPTS)


def test_paired_facts_span_each_measure_and_refuse_a_missing_measure() -> None:
    effects = two_group_smd(PAIN, "cohen")
    two_groups = pool(effects.yi, effects.vi, "DL")
    facts = paired_facts(PAIRED, two_groups, PAIN)
    mc = PAIRED[PAIRED["measure"] == "MC"]
    assert facts.mc == (mc["estimate"].min(), mc["estimate"].max())
    assert facts.r == (PAIRED["r"].min(), PAIRED["r"].max())
    assert facts.two_groups == two_groups.estimate
    with pytest.raises(InputError, match="paired_facts: paired has no rows of measure 'MC'"):
        paired_facts(PAIRED[PAIRED["measure"] != "MC"], two_groups, PAIN)


def test_paired_smds_leave_out_points_and_name_the_standardizer() -> None:
    smds = paired_smds(PAIRED)
    assert set(smds["measure"]) == set(STANDARDIZERS)
    assert set(smds["standardizer"]) == set(STANDARDIZERS.values())
    with pytest.raises(InputError, match="paired_smds: paired has no column 'measure'"):
        paired_smds(pd.DataFrame({"r": [0.5]}))
