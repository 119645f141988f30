"""The source archive: bibliographic records, verbatim texts, and verified extracts.

``seeds/<id>.yaml`` holds one source's record and the extracts an analyst took from
it; ``seeds/<id>.txt`` holds the source's text exactly as received. Loading proves that
every extract stands in its source, ignoring only differences of white space and of
straight vs typographic quotes, apostrophes and dashes, and records the paragraph it
stands in. Each non-blank line of a text is a paragraph; the first ``front_matter`` of
them (headline, byline) are not numbered, and from ``furniture_from`` on the text is
syndication furniture, not the article.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefgenError, Problem
from .models import Extract, Source, SourceFile
from .yamlload import load_yaml, read_text, validation_problems

# Typographic quotes, apostrophes and dashes fold to their plain forms; every other
# character stays as it is. One character maps to one character.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as compared: quote and dash styles folded, white space runs made one space."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


@dataclass(slots=True)
class Paragraph:
    line: int  # 1-based line in the text file
    number: int | None  # paragraph number in the article; None for front matter/furniture
    text: str
    furniture: bool = False


@dataclass(slots=True)
class SourceRecord:
    source: Source
    path: str  # the record's YAML, as shown to the user
    line: int
    text_path: str
    paragraphs: list[Paragraph]


@dataclass(slots=True)
class ExtractRecord:
    extract: Extract
    source: Source
    path: str  # the YAML file that holds it
    line: int  # the line of its entry
    quote_line: int
    paragraph: int | None = None
    text_line: int | None = None  # line of the source text where it starts

    @property
    def id(self) -> str:
        return self.extract.id


@dataclass(slots=True)
class Corpus:
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    extracts: dict[str, ExtractRecord] = field(default_factory=dict)
    #: ids of extracts that failed to load (already reported): citing one is no new problem
    broken: set[str] = field(default_factory=set)

    def by_topic(self, topic: str) -> list[ExtractRecord]:
        return [r for r in self.extracts.values() if topic in r.extract.topics]

    def topic_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for record in self.extracts.values():
            counts.update(record.extract.topics)
        return dict(sorted(counts.items()))


def split_paragraphs(text: str, source: Source) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    seen = 0
    number = 0
    furniture = False
    marker = fold(source.furniture_from) if source.furniture_from else None
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1
        if marker and not furniture and fold(line).startswith(marker):
            furniture = True
        if furniture or seen <= source.front_matter:
            paragraphs.append(Paragraph(i, None, line, furniture))
        else:
            number += 1
            paragraphs.append(Paragraph(i, number, line))
    return paragraphs


class _Index:
    """A source's folded text, with where each paragraph starts, for finding quotes."""

    def __init__(self, paragraphs: list[Paragraph]):
        self.paragraphs = paragraphs
        folded = [fold(p.text) for p in paragraphs]
        self.starts: list[int] = []
        pos = 0
        for f in folded:
            self.starts.append(pos)
            pos += len(f) + 1
        self.text = " ".join(folded)

    def find(self, quote: str) -> Paragraph | None:
        q = fold(quote)
        at = self.text.find(q) if q else -1
        if at < 0:
            return None
        return self.paragraphs[bisect.bisect_right(self.starts, at) - 1]

    def closest(self, quote: str) -> tuple[str, Paragraph | None]:
        """The passage of the source most like ``quote``, by shared three-word runs."""
        words = self.text.split(" ")
        qwords = fold(quote).split(" ")
        if not words or not qwords:
            return "", None
        n = 3 if len(qwords) >= 3 else 1
        grams: dict[tuple[str, ...], list[int]] = {}
        for j in range(len(qwords) - n + 1):
            grams.setdefault(tuple(qwords[j:j + n]), []).append(j)
        votes: Counter[int] = Counter()
        for i in range(len(words) - n + 1):
            offsets = grams.get(tuple(words[i:i + n]))
            if offsets:
                for j in offsets:
                    votes[i - j] += 1
        if not votes:
            return "", None
        start = max(0, votes.most_common(1)[0][0])
        passage = " ".join(words[start:start + len(qwords)])
        if qwords[-1][-1:].isalnum():  # the quote ends mid-sentence: so does the passage
            passage = passage.rstrip(".,;:!?")
        char = sum(len(w) + 1 for w in words[:start])
        return passage, self.paragraphs[bisect.bisect_right(self.starts, char) - 1]


def _first_difference(quote: str, passage: str) -> str:
    import difflib

    a, b = fold(quote).split(" "), passage.split(" ")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        ours = " ".join(a[i1:i2]) or "(nothing)"
        theirs = " ".join(b[j1:j2]) or "(nothing)"
        return f"; the extract has \u201c{ours}\u201d where the source has \u201c{theirs}\u201d"
    return ""


