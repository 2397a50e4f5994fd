"""Checks of the arguments of the public functions, with one-line error messages."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.errors import InputError


def as_vector(values: object, name: str, where: str) -> np.ndarray:
    """Return ``values`` as a 1-D float array of finite numbers, or raise `InputError`.

    Parameters
    ----------
    values
        Any array-like of numbers (list, tuple, numpy array, pandas Series).
    name
        The argument's name, for the message (e.g. ``"yi"``).
    where
        The function's name, for the message (e.g. ``"pool"``).
    """
    if isinstance(values, str | bytes) or np.isscalar(values):
        raise InputError(f"{where}: {name} must be a sequence of numbers, got {values!r}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        bad = _first_non_number(values)
        raise InputError(
            f"{where}: {name}[{bad[0]}] = {bad[1]!r} is not a number"
            if bad
            else f"{where}: {name} must be a sequence of numbers"
        ) from None
    if array.ndim != 1:
        raise InputError(f"{where}: {name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise InputError(f"{where}: {name} is empty; at least one study is needed")
    not_finite = np.flatnonzero(~np.isfinite(array))
    if not_finite.size:
        i = int(not_finite[0])
        raise InputError(
            f"{where}: {name}[{i}] = {array[i]} is not a finite number "
            "(a missing value must be left out, not passed as NaN)"
        )
    return array


def _first_non_number(values: object) -> tuple[int, object] | None:
    if not isinstance(values, Sequence | np.ndarray) and not hasattr(values, "__iter__"):
        return None
    for i, value in enumerate(values):  # type: ignore[arg-type]
        try:
            float(value)
        except (TypeError, ValueError):
            return i, value
    return None


def same_length(where: str, **arrays: np.ndarray) -> None:
    """Raise `InputError` unless all arrays have the same length."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise InputError(f"{where}: the inputs must have one value per study, but {listed}")


def one_of(value: str, allowed: Sequence[str], name: str, where: str) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise `InputError`."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise InputError(f"{where}: {name}={value!r} is not one of {options}")
    return value


def confidence_level(level: float, where: str) -> float:
    """Return ``level`` if it is a number strictly between 0 and 1, else raise `InputError`."""
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise InputError(f"{where}: level={level!r} must be a number between 0 and 1, e.g. 0.95")
    return float(level)


def event_counts(events: object, n: object, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Return event counts and study sizes as float arrays of whole numbers, or raise.

    Each study needs ``n >= 1`` patients and ``0 <= events <= n`` events; both must be whole
    numbers (counts of patients, not percentages).
    """
    x = as_vector(events, "events", where)
    size = as_vector(n, "n", where)
    same_length(where, events=x, n=size)
    for name, values in (("events", x), ("n", size)):
        fractional = np.flatnonzero(values != np.round(values))
        if fractional.size:
            i = int(fractional[0])
            raise InputError(f"{where}: {name}[{i}] = {values[i]:g} is not a whole number")
    small = np.flatnonzero(size < 1)
    if small.size:
        i = int(small[0])
        raise InputError(f"{where}: n[{i}] = {size[i]:g}; a study needs n >= 1")
    outside = np.flatnonzero((x < 0) | (x > size))
    if outside.size:
        i = int(outside[0])
        raise InputError(
            f"{where}: events[{i}] = {x[i]:g} is outside [0, n[{i}]] = [0, {size[i]:g}]"
        )
    return x, size


ZERO_VARIANCE = ("error", "drop", "allow")
"""What `effects_and_variances` does with a study of variance 0: raise, leave it out, keep it."""


@dataclass(frozen=True)
class CheckedStudies:
    """Effect sizes and sampling variances that passed `effects_and_variances`.

    Attributes
    ----------
    yi, vi : numpy.ndarray
        The effects and variances of the studies kept, in input order.
    keep : numpy.ndarray of bool
        For each input study, whether it was kept.
    dropped : tuple of int
        Positions (0-based) of the input studies left out for zero variance.
    """

    yi: np.ndarray
    vi: np.ndarray
    keep: np.ndarray
    dropped: tuple[int, ...]


def effects_and_variances(
    yi: object,
    vi: object,
    where: str,
    *,
    min_k: int = 1,
    zero_variance: str = "error",
    why: str = "",
    hint: str = "",
) -> CheckedStudies:
    """The one check of study effects ``yi`` and variances ``vi`` that every function uses.

    Parameters
    ----------
    yi, vi : array-like of float
        One effect and one sampling variance per study: finite numbers, same length.
    where : str
        The function's name, for the message.
    min_k : int
        Fewest studies the function needs (after leaving out studies of zero variance).
    zero_variance : {"error", "drop", "allow"}
        A variance of 0 gives a study infinite inverse-variance weight: ``"error"`` raises,
        ``"drop"`` leaves such studies out (Stata's ``metan`` does so silently), ``"allow"``
        keeps them (for functions that do not weight, such as Wald intervals).
    why : str
        Said after the minimum number of studies in its message, e.g.
        ``" (2 remain when one is left out)"``.
    hint : str
        Said after the message for a zero variance: how to leave such studies out.

    Returns
    -------
    CheckedStudies

    Raises
    ------
    InputError
        One line naming the function, the argument, the position and the value: for values
        that are not finite numbers, lengths that differ, a negative variance, a zero variance
        (with ``"error"``), or fewer than ``min_k`` studies.

    Examples
    --------
    >>> effects_and_variances([0.1, 0.2], [0.01, 0.0], "f", zero_variance="drop").dropped
    (1,)
    """
    y = as_vector(yi, "yi", where)
    v = as_vector(vi, "vi", where)
    same_length(where, yi=y, vi=v)
    negative = np.flatnonzero(v < 0)
    if negative.size:
        i = int(negative[0])
        raise InputError(f"{where}: vi[{i}] = {v[i]:g} is negative; a variance must be >= 0")
    zero = np.flatnonzero(v == 0)
    if zero.size and zero_variance == "error":
        i = int(zero[0])
        raise InputError(
            f"{where}: vi[{i}] = 0 would give that study infinite weight; leave out studies "
            f"with zero variance{hint}"
        )
    keep = v > 0 if zero_variance == "drop" else np.ones(len(v), dtype=bool)
    kept = int(keep.sum())
    if kept < min_k:
        dropped = f" after leaving out {zero.size} with zero variance" if not keep.all() else ""
        raise InputError(f"{where}: needs at least {min_k} studies{why}, got {kept}{dropped}")
    dropped_at = tuple(int(i) for i in zero) if zero_variance == "drop" else ()
    return CheckedStudies(y[keep], v[keep], keep, dropped_at)
