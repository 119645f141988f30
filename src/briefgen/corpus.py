"""The source archive: bibliographic records, verbatim texts, and verified extracts.

``seeds/<id>.yaml`` holds one source's record and the extracts an analyst took from
it; ``seeds/<id>.txt`` holds the source's text exactly as received. Loading proves that
every extract stands in its source (``quotes``: white space and the style of quotes,
apostrophes and dashes aside; Chicago elisions allowed; within one paragraph) and
records the paragraph it stands in.

Paragraphs are counted as a reader counts them: a text with blank lines has
blank-line-separated paragraphs (a hard-wrapped paragraph is one paragraph); a text
without blank lines has one paragraph per line. The record may say which
(``paragraphs: blank-lines | lines``). The first ``front_matter`` paragraphs
(headline, byline) are not numbered, and from ``furniture_from`` on the text is
syndication furniture, not the article.

A reference-only source has no ``text:``; its extracts are the analyst's
``paraphrase`` with an optional ``locator``, never a ``quote``.

``load_source_file`` is a function of one record file and its text file alone, so its
result is cached per file in the index (``archive``, ``index``); ``join`` joins the
files and checks what spans them (duplicate ids, the citations of caveats).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import BriefgenError, Problem, Warn
from .quotes import Found, TextIndex, fold, has_elisions
from .yamlload import Located, decode_text, load_yaml, read_text, validation_problems

if TYPE_CHECKING:  # pydantic is imported only when a record is validated
    from .index import ArchiveIndex
    from .models import Extract, ParagraphStyle, Source, SourceFile

__all__ = ["Corpus", "ExtractRecord", "Paragraph", "SourceRecord", "fold", "load_corpus",
           "load_source_file", "split_paragraphs"]


@dataclass(slots=True)
class Paragraph:
    line: int  # 1-based line in the text file where it starts
    number: int | None  # paragraph number in the article; None for front matter/furniture
    text: str
    furniture: bool = False
    end_line: int = 0  # the line where it ends (same as ``line`` for one line)


@dataclass(slots=True)
class SourceRecord:
    source: Source
    path: str  # the record's YAML, as shown to the user
    line: int
    text_path: str | None  # None for a reference-only source
    paragraphs: list[Paragraph]

    @property
    def archived(self) -> bool:
        return self.source.archived


@dataclass(slots=True)
class ExtractRecord:
    extract: Extract
    source: Source
    path: str  # the YAML file that holds it
    line: int  # the line of its entry
    quote_line: int
    paragraph: int | None = None
    text_line: int | None = None  # line of the source text where it starts
    topics_line: int | None = None  # the line of its topics, and of its caveat
    caveat_line: int | None = None

    @property
    def id(self) -> str:
        return self.extract.id

    @property
    def archived(self) -> bool:
        """False for a reference-only source: not verified against a text."""
        return self.source.archived

    @property
    def locator(self) -> str | None:
        """Where in the source: the paragraph found, or a reference-only extract's own."""
        if not self.archived:
            return self.extract.locator
        return f"para. {self.paragraph}" if self.paragraph else None


@dataclass(slots=True)
class ExtractInfo:
    """What ``check`` needs of every extract without loading it: who, where, topics, facts."""

    id: str
    source_id: str
    path: str
    line: int
    topics: tuple[str, ...]
    facts: tuple[tuple[str, int | float | str, str], ...]  # (key, value, as of, ISO)
    topics_line: int | None = None


