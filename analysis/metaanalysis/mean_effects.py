"""Effect sizes for means: standardized and raw mean differences, for two groups or paired data.

Direction: every function takes the "first" measurement first and returns first minus second.
With a baseline first and a score at the end of treatment second, a positive effect means that
the score went down.

Two families:

- **Two independent groups** (`standardized_mean_difference`, `mean_difference`). Applied to the
  baseline and end-of-treatment scores of the same patients (as some published meta-analyses do),
  they treat them as if they came from two groups of n patients each. Stata's ``metan`` offers
  Cohen's d (its default), Hedges' adjusted g and Glass's delta, with the formulas of Deeks, Altman
  & Bradburn (2001); metafor's ``escalc(measure="SMD")`` computes Hedges' g with the exact bias
  correction.
- **Paired data** (`paired_standardized_mean_difference`, `paired_mean_difference`): the
  scores are two measurements of the same patients, correlated with some r that the studies
  do not report. Standardized by the SD of the change (metafor "SMCC"; Gibbons et al. 1993) or
  by the baseline SD (metafor "SMCR"; Becker 1988; Morris 2008).

Each function raises `analysis.metaanalysis.errors.InputError`, in one line, for values that
are not finite numbers, SDs below 0, sizes below 2, and input whose arithmetic would overflow
(means and SDs too large, or too far apart in size, for floating-point numbers), rather than
return an infinite or silently wrong effect.
"""

import functools
from collections.abc import Callable

import numpy as np

from analysis.metaanalysis.checks import as_vector, one_of, same_length
from analysis.metaanalysis.effect_sizes import EffectSizes
from analysis.metaanalysis.errors import InputError

SMD_METHODS = ("cohen", "hedges", "glass", "metafor")
"""Two-group SMDs: ``"cohen"``, ``"hedges"``, ``"glass"`` as Stata's ``metan``;
``"metafor"`` as ``escalc(measure="SMD")`` (Hedges' g, exact correction)."""
PAIRED_STANDARDIZERS = ("change", "baseline")


def _finite(function: Callable[..., EffectSizes]) -> Callable[..., EffectSizes]:
    """Refuse, in one line, input whose arithmetic overflows or gives a non-finite effect or
    variance (means, SDs or sizes too large, or too far apart in size, for floating-point
    numbers), instead of a wrong number: an overflow to infinity can turn into a finite but
    wrong effect (a pooled SD of infinity gives an SMD of 0)."""

    @functools.wraps(function)
    def checked(*args: object, **kwargs: object) -> EffectSizes:
        where = function.__name__
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                result = function(*args, **kwargs)
        except FloatingPointError:
            raise InputError(
                f"{where}: the means, SDs or sizes are too large, or too far apart in size, "
                "for floating-point arithmetic; rescale them (another unit)"
            ) from None
        bad = np.flatnonzero(~(np.isfinite(result.yi) & np.isfinite(result.vi)))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"{where}: study {i} gives yi = {result.yi[i]:g}, vi = {result.vi[i]:g}, not "
                "finite: its means and SDs are too far apart in size for floating-point "
                "arithmetic; rescale them (another unit)"
            )
        return result

    return checked


def bias_correction(m: np.ndarray) -> np.ndarray:
    """Hedges' exact small-sample correction ``J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2))``.

    About ``1 - 3 / (4m - 1)``; metafor's ``.cmicalc``.

    References
    ----------
    Hedges LV. Distribution theory for Glass's estimator of effect size and related
    estimators. J Educ Stat 1981;6(2):107-28. doi:10.3102/10769986006002107
    """
    from scipy.special import gammaln

    m = np.asarray(m, dtype=float)
    return np.exp(gammaln(m / 2) - np.log(np.sqrt(m / 2)) - gammaln((m - 1) / 2))


