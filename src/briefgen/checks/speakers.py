"""Each view is given to the speaker its evidence names.

A cited sentence that gives words or a view to a named speaker ("NATO said …", "The
Diplomat argues …", "according to the Joint Chiefs of Staff") must name someone its
evidence names as speaking: the author, outlet or publisher of a cited record, the
issuing body of a cited official document (its title: "the Strategic Concept says"), or
a name that stands beside a reporting verb in a cited quotation ("JCS spokesperson
Col. Lee Sung-jun explained", "…, the JCS explained"). NATO named in a Korea Herald
report is a subject of the report, not its speaker. A commentary speaks for its
authors, not for the outlet that ran it; a think-tank paper for its publisher only when
it is unsigned. A name just before a word for a piece of writing ("according to a
KF-VUB commentary") says where the words appeared: the document speaks, not the name.

Only a speaker that is a proper name is checked: "a commentary argues", "officials
said" and "it reported" are the writer's own descriptions, and the names check of
``details`` already asks whether any name stands in the evidence at all. A name counts
as the evidence's when its distinctive words do (titles such as "President" or
"Secretary General" alone do not), through the house glossary: "President Yoon said"
is supported by "Yoon said"; "Seoul said" by "South Korea said".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
from .evidence_text import extract_words
from .text import FUNCTION_WORDS, MONTHS, WORD_RUN, Glossary, contains, normal

#: Verbs that give words or a view to their subject, in the forms a brief uses.
_VERBS = ("said|says|say|stated|states|argued|argues|noted|notes|wrote|writes|reported|reports"
          "|warned|warns|claimed|claims|told|tells|announced|announces|explained|explains"
          "|insisted|insists|stressed|stresses|added|adds|acknowledged|acknowledges|denied|denies"
          "|declared|declares|affirmed|affirms|maintained|maintains|contended|contends")
#: The verbs as a set: ``\b(?:<verbs>)\b`` finds one exactly where a run of word characters
#: (``\w+``, as long as it runs) is one of them, and matches a whole word exactly where it
#: is one of them.
_VERB_WORDS = frozenset(_VERBS.split("|"))
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
#: Words that may stand between a speaker and its verb ("Yoon later said").
_ADVERBS = frozenset({"also", "later", "then", "again", "publicly", "previously", "earlier",
                      "once", "has", "have", "had", "reportedly"})
#: A form of "be" before the verb makes it passive ("was noted", "is reported"): the name
#: before it is what was said, not who said it.
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
#: Words that may join the words of one name ("Chiefs of Staff", "NATO's Secretary General").
_JOINERS = frozenset({"of", "the", "for", "and", "de"})
#: Words after which a name is part of a longer phrase, not the one who speaks.
_PREPOSITIONS = frozenset({"of", "on", "in", "by", "at", "from", "with", "to", "for", "about",
                           "against", "between", "after", "before", "during", "since", "under"})
#: Words of a name that say what someone is, not who: alone they name no one.
TITLES = frozenset({
    "president", "secretary", "general", "minister", "ministry", "foreign", "defence", "defense",
    "prime", "chief", "chiefs", "staff", "joint", "col", "colonel", "gen", "lieutenant", "major",
    "ambassador", "spokesperson", "spokesman", "spokeswoman", "deputy", "vice", "national",
    "office", "official", "officials", "senior", "director", "head", "commander", "admiral",
    "mr", "mrs", "ms", "dr", "professor", "the", "a", "an", "one", "its", "his", "her", "their",
    "this", "that", "these", "those", "it", "he", "she", "they", "we", "both", "each",
})
_WORD = LazyPattern(r"[\w\u2019'.-]+")
#: Words for a piece of writing: a name just before one ("a KF-VUB commentary") says
#: where it appeared, not who speaks.
_DOCUMENTS = frozenset({"commentary", "article", "report", "paper", "piece", "op-ed", "column",
                        "editorial", "analysis", "study", "statement", "release", "declaration",
                        "communiqué", "communique", "brief", "interview", "blog", "post"})
#: Kinds of record an institution issues in its own name: its title names who speaks.
_ISSUED = frozenset({"official-document", "press-release", "government-statement", "news-item", "transcript"})
#: How many words of a quotation, either side of a reporting verb, may name its speaker.
_NEAR = 7


@dataclass(frozen=True, slots=True)
class Misattribution:
    """A named speaker the evidence does not name as speaking."""

    speaker: str
    start: int
    end: int


def _capital(c: str) -> bool:
    """Whether ``c`` is a capital or a digit of the scripts names are written in here
    (``[A-Z0-9\u00c0-\u024f\uac00-\ud7af]``: Latin with its accented letters, Hangul)."""
    return "A" <= c <= "Z" or "0" <= c <= "9" or "\u00c0" <= c <= "\u024f" or "\uac00" <= c <= "\ud7af"


def _is_name_word(word: str) -> bool:
    return word != "" and _capital(word[0]) and word.lower().rstrip(".") not in ("the", "a", "an")


def speakers(sentence: str, known: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """The named speakers a sentence gives words or a view to: (start, end, name)."""
    if "ccording to" not in sentence and not has_verb(sentence):
        return []  # most sentences give no one a view: one scan says so
    known_set = {k.lower() for k in known}
    words = _words(sentence)
    out: list[tuple[int, int, str]] = []
    for i, (_start, _end, word) in enumerate(words):
        if word in _VERB_WORDS:
            j = i - 1
            while j >= 0 and words[j][2].lower() in _ADVERBS:
                j -= 1
            if j >= 0 and words[j][2].lower() in _BE:
                continue
            run = _name_before(words, j)
            if run is not None:
                out.append(run)
        if word.lower() == "according" and i + 1 < len(words) and words[i + 1][2].lower() == "to":
            run = _name_after(words, i + 2)
            if run is not None:
                out.append(run)
    # A lone capitalised word opening the sentence ("Officials said") names no one unless
    # the brief or the archive writes it as a name elsewhere.
    return [(s, e, name) for s, e, name in out
            if not (s == words[0][0] and " " not in name and name.lower() not in known_set
                    and not name.isupper())]


def has_verb(sentence: str) -> bool:
    """Whether ``sentence`` holds a reporting verb as a word (``\b(?:<verbs>)\b``)."""
    return not _VERB_WORDS.isdisjoint(WORD_RUN.findall(sentence))


def _words(sentence: str) -> list[tuple[int, int, str]]:
    """The sentence's words; a word after punctuation ("2023, NATO") starts a new phrase,
    so it is kept apart by a marker word that joins no name."""
    out: list[tuple[int, int, str]] = []
    last = 0
    for m in _WORD.finditer(sentence):
        if out and sentence[last:m.start()].strip():
            out.append((last, m.start(), ","))
        out.append((m.start(), m.end(), m.group()))
        last = m.end()
    return out


def _name_before(words: list[tuple[int, int, str]], j: int) -> tuple[int, int, str] | None:
    """The proper name that ends at word ``j`` (reading back), or None."""
    if j < 0 or not _is_name_word(_stem(words[j][2])):
        return None
    k = j
    while k - 1 >= 0:
        prev = words[k - 1][2]
        if _is_name_word(prev) or (prev.lower() in _JOINERS and k - 2 >= 0
                                   and _is_name_word(words[k - 2][2])):
            k -= 1
            continue
        break
    while k <= j and words[k][2].lower() in _JOINERS:
        k += 1
    b = k - 1
    while b >= 0 and words[b][2].lower() in ("the", "a", "an"):
        b -= 1
    if b >= 0 and words[b][2].lower() in _PREPOSITIONS:
        return None  # the object of a phrase ("the report on the talks of February 2023 says")
    return _named(words, k, j)


def _name_after(words: list[tuple[int, int, str]], k: int) -> tuple[int, int, str] | None:
    while k < len(words) and words[k][2].lower() in ("the", "a", "an"):
        k += 1
    if k >= len(words) or not _is_name_word(words[k][2]):
        return None
    j = k
    while j + 1 < len(words):
        nxt = words[j + 1][2]
        if _is_name_word(nxt) or (nxt.lower() in _JOINERS and j + 2 < len(words)
                                  and _is_name_word(words[j + 2][2])):
            j += 1
            continue
        break
    if j + 1 < len(words) and words[j + 1][2].lower() in _DOCUMENTS:
        return None  # "according to a KF-VUB commentary": a document speaks, named by its place
    return _named(words, k, j)


def _named(words: list[tuple[int, int, str]], k: int, j: int) -> tuple[int, int, str] | None:
    if k > j:
        return None
    start, end = words[k][0], words[j][1]
    text = " ".join(_stem(w) for _, _, w in words[k:j + 1]).rstrip(".,")
    if not _distinctive(text) and len(normal(text).split()) < 2:
        return None  # a lone title ("President said") names no one
    return start, end, text


_POSSESSIVE_S = re.compile(r"[\u2019']s$")


def _stem(word: str) -> str:
    """A word without its possessive ("NATO\u2019s" → "NATO")."""
    return _POSSESSIVE_S.sub("", word)


def _distinctive(name: str) -> list[str]:
    """The words of a name that say who, not what: not titles, not function words."""
    return [w for w in normal(name).split()
            if w not in TITLES and w not in FUNCTION_WORDS and w not in MONTHS and not w.isdigit()]


def _outlet_speaks(kind: str | None, authors: list[str]) -> bool:
    """Whether a source's outlet or publisher speaks for what it carries. A commentary's
    view is its authors', not that of the outlet that ran it ("The Diplomat says" gives
    the outlet a view it published); a think-tank paper speaks for its publisher only
    when it is unsigned."""
    return kind != "commentary" and not (kind == "think-tank" and authors)


def speaker_text(keys: Iterable[str], corpus: Any, glossary: Glossary) -> str:
    """Who a note's evidence names as speaking, normalised with the glossary applied."""
    parts: list[str] = []
    seen: set[str] = set()
    for key in keys:
        record = corpus.extracts.get(key)
        if record is None:
            continue
        parts.extend(_near_verbs(extract_words(record.extract)))
        source = record.source
        if source.id in seen:
            continue
        seen.add(source.id)
        authors = [str(getattr(person, "display", person))
                   for person in getattr(source, "authors", None) or []]
        parts.extend(authors)
        kind = getattr(source, "kind", None)
        if _outlet_speaks(kind, authors):
            for field in ("outlet", "publisher", "original_outlet", "series"):
                value = getattr(source, field, None)
                if isinstance(value, str):
                    parts.append(value)
        if kind in _ISSUED:
            parts.extend(v for v in (getattr(source, "title", None), getattr(source, "short_title", None))
                         if isinstance(v, str))
    return glossary.apply(" | ".join(normal(p) for p in parts))


