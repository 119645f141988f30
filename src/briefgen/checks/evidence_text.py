"""What a note's evidence holds, read once: its words, numbers and dates.

A note's evidence is everything the reader is pointed to: each cited extract's
quotation (or, for a reference-only source, the analyst's paraphrase), its caveat and
the extracts the caveat cites, and each cited source's record — title, outlet,
publisher, authors, date. The details check asks whether a sentence's dates, numbers
and names stand in it.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .text import NUMBER_WORDS, Glossary, Span, find_dates, find_numbers, normal


def caveat_parts(extract: Any) -> tuple[str | None, list[str]]:
    """An extract's caveat as (text, ids of the extracts it cites).

    A caveat is a plain string or ``{text, cite}`` (a model with those fields, or a
    mapping); anything else reads as no caveat.
    """
    caveat = getattr(extract, "caveat", None)
    if caveat is None:
        return None, []
    if isinstance(caveat, str):
        return caveat, []
    if isinstance(caveat, dict):
        return caveat.get("text"), list(caveat.get("cite") or [])
    return getattr(caveat, "text", None), list(getattr(caveat, "cite", None) or [])


def extract_words(extract: Any) -> str:
    """The words an extract stands for: its quotation, or a reference-only paraphrase."""
    return getattr(extract, "quote", None) or getattr(extract, "paraphrase", None) or ""


def source_date(source: Any) -> Span | None:
    """A source's publication date as a span, or None when unknown."""
    date = getattr(source, "date", None)
    if date is None:
        return None
    try:
        return Span.of(date.year, date.month, date.day)
    except ValueError:
        return None


def record_texts(source: Any) -> list[str]:
    """The words of a source's record a sentence may lean on: title, outlet, people."""
    out: list[str] = []
    for name in ("title", "short_title", "description", "outlet", "publisher", "series",
                 "original_outlet"):
        value = getattr(source, name, None)
        if isinstance(value, str) and value:
            out.append(value)
    for person in getattr(source, "authors", None) or []:
        out.append(person.display)
    for relation in getattr(source, "relations", None) or []:
        for name in ("outlet", "title"):
            value = getattr(relation, name, None)
            if value:
                out.append(value)
        for person in relation.authors:
            out.append(person.display)
    return out


@dataclass(slots=True)
class NoteEvidence:
    """Everything one note's evidence holds, normalised for matching."""

    keys: list[str]
    names: str = ""  # normalised, glossary applied
    numbers: set[float] = field(default_factory=set)
    dates: list[Span] = field(default_factory=list)
    source_dates: list[Span] = field(default_factory=list)  # of every source involved
    sources: list[Any] = field(default_factory=list)

    def has_date(self, span: Span, year_known: bool = True) -> bool:
        """Whether the evidence states ``span`` to its precision (any year if unknown)."""
        for e in self.dates:
            if span.precision == "year":
                if e.start.year == span.start.year:
                    return True
                continue
            if e.precision == "year":
                continue
            same_year = e.start.year == span.start.year or not year_known
            if span.precision == "month":
                if same_year and e.start.month == span.start.month:
                    return True
            elif e.precision == "day" and same_year and (e.start.month, e.start.day) == (
                    span.start.month, span.start.day):
                return True
        return False


def gather(keys: Iterable[str], corpus: Any, glossary: Glossary) -> NoteEvidence:
    """The evidence of a note citing ``keys`` (unknown keys are skipped: already reported)."""
    keys = list(keys)
    ev = NoteEvidence(keys)
    texts: list[tuple[str, _dt.date | None]] = []
    seen_sources: set[str] = set()
    queue = list(keys)
    done: set[str] = set()
    while queue:
        key = queue.pop(0)
        if key in done:
            continue
        done.add(key)
        record = corpus.extracts.get(key)
        if record is None:
            continue
        span = source_date(record.source)
        context = span.end if span else None
        texts.append((extract_words(record.extract), context))
        text, cites = caveat_parts(record.extract)
        if text:
            texts.append((text, context))
        queue.extend(cites)
        if record.source.id not in seen_sources:
            seen_sources.add(record.source.id)
            ev.sources.append(record.source)
            texts.extend((t, None) for t in record_texts(record.source))
            if span:
                ev.source_dates.append(span)
                ev.dates.append(span)
            for relation in getattr(record.source, "relations", None) or []:
                if relation.date is not None:
                    ev.dates.append(Span.of(relation.date.year, relation.date.month, relation.date.day))
    for text, context in texts:
        for mention in find_dates(text, context):
            ev.dates.extend((mention.first, mention.last))
        ev.numbers.update(_numbers(text))
    ev.names = glossary.apply(" ".join(_normal(t) for t, _ in texts))
    return ev


# A source's record is read again for every note that cites it: its numbers and its
# normalised words are kept by value (pure functions of the text).
@functools.lru_cache(maxsize=16384)
def _numbers(text: str) -> frozenset[float]:
    return frozenset(value for *_, value in find_numbers(text, NUMBER_WORDS))


@functools.lru_cache(maxsize=16384)
def _normal(text: str) -> str:
    return normal(text)
