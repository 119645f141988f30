"""The evidence checks' text readers give what their plain regular expressions give.

``opens``, ``word_before`` and ``_after_the`` look back from a position instead of
searching the whole text before it (which made a long paragraph quadratic), and
``find_dates`` lets a lookahead skip places no date can start. Each must read every
text exactly as the plain expression does: these tests compare them on the project's
own texts and on generated ones full of the characters the rules turn on.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.checks import text as T
from briefgen.sentences import word_before

ROOT = Path(__file__).resolve().parent.parent

# The characters and words the rules turn on, and some that look like them.
PIECES = [*"aAjJsSmMnNdDeEtThH ſK\n\t\r\u2003\u00a0.!?:;,\u201d\"'\u2019)\u201c(\u2018[]_-\u2013\u2014/0123456789",
          "January", "May", "Sept", "sept", "JULY", "Dec", "e.g.", "Gen.", "2023", "11", "\u0661\u0662",
          "the", "The", "tHe", "two", "eleven", "second", "1,000", "3.5", "bathe", "_the", "NATO",
          "Republic of Korea", "ſixteen", "SEVENTEEN", "ninety-nine", "4th", "12,500"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

_WORD_BEFORE = re.compile(r"[\w.]*$")
_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def _project_texts() -> list[str]:
    """Paragraphs of every archived text and every spec in the repository."""
    out: list[str] = []
    for path in sorted([*ROOT.glob("seeds/*.txt"), *ROOT.glob("briefs/*.yaml")]):
        out.extend(path.read_text(encoding="utf-8").split("\n\n"))
    return out


def _same_as_patterns(text: str) -> None:
    for pos in range(len(text) + 1):
        before = text[:pos]
        assert T.opens(text, pos) == (T._OPENS.search(before) is not None), (text, pos)
        m = _WORD_BEFORE.search(before)
        assert word_before(text, 0, pos) == (m.group(0) if m else ""), (text, pos)
        assert T._after_the(text, pos) == (_THE.search(before) is not None), (text, pos)


@SETTINGS
@given(texts)
def test_look_back_readers_match_their_patterns(text: str) -> None:
    _same_as_patterns(text)


def test_look_back_readers_match_on_the_project_texts() -> None:
    paragraphs = _project_texts()
    assert paragraphs
    for paragraph in paragraphs:
        for line in paragraph.splitlines()[:3]:  # whole paragraphs would be slow: lines will do
            _same_as_patterns(line[:300])


def _dates_without_lookahead(text: str) -> list[tuple[int, int, str]]:
    start = len(T._DATE_START) + len("(?:")
    plain = re.compile(T._DATE.pattern[start:-1], T._DATE.flags)
    return [(m.start(), m.end(), m.group(0)) for m in plain.finditer(text)]


@SETTINGS
@given(texts)
def test_date_lookahead_changes_no_match(text: str) -> None:
    assert [(m.start(), m.end(), m.group(0)) for m in T._DATE.finditer(text)] == \
        _dates_without_lookahead(text)


def test_date_lookahead_changes_no_match_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        assert [(m.start(), m.end(), m.group(0)) for m in T._DATE.finditer(paragraph)] == \
            _dates_without_lookahead(paragraph)


def test_date_lookahead_admits_every_month_however_cased() -> None:
    """The lookahead lets through every character the month names match ignoring case."""
    months = [m.capitalize() for m in T.MONTHS]
    ahead = re.compile(T._DATE_START, re.IGNORECASE)
    for month in months:
        for variant in (month, month.upper(), month.lower(), month.replace("s", "\u017f")):
            if re.fullmatch(month, variant, re.IGNORECASE):
                assert ahead.match(variant), variant


def _number_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@SETTINGS
@given(texts)
def test_number_lookaheads_change_no_match(text: str) -> None:
    for words in (T.NUMBER_WORDS, T.DETAIL_NUMBER_WORDS):
        plain = re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)
        assert _number_spans(T._words_pattern(tuple(words)), text) == _number_spans(plain, text)
    assert _number_spans(T._NUM_RE, text) == _number_spans(re.compile(T._NUM), text)
