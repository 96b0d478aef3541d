"""A tiny frozen-value base: what ``@dataclass(frozen=True, slots=True)`` gives, without importing
``dataclasses`` (which pulls in ``inspect`` and costs more than the whole matcher to import; issue 9 asks
``import scrapecheck.robots`` to add under 30 ms).

A subclass lists its fields in ``__slots__`` and sets them in ``__init__`` with ``_set``. Instances compare
and hash by value, print like a dataclass, pickle, and refuse attribute assignment.
"""

from __future__ import annotations

_set = object.__setattr__


class FrozenError(AttributeError):
    """Raised on an attempt to change a frozen value (an AttributeError, like dataclasses' own)."""


class Frozen:
    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenError(f"cannot assign to field {name!r}: {type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self._values())
