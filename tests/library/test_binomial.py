"""`binomial_interval` against R and scipy, its invariants, and its bad arguments.

Sources: tests/reference/metafor_bias.json (its "binomial" part), written by
tests/reference/metafor_bias.R with R 4.2.2: ``binom.test(x, n, conf.level)$conf.int``
(Clopper–Pearson) and ``prop.test(x, n, conf.level, correct = FALSE)$conf.int`` (Wilson), at
a relative tolerance of 1e-10 (absolute 1e-14): both compute the same closed forms and beta
quantiles. scipy's ``binomtest(x, n).proportion_ci(method="exact" | "wilson")`` is compared at
an absolute 1e-10 (its Wilson formula is arranged differently).
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from analysis.metaanalysis.binomial import binomial_interval
from analysis.metaanalysis.errors import InputError
from tests.conftest import load_reference
from tests.tolerances import (
    BINOMIAL_MIRROR,
    BINOMIAL_VS_R,
    BINOMIAL_VS_SCIPY,
    ROUNDING_SLACK,
)

CASES = load_reference("metafor_bias.json")["binomial"]
SCIPY_METHOD = {"exact": "exact", "wilson": "wilson"}


@pytest.mark.parametrize("method", ["exact", "wilson"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['x']:g}of{c['n']:g}-{c['level']:g}")
def test_matches_r(case: dict, method: str) -> None:
    result = binomial_interval(int(case["x"]), int(case["n"]), method, level=case["level"])
    BINOMIAL_VS_R.assert_allclose([result.ci_low[0], result.ci_high[0]], case[method])


@pytest.mark.parametrize("method", ["exact", "wilson"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['x']:g}of{c['n']:g}-{c['level']:g}")
def test_matches_scipy(case: dict, method: str) -> None:
    x, n, level = int(case["x"]), int(case["n"]), case["level"]
    expected = stats.binomtest(x, n).proportion_ci(confidence_level=level, method=method)
    result = binomial_interval(x, n, method, level=level)
    BINOMIAL_VS_SCIPY.assert_allclose(
        [result.ci_low[0], result.ci_high[0]], [expected.low, expected.high]
    )


def test_vectorised_equals_one_at_a_time() -> None:
    x, n = [5, 4, 1, 0, 7], [258, 33, 5, 12, 7]
    together = binomial_interval(x, n, "wilson")
    for i, (xi, ni) in enumerate(zip(x, n, strict=True)):
        alone = binomial_interval(xi, ni, "wilson")
        assert (alone.ci_low[0], alone.ci_high[0]) == (together.ci_low[i], together.ci_high[i])
    assert together.events == tuple(x) and together.n == tuple(n)


def test_a_single_n_applies_to_every_count() -> None:
    assert binomial_interval([1, 2], 10) == binomial_interval([1, 2], [10, 10])


counts = st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
methods = st.sampled_from(["exact", "wilson"])
levels = st.floats(min_value=0.5, max_value=0.999)


@given(counts, methods, levels)
def test_interval_contains_the_proportion_and_stays_in_0_1(xn, method, level) -> None:
    x, n = xn
    r = binomial_interval(x, n, method, level=level)
    assert 0 <= r.ci_low[0] <= x / n <= r.ci_high[0] <= 1
    assert (r.ci_low[0] == 0) == (x == 0)
    assert (r.ci_high[0] == 1) == (x == n)


@given(counts, methods, levels)
def test_events_and_non_events_mirror(xn, method, level) -> None:
    x, n = xn
    a = binomial_interval(x, n, method, level=level)
    b = binomial_interval(n - x, n, method, level=level)
    assert BINOMIAL_MIRROR.isclose(a.ci_low[0], 1 - b.ci_high[0])
    assert BINOMIAL_MIRROR.isclose(a.ci_high[0], 1 - b.ci_low[0])


@given(counts, methods, levels, levels)
def test_higher_level_gives_a_wider_interval(xn, method, level_a, level_b) -> None:
    x, n = xn
    low, high = sorted([level_a, level_b])
    narrow = binomial_interval(x, n, method, level=low)
    wide = binomial_interval(x, n, method, level=high)
    assert wide.ci_low[0] <= narrow.ci_low[0] + ROUNDING_SLACK.atol
    assert wide.ci_high[0] >= narrow.ci_high[0] - ROUNDING_SLACK.atol


BAD = [
    ({"events": 6, "n": 5}, "events[0] = 6 is outside [0, n[0]] = [0, 5]"),
    ({"events": -1, "n": 5}, "events[0] = -1 is outside [0, n[0]] = [0, 5]"),
    ({"events": 1.5, "n": 5}, "events[0] = 1.5 is not a whole number"),
    ({"events": 1, "n": 0}, "n[0] = 0; a study needs n >= 1"),
    ({"events": [1, 2], "n": [5, 6, 7]}, "events has 2 counts but n has 3"),
    ({"events": "5", "n": 258}, "events must be a whole number or numbers"),
    ({"events": [1, math.nan], "n": 5}, "events[1] = nan is not a whole number"),
    ({"events": 1, "n": 5, "method": "wald"}, "method='wald' is not one of"),
    ({"events": 1, "n": 5, "level": 95}, "level=95 must be"),
    ({"events": [], "n": 5}, "events must be a number or a flat, non-empty sequence"),
]


@pytest.mark.parametrize(("kwargs", "fragment"), BAD, ids=[b[1] for b in BAD])
def test_bad_argument_gives_one_line(kwargs: dict, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        binomial_interval(**kwargs)
    message = str(caught.value)
    assert message.startswith("binomial_interval: ")
    assert fragment in message
    assert "\n" not in message
