"""`pool` and studies with zero variance; bad arguments are tried in test_bad_input.py."""

import pytest

from analysis import InputError, pool
from tests.tolerances import CLOSED_FORM_IDENTITY, SAME_ARITHMETIC

YI = [0.76, 0.62, 0.94]
VI = [0.0055, 0.018, 0.0028]


def test_zero_variance_study_can_be_dropped_explicitly() -> None:
    result = pool([0.0, *YI], [0.0, *VI], drop_zero_variance=True)
    reference = pool(YI, VI)
    assert result.excluded == (0,)
    assert result.k == 3
    assert result.weights[0] == 0.0
    assert result.estimate == SAME_ARITHMETIC.approx(reference.estimate)
    assert result.weights[1:] == SAME_ARITHMETIC.approx(reference.weights)


def test_dropping_leaves_too_few_studies() -> None:
    with pytest.raises(InputError, match="got 1 after leaving out 2 with zero variance"):
        pool([0.0, 1.0, 0.5], [0.0, 0.0, 0.01], drop_zero_variance=True)


def test_result_is_frozen() -> None:
    result = pool(YI, VI)
    with pytest.raises(AttributeError):
        result.estimate = 0.0  # type: ignore[misc]


def test_iterative_estimators_that_do_not_converge_say_so() -> None:
    import numpy as np

    from analysis import ConvergenceError
    from analysis.metaanalysis.tau2 import paule_mandel, restricted_maximum_likelihood

    y = np.array([0.1, 0.9, 0.4, 1.6])
    v = np.array([0.01, 0.02, 0.015, 0.03])
    with pytest.raises(
        ConvergenceError, match=r"^pool: the REML estimator did not converge in 2 iterations"
    ):
        restricted_maximum_likelihood(y, v, max_iter=2)
    with pytest.raises(ConvergenceError, match="Paule-Mandel estimator did not converge"):
        paule_mandel(y, v, max_iter=2)


def test_prediction_interval_with_t_k_minus_2() -> None:
    from scipy import stats

    from analysis import InputError, prediction_interval

    result = pool([0.1, 0.9, 0.4, 1.6], [0.01, 0.02, 0.015, 0.03], "REML")
    low, high = prediction_interval(result)
    half = stats.t.ppf(0.975, 2) * (result.se**2 + result.tau2) ** 0.5
    assert (low, high) == CLOSED_FORM_IDENTITY.approx(
        (result.estimate - half, result.estimate + half)
    )
    assert prediction_interval(result, "model") == (result.pi_low, result.pi_high)
    with pytest.raises(InputError, match="needs at least 3 studies, got k = 2"):
        prediction_interval(pool([0.1, 0.9], [0.01, 0.02]))
