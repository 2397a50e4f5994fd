"""The secondary outcome: share of patients with at least 30% pain relief (Fig. 4a and 4b).

The paper pooled, for each time point, each study's share of responders as a raw proportion with
its Wald variance, in a DerSimonian–Laird random-effects model (Stata 12, ``metan``). This module
builds those inputs from ``data/studies.csv`` under the choices the paper leaves open (how the
percentages were rounded, which sample size), pools them, and sets each result beside the
printed figure.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts.formatting import round_half_up
from analysis.metaanalysis.checks import one_of
from analysis.metaanalysis.effect_sizes import raw_proportions, wald_intervals
from analysis.metaanalysis.pooling import PoolResult, pool
from analysis.metaanalysis.results import TidyResult
from analysis.paper.data import load_studies, load_table
from analysis.paper.published import (
    compare_values,
    printed_numbers,
    published_forest,
    published_pooled,
)
from analysis.paper.readings import Judgement, judge_alternatives, reading


@dataclass(frozen=True)
class Timepoint(TidyResult):
    """One of the paper's two relief-rate analyses.

    Attributes
    ----------
    key : str
        ``"immediate"`` or ``"followup"``.
    column : str
        Column of ``studies.csv`` with the share of responders, in percent.
    figure : str
        The panel of Fig. 4 that shows it.
    analysis_id : str
        Its row in ``published_pooled.csv``.
    description : str
        When relief was measured, for titles and prose.
    """

    key: str
    column: str
    figure: str
    analysis_id: str
    description: str


TIMEPOINTS = {
    "immediate": Timepoint(
        "immediate",
        "relief_immediate_pct",
        "4a",
        "relief_immediate",
        "immediately after treatment",
    ),
    "followup": Timepoint(
        "followup", "relief_followup_pct", "4b", "relief_followup", "1–3 months after treatment"
    ),
}

PROPORTIONS = {
    "figure": "percentages as proportions rounded to two decimals, as Fig. 4 prints them",
    "table": "Table 1's percentages, unrounded",
    "counts": "whole patients: the percentage of n rounded to a count, divided by n",
}
SAMPLE_SIZES = {
    "analysed": "n as Table 1 prints it (Schwartzman 2009: 19)",
    "enrolled": "n enrolled where Table 1 gives it in parentheses (Schwartzman 2009: 26)",
}


@dataclass(frozen=True)
class InputChoice(TidyResult):
    """A way of turning Table 1 into the inputs of Fig. 4.

    Attributes
    ----------
    proportions : str
        Key of `PROPORTIONS`.
    sample_size : str
        Key of `SAMPLE_SIZES`.
    corrected : bool
        Apply ``data/corrections.csv`` (Goldberg 2010's follow-up printed as 0.6 in a percent
        column) or use Table 1 as printed.
    """

    proportions: str = "figure"
    sample_size: str = "analysed"
    corrected: bool = True

    def describe(self) -> str:
        """The choice in words, with the values of ``data/`` it concerns."""
        text = f"{PROPORTIONS[self.proportions]}; {_sample_sizes_in_words(self.sample_size)}"
        if self.corrected:
            return text
        return "; ".join([text, *_uncorrected_in_words()])


_COLUMN_WORDS = {"relief_immediate_pct": "immediate rate", "relief_followup_pct": "follow-up"}


def _sample_sizes_in_words(sample_size: str) -> str:
    """`SAMPLE_SIZES` with the N of the studies that print two, as the data give them."""
    studies = load_studies()
    two = studies[studies["n_enrolled"].notna()]
    column = "n_analysed" if sample_size == "analysed" else "n_enrolled"
    which = ", ".join(
        f"{label}: {int(n)}" for label, n in zip(two["label"], two[column], strict=True)
    )
    words = SAMPLE_SIZES[sample_size].split(" (")[0]
    return f"{words} ({which})" if which else words


def _uncorrected_in_words() -> list[str]:
    """Each correction of ``data/corrections.csv`` undone, in words."""
    studies = load_studies().set_index("study_id")["label"]
    corrections = load_table("corrections")
    return [
        f"{studies[row.study_id]}'s {_COLUMN_WORDS.get(row.column, row.column)} as printed "
        f"({row.value_as_printed}%)"
        for row in corrections.itertuples(index=False)
    ]


PAPER_INPUTS = InputChoice()
"""The inputs that reproduce Fig. 4a and 4b."""

ALTERNATIVE_INPUTS = {
    "as Fig. 4 prints them": PAPER_INPUTS,
    "Table 1 percentages unrounded": InputChoice(proportions="table"),
    "whole-patient counts": InputChoice(proportions="counts"),
    "n enrolled": InputChoice(sample_size="enrolled"),
    "Table 1 uncorrected": InputChoice(corrected=False),
}
"""The input choices the chapter compares, by a short name."""


def timepoint(key: str) -> Timepoint:
    """The `Timepoint` called ``key`` (``"immediate"`` or ``"followup"``)."""
    return TIMEPOINTS[one_of(key, tuple(TIMEPOINTS), "timepoint", "relief_rates")]


def outside_bounds(table: pd.DataFrame, low: float = 0.0, high: float = 1.0) -> dict[str, list]:
    """Labels of the studies whose confidence interval runs below ``low`` or above ``high``.

    Excluded studies are not counted. Returns ``{"below": [...], "above": [...]}``.
    """
    shown = table[~table.get("excluded", pd.Series(False, index=table.index)).astype(bool)]
    return {
        "below": shown.loc[shown["ci_low"] < low, "label"].tolist(),
        "above": shown.loc[shown["ci_high"] > high, "label"].tolist(),
    }


def rate_inputs(
    key: str, choice: InputChoice = PAPER_INPUTS, studies: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Study-level inputs of one relief-rate analysis.

    Parameters
    ----------
    key : {"immediate", "followup"}
        The time point.
    choice : InputChoice
        How proportions and sample sizes are read from Table 1 (default: as in Fig. 4).
    studies : pandas.DataFrame, optional
        The studies table; by default ``load_studies(corrected=choice.corrected)``.

    Returns
    -------
    pandas.DataFrame
        One row per study that reports a share at this time point, in Table 1 order:
        ``study_id``, ``label``, ``n``, ``percent_as_printed``, ``events`` (``p * n``, not
        always a whole number), ``yi`` (the proportion), ``vi`` (Wald variance), ``ci_low``,
        ``ci_high``.
    """
    point = timepoint(key)
    one_of(choice.proportions, tuple(PROPORTIONS), "proportions", "rate_inputs")
    one_of(choice.sample_size, tuple(SAMPLE_SIZES), "sample_size", "rate_inputs")
    table = load_studies(corrected=choice.corrected) if studies is None else studies
    rows = table[table[point.column].notna()].sort_values("table1_row")
    n = rows["n_analysed"].astype(float)
    if choice.sample_size == "enrolled":
        n = rows["n_enrolled"].astype(float).fillna(n)
    percent = rows[point.column].astype(float)
    if choice.proportions == "figure":
        p = percent.map(lambda x: round_half_up(x / 100, 2))
    elif choice.proportions == "table":
        p = percent / 100
    else:
        p = (percent / 100 * n).map(lambda x: round_half_up(x, 0)) / n
    effects = raw_proportions(p.to_numpy(), n.to_numpy())
    low, high = wald_intervals(effects.yi, effects.vi)
    return pd.DataFrame(
        {
            "study_id": rows["study_id"].to_numpy(),
            "label": rows["label"].to_numpy(),
            "n": n.to_numpy().astype(int),
            "percent_as_printed": percent.to_numpy(),
            "events": np.asarray(effects.yi) * n.to_numpy(),
            "yi": effects.yi,
            "vi": effects.vi,
            "ci_low": low,
            "ci_high": high,
        }
    )


