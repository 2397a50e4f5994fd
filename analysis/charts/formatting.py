"""How numbers are written in the book's prose and tables."""

from decimal import ROUND_HALF_UP, Decimal


def as_printed(value: float, decimals: int) -> str:
    """``value`` formatted as the paper prints it, e.g. ``as_printed(0.6884, 2) == "0.69"``.

    Negative zero prints as zero, as Stata prints it.
    """
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def estimate_with_ci(estimate: float, low: float, high: float, decimals: int = 2) -> str:
    """``"0.69 (0.53, 0.84)"``: an estimate with its interval, as Stata's forest plots print it."""
    return (
        f"{as_printed(estimate, decimals)} "
        f"({as_printed(low, decimals)}, {as_printed(high, decimals)})"
    )


def share_percent(share: float, decimals: int = 0) -> str:
    """A share as a percentage, marked when it lies outside 0–100%.

    A limit of a normal-approximation interval on raw proportions can pass 0% or 100%; no
    share of patients can, so such a limit is written with "(impossible)" after it.

    Examples
    --------
    >>> share_percent(0.655), share_percent(1.21), share_percent(-0.004, 1)
    ('66%', '121% (impossible)', '-0.4% (impossible)')
    """
    text = f"{as_printed(100 * share, decimals)}%"
    return text if 0 <= share <= 1 else f"{text} (impossible)"


def percent_with_ci(estimate: float, low: float, high: float, decimals: int = 0) -> str:
    """``"69% (95% CI 53% to 84%)"`` from proportions (see `share_percent`).

    >>> percent_with_ci(0.94, 0.50, 1.38)
    '94% (95% CI 50% to 138% (impossible))'
    """
    return (
        f"{share_percent(estimate, decimals)} (95% CI {share_percent(low, decimals)} to "
        f"{share_percent(high, decimals)})"
    )


def p_value(p: float) -> str:
    """A p-value for prose: three decimals, or ``"< 0.001"``."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def round_half_up(value: float, decimals: int) -> float:
    """Round as people and Stata's display formats do: halves away from zero (0.625 -> 0.63).

    Python's `round` and pandas round halves to the even digit (0.625 -> 0.62), which does not
    reproduce Fig. 4a. The value is rounded as written in decimal (its shortest repr), so that
    62.5 / 100 counts as the half it is meant to be.

    Examples
    --------
    >>> round_half_up(0.625, 2), round(0.625, 2)
    (0.63, 0.62)
    """
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def joined_words(words: list[str], last: str = "and", empty: str = "") -> str:
    """Words joined as prose: ``"A"``, ``"A and B"``, ``"A, B and C"``.

    Parameters
    ----------
    words : list of str
    last : str
        The word before the last item (``"and"``, ``"or"``).
    empty : str
        What to write when there are no words.

    Examples
    --------
    >>> joined_words(["Kiefer 2002", "Kiefer 2008a", "Patil 2012"])
    'Kiefer 2002, Kiefer 2008a and Patil 2012'
    >>> joined_words([], empty="none")
    'none'
    """
    if not words:
        return empty
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