class Lookup(Protocol):
    """What the index answers about the archive without listing every extract."""

    def counts(self) -> dict[str, int]:
        """How many extracts carry each topic, by topic."""
        ...

    def with_topic(self, topic: str, first: bool = False) -> list[ExtractInfo]:
        """The extracts that carry ``topic``, in archive order (``first``: the first alone)."""
        ...

    def sources(self) -> list[tuple[str, str, int, str | None]]:
        """``Corpus.source_catalogue``."""
        ...

    def sources_of(self, ids: list[str]) -> set[str]:
        """The sources of the extracts ``ids``."""
        ...

    def of_sources(self, source_ids: list[str]) -> list[ExtractInfo]:
        """The extracts of the sources ``source_ids``, in archive order."""
        ...

    def extract_counts(self) -> dict[str, int]:
        """How many extracts each source holds, by source id."""
        ...

    def with_facts(self) -> list[ExtractInfo]:
        """The extracts that state facts, in archive order."""
        ...


@dataclass(slots=True)
class Corpus:
    """The verified archive. ``sources`` and ``extracts`` are mappings by id; read from the
    index (``archive``), a record is made only when asked for."""

    sources: Mapping[str, SourceRecord] = field(default_factory=dict)
    extracts: Mapping[str, ExtractRecord] = field(default_factory=dict)
    #: ids of extracts that failed to load (already reported): citing one is no new problem
    broken: set[str] = field(default_factory=set)
    #: every extract's id, topics and facts, in archive order (see ``catalogue``)
    infos: list[ExtractInfo] | None = None
    #: (source id, record, line, text file as shown or None) of every source
    source_infos: list[tuple[str, str, int, str | None]] | None = None
    #: where the two lists come from when the archive was read from the index
    lister: Callable[[], tuple[list[ExtractInfo], list[tuple[str, str, int, str | None]]]] | None = None
    #: the names in every source's text (``checks.text.name_words``), from the index
    namer: Callable[[], set[str]] | None = None
    #: topic tags, counts and parts of the catalogue answered by the index (a build's lint,
    #: the archive-wide lint of ``check``, need no full catalogue)
    lookup: Lookup | None = None
    #: results computed from this archive as loaded (``memo.Memo`` tables by name): a
    #: changed archive is a new Corpus, so nothing here outlives what it was made from
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def name_words(self) -> set[str] | None:
        """The names in the sources' texts as the index holds them; None: not known."""
        return self.namer() if self.namer is not None else None

    def catalogue(self) -> list[ExtractInfo]:
        """Every extract's id, source, place, topics and facts, without loading records."""
        if self.infos is None and self.lister is not None:
            self.infos, self.source_infos = self.lister()
        if self.infos is None:
            self.infos = [info(r) for r in self.extracts.values()]
        return self.infos

    def source_catalogue(self) -> list[tuple[str, str, int, str | None]]:
        """Every source's id, record path, line and text path, without loading records."""
        if self.source_infos is None and self.infos is None and self.lookup is not None:
            self.source_infos = self.lookup.sources()
        if self.source_infos is None and self.lister is not None:
            self.infos, self.source_infos = self.lister()
        if self.source_infos is None:
            self.source_infos = [(sid, r.path, r.line, r.text_path) for sid, r in self.sources.items()]
        return self.source_infos

    def by_topic(self, topic: str) -> list[ExtractInfo]:
        if self.infos is None and self.lookup is not None:
            return self.lookup.with_topic(topic)
        return [r for r in self.catalogue() if topic in r.topics]

    def first_with_topic(self, topic: str) -> ExtractInfo | None:
        """The first extract, in archive order, that carries ``topic``."""
        if self.infos is None and self.lookup is not None:
            return next(iter(self.lookup.with_topic(topic, first=True)), None)
        return next((r for r in self.catalogue() if topic in r.topics), None)

    def topic_counts(self) -> dict[str, int]:
        if self.infos is None and self.lookup is not None:
            return dict(sorted(self.lookup.counts().items()))
        counts: Counter[str] = Counter()
        for record in self.catalogue():
            counts.update(record.topics)
        return dict(sorted(counts.items()))

    def sources_of(self, ids: Iterable[str]) -> set[str]:
        """The sources of the extracts ``ids`` (an id not in the archive is passed by)."""
        if self.infos is None and self.lookup is not None:
            return self.lookup.sources_of(sorted(ids))
        wanted = set(ids)
        return {r.source_id for r in self.catalogue() if r.id in wanted}

    def of_sources(self, source_ids: Iterable[str]) -> list[ExtractInfo]:
        """The extracts of the sources ``source_ids``, in archive order."""
        if self.infos is None and self.lookup is not None:
            return self.lookup.of_sources(sorted(source_ids))
        wanted = set(source_ids)
        return [r for r in self.catalogue() if r.source_id in wanted]

    def extract_counts(self) -> dict[str, int]:
        """How many extracts each source holds, by source id (a source with none: absent)."""
        if self.infos is None and self.lookup is not None:
            return self.lookup.extract_counts()
        return dict(Counter(r.source_id for r in self.catalogue()))

    def with_facts(self) -> list[ExtractInfo]:
        """The extracts that state facts, in archive order."""
        if self.infos is None and self.lookup is not None:
            return self.lookup.with_facts()
        return [r for r in self.catalogue() if r.facts]

    def known(self, key: str) -> bool:
        return key in self.extracts or key in self.broken

    def look_up(self, keys: Iterable[str]) -> None:
        """Find the extracts ``keys`` all at once (the index answers in a few queries
        instead of one for each), before they are asked for one by one."""
        look_up = getattr(self.extracts, "look_up", None)  # a plain mapping holds them already
        if look_up is not None:
            look_up(keys)


