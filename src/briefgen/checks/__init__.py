"""Evidence checks: what an editor checks in a sourced brief, made by briefgen.

A tree-and-corpus step that runs after the notes are numbered (``notes.apply``):

- ``details``: every date, number and proper name of a cited sentence stands in its
  evidence (quotations, caveats, the cited records);
- ``dates``: a sentence or event is not cited only to sources published before it;
  a past event is not cited only to a source written before it happened;
- ``speakers``: a view a sentence gives to a named speaker is one its evidence gives
  that speaker;
- ``claims``: the sentence adds nothing to its evidence: a hedge the evidence carries
  and the sentence drops (``hedges``), a role the evidence does not give (``roles``),
  a claim widened in who, how often or how long (``scope``);
- ``unsourced``: a title, heading or caption, which no note can source, states no
  detail (a number, a day or month, a year of something done);
- ``profile``: notes per source and per kind, the newest source, and its warnings.

``run`` returns the findings as ``Problem`` records (warnings and errors) that
``check`` and ``build`` print, and keeps what the review copy shows: each unsupported
detail is highlighted in its sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..memo import Memo

if TYPE_CHECKING:  # each check is imported when a run needs it: a build imports
    # ``checks.profile`` before the checks, and that imports none of them
    from ..document import Document, NoteRef
    from . import dates
    from . import profile as _profile
    from .details import Miss
    from .sentences import Line, Sentence
    from .text import Glossary

#: the name words of one line of a brief: a pure function of its text
_LINE_NAMES: Memo[frozenset[str]] = Memo(8192)


@dataclass(slots=True)
class Findings:
    """What the checks found in one brief."""

    problems: list[Problem] = field(default_factory=list)
    #: the unsupported details of each cited sentence, for the review copy
    misses: list[tuple[Sentence, list[Miss]]] = field(default_factory=list)
    profile: _profile.Profile | None = None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


#: each prose field's citations: (normalised text before the citation, its keys), by text
_FIELD_CITATIONS: Memo[tuple[tuple[str, tuple[str, ...]], ...]] = Memo(4096)


def _field_citations(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    from ..brief import CITATION, parse_citation
    from .text import normal

    out = []
    # the text before each citation, citations made spaces, normalised a stretch at a time:
    # ``normal`` of texts joined at white space is their ``normal`` forms joined
    before: list[str] = []
    last = 0
    for m in CITATION.finditer(text):
        stretch = normal(text[last:m.start()])
        if stretch:
            before.append(stretch)
        last = m.end()
        try:
            keys = tuple(parse_citation(m.group(1)))
        except ValueError:
            continue
        out.append((" ".join(before), keys))
    return tuple(out)


class Locator:
    """Finds the line of the spec that holds a note's sentence."""

    def __init__(self, loaded: Any):
        self.loaded = loaded
        self._fields: list[tuple[Any, str, tuple[str, ...]]] | None = None
        #: where in ``fields`` each set of keys, and each key, is cited
        self._by_keys: dict[tuple[str, ...], list[int]] | None = None
        self._by_key: dict[str, list[int]] = {}

    @property
    def fields(self) -> list[tuple[Any, str, tuple[str, ...]]]:
        """(field, normalised text before a citation, its keys) of every citation."""
        if self._fields is None:
            self._fields = []
            if self.loaded is not None:
                for loc, text, _ in self.loaded.prose():
                    for before, keys in _FIELD_CITATIONS.get(text, partial(_field_citations, text)):
                        self._fields.append((loc, before, keys))
        return self._fields

    def line(self, note: NoteRef, sentence: str) -> int | None:
        if self.loaded is None:
            return None
        from .text import normal

        keys = tuple(c.key for c in note.citations)
        tail = " ".join(normal(sentence).split()[-4:])
        fields = self.fields
        if self._by_keys is None:
            self._by_keys = {}
            for i, (_, _, k) in enumerate(fields):
                self._by_keys.setdefault(k, []).append(i)
                for key in k:
                    self._by_key.setdefault(key, []).append(i)
        # the fields citing exactly these keys, else those citing any of them, in order
        at = self._by_keys.get(keys) or sorted({i for key in keys for i in self._by_key.get(key, ())})
        candidates = [(fields[i][0], fields[i][1]) for i in at]
        for loc, before in candidates:
            if tail and before.endswith(tail):
                return self.loaded.line(loc)
        for loc, before in candidates:
            if tail and tail in before:
                return self.loaded.line(loc)
        return self.loaded.line(candidates[0][0]) if candidates else None


