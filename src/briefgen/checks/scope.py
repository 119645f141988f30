"""Who, how often and how long: a sentence that widens its evidence.

- **Who.** "All allies", "every member", "the whole alliance", "unanimously": a word
  that makes a claim universal needs evidence that is universal too; "several allies"
  or "eight NATO countries" does not carry "all allies". "All 32 allies" counts the
  whole (the number is held to the evidence by the details check), and idioms ("at
  all", "above all", "each other") claim nothing.
- **How often.** "Every year", "annually", "regularly", "routinely", "repeatedly",
  "continuously": a frequency needs evidence that states one of its kind ("annual
  talks" carries "every year"; a meeting in 2023 does not).
- **How long.** "Since 2019" says a thing began then and has gone on: evidence that
  dates it to 2019 carries that only when it speaks of a start or a duration ("since",
  "first", "established", "began", "launched", "joined", "ongoing" …), not when it
  reports one event in 2019.

Each finding names the word and says what the evidence lacks. Cheap: a sentence is read
only when it holds one of the literal pieces of these words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
from .evidence_text import EvidenceRecord, evidence_records, extract_words, record_texts
from .hedges import words_of
from .text import normal

_UNIVERSAL = LazyPattern(
    r"\b(?:all|every|each|entire|whole|unanimous(?:ly)?|universal(?:ly)?|without exception)\b",
    re.IGNORECASE)
#: Phrases with a universal word that claim nothing of the kind.
_IDIOM = LazyPattern(
    r"\b(?:at all|above all|after all|all but|all the more|all in all|for all (?:its|their|his|her)"
    r"|once and for all|all along|each other|all of (?:which|this|that|these)|by all accounts"
    r"|all[- ]round|all[- ]out|all[- ]time|on the whole|as a whole|whole[- ]of[- ]government"
    r"|all[- ]of[- ]government|(?:every|each) (?:other |two |three |few )?(?:years?|months?|weeks?|days?|times?))\b",
    re.IGNORECASE)
_NUMBER_AFTER = LazyPattern(r"\s+(?:the\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                            r"|thirty|thirty-\w+)\b", re.IGNORECASE)
#: Words of the evidence that make a claim universal.
_UNIVERSAL_EVIDENCE = LazyPattern(
    r"\b(?:all|every|each|entire|whole|unanimous(?:ly)?|universal(?:ly)?|collectively|consensus"
    r"|without exception)\b")

#: Frequencies, each with the words of the evidence that carry it (normalised, word starts).
_FREQUENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"every year|each year|annually|yearly|year after year|annual",
     ("annual", "every year", "each year", "yearly", "a year")),
    (r"regularly|routinely|regular|routine",
     ("regular", "routine", "annual", "every", "each year", "periodic", "frequent", "recurr")),
    (r"repeatedly|again and again|time and again",
     ("repeated", "again", "several times", "times", "multiple", "second", "third", "consecutive")),
    (r"continuously|constantly|consistently|uninterrupted|ever since|unbroken",
     ("continu", "constant", "consisten", "ongoing", "uninterrupt", "since", "sustain", "steady")),
    (r"frequently|often",
     ("frequent", "often", "regular", "many times", "repeated")),
)
_FREQUENCY = LazyPattern(r"\b(?:" + "|".join(f"(?P<f{i}>{words})" for i, (words, _) in enumerate(_FREQUENCIES))
                         + r")\b", re.IGNORECASE)

_SINCE = LazyPattern(
    r"\b(?:ever )?since (?:(?:early|late|mid|the end of|the start of)[ -])?(?:(?:\d{1,2} )?(?:January|February|March"
    r"|April|May|June|July|August|September|October|November|December) )?(?:\d{4})\b", re.IGNORECASE)
#: Evidence that speaks of a start or a duration (normalised word starts).
_START = ("since", "first", "establish", "began", "begun", "begin", "start", "launch", "found", "join",
          "became", "become", "open", "creat", "set up", "inaugurat", "initiat", "introduc", "ongoing",
          "continu", "inception", "sign", "adopt", "admit", "accession", "member")

#: Where the evidence's sentences end (it is kept with its punctuation for this).
_EVIDENCE_SENTENCES = LazyPattern(r"[.;!?]\s")

#: A word of every phrase above (lower case, punctuation at its ends left off).
_WORDS = frozenset(
    "all every each entire whole unanimous unanimously universal universally exception annually annual "
    "yearly regularly regular routinely routine repeatedly again continuously constantly consistently "
    "uninterrupted unbroken frequently often since".split())


@dataclass(frozen=True, slots=True)
class Widened:
    """A word by which the sentence widens its evidence."""

    text: str
    start: int
    end: int
    what: str  # "who", "how often", "how long"

    def message(self) -> str:
        if self.what == "how long":
            return (f"\u201c{self.text}\u201d says it has gone on since then; its evidence gives the "
                    f"date but no start or duration")
        if self.what == "how often":
            return f"the frequency \u201c{self.text}\u201d is not in its evidence"
        return f"\u201c{self.text}\u201d makes it universal; its evidence does not"


def check_sentence(sentence: str, keys: Iterable[str], corpus: Any,
                   words: list[str] | None = None,
                   records: Sequence[EvidenceRecord] | None = None) -> list[Widened]:
    """Each word of ``sentence`` that widens who, how often or how long beyond its evidence
    (``words``: its ``words_of``, if read already; ``records``: the evidence's
    ``evidence_records``, if walked already)."""
    if _WORDS.isdisjoint(words if words is not None else words_of(sentence)):
        return []  # no word of these in the sentence (most sentences): no pattern is tried
    found: list[Widened] = []
    idioms = [(m.start(), m.end()) for m in _IDIOM.finditer(sentence)]
    for m in _UNIVERSAL.finditer(sentence):
        if any(a <= m.start() < b for a, b in idioms) or _NUMBER_AFTER.match(sentence, m.end()):
            continue
        found.append(Widened(m.group(), m.start(), m.end(), "who"))
    for m in _FREQUENCY.finditer(sentence):
        found.append(Widened(m.group(), m.start(), m.end(), "how often"))
    for m in _SINCE.finditer(sentence):
        found.append(Widened(m.group(), m.start(), m.end(), "how long"))
    if not found:
        return []
    evidence = _evidence(tuple(keys), corpus, records)
    out: list[Widened] = []
    seen: set[str] = set()
    for w in found:
        if w.what == "who":
            held = _UNIVERSAL_EVIDENCE.search(evidence) is not None
        elif w.what == "how often":
            group = next(i for i, (words, _) in enumerate(_FREQUENCIES)
                         if re.fullmatch(words, w.text, re.IGNORECASE))
            held = any(re.search(rf"(?<!\w){re.escape(c)}", evidence) for c in _FREQUENCIES[group][1])
        else:
            held = _starts(evidence, w.text[-4:])
        if held or w.text.lower() in seen:
            continue
        seen.add(w.text.lower())
        out.append(w)
    return out


def _starts(evidence: str, year: str) -> bool:
    """Whether ``evidence`` speaks of a start or a duration of what it dates to ``year``:
    "since 2019", "from 2019", "2019 onwards", or a word of starting in the sentence
    that holds the year ("established in 2005", "formally admitted on 5 May 2022")."""
    for sentence in _EVIDENCE_SENTENCES.split(evidence):
        words = sentence.split()
        if year not in words:
            continue
        i = words.index(year)
        if {"since", "from"} & set(words[max(0, i - 4):i]) or {"onward", "onwards"} & set(words[i + 1:i + 3]):
            return True
        if any(re.search(rf"(?<!\w){re.escape(c)}", sentence) for c in _START):
            return True
    return False


def _evidence(keys: tuple[str, ...], corpus: Any, records: Sequence[EvidenceRecord] | None) -> str:
    """The note's evidence, normalised: quotations, caveats (and what they cite), records."""
    texts: list[str] = []
    for _key, record, caveat in records if records is not None else evidence_records(keys, corpus):
        texts += [extract_words(record.extract), caveat, *record_texts(record.source)]
    # each text normalised on its own, its sentences kept apart by ". "
    return ". ".join(normal(t) for sentence in texts for t in _EVIDENCE_SENTENCES.split(sentence) if t)
