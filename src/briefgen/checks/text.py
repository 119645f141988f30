"""Reading details out of prose: dates in the project's forms, numbers, proper names.

The checks compare what a sentence states with what its evidence holds. Both sides
are read by the same functions here, so that "11 July 2023", "July 11, 2023",
"2023-07-11" and a source dated 2023-07-11 are one date, "eleven" and "11" one
number, and "ROK" and "Republic of Korea" one name when the house glossary says so.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..plain import LazyPattern
from ..quotes import fold_styles

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_INDEX = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_INDEX.update({m[:3]: i + 1 for i, m in enumerate(MONTHS)})
_MONTH_INDEX["sept"] = 9

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
}
ORDINAL_WORDS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
NUMBER_WORDS.update(ORDINAL_WORDS)
#: Number words a sentence states as a detail ("one" reads as a pronoun too often).
DETAIL_NUMBER_WORDS = {w: v for w, v in NUMBER_WORDS.items() if w not in {"one", "hundred",
                                                                         "thousand", "dozen"}}

_M = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_D = r"(\d{1,2})"
_Y = r"((?:19|20)\d{2})"
_DASH = r"\s*[-\u2013\u2014/]\s*"
_NUM = r"(?<![\w.,\u2013-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?![\w\u2019'])"

# Every form starts with a digit or a month's first three letters: the lookahead lets the
# engine pass over all other places at once instead of trying each branch there (the same
# matches, about ten times faster over long texts).
_DATE_START = r"(?=\d|[JFMASOND][AEPUCO][NBRYLGPTVC])"

# One alternation, longest forms first; each branch's groups are read by name.
_DATE = LazyPattern(
    _DATE_START +
    rf"(?:(?P<dr>{_D}{_DASH}{_D}\s+{_M}(?:\s+{_Y})?)"                       # 13–15 December 2023
    rf"|(?P<mdr>{_M}\s+{_D}{_DASH}{_D},?\s+{_Y})"                         # December 13–15, 2023
    rf"|(?P<dmy>{_D}\s+{_M}(?:,?\s+{_Y})?)(?!\s*[\u2013-]\s*\d)"          # 11 July 2023, 11 July
    rf"|(?P<mdy>{_M}\s+{_D}(?:st|nd|rd|th)?,?\s+{_Y})"                    # July 11, 2023
    rf"|(?P<mmr>{_M}{_DASH}{_M}\s+{_Y})"                                  # July–September 2022
    rf"|(?P<my>{_M}(?:\s+(?:of\s+)?{_Y})?)(?![\w])"                       # July 2023, July
    rf"|(?P<iso>{_Y}-(\d{{2}})(?:-(\d{{2}}))?)(?![\d])"                   # 2023-07-11, 2023-07
    rf"|(?P<dots>{_D}\.(\d{{1,2}})\.{_Y})"                                # 13.07.2023
    rf"|(?P<yr>(?<![\w.,-]){_Y}(?:{_DASH}{_Y})?)(?![\w\u2019']))",         # 2023, 2012–2024
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Span:
    """A date known to some precision, as the interval of days it may mean."""

    start: _dt.date
    end: _dt.date
    precision: str  # "day", "month" or "year"

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> Span:
        if month is None:
            return cls(_dt.date(year, 1, 1), _dt.date(year, 12, 31), "year")
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return cls(_dt.date(year, month, 1), _dt.date(year, month, last), "month")
        d = _dt.date(year, month, day)
        return cls(d, d, "day")

    def to(self, other: Span) -> Span:
        return Span(self.start, other.end, self.precision)

    def within(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date stated in text: where it stands and what it means.

    ``first`` and ``last`` are the spans of a range's two ends (the same span for a
    single date); ``year_known`` is false for "11 July" read without a year.
    """

    start: int
    end: int
    text: str
    first: Span
    last: Span
    year_known: bool = True

    @property
    def span(self) -> Span:
        return self.first.to(self.last)


def _safe(year: int, month: int | None = None, day: int | None = None) -> Span | None:
    try:
        return Span.of(year, month, day)
    except ValueError:
        return None


