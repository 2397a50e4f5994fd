"""analysis.paper.moderators: Table 1's doses read as rates, the moderator fits, and by-year order.

Source: data/studies.csv (doses, infusion days, years as printed in Table 1) and hand-worked
conversions (to `SAME_ARITHMETIC`: the same division in another order). Tolerance: exact, or
`POOL_INVARIANT` where a fit is recomputed independently with
`meta_regression` / `cumulative` on the same studies (the same arithmetic in the same order, so
equal to the last bit in practice; the tolerance only allows for another order).
"""

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.metaanalysis import InputError
from analysis.metaanalysis.cumulative import cumulative
from analysis.metaanalysis.meta_regression import meta_regression
from analysis.paper import load_studies, paper_analyses
from analysis.paper.analyses import Analysis
from analysis.paper.moderators import (
    ANAESTHETIC_RATE,
    MODERATORS,
    REGRESSION_METHOD,
    REGRESSION_TEST,
    STANDARD_WEIGHT_KG,
    by_year,
    cumulative_facts,
    features_table,
    hourly_rate_per_kg,
    moderator_facts,
    moderator_fits,
    moderator_table,
    study_features,
)
from tests.tolerances import POOL_INVARIANT, SAME_ARITHMETIC

STUDIES = load_studies()
BIBLIOGRAPHY = Path("book/references.bib").read_text(encoding="utf-8")
FEATURES = study_features(STUDIES, BIBLIOGRAPHY)


def placebo_by_title() -> dict[str, float]:
    """Each study's design read here from the titles directly: 'placebo' in its own title or
    in the title of another report of its trial (Schilder 2013's title for the Leiden trial)."""
    entries = re.findall(r"@\w+\{([^,\s]+),(.*?)\n\}", BIBLIOGRAPHY, re.S)
    said = {key for key, body in entries if "placebo" in body.split("title", 1)[1].lower()[:300]}
    trial = STUDIES["trial_id"].fillna(STUDIES["study_id"])
    controlled = set(trial[STUDIES["study_id"].isin(said)])
    return {sid: float(t in controlled) for sid, t in zip(STUDIES["study_id"], trial, strict=True)}


ANALYSES = paper_analyses()


@pytest.mark.parametrize(
    ("printed", "rate"),
    [
        ("3–7 mg/kg/hr", 7.0),  # a range: its upper end
        ("0.35 mg/kg/hr", 0.35),
        ("0.08–0.26 mg/hr/kg", 0.26),  # per hour per kg, the other way round
        ("23.4±9.6 mg/hr", 23.4 / STANDARD_WEIGHT_KG),  # mean ± SD: the mean, per 70 kg
        ("22.2±2.0 mg/hr/70kg", 22.2 / 70),
        ("20±4 mg/hr/70 kg", 20 / 70),
        ("50–500 mg/d", 500 / 24 / STANDARD_WEIGHT_KG),  # per day: over 24 hours
        ("0.9±0.4 mg/kg", None),  # a total dose, not a rate
        ("0.25–0.3 mg/dl", None),  # a concentration
        ("", None),
        (float("nan"), None),
        ("about 5 mg/kg/hr", None),
    ],
)
def test_a_printed_dose_is_read_as_its_highest_hourly_rate(printed, rate) -> None:
    read = hourly_rate_per_kg(printed)
    assert read == (None if rate is None else SAME_ARITHMETIC.approx(rate))


def test_the_anaesthetic_studies_are_those_at_or_above_the_threshold() -> None:
    anaesthetic = FEATURES.index[FEATURES["anaesthetic"] == 1.0].tolist()
    assert anaesthetic == ["kiefer2008a", "kiefer2002"]
    assert (FEATURES.loc[anaesthetic, "rate"] >= ANAESTHETIC_RATE).all()
    assert (FEATURES.loc[FEATURES["anaesthetic"] == 0.0, "rate"] < ANAESTHETIC_RATE).all()
    # No hourly rate, no regimen: left out, not counted as sub-anaesthetic.
    assert FEATURES.loc[["patil2012", "koffler2007"], "anaesthetic"].isna().all()
    table = features_table(STUDIES, FEATURES).set_index("Study")
    assert table.at["Patil 2012", "Regimen"] == "– (no hourly rate)"
    assert table.at["Kiefer 2008a", "mg/kg/h"] == "7.00"


