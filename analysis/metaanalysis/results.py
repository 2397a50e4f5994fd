"""Results that show themselves: a tidy data frame and a small HTML table for every result.

Every result dataclass of the library inherits `TidyResult`, which gives it

- ``to_frame()``: a pandas DataFrame at full precision, in the style of statsmodels'
  ``summary_frame()``. A summary result (`PoolResult`, `EggerResult`, ...) is one row with a
  column per field; an interval field ``x = (low, high)`` becomes the columns ``x_low`` and
  ``x_high`` (NaN when the interval is None); a nested result (``TrimFillResult.pooled``)
  becomes columns ``pooled_<field>``; per-study tuples are left out. A per-study result
  (`EffectSizes`, `LeaveOneOut`, `Baujat`, `BinomialIntervals`) is one row per study (index
  ``study``, the position in the input), with its single-valued fields (``method``,
  ``level``, ...) repeated in every row, so that frames of several results can be stacked.
- ``_repr_html_()``: the same numbers as an HTML table rounded for reading (4 significant
  digits), so that a result shown in Jupyter reads as a table. Text is escaped.

The kind of each field is read from its type annotation: ``tuple[float, float]`` (optionally
``| None``) is an interval, ``tuple[T, ...]`` holds one value per study, a `TidyResult` is a
nested result, a number, text or bool is a single value; anything else (a mapping, a data
frame, another object) is left out of the tables.

Examples
--------
>>> from analysis.metaanalysis import pool
>>> result = pool([0.1, 0.3, 0.5], [0.01, 0.02, 0.04])
>>> frame = result.to_frame()
>>> frame[["method", "k", "estimate", "tau2_ci_low", "tau2_ci_high"]].round(4).to_dict("records")
[{'method': 'DL', 'k': 3, 'estimate': 0.2524, 'tau2_ci_low': 0.0, 'tau2_ci_high': 1.555}]
>>> "weights" in frame.columns
False
>>> result.study_frame()["weights"].round(1).tolist()
[45.3, 33.1, 21.5]
>>> result._repr_html_().startswith("<table")
True
"""

import dataclasses
import functools
import html
import math
import numbers
import types
import typing
from typing import ClassVar

import numpy as np
import pandas as pd

SIGNIFICANT_DIGITS = 4
"""Significant digits of the numbers in a result's HTML table (``to_frame`` keeps them all)."""

MAX_HTML_ROWS = 20
"""Rows of a per-study HTML table shown before the rest are summarised in one line."""

_SCALAR, _INTERVAL, _PER_STUDY, _NESTED, _OTHER = (
    "scalar",
    "interval",
    "per-study",
    "nested",
    "other",
)
_SCALAR_TYPES = (int, float, complex, str, bool, object)


class TidyResult:
    """Mixin for the frozen result dataclasses: ``to_frame()`` and ``_repr_html_()``.

    A subclass sets ``_per_study = True`` if the result is one row per study.
    """

    _per_study: ClassVar[bool] = False
    _study_index: ClassVar[str] = "study"

    def to_frame(self) -> pd.DataFrame:
        """The result as a tidy DataFrame, every value at full precision.

        One row for a summary result (intervals as ``<field>_low`` and ``<field>_high``,
        nested results as ``<field>_<their field>``, per-study values left out); one row per
        study for a per-study result (its single-valued fields repeated in each row).

        Examples
        --------
        A per-study result, one row per count:

        >>> from analysis.metaanalysis import binomial_interval
        >>> frame = binomial_interval([5, 4], [258, 33]).to_frame()
        >>> list(frame.columns)
        ['events', 'n', 'proportion', 'ci_low', 'ci_high', 'method', 'level']
        >>> frame["ci_high"].round(4).tolist()
        [0.0446, 0.282]
        """
        if self._per_study:
            return study_rows(self, with_single_values=True)
        return pd.DataFrame([summary_row(self)])

    def _repr_html_(self) -> str:
        return html_table(self)


class BatchResult(TidyResult):
    """Mixin for the results of the batch functions (`pool_batch`, `glmm_batch`).

    Every field is an array of one value per row (meta-analysis), except the single values
    named in ``_labels``; a boolean array ``converged`` says which rows have numbers.
    """

    _labels: ClassVar[tuple[str, ...]] = ()

    @property
    def not_converged(self) -> np.ndarray:
        """Row numbers without a converged fit (empty when all converged)."""
        return np.flatnonzero(~self.converged)  # type: ignore[attr-defined]

    def to_frame(self) -> pd.DataFrame:
        """One row per meta-analysis, one column per array field (index ``row``), then the
        single values."""
        frame = pd.DataFrame(
            {
                f.name: getattr(self, f.name)
                for f in dataclasses.fields(self)  # type: ignore[arg-type]
                if f.name not in self._labels
            }
        )
        for name in self._labels:
            frame[name] = getattr(self, name)
        frame.index.name = "row"
        return frame

    def _repr_html_(self) -> str:
        """The first `MAX_HTML_ROWS` meta-analyses of `to_frame`, rounded for reading."""
        frame = self.to_frame()
        shown = frame.head(MAX_HTML_ROWS).to_html(
            float_format=lambda x: f"{x:.{SIGNIFICANT_DIGITS}g}"
        )
        return f"{shown}<p>{len(frame)} meta-analyses</p>"


