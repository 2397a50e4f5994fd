"""`glmm_batch` equals `glmm_proportions` row by row, on random and adversarial rows
(hypothesis): studies with no or all events, the tau = 0 boundary, rows with a single study
with ``0 < events < n``, rows that are not estimable, and masks for unequal k.

The two fits stop at slightly different points (different optimizers, each with its own
stopping rule), so estimates are compared with `GLMM_BATCH_EQUALS_SCALAR` (its absolute part
times the row's scale, the largest of 1, ``|mu|`` and ``se²``: a stop at gradient g is about
``g se²`` from the maximum, so rows of very wide intervals, whose likelihood is flat, differ
more) and standard
errors with `GLMM_BATCH_EQUALS_SCALAR_SE`; the confidence and prediction limits and z, which
add the difference of the standard errors, with the first at a scale that adds the second;
the log-likelihood, flat at the maximum, with the first.
"""

import dataclasses
import importlib

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.metaanalysis import (
    ConvergenceError,
    InputError,
    glmm,
    glmm_batch,
    glmm_proportions,
)
from analysis.metaanalysis.distributions import normal_quantile
from tests.tolerances import GLMM_BATCH_EQUALS_SCALAR, GLMM_BATCH_EQUALS_SCALAR_SE

PAIRS = {  # batch field: scalar field
    "mu": "mu",
    "ci_low": "mu_ci_low",
    "ci_high": "mu_ci_high",
    "estimate": "estimate",
    "estimate_ci_low": "ci_low",
    "estimate_ci_high": "ci_high",
    "estimate_pi_low": "pi_low",
    "estimate_pi_high": "pi_high",
    "z": "z",
    "p_value": "p_value",
    "loglik": "loglik",
}
NUMBERS = (*PAIRS, "se", "tau2", "pi_low", "pi_high")
LIMITS = ("ci_low", "ci_high", "estimate_ci_low", "estimate_ci_high")
LIMITS += ("estimate_pi_low", "estimate_pi_high")


def assert_rows_equal_scalar(events, n, mask=None, level: float = 0.95, nagq: int = 7) -> None:
    events, n = np.asarray(events), np.asarray(n)
    batch = glmm_batch(events, n, mask=mask, level=level, nagq=nagq)
    used = np.ones(events.shape, dtype=bool) if mask is None else np.asarray(mask)
    assert (batch.k == used.sum(axis=1)).all()
    for row in range(len(events)):
        x, size = events[row, used[row]], n[row, used[row]]
        try:
            scalar = glmm_proportions(x, size, level, nagq=nagq)
        except InputError:
            assert not batch.estimable[row] and not batch.converged[row], row
            assert all(np.isnan(getattr(batch, name)[row]) for name in NUMBERS), row
            continue
        except ConvergenceError:
            assert batch.estimable[row] and not batch.converged[row], row
            continue
        assert batch.estimable[row] and batch.converged[row], row
        conditioning = se_conditioning(x, size, scalar, nagq)
        # A stop at gradient g is g / (smallest eigenvalue of the information) from the maximum.
        scale = max(1.0, abs(scalar.mu), scalar.se**2) * conditioning
        # A limit mu -/+ crit se (or crit sqrt(tau2 + se²)) adds the se's difference, and z
        # = mu / se both: their scales add the se's tolerance, in units of the estimates'.
        se_part = conditioning * GLMM_BATCH_EQUALS_SCALAR_SE.rtol / GLMM_BATCH_EQUALS_SCALAR.atol
        crit = float(normal_quantile(0.5 + level / 2))
        scales = {
            **dict.fromkeys(PAIRS, scale),
            **dict.fromkeys(LIMITS, scale + se_part * crit * scalar.se),
            **dict.fromkeys(("z", "p_value"), scale / scalar.se + se_part * abs(scalar.z)),
        }
        for mine, theirs in PAIRS.items():
            got, want = float(getattr(batch, mine)[row]), float(getattr(scalar, theirs))
            assert GLMM_BATCH_EQUALS_SCALAR.isclose(got, want, scales[mine]), (
                row,
                mine,
                got,
                want,
            )
        tau = np.sqrt(batch.tau2[row])
        assert GLMM_BATCH_EQUALS_SCALAR.isclose(tau, scalar.tau, scale), (row, tau, scalar.tau)
        se = float(batch.se[row])
        se_tolerance = dataclasses.replace(
            GLMM_BATCH_EQUALS_SCALAR_SE, rtol=GLMM_BATCH_EQUALS_SCALAR_SE.rtol * conditioning
        )
        assert se_tolerance.isclose(se, scalar.se), (row, se, scalar.se)
        if scalar.tau2 == 0:  # the boundary rule: tau2 exactly 0, mu and se in closed form
            assert batch.tau2[row] == 0, (row, batch.tau2[row])


def se_conditioning(x, size, scalar, nagq: int) -> float:
    """How many times their tolerances the two fits may differ in a row whose information is
    nearly singular (tau near 0 with a score near 0): 1 while its smallest eigenvalue is above
    1e-3, then 1e-3 over it. The Hessians by central differences are off by about 1e-8
    (gradient rounding over the step 1e-5), which moves se relatively by 1e-8 over that
    eigenvalue; and a stop at gradient 1e-9 is 1e-9 over it from the maximum."""
    likelihood = glmm._Likelihood(np.asarray(x, float), np.asarray(size, float), nagq)
    information = -glmm._jacobian(
        lambda theta: likelihood.value_and_gradient(theta[0], theta[1])[1],
        np.array([scalar.mu, scalar.tau]),
    )
    smallest = float(np.linalg.eigvalsh(information)[0])
    return 1.0 + 1e-3 / smallest if smallest > 0 else np.inf