@_finite
def standardized_mean_difference(
    m1: object,
    sd1: object,
    n1: object,
    m2: object,
    sd2: object,
    n2: object,
    method: str = "cohen",
) -> EffectSizes:
    """Standardized mean difference of two independent groups, ``(m1 - m2) / s``.

    Parameters
    ----------
    m1, sd1, n1 : array-like
        Mean, standard deviation and size of the first group.
    m2, sd2, n2 : array-like
        The same for the second group (Glass's delta standardizes by ``sd2``).
    method : {"cohen", "hedges", "glass", "metafor"}
        With ``N = n1 + n2`` and pooled SD
        ``s = sqrt(((n1-1) sd1² + (n2-1) sd2²) / (N-2))``:

        - ``"cohen"`` (Stata ``metan`` default): ``d = (m1-m2)/s``,
          ``var = N/(n1 n2) + d²/(2(N-2))``;
        - ``"hedges"`` (``metan``, option ``hedges``): ``g = d (1 - 3/(4N-9))``,
          ``var = N/(n1 n2) + g²/(2(N-3.94))``;
        - ``"glass"`` (``metan``, option ``glass``): ``Δ = (m1-m2)/sd2``,
          ``var = N/(n1 n2) + Δ²/(2(n2-1))``;
        - ``"metafor"`` (``escalc(measure="SMD")``): ``g = J(N-2) d`` with the exact
          correction, ``var = 1/n1 + 1/n2 + g²/(2N)``.

    Returns
    -------
    EffectSizes
        Measure ``"SMD-cohen"``, ``"SMD-hedges"``, ``"SMD-glass"`` or ``"SMD"``.

    References
    ----------
    Deeks JJ, Altman DG, Bradburn MJ. Statistical methods for examining heterogeneity and
    combining results from several studies in meta-analysis. In: Egger M, Davey Smith G,
    Altman DG, eds. Systematic Reviews in Health Care. 2nd ed. BMJ Books; 2001:285-312.

    Harris RJ, Bradburn MJ, Deeks JJ, et al. metan: fixed- and random-effects
    meta-analysis. Stata J 2008;8(1):3-28. doi:10.1177/1536867X0800800102

    Examples
    --------
    Pain 6.2 ± 0.2 before and 0.4 ± 0.3 after treatment in 10 patients, taken as two groups of
    10 (the ± looks like a standard error, not an SD): an SMD of over 22 standard deviations.

    >>> es = standardized_mean_difference([6.2], [0.2], [10], [0.4], [0.3], [10])
    >>> round(es.yi[0], 2), round(es.vi[0], 2)
    (22.75, 14.58)
    """
    where = "standardized_mean_difference"
    one_of(method, SMD_METHODS, "method", where)
    a1, s1, k1, a2, s2, k2 = _groups(where, m1=m1, sd1=sd1, n1=n1, m2=m2, sd2=sd2, n2=n2)
    total = k1 + k2
    pooled = np.sqrt(((k1 - 1) * s1**2 + (k2 - 1) * s2**2) / (total - 2))
    _positive(pooled, "pooled SD", where)
    d = (a1 - a2) / pooled
    if method == "cohen":
        yi, vi = d, total / (k1 * k2) + d**2 / (2 * (total - 2))
    elif method == "hedges":
        yi = d * (1 - 3 / (4 * total - 9))
        vi = total / (k1 * k2) + yi**2 / (2 * (total - 3.94))
    elif method == "glass":
        _positive(s2, "sd2", where)
        yi = (a1 - a2) / s2
        vi = total / (k1 * k2) + yi**2 / (2 * (k2 - 1))
    else:
        yi = bias_correction(total - 2) * d
        vi = 1 / k1 + 1 / k2 + yi**2 / (2 * total)
    measure = "SMD" if method == "metafor" else f"SMD-{method}"
    return EffectSizes(yi=tuple(yi.tolist()), vi=tuple(vi.tolist()), measure=measure)


@_finite
def mean_difference(
    m1: object, sd1: object, n1: object, m2: object, sd2: object, n2: object
) -> EffectSizes:
    """Raw mean difference of two independent groups, ``m1 - m2``, variance
    ``sd1²/n1 + sd2²/n2`` (metafor ``escalc(measure="MD")``)."""
    a1, s1, k1, a2, s2, k2 = _groups(
        "mean_difference", m1=m1, sd1=sd1, n1=n1, m2=m2, sd2=sd2, n2=n2
    )
    vi = s1**2 / k1 + s2**2 / k2
    return EffectSizes(yi=tuple((a1 - a2).tolist()), vi=tuple(vi.tolist()), measure="MD")


@_finite
def paired_mean_difference(
    m1: object, sd1: object, m2: object, sd2: object, n: object, r: object
) -> EffectSizes:
    """Raw mean change of paired measurements, ``m1 - m2``, with variance
    ``(sd1² + sd2² - 2 r sd1 sd2) / n`` (metafor ``escalc(measure="MC")``)."""
    a1, s1, a2, s2, k, rho = _paired("paired_mean_difference", m1, sd1, m2, sd2, n, r)
    vi = (s1**2 + s2**2 - 2 * rho * s1 * s2) / k
    return EffectSizes(yi=tuple((a1 - a2).tolist()), vi=tuple(vi.tolist()), measure="MC")


