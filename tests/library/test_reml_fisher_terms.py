"""REML's Fisher scoring on Python floats for a few studies (issue 14, item 1).

Below `FSUM_BELOW` studies, `restricted_maximum_likelihood` takes its Fisher steps on lists
(`_fisher_terms_of_few`), from power sums while no weight is more than half of the total. These
tests compare the terms with the positive-term forms they replace there (`_reml_score`,
`_reml_information`, ``tr(P)`` from `sum_of_others`), on studies whose variances span many
orders of magnitude (so that one weight can dominate), and the whole iteration with the numpy
one that larger k still uses: the same steps, the same estimate.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.metaanalysis.sums import FSUM_BELOW, total
from analysis.metaanalysis.tau2 import (
    FISHER_ITERATIONS,
    TOLERANCE,
    _fisher_scoring,
    _fisher_start,
    _fisher_start_of_few,
    _fisher_terms_of_few,
    _reml_information,
    _reml_score,
    sum_of_others,
)
from tests.tolerances import CLOSED_FORM_IDENTITY, CLOSED_FORM_IDENTITY_NEAR_ZERO, ROUNDING_SLACK


@st.composite
def few_studies(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, float]:
    """Effects and variances of 2 to `FSUM_BELOW` - 1 studies, and a tau² of 0 or from far
    below to far above them. The variances are alike, spread over up to 16 orders of
    magnitude, or all alike but one far smaller (a weight that dominates the total)."""
    k = draw(st.integers(2, FSUM_BELOW - 1))
    spread = draw(st.sampled_from([0.0, 1.0, 8.0]))
    exponents = np.array(draw(st.lists(st.floats(-spread, spread), min_size=k, max_size=k)))
    if draw(st.booleans()):  # one dominant weight
        exponents[draw(st.integers(0, k - 1))] = -draw(st.floats(2.0, 12.0))
    vi = 0.1 * 10.0**exponents
    yi = np.array(draw(st.lists(st.floats(-3.0, 3.0), min_size=k, max_size=k)))
    tau2 = draw(st.sampled_from([0.0, 1e-15, 1e-9, 1e-3, 0.1, 10.0, 1e4]))
    return yi, vi, tau2


DOMINANT = (np.array([0.1, 0.5, -0.2, 1.0]), np.array([1e-9, 0.1, 0.2, 0.3]), 0.0)
"""Four studies, one of which has nearly all the weight: the power sums cancel there."""


def _as_lists(yi: np.ndarray, vi: np.ndarray) -> tuple[list[float], list[float]]:
    """Effects and variances with the smallest variance first, as `_fisher_terms_of_few` takes
    them."""
    order = np.argsort(vi, kind="stable")
    return yi[order].tolist(), vi[order].tolist()


@given(few_studies())
@example(DOMINANT)
def test_fisher_terms_of_few_equal_the_positive_term_forms(data: tuple) -> None:
    yi, vi, tau2 = data
    quadratic, trace, information = _fisher_terms_of_few(*_as_lists(yi, vi), tau2)
    CLOSED_FORM_IDENTITY.assert_allclose(information, _reml_information(vi, tau2))
    w = 1.0 / (vi + tau2)
    CLOSED_FORM_IDENTITY.assert_allclose(trace, total(w * sum_of_others(w)) / total(w))
    # y'PPy - tr(P), a difference of two sums: compared on the scale of the larger.
    assert ROUNDING_SLACK.isclose(
        quadratic - trace, _reml_score(yi, vi, tau2), scale=max(quadratic, trace)
    )


@given(few_studies())
def test_fisher_scoring_of_few_takes_the_steps_of_the_numpy_iteration(data: tuple) -> None:
    yi, vi, _ = data
    tau2, scale, step_at = _fisher_start_of_few(yi, vi)
    tau2_arrays, scale_arrays, step_at_arrays = _fisher_start(yi, vi)
    assert (tau2, scale) == (tau2_arrays, scale_arrays)  # the same sums, to the last bit
    few = _fisher_scoring(step_at, tau2, scale, TOLERANCE, FISHER_ITERATIONS)
    arrays = _fisher_scoring(step_at_arrays, tau2, scale, TOLERANCE, FISHER_ITERATIONS)
    assert few[1] == arrays[1]  # the steps taken (0: not converged)
    if few[1]:
        CLOSED_FORM_IDENTITY_NEAR_ZERO.assert_allclose(few[0], arrays[0], err_msg=str(few))
