"""Invariants of `meta_regression` for any data, and its one-line errors.

Tolerance: `POOL_INVARIANT` (relative 1e-9, absolute 1e-12 times a scale) where two
computations agree exactly in real arithmetic but run in another order; the absolute part is
scaled by 100 for the model's statistics, as for `pool`'s tau² (REML stops within 1e-12 of
its root, so a tau² at the zero boundary, and I² with it, carries noise of that size).
"""

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from analysis import pool
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.meta_regression import REGRESSION_METHODS, meta_regression
from tests.tolerances import POOL_INVARIANT

MODEL_FIELDS = ("tau2", "qm", "qm_p", "qe", "qe_p", "i2", "h2")
KNHA_RESIDUAL_FLOOR = 1e-6
"""A residual Q below this share of the weighted sum of squared effects is taken as rounding
(its relative error, about machine epsilon over this share, would pass POOL_INVARIANT's 1e-9)."""


def same_model(a, b) -> None:
    for field in MODEL_FIELDS:
        assert POOL_INVARIANT.isclose(getattr(a, field), getattr(b, field), 100.0), field


@st.composite
def studies(draw: st.DrawFn, min_k: int = 4, max_k: int = 12) -> tuple:
    """Effects, variances and one moderator that is not constant."""
    k = draw(st.integers(min_value=min_k, max_value=max_k))
    yi = draw(st.lists(st.floats(-5, 5), min_size=k, max_size=k))
    vi = draw(st.lists(st.floats(0.001, 2.0), min_size=k, max_size=k))
    x = draw(st.lists(st.floats(-10, 10), min_size=k, max_size=k))
    assume(np.ptp(x) > 0.5)
    return yi, vi, x


@given(studies(), st.sampled_from(REGRESSION_METHODS), st.floats(-50, 50))
def test_shifting_a_moderator_changes_only_the_intercept(data, method, shift) -> None:
    yi, vi, x = data
    base = meta_regression(yi, vi, {"x": x}, method=method)
    moved = meta_regression(yi, vi, {"x": [v + shift for v in x]}, method=method)
    same_model(moved, base)
    slope = base.coefficients.estimate[1]
    assert moved.coefficients.estimate[1] == POOL_INVARIANT.approx(slope)
    intercept = base.coefficients.estimate[0] - slope * shift
    assert moved.coefficients.estimate[0] == POOL_INVARIANT.approx(intercept)


@given(studies(), st.sampled_from(REGRESSION_METHODS), st.sampled_from(["z", "knha"]))
def test_a_prediction_is_the_intercept_of_the_model_centred_there(data, method, test) -> None:
    """`MetaRegression.predict` at x0 equals the intercept, its CI included, of the same model
    with the moderator shifted by -x0 (exact in real arithmetic; the covariance term of the
    prediction's variance is what this checks)."""
    yi, vi, x = data
    x0 = float(np.mean(x) + np.ptp(x))
    fit = meta_regression(yi, vi, {"x": x}, method=method, test=test)
    centred = meta_regression(yi, vi, {"x": [v - x0 for v in x]}, method=method, test=test)
    estimate, low, high = fit.predict({"x": [x0]})
    c = centred.coefficients
    scale = max(1.0, abs(c.ci_high[0] - c.ci_low[0]))
    for ours, theirs in ((estimate, c.estimate[0]), (low, c.ci_low[0]), (high, c.ci_high[0])):
        assert POOL_INVARIANT.isclose(float(ours[0]), theirs, 100.0 * scale)


def test_predict_names_a_wrong_moderator() -> None:
    fit = meta_regression([0.1, 0.3, 0.35, 0.6], [0.01, 0.02, 0.015, 0.03], {"dose": [1, 2, 3, 4]})
    with pytest.raises(
        InputError, match=r"^MetaRegression.predict: .*\['dose'\], not \['year'\]$"
    ):
        fit.predict({"year": [1]})


@given(studies(), st.sampled_from(["DL", "REML"]))
@example(data=([2.0625, 0.0, 1.5, 0.0], [1.0, 1.0, 1.0, 0.25], [1.0, 0.0, 0.0, 0.0]), method="DL")
def test_a_moderator_cannot_leave_more_heterogeneity_than_none(data, method) -> None:
    """The residual Q of a model with a moderator is at most Cochran's Q, and with the
    intercept only the intercept is the pooled estimate of `pool`."""
    yi, vi, x = data
    fit = meta_regression(yi, vi, {"x": x}, method=method)
    pooled = pool(yi, vi, method)
    assert fit.qe <= pooled.q * (1 + POOL_INVARIANT.rtol) + POOL_INVARIANT.atol
    assert 0.0 <= fit.r2 <= 100.0
    assert 0.0 <= fit.i2 < 100.0 and fit.h2 >= 1.0