def info(r: ExtractRecord) -> ExtractInfo:
    return ExtractInfo(r.id, r.source.id, r.path, r.line, tuple(r.extract.topics),
                       tuple((f.key, f.value, f.as_of.iso()) for f in r.extract.facts), r.topics_line)


# --------------------------------------------------------------------------- paragraphs


_BLANK_LINES = re.compile(r"\S[^\S\n]*\n(?:[^\S\n]*\n)+[^\S\n]*\S")


def detect_style(text: str) -> ParagraphStyle:
    """Blank lines between non-blank lines mean blank-line-separated paragraphs."""
    from .models import ParagraphStyle

    return ParagraphStyle(_detect(text))


def _detect(text: str) -> str:
    return "blank-lines" if _BLANK_LINES.search(text) else "lines"


def split_paragraphs(text: str, source: Source) -> list[Paragraph]:
    return _split(text, source.paragraphs.value if source.paragraphs else None,
                  source.front_matter, source.furniture_from)


def _split(text: str, style: str | None, front_matter: int, furniture_from: str | None
           ) -> list[Paragraph]:
    """The paragraphs of a text laid out in ``style`` (``blank-lines`` or ``lines``;
    None: detected), the first ``front_matter`` not numbered, syndication furniture from
    the line that starts with ``furniture_from``."""
    style = style or _detect(text)
    blocks: list[tuple[int, int, str]] = []  # (first line, last line, text)
    current: list[str] = []
    start = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if current:
                blocks.append((start, i - 1, "\n".join(current)))
                current = []
            continue
        if style == "lines":
            blocks.append((i, i, line))
            continue
        if not current:
            start = i
        current.append(line)
    if current:
        blocks.append((start, start + len(current) - 1, "\n".join(current)))
    paragraphs: list[Paragraph] = []
    number = 0
    furniture = False
    marker = fold(furniture_from) if furniture_from else None
    for seen, (first, last, body) in enumerate(blocks, start=1):
        if marker and not furniture:
            # Furniture may start at any line, also inside a block: split there.
            lines = body.split("\n")
            at = next((k for k, ln in enumerate(lines) if fold(ln).startswith(marker)), None)
            if at is not None and at > 0:
                before = "\n".join(lines[:at])
                number += 0 if seen <= front_matter else 1
                paragraphs.append(Paragraph(first, None if seen <= front_matter else number,
                                            before, False, first + at - 1))
                first, body = first + at, "\n".join(lines[at:])
            if at is not None:
                furniture = True
        if furniture or seen <= front_matter:
            paragraphs.append(Paragraph(first, None, body, furniture, last))
        else:
            number += 1
            paragraphs.append(Paragraph(first, number, body, False, last))
    return paragraphs


