"""The lines under a forest plot's diamond: heterogeneity and the prediction interval.

metafor's ``forest()`` (with ``addpred=TRUE``) and meta's ``forest.meta`` print, under the pooled
result, the heterogeneity statistics of the fit and the interval in which the true effect of a
new study is expected to lie. This module writes both from a `PoolResult`, so that the numbers a
chart prints are those of the fit it draws.
"""

import math

import pandas as pd

from analysis.charts.formatting import as_printed, p_value
from analysis.metaanalysis.pooling import PoolResult

PREDICTION_LABEL = "Prediction interval"
"""Label of the prediction interval's row."""


def heterogeneity_text(pooled: PoolResult) -> str:
    """``"Heterogeneity: I² = 82.3%, τ² = 0.0412, Q = 45.21 (df = 7), p < 0.001"``.

    Parameters
    ----------
    pooled : PoolResult
        The fit whose heterogeneity is written.

    Returns
    -------
    str
        I² with one decimal, τ² with four, Q with two, its degrees of freedom and its p-value
        as `p_value` writes it.
    """
    return (
        f"Heterogeneity: I² = {as_printed(pooled.i2, 1)}%, τ² = {as_printed(pooled.tau2, 4)}, "
        f"Q = {as_printed(pooled.q, 2)} (df = {pooled.df}), p {p_value(pooled.p_q)}"
    )


def has_prediction_interval(pooled: PoolResult) -> bool:
    """Whether the fit has a finite prediction interval to draw."""
    return math.isfinite(pooled.pi_low) and math.isfinite(pooled.pi_high)


def prediction_row(pooled: PoolResult, row: float, decimals: int) -> pd.DataFrame:
    """One row of data for the prediction interval's bar: its ends, its row and its text.

    Parameters
    ----------
    pooled : PoolResult
    row : float
        Position of the bar on the forest plot's vertical axis.
    decimals : int
        Decimals of the printed interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, ``pi_low``, ``pi_high``, ``label`` and ``pi_text`` (``"(0.05, 1.11)"``).
    """
    text = f"({as_printed(pooled.pi_low, decimals)}, {as_printed(pooled.pi_high, decimals)})"
    return pd.DataFrame(
        {
            "row": [row],
            "pi_low": [pooled.pi_low],
            "pi_high": [pooled.pi_high],
            "label": [PREDICTION_LABEL],
            "pi_text": [text],
        }
    )
