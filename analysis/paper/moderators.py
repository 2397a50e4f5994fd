"""Why the studies disagree: study features of Table 1 as moderators of the pooled analyses.

Table 1 prints, for each study, its dose, how many days the infusion lasted and the year. This
module turns them into moderators (the dose as the highest hourly rate per kilogram, and whether
that rate is anaesthetic), fits a random-effects meta-regression on each, one at a time (with
eight studies or fewer, two moderators at once would leave almost no degrees of freedom), and
orders the studies by year for a cumulative meta-analysis.
"""

import math
import re
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts.formatting import joined_words, percent_with_ci
from analysis.charts.regression_plots import bubble_plot
from analysis.metaanalysis.cumulative import Cumulative, cumulative
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.meta_regression import MetaRegression, meta_regression
from analysis.metaanalysis.results import TidyResult
from analysis.paper.analyses import Analysis
from analysis.paper.trials import placebo_controlled

ANAESTHETIC_RATE = 1.0
"""Hourly dose (mg/kg/h) from which a ketamine regimen counts as anaesthetic. Sub-anaesthetic
CRPS infusions run at about 0.1–0.5 mg/kg/h; the anaesthetic ('ketamine coma') protocols of
Table 1 reach 3–7 mg/kg/h, so any threshold between them gives the same split."""

STANDARD_WEIGHT_KG = 70.0
"""Body weight used to read a dose printed per hour (mg/h) as mg/kg/h, as Table 1 itself does
for doses printed 'per 70 kg'."""

MODERATORS = {
    "anaesthetic": "Anaesthetic-dose regimen",
    "infusion_days": "Infusion length, days",
    "year": "Publication year",
    "placebo": "Placebo-controlled design",
}
"""The moderators tried, by column of `study_features`, with their names for tables. The dose
rate itself is not one: the anaesthetic protocols lie an order of magnitude above the others, so
the rate is the regimen indicator again, with a slope that depends on the weight assumed for
doses printed per hour."""

REGRESSION_METHOD = "REML"
REGRESSION_TEST = "knha"
"""Each meta-regression: REML for the residual tau², Knapp–Hartung t and F tests."""

_NUMBER = r"\d+(?:\.\d+)?"
_DOSE = re.compile(
    rf"^(?P<low>{_NUMBER})(?:\s*±\s*{_NUMBER}|\s*[–-]\s*(?P<high>{_NUMBER}))?\s*"
    r"mg/(?P<unit>.+?)\s*$"
)
_PER_KG_PER_HOUR = ("kg/hr", "kg/h", "hr/kg", "h/kg")
_PER_HOUR = ("hr", "h")
_PER_HOUR_PER_70_KG = re.compile(r"^hr?/70\s*kg$")
_PER_DAY = ("d", "day")


def hourly_rate_per_kg(dose_as_printed: object) -> float | None:
    """The highest dose rate a printed dose states, in mg/kg/h, or None when it states none.

    A range gives its upper end, a mean ± SD its mean. Doses per hour are divided by
    `STANDARD_WEIGHT_KG` (or by the 70 kg they are printed for); doses per day are spread over
    24 hours. A dose per kilogram without a time (a total) or a concentration is not a rate.

    Examples
    --------
    >>> hourly_rate_per_kg("3–7 mg/kg/hr")
    7.0
    >>> round(hourly_rate_per_kg("22.2±2.0 mg/hr/70kg"), 4)
    0.3171
    >>> round(hourly_rate_per_kg("10–40 mg/hr"), 4)
    0.5714
    >>> hourly_rate_per_kg("0.9±0.4 mg/kg") is None
    True
    """
    if not isinstance(dose_as_printed, str):
        return None
    match = _DOSE.match(dose_as_printed.strip())
    if match is None:
        return None
    dose = float(match["high"] or match["low"])
    unit = match["unit"].replace(" ", "")
    if unit in _PER_KG_PER_HOUR:
        return dose
    if unit in _PER_HOUR:
        return dose / STANDARD_WEIGHT_KG
    if _PER_HOUR_PER_70_KG.match(unit):
        return dose / 70.0
    if unit in _PER_DAY:
        return dose / 24.0 / STANDARD_WEIGHT_KG
    return None


