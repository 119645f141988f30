"""Records built on ``plain.Value`` and ``plain.Frozen`` behave as the dataclasses they replace."""

from __future__ import annotations

import dataclasses
import importlib
import inspect

import pytest

from briefgen.plain import Frozen, Value, setfield


class _Point(Frozen):
    __slots__ = ("label", "x", "y")
    _fields = ("x", "y", "label")
    x: int
    y: int
    label: str

    def __init__(self, x: int, y: int, label: str = "") -> None:
        setfield(self, "x", x)
        setfield(self, "y", y)
        setfield(self, "label", label)


class _Bag(Value):
    __slots__ = ("items", "name")
    _fields = ("name", "items")

    def __init__(self, name: str, items: list[int] | None = None) -> None:
        self.name = name
        self.items: list[int] = [] if items is None else items


@dataclasses.dataclass(frozen=True, slots=True)
class _DPoint:
    x: int
    y: int
    label: str = ""


@dataclasses.dataclass(slots=True)
class _DBag:
    name: str
    items: list[int] = dataclasses.field(default_factory=list)


def test_a_frozen_record_compares_hashes_and_prints_as_a_frozen_dataclass() -> None:
    a, b, c = _Point(1, 2, "a"), _Point(1, 2, "a"), _Point(1, 3, "a")
    da, db, dc = _DPoint(1, 2, "a"), _DPoint(1, 2, "a"), _DPoint(1, 3, "a")
    assert (a == b, a == c, a != c, hash(a) == hash(b)) == (da == db, da == dc, da != dc, hash(da) == hash(db))
    assert len({a, b, c}) == len({da, db, dc}) == 2
    assert repr(a) == repr(da).replace("_DPoint", "_Point")
    assert (a == da) is False and a.__eq__((1, 2, "a")) is NotImplemented
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.y  # type: ignore[misc]
    assert (a.x, a.y) == (1, 2)


def test_a_mutable_record_compares_and_prints_as_a_dataclass_and_is_not_hashable() -> None:
    a, b = _Bag("n"), _Bag("n")
    da, db = _DBag("n"), _DBag("n")
    a.items.append(1)
    da.items.append(1)
    assert (a == b, repr(a)) == (da == db, repr(da).replace("_DBag", "_Bag"))
    b.items.append(1)
    db.items.append(1)
    assert a == b and da == db
    assert a.items is not _Bag("m").items  # each gets its own list, as default_factory gives
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(AttributeError):
        a.other = 1  # type: ignore[attr-defined]  # slots: no stray attributes


@pytest.mark.parametrize("module", ["briefgen.checks", "briefgen.checks.dates", "briefgen.checks.details",
                                    "briefgen.checks.evidence_text", "briefgen.checks.profile",
                                    "briefgen.checks.sentences", "briefgen.checks.speakers",
                                    "briefgen.checks.text", "briefgen.commands.lint", "briefgen.quotes"])
def test_every_record_names_each_of_its_fields_once(module: str) -> None:
    """``_fields`` (what ``==``, hash and repr read) holds exactly the record's slots, in
    the order of its ``__init__``'s parameters."""
    records = [cls for _, cls in inspect.getmembers(importlib.import_module(module), inspect.isclass)
               if issubclass(cls, Value) and cls not in (Value, Frozen) and cls.__module__ == module]
    assert records
    for cls in records:
        assert sorted(cls._fields) == sorted(cls.__slots__), cls
        assert list(inspect.signature(cls.__init__).parameters)[1:] == list(cls._fields), cls


def test_a_lazy_pattern_is_compiled_on_first_use_and_finds_what_the_pattern_finds() -> None:
    import re

    from briefgen.plain import LazyPattern

    lazy = LazyPattern(r"\b(?:two|three)\b", re.IGNORECASE)
    assert lazy._compiled is None
    text = "Two ships, three planes and twothree."
    plain = re.compile(lazy.pattern, lazy.flags)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert lazy.search(text).span() == plain.search(text).span()  # type: ignore[union-attr]
    assert lazy.match(text, 11).span() == plain.match(text, 11).span()  # type: ignore[union-attr]
    assert lazy.split(text) == plain.split(text)
    assert lazy.compiled is lazy.compiled
