"""The library never answers with a foreign exception or a silent non-finite number.

Each case below once raised an exception of Python, numpy or scipy (ZeroDivisionError,
ValueError, AttributeError, a broadcast error), returned NaN or infinity, reported a wrong
number, or accepted what is not a number. Each now gives this package's one-line `InputError`
(or `ConvergenceError`), raised here with no library exception chained to it, or a stated,
documented finite answer.
"""

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.metaanalysis import (
    ConvergenceError,
    InputError,
    begg,
    binomial_interval,
    egger,
    glmm_proportions,
    paired_mean_difference,
    paired_standardized_mean_difference,
    pool,
    pool_proportions,
    prediction_interval,
    proportion_effect_sizes,
    raw_proportions,
    standardized_mean_difference,
    trim_and_fill,
    wald_intervals,
)
from analysis.metaanalysis.checks import MAX_LEVEL
from tests.conftest import raised_here
from tests.tolerances import CLOSED_FORM_IDENTITY

LEVEL_MESSAGE = (
    "must be a number between 0 and 1, e.g. 0.95 (at most 1 - 1e-12: nearer 1 the quantiles "
    "of the intervals are infinite)"
)
SMD = {"m1": [6.0, 5.0, 4.0], "sd1": [1.0, 1.0, 1.0], "m2": [3.0, 3.0, 3.0]}
SMD |= {"sd2": [1.0, 1.2, 0.9], "n": [10, 12, 14]}

