"""Every subset of the studies pooled: what a reader sees after leaving any studies out."""

import math
from dataclasses import dataclass
from itertools import combinations

from analysis.metaanalysis.checks import effects_and_variances, one_of
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.pooling import PREDICTION_DISTRIBUTIONS, pool, prediction_interval
from analysis.metaanalysis.results import TidyResult

MAX_SUBSET_STUDIES = 10
"""The most studies `every_subset` accepts: 2**10 - 11 = 1,013 pooled subsets (each takes about
a millisecond); beyond it the number doubles with every study."""


@dataclass(frozen=True)
class SubsetPools(TidyResult):
    """The pooled result of every subset of at least two studies.

    Attributes
    ----------
    method, ci_method : str
        The model and interval of every subset (as `analysis.pool`).
    k : int
        Number of studies.
    members : tuple of int
        Each subset as a bit mask: bit ``i`` (value ``2**i``) is set when study ``i`` (0-based,
        input order) is in it. Subsets are ordered by size, then by their members.
    size : tuple of int
        Number of studies of each subset.
    estimate, ci_low, ci_high, i2, tau2, pi_low, pi_high : tuple of float
        The pooled estimate, its confidence interval, I² (%), tau² and the prediction interval
        of each subset, as `prediction` says (with ``"t(k-2)"`` a subset of two studies has
        none: NaN, by design; for the common-effect model the interval is the CI).
    prediction : str
        How the prediction intervals were computed (`analysis.prediction_interval`'s
        ``distribution``).
    """

    _per_study = True
    _study_index = "subset"

    method: str
    ci_method: str
    k: int
    members: tuple[int, ...]
    size: tuple[int, ...]
    estimate: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    i2: tuple[float, ...]
    tau2: tuple[float, ...]
    pi_low: tuple[float, ...]
    pi_high: tuple[float, ...]
    prediction: str = "model"

    def row(self, studies: tuple[int, ...]) -> int:
        """The position of the subset made of ``studies`` (0-based positions)."""
        mask = sum(1 << i for i in set(studies))
        if mask not in self.members:
            raise InputError(
                f"SubsetPools.row: no subset of studies {sorted(set(studies))}: the subsets hold "
                f"two or more of studies 0 to {self.k - 1}"
            )
        return self.members.index(mask)


def every_subset(
    yi: object,
    vi: object,
    method: str = "DL",
    *,
    ci: str = "z",
    level: float = 0.95,
    prediction: str = "model",
) -> SubsetPools:
    """Pool every subset of two or more of the studies (``2**k - k - 1`` subsets).

    For a forest plot on which the reader leaves studies out: the result of any choice is
    looked up, not computed in the page. A single study is not pooled (it is its own
    estimate and interval).

    Parameters
    ----------
    yi, vi : array-like of float
        Effect sizes and sampling variances (2 to `MAX_SUBSET_STUDIES` studies).
    method, ci, level
        Passed to `analysis.pool` for every subset.
    prediction : {"model", "t(k-2)"}
        The prediction interval of each subset: the model's (`PoolResult.pi_low`, as metafor's
        ``predict``), or Higgins, Thompson & Spiegelhalter's with t on k - 2 degrees of
        freedom (`analysis.prediction_interval`), which two studies cannot give (NaN there).

    Returns
    -------
    SubsetPools

    Raises
    ------
    InputError
        For data `analysis.pool` refuses, or more than `MAX_SUBSET_STUDIES` studies.

    Examples
    --------
    >>> subsets = every_subset([0.1, 0.3, 0.5], [0.01, 0.02, 0.04], "FE")
    >>> subsets.members, subsets.size
    ((3, 5, 6, 7), (2, 2, 2, 3))
    >>> round(subsets.estimate[subsets.row((0, 2))], 4)
    0.18
    """
    where = "every_subset"
    checked = effects_and_variances(yi, vi, where, min_k=2)
    y, v = checked.yi, checked.vi
    k = len(y)
    if k > MAX_SUBSET_STUDIES:
        raise InputError(
            f"{where}: {k} studies give {2**k - k - 1} subsets; at most {MAX_SUBSET_STUDIES} "
            "studies are accepted"
        )
    prediction = one_of(prediction, PREDICTION_DISTRIBUTIONS, "prediction", where)
    groups = [group for size in range(2, k + 1) for group in combinations(range(k), size)]
    results = [pool(y[list(g)], v[list(g)], method, ci=ci, level=level) for g in groups]
    intervals = [
        (math.nan, math.nan)
        if prediction == "t(k-2)" and result.k < 3
        else prediction_interval(result, prediction)
        for result in results
    ]

    def field(name: str) -> tuple[float, ...]:
        return tuple(float(getattr(result, name)) for result in results)

    return SubsetPools(
        method=results[0].method,
        ci_method=results[0].ci_method,
        k=k,
        members=tuple(sum(1 << i for i in g) for g in groups),
        size=tuple(len(g) for g in groups),
        estimate=field("estimate"),
        ci_low=field("ci_low"),
        ci_high=field("ci_high"),
        i2=field("i2"),
        tau2=field("tau2"),
        pi_low=tuple(float(low) for low, _ in intervals),
        pi_high=tuple(float(high) for _, high in intervals),
        prediction=prediction,
    )