def pool_rates(inputs: pd.DataFrame, method: str = "DL") -> PoolResult:
    """Pool a table from `rate_inputs`, leaving out studies with zero variance as Stata does."""
    return pool(inputs["yi"], inputs["vi"], method=method, drop_zero_variance=True)


def with_weights(inputs: pd.DataFrame, result: PoolResult) -> pd.DataFrame:
    """``inputs`` with the percent weight of each study and whether it was left out."""
    table = inputs.copy()
    table["weight_pct"] = result.weights
    table["excluded"] = np.isin(np.arange(len(table)), result.excluded)
    return table


def compare_studies(key: str, table: pd.DataFrame) -> pd.DataFrame:
    """Each study's printed estimate, CI and weight beside ours, at the printed precision.

    Parameters
    ----------
    key : {"immediate", "followup"}
    table : pandas.DataFrame
        Output of `with_weights`.

    Returns
    -------
    pandas.DataFrame
        One row per study and quantity (``estimate``, ``ci_low``, ``ci_high``, ``weight_pct``),
        with ``study_id``, ``label``, ``printed``, ``ours``, ``ours_as_printed`` and
        ``reproduced``; a study excluded in both is one row with quantity ``excluded``. Studies
        we pool that the figure does not list, or the reverse, appear with ``printed`` or
        ``ours`` missing and ``reproduced`` False, except a zero-variance study that both leave
        out of the pooling.
    """
    printed = published_forest(timepoint(key).figure).set_index("study_id")
    ours = table.set_index("study_id")
    rows = []
    for study_id in list(ours.index) + [s for s in printed.index if s not in ours.index]:
        label = (
            ours.at[study_id, "label"]
            if study_id in ours.index
            else printed.at[study_id, "label_as_printed"]
        )
        if study_id not in printed.index or study_id not in ours.index:
            left_out_by_both = study_id in ours.index and bool(ours.at[study_id, "excluded"])
            rows.append(
                {
                    "study_id": study_id,
                    "label": label,
                    "quantity": "excluded" if left_out_by_both else "listed",
                    "printed": "not listed" if study_id not in printed.index else "listed",
                    "ours": np.nan,
                    "ours_as_printed": "excluded" if left_out_by_both else "not pooled",
                    "reproduced": left_out_by_both,
                }
            )
            continue
        if printed.at[study_id, "excluded"] or ours.at[study_id, "excluded"]:
            both = bool(printed.at[study_id, "excluded"] and ours.at[study_id, "excluded"])
            rows.append(
                {
                    "study_id": study_id,
                    "label": label,
                    "quantity": "excluded",
                    "printed": "(Excluded)" if printed.at[study_id, "excluded"] else "pooled",
                    "ours": np.nan,
                    "ours_as_printed": "(Excluded)" if ours.at[study_id, "excluded"] else "pooled",
                    "reproduced": both,
                }
            )
            continue
        values = {
            "estimate": ours.at[study_id, "yi"],
            "ci_low": ours.at[study_id, "ci_low"],
            "ci_high": ours.at[study_id, "ci_high"],
            "weight_pct": ours.at[study_id, "weight_pct"],
        }
        comparison = compare_values(printed.loc[study_id], values, "published_forest")
        comparison.insert(0, "label", label)
        comparison.insert(0, "study_id", study_id)
        rows.extend(comparison.to_dict("records"))
    return pd.DataFrame(rows)


