"""Details must stand in the evidence: dates, numbers, proper names and certainty.

Every date, number and proper name in a cited sentence should appear in the evidence
its note points to (see ``evidence_text``), and so should every word that states
certainty or an absolute ("certainly", "clearly", "never", "proved"): evidence that
says "is likely to deepen" does not carry "will certainly deepen". A sentence that
denies something ("did not take part") needs evidence that denies something too:
when none of its evidence holds a negation or a word of absence or refusal, each
negation of the sentence is a miss. Words the sentence puts in double quotation marks
are someone's words: they must stand in a cited quotation or a cited record's title
(a paraphrase does not carry them). A detail the evidence holds only in a quotation
whose own caveat corrects it (the caveat states other numbers or dates of the kind,
not this one) repeats the source's error: a miss naming that extract. Spelled-out numbers ("eleven" = 11), the
project's date forms ("11 July 2023" = "July 11, 2023" = a source dated 2023-07-11)
and the house glossary's equivalents (``ROK`` = ``Republic of Korea``) count as
matches. Each detail the evidence does not hold is a ``Miss``: a warning naming the
detail and the note, and a highlight in the review copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..plain import LazyPattern
from . import readers as _readers
from .evidence_text import NoteEvidence
from .readers import CERTAINTY_PIECES, NEGATION_PIECES
from .text import (
    DETAIL_NUMBER_WORDS,
    FUNCTION_WORDS,
    Glossary,
    case_odd,
    contains,
    find_dates,
    find_names,
    find_numbers,
    normal,
)

#: Words that state certainty or an absolute. A sentence may use one only where its
#: evidence does: added by the writer, it says more than the evidence.
CERTAINTY = LazyPattern(
    r"\b(?:certainly|definitely|undoubtedly|unquestionably|indisputably|undeniably|doubtless"
    r"|surely|inevitabl[ey]|clearly|always|never|prov(?:e|es|ed|en|ing)|guarantee[sd]?"
    r"|(?:without|beyond|no) doubt)\b", re.IGNORECASE)
#: A negation in a sentence. "never" is a word of certainty above; "not only", "not
#: least" and "No. 5" deny nothing.
NEGATION = LazyPattern(
    r"\b(?:not(?!\s+(?:only|least|just|merely)\b)|no(?!\.\s*\d)|none|neither|nor|without"
    r"|cannot|nothing|nobody|nowhere)\b|n['\u2019]t\b", re.IGNORECASE)
#: What counts as denying something in the evidence (normalised: "didn't" is "didn t"):
#: a negation, or a word that states an absence, a lack or a refusal.
_DENIAL = LazyPattern(
    r"\b(?:not|no|never|none|neither|nor|without|cannot|nothing|nobody|nowhere|t"
    r"|lacks?|lacking|lacked|absent|absence|unable|fail(?:s|ed|ing|ure)?"
    r"|refus(?:e|es|ed|ing|al)|declin(?:e|es|ed|ing)|ruled out|rules out|denie[sd]|deny(?:ing)?)\b")


#: Words a sentence puts in double quotation marks: someone's words, which must stand in
#: a cited quotation (or a cited record's title). Single marks are apostrophes here.
QUOTED = LazyPattern(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"]+)\"")
#: Where a quotation leaves words out or the writer adds some: an ellipsis, or brackets.
_GAP = LazyPattern(r"\u2026|\.\s?\.\s?\.|\[[^\]]*\]")


def certainty_words(sentence: str) -> Iterator[re.Match[str]]:
    """``CERTAINTY.finditer(sentence)``, skipped where no word of it can stand."""
    if not case_odd(sentence):
        low = sentence.lower()
        if not any(piece in low for piece in CERTAINTY_PIECES):
            return iter(())
    return CERTAINTY.finditer(sentence)


def negation_words(sentence: str) -> list[re.Match[str]]:
    """``NEGATION.finditer(sentence)``, skipped where no negation can stand."""
    if not case_odd(sentence):
        low = sentence.lower()
        if not any(piece in low for piece in NEGATION_PIECES):
            return []
    return list(NEGATION.finditer(sentence))


@dataclass(frozen=True, slots=True)
class Miss:
    """A detail of a sentence that its evidence does not hold."""

    kind: str  # "date", "number", "name", "word of certainty", "negation" or "quotation"
    text: str  # as written in the sentence
    start: int  # offsets in the sentence
    end: int
    #: for a detail the evidence holds only in a quotation its caveat corrects: that
    #: extract's id
    corrected_by: str | None = None

    def message(self) -> str:
        """What the warning says of this detail (its note and keys are added)."""
        if self.corrected_by is not None:
            return (f"\u201c{self.text}\u201d repeats what the caveat of {self.corrected_by} "
                    f"corrects")
        return f"the {self.kind} \u201c{self.text}\u201d is not in its evidence"


def quoted_misses(sentence: str, quoted: tuple[str, ...]) -> list[Miss]:
    """Each quotation of ``sentence`` whose words do not stand in one of ``quoted``.

    Case, punctuation and typographic marks do not count; every run of words between
    an ellipsis or brackets must stand, whole words, in the same quoted text.
    """
    misses: list[Miss] = []
    for m in QUOTED.finditer(sentence):
        group = 1 if m.group(1) is not None else 2
        pieces = [p for p in (normal(piece) for piece in _GAP.split(m.group(group))) if p]
        if pieces and not any(all(contains(text, p) for p in pieces) for text in quoted):
            misses.append(Miss("quotation", m.group(group), m.start(group), m.end(group)))
    return misses


def _name_misses(start: int, name: str, evidence: NoteEvidence,
                 glossary: Glossary) -> list[Miss]:
    """The words of ``name`` the evidence lacks, as runs; none if it holds the name.

    A long name is matched piece by piece: "NATO Secretary General Jens Stoltenberg"
    against evidence naming "Jens Stoltenberg" misses "Secretary General".
    """
    if contains(evidence.names, glossary.apply_words(normal(name))):
        return []
    words = [(m.start(), m.end()) for m in _words(name)]
    found = [False] * len(words)
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):  # the longest run from i the evidence holds
            piece = name[words[i][0]:words[j - 1][1]]
            if contains(evidence.names, glossary.apply_words(normal(piece))):
                for k in range(i, j):
                    found[k] = True
                i = j
                break
        else:
            i += 1
    misses: list[Miss] = []
    run: list[int] = []
    for k in [*range(len(words)), None]:
        if k is not None and not found[k]:
            run.append(k)
            continue
        meaningful = [w for w in run if name[words[w][0]:words[w][1]].lower() not in FUNCTION_WORDS]
        if meaningful:
            a, b = words[run[0]][0], words[run[-1]][1]
            misses.append(Miss("name", name[a:b], start + a, start + b))
        run = []
    return misses


_NON_SPACE = re.compile(r"[^\s]+")


def _words(name: str) -> Iterator[re.Match[str]]:
    return _NON_SPACE.finditer(name)


def check_sentence(sentence: str, evidence: NoteEvidence, glossary: Glossary,
                   known: set[str] | frozenset[str] = frozenset(),
                   readers: int = _readers.ALL) -> list[Miss]:
    """Every date, number, name and word of certainty of ``sentence`` its evidence does
    not hold. ``readers``: ``readers.may_find(sentence)``, if the caller has it (a reader
    whose bit is off finds nothing in the sentence and is not asked)."""
    misses: list[Miss] = []
    dates = find_dates(sentence) if readers & _readers.DATE else []
    for d in dates:
        ends = [d.first] if d.first == d.last else [d.first, d.last]
        if not all(evidence.has_date(s, d.year_known) for s in ends):
            misses.append(Miss("date", d.text, d.start, d.end))
        elif evidence.corrected_dates:
            for side in ends:
                key = evidence.corrects(side, d.year_known)
                if key is not None:
                    misses.append(Miss("date", d.text, d.start, d.end, key))
                    break
    taken = [(d.start, d.end) for d in dates]
    numbers = find_numbers(sentence, DETAIL_NUMBER_WORDS, taken) if readers & _readers.NUMBER else []
    for start, end, text, value in numbers:
        if value not in evidence.numbers:
            misses.append(Miss("number", text, start, end))
        elif value in evidence.corrected_numbers:
            misses.append(Miss("number", text, start, end, evidence.corrected_numbers[value]))
    taken += [(s, e) for s, e, *_ in numbers]
    for start, _end, name in find_names(sentence, taken, known):
        misses.extend(_name_misses(start, name, evidence, glossary))
    for m in certainty_words(sentence) if readers & _readers.CERTAINTY else ():
        if not contains(evidence.names, normal(m.group())):
            misses.append(Miss("word of certainty", m.group(), m.start(), m.end()))
    if readers & _readers.QUOTE and ("\u201c" in sentence or '"' in sentence):
        # what ``QUOTED`` needs: the evidence is read only then
        misses.extend(quoted_misses(sentence, evidence.quoted))
    negations = negation_words(sentence) if readers & _readers.NEGATION else []
    if negations and not _DENIAL.search(evidence.names):
        for m in negations:
            misses.append(Miss("negation", m.group(), m.start(), m.end()))
    unique: dict[tuple[str, str], Miss] = {}
    for miss in sorted(misses, key=lambda m: m.start):
        unique.setdefault((miss.kind, miss.text), miss)
    return list(unique.values())