CASES = [
    # begg on tied effects or equal variances: ZeroDivisionError before.
    (
        begg,
        {"yi": [0.3, 0.3, 0.3], "vi": [0.01, 0.02, 0.03]},
        "begg: all 3 effects are equal (0.3), so their deviates tie and Kendall's tau is "
        "undefined",
    ),
    (
        begg,
        {"yi": [0.1, 0.2, 0.4], "vi": [0.02, 0.02, 0.02]},
        "begg: all 3 variances are equal (0.02), so they tie and Kendall's tau is undefined",
    ),
    # Variances of 1e-300: scipy's ValueError (f(a) and f(b) must have different signs).
    (
        pool,
        {"yi": [0.1, 0.2, 0.3], "vi": [1e-300, 1e-300, 2e-300]},
        "pool: vi[0] = 1e-300 is outside [1e-100, 1e+100], the range of variances this library "
        "computes with; rescale the effects (another unit)",
    ),
    # An effect of 1.9e153: ZeroDivisionError in REML's Fisher scoring.
    (
        pool,
        {"yi": [0, 1.9e153], "vi": [1, 1], "method": "REML"},
        "pool: yi[1] = 1.9e+153 is larger than 1e+50 in size, beyond the range this library "
        "computes with; rescale the effects (another unit)",
    ),
    # A level so near 1 that 0.5 + level / 2 rounds to 1: infinite intervals.
    (
        pool,
        {"yi": [0.1, 0.2], "vi": [0.01, 0.02], "level": 0.9999999999999999},
        f"pool: level=0.9999999999999999 {LEVEL_MESSAGE}",
    ),
    (
        binomial_interval,
        {"events": 1, "n": 10, "level": 1 - 1e-13},
        f"binomial_interval: level={1 - 1e-13!r} {LEVEL_MESSAGE}",
    ),
    # A flag that is not a bool ("no" is truthy): already refused; kept.
    (
        pool,
        {"yi": [0.1, 0.2], "vi": [0.01, 0.0], "drop_zero_variance": "no"},
        "pool: drop_zero_variance='no' must be True or False",
    ),
    # Booleans and numeric strings as data: accepted (as 1.0 and 0.5) before.
    (pool, {"yi": [0.1, True], "vi": [0.01, 0.02]}, "pool: yi[1] = True is not a number"),
    (pool, {"yi": [0.1, 0.2], "vi": ["0.5", 0.02]}, "pool: vi[0] = '0.5' is not a number"),
    (
        pool,
        {"yi": np.array([True, False]), "vi": [0.01, 0.02]},
        "pool: yi[0] = np.True_ is not a number",
    ),
    (
        pool,
        {"yi": pd.Series(["0.1", "0.2"]), "vi": [0.01, 0.02]},
        "pool: yi[0] = '0.1' is not a number",
    ),
    (
        pool,
        {"yi": [0.1, 10**400], "vi": [0.01, 0.02]},
        "pool: yi[1] is an integer of 401 digits, too large for a floating-point number",
    ),
    (
        egger,
        {"yi": [0.1, 0.2, 0.3], "vi": [0.01, 0.02, False]},
        "egger: vi[2] = False is not a number",
    ),
    (
        wald_intervals,
        {"yi": ["0.1"], "vi": [0.01]},
        "wald_intervals: yi[0] = '0.1' is not a number",
    ),
    (
        raw_proportions,
        {"p": [0.5, True], "n": [10, 10]},
        "raw_proportions: p[1] = True is not a number",
    ),
    (
        proportion_effect_sizes,
        {"events": [1, True], "n": [10, 10]},
        "proportion_effect_sizes: events[1] = True is not a number",
    ),
    (
        pool_proportions,
        {"events": [1, 2], "n": ["10", 10]},
        "pool_proportions: n[0] = '10' is not a number",
    ),
    (
        glmm_proportions,
        {"events": [1, 2], "n": [10, True]},
        "glmm_proportions: n[1] = True is not a number",
    ),
    (
        binomial_interval,
        {"events": [1, True], "n": 10},
        "binomial_interval: events[1] = True is not a number",
    ),
    (
        binomial_interval,
        {"events": True, "n": 10},
        "binomial_interval: events must be a whole number or numbers, got True",
    ),
    (
        standardized_mean_difference,
        {"m1": [1], "sd1": [1], "n1": [True], "m2": [0], "sd2": [1], "n2": [10]},
        "standardized_mean_difference: n1[0] = True is not a number",
    ),
    (
        paired_mean_difference,
        {"m1": [1], "sd1": [1], "m2": [0], "sd2": [1], "n": [10], "r": "0.5"},
        "paired_mean_difference: r[0] = '0.5' is not a number",
    ),
    # binomial_interval(1, 10**20) reported n = -9223372036854775808.
    (
        binomial_interval,
        {"events": 1, "n": 10**20},
        "binomial_interval: n[0] = 1e+20 is too large: counts above 2**53 = 9007199254740992 "
        "are not held exactly by floating-point numbers",
    ),
    (
        pool_proportions,
        {"events": [1, 2], "n": [10, 2**60]},
        "pool_proportions: n[1] = 1.15292e+18 is too large: counts above 2**53 = "
        "9007199254740992 are not held exactly by floating-point numbers",
    ),
    # A short r: numpy's broadcast error.
    (
        paired_standardized_mean_difference,
        SMD | {"r": [0.5, 0.5]},
        "paired_standardized_mean_difference: r has 2 values but n has 3; give one r per study "
        "or a single r",
    ),
    # Found by hypothesis: an overflow that turned into a wrong finite number (a pooled SD of
    # infinity gave an SMD of 0), and a logit that overflowed with a tiny continuity correction.
    (
        standardized_mean_difference,
        {"m1": [3.2e153], "sd1": [3.2e153], "n1": [10], "m2": [0.0], "sd2": [3.2e153]}
        | {"n2": [10]},
        "standardized_mean_difference: the means, SDs or sizes are too large, or too far apart "
        "in size, for floating-point arithmetic; rescale them (another unit)",
    ),
    (
        proportion_effect_sizes,
        {"events": [179769314], "n": [179769314], "add": 1e-300},
        "proportion_effect_sizes: events[0] = 1.79769e+08 of n[0] = 1.79769e+08 with "
        "add=1e-300 gives a logit or a variance too large for floating-point numbers; use a "
        "larger continuity correction",
    ),
    # prediction_interval(None): AttributeError.
    (
        prediction_interval,
        {"result": None},
        "prediction_interval: result must be the PoolResult of pool(), got NoneType",
    ),
]


@pytest.mark.parametrize(
    ("function", "kwargs", "message"),
    CASES,
    ids=[f"{i:02d}-{f.__name__}" for i, (f, _, _) in enumerate(CASES)],
)
def test_bad_input_gives_this_packages_one_line(function, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError) as caught:
        function(**kwargs)
    assert str(caught.value) == message
    assert raised_here(caught)


def test_the_highest_level_allowed_gives_finite_intervals() -> None:
    """At `MAX_LEVEL` the quantiles (t with 1 df is the widest) are still finite."""
    for ci in ("z", "hksj"):
        result = pool([0.1, 0.2], [0.01, 0.02], "DL", ci=ci, level=MAX_LEVEL)
        limits = (result.ci_low, result.ci_high, result.pi_low, result.pi_high)
        assert all(math.isfinite(x) for x in limits)
        assert result.ci_low < result.ci_high


