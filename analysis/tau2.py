"""Estimators of the between-study variance tau² of the random-effects model."""

import numpy as np


def dersimonian_laird(yi: np.ndarray, vi: np.ndarray) -> float:
    """DerSimonian–Laird method-of-moments estimate of tau², truncated at zero.

    ``tau2 = max(0, (Q - (k - 1)) / (sum(w) - sum(w**2) / sum(w)))`` with ``w = 1 / vi`` and
    ``Q`` Cochran's heterogeneity statistic.

    Parameters
    ----------
    yi, vi : numpy.ndarray
        Effect sizes and their (positive) sampling variances, already checked.

    Returns
    -------
    float
        The estimate, >= 0.

    References
    ----------
    DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
    1986;7(3):177-88. doi:10.1016/0197-2456(86)90046-2
    """
    w = 1.0 / vi
    q = cochran_q(yi, vi)
    c = w.sum() - (w**2).sum() / w.sum()
    return max(0.0, (q - (len(yi) - 1)) / c)


def cochran_q(yi: np.ndarray, vi: np.ndarray) -> float:
    """Cochran's Q: the inverse-variance weighted sum of squares about the common-effect mean.

    References
    ----------
    Cochran WG. The combination of estimates from different experiments. Biometrics
    1954;10(1):101-29. doi:10.2307/3001666
    """
    w = 1.0 / vi
    mean = (w * yi).sum() / w.sum()
    return float((w * (yi - mean) ** 2).sum())


def typical_within_variance(vi: np.ndarray) -> float:
    """The "typical" within-study variance ``s² = (k - 1) sum(w) / ((sum w)² - sum(w²))``.

    I² and H² of a random-effects model are defined through it (Higgins & Thompson 2002, eq. 9).
    """
    w = 1.0 / vi
    return float((len(vi) - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum()))