def glossary_key(settings: Any) -> tuple[tuple[str, ...], ...]:
    """The house glossary as a value: what every glossary-dependent result is keyed on."""
    return tuple(tuple(group) for group in getattr(settings, "glossary", None) or [])


def glossary_of(settings: Any) -> Glossary:
    from .text import Glossary

    return Glossary(glossary_key(settings))


def memo_table(corpus: Any, name: str) -> Memo[Any]:
    """The memo table ``name`` of this loaded archive (``Corpus.memo``).

    Its results depend on the archive as loaded; a corpus without a ``memo`` (a test's
    stand-in) gets a fresh table, used for this call only.
    """
    tables = getattr(corpus, "memo", None)
    if not isinstance(tables, dict):
        return Memo()
    table = tables.get(name)
    if table is None:
        table = tables[name] = Memo()
    return table


def _corpus_names(corpus: Any) -> frozenset[str]:
    from .text import name_words

    cached = getattr(corpus, "name_words", None)
    known = cached() if callable(cached) else None
    if known is None:
        known = name_words(p.text for record in corpus.sources.values()
                           for p in getattr(record, "paragraphs", []))
    return frozenset(known)


def _line_names(read: Callable[[list[str]], set[str]], text: str) -> frozenset[str]:
    return frozenset(read([text]))


def known_names(corpus: Any, doc: Document | None = None,
                doc_lines: list[Line] | None = None) -> set[str]:
    """Words written capitalised inside sentences of the sources or the brief: names.

    A corpus read from the index knows its sources' names already (``Corpus.name_words``),
    so a build need not read every source's text. Both ``name_words`` and
    ``common_words`` are unions over texts: each line's names are kept by its text, and
    the lower-case words are read once from the distinct runs between white space of all
    the lines (a brief repeats its words).
    """
    from .sentences import lines
    from .text import chunk_lower_words, name_words

    known: set[str] = set(memo_table(corpus, "names").get("sources", partial(_corpus_names, corpus)))
    if doc_lines is None and doc is not None:
        doc_lines = list(lines(doc))
    if doc_lines is not None:
        chunks: set[str] = set()
        for line in doc_lines:
            known |= _LINE_NAMES.get(line.text, partial(_line_names, name_words, line.text))
            chunks.update(line.text.split())
        common = chunk_lower_words(chunks)
        # "Cyber Coalition" makes no name of "cyber", which the brief writes in lower case
        known = {w for w in known if w.isupper() or w.lower() not in common}
    return known


