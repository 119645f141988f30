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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
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



#: one extract a note's evidence leads to: (id, record, the caveat's text or "")
EvidenceRecord = tuple[str, Any, str]


def evidence_records(keys: Iterable[str], corpus: Any) -> Iterator[EvidenceRecord]:
    """Each extract a note's evidence leads to, once: the cited ones, then those their
    caveats cite (breadth first), as (id, record, the caveat's text or "")."""
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
        caveat, cites = caveat_parts(record.extract)
        yield key, record, caveat or ""
        queue.extend(cites)

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


class NoteEvidence:
    """Everything one note's evidence holds, normalised for matching.

    ``gather`` names the keys and the archive, and the extracts the keys lead to are
    walked at once (``records``, which every check of the note reads); their texts and
    sources are collected when a sentence first asks anything of the evidence (most sentences of a long brief state no
    detail and never ask), and each reading (names, quoted texts, numbers, dates, the
    details a caveat corrects) is made on first use, from readings kept by text
    (``_dates_in``, ``_numbers_in``, ``_normal``): a sentence without a date, a number or
    a name never asks for them.
    """

    __slots__ = (
        "_caveated",
        "_collected",
        "_corrected_dates",
        "_corrected_numbers",
        "_dates",
        "_glossary",
        "_head_dates",
        "_names",
        "_numbers",
        "_quoted",
        "_quoted_texts",
        "_source_dates",
        "_source_table",
        "_sources",
        "_texts",
        "keys",
        "records",
    )

    # collected on first use (``_collect``): a note whose sentence asks nothing of its
    # evidence costs no list at all
    _sources: list[Any]
    _source_dates: list[Span]
    #: the dates of the sources and their relations, before those the texts state
    _head_dates: list[Span]
    #: each text of the evidence with the date its undated days and months are read in
    _texts: list[tuple[str, _dt.date | None]]
    #: the texts a sentence may quote: the cited quotations and the records' texts
    _quoted_texts: list[str]
    #: each cited quotation with a caveat: (its extract, its text and context, the
    #: caveat's text and context)
    _caveated: list[tuple[str, tuple[str, _dt.date | None], tuple[str, _dt.date | None]]]

    def __init__(self, keys: Sequence[str], corpus: Any = None, glossary: Glossary | None = None) -> None:
        self.keys = keys
        # The evidence keeps no reference to the archive: it is kept in the archive's memo
        # tables, and a reference back would keep the archive (and its index's connection)
        # alive until the next garbage collection, after the command is done with it.
        #: each extract the keys lead to, once (``evidence_records``): what every check of
        #: the note reads (the details check, hedges, roles, scope, degree), walked once
        self.records: list[EvidenceRecord] = list(evidence_records(keys, corpus)) if corpus is not None else []
        #: the archive's readings of its sources (``_source_reads``)
        self._source_table = _source_reads(corpus) if corpus is not None else {}
        self._collected = False
        self._glossary = glossary
        self._names: str | None = None
        self._quoted: tuple[str, ...] | None = None
        self._numbers: set[float] | None = None
        self._dates: list[Span] | None = None
        self._corrected_numbers: dict[float, str] | None = None
        self._corrected_dates: list[tuple[Span, str]] | None = None

    def _collect(self) -> None:
        """Collect the texts and sources of the keys, if not done yet."""
        if self._collected:
            return
        self._collected = True
        self._sources, self._source_dates, self._head_dates = [], [], []
        self._texts, self._quoted_texts, self._caveated = [], [], []
        _collect(self)

    @property
    def sources(self) -> list[Any]:
        """Each cited source (and each source of an extract a caveat cites), once, in order."""
        self._collect()
        return self._sources

    @property
    def source_dates(self) -> list[Span]:
        """The date of every source involved, in order."""
        self._collect()
        return self._source_dates

    @property
    def names(self) -> str:
        """Every text's words, normalised, joined, with the glossary applied."""
        if self._names is None:
            self._collect()
            joined = " ".join([_normal(text) for text, _ in self._texts])
            self._names = self._glossary.apply_words(joined) if self._glossary is not None else joined
        return self._names

    @property
    def quoted(self) -> tuple[str, ...]:
        """What a sentence may quote: the cited quotations and the records' texts (titles),
        normalised, no glossary (a quotation keeps its words), each kept apart."""
        if self._quoted is None:
            self._collect()
            self._quoted = tuple([_normal(text) for text in self._quoted_texts])
        return self._quoted

    @property
    def numbers(self) -> set[float]:
        if self._numbers is None:
            self._collect()
            self._numbers = set()
            for text, _ in self._texts:
                self._numbers.update(_numbers_in(text))
        return self._numbers

    @property
    def dates(self) -> list[Span]:
        """Each source's date and its relations' (in the order met), then each mention's
        two ends in every text."""
        if self._dates is None:
            self._collect()
            self._dates = list(self._head_dates)
            for text, context in self._texts:
                self._dates.extend(_dates_in(text, context))
        return self._dates

    #: details a cited quotation states and its own caveat corrects (the caveat states
    #: others of the kind, not these; nothing else in the evidence holds them), each with
    #: the id of its extract
    @property
    def corrected_numbers(self) -> dict[float, str]:
        if self._corrected_numbers is None:
            self._corrections()
        return self._corrected_numbers  # type: ignore[return-value]

    @property
    def corrected_dates(self) -> list[tuple[Span, str]]:
        if self._corrected_dates is None:
            self._corrections()
        return self._corrected_dates  # type: ignore[return-value]

    def _corrections(self) -> None:
        """Note the numbers and dates of each cited quotation that its caveat corrects:
        where the caveat states numbers that are not dates, or dates, of its own, one of the
        quotation's of that kind that neither the caveat nor any other text of the evidence
        holds is taken to be what the caveat puts right. A caveat that vouches for its
        quotation as of a date corrects nothing."""
        self._collect()
        numbers: dict[float, str] = {}
        dates: list[tuple[Span, str]] = []
        for key, quote, (caveat, context) in self._caveated:
            if _VOUCHES.search(caveat):
                continue
            others = [read for read in self._texts if read != quote]  # as the same reading
            if _counts(caveat, context):
                for value in _numbers_in(quote[0]) - _numbers_in(caveat):
                    if not any(value in _numbers_in(text) for text, _ in others):
                        numbers.setdefault(value, key)
            if _dates_in(caveat, context):
                elsewhere = [d for text, when in others for d in _dates_in(text, when)] + self._source_dates
                for date in _dates_in(*quote):
                    if not holds_date(elsewhere, date):
                        dates.append((date, key))
        self._corrected_numbers, self._corrected_dates = numbers, dates

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