def load_corpus(seeds: Path, shown_root: Path | None = None) -> tuple[Corpus, list[Problem]]:
    """Load every ``seeds/*.yaml``; return the corpus and every problem found.

    Loading goes on past a problem so that ``briefgen check`` can list them all.
    """
    corpus = Corpus()
    problems: list[Problem] = []

    def shown(p: Path) -> str:
        if shown_root is not None:
            try:
                return str(p.relative_to(shown_root))
            except ValueError:
                pass
        return str(p)

    if not seeds.is_dir():
        problems.append(Problem(shown(seeds), None, "no seeds/ folder: the source archive is missing"))
        return corpus, problems
    files = sorted(seeds.glob("*.yaml"))
    if not files:
        problems.append(Problem(shown(seeds), None, "the source archive holds no <id>.yaml records"))
    first_seen: dict[str, str] = {}
    for path in files:
        try:
            _load_source_file(path, shown(path), corpus, problems, first_seen,
                              shown_root or seeds.parent)
        except BriefgenError as exc:
            problems.extend(exc.problems)
    return corpus, problems


def _load_source_file(path: Path, shown: str, corpus: Corpus, problems: list[Problem],
                      first_seen: dict[str, str], root: Path) -> None:
    from pydantic import ValidationError

    located = load_yaml(path, shown, kind="record", root=root)
    problems.extend(located.warnings)
    if not isinstance(located.data, dict):
        problems.append(Problem(shown, 1, "expected a mapping with 'source' and 'extracts'"))
        return
    try:
        record = SourceFile.model_validate(located.data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, located))
        extracts = located.data.get("extracts")
        if isinstance(extracts, list):
            corpus.broken.update(str(e["id"]) for e in extracts if isinstance(e, dict) and "id" in e)
        return
    source = record.source
    if source.id != path.stem:
        problems.append(Problem(shown, located.line(("source", "id")),
                                f"source id {source.id!r} does not match the file name {path.stem!r}"))
    if source.id in corpus.sources:
        problems.append(Problem(shown, located.line(("source", "id")),
                                f"duplicate source id {source.id!r} (also in {corpus.sources[source.id].path})"))
        return
    text_file = path.parent / source.text
    text_shown = str(Path(shown).parent / source.text)
    if Path(source.text).name != source.text:
        problems.append(Problem(shown, located.line(("source", "text")),
                                "text must be a file name beside the record, not a path"))
        return
    try:
        text = read_text(text_file, text_shown, bom_ok=False, kind="text", root=root)
    except BriefgenError as exc:
        corpus.broken.update(e.id for e in record.extracts)
        p = exc.problems[0]
        problems.append(Problem(p.path, p.line, p.message + f" (the text of source {source.id!r})"))
        return
    if not text.strip():
        corpus.broken.update(e.id for e in record.extracts)
        problems.append(Problem(text_shown, 1, f"the text of source {source.id!r} is empty"))
        return
    paragraphs = split_paragraphs(text, source)
    if source.furniture_from and not any(p.furniture for p in paragraphs):
        problems.append(Problem(shown, located.line(("source", "furniture_from")),
                                "furniture_from names no line of the text"))
    corpus.sources[source.id] = SourceRecord(source, shown, located.line(("source",)) or 1,
                                             text_shown, paragraphs)
    index = _Index(paragraphs)
    for i, extract in enumerate(record.extracts):
        line = located.line(("extracts", i)) or 1
        quote_line = located.line(("extracts", i, "quote")) or line
        if extract.id in first_seen:
            problems.append(Problem(shown, line,
                                    f"duplicate extract id {extract.id!r} (first in {first_seen[extract.id]})"))
            continue
        first_seen[extract.id] = f"{shown}:{line}"
        found = index.find(extract.quote)
        if found is None or found.furniture:
            corpus.broken.add(extract.id)
        if found is None:
            passage, where = index.closest(extract.quote)
            hint = ""
            if passage:
                para = f"para. {where.number}" if where and where.number else f"line {where.line}"
                shown_passage = passage if len(passage) <= 160 else passage[:157] + "..."
                hint = (f"; closest passage ({text_shown}, {para}): \u201c{shown_passage}\u201d"
                        + _first_difference(extract.quote, passage))
            problems.append(Problem(shown, quote_line,
                                    f"extract {extract.id!r}: quotation not found in {text_shown}{hint}"))
            continue
        if found.furniture:
            problems.append(Problem(shown, quote_line,
                                    f"extract {extract.id!r} quotes syndication furniture, not the article"))
            continue
        corpus.extracts[extract.id] = ExtractRecord(extract, source, shown, line, quote_line,
                                                    found.number, found.line)
