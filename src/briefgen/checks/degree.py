"""How much, how special and why: a sentence that sharpens its evidence.

- **How much.** Evidence that says "nearly 600,000", "about 70", "up to 10,000" or "an
  estimated 3,000" does not carry a sentence that states the bare number ("600,000
  killed") or more ("over 600,000"): the qualifier the evidence puts before the number
  must stand before it in the sentence too (or one that says as little: "about" for
  "some"; "nearly" for "almost"). Numbers the evidence also states bare are not read.
  A sentence that says "over", "more than" or "at least" a number the evidence gives
  without such a word ("54 K9 howitzers") says more than it does.
- **How special.** "The only", "the largest", "unprecedented", "the first ever": a
  claim of rank or uniqueness needs evidence that makes one of its kind ("first",
  "only", "largest", "unprecedented", "rare").
- **Why.** "Because", "as a result of", "led to", "in response to", "prompted": a
  sentence that says one thing caused another needs evidence that says so (a causal
  word of any kind: "because", "in response to", "asked", "request", "due to" …). A
  connective that ties the sentence to the one before ("therefore", "hence") states the
  writer's inference, not a cause inside the evidence, and is not read.

Each finding names the word and says what the evidence lacks. Cheap: a sentence is read
only when it holds one of the literal words of these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
from .evidence_text import EvidenceRecord, evidence_records, extract_words, record_texts
from .hedges import words_of
from .text import DETAIL_NUMBER_WORDS, NUMBER_WORDS, find_dates, find_numbers

#: Qualifiers that make a number an estimate or a ceiling, by kind: a sentence keeps the
#: evidence's estimate with any of its kind (or one of "below").
_BELOW = ("nearly", "almost", "up to", "fewer than", "less than", "under", "just under", "as many as", "no more than")
_ABOUT = ("about", "around", "roughly", "approximately", "some", "an estimated", "estimated", "reportedly",
          "perhaps", "possibly", "an approximate", "circa", "c.")
_ABOVE = ("over", "more than", "at least", "upwards of", "in excess of", "exceeding", "above")
_QUALIFIER = LazyPattern(
    r"(?:^|\W)(" + "|".join(re.escape(q) for q in sorted(_BELOW + _ABOUT + _ABOVE, key=len, reverse=True))
    + r")\s+$", re.IGNORECASE)
#: Rank and uniqueness in a sentence, and what in the evidence carries one.
_RANK = LazyPattern(
    r"\b(?:the only|the sole|solely|the largest|the biggest|the greatest|the most|the highest|the lowest"
    r"|the smallest|the first ever|first-ever|for the first time(?: ever)?|unprecedented|unique(?:ly)?"
    r"|record(?:-breaking|-high|-low)?(?= \w)|the best|the worst|the leading|never before)\b", re.IGNORECASE)
_RANK_EVIDENCE = LazyPattern(
    r"\b(?:only|sole|solely|largest|biggest|greatest|most|highest|lowest|smallest|first|unprecedented"
    r"|unique|uniquely|record|best|worst|leading|never|rare|rarely|single|alone)\b")
#: Causation in a sentence, and what in the evidence carries one.
_CAUSE = LazyPattern(
    r"\b(?:because|due to(?! be\b)|owing to|as a result of|as a consequence of|resulted in"
    r"|led to|leads to|caused|causing|in response to|in reaction to|prompted|prompting"
    r"|triggered|triggering|thanks to|driven by|drove|forced)\b", re.IGNORECASE)
_CAUSE_EVIDENCE = LazyPattern(
    r"\b(?:because|due to|owing to|result|results|resulted|consequence|consequently|led to|leads to|lead to"
    r"|cause|caused|causes|causing|response|responding|responded|reaction|prompted|prompt|triggered|trigger"
    r"|thanks to|therefore|hence|driven|drove|drive|forced|in light of|given|request|requested|asked"
    r"|so that|in order to|aimed at|aims to|aim to|to counter|to deter|to check|underscor\w*|reflect\w*"
    r"|motivat\w*|reason|reasons|why|as part of|against the backdrop|in the context)\b")
_DIGIT = LazyPattern(r"\d")
_WORDS = frozenset(
    "only first sole solely largest biggest greatest most highest lowest smallest first-ever unprecedented "
    "unique uniquely record record-breaking record-high record-low best worst leading never because due "
    "owing result resulted results consequence led leads lead caused causing causes response reaction "
    "prompted prompting triggered triggering thanks therefore consequently hence driven drove forced "
    "nearly almost over more about around roughly approximately some estimated reportedly perhaps possibly "
    "circa least upwards excess exceeding above under fewer less many no".split())


@dataclass(frozen=True, slots=True)
class Sharpened:
    """A word by which the sentence sharpens its evidence."""

    text: str
    start: int
    end: int
    what: str  # "how much", "how special", "why"
    evidence: str = ""  # for "how much": the evidence's qualified number

    def message(self) -> str:
        if self.what == "how much":
            if any(self.text.lower().startswith(q) for q in _ABOVE):
                return (f"the sentence says \u201c{self.text}\u201d; its evidence says \u201c{self.evidence}\u201d, "
                        f"no more")
            return (f"its evidence says \u201c{self.evidence}\u201d; the sentence gives \u201c{self.text}\u201d "
                    f"without the qualifier")
        if self.what == "how special":
            return f"\u201c{self.text}\u201d claims a rank its evidence does not give"
        return f"\u201c{self.text}\u201d says one thing caused another; its evidence says nothing of a cause"


def check_sentence(sentence: str, keys: Iterable[str], corpus: Any,
                   words: list[str] | None = None,
                   records: Sequence[EvidenceRecord] | None = None) -> list[Sharpened]:
    """Each word of ``sentence`` that sharpens how much, how special or why beyond its evidence
    (``words``: its ``words_of``, if read already; ``records``: the evidence's
    ``evidence_records``, if walked already)."""
    if words is None:
        words = words_of(sentence)
    worded = not _WORDS.isdisjoint(words)
    counted = _DIGIT.search(sentence) is not None or not DETAIL_NUMBER_WORDS.keys().isdisjoint(words)
    if not worded and not counted:
        return []
    ranks = list(_RANK.finditer(sentence)) if worded else []
    causes = list(_CAUSE.finditer(sentence)) if worded else []
    numbers = _numbers(sentence) if counted else []
    if not ranks and not causes and not numbers:
        return []
    texts = _texts(tuple(keys), corpus, records)
    out: list[Sharpened] = []
    if ranks or causes:
        evidence = " ".join(words_of(" ".join(texts)))
        if ranks and _RANK_EVIDENCE.search(evidence) is None:
            out += [Sharpened(m.group(), m.start(), m.end(), "how special") for m in ranks[:1]]
        if causes and _CAUSE_EVIDENCE.search(evidence) is None:
            out += [Sharpened(m.group(), m.start(), m.end(), "why") for m in causes[:1]]
    if numbers:
        qualified = _evidence_numbers(texts)
        for start, end, written, value, kind in numbers:
            held = qualified.get(value)
            if not held:
                continue  # not in the evidence at all: the details check's
            if kind == "above" and not any(k == "above" for k, _ in held):
                # "over 54" from evidence that gives 54 (or about 54): more than it says
                qualifier = _QUALIFIER.search(sentence[max(0, start - 24):start])
                shown = f"{qualifier.group(1)} {written}" if qualifier else written
                out.append(Sharpened(shown, start - len(shown) + len(written), end, "how much",
                                     next((v for _, v in held if v), written)))
                continue
            if (None, None) in held:
                continue  # the evidence states it bare somewhere
            estimate = next((shown for k, shown in held if k in ("below", "about") and shown), None)
            if estimate is None or kind in ("below", "about"):
                continue
            out.append(Sharpened(written, start, end, "how much", estimate))
    return out


def _kind(qualifier: str) -> str:
    q = qualifier.lower()
    return "below" if q in _BELOW else "about" if q in _ABOUT else "above"


def _numbers(text: str) -> list[tuple[int, int, str, float, str | None]]:
    """The numbers of ``text`` that are not dates, each with the kind of qualifier before it."""
    taken = [(d.start, d.end) for d in find_dates(text)]
    out = []
    for start, end, written, value in find_numbers(text, DETAIL_NUMBER_WORDS, taken):
        m = _QUALIFIER.search(text[max(0, start - 24):start])
        out.append((start, end, written, value, _kind(m.group(1)) if m else None))
    return out


def _evidence_numbers(texts: list[str]) -> dict[float, set[tuple[str | None, str | None]]]:
    """Each number the evidence states, with (kind of qualifier, the words as written) of
    each statement, (None, None) where it stands bare."""
    out: dict[float, set[tuple[str | None, str | None]]] = {}
    for text in texts:
        taken = [(d.start, d.end) for d in find_dates(text)]
        for start, _end, written, value in find_numbers(text, NUMBER_WORDS, taken):
            m = _QUALIFIER.search(text[max(0, start - 24):start])
            if m is None:
                out.setdefault(value, set()).add((None, None))
            else:
                out.setdefault(value, set()).add((_kind(m.group(1)), f"{m.group(1)} {written}"))
    return out


def _texts(keys: tuple[str, ...], corpus: Any, records: Sequence[EvidenceRecord] | None) -> list[str]:
    """The note's evidence texts: quotations, caveats (and what they cite), records."""
    texts: list[str] = []
    for _key, record, caveat in records if records is not None else evidence_records(keys, corpus):
        texts += [t for t in (extract_words(record.extract), caveat, *record_texts(record.source)) if t]
    return texts