def study_features(studies: pd.DataFrame, bibliography: str | None = None) -> pd.DataFrame:
    """The moderators of each study: `MODERATORS` as columns, indexed by ``study_id``.

    Parameters
    ----------
    studies : pandas.DataFrame
        `analysis.paper.load_studies` (``study_id``, ``dose_as_printed``, ``duration_days``,
        ``year``; ``trial_id`` for the design).
    bibliography : str, optional
        The text of ``book/references.bib``, from whose titles the design is read
        (`analysis.paper.trials.placebo_controlled`); without it the design is unknown (NaN).

    Returns
    -------
    pandas.DataFrame
        ``rate`` (`hourly_rate_per_kg`, NaN when the dose is not a rate), ``anaesthetic``
        (1.0 when ``rate >= ANAESTHETIC_RATE``, 0.0 below, NaN without a rate),
        ``infusion_days`` and ``year`` (NaN where Table 1 has none), and ``placebo`` (1.0 for
        a report of a placebo-controlled trial, 0.0 otherwise, NaN when unknown).
    """
    missing = [
        c for c in ("study_id", "dose_as_printed", "duration_days", "year") if c not in studies
    ]
    if missing:
        raise InputError(f"study_features: the studies table has no column {missing[0]!r}")
    rate = studies["dose_as_printed"].map(hourly_rate_per_kg).astype(float)
    return pd.DataFrame(
        {
            "anaesthetic": np.where(rate.isna(), np.nan, (rate >= ANAESTHETIC_RATE).astype(float)),
            "rate": rate.to_numpy(),
            "infusion_days": pd.to_numeric(studies["duration_days"]).to_numpy(dtype=float),
            "year": pd.to_numeric(studies["year"]).to_numpy(dtype=float),
            "placebo": (
                np.full(len(studies), np.nan)
                if bibliography is None
                else placebo_controlled(studies, bibliography).to_numpy()
            ),
        },
        index=pd.Index(studies["study_id"], name="study_id"),
    )


