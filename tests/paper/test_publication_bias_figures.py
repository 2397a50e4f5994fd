"""The publication-bias chapter's funnels, table and prose numbers (paper.publication_bias).

No reference values: the bias tests are checked against metafor in tests/library; here each
number must be the result's own field (exact) or follow from it by the documented rule, and
each chart must draw the studies it is given.
"""

import pandas as pd
import pytest

from analysis.metaanalysis import InputError, begg, egger, pool, trim_and_fill
from analysis.paper import (
    PAIRED_R,
    TIMEPOINTS,
    bias_test_facts,
    bias_tests_table,
    left_out_facts,
    load_table,
    own_test_facts,
    pain_analysis,
    pain_bias_words,
    pain_contour_funnel,
    pain_funnel,
    pain_funnel_facts,
    pain_inputs,
    paired_effects,
    rate_inputs,
    relief_bias_facts,
    relief_bias_words,
    relief_contour_funnel,
    relief_funnel,
    relief_trim_fill_funnel,
    trim_fill_facts,
)
from analysis.paper.publication_bias import NUMBER_WORDS

ANALYSED = {key: rate_inputs(key).query("vi > 0").reset_index(drop=True) for key in TIMEPOINTS}
TRIMS = {key: trim_and_fill(f["yi"], f["vi"], estimator="L0") for key, f in ANALYSED.items()}
POOLED = {key: pool(f["yi"], f["vi"], "DL") for key, f in ANALYSED.items()}
AXES = load_table("published_fig3_axes").set_index("axis")
PAIN = pain_analysis()
PAIN_FRAME = pd.DataFrame({"label": PAIN.labels, "yi": PAIN.yi, "vi": PAIN.vi})


def _plotted_labels(chart) -> set[str]:
    spec = chart.to_dict()
    labels = set()
    for dataset in spec.get("datasets", {}).values():
        labels |= {row["label"] for row in dataset if "label" in row}
    return labels


def test_relief_funnels_draw_every_study_analysed() -> None:
    frame, point = ANALYSED["followup"], TIMEPOINTS["followup"]
    centre = pool(frame["yi"], frame["vi"], "FE").estimate
    funnel = relief_funnel(frame, point, common=centre, random=0.5, limits=0.95)
    contour = relief_contour_funnel(frame, point, common=centre, contours=(0.1, 0.05))
    for chart in (funnel, contour):
        assert set(frame["label"]) <= _plotted_labels(chart)
    assert point.description in funnel.to_dict()["title"]["text"]


def test_trim_and_fill_funnel_draws_the_imputed_studies() -> None:
    frame, trim = ANALYSED["followup"], TRIMS["followup"]
    chart = relief_trim_fill_funnel(frame, TIMEPOINTS["followup"], trim, POOLED["followup"])
    imputed = {label for label in _plotted_labels(chart) if label.startswith("Imputed")}
    assert len(imputed) == trim.k0


def test_trim_fill_facts_are_the_results_own_numbers() -> None:
    frame, trim = ANALYSED["followup"], TRIMS["followup"]
    facts = trim_fill_facts(frame, trim, POOLED["followup"])
    assert (facts.k0, facts.side) == (trim.k0, trim.side)
    assert facts.mirrored == (" and ".join(frame.loc[list(trim.mirrored), "label"]) or "none")
    # At follow-up trim and fill imputes studies (the chapter's finding), so a frame that
    # lacks the mirrored rows is refused.
    assert trim.k0 > 0
    with pytest.raises(InputError, match="frame has 0 rows"):
        trim_fill_facts(frame.head(0), trim, POOLED["followup"])


def test_own_tests_count_the_studies_below_the_smallest_contour() -> None:
    frame = pd.DataFrame({"label": ["A", "B", "C"], "yi": [0.5, 0.01, 0.2], "vi": [0.001] * 3})
    facts = own_test_facts(frame, (0.1, 0.05, 0.01))
    assert facts.highly_significant == 2
    assert facts.not_significant == "B"
    assert own_test_facts(frame.iloc[[0]], (0.01,)).not_significant == "none"
    with pytest.raises(InputError, match="contours"):
        own_test_facts(frame, ())


