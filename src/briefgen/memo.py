"""Bounded memo tables for the warm process (``briefgen watch``) and repeated work in a build.

A ``Memo`` maps a key made of the *content* a result depends on (texts, tuples of ids,
settings values) to the result, keeps the most recently used ``limit`` entries, and never
decides validity from file names or times: a changed input is a different key. Where a
table depends on a loaded archive, it lives on that ``Corpus`` object, which ``watch``
drops and reloads on any change under ``seeds/``, so no entry outlives the archive it was
computed from.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_warm = False

#: What ``Memo.get`` finds for a key not in the table: a miss, told apart without raising
#: ``KeyError`` (a build misses several thousand times).
_MISSING: object = object()


def keep_between_builds(on: bool = True) -> None:
    """Say that this process builds again and again (``briefgen watch``).

    Tables whose every use costs a copy (a PDF paragraph's lines, a parsed base DOCX)
    only pay off when a later build reuses them; a one-off build leaves them off.
    """
    global _warm
    _warm = on


def between_builds() -> bool:
    """Whether results worth keeping only for a later build are kept."""
    return _warm


class Memo(Generic[V]):
    """A least-recently-used table of at most ``limit`` results."""

    __slots__ = ("_table", "hits", "limit", "misses")

    def __init__(self, limit: int = 4096) -> None:
        self._table: OrderedDict[Hashable, V] = OrderedDict()
        self.limit = limit
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The result for ``key``, made by ``make()`` the first time."""
        table = self._table
        value = table.get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
            made = table[key] = make()
            if len(table) > self.limit:
                table.popitem(last=False)
            return made
        self.hits += 1
        table.move_to_end(key)
        return value  # type: ignore[return-value]  # not _MISSING: a V

    def peek(self, key: Hashable) -> V | None:
        """The result kept for ``key``, or None."""
        value = self._table.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._table.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        self._table[key] = value
        if len(self._table) > self.limit:
            self._table.popitem(last=False)

    def clear(self) -> None:
        self._table.clear()

    def __len__(self) -> int:
        return len(self._table)