def features_table(studies: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """The moderators of each study as the book shows them: dose as printed, the rate read
    from it, the regimen, infusion days and year (text, '–' where there is none)."""
    rows = features.reindex(studies["study_id"])

    def regimen(value: float) -> str:
        if np.isnan(value):
            return "– (no hourly rate)"
        return "anaesthetic" if value == 1.0 else "sub-anaesthetic"

    return pd.DataFrame(
        {
            "Study": studies["label"].to_numpy(),
            "Dose as printed": studies["dose_as_printed"].fillna("–").to_numpy(),
            "mg/kg/h": ["–" if np.isnan(r) else f"{r:.2f}" for r in rows["rate"]],
            "Regimen": [regimen(v) for v in rows["anaesthetic"]],
            "Infusion, days": ["–" if np.isnan(d) else f"{d:g}" for d in rows["infusion_days"]],
            "Year": ["–" if np.isnan(y) else f"{y:.0f}" for y in rows["year"]],
            "Placebo-controlled": [
                "–" if np.isnan(v) else "yes" if v == 1.0 else "no" for v in rows["placebo"]
            ],
        }
    )


@dataclass(frozen=True)
class ModeratorFit(TidyResult):
    """One moderator's meta-regression on one analysis, or why there is none.

    Attributes
    ----------
    moderator : str
        A key of `MODERATORS`.
    study_ids : tuple of str
        The studies with a value of the moderator (the others are left out of this fit).
    fit : MetaRegression or None
        The fit (`REGRESSION_METHOD`, `REGRESSION_TEST`); None when it cannot be made.
    reason : str
        Why there is no fit ('' when there is one).
    labels : tuple of str
        The labels of those studies.
    x, yi, vi : tuple of float
        Their moderator values, effects and sampling variances (what is fitted).
    """

    moderator: str
    study_ids: tuple[str, ...]
    fit: MetaRegression | None
    reason: str
    labels: tuple[str, ...]
    x: tuple[float, ...]
    yi: tuple[float, ...]
    vi: tuple[float, ...]

    @property
    def slope(self) -> float:
        """The moderator's coefficient (NaN without a fit)."""
        return self.fit.coefficients.estimate[1] if self.fit else math.nan


def moderator_fits(analysis: Analysis, features: pd.DataFrame) -> tuple[ModeratorFit, ...]:
    """Each moderator of `MODERATORS`, alone, as a moderator of one analysis.

    A study without a value of the moderator is left out of that fit. No fit is made when
    fewer than four studies have a value (Knapp–Hartung needs k - 2 ≥ 2 degrees of freedom
    to say anything) or when the moderator takes one value only.

    Parameters
    ----------
    analysis : Analysis
        One of `analysis.paper.paper_analyses`.
    features : pandas.DataFrame
        `study_features`.
    """
    absent = [sid for sid in analysis.study_ids if sid not in features.index]
    if absent:
        raise InputError(f"moderator_fits: no study features for {absent[0]!r}")
    rows = features.loc[list(analysis.study_ids)]
    yi, vi = np.asarray(analysis.yi), np.asarray(analysis.vi)
    fits = []
    for moderator in MODERATORS:
        values = rows[moderator].to_numpy(dtype=float)
        known = ~np.isnan(values)
        used = {
            "study_ids": tuple(np.asarray(analysis.study_ids)[known]),
            "labels": tuple(np.asarray(analysis.labels)[known]),
            "x": tuple(values[known].tolist()),
            "yi": tuple(yi[known].tolist()),
            "vi": tuple(vi[known].tolist()),
        }
        reason = ""
        if known.sum() < 4:
            reason = "fewer than four studies"
        elif np.unique(values[known]).size < 2:
            reason = "the same value in every study"
        fit = None
        if not reason:
            fit = meta_regression(
                used["yi"],
                used["vi"],
                {moderator: used["x"]},
                method=REGRESSION_METHOD,
                test=REGRESSION_TEST,
            )
        fits.append(ModeratorFit(moderator=moderator, fit=fit, reason=reason, **used))
    return tuple(fits)


def moderator_table(
    fits: dict[str, tuple[ModeratorFit, ...]], titles: dict[str, str]
) -> pd.DataFrame:
    """The moderator fits of several analyses as one table for the book.

    Parameters
    ----------
    fits : dict of str to tuple of ModeratorFit
        `moderator_fits` of each analysis, by analysis key.
    titles : dict of str to str
        The analyses' titles, by key.

    Returns
    -------
    pandas.DataFrame
        One row per analysis and moderator: ``Analysis``, ``Moderator``, ``k``, ``Slope (95%
        CI)``, ``p (F test)``, ``R²`` and ``Residual I²`` as text ('–' without a fit, and the
        reason under ``Slope``).
    """
    rows = []
    for key, by_moderator in fits.items():
        for item in by_moderator:
            row = {
                "Analysis": titles[key],
                "Moderator": MODERATORS[item.moderator],
                "k": len(item.study_ids),
            }
            if item.fit is None:
                row |= {
                    "Slope (95% CI)": item.reason,
                    "p (F test)": "–",
                    "R²": "–",
                    "Residual I²": "–",
                }
            else:
                c = item.fit.coefficients
                slope, low, high = c.estimate[1], c.ci_low[1], c.ci_high[1]
                row |= {
                    "Slope (95% CI)": f"{slope:.3g} ({low:.3g} to {high:.3g})",
                    "p (F test)": f"{item.fit.qm_p:.3f}",
                    "R²": "–" if item.fit.r2 is None else f"{item.fit.r2:.0f}%",
                    "Residual I²": f"{item.fit.i2:.0f}%",
                }
            rows.append(row)
    return pd.DataFrame(rows)


REGIMEN_NAMES = ("sub-anaesthetic", "anaesthetic")
"""The two values of the regimen indicator, as the bubble plot's axis names them."""


def regimen_chart(
    fits: tuple[ModeratorFit, ...], *, title: str, y_title: str
) -> alt.TopLevelMixin:
    """The bubble plot of one analysis's regimen fit (`moderator_fits`), or, when there is no
    fit (only after a change of the data), a one-line chart that says why.
    """
    (regimen,) = (item for item in fits if item.moderator == "anaesthetic")
    if regimen.fit is None:
        note = pd.DataFrame({"text": [f"No meta-regression on the regimen: {regimen.reason}."]})
        return (
            alt.Chart(note)
            .mark_text(align="left")
            .encode(text="text:N", x=alt.value(0), y=alt.value(10))
            .properties(
                title=title, width=300, height=20, usermeta={"chart": "bubble", "points": 0}
            )
        )
    return bubble_plot(
        regimen.fit,
        regimen.x,
        regimen.yi,
        regimen.vi,
        regimen.labels,
        title=title,
        x_title="Dose regimen",
        y_title=y_title,
        category_names=REGIMEN_NAMES,
    )


def by_year(analysis: Analysis, features: pd.DataFrame, method: str = "DL") -> Cumulative:
    """Cumulative meta-analysis of one analysis in order of publication year (metafor ``cumul``).

    Studies of one year keep Table 1's order (a stable sort).
    """
    years = features.loc[list(analysis.study_ids), "year"].to_numpy(dtype=float)
    if np.isnan(years).any():
        missing = str(np.asarray(analysis.study_ids)[np.isnan(years)][0])
        raise InputError(f"by_year: no year for {missing!r}")
    return cumulative(analysis.yi, analysis.vi, years, method=method)


@dataclass(frozen=True)
class ModeratorFacts(TidyResult):
    """What the moderators say about one analysis, in words for the prose.

    Attributes
    ----------
    finding : str
        The moderator with the smallest F-test p-value, its R² and residual I² when p < 0.05;
        else that no moderator reaches 0.05 (with the smallest p); or that no fit was possible.
    anaesthetic_studies : str
        The analysis's studies with an anaesthetic-dose regimen, by label ('none').
    smallest_p : float
        The smallest F-test p-value of the moderators (NaN without a fit).
    regimen_means : str
        The regimen fit's mean effect of sub-anaesthetic and of anaesthetic-dose regimens with
        their CIs (a subgroup analysis with a common tau²), or why there are none.
    """

    finding: str
    anaesthetic_studies: str
    smallest_p: float
    regimen_means: str


def moderator_facts(
    analysis: Analysis, fits: tuple[ModeratorFit, ...], features: pd.DataFrame
) -> ModeratorFacts:
    """`ModeratorFacts` of one analysis from its `moderator_fits`.

    Examples
    --------
    >>> from analysis.paper import load_studies, paper_analyses
    >>> followup = paper_analyses()["relief_followup"]
    >>> features = study_features(load_studies())
    >>> facts = moderator_facts(followup, moderator_fits(followup, features), features)
    >>> facts.anaesthetic_studies
    'Kiefer 2008a and Kiefer 2002'
    """
    labels = dict(zip(analysis.study_ids, analysis.labels, strict=True))
    flagged = [
        labels[sid]
        for sid in analysis.study_ids
        if sid in features.index and features.at[sid, "anaesthetic"] == 1.0
    ]
    anaesthetic = joined_words(flagged)
    regimen = next((item for item in fits if item.moderator == "anaesthetic"), None)
    if regimen is None or regimen.fit is None:
        means = f"no regimen fit ({regimen.reason if regimen else 'not tried'})"
    else:
        estimate, low, high = regimen.fit.predict({"anaesthetic": [0.0, 1.0]})
        written = [
            percent_with_ci(e, lo, hi)
            if analysis.measure == "PR"
            else f"{e:.2f} (95% CI {lo:.2f} to {hi:.2f})"
            for e, lo, hi in zip(estimate, low, high, strict=True)
        ]
        means = f"sub-anaesthetic regimens {written[0]}, anaesthetic-dose regimens {written[1]}"
        if analysis.measure == "PR" and (low.min() < 0.0 or high.max() > 1.0):
            means += (
                "; on the paper's scale of raw proportions a limit can pass 0% or 100%, "
                "which only says how imprecise the estimate is"
            )
    fitted = [item for item in fits if item.fit is not None]
    if not fitted:
        return ModeratorFacts(
            "too few studies with a value for a meta-regression",
            anaesthetic or "none",
            math.nan,
            means,
        )
    best = min(fitted, key=lambda item: item.fit.qm_p)
    name = MODERATORS[best.moderator].lower()
    fit = best.fit
    if fit.qm_p < 0.05:
        finding = (
            f"the {name} accounts for {fit.r2:.0f}% of the between-study variance (F test "
            f"p = {fit.qm_p:.3f}, {fit.k} studies), leaving a residual I² of {fit.i2:.0f}%"
        )
    else:
        finding = (
            f"no moderator reaches p < 0.05 (the smallest p, {fit.qm_p:.2f}, is the {name}'s, "
            f"{fit.k} studies)"
        )
    return ModeratorFacts(finding, anaesthetic or "none", float(fit.qm_p), means)


@dataclass(frozen=True)
class CumulativeFacts(TidyResult):
    """The range of a cumulative meta-analysis's estimates, for the prose.

    Attributes
    ----------
    low, high : float
        The smallest and largest pooled estimate over the steps (two studies and more).
    low_pct, high_pct : float
        The same times 100 (for proportions).
    """

    low: float
    high: float
    low_pct: float
    high_pct: float


def cumulative_facts(result: Cumulative) -> CumulativeFacts:
    """`CumulativeFacts` of one `by_year` result."""
    steps = result.field("estimate")
    low, high = float(steps.min()), float(steps.max())
    return CumulativeFacts(low, high, 100.0 * low, 100.0 * high)
