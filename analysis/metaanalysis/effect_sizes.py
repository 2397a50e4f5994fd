"""Effect sizes for single proportions, with their sampling variances.

Raw proportions with the Wald variance ``p (1 - p) / n``: what Stata's ``metan`` pools when given
a proportion and its standard error, as many published meta-analyses of single proportions did.
Better scales for proportions are in `analysis.metaanalysis.proportions`.
"""

from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.checks import (
    as_vector,
    confidence_level,
    effects_and_variances,
    same_length,
)
from analysis.metaanalysis.distributions import normal_quantile
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult


@dataclass(frozen=True)
class EffectSizes(TidyResult):
    """Study-level effect sizes.

    Attributes
    ----------
    yi : tuple of float
        The effect size of each study.
    vi : tuple of float
        Its sampling variance.
    measure : str
        What ``yi`` measures, in metafor's vocabulary (``"PR"``: raw proportion).
    """

    _per_study = True

    yi: tuple[float, ...]
    vi: tuple[float, ...]
    measure: str

    @property
    def sei(self) -> np.ndarray:
        """Standard errors, ``sqrt(vi)``."""
        return np.sqrt(np.asarray(self.vi))


def raw_proportions(p: object, n: object) -> EffectSizes:
    """Raw proportions with the Wald variance ``p (1 - p) / n``.

    Parameters
    ----------
    p : array-like of float
        Proportion of patients with the event in each study, between 0 and 1.
    n : array-like of int
        Number of patients in each study (at least 1).

    Returns
    -------
    EffectSizes
        ``yi = p`` and ``vi = p (1 - p) / n``, measure ``"PR"``. A study with ``p`` of 0 or 1
        gets variance 0; `analysis.pool` refuses it unless told to leave it out.

    References
    ----------
    Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
    2010;36(3):1-48 (``escalc(measure="PR")``).

    Examples
    --------
    76% of 33 patients.

    >>> es = raw_proportions([0.76], [33])
    >>> round(es.vi[0], 8)
    0.00552727
    """
    p_arr = as_vector(p, "p", "raw_proportions")
    n_arr = as_vector(n, "n", "raw_proportions")
    same_length("raw_proportions", p=p_arr, n=n_arr)
    _check_between(p_arr, 0.0, 1.0, "p", "raw_proportions")
    small = np.flatnonzero(n_arr < 1)
    if small.size:
        i = int(small[0])
        raise InputError(f"raw_proportions: n[{i}] = {n_arr[i]:g}; a study needs n >= 1")
    vi = p_arr * (1.0 - p_arr) / n_arr
    return EffectSizes(yi=tuple(p_arr.tolist()), vi=tuple(vi.tolist()), measure="PR")


def wald_intervals(yi: object, vi: object, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Normal-theory (Wald) confidence limits ``yi -/+ z * sqrt(vi)`` for each study.

    Parameters
    ----------
    yi, vi : array-like of float
        Effect sizes and their sampling variances (``vi >= 0``).
    level : float
        Confidence level, default 0.95.

    Returns
    -------
    (ci_low, ci_high) : tuple of numpy arrays
        The limits. For raw proportions they can fall below 0 or above 1.

    Examples
    --------
    >>> low, high = wald_intervals([0.76], [0.76 * 0.24 / 33])
    >>> round(float(low[0]), 2), round(float(high[0]), 2)
    (0.61, 0.91)
    """
    studies = effects_and_variances(yi, vi, "wald_intervals", zero_variance="allow")
    y, v = studies.yi, studies.vi
    z = normal_quantile(0.5 + confidence_level(level, "wald_intervals") / 2)
    half = z * np.sqrt(v)
    return y - half, y + half


def _check_between(values: np.ndarray, low: float, high: float, name: str, where: str) -> None:
    outside = np.flatnonzero((values < low) | (values > high))
    if outside.size:
        i = int(outside[0])
        raise InputError(f"{where}: {name}[{i}] = {values[i]:g} is outside [{low:g}, {high:g}]")