def _resolve_year(month: int, context: _dt.date | None) -> int | None:
    """The year of a month named without one: the latest not after ``context``."""
    if context is None:
        return None
    return context.year if month <= context.month else context.year - 1


def find_dates(text: str, context: _dt.date | None = None) -> list[DateMention]:
    """Every date in ``text`` in the forms the project writes and its sources use.

    A day or month without a year takes its year from ``context`` (a source's date:
    "in July" in a December 2023 report is July 2023); without a context it is
    read in every year, ``year_known`` false, and its span is that of year 1.
    """
    return list(_find_dates(text, context))


_DIGIT = re.compile(r"\d")
#: The characters that match an ASCII letter ignoring case but are not that letter in
#: lower case: "ſ" (s), "İ" and "ı" (i). A reader that looks for words in ``text.lower()``
#: before trying a pattern that ignores case tries the pattern anyway on a text holding one.
CASE_ODD = "\u017f\u0130\u0131"


#: The characters of ``CASE_ODD`` as the ASCII letter they match ignoring case: what a
#: word a pattern found ignoring case ("Auguſt", "ſixteen") is looked up as.
_CASE_ODD_LETTERS = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


def case_odd(text: str) -> bool:
    """Whether ``text`` holds a character of ``CASE_ODD`` (three quick searches)."""
    return "\u017f" in text or "\u0130" in text or "\u0131" in text


#: A year as every form of ``_DATE`` without a month's name holds one (``_Y``).
YEARISH = re.compile(r"(?:19|20)\d\d")


def _date_starts(text: str) -> list[int] | None:
    """Every place where ``_DATE`` may match: each digit, and each month's name in any
    case (every form has one, and each form starts with a digit or a month's name); none
    when the text names no month and holds no year (every form holds one or the other).
    None when the text holds a character that matches a month's letter only ignoring case."""
    if case_odd(text):
        return None
    low = text.lower()
    if len(low) != len(text):
        return None  # (no character but "İ" grows in lower case)
    starts: list[int] = []
    for month in MONTHS:
        at = low.find(month)
        while at >= 0:
            starts.append(at)
            at = low.find(month, at + 1)
    if not starts and YEARISH.search(text) is None:
        return starts  # no month and no year: no date ("Part 2", "3 of 5")
    starts += [m.start() for m in _DIGIT.finditer(text)]
    starts.sort()
    return starts


def _date_matches(text: str) -> Iterator[re.Match[str]]:
    """``_DATE.finditer(text)``, trying the pattern only where a date may start: most
    texts hold few digits and months, and many none."""
    starts = _date_starts(text)
    if starts is None:
        yield from _DATE.finditer(text)
        return
    if not starts:
        return  # no digit and no month: the pattern is not even compiled
    end = 0
    match = _DATE.compiled.match
    for pos in starts:
        if pos < end:
            continue  # inside the date found last, as a search goes on after it
        m = match(text, pos)
        if m is not None:
            yield m
            end = m.end()


def _month(name: str) -> int:
    """The number of a month's name as ``_DATE`` matched it (ignoring case: "Auguſt" too)."""
    return _MONTH_INDEX[name.translate(_CASE_ODD_LETTERS).lower()]