def test_features_need_their_columns() -> None:
    with pytest.raises(InputError, match=r"^study_features: .* no column 'year'$"):
        study_features(STUDIES.drop(columns="year"))


@pytest.mark.parametrize("key", list(ANALYSES))
def test_each_fit_is_the_meta_regression_of_the_studies_with_a_value(key: str) -> None:
    analysis = ANALYSES[key]
    fits = moderator_fits(analysis, FEATURES)
    assert [item.moderator for item in fits] == list(MODERATORS)
    for item in fits:
        # Built here from the studies table directly, not from the module's frame.
        values = {
            "anaesthetic": [
                math.nan if (r := hourly_rate_per_kg(d)) is None else float(r >= ANAESTHETIC_RATE)
                for d in STUDIES.set_index("study_id").loc[
                    list(analysis.study_ids), "dose_as_printed"
                ]
            ],
            "infusion_days": STUDIES.set_index("study_id").loc[
                list(analysis.study_ids), "duration_days"
            ],
            "year": STUDIES.set_index("study_id").loc[list(analysis.study_ids), "year"],
            "placebo": [placebo_by_title()[sid] for sid in analysis.study_ids],
        }[item.moderator]
        values = np.asarray(values, dtype=float)
        known = ~np.isnan(values)
        assert item.study_ids == tuple(np.asarray(analysis.study_ids)[known])
        if np.unique(values[known]).size < 2:
            # No placebo-controlled study reports relief at one to three months.
            assert (item.fit, item.reason) == (None, "the same value in every study")
            continue
        assert item.fit is not None, item.reason
        expected = meta_regression(
            np.asarray(analysis.yi)[known],
            np.asarray(analysis.vi)[known],
            {item.moderator: values[known]},
            method=REGRESSION_METHOD,
            test=REGRESSION_TEST,
        )
        for field in ("tau2", "qm", "qm_p", "i2", "r2"):
            assert POOL_INVARIANT.isclose(getattr(item.fit, field), getattr(expected, field)), (
                field
            )
        assert POOL_INVARIANT.isclose(item.slope, expected.coefficients.estimate[1])


def _analysis(study_ids: list[str]) -> Analysis:
    rows = STUDIES.set_index("study_id").loc[study_ids]
    k = len(study_ids)
    return Analysis(
        key="test",
        title="Test",
        figure="",
        measure="PR",
        study_ids=tuple(study_ids),
        labels=tuple(rows["label"]),
        yi=tuple(np.linspace(0.3, 0.8, k)),
        vi=tuple(np.linspace(0.01, 0.03, k)),
    )


def test_no_fit_without_four_studies_or_without_variation() -> None:
    few = moderator_fits(_analysis(["correll2004", "webster2006", "kiefer2008a"]), FEATURES)
    assert {item.reason for item in few} == {"fewer than four studies"}
    # Four studies, all sub-anaesthetic, all 4.5 days: those two moderators cannot be fitted.
    same = _analysis(["goebel2015", "schilder2013", "sigtermans2009", "koffler2007"])
    by_name = {item.moderator: item for item in moderator_fits(same, FEATURES)}
    assert by_name["infusion_days"].reason == "the same value in every study"
    assert by_name["anaesthetic"].reason == "fewer than four studies"  # Koffler has no rate
    assert by_name["year"].fit is not None
    facts = moderator_facts(same, tuple(by_name.values()), FEATURES)
    assert facts.regimen_means == "no regimen fit (fewer than four studies)"
    assert facts.anaesthetic_studies == "none"
    table = moderator_table({"test": tuple(by_name.values())}, {"test": "Test"})
    assert table.loc[table["Moderator"] == MODERATORS["infusion_days"], "p (F test)"].item() == "–"


