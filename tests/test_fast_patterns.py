"""The spec's citation patterns find exactly what their plain forms find.

``brief.CITATION``, ``_BRACKETS`` and ``_BARE`` begin with their literal character and
look behind it afterwards (``\\[(?<!\\\\\\[)``), so that a search skips ahead to that
character instead of trying the look-behind at every position of a long brief. These
tests compare them with the plain look-behind-first patterns they replace, on generated
texts full of the characters the rules turn on and on the project's own briefs.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen import brief as B

ROOT = Path(__file__).resolve().parent.parent

PLAIN = {
    "CITATION": re.compile(r"(?<!\\)\[(@[^\[\]]*)\]"),
    "_BRACKETS": re.compile(r"(?<!\\)\[([^\[\]@]+)\](?![(:\[])"),
    "_BARE": re.compile(r"(?<![\w@\\/.])@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w-])"),
}
PIECES = [*"[]@\\/.;,:( )a-Z0_\n\u00e9\ue000", "[@", "\\[", "\\[@", "@a", "@k-1", "[@a]", "[@a; @b]",
          "[@a, correction]", "[a]", "[a](", "x@a", "/@a", ".@a", "@@a", "\\@a", "[\\", "@a-"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


def _same(text: str) -> None:
    for name, plain in PLAIN.items():
        fast: re.Pattern[str] = getattr(B, name)
        assert ([(m.span(), m.groups()) for m in fast.finditer(text)]
                == [(m.span(), m.groups()) for m in plain.finditer(text)]), (name, text)
        assert fast.sub("#", text) == plain.sub("#", text), (name, text)


@SETTINGS
@given(texts)
@example("[@a]")
@example("\\[@a] [@b]")
@example("[[@a]]\\[@b]")
@example("x@a @b /@c .@d \\@e @@f")
@example("[see] [this](x) \\[not]")
def test_patterns_match_their_plain_forms(text: str) -> None:
    _same(text)


def test_patterns_match_on_the_project_briefs() -> None:
    specs = sorted(ROOT.glob("briefs/*.yaml"))
    assert specs
    for path in specs:
        _same(path.read_text(encoding="utf-8"))


def test_one_scan_for_unwanted_characters_finds_what_each_rule_finds() -> None:
    """Loading YAML scans each string once for any character a rule takes out; the same
    characters as the rules' own patterns, over every code point."""
    from briefgen import yamlload

    every = "".join(map(chr, range(0x110000)))
    one = set(yamlload._ANY_UNWANTED.findall(every))
    each = set().union(*(pattern.findall(every) for pattern, _, _ in yamlload._UNWANTED))
    assert one == each
    assert each  # the rules take something out


def test_ascii_text_holds_no_mark_and_citations_parse_alike_each_time() -> None:
    """A prose field in ASCII is not scanned for briefgen's marks (none is ASCII); a
    citation parsed again gives the same items, and a list the caller may change."""
    from briefgen import prose

    assert not prose.MARKERS.search("".join(map(chr, range(128))))
    first = B.parse_items("@a; @b, correction")
    first.append(B.CiteItem("x"))
    assert B.parse_items("@a; @b, correction") == [B.CiteItem("a"), B.CiteItem("b", True)]
