"""Loading a spec and linting it: each faster reader finds what the plain reading finds.

Statements of fact without a citation: ``compose.uncited_sentences`` reaches each full stop by ``str.find`` and copies out only
the sentences that carry no citation; the reference below splits every field into all
its sentences with the plain pattern, reads the rest of the text after each end as a
copy, and filters them, as the lint did before. They must agree on the project's own
briefs, on generated texts full of the characters the rule turns on, and on the
workspace the benchmark writes.

Citations: an item that is ``@`` and an id alone is read by a pattern without
backtracking; every item must be read as the one general pattern reads it. The cited
extracts are looked up in the index all at once; each answer must be the one the index
gives for that extract alone, and every unknown extract still reported.

Loading YAML: an ASCII string is searched for unwanted characters as bytes; it must
find what the pattern finds.
"""

from __future__ import annotations

import re
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen import brief as B
from briefgen import sentences as S
from briefgen.brief import CITATION, CiteItem
from briefgen.compose import uncited_sentences
from briefgen.errors import BriefgenError
from briefgen.workspace import open_workspace
from briefgen.yamlload import _ANY_UNWANTED, unwanted_in
from workspaces import ROOT, WORKSPACE, copy_repository_workspace

_WORD_BEFORE = re.compile(r"[\w.]*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def _sentences_ref(text: str) -> list[str]:
    """Every sentence of ``text``, stripped, empty ones left out: the plain reading."""
    cuts = [0]
    for match in S._SENTENCE_END.finditer(text):
        after = match.end()
        if after >= len(text):
            break
        follower = text[after:].lstrip(S._OPENERS)[:1]
        if not follower or not (follower.isupper() or follower.isdigit()):
            continue
        if text[match.start()] == ".":
            m = _WORD_BEFORE.search(text[:match.start()])
            word = m.group(0) if m else ""
            if word.lower() in S._ABBREVIATIONS or len(word) == 1 or re.fullmatch(r"(?:\w\.)+\w", word):
                continue
        cuts.append(after)
    cuts.append(len(text))
    return [s for a, b in pairwise(cuts) if (s := text[a:b].strip())]


def _uncited_ref(text: str) -> list[str]:
    protected = CITATION.sub("\ue002", _IMAGE.sub(" ", text))
    out = []
    for part in _sentences_ref(protected.strip()):
        words = part.replace("\ue002", "").strip()
        if "\ue002" not in part and len(words.split()) >= 3:
            out.append(words)
    return out


PIECES = [*"aAjJeEtT \n\t\u2003\u00a0.!?:;,\u201d\"')\u201c(\u2018[]_-/0123456789@\ue002",
          " ", " ", ". ", "? ", "! ", ".\u201d ", ".) ", " \u201cThe", " (Seoul", "e.g. ", "U.S. ", " J. ",
          "Gen. ", "no. ", "\u00c9", "\u0661", "Approx. ", "abcdefg", "a.bcdefg", "the talks began",
          " [@kh-annual-talks]", "[@a; @b]", "[@a, correction]", "\\[@a]", "![A chart](figures/x.png)",
          "![alt](f.png \"Caption.\")", "[not a citation]", "Three ships sailed"]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts)
@example("Gen. Kim said so. The U.S. Navy sailed [@a]. Did it? \u201cYes.\u201d (The talks) began! x. Not this.")
@example("![A chart](figures/x.png \"Caption.\") Officials met often. They agreed [@a, correction]. Then left!")
def test_uncited_sentences_as_the_plain_reading(text: str) -> None:
    assert uncited_sentences(text) == _uncited_ref(text)


def test_full_stops_found_as_the_pattern_finds_them() -> None:
    """The matches reached by ``str.find`` are the pattern's own, stop for stop."""
    for text in ["It rose. It fell.\u201d  Then x.  (Y) z", "a. b? c! d.", "", ".", "no stop", "e.g. A. B."]:
        for lo in range(len(text) + 1):
            for hi in range(lo, len(text) + 1):
                found = [(m.start(), m.end()) for m in S._end_matches(text, lo, hi)]
                assert found == [(m.start(), m.end()) for m in S._SENTENCE_END.finditer(text, lo, hi)]


def _fields(root: Path) -> list[str]:
    ws = open_workspace(root)
    return [text for topic in ws.topics() for _, text, factual in ws.brief(topic).prose() if factual]


def test_uncited_sentences_in_the_project_briefs() -> None:
    fields = _fields(WORKSPACE)
    assert fields
    for text in fields:
        assert uncited_sentences(text) == _uncited_ref(text)