@given(studies(), st.sampled_from(REGRESSION_METHODS), st.sampled_from(["z", "knha"]))
def test_the_order_of_studies_does_not_matter(data, method, test) -> None:
    """Same model in another order of the studies, where the model is determined to more than
    rounding: with Knapp-Hartung, QM is divided by the residual variance, and a residual Q that
    is only the rounding left of the data's sums (a moderator that fits the effects exactly but
    for 6e-8, as Hypothesis found) has no digits that an order of summation must keep."""
    yi, vi, x = data
    order = np.argsort(x)[::-1]
    base = meta_regression(yi, vi, {"x": x}, method=method, test=test)
    total = float(np.sum(np.square(yi) / np.asarray(vi)))
    assume(test == "z" or base.qe > KNHA_RESIDUAL_FLOOR * total)
    other = meta_regression(
        [yi[i] for i in order], [vi[i] for i in order], {"x": [x[i] for i in order]},
        method=method, test=test,
    )  # fmt: skip
    same_model(other, base)
    assert list(other.coefficients.estimate) == POOL_INVARIANT.approx(
        list(base.coefficients.estimate)
    )


BAD_CALLS = [
    (
        {"moderators": {"x": [1, 2, 3]}},
        "meta_regression: moderators['x'] has 3 values for 5 studies",
    ),
    (
        {"moderators": {"x": [1, 1, 1, 1, 1]}},
        "meta_regression: the moderators ['x'] with the intercept are linearly dependent (a "
        "constant moderator, or one that repeats another): their coefficients are not "
        "identified",
    ),
    (
        {"moderators": {"x": [1, 2, 3, 4, 5], "y": [2, 4, 6, 8, 10]}},
        "meta_regression: the moderators ['x', 'y'] with the intercept are linearly dependent "
        "(a constant moderator, or one that repeats another): their coefficients are not "
        "identified",
    ),
    (
        {"moderators": {}},
        "meta_regression: moderators must be a mapping of name to one value per study, e.g. "
        "{'year': [2004, 2008, ...]}",
    ),
    (
        {"moderators": {"intercept": [1, 2, 3, 4, 5]}},
        "meta_regression: moderator name 'intercept' must be text other than 'intercept'",
    ),
    (
        {"moderators": {"a": [1, 2, 3, 4, 5], "b": [0, 1, 0, 1, 1], "c": [5, 1, 2, 2, 9],
                        "d": [1, 0, 0, 0, 0]}},
        "meta_regression: 5 studies for 5 coefficients; a meta-regression needs more studies "
        "than coefficients",
    ),
    ({"moderators": {"x": [1, 2, 3, 4, 5]}, "method": "PM"},
     "meta_regression: method='PM' is not one of 'FE', 'DL', 'REML'"),
    ({"moderators": {"x": [1, 2, 3, 4, 5]}, "test": "hksj"},
     "meta_regression: test='hksj' is not one of 'z', 'knha'"),
]  # fmt: skip


@pytest.mark.parametrize(("arguments", "message"), BAD_CALLS)
def test_bad_calls_get_one_line(arguments: dict, message: str) -> None:
    with pytest.raises(InputError) as caught:
        meta_regression([0.1, 0.4, 0.2, 0.5, 0.3], [0.01, 0.02, 0.03, 0.02, 0.01], **arguments)
    assert str(caught.value) == message


def test_a_moderator_of_text_is_named() -> None:
    with pytest.raises(InputError, match=r"moderators\['dose'\]"):
        meta_regression([0.1, 0.4, 0.2, 0.5], [0.01] * 4, {"dose": ["low", "high", "low", "x"]})


def test_an_indicator_may_be_given_as_booleans() -> None:
    as_bool = meta_regression([0.1, 0.4, 0.2, 0.5], [0.01, 0.02, 0.03, 0.02],
                              {"high": [False, True, False, True]})  # fmt: skip
    as_number = meta_regression([0.1, 0.4, 0.2, 0.5], [0.01, 0.02, 0.03, 0.02],
                                {"high": [0, 1, 0, 1]})  # fmt: skip
    assert as_bool == as_number