def _para_name(p: Paragraph) -> str:
    if p.number:
        return f"para. {p.number}"
    return "the syndication furniture" if p.furniture else f"the front matter (line {p.line})"


# --------------------------------------------------------------------------- one file


@dataclass(slots=True)
class Quoted:
    """One extract of a validated record as verifying it against the text needs it."""

    id: str
    quote: str | None
    paraphrase: str | None
    locator: str | None
    line: int  # the line of its entry
    quote_line: int
    #: the lines of its ``paraphrase``, ``locator`` and ``id``: where the wrong kind of words is
    field_lines: dict[str, int]
    topics_line: int | None
    caveat_line: int | None


@dataclass(slots=True)
class TextPlan:
    """A record that parsed and validated, as plain data: all that verifying its text
    needs. The index keeps it, so that an edit of the text alone is verified again
    without parsing and validating the record (``archive``)."""

    source_id: str
    text: str  # the text's file name, beside the record
    style: str | None  # ``paragraphs:`` (blank-lines, lines), None: detected
    front_matter: int
    furniture_from: str | None
    furniture_line: int | None  # the line of ``furniture_from``
    source_line: int
    #: what loading and validating the record reported (YAML warnings, the id's file name)
    problems: list[Problem]
    extracts: list[Quoted]


@dataclass(slots=True)
class TextOutcome:
    """What verifying a text against its record's extracts found (``verify_text``)."""

    problems: list[Problem]
    broken: set[str]
    paragraphs: list[Paragraph] | None  # None: the text is empty
    #: the verified extracts: their place in the record, paragraph number and text line
    found: list[tuple[int, int | None, int]]


@dataclass(slots=True)
class SourceFileResult:
    """What one record file (with its text) yields on its own: cacheable per file."""

    source: SourceRecord | None
    extracts: list[ExtractRecord]
    problems: list[Problem]
    broken: set[str]
    #: (extract id, cited id, line of the citation) of every caveat citation, for the corpus
    caveat_cites: list[tuple[str, str, int]] = field(default_factory=list)
    #: (extract id, line) of every extract, in the file's order, for duplicate detection
    entries: list[tuple[str, int]] = field(default_factory=list)
    #: the record as validated (``SourceFile``), and an archived source's ``TextPlan``
    validated: SourceFile | None = None
    plan: TextPlan | None = None


#: Reads one input file: (path, as shown, kind, workspace root) -> bytes (``files.read_input``)
Reader = Callable[[Path, str, str, Path], bytes]


def load_source_file(path: Path, shown: str, root: Path | None = None,
                     read: Reader | None = None) -> SourceFileResult:
    """Load and verify one ``seeds/<id>.yaml`` and its text; never raises for bad input.

    Files are read only inside ``root`` (the workspace; default: the record's folder's
    parent), by ``read`` when given (the index notes what was read).
    """
    result = SourceFileResult(None, [], [], set())
    try:
        _load_source_file(path, shown, result, root or path.parent.parent, read)
    except BriefgenError as exc:
        result.problems.extend(exc.problems)
    return result


