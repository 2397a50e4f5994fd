"""Roots of decreasing functions of tau² (Paule–Mandel, REML's score, the Q-profile limits)."""

from collections.abc import Callable

from analysis.metaanalysis.errors import ConvergenceError


def bracket_decreasing(
    function: Callable[[float], float], start: float, *, what: str, where: str, max_iter: int
) -> float:
    """An upper end where the decreasing ``function`` is negative, found by doubling ``start``.

    With ``function(0) >= 0`` the root then lies in ``[0, upper]`` for Brent's method.

    Raises
    ------
    ConvergenceError
        When ``max_iter`` doublings do not reach a negative value; the message names ``where``
        (the public function) and ``what`` (the root sought).

    Examples
    --------
    >>> bracket_decreasing(lambda t: 3.0 - t, 1.0, what="root", where="f", max_iter=10)
    4.0
    """
    upper = start
    for _ in range(max_iter):
        if function(upper) < 0:
            return upper
        upper *= 2
    raise ConvergenceError(f"{where}: could not bracket the {what} of tau2 ({upper:.3g})")
