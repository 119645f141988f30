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
import re
from collections import deque
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
    #: what a sentence may quote: the cited quotations and the records' texts (titles),
    #: normalised, no glossary (a quotation keeps its words), each kept apart
    quoted: tuple[str, ...] = ()
    numbers: set[float] = field(default_factory=set)
    dates: list[Span] = field(default_factory=list)
    source_dates: list[Span] = field(default_factory=list)  # of every source involved
    sources: list[Any] = field(default_factory=list)

    #: details a cited quotation states and its own caveat corrects (the caveat states
    #: others of the kind, not these; nothing else in the evidence holds them), each with
    #: the id of its extract
    corrected_numbers: dict[float, str] = field(default_factory=dict)
    corrected_dates: list[tuple[Span, str]] = field(default_factory=list)

    def has_date(self, span: Span, year_known: bool = True) -> bool:
        """Whether the evidence states ``span`` to its precision (any year if unknown)."""
        return holds_date(self.dates, span, year_known)

    def corrects(self, span: Span, year_known: bool = True) -> str | None:
        """The extract whose caveat corrects ``span``, if only a corrected quotation holds it."""
        for date, key in self.corrected_dates:
            if holds_date((date,), span, year_known):
                wrong = {d for d, _ in self.corrected_dates}
                if not holds_date([d for d in self.dates if d not in wrong], span, year_known):
                    return key
        return None


def holds_date(dates: Iterable[Span], span: Span, year_known: bool = True) -> bool:
    """Whether one of ``dates`` states ``span`` to its precision (any year if unknown)."""
    for e in dates:
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


@dataclass(frozen=True, slots=True)
class _Read:
    """What one text of a note's evidence holds: its dates (each mention's two ends), its
    numbers and its normalised words. A pure function of the text and its context date."""

    dates: tuple[Span, ...]
    numbers: frozenset[float]
    normal: str


@functools.lru_cache(maxsize=16384)
def _read(text: str, context: _dt.date | None) -> _Read:
    dates: list[Span] = []
    for mention in find_dates(text, context):
        dates.extend((mention.first, mention.last))
    return _Read(tuple(dates), frozenset(value for *_, value in find_numbers(text, NUMBER_WORDS)),
                 normal(text))


@dataclass(frozen=True, slots=True)
class _SourceRead:
    """What a source gives every note that cites it: its date, the dates of its
    relations, and the reading of its record's texts (title, outlet, people)."""

    source: Any  # kept to tell this source object from another with its id
    span: Span | None
    relation_dates: tuple[Span, ...]
    reads: tuple[_Read, ...]


def _source_read(source: Any) -> _SourceRead:
    relation_dates = tuple(Span.of(r.date.year, r.date.month, r.date.day)
                           for r in getattr(source, "relations", None) or [] if r.date is not None)
    return _SourceRead(source, source_date(source), relation_dates,
                       tuple(_read(text, None) for text in record_texts(source)))


def _source_reads(corpus: Any) -> dict[int, _SourceRead]:
    """The table of source readings of this loaded archive (``Corpus.memo``): a source is
    read once however many notes cite it. A corpus without a ``memo`` gets a fresh table."""
    tables = getattr(corpus, "memo", None)
    if not isinstance(tables, dict):
        return {}
    table: dict[int, _SourceRead] = tables.setdefault("evidence-sources", {})
    return table


def gather(keys: Iterable[str], corpus: Any, glossary: Glossary) -> NoteEvidence:
    """The evidence of a note citing ``keys`` (unknown keys are skipped: already reported).

    Each text is read once (``_read``, by value) and each source once per loaded archive;
    a note only collects their readings.
    """
    keys = list(keys)
    ev = NoteEvidence(keys)
    reads: list[_Read] = []
    quoted: list[str] = []
    caveated: list[tuple[str, _Read, _Read, str, _dt.date | None]] = []
    sources = _source_reads(corpus)
    seen_sources: set[str] = set()
    queue = deque(keys)
    done: set[str] = set()
    while queue:
        key = queue.popleft()
        if key in done:
            continue
        done.add(key)
        record = corpus.extracts.get(key)
        if record is None:
            continue
        source = record.source
        got = sources.get(id(source))
        if got is None or got.source is not source:
            got = sources[id(source)] = _source_read(source)
        context = got.span.end if got.span else None
        reads.append(_read(extract_words(record.extract), context))
        if getattr(record.extract, "quote", None):
            quoted.append(reads[-1].normal)
        text, cites = caveat_parts(record.extract)
        if text:
            reads.append(_read(text, context))
            caveated.append((key, reads[-2], reads[-1], text, context))
        queue.extend(cites)
        if source.id not in seen_sources:
            seen_sources.add(source.id)
            ev.sources.append(source)
            reads.extend(got.reads)
            quoted.extend(read.normal for read in got.reads)
            if got.span:
                ev.source_dates.append(got.span)
                ev.dates.append(got.span)
            ev.dates.extend(got.relation_dates)
    for read in reads:
        ev.dates.extend(read.dates)
        ev.numbers.update(read.numbers)
    ev.names = glossary.apply_words(" ".join(read.normal for read in reads))
    ev.quoted = tuple(quoted)
    for key, quote, caveat, caveat_text, context in caveated:
        if _VOUCHES.search(caveat_text):
            continue
        _corrections(ev, key, quote, caveat, _counts(caveat_text, context),
                     [r for r in reads if r is not quote])
    return ev


@functools.lru_cache(maxsize=1024)
def _counts(text: str, context: _dt.date | None) -> frozenset[float]:
    """The numbers of ``text`` that are not part of a date: counts, ages, shares."""
    taken = [(m.start, m.end) for m in find_dates(text, context)]
    return frozenset(value for *_, value in find_numbers(text, NUMBER_WORDS, taken))


#: A caveat that vouches for its quotation as of a date ("Correct on 14 February 2023;
#: Finland joined on 4 April 2023") dates the figures; it corrects none of them.
_VOUCHES = re.compile(r"\b(?:correct|accurate|right|true)\s+(?:on|as of|at|in|until|to)\b",
                      re.IGNORECASE)


def _corrections(ev: NoteEvidence, key: str, quote: _Read, caveat: _Read,
                 counts: frozenset[float], others: list[_Read]) -> None:
    """Note the numbers and dates of ``quote`` that its ``caveat`` corrects: where the
    caveat states numbers that are not dates (``counts``), or dates, of its own, one of the
    quotation's of that kind that neither the caveat nor any other text of the evidence
    holds is taken to be what the caveat puts right."""
    if counts:
        for value in quote.numbers - caveat.numbers:
            if not any(value in r.numbers for r in others):
                ev.corrected_numbers.setdefault(value, key)
    if caveat.dates:
        elsewhere = [d for r in others for d in r.dates] + ev.source_dates
        for date in quote.dates:
            if not holds_date(elsewhere, date):
                ev.corrected_dates.append((date, key))