HKSJ_NO_SPREAD = [
    pytest.param([0.0, 0.0], [1.0, 1.0], "FE", id="two-zero-effects-FE"),
    pytest.param([0.3, 0.3, 0.3], [0.01, 0.02, 0.03], "DL", id="three-equal-effects-DL"),
    pytest.param([0.3, 0.3, 0.3], [0.01, 0.02, 0.03], "REML", id="three-equal-effects-REML"),
    # Weights 2 and 2, residuals -+2**-27: a residual sum of squares of exactly 2**-52, the
    # machine epsilon, which is "at most HKSJ_ZERO_RSS" and so still takes the scale 1.
    pytest.param([-(2.0**-27), 2.0**-27], [0.5, 0.5], "FE", id="residual-ss-exactly-epsilon"),
]


@pytest.mark.parametrize(("yi", "vi", "method"), HKSJ_NO_SPREAD)
def test_hksj_without_residual_spread_uses_the_truncated_scale(yi, vi, method) -> None:
    """Studies all at the pooled estimate: the HKSJ scale would be 0 (metafor: an interval of
    width 0 with p = 0; with an effect of 0, NaN and a RuntimeWarning). `pool` takes the scale
    1 instead, documented as `HKSJ_ZERO_RSS`: the interval of ``"hksj-adhoc"``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hksj = pool(yi, vi, method, ci="hksj")
    adhoc = pool(yi, vi, method, ci="hksj-adhoc")
    assert hksj.ci_high - hksj.ci_low > 0
    assert (hksj.se, hksj.ci_low, hksj.ci_high, hksj.p_value) == (
        adhoc.se,
        adhoc.ci_low,
        adhoc.ci_high,
        adhoc.p_value,
    )
    assert 0 < hksj.p_value <= 1 and math.isfinite(hksj.statistic)


OSCILLATING = (
    [-1.57858579, 0.00173205, -1.58776393, -1.51735425],
    [0.004, 0.3880001, 0.0020002, 0.0010003],
)


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=str)
def test_trim_and_fill_that_oscillates_stops_as_metafor_in_every_order(order) -> None:
    """k0 alternates 1, 0, 1, ... for ever (metafor's trimfill too, see
    tests/reference/metafor_bias.R): after 100 iterations, a ConvergenceError."""
    yi, vi = ([values[i] for i in order] for values in OSCILLATING)
    with pytest.raises(ConvergenceError) as caught:
        trim_and_fill(yi, vi)
    assert str(caught.value) == (
        "trim_and_fill: the trim and fill algorithm did not converge: k0 has not settled after "
        "max_iterations=100 iterations (its last values: 1, 0, 1, 0); metafor's trimfill stops "
        "with the same error"
    )
    assert raised_here(caught)


def test_one_dominant_weight_gives_the_exact_heterogeneity() -> None:
    """Weights 1e20, 1, 1: ``(sum w)² - sum(w²)`` cancelled to 0 in floating point, so s² was
    infinite, H² NaN and I² 0 (metafor, which cancels likewise, prints a DL tau² of 24.0
    instead of 12.0). Now every quantity equals its value in exact rational arithmetic."""
    yi, vi = [0.1, 5.0, -5.0], [1e-20, 1.0, 1.0]
    y, v = [Fraction(x) for x in yi], [Fraction(x) for x in vi]
    w = [1 / x for x in v]
    sw, sw2 = sum(w), sum(x * x for x in w)
    mu = sum(a * b for a, b in zip(w, y, strict=True)) / sw
    q = sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True))
    tau2 = (q - 2) / (sw - sw2 / sw)
    s2 = 2 * sw / (sw * sw - sw2)
    result = pool(yi, vi, "DL")
    assert CLOSED_FORM_IDENTITY.isclose(result.tau2, float(tau2))
    assert CLOSED_FORM_IDENTITY.isclose(result.i2, float(100 * tau2 / (tau2 + s2)))
    assert CLOSED_FORM_IDENTITY.isclose(result.h2, float((tau2 + s2) / s2))
    assert all(math.isfinite(x) for x in (*result.i2_ci, *result.h2_ci))
