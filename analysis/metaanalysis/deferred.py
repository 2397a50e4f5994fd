"""Fields of a frozen result dataclass that are computed only when first read.

Some numbers of a result cost far more than the rest and are read by few callers (the
Q-profile intervals of `analysis.metaanalysis.pooling.PoolResult` are most of the cost of
`pool`). A field declared with `DeferredField` stays an ordinary dataclass field (in
``dataclasses.fields``, ``to_frame()``, ``==``, ``repr`` and ``dataclasses.replace``), but the
function that builds the result may pass a `Deferred` for it: the value is computed the first
time the field is read, kept, and returned as is from then on.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Result:
...     cheap: float
...     costly: float = DeferredField()
>>> calls = []
>>> result = Result(1.0, Deferred(lambda: calls.append("computed") or 2.0))
>>> calls
[]
>>> result.costly, result.costly, calls
(2.0, 2.0, ['computed'])
"""

from collections.abc import Callable
from typing import Any


class Deferred:
    """A value computed by ``compute()`` the first time `value` is called, then kept.

    Parameters
    ----------
    compute : callable
        Takes no argument and returns the value.
    """

    __slots__ = ("_compute", "_computed", "_value")

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._computed = False
        self._value: Any = None

    def value(self) -> Any:
        """The value, computed at the first call."""
        if not self._computed:
            self._value = self._compute()
            self._computed = True
            self._compute = None
        return self._value

    def item(self, key: object) -> "Deferred":
        """A `Deferred` of ``value()[key]``, sharing this one's computation."""
        return Deferred(_Item(self, key))


class _Item:
    """``deferred.value()[key]`` as a picklable callable."""

    __slots__ = ("deferred", "key")

    def __init__(self, deferred: Deferred, key: object) -> None:
        self.deferred = deferred
        self.key = key

    def __call__(self) -> Any:
        return self.deferred.value()[self.key]


class DeferredField:
    """Descriptor of a dataclass field whose value may be passed as a `Deferred`.

    Declared as the field's default (``costly: float = DeferredField()``), it gives the field
    no default: the argument is required, and may be the value itself or a `Deferred` of it.
    Reading the field computes a `Deferred` once and stores the value in its place. A frozen
    dataclass stays frozen: assigning the field afterwards raises as for any other field.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:  # the class itself: no default value for the dataclass
            raise AttributeError(self._name)
        stored = instance.__dict__[self._name]
        if isinstance(stored, Deferred):
            stored = stored.value()
            instance.__dict__[self._name] = stored
        return stored

    def __set__(self, instance: object, value: Any) -> None:
        instance.__dict__[self._name] = value