def test_uncited_sentences_in_the_benchmark_workspace(tmp_path: Path) -> None:
    """A long brief (the benchmark's, 250 notes) whose fields cite some sentences and not
    others: the same sentences are found, and some of each kind exist."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import workspace as bench_workspace
    finally:
        sys.path.remove(str(ROOT / "bench"))
    bench_workspace.write_workspace(tmp_path, 250, ROOT / "templates")
    found = 0
    for text in _fields(tmp_path):
        uncited = uncited_sentences(text)
        assert uncited == _uncited_ref(text)
        found += len(uncited)
    cited = sum(len(CITATION.findall(text)) for text in _fields(tmp_path))
    assert found and cited


# --------------------------------------------------------------------------- citation items

def _items_ref(inner: str) -> tuple[CiteItem, ...] | str:
    """The items of a citation read by the one general pattern alone (or its error)."""
    items = []
    for part in inner.split(";"):
        part = part.strip()
        m = B._ITEM.fullmatch(part)
        if not m:
            return "malformed"
        key, suffix = m.group(1), m.group(2)
        if not B._ID.match(key):
            return "key"
        if suffix is not None and suffix.strip().lower() not in B.SUFFIXES:
            return "suffix"
        items.append(CiteItem(key, suffix is not None))
    return tuple(items)


def _items(inner: str) -> tuple[CiteItem, ...] | str:
    try:
        return tuple(B.parse_items(inner))
    except ValueError as exc:
        text = str(exc)
        return "malformed" if text.startswith("malformed citation [") else \
            "key" if text.startswith("malformed citation key") else "suffix"


ITEM_PIECES = [*"@aZ09-_.:, ;\n\t", "@", "@", "kh-annual-talks", "a-b", "-", "correction", "Correction",
               " correction", "para. 3", "\u00e9", "x1"]


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(ITEM_PIECES), max_size=12).map("".join))
@example("@a")
@example("@a-")
@example("@kh-annual-talks; @a, correction")
@example("@kh-annual-talks.")
@example("@A-b")
def test_citation_items_read_as_by_the_general_pattern(inner: str) -> None:
    assert _items(inner) == _items_ref(inner)


# --------------------------------------------------------------------------- cited extracts looked up at once

def test_extracts_looked_up_at_once_as_one_by_one(tmp_path: Path) -> None:
    """The index's answer for many ids is its answer for each: every extract of the
    repository's archive, ids it does not hold, and each asked twice."""
    root = copy_repository_workspace(tmp_path)
    ws = open_workspace(root)
    corpus = ws.corpus()
    index = ws.index()
    assert index is not None
    ids = [*corpus.extracts, "no-such-extract", "kh-annual-talk"]
    places = index.extract_places(ids + ids[:5])
    assert places == {key: index.extract_place(key) for key in ids}
    assert places["no-such-extract"] is None and sum(p is not None for p in places.values()) >= 2


def test_unknown_citations_found_after_looking_up_at_once(tmp_path: Path) -> None:
    """A spec citing a known, an unknown and a misspelt extract: the unknown ones are
    reported, each at its line, in the order of the spec."""
    root = copy_repository_workspace(tmp_path)
    ws = open_workspace(root)
    spec = root / "briefs" / "cyber.yaml"
    known = next(key for _, key in ws.brief("cyber").cited_keys())
    text = spec.read_text(encoding="utf-8")
    text = text.replace(f"[@{known}", f"[@{known}; @no-such-extract", 1)
    text = text.replace(f"@{known}]", f"@{known[:-1]}]", 1)
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(BriefgenError) as raised:
        open_workspace(root).brief("cyber")
    messages = [p.message for p in raised.value.problems]
    assert len(messages) == 2
    assert any("unknown extract 'no-such-extract'" in m for m in messages)
    assert any(f"unknown extract {known[:-1]!r} (did you mean {known!r}?)" in m for m in messages)
    lines = [p.line for p in raised.value.problems]
    assert lines == sorted(lines) and all(lines)


# --------------------------------------------------------------------------- unwanted characters

def test_unwanted_characters_found_as_by_their_pattern() -> None:
    """Every ASCII character, and strings around each: ASCII read as bytes finds what the
    pattern of every unwanted character finds."""
    for code in range(0x80):
        for text in (chr(code), f"plain {chr(code)} text", f"caf\u00e9 {chr(code)}"):
            assert unwanted_in(text) == (_ANY_UNWANTED.search(text) is not None), (code, text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=30))
def test_unwanted_characters_in_any_text(text: str) -> None:
    assert unwanted_in(text) == (_ANY_UNWANTED.search(text) is not None)
