"""The lint that ``check`` and ``build`` both run.

Per brief: statements of fact without a citation, citations of extracts not tagged with
the brief's topic, and (``--archived-only``) citations of reference-only sources. Over
the archive: extracts and sources no brief uses, topic tags no brief has ("did you
mean"), corrections that state a date or a number and cite nothing, and files in
``seeds/`` and ``briefs/`` that briefgen ignores. ``--strict`` makes every warning of
the lint an error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from ..brief import CITATION, parse_items
from ..errors import BriefgenError, Problem
from ..plain import LazyPattern

if TYPE_CHECKING:
    from ..brief import LoadedBrief
    from ..corpus import Corpus, ExtractRecord
    from ..workspace import Workspace

#: A date or a number in a correction: digits, a month's name, or a number word.
_FACTUAL = LazyPattern(
    r"\d+|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|million|billion|first|second|third)\b", re.IGNORECASE)
#: The digit runs and ASCII words of a quotation, as a correction's own facts are read.
_FACT_WORDS = re.compile(r"\d+|[A-Za-z]+")
#: Files a build writes beside the specs: not ignored input.
_OUTPUTS = re.compile(r"^[a-z0-9][a-z0-9-]*(?:-review)?\.(?:docx|pdf|eml)$|^timeline\.(?:docx|pdf)$")


@dataclass(slots=True)
class CitationCount:
    archived: int = 0
    reference_only: int = 0


@dataclass(slots=True)
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    #: per topic: citations of archived and of reference-only extracts
    counts: dict[str, CitationCount] = field(default_factory=dict)


def lint(ws: Workspace, loaded_briefs: dict[str, LoadedBrief], topics: list[str], strict: bool,
         archived_only: bool = False) -> list[Problem]:
    """Every problem the lint finds (see the module's docstring)."""
    return run_lint(ws, loaded_briefs, topics, strict, archived_only).problems


def run_lint(ws: Workspace, loaded_briefs: dict[str, LoadedBrief], topics: list[str], strict: bool,
             archived_only: bool = False) -> LintResult:
    corpus = ws.corpus(strict=False)
    severity = "error" if strict else "warning"
    result = LintResult()
    used: set[str] = set()
    for topic in topics:
        loaded = loaded_briefs.get(topic)
        if loaded is None:
            continue
        linted = lint_brief(loaded, topic, corpus, severity, archived_only)
        result.problems.extend(linted.problems)
        result.counts[topic] = linted.count
        used.update(linted.cited)
    result.problems.extend(lint_archive(ws, corpus, topics, used, severity))
    return result


@dataclass(slots=True)
class BriefLint:
    """What the lint finds in one brief, a function of its spec and the extracts it cites."""

    problems: list[Problem] = field(default_factory=list)
    count: CitationCount = field(default_factory=CitationCount)
    #: the extracts its spec cites
    cited: set[str] = field(default_factory=set)


def lint_brief(loaded: LoadedBrief, topic: str, corpus: Corpus, severity: str,
               archived_only: bool = False) -> BriefLint:
    """The lint of one loaded brief: uncited statements, citations of extracts of another
    topic, and (``archived_only``) citations of reference-only sources."""
    from ..compose import uncited_sentences

    result = BriefLint()
    problems = result.problems
    count = result.count
    for loc, text, factual in loaded.prose():
        if factual:
            uncited = uncited_sentences(text)
            if uncited:
                where = loaded.line(loc)
                for sentence in uncited:
                    short = sentence if len(sentence) <= 70 else sentence[:67] + "..."
                    problems.append(Problem(loaded.path, where,
                                            f"statement of fact without a citation: \u201c{short}\u201d",
                                            severity))
        for m in CITATION.finditer(text):
            try:
                items = parse_items(m.group(1))
            except ValueError:
                continue  # reported when the brief was loaded
            line = partial(loaded.citation_line, loc, text, m.start(), m.group(0))  # when needed
            for item in items:
                result.cited.add(item.key)  # as ``loaded.cited_keys()`` gives them
                record = corpus.extracts.get(item.key)
                if record is None:
                    continue
                if record.archived:
                    count.archived += 1
                else:
                    count.reference_only += 1
                    if archived_only:
                        problems.append(Problem(
                            loaded.path, line(),
                            f"citation of {item.key!r}, a reference-only source (not archived: "
                            "not verified against a text), refused with --archived-only"))
                if archived_only:
                    for cited in record.extract.caveat_cites:
                        evidence = corpus.extracts.get(cited)
                        if evidence is not None and not evidence.archived:
                            problems.append(Problem(
                                loaded.path, line(),
                                f"the correction of {item.key!r} cites {cited!r}, a "
                                "reference-only source (not archived: not verified against "
                                f"a text; {record.path}:{record.caveat_line or record.line}), "
                                "refused with --archived-only"))
                if topic not in record.extract.topics:
                    problems.append(Problem(
                        loaded.path, line(),
                        f"extract {item.key!r} is not tagged with topic {topic!r} "
                        f"(its topics: {', '.join(record.extract.topics)}); tag it in "
                        f"{record.path}:{record.line}", severity))
    return result


def lint_archive(ws: Workspace, corpus: Corpus, topics: list[str], used: set[str], severity: str,
                 corrections: dict[str, Problem | None] | None = None) -> list[Problem]:
    """The lint over the archive: extracts and sources no brief uses (``used``: the
    extracts the checked briefs cite), topic tags no brief has, uncited corrections
    (``corrections``: those already found, by extract), ignored files."""
    problems: list[Problem] = []
    if set(topics) == set(ws.topics()):
        problems.extend(_unused(corpus, used, severity))
    else:
        # An extract of a checked topic that another brief cites is used: only the specs of
        # the other briefs are read for that (a spec that fails to load counts as citing none).
        used = set(used)
        for other in ws.topics():
            if other not in topics:
                try:
                    used.update(key for _, key in ws.brief(other).cited_keys())
                except BriefgenError:
                    continue
        for topic in topics:
            for info in corpus.by_topic(topic):
                if info.id not in used:
                    problems.append(Problem(info.path, info.line,
                                            f"extract {info.id!r} (topic {topic}) is used by no "
                                            "brief", severity))
    problems.extend(_topic_tags(ws, corpus, severity))
    problems.extend(_uncited_corrections(corpus, used, severity, corrections or {}))
    problems.extend(ignored_files(ws, corpus, severity))
    return problems


def _unused(corpus: Corpus, used: set[str], severity: str) -> list[Problem]:
    """Extracts no brief uses and sources no brief cites, over the whole archive.

    A source no brief cites says so once, with how many extracts it holds, in place of a
    warning for each of them: an archive kept for years holds thousands of extracts from
    sources no current brief cites. An unused extract of a cited source is named alone.
    """
    # No record is loaded, nor every extract listed: the index answers (``corpus.Lookup``).
    cited_sources = corpus.sources_of(used)
    problems = [Problem(info.path, info.line, f"extract {info.id!r} is used by no brief", severity)
                for info in corpus.of_sources(cited_sources) if info.id not in used]
    held = corpus.extract_counts()
    for source_id, path, line, _ in corpus.source_catalogue():
        if source_id in cited_sources:
            continue
        n = held.get(source_id, 0)
        whose = (f", nor is any of its {n:,} extracts used" if n > 1 else
                 ", nor is its one extract used" if n == 1 else "")
        problems.append(Problem(path, line, f"source {source_id!r} is cited by no brief{whose}",
                                severity))
    return problems


def _topic_tags(ws: Workspace, corpus: Corpus, severity: str) -> list[Problem]:
    """A topic tag no brief has is a typo until a brief for it is written.

    One warning per such topic, at the first extract that carries it (in archive order),
    with how many carry it: an archive that tags thousands of extracts with a topic of its
    own would otherwise print a line for each. The index counts the tags without listing
    the extracts (``corpus.topic_counts``, ``corpus.first_with_topic``).
    """
    known = ws.topics()
    found: list[tuple[tuple[str, int], Problem]] = []
    for topic, count in corpus.topic_counts().items():
        if topic in known:
            continue
        first = corpus.first_with_topic(topic)
        if first is None:
            continue
        import difflib  # only for a topic no brief has

        close = difflib.get_close_matches(topic, known, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]!r}?" if close else f" (topics: {', '.join(known) or 'none'})"
        message = (f"extract {first.id!r}: no brief has topic {topic!r}{hint}" if count == 1 else
                   f"extract {first.id!r} and {count - 1:,} more carry topic {topic!r}, which no "
                   f"brief has{hint}")
        where = first.topics_line or first.line
        found.append(((first.path, where), Problem(first.path, where, message, severity)))
    return [problem for _, problem in sorted(found, key=lambda pair: pair[0])]


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


