"""`pool_batch` equals `pool` row by row, on random and adversarial rows (hypothesis).

Each row of the batch is pooled again by `pool` on its unmasked cells, and every number the
two report is compared with `BATCH_EQUALS_POOL`, its absolute part scaled by the row's own
scale (effects, and variances for tau²), so that a row of effects in other units is held to
the same relative precision.
"""

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.metaanalysis import METHODS, pool, pool_batch, prediction_interval
from analysis.metaanalysis.pooling import CI_METHODS, HKSJ_ZERO_RSS
from analysis.metaanalysis.tau2 import FISHER_ITERATIONS
from tests.tolerances import BATCH_EQUALS_POOL

LOCATIONS = ("estimate", "ci_low", "ci_high", "pi_low", "pi_high")
"""Fields in the units of the effects."""
RATIOS = ("statistic", "q", "h2")
"""Fields without units, compared relative to their own size."""
PROBABILITIES = ("p_value", "p_q")


def assert_rows_equal_pool(yi, vi, mask, method: str, ci: str, level: float = 0.95) -> None:
    batch = pool_batch(yi, vi, method, ci=ci, level=level, mask=mask)
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    used = np.ones(yi.shape, dtype=bool) if mask is None else np.asarray(mask)
    assert batch.converged.all()
    for row in range(len(yi)):
        y, v = yi[row, used[row]], vi[row, used[row]]
        scalar = pool(y, v, method, ci=ci, level=level)
        effect_scale = max(float(np.abs(y).max()), float(np.sqrt(v.max())), scalar.se)
        variance_scale = max(float(v.max()), float(np.var(y)), scalar.tau2)
        scales = {
            **dict.fromkeys(LOCATIONS, effect_scale),
            "se": scalar.se,
            "tau2": variance_scale,
            "i2": 100.0,
            **dict.fromkeys(RATIOS, 1.0),
            **dict.fromkeys(PROBABILITIES, 1.0),
        }
        for name, scale in scales.items():
            got, want = float(getattr(batch, name)[row]), float(getattr(scalar, name))
            assert BATCH_EQUALS_POOL.isclose(got, want, scale), (row, name, got, want)
        assert batch.k[row] == scalar.k and batch.df[row] == scalar.df
        if scalar.k >= 3:
            low, high = prediction_interval(scalar, "t(k-2)")
            assert BATCH_EQUALS_POOL.isclose(float(batch.pi_t_low[row]), low, effect_scale)
            assert BATCH_EQUALS_POOL.isclose(float(batch.pi_t_high[row]), high, effect_scale)
        else:
            assert np.isnan(batch.pi_t_low[row]) and np.isnan(batch.pi_t_high[row])


effects = st.floats(min_value=-10, max_value=10, allow_nan=False, allow_infinity=False)
variances = st.floats(min_value=1e-3, max_value=10, allow_nan=False, allow_infinity=False)
unequal_variances = st.one_of(
    st.sampled_from([1e-8, 1e-4, 1.0, 1e4]),
    st.floats(min_value=1e-8, max_value=1e4, allow_nan=False, allow_infinity=False),
)


@st.composite
def batches(draw: st.DrawFn, cell_variances=variances, max_k: int = 9) -> tuple:
    """B rows of k cells with a mask leaving each row 2 to k studies; some rows tied."""
    rows = draw(st.integers(min_value=1, max_value=5))
    k = draw(st.integers(min_value=2, max_value=max_k))
    yi = np.array(draw(st.lists(effects, min_size=rows * k, max_size=rows * k))).reshape(rows, k)
    vi = np.array(draw(st.lists(cell_variances, min_size=rows * k, max_size=rows * k)))
    vi = vi.reshape(rows, k)
    for row in range(rows):
        if draw(st.booleans()):  # identical effects: tau2 = 0, Q = 0, the HKSJ zero-RSS rule
            yi[row] = yi[row, 0]
    if draw(st.booleans()):
        return yi, vi, None
    counts = [draw(st.integers(min_value=2, max_value=k)) for _ in range(rows)]
    mask = np.zeros((rows, k), dtype=bool)
    for row, count in enumerate(counts):
        chosen = draw(st.permutations(range(k)))[:count]
        mask[row, chosen] = True
    yi[~mask] = np.nan  # masked cells are ignored, whatever they hold
    vi[~mask] = -1.0
    return yi, vi, mask


methods = st.sampled_from(METHODS)
intervals = st.sampled_from(CI_METHODS)


@given(batches(), methods, intervals)
@example(  # k = 2, equal effects: tau2 = 0 for every estimator, RSS = 0
    (np.array([[0.3, 0.3]]), np.array([[0.1, 0.2]]), None), "REML", "hksj"
)
@example(  # Q < k - 1: DL and PM truncated at 0, REML at the boundary
    (np.array([[0.1, 0.11, 0.12, 0.1]]), np.array([[0.5, 0.4, 0.6, 0.5]]), None), "PM", "z"
)
@example(  # Q a subnormal number (9e-321): FE's 100 (Q - df) / Q overflows to -inf, I² is 0
    (np.array([[0.0, 1.35152181e-160]]), np.array([[1.0, 1.0]]), None), "FE", "z"
)
def test_every_row_equals_pool(data: tuple, method: str, ci: str) -> None:
    yi, vi, mask = data
    assert_rows_equal_pool(yi, vi, mask, method, ci)


