"""Influence of single studies: leave-one-out re-analysis and Baujat's diagnostic."""

from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.checks import effects_and_variances
from analysis.metaanalysis.pooling import PoolResult, pool
from analysis.metaanalysis.results import TidyResult


@dataclass(frozen=True)
class LeaveOneOut(TidyResult):
    """The pooled result with each study left out in turn.

    Attributes
    ----------
    method, ci_method : str
        The model and interval of every re-analysis (those of the full analysis).
    full : PoolResult
        The analysis of all studies.
    omitted : tuple of PoolResult
        ``omitted[i]`` pools every study but study ``i``.
    """

    _per_study = True

    method: str
    ci_method: str
    full: PoolResult
    omitted: tuple[PoolResult, ...]

    def field(self, name: str) -> np.ndarray:
        """One field of every re-analysis, e.g. ``field("estimate")``, in study order."""
        return np.array([getattr(result, name) for result in self.omitted], dtype=float)


def leave_one_out(yi: object, vi: object, method: str = "DL", *, ci: str = "z") -> LeaveOneOut:
    """Re-pool the studies k times, each time without one of them.

    Parameters
    ----------
    yi, vi : array-like of float
        Effect sizes and sampling variances (k >= 3, so that two studies remain).
    method, ci : str
        Passed to `analysis.pool`.

    Returns
    -------
    LeaveOneOut

    References
    ----------
    Viechtbauer W, Cheung MW-L. Outlier and influence diagnostics for meta-analysis. Res Synth
    Methods 2010;1(2):112-25. doi:10.1002/jrsm.11 (metafor's ``leave1out``)

    Examples
    --------
    >>> res = leave_one_out([0.1, 0.3, 0.35, 0.9], [0.01, 0.02, 0.015, 0.02], "FE")
    >>> [round(float(e), 3) for e in res.field("estimate")]
    [0.5, 0.362, 0.35, 0.223]
    """
    y, v = _checked(yi, vi, "leave_one_out")
    full = pool(y, v, method, ci=ci)
    keep = ~np.eye(len(y), dtype=bool)
    omitted = tuple(pool(y[mask], v[mask], method, ci=ci) for mask in keep)
    return LeaveOneOut(method=method, ci_method=ci, full=full, omitted=omitted)


@dataclass(frozen=True)
class Baujat(TidyResult):
    """Coordinates of the Baujat plot, one point per study.

    Attributes
    ----------
    contribution : tuple of float
        x: the study's contribution to the heterogeneity, its squared Pearson residual
        ``(y_i - mu)^2 / (v_i + tau2)`` in the full model (with the common-effect model these
        sum to Cochran's Q).
    influence : tuple of float
        y: its influence on the pooled result, ``(mu_(-i) - mu)^2 / var(mu_(-i))``.
    method : str
        The model used for both.
    """

    _per_study = True

    contribution: tuple[float, ...]
    influence: tuple[float, ...]
    method: str


def baujat(yi: object, vi: object, method: str = "FE") -> Baujat:
    """Baujat's diagnostic: each study's contribution to heterogeneity and to the result.

    Parameters
    ----------
    yi, vi : array-like of float
        Effect sizes and sampling variances (k >= 3).
    method : str
        Model of `analysis.pool`. Baujat et al. used the common-effect model (``"FE"``, the
        default); metafor's ``baujat()`` uses the model it is given, and so does this function.

    Returns
    -------
    Baujat

    References
    ----------
    Baujat B, Mahé C, Pignon J-P, Hill C. A graphical method for exploring heterogeneity in
    meta-analyses: application to a meta-analysis of 65 trials. Stat Med 2002;21(18):2641-52.
    doi:10.1002/sim.1221
    """
    y, v = _checked(yi, vi, "baujat")
    loo = leave_one_out(y, v, method)
    full = loo.full
    contribution = (y - full.estimate) ** 2 / (v + full.tau2)
    influence = (loo.field("estimate") - full.estimate) ** 2 / loo.field("se") ** 2
    return Baujat(tuple(contribution.tolist()), tuple(influence.tolist()), method)


def _checked(yi: object, vi: object, where: str) -> tuple[np.ndarray, np.ndarray]:
    studies = effects_and_variances(yi, vi, where, min_k=3, why=" (2 remain when one is left out)")
    return studies.yi, studies.vi
