"""Numbers for the chapters' prose: glue every field of a result under stable names.

A chapter computes a result and writes its numbers in the text with myst-nb's
``{glue:text}`name:.1f` `` role; typing them is forbidden (they would not follow a change of
the data). `glue_result` replaces the runs of single ``glue`` calls: one call glues every
number of a result, named ``{prefix}_{field}``, with an interval's limits as
``{prefix}_{field}_low`` and ``{prefix}_{field}_high``.
"""

import dataclasses
import math
import numbers
from collections.abc import Callable, Iterable, Mapping

from analysis.metaanalysis.errors import InputError

Glue = Callable[..., object]


class Glued(dict):
    """The names and values `glue_result` glued: a dict that a notebook shows as nothing.

    A chapter's cell often ends with a `glue_result` call; the glue itself is its output, so
    the returned names are not displayed under the cell (nor stored in the executed notebook).
    """

    def _ipython_display_(self) -> None:
        """Display nothing (IPython calls this instead of printing the dict)."""


def glued_values(
    prefix: str, result: object, *, fields: Iterable[str] | None = None
) -> dict[str, object]:
    """The names and values `glue_result` glues, without gluing them.

    Parameters
    ----------
    prefix : str
        Start of every name, e.g. ``"pain_dl"``: letters, digits and underscores.
    result : dataclass instance or mapping
        A result of the package (e.g. `analysis.metaanalysis.PoolResult`) or a dict of values.
    fields : iterable of str, optional
        Only these fields (default: every field that holds a number, a string, a bool, or a
        pair of numbers; sequences of per-study values are left out).

    Returns
    -------
    dict
        ``{name: value}`` in field order. Numbers stay numbers (the prose formats them).

    Raises
    ------
    InputError
        For a prefix that is not a plain name, a result that is neither a dataclass nor a
        mapping, a field it does not have, or a number that is not finite (NaN or infinity
        would print as text in the book).

    Examples
    --------
    >>> from analysis.metaanalysis import pool
    >>> result = pool([0.1, 0.3, 0.5], [0.01, 0.02, 0.04])
    >>> list(glued_values("demo", result, fields=["k", "tau2_ci"]))
    ['demo_k', 'demo_tau2_ci_low', 'demo_tau2_ci_high']
    """
    if not prefix.replace("_", "").isalnum() or not prefix.isascii():
        raise InputError(f"glue_result: prefix={prefix!r} must be letters, digits and '_'")
    values = _as_mapping(result)
    if fields is None:
        chosen = [name for name, value in values.items() if _gluable(value)]
    else:
        chosen = list(fields)
        for name in chosen:
            if name not in values:
                kind = type(result).__name__
                raise InputError(f"glue_result: {kind} has no field {name!r}")
    glued: dict[str, object] = {}
    for name in chosen:
        value = values[name]
        if _is_pair(value):
            glued[f"{prefix}_{name}_low"] = _checked(prefix, name, value[0])
            glued[f"{prefix}_{name}_high"] = _checked(prefix, name, value[1])
        else:
            glued[f"{prefix}_{name}"] = _checked(prefix, name, value)
    return glued


def glue_result(
    prefix: str,
    result: object,
    *,
    fields: Iterable[str] | None = None,
    glue: Glue | None = None,
) -> Glued:
    """Glue every number of ``result`` for the chapter's prose (see `glued_values`).

    ``glue`` defaults to ``myst_nb.glue`` (imported only when a chapter runs). Returns the
    names and values glued, as a `Glued` dict, which a notebook does not display.
    """
    glued = glued_values(prefix, result, fields=fields)
    if glue is None:
        from myst_nb import glue
    for name, value in glued.items():
        glue(name, value, display=False)
    return Glued(glued)


def _as_mapping(result: object) -> Mapping[str, object]:
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    if isinstance(result, Mapping):
        return result
    raise InputError(
        f"glue_result: result must be a dataclass or a mapping, got {type(result).__name__}"
    )


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, complex)


def _is_pair(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(_is_number(v) for v in value)


def _gluable(value: object) -> bool:
    return _is_number(value) or isinstance(value, str) or _is_pair(value)


def _checked(prefix: str, name: str, value: object) -> object:
    if not _gluable(value):
        raise InputError(
            f"glue_result: {prefix}_{name} = {value!r} is not a number, a text or an interval"
        )
    if _is_number(value) and not isinstance(value, bool) and not math.isfinite(float(value)):
        raise InputError(f"glue_result: {prefix}_{name} = {value!r} is not a finite number")
    return value