def _load_source_file(path: Path, shown: str, result: SourceFileResult, root: Path,
                      read: Reader | None) -> None:
    from pydantic import ValidationError

    from .models import SourceFile, validate

    problems = result.problems
    raw = read(path, shown, "record", root) if read is not None else None
    located = load_yaml(path, shown, kind="record", root=root, raw=raw)
    problems.extend(located.warnings)
    if not isinstance(located.data, dict):
        problems.append(Problem(shown, 1, "expected a mapping with 'source' and 'extracts'"))
        return
    try:
        record = validate(SourceFile, located.data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, located))
        extracts = located.data.get("extracts")
        if isinstance(extracts, list):
            result.broken.update(str(e["id"]) for e in extracts if isinstance(e, dict) and "id" in e)
        return
    result.validated = record
    source = record.source
    if source.id != path.stem:
        problems.append(Problem(shown, located.line(("source", "id")),
                                f"source id {source.id!r} does not match the file name {path.stem!r}"))
    result.entries = [(e.id, located.line(("extracts", i)) or 1) for i, e in enumerate(record.extracts)]
    for i, extract in enumerate(record.extracts):
        if extract.caveat:
            for j, key in enumerate(extract.caveat_cites):
                result.caveat_cites.append(
                    (extract.id, key, located.line(("extracts", i, "caveat", "cite", j)) or 1))
    if source.text is None:
        _reference_only(source, record, shown, located, result)
        return
    text_shown = str(Path(shown).parent / source.text)
    if Path(source.text).name != source.text:
        problems.append(Problem(shown, located.line(("source", "text")),
                                "text must be a file name beside the record, not a path"))
        result.broken.update(e.id for e in record.extracts)
        return
    if Path(source.text).suffix != ".txt":
        # A record's own YAML (or any other file) would hold its quotations trivially.
        problems.append(Problem(shown, located.line(("source", "text")),
                                f"text must name the archived text, a .txt file beside the record "
                                f"(not {source.text!r})"))
        result.broken.update(e.id for e in record.extracts)
        return
    plan = _plan(record, located, list(problems))
    try:
        if read is not None:
            text = decode_text(read(path.parent / source.text, text_shown, "text", root), text_shown,
                               bom_ok=False)
        else:
            text = read_text(path.parent / source.text, text_shown, bom_ok=False, kind="text",
                             root=root)
    except BriefgenError as exc:
        result.broken.update(e.id for e in record.extracts)
        p = exc.problems[0]
        problems.append(Problem(p.path, p.line, p.message + f" (the text of source {source.id!r})"))
        return
    outcome = verify_text(plan, text, shown, text_shown)
    problems.extend(outcome.problems)
    result.broken.update(outcome.broken)
    if outcome.paragraphs is None:
        return
    result.plan = plan
    result.source = SourceRecord(source, shown, plan.source_line, text_shown, outcome.paragraphs)
    for i, number, text_line in outcome.found:
        q = plan.extracts[i]
        result.extracts.append(ExtractRecord(record.extracts[i], source, shown, q.line, q.quote_line,
                                             number, text_line, q.topics_line, q.caveat_line))


def _plan(record: SourceFile, located: Located, problems: list[Problem]) -> TextPlan:
    source = record.source
    assert source.text is not None
    quoted = []
    for i, e in enumerate(record.extracts):
        line = located.line(("extracts", i)) or 1
        quoted.append(Quoted(
            e.id, e.quote, e.paraphrase, e.locator, line,
            located.line(("extracts", i, "quote")) or line,
            {f: located.line(("extracts", i, f)) or line for f in ("paraphrase", "locator", "id")},
            *_lines(located, i)))
    return TextPlan(source.id, source.text, source.paragraphs.value if source.paragraphs else None,
                    source.front_matter, source.furniture_from,
                    located.line(("source", "furniture_from")), located.line(("source",)) or 1,
                    problems, quoted)


