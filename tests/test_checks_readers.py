"""``checks.readers``: a reader whose bit is off finds nothing in the text.

The checks skip the date, number, certainty, negation, quotation and speaker readers of
a sentence, and the role, scope and degree checks, when ``may_find(sentence)`` says they
can find nothing there. These tests run every reader anyway, on the project's own texts
and on generated ones full of the characters the readers turn on, and hold the bits to
what the readers find.
"""

from __future__ import annotations

import re
import sys

from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.checks import claims as C
from briefgen.checks import degree as DG
from briefgen.checks import details as D
from briefgen.checks import hedges as H
from briefgen.checks import readers as R
from briefgen.checks import roles as RO
from briefgen.checks import scope as SC
from briefgen.checks import speakers as SP
from briefgen.checks import text as T
from stand_ins import Corpus
from test_text_scan import NAME_PIECES, SETTINGS, _project_texts

PIECES = [*NAME_PIECES, " ", " ", "\n", "\u2003", "\x1c", "\u0661", "\u00b2", "\u2460", "March", "mArCh",
          "mayor", "Augu\u017ft", "\u0130", "\u0131", "\u212a", "eleven", "ELEVEN", "Tenth", "often",
          "certainly", "Clearly", "disproved", "no", "NOT", "didn't", "didn\u2019t", "Neither",
          "\u201cquoted\u201d", "\"x\"", "said", "Said", "unsaid", "says_", "According to",
          "accordingto", "ccording\nto", "reports", "NATO said", "Yoon told", "Seoul",
          "a spokesperson", "ministers\u2019", "[minister]", "(envoy)", "Minister", "vice-president",
          "spy chief", "all", "ALL", "Every", "annually", "since 2019", "(only)", "\u201cbecause",
          "nearly", "1,000", "\u0663", "ten", "Fifty", "led to", "\u03a3\u039f\u03a3", "o\u0301"]
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
    return found | _claims_found(text)


_NOWHERE = Corpus({})  # no evidence: every role, scope and rank a sentence gives is reported


def _claims_found(text: str) -> int:
    """The claims readers that read ``text``: each check's own test of a sentence, before
    it reads the evidence (as the checks were written before the bits), or a finding
    against evidence that holds nothing."""
    found = 0
    words = {w.strip(RO._ENDS) for w in text.replace("\u2019", " ").replace("'", " ").split()}
    if RO._ROLE_WORDS.intersection(words) or RO.check_sentence(text, ("x",), _NOWHERE):
        found |= R.ROLE
    lowered = H.words_of(text)
    if not SC._WORDS.isdisjoint(lowered) or SC.check_sentence(text, ("x",), _NOWHERE):
        found |= R.WIDEN
    if not DG._WORDS.isdisjoint(lowered) or DG.check_sentence(text, ("x",), _NOWHERE):
        found |= R.SHARPEN
    if re.search(r"\d", text) or not T.DETAIL_NUMBER_WORDS.keys().isdisjoint(lowered):
        found |= R.COUNT
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
        R.DATE: "It met in March.", R.NUMBER | R.COUNT: "Eleven joined.", R.CERTAINTY: "It will surely join.",
        R.NEGATION: "It did not join.", R.QUOTE: "It was \u201ca bond\u201d.",
        R.SPEAKER: "NATO said so.",
    }
    for bit, text in cases.items():
        assert R.may_find(text) == bit, text
        assert _found(text) == bit, text
    assert R.may_find("Partners exercise deterrence and resilience.") == 0
    claims = {
        R.ROLE: "A spokesperson spoke.", R.WIDEN: "All joined.", R.SHARPEN: "It was unprecedented.",
        R.COUNT | R.NUMBER: "It had 54 howitzers.",
    }
    for bits, text in claims.items():
        assert R.may_find(text) == bits, text
        assert _found(text) == bits, text
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


def _no_memo() -> object:
    class NoMemo:
        def get(self, key, make):
            return make()

    return NoMemo()


def test_the_claims_skipped_by_their_bits_are_those_they_find_on_the_fixtures_and_briefs():
    """``claims._claims`` with each sentence's bits gives what it gives running every
    check: on the labelled pairs (findings of every kind) and every cited sentence of the
    project's briefs."""
    from briefgen.checks import glossary_of
    from briefgen.checks.sentences import sentences
    from briefgen.commands.common import build_document
    from briefgen.workspace import open_workspace
    from test_checks_claims import PAIRS
    from workspaces import WORKSPACE

    glossary = glossary_of(None)
    cases = [(pair["sentence"], corpus, keys) for pair, corpus, keys in PAIRS]
    flagged = sum(bool(C._claims(text, keys, corpus, glossary, _no_memo())) for text, corpus, keys in cases)
    assert flagged >= 20
    w = open_workspace(WORKSPACE)
    corpus, settings = w.corpus(), w.settings()
    for topic in w.topics():
        _, doc = build_document(w, topic, settings, lambda *_: None)
        cases += [(s.text, corpus, tuple(c.key for c in s.note.citations)) for s in sentences(doc)]
    skipped = 0
    for text, corpus, keys in cases:
        R._RUNS.clear()
        may = R.may_find(text)
        skipped += may & (R.ROLE | R.WIDEN | R.SHARPEN | R.COUNT) != R.ROLE | R.WIDEN | R.SHARPEN | R.COUNT
        assert (C._claims(text, keys, corpus, glossary, _no_memo(), may)
                == C._claims(text, keys, corpus, glossary, _no_memo())), text
    assert skipped >= 50  # the bits do skip checks