@functools.lru_cache(maxsize=16384)
def _find_dates(text: str, context: _dt.date | None) -> tuple[DateMention, ...]:
    """``find_dates``, kept by value: a source's texts are read again for every note
    that cites it, and each cited sentence by more than one check."""
    out: list[DateMention] = []
    for m in _date_matches(text):
        g = m.groupdict()
        kind = next(k for k in ("dr", "mdr", "dmy", "mdy", "mmr", "my", "iso", "dots", "yr") if g[k])
        groups = [x for x in m.groups() if x is not None][1:]
        first = last = None
        year_known = True
        if kind in ("dr", "dmy", "my", "mdr", "mdy") and not any(
                x.isdigit() and len(x) == 4 for x in groups):
            month_name = next(x for x in groups if not x.isdigit())
            month = _month(month_name)
            year = _resolve_year(month, context)
            if year is None:
                year, year_known = 2000, False  # a leap year: 29 February stays a date
            groups = [*groups, str(year)]
        if kind == "dr":
            d1, d2, mo, y = groups[:4]
            first, last = _safe(int(y), _month(mo), int(d1)), _safe(
                int(y), _month(mo), int(d2))
        elif kind == "mdr":
            mo, d1, d2, y = groups[:4]
            first, last = _safe(int(y), _month(mo), int(d1)), _safe(
                int(y), _month(mo), int(d2))
        elif kind == "dmy":
            d, mo, y = groups[:3]
            first = last = _safe(int(y), _month(mo), int(d))
        elif kind == "mdy":
            mo, d, y = groups[:3]
            first = last = _safe(int(y), _month(mo), int(d))
        elif kind == "mmr":
            m1, m2, y = groups[:3]
            first, last = _safe(int(y), _month(m1)), _safe(int(y), _month(m2))
        elif kind == "my":
            mo, y = groups[:2]
            first = last = _safe(int(y), _month(mo))
        elif kind == "iso":
            y, mo = groups[:2]
            d = groups[2] if len(groups) > 2 else None
            first = last = _safe(int(y), int(mo), int(d) if d else None)
        elif kind == "dots":
            d, mo, y = groups[:3]
            first = last = _safe(int(y), int(mo), int(d))
        else:  # yr
            first = _safe(int(groups[0]))
            last = _safe(int(groups[1])) if len(groups) > 1 else first
        if first is None or last is None or last.end < first.start:
            continue
        if kind == "my" and not year_known and m.group(0).lower() == "may":
            continue  # "may" is a verb far more often than a month
        out.append(DateMention(m.start(), m.end(), m.group(0), first, last, year_known))
    return tuple(out)


_NUM_RE = re.compile(r"(?=\d)" + _NUM)  # the lookahead only skips what cannot match sooner


@functools.lru_cache(maxsize=8)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """``\\b(word|…)\\b`` ignoring case, longest first. A lookahead on the words' first two
    letters lets the engine skip places where no word starts: the same matches, faster."""
    ahead = ""
    if words and all(len(w) >= 2 for w in words):
        ahead = "(?=[{}][{}])".format(*("".join(sorted({re.escape(w[i]) for w in words})) for i in (0, 1)))
    return re.compile(r"\b" + ahead + "(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


#: Runs of word characters, as long as they run.
WORD_RUN = re.compile(r"\w+")


class _WordList:
    """How the words of one list are found, kept by the list's identity (with the list):
    made on first use, not remade from its words at every call."""

    __slots__ = ("pattern", "plain", "words")

    def __init__(self, words: dict[str, int]) -> None:
        self.words = words
        #: every word is lower-case ASCII letters: ``_words_pattern`` then finds exactly
        #: the runs of word characters (``WORD_RUN``) that are one of them in lower case,
        #: in a text without ``CASE_ODD`` (a run matches ``\b…\b`` only whole, and ignoring
        #: case no other character matches an ASCII letter but one whose lower case it is)
        self.plain = all(w.isascii() and w.isalpha() and w.islower() for w in words)
        self.pattern: re.Pattern[str] | None = None

    def matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, as written) of each word of the list in ``text``, in order: what
        ``_words_pattern(words).finditer(text)`` finds."""
        words = self.words
        if self.plain and not case_odd(text):
            if words.keys().isdisjoint(map(str.lower, WORD_RUN.findall(text))):
                return  # most texts hold no number word: one pass in C says so
            for m in WORD_RUN.finditer(text):
                if m.group().lower() in words:
                    yield m.start(), m.end(), m.group()
            return
        if self.pattern is None:
            self.pattern = _words_pattern(tuple(words))
        for m in self.pattern.finditer(text):
            yield m.start(), m.end(), m.group(0)


_WORD_LISTS: dict[int, _WordList] = {}


def _after_the(text: str, pos: int) -> bool:
    """Whether ``text[:pos]`` ends in the word "the" and white space (``\\bthe\\s+$``
    ignoring case), read backwards from ``pos``."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == pos or i < 3 or text[i - 3] not in "tT" or text[i - 2] not in "hH" or text[i - 1] not in "eE":
        return False
    return i == 3 or not (text[i - 4].isalnum() or text[i - 4] == "_")


