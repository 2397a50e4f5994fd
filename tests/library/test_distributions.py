"""`analysis.metaanalysis.distributions` gives what ``scipy.stats`` gives, to the last bit.

The package calls `scipy.special` directly so that importing it does not import
``scipy.stats`` (about a second in every chapter's kernel). Source of the expected values:
``scipy.stats`` itself, on the same arguments. Tolerance: none (``==``, with NaN equal to NaN),
over probabilities and statistics from the extremes (1e-300, 1 - 1e-16, ±1e300) to the middle.
"""

import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from analysis.metaanalysis import distributions as dist

PROBABILITIES = st.one_of(
    st.floats(min_value=0.0, max_value=1.0),
    st.sampled_from([0.0, 1e-300, 1e-16, 0.025, 0.5, 0.975, 1 - 1e-16, 1.0]),
)
STATISTICS = st.one_of(
    st.floats(min_value=-1e300, max_value=1e300),
    st.sampled_from([0.0, -0.0, 1e-300, 1.96, -1.96, 40.0, -40.0, 1e300]),
)
DEGREES_OF_FREEDOM = st.one_of(
    st.integers(min_value=1, max_value=10_000), st.floats(min_value=0.5, max_value=1e6)
)


def _same(ours, theirs) -> None:
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert np.array_equal(ours, theirs, equal_nan=True), (ours, theirs)


@given(PROBABILITIES)
def test_normal_quantile_is_scipy_s(p) -> None:
    _same(dist.normal_quantile(p), stats.norm.ppf(p))


@given(STATISTICS)
def test_normal_two_sided_p_is_scipy_s(z) -> None:
    _same(dist.normal_two_sided_p(z), 2.0 * stats.norm.sf(abs(z)))


@given(PROBABILITIES, DEGREES_OF_FREEDOM)
def test_t_quantile_is_scipy_s(p, df) -> None:
    _same(dist.t_quantile(p, df), stats.t.ppf(p, df))


@given(STATISTICS, DEGREES_OF_FREEDOM)
def test_t_two_sided_p_is_scipy_s(t, df) -> None:
    _same(dist.t_two_sided_p(t, df), 2.0 * stats.t.sf(abs(t), df))


@given(st.floats(min_value=0.0, max_value=1e300), DEGREES_OF_FREEDOM)
def test_chi2_upper_p_is_scipy_s(x, df) -> None:
    _same(dist.chi2_upper_p(x, df), stats.chi2.sf(x, df))


@given(PROBABILITIES, DEGREES_OF_FREEDOM)
def test_chi2_quantile_is_scipy_s(p, df) -> None:
    _same(dist.chi2_quantile(p, df), stats.chi2.ppf(p, df))


@given(st.floats(min_value=0.0, max_value=1e300), DEGREES_OF_FREEDOM, DEGREES_OF_FREEDOM)
def test_f_upper_p_is_scipy_s(x, dfn, dfd) -> None:
    _same(dist.f_upper_p(x, dfn, dfd), stats.f.sf(x, dfn, dfd))


@given(
    st.integers(min_value=1, max_value=10**6).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_binomial_logpmf_is_scipy_s(counts, p) -> None:
    x, n = counts
    _same(dist.binomial_logpmf(x, n, p), stats.binom.logpmf(x, n, p))


def test_the_vector_forms_are_scipy_s() -> None:
    p = np.array([1e-12, 0.025, 0.5, 0.975])
    df = np.array([1, 3, 7, 30])
    _same(dist.normal_quantile(p), stats.norm.ppf(p))
    _same(dist.t_quantile(p, df), stats.t.ppf(p, df))
    _same(dist.chi2_quantile(p, df), stats.chi2.ppf(p, df))
    z = np.array([-3.0, -0.5, 0.0, 2.5])
    _same(dist.normal_two_sided_p(z), 2.0 * stats.norm.sf(np.abs(z)))
    _same(dist.t_two_sided_p(z, df), 2.0 * stats.t.sf(np.abs(z), df))


def test_importing_the_library_does_not_import_scipy_stats() -> None:
    """In a fresh interpreter: ``import analysis`` (and the charts, the paper and the audit)
    leaves ``scipy.stats`` unimported; only the functions that need it import it."""
    import subprocess

    code = (
        "import sys, analysis, analysis.charts, analysis.paper, analysis.audit; "
        "print(sorted(m for m in sys.modules if m == 'scipy.stats'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
