"""Small value classes that cost nothing to define, and patterns compiled when first used.

``@dataclass`` writes each class's methods as source text and compiles them when its
module is imported: about 0.3–0.5 ms of CPU a class, paid by every command that imports
it. A class built on ``Value`` or ``Frozen`` names its fields in ``_fields`` (in order)
and writes its own ``__init__``; the base gives, from that list, what the dataclass
gave: ``==`` field by field between objects of the same class, a ``repr`` naming the
fields, and for ``Frozen`` a hash of the fields and no assignment after ``__init__``.

``re.compile`` at import costs every command that imports the module, whether or not
it reads a text with the pattern; a ``LazyPattern`` compiles on its first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from typing import Any, ClassVar

#: sets a field of a ``Frozen`` record in its ``__init__``
setfield = object.__setattr__


class Value:
    """A mutable record: equal to another of its class with equal fields; not hashable."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    __hash__ = None  # type: ignore[assignment]  # as a dataclass with eq and not frozen

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined, no-any-return]
        return NotImplemented

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({inner})"


class Frozen(Value):
    """An immutable record: set once in ``__init__`` (with ``setfield``), hashable by its fields."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


class LazyPattern:
    """``re.compile(source, flags)``, compiled on first use."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def split(self, text: str) -> list[str | Any]:
        return self.compiled.split(text)