@functools.lru_cache(maxsize=16384)
def _dates_in(text: str, context: _dt.date | None) -> tuple[Span, ...]:
    """The dates one text of the evidence states: each mention's two ends."""
    dates: list[Span] = []
    for mention in find_dates(text, context):
        dates.extend((mention.first, mention.last))
    return tuple(dates)


@functools.lru_cache(maxsize=16384)
def _numbers_in(text: str) -> frozenset[float]:
    return frozenset(value for *_, value in find_numbers(text, NUMBER_WORDS))


@functools.lru_cache(maxsize=16384)
def _normal(text: str) -> str:
    return normal(text)


@dataclass(frozen=True, slots=True)
class _SourceRead:
    """What a source gives every note that cites it: its date, the dates of its
    relations, and its record's texts (title, outlet, people)."""

    source: Any  # kept to tell this source object from another with its id
    span: Span | None
    relation_dates: tuple[Span, ...]
    texts: tuple[tuple[str, None], ...]


def _source_read(source: Any) -> _SourceRead:
    relation_dates = tuple(Span.of(r.date.year, r.date.month, r.date.day)
                           for r in getattr(source, "relations", None) or [] if r.date is not None)
    return _SourceRead(source, source_date(source), relation_dates,
                       tuple((text, None) for text in record_texts(source)))


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

    Only the extracts the keys lead to are looked up here: their texts and sources are
    collected, in that order, when a sentence first asks (see ``NoteEvidence``); the
    archive does not change while its memo tables, which keep the evidence, live.
    """
    return NoteEvidence(keys if isinstance(keys, (list, tuple)) else list(keys), corpus, glossary)


def _collect(ev: NoteEvidence) -> None:
    """Collect the texts and sources of ``ev``'s keys into it."""
    texts = ev._texts
    quoted = ev._quoted_texts
    head = ev._head_dates
    sources = ev._source_table
    seen_sources: set[str] = set()
    for key, record, text in ev.records:
        source = record.source
        got = sources.get(id(source))
        if got is None or got.source is not source:
            got = sources[id(source)] = _source_read(source)
        context = got.span.end if got.span else None
        words = extract_words(record.extract)
        texts.append((words, context))
        if getattr(record.extract, "quote", None):
            quoted.append(words)
        if text:
            texts.append((text, context))
            ev._caveated.append((key, (words, context), (text, context)))
        if source.id not in seen_sources:
            seen_sources.add(source.id)
            ev._sources.append(source)
            texts.extend(got.texts)
            quoted.extend(text for text, _ in got.texts)
            if got.span:
                ev._source_dates.append(got.span)
                head.append(got.span)
            head.extend(got.relation_dates)


@functools.lru_cache(maxsize=1024)
def _counts(text: str, context: _dt.date | None) -> frozenset[float]:
    """The numbers of ``text`` that are not part of a date: counts, ages, shares."""
    taken = [(m.start, m.end) for m in find_dates(text, context)]
    return frozenset(value for *_, value in find_numbers(text, NUMBER_WORDS, taken))


#: A caveat that vouches for its quotation as of a date ("Correct on 14 February 2023;
#: Finland joined on 4 April 2023") dates the figures; it corrects none of them.
_VOUCHES = LazyPattern(r"\b(?:correct|accurate|right|true)\s+(?:on|as of|at|in|until|to)\b",
                       re.IGNORECASE)
