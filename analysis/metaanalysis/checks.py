"""Checks of the arguments of the public functions, with one-line error messages."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.errors import InputError


def as_vector(values: object, name: str, where: str) -> np.ndarray:
    """Return ``values`` as a 1-D float array of finite numbers, or raise `InputError`.

    Numbers are ints and floats (Python's or numpy's); a boolean is not a number here, nor is
    text that looks like one (``"0.5"``): both are refused, so that a column read as text or
    a flag passed by mistake is named instead of silently converted.

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
    bad = first_non_number(values)
    if bad is not None:
        i, value, what = bad
        if what == "is not a number":
            raise InputError(f"{where}: {name}[{i}] = {value!r} is not a number")
        digits = len(str(abs(value)))  # type: ignore[call-overload]
        raise InputError(
            f"{where}: {name}[{i}] is an integer of {digits} digits, too large for a "
            "floating-point number"
        )
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{where}: {name} must be a flat sequence of numbers") from None
    if array.ndim != 1:
        raise InputError(f"{where}: {name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise InputError(f"{where}: {name} is empty; at least one study is needed")
    if not np.isfinite(array).all():
        i = int(np.flatnonzero(~np.isfinite(array))[0])
        raise InputError(
            f"{where}: {name}[{i}] = {array[i]} is not a finite number "
            "(a missing value must be left out, not passed as NaN)"
        )
    return array


def _is_number(value: object) -> bool:
    """An int or a float (Python's or numpy's, or any real number), but not a bool or text."""
    if isinstance(value, bool | np.bool_ | str | bytes | complex | np.complexfloating):
        return False
    if isinstance(value, int | float | np.integer | np.floating):
        return True
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False
    return np.ndim(value) == 0


_FLOAT_TYPES = {float, np.float64}
"""Types of elements that are numbers and convert to a float exactly, with no further check."""


def first_non_number(values: object) -> tuple[int, object, str] | None:
    """Position, value and fault of the first element that is not a number, or None.

    A numpy array (or pandas Series) of a numeric dtype is checked by its dtype alone. Nested
    sequences are left to the check of the shape.
    """
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        return None
    try:
        items = list(values)  # type: ignore[call-overload]
    except TypeError:
        return None
    if set(map(type, items)) <= _FLOAT_TYPES:  # the common case, without a look at each
        return None
    for i, value in enumerate(items):
        if isinstance(value, list | tuple | np.ndarray) and not isinstance(value, np.generic):
            continue
        if not _is_number(value):
            return i, value, "is not a number"
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                float(value)
            except OverflowError:
                return i, value, "too large"
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


MAX_LEVEL = 1 - 1e-12
"""The highest confidence level accepted. Nearer 1, ``0.5 + level / 2`` rounds to 1 in
floating point (from ``level = 1 - 2**-53``) and the normal, t and chi-square quantiles of
the intervals become infinite; below this bound they are finite and accurate."""


def confidence_level(level: float, where: str) -> float:
    """Return ``level`` if it is a number with ``0 < level <= MAX_LEVEL``, else raise
    `InputError`."""
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level <= MAX_LEVEL:
        raise InputError(
            f"{where}: level={level!r} must be a number between 0 and 1, e.g. 0.95 (at most "
            "1 - 1e-12: nearer 1 the quantiles of the intervals are infinite)"
        )
    return float(level)


MAX_COUNT = 2**53
"""The largest count `event_counts` accepts: every whole number up to it is a float exactly."""


def event_counts(events: object, n: object, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Return event counts and study sizes as float arrays of whole numbers, or raise.

    Each study needs ``n >= 1`` patients and ``0 <= events <= n`` events; both must be whole
    numbers (counts of patients, not percentages), at most `MAX_COUNT`. Booleans and text are
    not counts (see `as_vector`).
    """
    x = as_vector(events, "events", where)
    size = as_vector(n, "n", where)
    same_length(where, events=x, n=size)
    for name, values in (("events", x), ("n", size)):
        fractional = np.flatnonzero(values != np.round(values))
        if fractional.size:
            i = int(fractional[0])
            raise InputError(f"{where}: {name}[{i}] = {values[i]:g} is not a whole number")
    for name, values in (("events", x), ("n", size)):
        huge = np.flatnonzero(np.abs(values) > MAX_COUNT)
        if huge.size:
            i = int(huge[0])
            raise InputError(
                f"{where}: {name}[{i}] = {values[i]:g} is too large: counts above 2**53 = "
                f"{MAX_COUNT} are not held exactly by floating-point numbers"
            )
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


MAX_EFFECT = 1e50
"""The largest size of an effect `effects_and_variances` accepts (``|yi| <= MAX_EFFECT``)."""

VARIANCE_RANGE = (1e-100, 1e100)
"""The range of positive sampling variances `effects_and_variances` accepts. Within it and
``|yi| <= MAX_EFFECT`` every weight ``1 / (vi + tau2)``, its square and cube, and every
weighted sum of squares stays a finite, normal floating-point number; outside, results would
overflow to infinity or lose all precision. Real effects and variances lie far inside (in
other units, rescale: effects times ``c``, variances times ``c**2``)."""

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
        that are not finite numbers (booleans and text are not numbers), lengths that differ,
        a negative variance, an effect or a positive variance outside the range of
        `MAX_EFFECT` and `VARIANCE_RANGE`, a zero variance (with ``"error"``), or fewer than
        ``min_k`` studies.

    Examples
    --------
    >>> effects_and_variances([0.1, 0.2], [0.01, 0.0], "f", zero_variance="drop").dropped
    (1,)
    """
    y = as_vector(yi, "yi", where)
    v = as_vector(vi, "vi", where)
    low, high = VARIANCE_RANGE
    if (
        len(y) == len(v) >= min_k
        and np.maximum.reduce(np.abs(y)) <= MAX_EFFECT
        and low <= np.minimum.reduce(v)
        and np.maximum.reduce(v) <= high
    ):  # Every check below passes (no variance is 0): the common case, in a few operations.
        # Copies, so that a caller who changes its arrays later does not change a result.
        return CheckedStudies(y.copy(), v.copy(), np.ones(len(v), dtype=bool), ())
    same_length(where, yi=y, vi=v)
    negative = np.flatnonzero(v < 0)
    if negative.size:
        i = int(negative[0])
        raise InputError(f"{where}: vi[{i}] = {v[i]:g} is negative; a variance must be >= 0")
    huge = np.flatnonzero(np.abs(y) > MAX_EFFECT)
    if huge.size:
        i = int(huge[0])
        raise InputError(
            f"{where}: yi[{i}] = {y[i]:g} is larger than {MAX_EFFECT:g} in size, beyond the "
            "range this library computes with; rescale the effects (another unit)"
        )
    outside = np.flatnonzero((v != 0) & ((v < low) | (v > high)))
    if outside.size:
        i = int(outside[0])
        raise InputError(
            f"{where}: vi[{i}] = {v[i]:g} is outside [{low:g}, {high:g}], the range of "
            "variances this library computes with; rescale the effects (another unit)"
        )
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


# --- the (B, k) arrays of the batch functions (`pool_batch`, `glmm_batch`) --------------------


def number_matrix(values: object, name: str, where: str) -> np.ndarray:
    """Return ``values`` as a float array of shape (B, k) with B >= 1, or raise `InputError`.

    Only the dtype is checked here (numbers, not booleans or text), not the values: a batch
    function checks its used cells itself, naming the row and column of a bad one.
    """
    array = np.asarray(values)
    if array.dtype.kind not in "iuf":
        raise InputError(
            f"{where}: {name} must be a (B, k) array of numbers, got dtype {array.dtype}"
        )
    if array.ndim != 2:
        raise InputError(f"{where}: {name} must be 2-D (B, k), got shape {array.shape}")
    if array.shape[0] == 0:
        raise InputError(f"{where}: {name} has no rows (shape {array.shape})")
    return array.astype(float, copy=False)


def cell_mask(mask: object, shape: tuple[int, ...], name: str, where: str) -> np.ndarray | None:
    """The boolean mask of the cells a batch function uses (None: every cell), or raise.

    ``name`` is the data argument whose ``shape`` the mask must have, for the message.
    """
    if mask is None:
        return None
    used = np.asarray(mask)
    if used.dtype != bool:
        raise InputError(f"{where}: mask must be an array of True/False, got dtype {used.dtype}")
    if used.shape != shape:
        raise InputError(f"{where}: mask has shape {used.shape} but {name} has {shape}")
    return used


def studies_per_row(used: np.ndarray, where: str) -> np.ndarray:
    """The number of used cells in each row of a (B, k) mask; `InputError` for a row with
    fewer than 2."""
    k = used.sum(axis=1)
    few = np.flatnonzero(k < 2)
    if few.size:
        row = int(few[0])
        raise InputError(f"{where}: mask leaves row {row} with {k[row]} studies; needs >= 2")
    return k
