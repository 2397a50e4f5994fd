"""Quantiles and tail probabilities of the normal, t and chi-squared distributions.

Each function computes what ``scipy.stats`` computes for the same call (``norm.ppf``,
``t.sf``, ``chi2.ppf`` …), with the same `scipy.special` routine that ``scipy.stats`` calls
inside: the results are the same to the last bit. Importing ``scipy.stats`` takes about
a second, in every process that imports this package (each chapter's kernel, each command);
`scipy.special` takes a fraction of it, and its calls are 20 to 100 times faster than those of
the distribution objects.

References
----------
Virtanen, P. et al. (2020). SciPy 1.0: fundamental algorithms for scientific computing in
Python. *Nature Methods*, 17, 261–272. doi:10.1038/s41592-019-0686-2
"""

import numpy as np
from scipy import special


def normal_quantile(p):
    """The standard normal quantile of ``p`` (``scipy.stats.norm.ppf(p)``).

    >>> from scipy import stats
    >>> normal_quantile(0.975) == stats.norm.ppf(0.975)
    np.True_
    """
    return special.ndtri(p)


def normal_two_sided_p(z):
    """Two-sided p-value of a standard normal statistic: ``2 * scipy.stats.norm.sf(|z|)``.

    >>> from scipy import stats
    >>> normal_two_sided_p(-1.5) == 2 * stats.norm.sf(1.5)
    np.True_
    """
    return 2.0 * special.ndtr(-np.abs(z))


def t_quantile(p, df):
    """The quantile of ``p`` of Student's t with ``df`` degrees of freedom
    (``scipy.stats.t.ppf(p, df)``).

    >>> from scipy import stats
    >>> t_quantile(0.975, 7) == stats.t.ppf(0.975, 7)
    np.True_
    """
    # At p = 0 the special function answers +inf for some df; scipy.stats (and the
    # definition) give -inf.
    return np.where(np.asarray(p) == 0.0, -np.inf, special.stdtrit(df, p))[()]


def t_two_sided_p(t, df):
    """Two-sided p-value of a t statistic: ``2 * scipy.stats.t.sf(|t|, df)``.

    >>> from scipy import stats
    >>> t_two_sided_p(-2.1, 7) == 2 * stats.t.sf(2.1, 7)
    np.True_
    """
    return 2.0 * special.stdtr(df, -np.abs(t))


def chi2_upper_p(x, df):
    """The upper tail probability of ``x`` under chi-squared with ``df`` degrees of freedom
    (``scipy.stats.chi2.sf(x, df)``).

    >>> from scipy import stats
    >>> chi2_upper_p(12.3, 7) == stats.chi2.sf(12.3, 7)
    np.True_
    """
    return special.chdtrc(df, x)


def chi2_quantile(p, df):
    """The quantile of ``p`` of chi-squared with ``df`` degrees of freedom
    (``scipy.stats.chi2.ppf(p, df)``).

    >>> from scipy import stats
    >>> chi2_quantile(0.95, 7) == stats.chi2.ppf(0.95, 7)
    np.True_
    """
    return 2.0 * special.gammaincinv(np.asarray(df) / 2.0, p)


def f_upper_p(x, dfn, dfd):
    """The upper tail probability of ``x`` under F with ``(dfn, dfd)`` degrees of freedom
    (``scipy.stats.f.sf(x, dfn, dfd)``).

    >>> from scipy import stats
    >>> f_upper_p(3.2, 2, 9) == stats.f.sf(3.2, 2, 9)
    np.True_
    """
    return special.fdtrc(dfn, dfd, x)


def log_binomial_coefficient(n, x):
    """``log(n choose x)`` by log-gamma functions, as ``scipy.stats.binom.logpmf`` forms it.

    >>> round(float(np.exp(log_binomial_coefficient(10, 3))), 9)
    120.0
    """
    return special.gammaln(n + 1) - (special.gammaln(x + 1) + special.gammaln(n - x + 1))


def binomial_logpmf(x, n, p):
    """The log-probability of ``x`` events of ``n`` with probability ``p``
    (``scipy.stats.binom.logpmf(x, n, p)`` for whole ``x``).

    >>> from scipy import stats
    >>> binomial_logpmf(3, 10, 0.25) == stats.binom.logpmf(3, 10, 0.25)
    np.True_
    """
    return log_binomial_coefficient(n, x) + special.xlogy(x, p) + special.xlog1py(n - x, -p)