def find_numbers(text: str, words: dict[str, int] = NUMBER_WORDS,
                 skip: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, str, float]]:
    """Numbers in ``text`` as (start, end, as written, value): digits and number words.

    Spans in ``skip`` (dates already read) are left out; a number inside a word
    ("AP4", "F-35", "G7") is part of a name, not a number.
    """
    taken = sorted(skip)

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    out = []
    if _DIGIT.search(text) is not None:  # every number in digits starts with one
        for m in _NUM_RE.finditer(text):
            if free(m.start(), m.end()):
                out.append((m.start(1), m.end(1), m.group(1), float(m.group(1).replace(",", ""))))
    if words:
        found = _WORD_LISTS.get(id(words))
        if found is None or found.words is not words:
            found = _WordList(words)
            if len(_WORD_LISTS) < 8:
                _WORD_LISTS[id(words)] = found
        for start, end, written in found.matches(text):
            if _after_the(text, start):
                continue  # "the two sides", "the two committed": a reference, not a count
            if free(start, end):
                out.append((start, end, written, float(words[written.translate(_CASE_ODD_LETTERS).lower()])))
    return sorted(out)


# --------------------------------------------------------------------------- names

#: Capitalised words that open a sentence or a phrase without being names.
FUNCTION_WORDS = frozenset(["a", "an", "the", "this", "that", "these", "those", "its", "it", "their", "his", "her", "our", "one", "another", "each", "every", "both", "in", "on", "at", "by", "for", "from", "with", "after", "before", "when", "while", "as", "but", "and", "or", "if", "since", "under", "over", "during", "without", "whether", "any", "some", "such", "of", "to", "into", "than", "then", "there", "here", "what", "which", "who", "how", "why", "where", "not", "no", "nor", "so", "yet", "also", "only", "all", "most", "more", "many", "much", "few", "several", "other", "allies", "ally", "both", "either", "neither", "however", "although", "though", "because", "once", "until", "unlike", "despite", "amid", "among", "between", "beyond", "through", "via", "per"])  # noqa: E501

_TOKEN = re.compile(r"[\w\u2019'&.-]*\w\.?|\S")
_JOINERS = frozenset({"of", "for", "on", "and", "de", "the"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]+s?$")
#: What ``opens`` reads (as a pattern that matches at the end of the text before a word).
OPENS_PATTERN = r"(?:^|[.!?:;]\s*[\u201d\"'\u2019)]*\s*|[\u201c\"(\u2018]\s*)$"
_STOPS = ".!?:;"
_CLOSING = "\u201d\"'\u2019)"
_OPENING = "\u201c\"(\u2018"


def opens(text: str, pos: int) -> bool:
    """Whether a word at ``pos`` opens a sentence or a phrase: ``OPENS_PATTERN`` matches at the
    end of ``text[:pos]``, found by looking back from ``pos`` rather than by searching
    the whole of ``text[:pos]`` (which made reading a long text quadratic)."""
    if pos == 0 or (pos == 1 and text[0] == "\n"):
        return True  # the pattern's "^$": nothing before, or one line break
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return False
    if text[i - 1] in _OPENING:
        return True
    while i > 0 and text[i - 1] in _CLOSING:
        i -= 1
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] in _STOPS


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


_POSSESSIVE = re.compile(r"[\u2019']s?$")
#: A possessive or a full stop a name ends in, taken off it (an acronym keeps its own).
_NAME_END = re.compile(r"(?:[\u2019']s?|\.)$")