def test_the_facts_name_the_clearest_moderator_only_below_005() -> None:
    followup = ANALYSES["relief_followup"]
    facts = moderator_facts(followup, moderator_fits(followup, FEATURES), FEATURES)
    assert facts.smallest_p < 0.05
    assert facts.finding.startswith("the anaesthetic-dose regimen accounts for ")
    pain = ANALYSES["pain_smd"]
    facts = moderator_facts(pain, moderator_fits(pain, FEATURES), FEATURES)
    assert facts.smallest_p >= 0.05
    assert facts.finding.startswith("no moderator reaches p < 0.05")
    assert facts.anaesthetic_studies == "Kiefer 2008a"


def test_by_year_is_the_cumulative_analysis_in_order_of_year() -> None:
    analysis = ANALYSES["relief_followup"]
    result = by_year(analysis, FEATURES, "REML")
    years = STUDIES.set_index("study_id").loc[list(analysis.study_ids), "year"]
    assert [years.iloc[i] for i in result.order] == sorted(years)
    expected = cumulative(analysis.yi, analysis.vi, years.to_numpy(dtype=float), "REML")
    np.testing.assert_array_equal(result.field("estimate"), expected.field("estimate"))
    facts = cumulative_facts(result)
    assert facts.low == result.field("estimate").min() and facts.high_pct == 100 * facts.high


def test_by_year_names_a_study_without_a_year() -> None:
    features = FEATURES.copy()
    features.loc["goebel2015", "year"] = np.nan
    with pytest.raises(InputError, match=r"^by_year: no year for 'goebel2015'$"):
        by_year(ANALYSES["relief_followup"], features)


def test_a_study_without_features_is_named() -> None:
    with pytest.raises(InputError, match=r"^moderator_fits: no study features for 'correll2004'$"):
        moderator_fits(ANALYSES["relief_followup"], FEATURES.drop(index="correll2004"))


def test_the_table_writes_every_fit() -> None:
    fits = {key: moderator_fits(a, FEATURES) for key, a in ANALYSES.items()}
    table = moderator_table(fits, {key: a.title for key, a in ANALYSES.items()})
    assert len(table) == len(ANALYSES) * len(MODERATORS)
    assert isinstance(table, pd.DataFrame)
    assert not table.isna().any().any()


def test_the_regimen_means_are_the_fit_at_each_regimen_and_name_an_impossible_limit() -> None:
    for key in ("relief_immediate", "relief_followup"):
        analysis = ANALYSES[key]
        fits = moderator_fits(analysis, FEATURES)
        (regimen,) = (item for item in fits if item.moderator == "anaesthetic")
        # The fitted means at 0 and 1 are the intercept and intercept + slope.
        b0, b1 = regimen.fit.coefficients.estimate
        means = moderator_facts(analysis, fits, FEATURES).regimen_means
        assert means.startswith(f"sub-anaesthetic regimens {100 * b0:.0f}% (95% CI ")
        assert f"anaesthetic-dose regimens {100 * (b0 + b1):.0f}% (95% CI " in means
        _, low, high = regimen.fit.predict({"anaesthetic": [0.0, 1.0]})
        outside = low.min() < 0 or high.max() > 1
        assert ("(impossible)" in means) == outside
        assert ("which only says how imprecise" in means) == outside


def test_the_regimen_chart_is_the_bubble_plot_or_says_why_there_is_none() -> None:
    from analysis.paper import regimen_chart

    followup = ANALYSES["relief_followup"]
    spec = regimen_chart(moderator_fits(followup, FEATURES), title="T", y_title="y").to_dict()
    assert spec["usermeta"] == {"chart": "bubble", "points": 6}
    few = moderator_fits(_analysis(["correll2004", "webster2006", "kiefer2008a"]), FEATURES)
    spec = regimen_chart(few, title="T", y_title="y").to_dict()
    (row,) = next(iter(spec["datasets"].values()))
    assert row["text"] == "No meta-regression on the regimen: fewer than four studies."
