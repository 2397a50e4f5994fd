"""Checks of the arguments of the public functions, with one-line error messages."""

from collections.abc import Sequence

import numpy as np

from analysis.errors import InputError


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
