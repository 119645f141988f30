"""Headline style takes shortcuts for plain words: held to the word-by-word definition.

``citations.headline_case`` answers its case questions about a word made only of ASCII
letters with ``str``'s own tests (``islower``, ``istitle``). The functions below are the
letter-by-letter definitions it had before; any title must come out the same.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import citations
from briefgen.citations import MINOR_WORDS, _core


def _is_simple_case(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    if all(c.islower() for c in letters):
        return True
    return letters[0].isupper() and all(c.islower() for c in letters[1:]) and (
        len(letters) > 1 or word.lower() == "a")


def _capitalise(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    if letters and letters[0].isupper():
        return token

    def cap(part: str, first: bool) -> str:
        core = _core(part)
        if not core or (not first and core.lower() in MINOR_WORDS):
            return part
        if not any(c.isalpha() for c in core) or not all(c.islower() or not c.isalpha() for c in core):
            return part
        i = next(i for i, c in enumerate(part) if c.isalpha())
        return part[:i] + part[i].upper() + part[i + 1:]

    return "-".join(cap(p, i == 0) for i, p in enumerate(token.split("-")))


def _lower(token: str) -> str:
    i = next(i for i, c in enumerate(token) if c.isalpha())
    return token[:i] + token[i].lower() + token[i + 1:]


def _headline_case(title: str) -> str:
    tokens = title.split()
    out: list[str] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        core = _core(tok)
        if not any(c.isalpha() for c in core):
            out.append(tok)
            continue
        starts = i == 0 or tokens[i - 1].endswith((":", "?", "!", "\u2014")) or \
            tokens[i - 1] in ("\u2014", "\u2013", "-")
        ends = i == n - 1 or tok.endswith((":", "?", "!")) or tokens[i + 1] in ("\u2014", "\u2013")
        adverbial = tok.rstrip("\u201d\u2019\"'").endswith((",", ";"))
        if starts or ends:
            out.append(_capitalise(tok))
        elif core.lower() in MINOR_WORDS and _is_simple_case(core) and not adverbial:
            out.append(_lower(tok))
        elif _is_simple_case(core):
            out.append(_capitalise(tok))
        else:
            out.append(tok)
    return " ".join(out)


_WORDS = st.sampled_from([
    "a", "A", "an", "the", "The", "of", "in", "In", "up", "to", "and", "vs.", "nato", "NATO", "iPhone",
    "keep", "Keep", "korea", "Won-sik", "step-by-step", "seventy-five", "x", "B", "I", "\u00e9lys\u00e9e",
    "\u00c9lys\u00e9e", "Ji", "da-gyum", "1990s", "2023", "&", "\u2014", "\u2013", "-", "U.S.", "Korea\u2019s",
    "\u201cquoted\u201d", "(aside)", "end:", "why?", "wow!", "in,", "on;", "\ud55c\uad6d", "\u00df", "\u01c5ab",
    "\u0130stanbul", "\u0131i", "ABC-def", "mcDonald", "o'clock", "Ωmega", "ωmega",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORDS | st.text(min_size=1, max_size=6), min_size=1, max_size=10))
def test_headline_case_is_the_word_by_word_definition(words):
    title = " ".join(words)
    citations.headline_case.cache_clear()
    assert citations.headline_case(title) == _headline_case(title)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_the_word_tests_are_the_letter_by_letter_ones(word):
    assert citations._is_simple_case(word) == _is_simple_case(word)
    assert citations._capitalise(word) == _capitalise(word)
    if any(c.isalpha() for c in word):
        assert citations._lower(word) == _lower(word)
    assert citations._letters(word) == sum(c.isalpha() for c in word)