@given(batches(cell_variances=unequal_variances, max_k=5), methods, intervals)
def test_rows_of_very_unequal_variances_equal_pool(data: tuple, method: str, ci: str) -> None:
    yi, vi, mask = data
    assert_rows_equal_pool(yi, vi, mask, method, ci)


@given(batches(), methods, st.floats(min_value=0.5, max_value=0.999))
def test_other_levels_equal_pool(data: tuple, method: str, level: float) -> None:
    yi, vi, mask = data
    assert_rows_equal_pool(yi, vi, mask, method, "hksj", level)


def simulated(rows: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.5, (rows, k))
    return rng.normal(0.3, np.sqrt(vi + 0.1)), vi


def test_reml_rows_that_need_the_fallback_equal_pool() -> None:
    """Rows where Fisher scoring oscillates (about 2% of these), solved as `pool` solves them;
    the other rows take as many Fisher steps as in `pool`."""
    yi, vi = simulated(400, 8, seed=1)
    steps = np.array([pool(y, v, "REML").iterations for y, v in zip(yi, vi, strict=True)])
    fallback = steps > FISHER_ITERATIONS
    assert fallback.sum() >= 3
    assert_rows_equal_pool(yi[fallback], vi[fallback], None, "REML", "z")
    batch = pool_batch(yi, vi, "REML")
    assert (batch.iterations[~fallback] == steps[~fallback]).all()
    assert (batch.iterations[fallback] > FISHER_ITERATIONS).all()


@pytest.mark.parametrize("method", METHODS)
def test_simulated_rows_of_unequal_k_equal_pool(method: str) -> None:
    yi, vi = simulated(60, 12, seed=2)
    mask = np.random.default_rng(3).random(yi.shape) < 0.6
    mask[:, :2] = True
    for ci in CI_METHODS:
        assert_rows_equal_pool(yi, vi, mask, method, ci)


def test_identical_effects_take_the_hksj_zero_rss_rule() -> None:
    yi = np.full((3, 4), 0.25)
    vi = np.array([[0.1, 0.2, 0.3, 0.4], [1e-8, 1.0, 1.0, 1.0], [2.0, 2.0, 2.0, 2.0]])
    batch = pool_batch(yi, vi, "DL", ci="hksj")
    fe = pool_batch(yi, vi, "FE", ci="z")
    assert HKSJ_ZERO_RSS > 0
    assert (batch.se >= fe.se).all()  # the factor 1, not 0: never an interval of width 0
    assert_rows_equal_pool(yi, vi, None, "DL", "hksj")


@pytest.mark.parametrize("method", ["PM", "REML"])
def test_rows_that_do_not_converge_are_reported(method: str, monkeypatch) -> None:
    """With too few iterations allowed, the rows that need more are flagged and NaN, and the
    rows that need none (tau2 = 0 without iterating, for PM) are still pooled."""
    from analysis.metaanalysis import batch as batch_module

    monkeypatch.setattr(batch_module, "MAX_ITERATIONS", 2)
    monkeypatch.setattr(batch_module, "FISHER_ITERATIONS", 2)
    yi, vi = simulated(50, 8, seed=4)
    result = pool_batch(yi, vi, method)
    stuck = result.not_converged
    assert stuck.size
    assert (result.converged == ~np.isnan(result.estimate)).all()
    assert np.isnan(result.tau2[stuck]).all() and np.isnan(result.ci_low[stuck]).all()
    done = np.flatnonzero(result.converged)
    assert done.size
    for row in done[:5]:
        assert BATCH_EQUALS_POOL.isclose(
            result.estimate[row], pool(yi[row], vi[row], method).estimate, 1.0
        )


def test_reml_steps_work_on_contiguous_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Fisher step of the batch gets (k, rows) arrays that are C-contiguous, so that its
    sums over the studies add whole rows (issue 14, item 2): a row selection written
    ``y[:, rows]`` lays the copy out as (rows, k), and the sums then run several times slower
    (the benchmark's rate fell below the target of 200,000 analyses per second)."""
    from analysis.metaanalysis import batch as batch_module

    layouts = []
    step = batch_module._reml_step

    def recording(y: np.ndarray, v: np.ndarray, tau2: np.ndarray) -> np.ndarray:
        layouts.append((y.flags.c_contiguous, v.flags.c_contiguous))
        return step(y, v, tau2)

    monkeypatch.setattr(batch_module, "_reml_step", recording)
    yi, vi = simulated(300, 8, seed=5)
    pool_batch(yi, vi, "REML")
    assert len(layouts) > 10
    assert all(y_ok and v_ok for y_ok, v_ok in layouts)
