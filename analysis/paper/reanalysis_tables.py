"""The robustness chapter's tables of re-analyses, and their numbers in percent.

`analysis.paper.relief_reanalyses` and `analysis.paper.pain_reanalyses` give each outcome's
analyses (the paper's, then current methods) as `Reanalysis` rows; this module lays them out as
the chapter's tables and scales the relief rates to percentages for its prose.
"""

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analysis.charts.formatting import share_percent
from analysis.metaanalysis.errors import InputError
from analysis.paper.relief_rates import TIMEPOINTS
from analysis.paper.robustness import Reanalysis

RELIEF_REANALYSES = ("paper", "logit", "glmm")
"""Short names of the rows of `relief_reanalyses`, in order (for the prose's numbers)."""

PAIN_REANALYSES = ("paper", "paired", "points")
"""Short names of the rows of `pain_reanalyses`, in order."""


def _smd(x: float) -> str:
    return f"{x:.1f}"


def _table(rows: Sequence[Reanalysis], fmt: Callable[[float], str], time: str | None):
    return pd.DataFrame(
        {
            **({"Time": [time] * len(rows)} if time else {}),
            "Analysis": [r.label for r in rows],
            "k": [r.k for r in rows],
            "Pooled (95% CI)": [
                f"{fmt(r.estimate)} ({fmt(r.ci_low)} to {fmt(r.ci_high)})" for r in rows
            ],
            "Prediction interval": [f"{fmt(r.pi_low)} to {fmt(r.pi_high)}" for r in rows],
        }
    )


def relief_reanalysis_table(relief: Mapping[str, Sequence[Reanalysis]]) -> pd.DataFrame:
    """The relief rates' re-analyses, one row each, in whole percentages.

    Parameters
    ----------
    relief : mapping
        ``{time point key: relief_reanalyses(key)}`` (keys of `analysis.paper.TIMEPOINTS`).

    Returns
    -------
    pandas.DataFrame
        Time, analysis, k, pooled (95% CI) and prediction interval, as text.

    Raises
    ------
    InputError
        For a key that is not a time point.
    """
    for key in relief:
        if key not in TIMEPOINTS:
            raise InputError(
                f"relief_reanalysis_table: key={key!r} is not one of {', '.join(TIMEPOINTS)}"
            )
    return pd.concat(
        [_table(rows, share_percent, TIMEPOINTS[key].description) for key, rows in relief.items()]
    )


def pain_reanalysis_table(rows: Sequence[Reanalysis]) -> pd.DataFrame:
    """The pain scores' re-analyses, one row each, with one decimal (SMD or points)."""
    return _table(rows, _smd, None)


def in_percent(row: Reanalysis) -> Reanalysis:
    """``row`` with its estimate and interval limits times 100 (a proportion in percent).

    Examples
    --------
    >>> row = Reanalysis("demo", False, 3, 0.5, 0.25, 0.75, 0.125, 0.875, 0.01)
    >>> in_percent(row).ci_low, in_percent(row).tau2
    (25.0, 0.01)
    """
    scaled = ("estimate", "ci_low", "ci_high", "pi_low", "pi_high")
    return dataclasses.replace(row, **{name: 100 * getattr(row, name) for name in scaled})
