"""A ``plain.LazyPattern`` finds what the pattern it stands for finds."""

from __future__ import annotations

import re

from briefgen.plain import LazyPattern


def test_a_lazy_pattern_is_compiled_on_first_use_and_finds_what_the_pattern_finds() -> None:
    lazy = LazyPattern(r"\b(?:two|three)\b", re.IGNORECASE)
    assert lazy._compiled is None
    text = "Two ships, three planes and twothree."
    plain = re.compile(lazy.pattern, lazy.flags)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert lazy.search(text).span() == plain.search(text).span()  # type: ignore[union-attr]
    assert lazy.match(text, 11).span() == plain.match(text, 11).span()  # type: ignore[union-attr]
    assert lazy.split(text) == plain.split(text)
    assert lazy.compiled is lazy.compiled
