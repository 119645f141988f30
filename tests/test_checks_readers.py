"""``checks.readers``: a reader whose bit is off finds nothing in the text.

The checks skip the date, number, certainty, negation, quotation and speaker readers of
a sentence when ``may_find(sentence)`` says they can find nothing there. These tests run
every reader anyway, on the project's own texts and on generated ones full of the
characters the readers turn on, and hold the bits to what the readers find.
"""

from __future__ import annotations

import sys

from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.checks import details as D
from briefgen.checks import readers as R
from briefgen.checks import speakers as SP
from briefgen.checks import text as T
from test_text_scan import NAME_PIECES, SETTINGS, _project_texts

PIECES = [*NAME_PIECES, " ", " ", "\n", "\u2003", "\x1c", "\u0661", "\u00b2", "\u2460", "March", "mArCh",
          "mayor", "Augu\u017ft", "\u0130", "\u0131", "\u212a", "eleven", "ELEVEN", "Tenth", "often",
          "certainly", "Clearly", "disproved", "no", "NOT", "didn't", "didn\u2019t", "Neither",
          "\u201cquoted\u201d", "\"x\"", "said", "Said", "unsaid", "says_", "According to",
          "accordingto", "ccording\nto", "reports", "NATO said", "Yoon told", "Seoul"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _found(text: str) -> int:
    """The readers that find something in ``text``, run in full."""
    found = 0
    if T.find_dates(text):
        found |= R.DATE
    if T.find_numbers(text, T.DETAIL_NUMBER_WORDS):
        found |= R.NUMBER
    if list(D.CERTAINTY.finditer(text)):
        found |= R.CERTAINTY
    if list(D.NEGATION.finditer(text)):
        found |= R.NEGATION
    if list(D.QUOTED.finditer(text)):
        found |= R.QUOTE
    if SP.speakers(text) or SP.speakers(text, known=text.split()):
        found |= R.SPEAKER
    return found


def _holds(text: str) -> None:
    R._RUNS.clear()
    may = R.may_find(text)
    found = _found(text)
    assert found & ~may == 0, (text, found, may)
    assert R.may_find(text) == may  # the same from the kept runs


@SETTINGS
@given(texts)
@example("On 11 July 2023 NATO said two \u201cnew\u201d members would not certainly join")
@example("eleven\u2003ſ")
@example("According\nto Seoul")
def test_a_reader_whose_bit_is_off_finds_nothing(text: str) -> None:
    _holds(text)


def test_a_reader_whose_bit_is_off_finds_nothing_in_the_project_texts() -> None:
    paragraphs = _project_texts()
    assert paragraphs
    seen = 0
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            _holds(line)
            seen |= _found(line)
    assert seen == R.ALL  # the project's texts exercise every reader


def test_each_reader_has_its_bit() -> None:
    """Each bit is on for a text the reader finds something in, and off otherwise."""
    cases = {
        R.DATE: "It met in March.", R.NUMBER: "Eleven joined.", R.CERTAINTY: "It will surely join.",
        R.NEGATION: "It did not join.", R.QUOTE: "It was \u201ca bond\u201d.",
        R.SPEAKER: "NATO said so.",
    }
    for bit, text in cases.items():
        assert R.may_find(text) == bit, text
        assert _found(text) == bit, text
    assert R.may_find("Partners exercise deterrence and resilience.") == 0
    assert R.may_find("A ſure thing") == R.ALL  # matches a letter only ignoring case


def test_whitespace_is_its_own_lower_case_and_no_word_character() -> None:
    """What lets a text be read run by run: no white space changes in lower case or is a
    word character, so every piece a reader needs stands inside one run."""
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if c.isspace() or c in "\x1c\x1d\x1e\x1f":
            assert c.lower() == c and not (c.isalnum() or c == "_"), hex(code)


def test_a_word_matched_only_ignoring_case_is_read_as_that_word() -> None:
    """"Auguſt 2023" and "ſixteen" (long s) match their patterns ignoring case: they are
    August and 16, not a crash of the check."""
    for written, month in (("Augu\u017ft 2023", 8), ("Apr\u0131l 2023", 4), ("APR\u0130L 2023", 4)):
        (mention,) = T.find_dates(written)
        assert (mention.first.start.year, mention.first.start.month) == (2023, month)
        assert R.may_find(written) & R.DATE
    for written, value in (("\u017fixteen", 16), ("E\u0130GHT", 8), ("n\u0131ne", 9)):
        assert [n[3] for n in T.find_numbers(written, T.NUMBER_WORDS)] == [value]
        assert R.may_find(written) & R.NUMBER
