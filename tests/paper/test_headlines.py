"""The Introduction's numbers per claim (analysis.paper.headlines).

Sources: the paper's printed values in data/published_pooled.csv, data/published_rates.csv and
data/published_bias.csv; our values from the functions the other chapters use. Every headline
must carry those values unchanged (exact), in percent where the prose prints percent.
"""

import pytest

from analysis.charts import percent_with_ci
from analysis.metaanalysis import InputError, egger, pool
from analysis.paper import (
    attempts_frame,
    check_flow,
    denominator_readings,
    descriptives_headline,
    fig2_attempts,
    hepatotoxicity_headline,
    load_table,
    pain_analysis,
    pain_headline,
    primary_fit,
    published_pooled,
    relief_headline,
    reproduce_descriptives,
)
from analysis.paper.headlines import _bias_sentence, _p_words
from analysis.paper.multiverse import EndorsedSpread
from tests.tolerances import CLOSED_FORM_IDENTITY

SPREAD = EndorsedSpread(12, 48, 0.55, 0.4, 0.7, 0.75, 0.6, 0.85)


@pytest.mark.parametrize("timepoint", ["immediate", "followup"])
def test_relief_headline_prints_the_paper_and_carries_the_model_in_percent(timepoint) -> None:
    """Fig. 4a/4b 'Overall' rows (published_pooled.csv); both are reproduced only with Table 1's
    percentages rounded as Fig. 4 prints them (unrounded, Fig. 4a's I² is 81.4, not 82.3)."""
    headline = relief_headline(timepoint, SPREAD)
    analysis_id = {"immediate": "relief_immediate", "followup": "relief_followup"}[timepoint]
    printed = published_pooled(analysis_id)
    assert headline.printed == percent_with_ci(
        printed["estimate"], printed["ci_low"], printed["ci_high"]
    )
    assert headline.reproduced == (
        "Reproduced from Table 1 with the percentages as proportions rounded to two decimals, "
        "as Fig. 4 prints them"
    )
    assert (headline.spread_n, headline.spread_all) == (12, 48)
    assert headline.spread_low == "55% (95% CI 40% to 70%)"
    assert headline.spread_high == "75% (95% CI 60% to 85%)"


def test_relief_headline_refuses_an_unknown_timepoint() -> None:
    with pytest.raises(InputError, match="timepoint='later'"):
        relief_headline("later", SPREAD)


def test_pain_headline_carries_the_reanalysis_the_bound_and_egger() -> None:
    """Fig. 2 (I², p bound) and Fig. 3 (Egger's threshold) as printed; Egger's p exact."""
    headline = pain_headline()
    claim = published_pooled("pain_smd")
    assert primary_fit("pain").ci_low > 0
    assert headline.fell == "Pain did fall on average, by a few points on a 0–10 scale."
    assert float(headline.p_claim) == claim["p_effect_below"]
    assert headline.i2_printed == claim["i2_pct"]
    analysis = pain_analysis()
    assert headline.egger_p == egger(analysis.yi, analysis.vi).p_value
    threshold = load_table("published_bias").set_index("analysis_id").at["pain_smd", "p_threshold"]
    assert float(headline.bias_threshold) == threshold
    gaps = (attempts_frame(fig2_attempts())["i2"] - claim["i2_pct"]).abs()
    assert abs(headline.i2_closest - claim["i2_pct"]) == CLOSED_FORM_IDENTITY.approx(gaps.min())


def test_hepatotoxicity_headline_gives_the_paper_s_counts_and_the_liver_reading() -> None:
    """Discussion: 5 of 258 patients, 1.9% (published_rates.csv), counted exactly."""
    headline = hepatotoxicity_headline()
    printed = load_table("published_rates").set_index("analysis_id").loc["hepatotoxicity"]
    assert (headline.paper_events, headline.paper_patients) == (
        printed["events"],
        printed["patients"],
    )
    assert headline.printed == f"{printed['rate_pct']:g}%"
    liver = denominator_readings().set_index("reading").loc["liver_enzymes"]
    assert headline.liver_enzymes_patients == liver["patients"]
    assert headline.liver_enzymes == percent_with_ci(
        liver["rate"], liver["exact_low"], liver["exact_high"], decimals=1
    )


def test_descriptives_headline_counts_the_reproduced_statuses() -> None:
    claims = reproduce_descriptives().claims
    headline = descriptives_headline()
    assert headline.total == len(claims)
    assert headline.reproduced == sum(c.status.startswith("reproduced") for c in claims)
    assert 0 < headline.reproduced < headline.total


def test_pain_headline_words_follow_today_s_results() -> None:
    headline = pain_headline()
    assert headline.i2_verdict == "is not reproduced exactly"
    assert headline.p_words.startswith("is below the printed bound under none of the models")
    assert headline.bias_sentence == (
        "is reproduced, but the asymmetry is built into the way the SMDs were computed and "
        "disappears in points; the relief rates show none."
    )
    assert headline.fell.startswith("Pain did fall on average")
    assert headline.bias_artefact.startswith("The evidence of publication bias is an artefact")
    assert headline.audit_clause.startswith("can be approached but not reproduced exactly")
    assert hepatotoxicity_headline().uncertain.endswith("did not report on the liver at all")


def test_p_words_name_the_models_under_which_the_bound_holds() -> None:
    analysis = pain_analysis()
    assert _p_words(analysis, 1.0) == "holds under every model we tried"
    p_dl = pool(analysis.yi, analysis.vi, "DL").p_value
    assert _p_words(analysis, p_dl * 1.01) == "holds only under the least conservative model"
    p_pm = pool(analysis.yi, analysis.vi, "PM").p_value
    assert _p_words(analysis, p_pm * 1.01) == "holds under some models and not others"


def test_bias_sentence_takes_each_branch() -> None:
    assert _bias_sentence(0.01, (0.5, 0.5), [0.5], 0.05).startswith("is reproduced, but")
    assert _bias_sentence(0.01, (0.01, 0.5), [0.5], 0.05).startswith(
        "is reproduced, and the asymmetry remains in points"
    )
    assert _bias_sentence(0.5, (0.5, 0.5), [0.01], 0.05) == (
        "is not below the paper's threshold; a test on the relief rates falls below the "
        "threshold too."
    )


def test_descriptives_headline_names_the_failing_sum_of_fig1() -> None:
    failing = check_flow().failing
    assert [check.rule for check in failing] == ["reasons add up"]
    assert (
        descriptives_headline().flow_clause
        == "the flow chart's reasons do not add up to its count"
    )