def verify_text(plan: TextPlan, text: str, shown: str, text_shown: str) -> TextOutcome:
    """Verify every extract of a validated record (``plan``) against its text: a function
    of the two alone, whether the record was validated now or earlier (the index)."""
    outcome = TextOutcome([], set(), None, [])
    problems = outcome.problems
    if not text.strip():
        outcome.broken.update(e.id for e in plan.extracts)
        problems.append(Problem(text_shown, 1, f"the text of source {plan.source_id!r} is empty"))
        return outcome
    paragraphs = outcome.paragraphs = _split(text, plan.style, plan.front_matter, plan.furniture_from)
    if plan.furniture_from and not any(p.furniture for p in paragraphs):
        problems.append(Problem(shown, plan.furniture_line, "furniture_from names no line of the text"))
    index = TextIndex([p.text for p in paragraphs])
    for i, extract in enumerate(plan.extracts):
        wrong = _wrong_kind_of_words(extract, archived=True)
        if wrong:
            outcome.broken.add(extract.id)
            problems.append(Problem(shown, extract.field_lines.get(wrong[0], extract.line), wrong[1]))
            continue
        assert extract.quote is not None
        found = _verify(extract, index, paragraphs, text_shown)
        if isinstance(found, str):
            outcome.broken.add(extract.id)
            problems.append(Problem(shown, extract.quote_line, found))
            continue
        para = paragraphs[found.first]
        outcome.found.append((i, para.number, para.line))
    return outcome


class _Words(Protocol):
    """An extract's words: an ``Extract``, or a ``Quoted``."""

    @property
    def id(self) -> str: ...
    @property
    def quote(self) -> str | None: ...
    @property
    def paraphrase(self) -> str | None: ...
    @property
    def locator(self) -> str | None: ...


def _verify(extract: _Words, index: TextIndex, paragraphs: list[Paragraph], text_shown: str
            ) -> str | Found:
    """Why the extract's quotation does not stand in its source, or where it stands."""
    quote = extract.quote or ""
    name = f"extract {extract.id!r}"
    found = index.find(quote)
    if found is None:
        hint = ""
        elided = has_elisions(quote)
        probe = index.first_missing(quote) if elided else quote
        near = index.closest(probe)
        if near is not None:
            at, passage, difference = near
            shown_passage = passage if len(passage) <= 160 else passage[:157] + "..."
            part = f"the part \u201c{probe}\u201d is not in order in any paragraph; " if elided else ""
            hint = (f"; {part}closest passage ({text_shown}, {_para_name(paragraphs[at])}): "
                    f"\u201c{shown_passage}\u201d" + (f"; {difference}" if difference else ""))
        return f"{name}: quotation not found in {text_shown}{hint}"
    first, last = paragraphs[found.first], paragraphs[found.last]
    if not found.within_one:
        return (f"{name}: the quotation runs across a paragraph boundary, from "
                f"{_para_name(first)} (line {first.line}) into {_para_name(last)} "
                f"(line {last.line}) of {text_shown}; quote one paragraph, or cite two extracts")
    if first.furniture:
        return f"{name} quotes syndication furniture, not the article"
    turned = index.dropped(quote, found.first)
    if turned is not None:
        how, word = turned
        where = f"{text_shown}, {_para_name(first)}"
        if how == "elided":
            return (f"{name}: the omission leaves out “{word}” ({where}), which changes what "
                    "the words kept say; quote through it, or cut elsewhere")
        if how == "added":
            return (f"{name}: the brackets add “{word}” ({where}), which the source does not say "
                    "there; quote the source's words")
        return (f"{name}: the quotation begins just after “{word}” ({where}), which changes "
                "what it says; begin the quotation with it")
    return found


def _wrong_kind_of_words(extract: _Words, *, archived: bool) -> tuple[str, str] | None:
    """(field, message) when an extract has a quote where it needs a paraphrase, or back."""
    name = f"extract {extract.id!r}"
    if archived:
        if extract.paraphrase is not None:
            return ("paraphrase", (f"{name}: an archived source is quoted verbatim; write quote:, "
                                  "not paraphrase: (paraphrase is for reference-only sources)"))
        if extract.locator is not None:
            return ("locator", (f"{name}: locator is computed from the paragraph of an archived "
                               "source; remove it"))
        if extract.quote is None:
            return ("id", f"{name}: missing field 'quote' (the verbatim words of the source)")
        return None
    if extract.quote is not None:
        return ("quote", (f"{name}: the source has no archived text, so nothing can be quoted "
                         "from it; write paraphrase: (the point, in your words) instead of quote:"))
    if extract.paraphrase is None:
        return ("id", f"{name}: missing field 'paraphrase' (the point, in your words)")
    return None