@_finite
def paired_standardized_mean_difference(
    m1: object,
    sd1: object,
    m2: object,
    sd2: object,
    n: object,
    r: object,
    standardizer: str = "change",
) -> EffectSizes:
    """Standardized mean change of paired measurements (the same n patients twice).

    Parameters
    ----------
    m1, sd1 : array-like
        Mean and SD of the first measurement (baseline).
    m2, sd2 : array-like
        Mean and SD of the second (end of treatment).
    n : array-like
        Number of patients.
    r : float or array-like
        Correlation between the two measurements, in (-1, 1): one for all studies, or one per
        study.
    standardizer : {"change", "baseline"}
        ``"change"`` (metafor "SMCC"): divide by the SD of the change,
        ``sd_d = sqrt(sd1² + sd2² - 2 r sd1 sd2)``; ``var = 1/n + g²/(2n)``.
        ``"baseline"`` (metafor "SMCR"): divide by ``sd1``; ``var = 2(1-r)/n + g²/(2n)``.
        Both apply the exact correction ``J(n - 1)``.

    Returns
    -------
    EffectSizes
        Measure ``"SMCC"`` or ``"SMCR"``.

    References
    ----------
    Becker BJ. Synthesizing standardized mean-change measures. Br J Math Stat Psychol
    1988;41(2):257-78. doi:10.1111/j.2044-8317.1988.tb00901.x

    Gibbons RD, Hedeker DR, Davis JM. Estimation of effect size from a series of experiments
    involving paired comparisons. J Educ Stat 1993;18(3):271-9. doi:10.3102/10769986018003271

    Morris SB. Estimating effect sizes from pretest-posttest-control group designs. Organ Res
    Methods 2008;11(2):364-86. doi:10.1177/1094428106291059

    Examples
    --------
    >>> es = paired_standardized_mean_difference([6.2], [0.2], [0.4], [0.3], [10], 0.5,
    ...                                          standardizer="baseline")
    >>> round(es.yi[0], 2)
    26.5
    """
    where = "paired_standardized_mean_difference"
    one_of(standardizer, PAIRED_STANDARDIZERS, "standardizer", where)
    a1, s1, a2, s2, k, rho = _paired(where, m1, sd1, m2, sd2, n, r)
    correction = bias_correction(k - 1)
    if standardizer == "change":
        sd_change = np.sqrt(s1**2 + s2**2 - 2 * rho * s1 * s2)
        _positive(sd_change, "SD of the change", where)
        yi = correction * (a1 - a2) / sd_change
        vi = 1 / k + yi**2 / (2 * k)
        measure = "SMCC"
    else:
        _positive(s1, "sd1", where)
        yi = correction * (a1 - a2) / s1
        vi = 2 * (1 - rho) / k + yi**2 / (2 * k)
        measure = "SMCR"
    return EffectSizes(yi=tuple(yi.tolist()), vi=tuple(vi.tolist()), measure=measure)


def _groups(where: str, **values: object) -> tuple[np.ndarray, ...]:
    arrays = {name: as_vector(value, name, where) for name, value in values.items()}
    same_length(where, **arrays)
    for name in ("sd1", "sd2"):
        _not_negative(arrays[name], name, where)
    for name in ("n1", "n2"):
        _at_least(arrays[name], 2, name, where)
    return tuple(arrays.values())


def _paired(
    where: str, m1: object, sd1: object, m2: object, sd2: object, n: object, r: object
) -> tuple[np.ndarray, ...]:
    arrays = {
        "m1": as_vector(m1, "m1", where),
        "sd1": as_vector(sd1, "sd1", where),
        "m2": as_vector(m2, "m2", where),
        "sd2": as_vector(sd2, "sd2", where),
        "n": as_vector(n, "n", where),
    }
    same_length(where, **arrays)
    rho = as_vector([r] if np.ndim(r) == 0 else r, "r", where)
    k = len(arrays["n"])
    if len(rho) == 1:
        rho = np.full(k, rho[0])
    elif len(rho) != k:
        raise InputError(
            f"{where}: r has {len(rho)} values but n has {k}; give one r per study or a single r"
        )
    outside = np.flatnonzero((rho <= -1) | (rho >= 1))
    if outside.size:
        raise InputError(f"{where}: r = {rho[outside[0]]:g} must lie strictly between -1 and 1")
    for name in ("sd1", "sd2"):
        _not_negative(arrays[name], name, where)
    _at_least(arrays["n"], 2, "n", where)
    return (*arrays.values(), rho)


def _not_negative(values: np.ndarray, name: str, where: str) -> None:
    bad = np.flatnonzero(values < 0)
    if bad.size:
        raise InputError(f"{where}: {name}[{bad[0]}] = {values[bad[0]]:g} is negative")


def _positive(values: np.ndarray, name: str, where: str) -> None:
    bad = np.flatnonzero(~(values > 0))
    if bad.size:
        raise InputError(f"{where}: the {name} of study {bad[0]} is 0; the SMD is undefined")


def _at_least(values: np.ndarray, minimum: int, name: str, where: str) -> None:
    bad = np.flatnonzero(values < minimum)
    if bad.size:
        raise InputError(f"{where}: {name}[{bad[0]}] = {values[bad[0]]:g}; needs >= {minimum}")