#: The characters besides word characters that ``_TOKEN``'s word form runs over.
_IN_WORD = "_\u2019'&.-"
#: Where a capitalised token may start: an ASCII capital or any character beyond ASCII but
#: those of Latin-1's symbols and the general punctuation (quotes, dashes, spaces: none upper
#: case). A simple class the engine scans for quickly (written negated, it compiles at once);
#: ``_tokens_at`` keeps the real ones.
_NOT_CAPITAL = r"\x00-@\[-\xbf\u2000-\u206f"
_MAY_CAPITAL = re.compile(rf"[^{_NOT_CAPITAL}]")
#: The same, but not after a full stop (or "!?:;") and one space: a word there opens a
#: sentence (``opens``), and most capitals of a text stand there (``name_words``).
_MAY_CAPITAL_INSIDE = re.compile(rf"[^{_NOT_CAPITAL}](?<![{re.escape(_STOPS)}] [^{_NOT_CAPITAL}])")
#: The same, and where a joiner may stand (``find_names`` reads runs of both).
_MAY_NAME = re.compile(rf"[^{_NOT_CAPITAL}]|\b(?:of|for|on|and|de|the)\b")


def _word_start(text: str, pos: int) -> bool:
    """Whether a word character at ``pos`` starts a token: no character ``_TOKEN``'s word
    form runs over stands before it (a token's word form runs as far as it can, so a word
    character after one of those belongs to the token before)."""
    return pos == 0 or not ((c := text[pos - 1]).isalnum() or c in _IN_WORD)


