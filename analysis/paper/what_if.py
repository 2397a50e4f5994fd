"""The inputs of the what-if forest plots: every subset of a relief figure's studies pooled."""

from dataclasses import dataclass

import pandas as pd

from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.subsets import SubsetPools, every_subset


@dataclass(frozen=True)
class WhatIf(TidyResult):
    """A figure's pooled studies and the pooled result of every subset of them.

    Attributes
    ----------
    subsets : SubsetPools
        `analysis.metaanalysis.every_subset` of the studies, in the order of ``studies``.
    studies : pandas.DataFrame
        ``label``, ``estimate``, ``ci_low``, ``ci_high`` of each pooled study.
    """

    subsets: SubsetPools
    studies: pd.DataFrame


def what_if_inputs(table: pd.DataFrame, method: str = "DL") -> WhatIf:
    """Every subset of the studies a relief-rate figure pools (`analysis.charts.what_if_forest`).

    Parameters
    ----------
    table : pandas.DataFrame
        `analysis.paper.with_weights` of a figure (``label``, ``yi``, ``vi``, ``ci_low``,
        ``ci_high``, ``excluded``); the studies the pooling left out (zero variance) are left
        out here too.
    method : str
        The model of every subset (the paper's: ``"DL"``).

    Examples
    --------
    >>> table = pd.DataFrame({"label": ["A", "B", "C"], "yi": [0.5, 0.6, 0.0],
    ...     "vi": [0.01, 0.02, 0.0], "ci_low": [0.3, 0.3, 0.0], "ci_high": [0.7, 0.9, 0.0],
    ...     "excluded": [False, False, True]})
    >>> what_if = what_if_inputs(table)
    >>> list(what_if.studies["label"]), what_if.subsets.members
    (['A', 'B'], (3,))
    """
    needed = ("label", "yi", "vi", "ci_low", "ci_high", "excluded")
    missing = [c for c in needed if c not in table]
    if missing:
        raise InputError(f"what_if_inputs: the table has no column {missing[0]!r}")
    pooled = table[~table["excluded"].astype(bool)].reset_index(drop=True)
    studies = pooled[["label", "yi", "ci_low", "ci_high"]].rename(columns={"yi": "estimate"})
    # The book's prediction intervals: t with k - 2 df (Higgins, Thompson & Spiegelhalter).
    subsets = every_subset(pooled["yi"], pooled["vi"], method, prediction="t(k-2)")
    return WhatIf(subsets, studies)