def _reference_only(source: Source, record: SourceFile, shown: str, located: Located,
                    result: SourceFileResult) -> None:
    result.source = SourceRecord(source, shown, located.line(("source",)) or 1, None, [])
    for i, extract in enumerate(record.extracts):
        line = located.line(("extracts", i)) or 1
        wrong = _wrong_kind_of_words(extract, archived=False)
        if wrong:
            result.broken.add(extract.id)
            result.problems.append(Problem(shown, located.line(("extracts", i, wrong[0])) or line,
                                           wrong[1]))
            continue
        result.extracts.append(ExtractRecord(
            extract, source, shown, line, located.line(("extracts", i, "paraphrase")) or line,
            None, None, *_lines(located, i)))


def _lines(located: Located, i: int) -> tuple[int | None, int | None]:
    """The lines of extract ``i``'s topics and caveat."""
    return (located.line(("extracts", i, "topics")),
            located.line(("extracts", i, "caveat")) if ("extracts", i, "caveat") in located.lines
            else None)


# --------------------------------------------------------------------------- the archive


def load_corpus(seeds: Path, shown_root: Path | None = None, *, index: ArchiveIndex | None = None,
                full: bool = False,
                warn: Warn | None = None) -> tuple[Corpus, list[Problem]]:
    """Load every ``seeds/*.yaml``; return the corpus and every problem found.

    Loading goes on past a problem so that ``briefgen check`` can list them all. With an
    ``index`` (``index.ArchiveIndex``) only records whose files changed are verified
    again (all of them with ``full``), and a record is read from the index only when it
    is used; the result is the same. ``warn`` hears of an index rebuilt because damaged.
    """
    from .archive import load

    return load(seeds, shown_root, index, full, warn)


def join(
    results: Iterable[tuple[str, SourceFileResult]],
) -> tuple[Corpus, list[Problem], list[tuple[str, str, str, int]]]:
    """The corpus from each record file's result (as shown, result), in archive order;
    the problems, and the caveat citations still to check (``check_caveat_cites``)."""
    corpus = Corpus()
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    cites: list[tuple[str, str, str, int]] = []
    sources: dict[str, SourceRecord] = {}
    extracts: dict[str, ExtractRecord] = {}
    for file_shown, result in results:
        problems.extend(result.problems)
        corpus.broken.update(result.broken)
        if result.source is not None and result.source.source.id in sources:
            sid = result.source.source.id
            problems.append(Problem(file_shown, result.source.line + 1,
                                    f"duplicate source id {sid!r} (also in {sources[sid].path})"))
            continue
        duplicates = set()
        for key, line in result.entries:
            if key in first_seen:
                duplicates.add(key)
                problems.append(Problem(file_shown, line,
                                        f"duplicate extract id {key!r} (first in {first_seen[key]})"))
            else:
                first_seen[key] = f"{file_shown}:{line}"
        if result.source is not None:
            sources[result.source.source.id] = result.source
        for record in result.extracts:
            if record.id not in duplicates and record.id not in extracts:
                extracts[record.id] = record
        cites.extend((file_shown, *c) for c in result.caveat_cites)
    corpus.sources, corpus.extracts = sources, extracts
    return corpus, problems, cites


def check_caveat_cites(corpus: Corpus, cites: list[tuple[str, str, str, int]]) -> list[Problem]:
    problems = []
    for path, owner, key, line in cites:
        if key == owner:
            problems.append(Problem(path, line, f"the caveat of extract {owner!r} cites the extract "
                                                "itself; cite the evidence for the correction"))
        elif not corpus.known(key):
            import difflib  # only for a citation of an unknown extract

            close = difflib.get_close_matches(key, list(corpus.extracts), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(path, line, f"the caveat of extract {owner!r} cites unknown "
                                                f"extract {key!r}{hint}"))
    return problems