def run(doc: Document, corpus: Any, settings: Any, loaded: Any = None,
        path: str | None = None, profile: _profile.Profile | None = None) -> Findings:
    """Run every check on a Document whose notes ``notes.apply`` has numbered.

    ``profile``: the document's source profile (``profile.profile``), if the caller has
    it already (a build that writes the DOCX before the checks: it prints the date of
    the newest source)."""
    from . import claims, dates, speakers, unsourced
    from . import profile as _profile
    from .details import check_sentence as check_details
    from .evidence_text import gather
    from .readers import DATE, SPEAKER, may_find
    from .sentences import lines, sentences
    from .text import Glossary, known_in

    findings = Findings()
    path = path or (loaded.path if loaded is not None else doc.meta.topic)
    gkey = glossary_key(settings)
    glossary: Glossary = memo_table(corpus, "glossary").get(gkey, partial(Glossary, gkey))
    style = getattr(settings, "date_style", "dmy")
    # Each result below is a pure function of the key it is kept under, within this
    # loaded archive: a note's evidence of its keys (and the glossary), a sentence's
    # findings of its text, its keys, the glossary and the known names among its words.
    evidence_memo = memo_table(corpus, "evidence")
    details_memo = memo_table(corpus, "details")
    dates_memo = memo_table(corpus, "dates")
    speakers_memo = memo_table(corpus, "speakers")
    where = Locator(loaded)
    findings.profile = result = profile if profile is not None else _profile.profile(doc, corpus, settings)
    doc.meta.sources_to = result.newest_date
    for message in result.warnings:
        loc = ("date",) if "days after its newest source" in message else ("topic",)
        findings.problems.append(Problem(path, loaded.line(loc) if loaded is not None else None,
                                         message, "warning"))
    findings.problems.extend(unsourced.problems(doc, loaded, path))
    doc_lines = list(lines(doc))  # flattened once for both readings
    known = known_names(corpus, doc_lines=doc_lines)
    for sentence in sentences(doc, doc_lines):
        text = sentence.text
        keys = tuple([c.key for c in sentence.note.citations])
        evidence = evidence_memo.get((keys, gkey), partial(gather, keys, corpus, glossary))
        may = may_find(text)
        misses = list(details_memo.get(
            (text, keys, gkey, known_in(text, known)),
            partial(_details, check_details, text, evidence, glossary, known, may)))
        if may & SPEAKER:
            said_by = partial(speakers_memo.get, (keys, gkey),
                              partial(speakers.speaker_text, keys, corpus, glossary))
            misattributed = speakers.check_sentence(text, said_by, glossary, known)
        else:
            misattributed = []  # no reporting verb and no "according to": no speaker
        for wrong in misattributed:
            findings.problems.append(Problem(
                path, where.line(sentence.note, sentence.text),
                f"note {sentence.note.number}: the view is given to \u201c{wrong.speaker}\u201d, whom its "
                f"evidence ({', '.join(keys)}) does not name as saying it \u2014 \u201c{_short(sentence.text)}\u201d",
                "warning"))
        claims.run(findings, sentence, keys, corpus, glossary, gkey, path, where, may,  # hedges, roles,
                   evidence)  # scope, degree: of the evidence the details check gathered
        done = True if sentence.line.role == "chronology" else None
        timing = list(dates_memo.get((text, keys, done, style), partial(
            _dates, dates.check_sentence, text, keys, corpus, done, style))) if may & DATE else []
        if not misses and not timing:
            continue
        line = where.line(sentence.note, sentence.text)
        for finding in timing:
            findings.problems.append(Problem(
                path, line, f"note {sentence.note.number}: {finding.message} "
                f"— “{_short(sentence.text)}”", finding.severity))
        if not misses:
            continue
        findings.misses.append((sentence, misses))
        for miss in misses:
            findings.problems.append(Problem(
                path, line,
                f"note {sentence.note.number}: {miss.message()} ({', '.join(keys)}) "
                f"\u2014 \u201c{_short(sentence.text)}\u201d",
                "warning"))
    return findings


def _details(check: Callable[..., list[Miss]], text: str, evidence: Any, glossary: Glossary,
             known: set[str], may: int) -> tuple[Miss, ...]:
    return tuple(check(text, evidence, glossary, known, may))


def _dates(check: Callable[..., list[dates.DateFinding]], text: str, keys: tuple[str, ...], corpus: Any,
           done: bool | None, style: str) -> tuple[dates.DateFinding, ...]:
    return tuple(check(text, list(keys), corpus, done, style))


def review(doc: Document, findings: Findings) -> None:
    """Make a review copy show the findings: the profile table first, and each
    unsupported detail highlighted in its sentence."""
    from ..document import Highlight
    from . import profile as _profile
    from .sentences import highlight

    for sentence, misses in findings.misses:
        for miss in misses:
            highlight(sentence, miss.start, miss.end, Highlight)
    if findings.profile is not None:
        doc.blocks[:0] = _profile.table(findings.profile)