def _own_facts(record: ExtractRecord) -> set[str]:
    """Dates and numbers a correction may state without citing: those of the quotation
    and of the source's own date (with the years either side: "last year", "next year").
    Such a correction reads the source against itself."""
    words = set(_FACT_WORDS.findall(record.extract.words.lower()))
    date = record.source.date
    if date is not None:
        words.update(str(y) for y in (date.year - 1, date.year, date.year + 1))
        if date.month:
            words.add(_MONTHS[date.month - 1])
        if date.day:
            words.add(str(date.day))
    return words


def _states_new_facts(text: str, record: ExtractRecord) -> bool:
    facts = [m.group(0).lower() for m in _FACTUAL.finditer(text)]
    return bool(facts) and not _own_facts(record).issuperset(facts)  # the record read only if needed


def _uncited_corrections(corpus: Corpus, used: set[str], severity: str,
                         found: dict[str, Problem | None]) -> list[Problem]:
    """Corrections of the extracts the briefs cite (a correction prints only in a note)."""
    problems = []
    for key in sorted(used):
        problem = found[key] if key in found else uncited_correction(corpus, key, severity)
        if problem is not None:
            problems.append(problem)
    return problems


def uncited_correction(corpus: Corpus, key: str, severity: str) -> Problem | None:
    """The caveat of extract ``key`` states a date or a number and cites nothing."""
    record = corpus.extracts.get(key)
    if record is None:
        return None
    text = record.extract.caveat_text
    if text and not record.extract.caveat_cites and _states_new_facts(text, record):
        return Problem(
            record.path, record.caveat_line or record.line,
            f"the caveat of extract {record.id!r} states a date or a number and cites "
            "nothing: write caveat: {text: ..., cite: [extract-id]} with its evidence", severity)
    return None


