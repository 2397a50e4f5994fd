"""Cumulative meta-analysis: the pooled result as the studies came out, one study at a time."""

from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.checks import as_vector, effects_and_variances, same_length
from analysis.metaanalysis.pooling import PoolResult, pool
from analysis.metaanalysis.results import TidyResult


@dataclass(frozen=True)
class Cumulative(TidyResult):
    """The pooled result after each study, in a given order.

    Attributes
    ----------
    method, ci_method : str
        The model and interval of every step (as `analysis.pool`).
    first : int
        Position (0-based, in the input) of the first study.
    added : tuple of int
        ``added[j]``: position of the study that step ``j`` adds.
    steps : tuple of PoolResult
        ``steps[j]`` pools the first study and ``added[:j + 1]``: a pooled estimate needs two
        studies, so the first step adds the second study to the first.
    """

    _per_study = True
    _study_index = "step"

    method: str
    ci_method: str
    first: int
    added: tuple[int, ...]
    steps: tuple[PoolResult, ...]

    @property
    def order(self) -> tuple[int, ...]:
        """Positions of all the studies in the order they are added."""
        return (self.first, *self.added)

    def field(self, name: str) -> np.ndarray:
        """One field of every step, e.g. ``field("estimate")``, from the first to the last."""
        return np.array([getattr(result, name) for result in self.steps], dtype=float)


def cumulative(
    yi: object,
    vi: object,
    by: object,
    method: str = "DL",
    *,
    ci: str = "z",
    level: float = 0.95,
) -> Cumulative:
    """Pool the studies cumulatively in the order of ``by`` (for example publication year).

    Parameters
    ----------
    yi, vi : array-like of float
        Effect sizes and sampling variances (at least 2 studies).
    by : array-like of float
        One number per study; the studies are added in increasing order of ``by``, studies
        with equal values in their input order (a stable sort, as R's ``order``).
    method, ci, level
        Passed to `analysis.pool` at every step.

    Returns
    -------
    Cumulative

    Raises
    ------
    InputError
        For data `analysis.pool` refuses, or ``by`` not one finite number per study.

    Notes
    -----
    metafor's ``cumul(rma(...), order = by)`` also reports the first study alone (its own
    estimate and interval); here the steps start with two studies, the first pooled result.
    A cumulative analysis re-tests the same hypothesis after every study, so its intervals and
    p-values are not corrected for the repeated looks: it shows how the estimate moved, not
    when it became "significant".

    References
    ----------
    Lau J, Antman EM, Jimenez-Silva J, Kupelnick B, Mosteller F, Chalmers TC. Cumulative
    meta-analysis of therapeutic trials for myocardial infarction. N Engl J Med
    1992;327(4):248-54. doi:10.1056/NEJM199207233270406

    Examples
    --------
    >>> years = [2004, 2001, 2001, 2010]
    >>> res = cumulative([0.1, 0.3, 0.35, 0.9], [0.01, 0.02, 0.015, 0.02], years, "FE")
    >>> res.order
    (1, 2, 0, 3)
    >>> [int(k) for k in res.field("k")]
    [2, 3, 4]
    """
    where = "cumulative"
    checked = effects_and_variances(yi, vi, where, min_k=2)
    y, v = checked.yi, checked.vi
    keys = as_vector(by, "by", where)
    same_length(where, yi=y, by=keys)
    order = np.argsort(keys, kind="stable")
    steps = tuple(
        pool(y[order[:j]], v[order[:j]], method, ci=ci, level=level) for j in range(2, len(y) + 1)
    )
    return Cumulative(
        method=steps[0].method,
        ci_method=steps[0].ci_method,
        first=int(order[0]),
        added=tuple(int(i) for i in order[1:]),
        steps=steps,
    )