def test_bias_tests_table_has_a_row_per_time_point_with_the_papers_report() -> None:
    eggers = {key: egger(f["yi"], f["vi"]) for key, f in ANALYSED.items()}
    beggs = {key: begg(f["yi"], f["vi"]) for key, f in ANALYSED.items()}
    reported = load_table("published_bias").set_index("analysis_id")["reported"]
    table = bias_tests_table(eggers, beggs, beggs, TRIMS, reported)
    assert list(table["Studies"]) == [len(f) for f in ANALYSED.values()]
    assert table.at[0, "Egger p"] == f"{eggers['immediate'].p_value:.3f}"
    assert table.at[1, "Paper"] == reported["relief_followup"]
    with pytest.raises(InputError, match="key='later'"):
        bias_tests_table({"later": eggers["immediate"]}, beggs, beggs, TRIMS, reported)


def test_pain_funnel_facts_place_every_study_on_fig3s_axes() -> None:
    facts = pain_funnel_facts(PAIN, AXES)
    assert facts.k == PAIN.k
    # The chapter's finding: every study of Fig. 2 falls within the axes Fig. 3 printed.
    assert facts.inside == PAIN.k
    assert facts.se_max == max(v**0.5 for v in PAIN.vi)
    with pytest.raises(InputError, match="rows 'x' and 'y'"):
        pain_funnel_facts(PAIN, AXES.drop(index="y"))
    assert pain_funnel_facts(PAIN, AXES).k_words == "ten" == NUMBER_WORDS[PAIN.k]


def test_pain_funnels_draw_every_study() -> None:
    funnel = pain_funnel(PAIN_FRAME, common=1.0, random=1.5, limits=0.95, axes=AXES)
    contour = pain_contour_funnel(PAIN_FRAME, common=1.0, contours=(0.05,))
    for chart in (funnel, contour):
        assert set(PAIN.labels) <= _plotted_labels(chart)


def test_bias_test_facts_compare_with_the_threshold() -> None:
    e, b = egger(PAIN.yi, PAIN.vi), begg(PAIN.yi, PAIN.vi)
    trim = trim_and_fill(PAIN.yi, PAIN.vi)
    facts = bias_test_facts(e, b, b, trim, 0.05)
    assert facts.egger_verdict == ("below" if e.p_value < 0.05 else "not below")
    assert bias_test_facts(e, b, b, trim, e.p_value).egger_verdict == "not below"
    with pytest.raises(InputError, match="threshold=5"):
        bias_test_facts(e, b, b, trim, 5)


# The words the chapter chooses: today's data, then inputs that make the other branches true.

EGGERS = {key: egger(f["yi"], f["vi"]) for key, f in ANALYSED.items()}
BEGGS = {key: begg(f["yi"], f["vi"]) for key, f in ANALYSED.items()}
SIZE_ONLY = {
    key: egger(f["yi"], POOLED[key].estimate * (1 - POOLED[key].estimate) / f["n"])
    for key, f in ANALYSED.items()
}
HIGHLY = {
    key: own_test_facts(f, (0.1, 0.05, 0.01)).highly_significant for key, f in ANALYSED.items()
}


def test_left_out_facts_name_the_studies_without_variance() -> None:
    immediate = rate_inputs("immediate")
    out = immediate.loc[immediate["vi"] == 0, "label"]
    assert (
        left_out_facts(immediate).phrase
        == f" (left out: {out.iloc[0]}, in which no patient responded)"
    )
    assert left_out_facts(immediate[immediate["vi"] > 0]).phrase == ""
    every = pd.DataFrame({"label": ["A"], "yi": [1.0], "vi": [0.0]})
    assert left_out_facts(every).phrase == " (left out: A, in which every patient responded)"


def _words(**changes):
    args = dict(
        analysed=ANALYSED,
        eggers=EGGERS,
        trims=TRIMS,
        pooled=POOLED,
        size_only=SIZE_ONLY,
        highly_significant=HIGHLY,
        outside={"immediate": "A", "followup": "none"},
        min_studies=10,
    )
    return relief_bias_words(**(args | changes))