@st.composite
def batches(draw: st.DrawFn, max_n: int = 50, max_k: int = 9) -> tuple:
    """B rows of k studies with a mask leaving each row 2 to k; some rows with no, all or
    the same share of events."""
    rows = draw(st.integers(min_value=1, max_value=4))
    k = draw(st.integers(min_value=2, max_value=max_k))
    n = np.array(draw(st.lists(st.integers(1, max_n), min_size=rows * k, max_size=rows * k)))
    n = n.reshape(rows, k)
    share = np.array(draw(st.lists(st.floats(0, 1), min_size=rows * k, max_size=rows * k)))
    events = np.round(share.reshape(rows, k) * n).astype(int)
    for row in range(rows):
        kind = draw(st.sampled_from(["random", "none", "all", "same share", "one inside"]))
        if kind == "none":
            events[row] = 0
        elif kind == "all":
            events[row] = n[row]
        elif kind == "same share":  # homogeneous: the tau = 0 boundary
            n[row] = 2 * n[row, 0]
            events[row] = n[row, 0]
        elif kind == "one inside":  # a single study with 0 < events < n
            events[row] = np.where(draw(st.booleans()), 0, n[row])
            n[row, 0], events[row, 0] = max(n[row, 0], 2), 1
    if draw(st.booleans()):
        return events, n, None
    mask = np.zeros((rows, k), dtype=bool)
    for row in range(rows):
        count = draw(st.integers(min_value=2, max_value=k))
        mask[row, draw(st.permutations(range(k)))[:count]] = True
    events = np.where(mask, events, -7)  # masked cells are ignored, whatever they hold
    return events, n, mask


@given(batches())
@example((np.array([[0, 0, 0]]), np.array([[5, 6, 7]]), None))  # no events: not estimable
@example((np.array([[5, 6, 7]]), np.array([[5, 6, 7]]), None))  # all events: not estimable
@example((np.array([[10, 21, 29, 16]]), np.array([[50, 100, 150, 75]]), None))  # tau = 0
@example((np.array([[1, 0, 0, 3]]), np.array([[9, 4, 5, 3]]), None))  # one with 0 < x < n
@example(  # two maxima (mu 8.5 and 17.4): the batch must return glmm_proportions' one
    (np.array([[1, 12, 17, 1, 1, 15]]), np.array([[10, 12, 17, 1, 1, 15]]), None)
)
@example(  # rows of 2, 3 and 4 studies of one (B, k) array
    (
        np.array([[25, 8, 19, 0], [5, 10, 14, 4], [3, 3, 3, 3]]),
        np.array([[33, 13, 20, 4], [19, 16, 18, 5], [9, 10, 11, 12]]),
        np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 0]], dtype=bool),
    )
)
def test_every_row_equals_glmm_proportions(data: tuple) -> None:
    events, n, mask = data
    assert_rows_equal_scalar(events, n, mask)


@given(batches(max_k=5), st.floats(min_value=0.5, max_value=0.999), st.integers(1, 12))
@example(  # tau = 0 a local maximum, a higher one inside; glmm_proportions stops at tau = 0
    (np.array([[0, 0, 12]]), np.array([[1, 8, 40]]), None), 0.5, 4
)
def test_other_levels_and_quadratures_equal_glmm_proportions(
    data: tuple, level: float, nagq: int
) -> None:
    events, n, mask = data
    assert_rows_equal_scalar(events, n, mask, level, nagq)


def simulated(rows: int, k: int, tau: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The chapter's kind of data: k studies of 10 to 40 patients, binomial–normal truth."""
    rng = np.random.default_rng(seed)
    n = rng.integers(10, 41, (rows, k))
    logits = 0.4 + tau * rng.standard_normal((rows, k))
    return rng.binomial(n, 1 / (1 + np.exp(-logits))), n


@pytest.mark.parametrize("tau", [0.0, 0.5, 1.5])
def test_simulated_rows_of_unequal_k_equal_glmm_proportions(tau: float) -> None:
    events, n = simulated(60, 8, tau, seed=int(10 * tau))
    mask = np.random.default_rng(1).random(events.shape) < 0.8
    mask[:, :2] = True
    assert_rows_equal_scalar(events, n, mask)


def test_rows_the_iteration_does_not_settle_are_fitted_by_glmm_proportions(
    monkeypatch,
) -> None:
    """With one Newton step allowed, rows that need more go to `glmm_proportions` (counted in
    ``fallback``) and still equal it; boundary rows settled by the closed form do not."""
    module = importlib.import_module("analysis.metaanalysis.glmm_batch")  # not the function
    monkeypatch.setattr(module, "MAX_NEWTON_STEPS", 1)
    events, n = simulated(20, 7, 0.8, seed=5)
    result = glmm_batch(events, n)
    assert result.fallback.sum() >= 10
    assert result.converged.all()
    assert_rows_equal_scalar(events[result.fallback], n[result.fallback])


def test_rows_fitted_in_chunks_equal_glmm_proportions(monkeypatch) -> None:
    """Rows are fitted `CHUNK_ROWS` at a time; chunks of 7 rows, with a row that is not
    estimable shifting the later ones, give each row its own fit."""
    module = importlib.import_module("analysis.metaanalysis.glmm_batch")
    monkeypatch.setattr(module, "CHUNK_ROWS", 7)
    events, n = simulated(30, 6, 0.7, seed=6)
    events[3] = 0
    mask = np.random.default_rng(2).random(events.shape) < 0.8
    mask[:, :2] = True
    assert_rows_equal_scalar(events, n, mask)