def compare_pooled(key: str, result: PoolResult) -> pd.DataFrame:
    """The printed overall result of Fig. 4a or 4b beside ours, at the printed precision."""
    printed = published_pooled(timepoint(key).analysis_id)
    return compare_values(printed, _pooled_values(result), "published_pooled")


def _pooled_values(result: PoolResult) -> dict[str, float]:
    """The numbers of a pooled result that Fig. 4 prints in its overall row."""
    return {
        "estimate": result.estimate,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "i2_pct": result.i2,
        "p_heterogeneity": result.p_q,
    }


def input_readings(key: str) -> Judgement:
    """Each choice of inputs in `ALTERNATIVE_INPUTS` as a reading of Fig. 4's overall row.

    The paper does not say which numbers went into Stata, so the choices are alternatives
    (`analysis.paper.readings.judge_alternatives`): the overall row is reproduced if every
    choice gives it, under the assumption of a choice if only some do.

    Returns
    -------
    Judgement
        Of the printed overall numbers (estimate, limits, I², p of Q) of Fig. 4a or 4b, one
        reading per choice, named by the keys of `ALTERNATIVE_INPUTS`.
    """
    printed = published_pooled(timepoint(key).analysis_id)
    readings = []
    for name, choice in ALTERNATIVE_INPUTS.items():
        result = pool_rates(rate_inputs(key, choice))
        readings.append(reading(name, _pooled_values(result), choice.describe()))
    numbers = printed_numbers(printed, list(_pooled_values(result)), "published_pooled")
    return judge_alternatives(numbers, readings)


def reproduction_attempts(key: str) -> pd.DataFrame:
    """How close each choice of inputs in `ALTERNATIVE_INPUTS` comes to the printed figure.

    Returns
    -------
    pandas.DataFrame
        One row per choice: ``inputs`` (short name), ``description``, the pooled ``estimate``,
        ``ci_low``, ``ci_high``, ``i2``, ``studies_reproduced`` (printed per-study numbers
        matched), ``studies_total``, ``pooled_reproduced``, ``pooled_total`` (the overall
        numbers, judged by `input_readings`), and the largest gap between a printed per-study
        number and ours: ``max_gap_estimate`` (estimates and confidence limits, proportion
        scale) and ``max_gap_weight`` (weights, percentage points).
    """
    overall = input_readings(key)
    rows = []
    for (name, choice), pooled in zip(ALTERNATIVE_INPUTS.items(), overall.readings, strict=True):
        inputs = rate_inputs(key, choice)
        result = pool_rates(inputs)
        studies = compare_studies(key, with_weights(inputs, result))
        numeric = studies.dropna(subset=["ours"])
        gaps = (numeric["ours"] - numeric["printed"].astype(float)).abs()
        is_weight = numeric["quantity"] == "weight_pct"
        rows.append(
            {
                "inputs": name,
                "description": choice.describe(),
                "estimate": result.estimate,
                "ci_low": result.ci_low,
                "ci_high": result.ci_high,
                "i2": result.i2,
                "studies_reproduced": int(studies["reproduced"].sum()),
                "studies_total": len(studies),
                "pooled_reproduced": sum(overall.shows(pooled)),
                "pooled_total": len(overall.printed),
                "max_gap_estimate": float(gaps[~is_weight].max()),
                "max_gap_weight": float(gaps[is_weight].max()),
            }
        )
    return pd.DataFrame(rows)