def _tokens_at(text: str, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(start, token) of the tokens of ``_TOKEN.finditer(text)`` whose first character
    ``pattern`` finds and that are capitalised or (with ``_MAY_NAME``) joiners, in order,
    without visiting every token.

    ``_TOKEN`` splits a text at white space into word forms (``[\\w\u2019'&.-]*\\w\\.?``,
    as long as they run) and single other characters. A capitalised token is a word form
    starting with a capital where no word character or ``\u2019'&.-`` stands before it, or a
    single character that is upper case but no word character (Ⓐ): never one of ``_IN_WORD``.
    """
    out: list[tuple[int, str]] = []
    match = _TOKEN.match
    for m in pattern.finditer(text):
        pos = m.start()
        c = text[pos]
        if c.isupper():
            if not (c.isalnum() or c == "_"):
                out.append((pos, c))  # a token of its own
            elif _word_start(text, pos):
                out.append((pos, match(text, pos).group()))  # type: ignore[union-attr]
        elif c.islower() and c.isascii() and _word_start(text, pos):
            token = match(text, pos).group()  # type: ignore[union-attr]
            if token in _JOINERS:
                out.append((pos, token))
    return out


def _capital_tokens(text: str) -> list[tuple[int, str]]:
    """(start, token) of every token of ``_TOKEN`` in ``text`` that starts with a capital."""
    return _tokens_at(text, _MAY_CAPITAL)


def _lower_words(text: str) -> set[str]:
    """The words written in lower case in ``text`` (``common_words`` of one text)."""
    return chunk_lower_words(set(text.split()))


def chunk_lower_words(chunks: Iterable[str]) -> set[str]:
    """The words written in lower case in the runs of characters other than white space
    ``chunks``: ``common_words`` of any texts whose ``split()`` they are (tokens never span
    white space). Each distinct chunk is read once; one made only of word characters is a
    single token.
    """
    out: set[str] = set()
    for chunk in chunks:
        if chunk.isalnum():
            if chunk.islower():
                out.add(chunk)
            continue
        for token in _TOKEN.findall(chunk):
            if (word := token.rstrip(".")).islower():
                out.add(word)
    return out


def name_words(texts: Iterable[str]) -> set[str]:
    """Words that stand capitalised inside a sentence somewhere in ``texts``: names.

    The union of two texts' name words is the name words of both (the index keeps them
    per source).
    """
    out: set[str] = set()
    match = _TOKEN.match
    for text in texts:
        # ``_capital_tokens``, each asked first whether it opens a sentence (most
        # capitalised words do): such a token is not read at all, and one after a stop
        # and a space is not even visited
        for m in _MAY_CAPITAL_INSIDE.finditer(text):
            pos = m.start()
            c = text[pos]
            if not c.isupper() or opens(text, pos):
                continue
            if not (c.isalnum() or c == "_"):
                out.add(c)  # a token of its own
            elif _word_start(text, pos):
                out.add(match(text, pos).group().rstrip("."))  # type: ignore[union-attr]
    return out


@lru_cache(maxsize=4096)
def _sentence_capitals(text: str) -> tuple[tuple[int, str], ...]:
    """``_capital_tokens`` of a sentence, kept by value: ``known_in`` (a memo key) and
    ``find_names`` both read them."""
    return tuple(_capital_tokens(text))


@lru_cache(maxsize=4096)
def _capital_words(text: str) -> frozenset[str]:
    return frozenset(token.rstrip(".") for _, token in _sentence_capitals(text))


def known_in(text: str, known: set[str] | frozenset[str]) -> frozenset[str]:
    """The capitalised words of ``text`` that ``known`` holds: all of ``known`` that
    ``find_names`` can consult for this text (it asks only of a capitalised word; a memo
    key that ignores the rest)."""
    found = _capital_words(text) & known
    return found if found else _NO_WORDS  # most sentences: one object for all


_NO_WORDS: frozenset[str] = frozenset()


def common_words(texts: Iterable[str]) -> set[str]:
    """Words written in lower case in ``texts``."""
    out: set[str] = set()
    for text in texts:
        out |= _lower_words(text)
    return out


def name_and_common_words(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """``name_words(texts)`` and ``common_words(texts)``."""
    names: set[str] = set()
    common: set[str] = set()
    for text in texts:
        names |= name_words([text])
        common |= _lower_words(text)
    return names, common


def find_names(text: str, skip: Iterable[tuple[int, int]] = (),
               known: set[str] | frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Proper names in ``text`` as (start, end, as written).

    A name is a run of capitalised words, perhaps joined by "of", "for", "on", "and"
    ("Republic of Korea"); a leading function word ("The", "In", "After") is dropped;
    a single capitalised word that opens a sentence is a name only if it is an acronym
    or also stands capitalised inside the text or in ``known`` (see ``name_words``); the
    same holds for the first word of a longer run that opens a sentence. Month names and spans in ``skip``
    (dates already read) are not names.

    Only capitalised words and joiners are read: any other token between two of them
    leaves text other than white space in the gap between them, which ends a run as the
    token itself would. Joiners are read only where two capitalised words stand: a joiner
    joins a run only when a capitalised word follows it in the same run.
    """
    taken = list(skip)
    capitals = _sentence_capitals(text)
    if len(capitals) == 1 and not taken:
        # Most sentences: one capitalised word, opening the sentence. Unless it is an
        # acronym (before or after its possessive or full stop is taken off) or known, it
        # is no name, whatever else it is (a function word, a month, a joiner).
        s, t = capitals[0]
        if (t.rstrip(".") not in known and opens(text, s) and _ACRONYM.match(t) is None
                and _ACRONYM.match(_NAME_END.sub("", t)) is None):
            return []
    tokens = [(s, s + len(t), t) for s, t in capitals]
    if taken:
        tokens = [tok for tok in tokens if not any(s < tok[1] and tok[0] < e for s, e in taken)]
    if len(tokens) > 1:  # a joiner joins two capitalised words: with fewer it changes nothing
        tokens = [(s, s + len(t), t) for s, t in _tokens_at(text, _MAY_NAME)]
        if taken:
            tokens = [tok for tok in tokens if not any(s < tok[1] and tok[0] < e for s, e in taken)]
    inside = {t.rstrip(".") for s, _, t in tokens if t[0].isupper() and not opens(text, s)}
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []  # joiners waiting for a capitalised word
    for tok in tokens:
        s, _e, t = tok
        gap = text[(pending or current)[-1][1]:s] if (pending or current) else ""
        word = t.rstrip(".")
        is_name_word = (_capitalised(t) and t[0].isalpha() and word.lower() not in _MONTH_INDEX)
        possessive = bool(current) and _POSSESSIVE.search(current[-1][2]) is not None
        if is_name_word and (not current or gap.strip() == "") and not possessive:
            current.extend(pending)
            pending = []
            current.append(tok)
            continue
        if current and t.lower() in _JOINERS and gap.strip() == "" and t.islower():
            pending.append(tok)
            continue
        if current:
            runs.append(current)
        current, pending = ([tok] if is_name_word else []), []
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and run[0][2].lower() in FUNCTION_WORDS:
            run = run[1:]
        if (len(run) > 1 and opens(text, run[0][0]) and not _ACRONYM.match(run[0][2])
                and run[0][2].rstrip(".") not in inside and run[0][2].rstrip(".") not in known):
            run = run[1:]  # "Specific Chinese activities": the opening word is no name
        while run and run[-1][2].lower() in _JOINERS:
            run = run[:-1]
        if not run:
            continue
        start, end = run[0][0], run[-1][1]
        name = text[start:end]
        stripped = _NAME_END.sub("", name)
        if not _ACRONYM.match(name):
            end -= len(name) - len(stripped)
            name = stripped
        if not name:
            continue
        if (len(run) == 1 and opens(text, start) and not _ACRONYM.match(name)
                and run[0][2].rstrip(".") not in inside and run[0][2].rstrip(".") not in known):
            continue
        out.append((start, end, name))
    return out


# --------------------------------------------------------------------------- matching

# en-GB and en-US spellings are one word for matching.
_SPELLING = {
    "programme": "program", "programmes": "programs", "defence": "defense", "centre": "center",
    "centres": "centers", "organisation": "organization", "organisations": "organizations",
    "labour": "labor", "cooperation": "co-operation",
}


_POSSESSIVE_END = re.compile(r"'s\b|s'(?=\s|$)")
_NOT_WORD = re.compile(r"[^\w\s]")


def normal(text: str) -> str:
    """Text as names are compared: folded, lower case, possessives, punctuation and
    spelling variants dropped, hyphens made spaces, one space between words."""
    # fold's white space runs made one space would not change the words split below
    t = _POSSESSIVE_END.sub("", fold_styles(text).lower())
    t = _NOT_WORD.sub(" ", t)
    spelling = _SPELLING
    return " ".join([spelling.get(w, w) for w in t.split()])


class Glossary:
    """Groups of equivalent names from the house settings: each member stands for all."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()):
        self.canonical: dict[str, str] = {}
        for group in groups:
            members = [normal(x) for x in group if normal(x)]
            if not members:
                continue
            head = members[0]
            for member in members:
                self.canonical.setdefault(member, head)
        self._pattern = re.compile(
            r"\b(" + "|".join(re.escape(k) for k in sorted(self.canonical, key=len, reverse=True)) + r")\b"
        ) if self.canonical else None
        #: the first word of every member: where a member may start in normalised text
        self._firsts = frozenset(member.split(" ")[0] for member in self.canonical)

    def apply(self, normal_text: str) -> str:
        """Normalised text with every glossary member replaced by its group's first."""
        if self._pattern is None:
            return normal_text
        return self._pattern.sub(lambda m: self.canonical[m.group(1)], normal_text)

    def apply_words(self, normal_text: str) -> str:
        """``apply`` for text made only of words of word characters and the spaces between
        them, as ``normal`` gives it and joins of such texts are. A member starts with a
        word character after a boundary, so only at the start of a word, and that word is
        the member's first word: only there is the pattern tried, not at every character.
        """
        if self._pattern is None:
            return normal_text
        firsts, match = self._firsts, self._pattern.match
        out: list[str] = []
        last = pos = 0
        for word in normal_text.split(" "):
            if pos >= last and word in firsts:
                m = match(normal_text, pos)
                if m is not None:
                    out += (normal_text[last:pos], self.canonical[m.group(1)])
                    last = m.end()
            pos += len(word) + 1
        if not out:
            return normal_text
        out.append(normal_text[last:])
        return "".join(out)


def contains(haystack: str, needle: str) -> bool:
    """Whole-word containment of one normalised text in another."""
    return bool(needle) and f" {needle} " in f" {haystack} "