def test_relief_bias_words_follow_today_s_results() -> None:
    words = _words()
    assert words.egger_sign.startswith("Both Egger intercepts are negative")
    assert all(e.intercept < 0 for e in EGGERS.values())
    assert words.too_few == "fewer than"
    assert words.outside.startswith("The studies scatter well beyond the pseudo-limits")
    filled = [key for key, t in TRIMS.items() if t.k0 > 0]
    assert words.trim_fill.count("{numref}") == len(TIMEPOINTS)
    assert ("raise" in words.trim_fill_short) == all(TRIMS[k].side == "right" for k in filled)


def test_relief_bias_words_take_the_other_branches() -> None:
    flipped = {key: f.assign(yi=1 - f["yi"]) for key, f in ANALYSED.items()}
    eggers = {key: egger(f["yi"], f["vi"]) for key, f in flipped.items()}
    trims = {key: trim_and_fill(f["yi"], f["vi"], estimator="L0") for key, f in flipped.items()}
    words = _words(
        analysed=flipped,
        eggers=eggers,
        trims=trims,
        outside={"immediate": "none", "followup": "none"},
        highly_significant=dict.fromkeys(TIMEPOINTS, 0),
        min_studies=2,
    )
    assert words.egger_sign.startswith("Both Egger intercepts are positive")
    assert words.outside.startswith("Every study lies within the pseudo-limits")
    assert words.contour_lead == "not every study rejects it overwhelmingly"
    assert words.too_few == "at least"
    assert words.precise_lead.startswith("The most precise study of each plot is not always")
    none_filled = {
        key: trim_and_fill(f["yi"], f["vi"], side="left") for key, f in ANALYSED.items()
    }
    mixed = {"immediate": EGGERS["immediate"], "followup": eggers["followup"]}
    words = _words(eggers=mixed, trims=none_filled)
    assert words.egger_sign.startswith("The Egger intercepts have opposite signs")
    with pytest.raises(InputError, match="trims has no time point"):
        _words(trims={})


def test_relief_bias_facts_write_the_overview() -> None:
    facts = relief_bias_facts(EGGERS, BEGGS, BEGGS, 0.05)
    assert facts.smallest_p >= 0.1
    assert facts.overview.startswith("neither test comes near significance")
    near = relief_bias_facts(EGGERS, BEGGS, BEGGS, facts.smallest_p / 1.5)
    assert near.overview.startswith("neither test reaches significance, though one comes near")
    assert relief_bias_facts(EGGERS, BEGGS, BEGGS, 0.99).overview.startswith("a test falls below")


THRESHOLD = float(
    load_table("published_bias").set_index("analysis_id").at["pain_smd", "p_threshold"]
)


def test_pain_bias_words_follow_the_two_scales() -> None:
    smd = egger(PAIN.yi, PAIN.vi)
    paired = paired_effects(pain_inputs("all"), PAIRED_R, "MC")
    points, points_begg = egger(paired.yi, paired.vi), begg(paired.yi, paired.vi)
    own = own_test_facts(PAIN_FRAME, (0.1, 0.05, 0.01)).highly_significant
    words = pain_bias_words(smd, points, points_begg, own, PAIN.k, THRESHOLD)
    assert words.points_verdict.startswith("the asymmetry disappears")
    assert words.as_paper == "as the paper says" and words.contours == "most studies"
    assert words.short.startswith("for the pain scores we reproduce the paper's significant")
    # The SMDs' own test on the points' place: the asymmetry remains.
    words = pain_bias_words(smd, smd, begg(PAIN.yi, PAIN.vi), 0, PAIN.k, 0.999)
    assert words.points_verdict.startswith("the asymmetry remains")
    assert words.contours == "fewer than half the studies"
    words = pain_bias_words(smd, smd, begg(PAIN.yi, PAIN.vi), 0, PAIN.k, 1e-12)
    assert words.as_paper == "unlike the paper"
    assert words.points_verdict.startswith("neither scale shows asymmetry")
    with pytest.raises(InputError, match="threshold=2"):
        pain_bias_words(smd, smd, begg(PAIN.yi, PAIN.vi), 0, PAIN.k, 2)