def summary_row(result: TidyResult, prefix: str = "") -> dict[str, object]:
    """The single values of ``result`` as ``{column: value}``, in field order.

    Intervals become two columns, nested summary results are flattened with their field name
    as a prefix, and per-study values are left out.
    """
    row: dict[str, object] = {}
    for name, kind in _field_kinds(type(result)):
        value = getattr(result, name)
        column = f"{prefix}{name}"
        if kind == _SCALAR:
            row[column] = value
        elif kind == _INTERVAL:
            low, high = (math.nan, math.nan) if value is None else value
            row[f"{column}_low"] = low
            row[f"{column}_high"] = high
        elif kind == _NESTED and value is not None and not value._per_study:
            row.update(summary_row(value, prefix=f"{column}_"))
    return row


def study_rows(result: TidyResult, *, with_single_values: bool) -> pd.DataFrame:
    """One row per study: the per-study fields of ``result`` (and those of nested results).

    A field holding one result per study (``LeaveOneOut.omitted``) gives the columns of their
    summary rows. With ``with_single_values``, the single values are repeated in every row
    (a per-study column of the same name wins).
    """
    columns: dict[str, object] = {}
    single: dict[str, object] = {}
    for name, kind in _field_kinds(type(result)):
        value = getattr(result, name)
        if kind == _PER_STUDY:
            if value and isinstance(value[0], TidyResult):
                columns.update(pd.DataFrame([summary_row(item) for item in value]).to_dict("list"))
            else:
                columns[name] = list(value)
        elif kind == _NESTED and value is not None and value._per_study:
            columns.update(study_rows(value, with_single_values=False).to_dict("list"))
        elif kind == _SCALAR:
            single[name] = value
    frame = pd.DataFrame(columns)
    if with_single_values:
        for name, value in single.items():
            if name not in frame.columns:
                frame[name] = [value] * len(frame)
    frame.index.name = result._study_index
    return frame


def single_values(result: TidyResult) -> dict[str, object]:
    """The fields of ``result`` that hold one value (not per study, not an interval)."""
    return {
        name: getattr(result, name) for name, kind in _field_kinds(type(result)) if kind == _SCALAR
    }


@functools.cache
def _field_kinds(cls: type) -> tuple[tuple[str, str], ...]:
    """``(name, kind)`` of each field of the dataclass ``cls``, from its annotations."""
    hints = typing.get_type_hints(cls)
    return tuple((field.name, _kind(hints[field.name])) for field in dataclasses.fields(cls))


def _kind(hint: object) -> str:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _kind(args[0]) if len(args) == 1 else _SCALAR
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return _PER_STUDY
        if len(args) == 2:
            return _INTERVAL
    if isinstance(hint, type) and issubclass(hint, TidyResult):
        return _NESTED
    if hint in _SCALAR_TYPES or (isinstance(hint, type) and issubclass(hint, numbers.Number)):
        return _SCALAR
    return _OTHER


def readable(value: object) -> str:
    """A value as the HTML table writes it: numbers to 4 significant digits, text escaped.

    Examples
    --------
    >>> [readable(v) for v in (0.0063221, 12, 1234567.0, None, float("nan"), True, "<b>")]
    ['0.006322', '12', '1.235e+06', '–', 'NaN', 'True', '&lt;b&gt;']
    """
    if value is None:
        return "–"
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        return "NaN" if math.isnan(number) else format(number, f".{SIGNIFICANT_DIGITS}g")
    return html.escape(str(value))


def html_table(result: TidyResult) -> str:
    """``result`` as a small HTML table, numbers rounded by `readable`.

    A summary result is a table of field | value rows; a per-study result is one row per study
    (at most `MAX_HTML_ROWS`), with its single-valued fields (method, level, ...) in the
    caption. A result whose class gives its own ``to_frame`` (a collection of checks, say) is
    shown as that frame.
    """
    name = html.escape(type(result).__name__)
    if type(result).to_frame is not TidyResult.to_frame:
        return _frame_table(result.to_frame(), name)
    if not result._per_study:
        body = "".join(
            f"<tr><th>{html.escape(str(column))}</th><td>{readable(value)}</td></tr>"
            for column, value in summary_row(result).items()
        )
        return (
            f'<table class="analysis-result"><caption>{name}</caption>'
            f"<thead><tr><th>field</th><th>value</th></tr></thead><tbody>{body}</tbody></table>"
        )
    caption = " · ".join(
        [name, *(f"{html.escape(k)} {readable(v)}" for k, v in single_values(result).items())]
    )
    return _frame_table(study_rows(result, with_single_values=False), caption)


def _frame_table(frame: pd.DataFrame, caption: str) -> str:
    """A data frame as an HTML table of at most `MAX_HTML_ROWS` rows, values by `readable`."""
    shown = frame.head(MAX_HTML_ROWS)
    header = "".join(
        f"<th>{html.escape(str(column))}</th>"
        for column in [frame.index.name or "", *frame.columns]
    )
    body = "".join(
        f"<tr><th>{readable(index)}</th>"
        + "".join(f"<td>{readable(value)}</td>" for value in row)
        + "</tr>"
        for index, row in zip(shown.index, shown.itertuples(index=False), strict=True)
    )
    more = len(frame) - len(shown)
    note = (
        f'<tfoot><tr><td colspan="{len(frame.columns) + 1}">… {more} more rows; to_frame() '
        "has them all</td></tr></tfoot>"
        if more
        else ""
    )
    return (
        f'<table class="analysis-result"><caption>{caption}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody>{note}</table>"
    )
