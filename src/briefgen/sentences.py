"""Where sentences end: one rule for the lint (uncited statements) and the review copies.

A sentence ends at ".", "?" or "!", perhaps followed by closing quotes or brackets,
then white space and a capital, a digit or an opening quote; a full stop that closes
an abbreviation ("e.g.", "Gen.") or an initial ("J.") ends none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE_END = re.compile("[.?!][\u201d\u2019\"')\\]]*\\s+")
# Words whose full stop does not end a sentence, as they occur in briefs and notes.
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "cf", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "para", "paras",
    "vol", "ch", "art", "gen", "lt", "col", "adm", "capt", "maj", "sgt", "rep", "sen", "gov",
    "amb", "jr", "sr", "approx", "fig"})
_OPENERS = "\u201c\u2018\"'(["


_INITIALS = re.compile(r"(?:\w\.)+\w")
#: A full stop after this many letters or digits in a row closes no abbreviation (the
#: longest is one shorter) and no initials (they have a full stop every other character).
_PLAIN_WORD = max(map(len, _ABBREVIATIONS)) + 1


def _end_at(text: str, lo: int, hi: int, match: re.Match[str]) -> int | None:
    """Where the next sentence starts after the end ``match`` (of ``_SENTENCE_END`` in
    ``text[lo:hi]``), or None when it ends no sentence there."""
    after = match.end()
    if after >= hi:
        return None
    # the first character after any opening quotes or brackets, read from ``after``
    # (not from a copy of the rest of the text: that made a long text quadratic)
    k = after
    while k < hi and text[k] in _OPENERS:
        k += 1
    if k == hi or not ((follower := text[k]).isupper() or follower.isdigit()):
        return None
    stop = match.start()
    if text[stop] == "." and not (stop - lo >= _PLAIN_WORD and text[stop - _PLAIN_WORD:stop].isalnum()):
        word = word_before(text, lo, stop)
        if word.lower() in _ABBREVIATIONS or len(word) == 1 or _INITIALS.fullmatch(word):
            return None
    return after


def _ends(text: str, lo: int, hi: int) -> Iterator[int]:
    """Where each sentence in ``text[lo:hi]`` after the first starts (after its white space)."""
    for match in _end_matches(text, lo, hi):
        if match.end() >= hi:
            break
        after = _end_at(text, lo, hi, match)
        if after is not None:
            yield after


def _end_matches(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """``_SENTENCE_END.finditer(text, lo, hi)``, found faster in a text without "?" or "!".

    A match starts at a ".", "?" or "!" and holds no other (see ``_last_end``), so the
    matches are those that start at each such stop: in prose nearly every stop is a full
    stop, and ``str.find`` reaches the next one many times faster than the search of a
    pattern that opens with a class of characters.
    """
    if text.find("?", lo, hi) >= 0 or text.find("!", lo, hi) >= 0:
        yield from _SENTENCE_END.finditer(text, lo, hi)
        return
    match = _SENTENCE_END.match
    stop = text.find(".", lo, hi)
    while stop >= 0:
        found = match(text, stop, hi)
        if found is not None:
            yield found
        stop = text.find(".", stop + 1, hi)


def _last_end(text: str, lo: int, hi: int) -> int | None:
    """The last of ``_ends(text, lo, hi)``, or None, read back from ``hi``.

    Each match of ``_SENTENCE_END`` starts at a ".", "?" or "!" and runs on over closing
    quotes and white space only, so every such stop where the pattern matches is one of
    the matches a forward search finds: trying the stops from the last one back finds the
    last sentence without reading the sentences before it.
    """
    stop = hi
    while True:
        stop = max(text.rfind(".", lo, stop), text.rfind("?", lo, stop), text.rfind("!", lo, stop))
        if stop < 0:
            return None
        match = _SENTENCE_END.match(text, stop, hi)
        if match is not None:
            after = _end_at(text, lo, hi, match)
            if after is not None:
                return after


def word_before(text: str, lo: int, end: int) -> str:
    """The run of word characters and full stops that ends ``text[lo:end]`` (before a
    final line break, as ``re.search(r"[\\w.]*$", text[lo:end])`` reads it), found by
    looking back from ``end`` instead of searching from ``lo`` (quadratic in a long text)."""
    if end > lo and text[end - 1] == "\n":
        end -= 1
    start = end
    while start > lo and ((c := text[start - 1]) == "." or c == "_" or c.isalnum()):
        start -= 1
    return text[start:end]


def sentence_start(text: str, lo: int, hi: int) -> int:
    """Where the sentence that ends at ``hi`` (a note mark) starts, not before ``lo``."""
    start = _last_end(text, lo, hi)
    if start is None:
        start = lo
    while start < hi and text[start].isspace():
        start += 1
    return start


def sentence_cuts(text: str) -> Iterator[int]:
    """Where each sentence of ``text`` after the first starts."""
    return _ends(text, 0, len(text))


#: Words that open a sentence only as common words, never as names: after a colon
#: they are written in lower case.
_COMMON_OPENERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "their", "there", "here",
    "they", "he", "she", "we", "his", "her", "our", "officials", "reports", "sources",
    "in", "on", "at", "by", "for", "from", "with", "after", "before", "since", "until", "as",
    "both", "each", "every", "some", "most", "many", "one", "only", "not", "no", "neither",
    "all", "other", "such", "correct", "incorrect", "wrong", "right", "true", "actually",
    "according", "read", "see", "note", "elsewhere", "later", "earlier", "what", "which"})
_OPENING_WORD = re.compile(r"([A-Z][a-z]+)\b(?![\u2019'.-]\w)")


def after_colon(text: str, context: str = "") -> str:
    """``text`` as it follows a colon inside a sentence (CMOS 18 6.65, 17th ed. 6.63):
    its first word in lower case, unless it is a name or ``text`` holds two or more
    sentences. A word counts as common (not a name) when it is a usual opener ("The",
    "Officially") or ``text`` or ``context`` (say, the quotation a correction is
    about) write it in lower case elsewhere; an acronym, a quotation or a name ("NATO",
    "South Korea", "Finland joined") keeps its capital."""
    m = _OPENING_WORD.match(text)
    if m is None or any(text[cut:].strip() for cut in sentence_cuts(text)):
        return text  # two sentences or more: each keeps its capital
    word = m.group(1)
    low = word.lower()
    rest = text[m.end():] + " " + context
    common = (low in _COMMON_OPENERS or (len(low) > 5 and low.endswith("ly"))
              or _stands_alone(low, rest))
    if not common or _follows_lower(word, rest):
        return text  # written capitalised inside a sentence: a name
    return low + text[m.end():]


def _ends_word(text: str, end: int) -> bool:
    """No word character (``\\w``) at ``end``: a word ending before it ends there (``\\b``)."""
    return end == len(text) or not (text[end].isalnum() or text[end] == "_")


def _stands_alone(word: str, text: str) -> bool:
    """``word`` (letters) in ``text`` with no word character, apostrophe or hyphen before
    it and no word character after it: ``re.search(rf"(?<![\\w\u2019'-]){word}\\b", text)``,
    without compiling a pattern for each word."""
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        if not (before.isalnum() or before in "_\u2019'-") and _ends_word(text, at + len(word)):
            return True
        at = text.find(word, at + 1)
    return False


def _follows_lower(word: str, text: str) -> bool:
    """``word`` (letters) in ``text`` after a space that follows a lower-case letter, a comma
    or a semicolon, and before no word character: ``re.search(rf"(?<=[a-z,;] ){word}\\b",
    text)``, without compiling a pattern for each word."""
    at = text.find(word)
    while at >= 0:
        if (at >= 2 and text[at - 1] == " " and (text[at - 2] in ",;" or "a" <= text[at - 2] <= "z")
                and _ends_word(text, at + len(word))):
            return True
        at = text.find(word, at + 1)
    return False