@functools.lru_cache(maxsize=16384)
def _near_verbs(text: str) -> tuple[str, ...]:
    """Who a quotation says is speaking: the phrase just before each reporting verb
    ("the JCS explained", "Col. Lee Sung-jun explained that"), the one just after it
    ("said Col. Lee"), and the one after "according to" — each up to the nearest comma,
    quotation mark or full stop, so the words reported are not taken for the speaker."""
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        bare = word.strip(".,;:!?\"'\u201c\u201d\u2018\u2019()").lower()
        passive = i > 0 and words[i - 1].lower() in _BE
        according = bare == "according"
        if not according and (passive or bare not in _VERB_WORDS):
            continue
        phrase: list[str] = []
        if not according:
            for w in reversed(words[max(0, i - _NEAR):i]):
                if _ends_phrase(w):
                    break
                phrase.insert(0, w)
        if not _ends_phrase(word):
            for w in words[i + 1:i + 1 + _NEAR]:
                if w.lower() == "that":
                    break
                phrase.append(w)
                if _ends_phrase(w):
                    break
        out.append(" ".join(phrase))
    return tuple(out)


_ABBREVIATION = LazyPattern(r"^(?:[A-Z][a-z]{0,3}|(?:[A-Z]\.)+[A-Z]?)\.$")


def _ends_phrase(word: str) -> bool:
    """Whether a word ends a phrase: a comma, a colon, a quotation mark, a full stop
    (not an abbreviation's: "Col.", "U.S.")."""
    if word[-1:] in ",;:\u201c\u201d\"()" or word[:1] in "\u201c\u201d\"(":
        return True
    return word.endswith((".", "!", "?")) and not _ABBREVIATION.match(word)


def check_sentence(sentence: str, said_by: str | Callable[[], str], glossary: Glossary,
                   known: Iterable[str] = ()) -> list[Misattribution]:
    """Each named speaker of ``sentence`` that ``said_by`` (``speaker_text``, or a function
    that gives it, called only when the sentence names a speaker) lacks."""
    named = speakers(sentence, known)
    if not named:
        return []
    if callable(said_by):
        said_by = said_by()
    out: list[Misattribution] = []
    for start, end, name in named:
        whole = glossary.apply(normal(name))
        if contains(said_by, whole):
            continue
        distinctive = _distinctive(name)
        if distinctive and any(contains(said_by, glossary.apply(w)) for w in distinctive):
            continue
        out.append(Misattribution(name, start, end))
    return out
