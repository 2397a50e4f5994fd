"""Proportions written as percentages in the book's prose and tables."""

from analysis.metaanalysis.errors import InputError


def percent(value: float, decimals: int = 1) -> str:
    """A proportion as a percentage: ``percent(0.01938) == "1.9%"``.

    Parameters
    ----------
    value : float
        A proportion (0.25 for 25%).
    decimals : int
        Decimals of the percentage, 0 or more.

    Raises
    ------
    InputError
        For negative ``decimals``.

    Examples
    --------
    >>> percent(0.01938), percent(0.01938, 2), percent(0.5, 0)
    ('1.9%', '1.94%', '50%')
    """
    if decimals < 0:
        raise InputError(f"percent: decimals={decimals!r} must be 0 or more")
    return f"{100 * value:.{decimals}f}%"


def percent_range(low: float, high: float, decimals: int = 1) -> str:
    """An interval of proportions as percentages: ``"0.9% to 3.6%"``.

    Examples
    --------
    >>> percent_range(0.0091, 0.0364)
    '0.9% to 3.6%'
    """
    return f"{percent(low, decimals)} to {percent(high, decimals)}"
