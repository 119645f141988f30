"""Which readers can find anything in a sentence, told from its words once.

The details check reads a cited sentence for dates, numbers, words of certainty,
negations and quotations; the speakers check for a reporting verb; the dates check for
dates. Each reader first looks for what it needs (a digit or a month's name, a number
word, a piece of a word of certainty...) and most sentences of a long brief hold none
of them. ``may_find(text)`` asks those questions once per *distinct run of characters
between white space* (a brief repeats its words: the answers are kept by run) and gives
the readers that may find something as bits; a reader whose bit is off finds nothing
in the text, so the checks skip it. A bit that is on only means the reader runs as
before.

Every question is about something that holds no white space (a digit, a month's name,
a run of word characters, a piece of a word, a quotation mark, a reporting verb, the
"ccording" of "according to"), so it stands in a text exactly where it stands in one of
the text's runs. A run holding a character that matches a letter only ignoring case
(``CASE_ODD``) turns every reader on: those readers then try their patterns anyway.

The claims checks (``claims``) ask the same of their own words, in the same pass: a
lower-case role word (``roles``), a word that widens who, how often or how long
(``scope``), one that sharpens how much, how special or why, or a number (``degree``).
Each reads the words of a sentence split at white space and punctuation, so a word
stands in one run there too; a sentence none of whose runs holds one is not read.
"""

from __future__ import annotations

import re

from . import degree, roles, scope
from .hedges import words_of
from .speakers import _VERB_WORDS
from .text import _DIGIT, DETAIL_NUMBER_WORDS, MONTHS, WORD_RUN, YEARISH, case_odd

#: a date (``find_dates``: a month's name in any case, or a year)
DATE = 1
#: a number (``find_numbers`` with ``DETAIL_NUMBER_WORDS``: a digit, or a number word)
NUMBER = 2
#: a word of certainty (``details.certainty_words``)
CERTAINTY = 4
#: a negation (``details.negation_words``)
NEGATION = 8
#: a quotation (``details.QUOTED``: a double quotation mark)
QUOTE = 16
#: a named speaker (``speakers.speakers``: a reporting verb, or "according to")
SPEAKER = 32
#: a role word written in lower case (``roles.check_sentence``: one of ``roles._ROLE_WORDS``)
ROLE = 64
#: a word that widens who, how often or how long (``scope.check_sentence``: ``scope._WORDS``)
WIDEN = 128
#: a word that sharpens how much, how special or why (``degree.check_sentence``: ``degree._WORDS``)
SHARPEN = 256
#: a number as ``degree.check_sentence`` looks for one: a digit, or a number word
COUNT = 512
ALL = DATE | NUMBER | CERTAINTY | NEGATION | QUOTE | SPEAKER | ROLE | WIDEN | SHARPEN | COUNT

#: A piece of every word ``details.CERTAINTY`` finds, in lower case: a text holding none
#: of them (and none of the characters that match a letter only ignoring case) holds no
#: such word.
CERTAINTY_PIECES = ("certainly", "definitely", "doubt", "unquestionably", "indisputably",
                    "undeniably", "surely", "inevitabl", "clearly", "always", "never", "prov",
                    "guarantee")
#: A piece of every word ``details.NEGATION`` finds, in lower case (as ``CERTAINTY_PIECES``).
NEGATION_PIECES = ("no", "neither", "without", "n't", "n\u2019t")

#: the readers of each run met so far (a pure function of the run), up to a bound
_RUNS: dict[str, int] = {}
_LIMIT = 1 << 16


#: the pieces above, each list as one pattern (a run is short: one search in C each)
_MONTH_IN = re.compile("|".join(MONTHS))
_CERTAINTY_IN = re.compile("|".join(CERTAINTY_PIECES))
_NEGATION_IN = re.compile("|".join(map(re.escape, NEGATION_PIECES)))


def run_readers(run: str) -> int:
    """The readers that may find something in a text holding ``run`` (no white space)."""
    if case_odd(run):
        return ALL
    low = run.lower()
    mask = 0
    if _MONTH_IN.search(low) is not None:
        mask |= DATE
    if _CERTAINTY_IN.search(low) is not None:
        mask |= CERTAINTY
    if _NEGATION_IN.search(low) is not None:
        mask |= NEGATION
    if "ccording" in run:
        mask |= SPEAKER
    if run.isascii() and run.isalpha():  # most runs: one word, no digit, no mark
        # (its own only word for every reader, in lower case for those that lower it)
        if low in DETAIL_NUMBER_WORDS:
            mask |= NUMBER | COUNT
        if run in _VERB_WORDS:
            mask |= SPEAKER
        if run in _ROLE_WORDS:
            mask |= ROLE
        if low in _WIDEN_WORDS:
            mask |= WIDEN
        if low in _SHARPEN_WORDS:
            mask |= SHARPEN
        return mask
    mask |= _claim_readers(run)
    if _DIGIT.search(run) is not None:
        mask |= NUMBER
        if YEARISH.search(run) is not None:
            mask |= DATE
    words = WORD_RUN.findall(run)
    if words:
        if not DETAIL_NUMBER_WORDS.keys().isdisjoint(map(str.lower, words)):
            mask |= NUMBER
        if not _VERB_WORDS.isdisjoint(words):
            mask |= SPEAKER
    if '"' in run or "\u201c" in run:
        mask |= QUOTE
    return mask


_ROLE_WORDS = roles._ROLE_WORDS
_WIDEN_WORDS = scope._WORDS
_SHARPEN_WORDS = degree._WORDS


def _claim_readers(run: str) -> int:
    """The claims readers that may find something in a text holding ``run``, each asked
    as its check asks a sentence."""
    mask = 0
    words = words_of(run)  # as scope and degree read a sentence
    if not _WIDEN_WORDS.isdisjoint(words):
        mask |= WIDEN
    if not _SHARPEN_WORDS.isdisjoint(words):
        mask |= SHARPEN
    if _DIGIT.search(run) is not None or not DETAIL_NUMBER_WORDS.keys().isdisjoint(words):
        mask |= COUNT
    if not _ROLE_WORDS.isdisjoint(roles.role_words(run)):
        mask |= ROLE
    return mask


def may_find(text: str) -> int:
    """The readers (bits above) that may find something in ``text``."""
    mask = 0
    table = _RUNS
    for run in text.split():
        got = table.get(run)
        if got is None:
            got = run_readers(run)
            if len(table) < _LIMIT:
                table[run] = got
        mask |= got
    return mask