def ignored_files(ws: Workspace, corpus: Corpus, severity: str = "warning") -> list[Problem]:
    """Every file in ``seeds/`` and ``briefs/`` that briefgen does not read."""
    problems = []
    texts: set[str] | None = None  # texts records name otherwise than <id>.txt: rarely needed
    try:
        entries = {e.name: e for e in os.scandir(ws.seeds)}  # no stat of each file
    except OSError:
        entries = {}
    for name in sorted(entries):
        if name.startswith(".") or name.endswith((".yaml", ".yml")):
            continue  # a .yml record is refused by the loader
        record = entries.get(name[:-4] + ".yaml") if name.endswith(".txt") else None
        if record is not None and (not record.is_symlink() or os.path.exists(record.path)):
            continue  # the text of its record (or of one that failed to load: reported)
        if texts is None:
            texts = {text for _, _, _, text in corpus.source_catalogue() if text}
        shown = ws.shown(ws.seeds / name)
        if shown in texts:
            continue
        what = "a folder" if entries[name].is_dir() else "not a record (.yaml) nor the text of one"
        problems.append(Problem(shown, None, f"ignored file: {what}", severity))
    if ws.briefs.is_dir():
        topics = set(ws.topics())
        for path in sorted(ws.briefs.iterdir()):
            if path.name.startswith(".") or _OUTPUTS.match(path.name):
                continue
            if path.suffix == ".yaml" and path.stem in topics:
                continue
            if path.suffix == ".yml":
                problems.append(Problem(ws.shown(path), None, "briefgen reads specs named "
                                        f"<topic>.yaml, not .yml: rename it {path.stem}.yaml"))
                continue
            why = ("not a topic name (lowercase letters, digits and hyphens)"
                   if path.suffix == ".yaml" else "not a brief spec (.yaml)")
            problems.append(Problem(ws.shown(path), None, f"ignored file: {why}", severity))
    return problems
