"""Loading the archive through the index: verify what changed, read the rest on demand.

``corpus.load_source_file`` gives what one record file and its text yield on their
own. Here the results of unchanged files come from the index (``index.ArchiveIndex``),
changed files are verified and stored, and ``corpus.join`` decides what spans records
(duplicate ids, caveat citations) exactly as a load without an index does.

When no id is used twice, no record's result depends on another's: the problems are
those of the records that have problems (plus the caveat citations), and an extract is
in the corpus exactly when its record verified it. The corpus is then read lazily:
a record's parsed data comes from the index only when a brief cites it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import fields
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from .corpus import (
    Corpus,
    ExtractInfo,
    ExtractRecord,
    Paragraph,
    Quoted,
    SourceFileResult,
    SourceRecord,
    TextPlan,
    check_caveat_cites,
    join,
    load_source_file,
    verify_text,
)
from .errors import BriefgenError, Problem, Warn
from .files import read_input
from .index import (
    ArchiveIndex,
    Dep,
    IndexUnavailable,
    Passage,
    StatRow,
    Stored,
    content_hash,
    dep_fresh,
    listing,
    row_deps,
    scan,
    snapshot,
    stat_fresh,
)
from .yamlload import decode_text

V = TypeVar("V")


def load(seeds: Path, shown_root: Path | None, index: ArchiveIndex | None,
         full: bool = False, warn: Warn | None = None) -> tuple[Corpus, list[Problem]]:
    where = _Where(seeds, shown_root)
    if not seeds.is_dir():
        return Corpus(), [Problem(where.shown(seeds), None,
                                  "no seeds/ folder: the source archive is missing")]
    names, misnamed = listing(seeds)
    head: list[Problem] = [
        Problem(where.shown(seeds / name), None, "briefgen reads records named <id>.yaml, not .yml: "
                                                 f"rename it {Path(name).stem}.yaml")
        for name in misnamed]
    if not names:
        head.append(Problem(where.shown(seeds), None, "the source archive holds no <id>.yaml records"))
    base = os.path.join(seeds, "")
    held: set[str] = set()  # the records the index holds
    unchanged: set[str] = set()  # records whose files are as the index holds them, by stat alone
    rows: dict[str, StatRow] = {}  # the index's rows of the others
    if index is not None:
        # The rows are compared with the files as they are read, and only those of records
        # that changed are kept: a large archive leaves no rows behind (they would count
        # towards the collector's next pass, which costs a build more than reading them).
        listed = set(names)
        try:
            for stored_row in index.stat_rows():
                name = stored_row[0]
                held.add(name)
                if not full and name in listed and stat_fresh(base, stored_row):  # two lstat calls
                    unchanged.add(name)
                else:
                    rows[name] = stored_row
        except IndexUnavailable as exc:
            held, unchanged, rows = set(), set(), {}
            if not (exc.corrupt and index.rebuild(warn or (lambda _: None), str(exc))):
                index = None
    fresh: dict[str, SourceFileResult] = {}  # verified now
    deps: dict[str, list[Dep]] = {}
    #: unchanged: the files as the index holds them (a row of it, their new stat, or None:
    #: unchanged by stat alone)
    expected: dict[str, StatRow | list[Dep] | None] = {}
    restat: list[tuple[str, list[Dep]]] = []
    texts: dict[str, Stored] = {}  # only the text changed: verified against the stored record
    same: set[str] = set()  # verified now from the files as the index holds them
    for name in names:
        if name in unchanged:
            expected[name] = None
            continue
        row = rows.get(name)
        if row is not None and not full:
            stored_deps = row_deps(row)
            state = _unchanged(seeds, stored_deps, base)
            if state is True:
                expected[name] = row
                continue
            if state is not None and state is not False:
                expected[name] = state
                restat.append((name, state))
                continue
            if index is not None:
                quick = _text_only(where, name, stored_deps, index)
                if quick is not None:
                    texts[name], deps[name] = quick
                    continue
        verified, deps[name] = where.verify(name)
        # A record verified again (``full``) from the very bytes the index holds need not
        # be stored again: what it gives depends on those bytes alone. Nor need its result
        # be kept when it found no problem: a brief that cites the record reads it from the
        # index as it would have been stored, and an archive verified in full holds no more
        # in memory than one record's result at a time.
        if row is not None and _hashes(deps[name]) == _hashes_of(row):
            same.add(name)
            if not (verified.problems or verified.broken):
                expected[name] = deps[name]
                continue
        fresh[name] = verified
    restat += [(n, deps[n]) for n in sorted(same) if _as_row(deps[n]) != rows[n]]
    if index is not None:
        removed = sorted(n for n in held if n not in expected and n not in fresh and n not in texts)
        written = True
        new = [name for name in fresh if name not in same]
        if new or texts or removed or restat:  # else nothing to write
            written = index.update(
                chain((_stored(name, where.shown(seeds / name), fresh[name], deps[name])
                       for name in new), texts.values()),
                removed=removed, restat=restat)
        if written:
            try:
                got = _from_index(where, index, len(names), fresh)
            except IndexUnavailable:
                got = None
            if got is not None:
                return got[0], head + got[1]
    # Without a usable index, or with ids used twice: every record's result in memory.
    for name in texts:
        fresh[name], deps[name] = where.verify(name)
    results = dict(fresh)
    stored: dict[str, tuple[list[Dep], Any, Any]] = {}
    for name, held_as in expected.items():
        got_ = None
        if index is not None:
            try:
                got_ = index.file_data(name)
            except IndexUnavailable:
                got_ = None
        result = None
        if got_ is not None and _as_held(got_[0], held_as, base) \
                and got_[1].get("shown") == where.shown(seeds / name):
            stored[name] = got_
            try:
                result = _result(got_[1], got_[2])
            except (KeyError, TypeError, ValueError, IndexError):
                result = None
        if result is None:  # changed meanwhile, or unreadable: verify it now
            result, _ = where.verify(name)
        results[name] = result
    corpus, problems, cites = join((where.shown(seeds / n), results[n]) for n in names)
    problems.extend(check_caveat_cites(corpus, cites))
    return corpus, head + problems


def _from_index(where: _Where, index: ArchiveIndex, count: int, fresh: dict[str, SourceFileResult]
                ) -> tuple[Corpus, list[Problem]] | None:
    """The corpus read from an index that holds every record; None where the quick way
    does not hold (ids used twice, another process's changes in between)."""
    with index.read_snapshot():
        if index.count() != count or index.has_duplicates():
            return None
        troubled = index.troubled()
        cites = index.cites()
    results = []
    for name, shown, summary, record in troubled:
        result = fresh.get(name) or _result(summary, record)
        results.append((shown, result))
    part, problems, _ = join(results)
    loader = _Loader(where, index, fresh)
    fallback = _Fallback(where)
    corpus = Corpus(
        sources=_Indexed(index.source_place, index.source_ids, loader.source, fallback, "sources",
                         index.source_count),
        extracts=_Indexed(index.extract_place, index.extract_ids, loader.extract, fallback, "extracts",
                          index.extract_count, index.extract_places),
        broken=part.broken, lister=lambda: _lists(index, fallback),
        namer=lambda: _names(index, fallback), lookup=_Lookup(index, fallback))
    problems.extend(check_caveat_cites(corpus, cites))
    return corpus, problems


def _lists(index: ArchiveIndex, fallback: _Fallback
           ) -> tuple[list[ExtractInfo], list[tuple[str, str, int, str | None]]]:
    try:
        return [ExtractInfo(*row) for row in index.catalogue()], index.source_catalogue()
    except IndexUnavailable:
        corpus = fallback.corpus()
        return corpus.catalogue(), corpus.source_catalogue()


class _Lookup:
    """What the index answers of the archive without listing it (``corpus.Lookup``); the
    archive verified in full should the index fail now."""

    def __init__(self, index: ArchiveIndex, fallback: _Fallback):
        self.index, self.fallback = index, fallback

    def counts(self) -> dict[str, int]:
        try:
            return self.index.topic_counts()
        except IndexUnavailable:
            return self.fallback.corpus().topic_counts()

    def with_topic(self, topic: str, first: bool = False) -> list[ExtractInfo]:
        try:
            return [ExtractInfo(*row) for row in self.index.with_topic(topic, first)]
        except IndexUnavailable:
            found = self.fallback.corpus().by_topic(topic)
            return found[:1] if first else found

    def sources(self) -> list[tuple[str, str, int, str | None]]:
        try:
            return self.index.source_catalogue()
        except IndexUnavailable:
            return self.fallback.corpus().source_catalogue()

    def sources_of(self, ids: list[str]) -> set[str]:
        try:
            return self.index.sources_of(ids)
        except IndexUnavailable:
            return self.fallback.corpus().sources_of(ids)

    def of_sources(self, source_ids: list[str]) -> list[ExtractInfo]:
        try:
            return [ExtractInfo(*row) for row in self.index.of_sources(source_ids)]
        except IndexUnavailable:
            return self.fallback.corpus().of_sources(source_ids)

    def extract_counts(self) -> dict[str, int]:
        try:
            return self.index.extract_counts()
        except IndexUnavailable:
            return self.fallback.corpus().extract_counts()

    def with_facts(self) -> list[ExtractInfo]:
        try:
            return [ExtractInfo(*row) for row in self.index.with_facts()]
        except IndexUnavailable:
            return self.fallback.corpus().with_facts()


def _names(index: ArchiveIndex, fallback: _Fallback) -> set[str]:
    try:
        return index.names()
    except IndexUnavailable:
        from .checks.text import name_words

        return name_words(p.text for r in fallback.corpus().sources.values() for p in r.paragraphs)


def _as_held(stored: list[Dep], held_as: StatRow | list[Dep] | None, base: str) -> bool:
    """Whether the files of a record the index holds now (``stored``) are those a load found
    unchanged: the row it read, the new stat it noted, or (None) the files as they are."""
    if held_as is None:
        return all(dep_fresh(base, d) is True for d in stored)
    return stored == (held_as if isinstance(held_as, list) else row_deps(held_as))


def _hashes(deps: list[Dep]) -> list[tuple[str, str | None]]:
    return [(d.name, d.hash) for d in deps]


def _hashes_of(row: StatRow) -> list[tuple[str, str | None]]:
    """``_hashes`` of the files a row of the index holds."""
    return [(row[0], row[5])] if row[6] is None else [(row[0], row[5]), (row[6], row[11])]


def _as_row(deps: list[Dep]) -> StatRow:
    """The row of the index that holds ``deps`` as they are (``row_deps`` back)."""
    rec = deps[0]
    text = deps[1] if len(deps) > 1 else None
    if text is None:
        return (rec.name, rec.size, rec.mtime_ns, rec.ctime_ns, rec.ino, rec.hash,
                None, None, None, None, None, None)
    return (rec.name, rec.size, rec.mtime_ns, rec.ctime_ns, rec.ino, rec.hash,
            text.name, text.size, text.mtime_ns, text.ctime_ns, text.ino, text.hash)


def _unchanged(folder: Path, deps: list[Dep], base: str) -> bool | list[Dep] | None:
    """True: every file as recorded; a list: unchanged by hash, with their new stat;
    None: a file changed. (``base``: the folder's path ending in a separator.)"""
    quick = [dep_fresh(base, d) for d in deps]
    if quick.count(True) == len(quick):
        return True
    if False in quick:
        return None
    new: list[Dep] = []
    for dep, q in zip(deps, quick):
        if q is True:
            new.append(dep)
            continue
        try:
            before = os.lstat(folder / dep.name)
            data = (folder / dep.name).read_bytes()
        except OSError:
            return None
        if content_hash(data) != dep.hash:
            return None
        new.append(snapshot(folder, dep.name, data, before))
    return new


class _Where:
    """The archive's folder, the workspace its files must lie in, and how paths are shown."""

    def __init__(self, seeds: Path, shown_root: Path | None):
        self.seeds, self.shown_root = seeds, shown_root
        self.root = shown_root or seeds.parent

    def shown(self, p: Path) -> str:
        if self.shown_root is not None:
            try:
                return str(p.relative_to(self.shown_root))
            except ValueError:
                pass
        return str(p)

    def verify(self, name: str) -> tuple[SourceFileResult, list[Dep]]:
        """Verify one record from the files (``corpus.load_source_file``), noting each
        file read: its stat before, and the hash of the very bytes verified."""
        deps: list[Dep] = []
        seeds = self.seeds

        def read(path: Path, shown: str, kind: str, root: Path) -> bytes:
            try:
                before = os.lstat(path)
            except OSError:
                before = None
            try:
                data = read_input(path, shown, kind=kind, root=root)
            except BriefgenError:
                deps.append(snapshot(seeds, path.name, None, None))
                raise
            deps.append(snapshot(seeds, path.name, data, before))
            return data

        result = load_source_file(seeds / name, self.shown(seeds / name), self.root, read)
        if not deps or deps[0].name != name:  # the record itself could not be read
            deps.insert(0, snapshot(seeds, name, None, None))
        return result, deps[:2]


class _Fallback:
    """The whole corpus verified from the files: for when the index fails mid-run."""

    def __init__(self, where: _Where):
        self.where = where
        self._corpus: Corpus | None = None

    def corpus(self) -> Corpus:
        if self._corpus is None:
            where = self.where
            self._corpus = join((where.shown(where.seeds / n), where.verify(n)[0])
                                for n in scan(where.seeds))[0]
        return self._corpus


class _Indexed(Mapping[str, V]):
    """A mapping by id that asks the index where each value is and makes it on first use.

    Should the index fail now, the answer comes from the archive verified in full.
    """

    def __init__(self, place: Callable[[str], Any], keys: Callable[[], list[str]],
                 make: Callable[[Any], V], fallback: _Fallback, which: str,
                 count: Callable[[], int] | None = None,
                 places: Callable[[list[str]], dict[str, Any]] | None = None):
        self._place, self._keys, self._make, self._count = place, keys, make, count
        self._many = places
        self._fallback, self._which = fallback, which
        self._places: dict[str, Any] = {}
        self._made: dict[str, V] = {}
        self._all: list[str] | None = None

    def _full(self) -> Mapping[str, V]:
        return getattr(self._fallback.corpus(), self._which)

    def _where(self, key: str) -> Any:
        if key not in self._places:
            self._places[key] = self._place(key)
        return self._places[key]

    def look_up(self, keys: Iterable[str]) -> None:
        """Ask the index where each of ``keys`` is, in a few queries instead of one each
        (a key it does not answer, or an index that fails now: asked alone when used)."""
        if self._many is None:
            return
        wanted = [k for k in dict.fromkeys(keys) if k not in self._places]
        if not wanted:
            return
        try:
            self._places.update(self._many(wanted))
        except IndexUnavailable:
            pass

    def __getitem__(self, key: str) -> V:
        if key in self._made:
            return self._made[key]
        try:
            place = self._where(key)
        except IndexUnavailable:
            return self._full()[key]
        if place is None:
            raise KeyError(key)
        value = self._made[key] = self._make(place)
        return value

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            return self._where(key) is not None
        except IndexUnavailable:
            return key in self._full()

    def _ids(self) -> list[str]:
        if self._all is None:
            try:
                self._all = self._keys()
            except IndexUnavailable:
                self._all = list(self._full())
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __len__(self) -> int:
        if self._all is None and self._count is not None:  # counted, not listed
            try:
                return self._count()
            except IndexUnavailable:
                pass
        return len(self._ids())


class _Loader:
    """A record's SourceRecord and ExtractRecords: as just verified, else from the index;
    if the index fails now, by verifying the file again."""

    def __init__(self, where: _Where, index: ArchiveIndex, fresh: dict[str, SourceFileResult]):
        self.where, self.index = where, index
        self.results: dict[str, SourceFileResult] = dict(fresh)
        #: each record file's extracts by (id, line), the first of each: looked up, not searched
        self.placed: dict[str, dict[tuple[str, int], ExtractRecord]] = {}

    def _result(self, name: str) -> SourceFileResult:
        if name in self.results:
            return self.results[name]
        result = None
        try:
            got = self.index.file_data(name)
        except IndexUnavailable:
            got = None
        if got is not None:
            try:
                result = _result(got[1], got[2])
            except (KeyError, TypeError, ValueError, IndexError):
                result = None
        if result is None:
            result, _ = self.where.verify(name)
        self.results[name] = result
        return result

    def source(self, name: str) -> SourceRecord:
        result = self._result(name)
        if result.source is None:  # the file changed since the check: say so
            raise BriefgenError(result.problems or [Problem(name, None, "changed while being read")])
        return result.source

    def extract(self, place: tuple[str, int]) -> ExtractRecord:
        name, seq = place
        result = self._result(name)
        key, line = result.entries[seq] if seq < len(result.entries) else ("", 0)
        placed = self.placed.get(name)
        if placed is None:
            placed = self.placed[name] = {}
            for record in result.extracts:
                placed.setdefault((record.id, record.line), record)
        found = placed.get((key, line))
        if found is not None:
            return found
        raise BriefgenError([Problem(name, None, f"extract {key!r} changed while being read")])


# --------------------------------------------------------------------------- (de)serialising


#: An extract record's fields besides its models and path: where it stands (lines, paragraph)
_PLACES = tuple(f.name for f in fields(ExtractRecord) if f.name not in ("extract", "source", "path"))


def _problems(items: list[Problem]) -> list[list[Any]]:
    return [[p.path, p.line, p.message, p.severity] for p in items]


def _stored(name: str, shown: str, r: SourceFileResult, deps: list[Dep]) -> Stored:
    """A record as the index keeps it: its result, and what ``briefgen search`` needs."""
    seq = {entry: i for i, entry in reversed(list(enumerate(r.entries)))}
    ok = {seq[(e.id, e.line)]: e for e in r.extracts if (e.id, e.line) in seq}
    source = r.source
    if source is None:
        return _row(name, shown, deps, r, None, {}, None)
    d = source.source.date
    dates = None if d is None else (f"{d.year:04d}-{d.month or 1:02d}-{d.day or 1:02d}",
                                    f"{d.year:04d}-{d.month or 12:02d}-{d.day or 31:02d}")
    validated = r.validated
    if validated is not None:  # by the record's serializer, built with its validator
        data = validated.model_dump(mode="json", include={"extracts"})["extracts"]
        made = {i: (data[i], list(e.extract.topics), _facts(e.extract)) for i, e in ok.items()}
        source_data = validated.model_dump(mode="json", exclude_unset=True,
                                           include={"source"})["source"]
    else:
        made = {i: _made(e.extract) for i, e in ok.items()}
        source_data = source.source.model_dump(mode="json", exclude_unset=True)
    checked = None
    if r.plan is not None and r.validated is not None:
        # The plan as data, and what the stored record does not hold already: the facts of
        # every extract (ISO dates), and the data of those not verified now.
        extracts = r.validated.extracts
        others = {str(i): data[i] for i in range(len(extracts)) if i not in made}
        checked = {"plan": _plan_data(r.plan), "dates": dates, "others": others,
                   "facts": [made[i][2] if i in made else _facts(e) for i, e in enumerate(extracts)]}
    rows = {i: ({f: getattr(e, f) for f in _PLACES}, *made[i]) for i, e in ok.items()}
    record = {"source": source_data,
              "paragraphs": [[p.line, p.number, p.text, p.furniture, p.end_line]
                             for p in source.paragraphs]}
    return _row(name, shown, deps, r, (source.source.id, source.line, source.text_path, dates),
                rows, (record, source.paragraphs, checked))


def _made(extract: Any) -> tuple[Any, list[str], list[list[Any]]]:
    """An extract's stored data, its topics and its facts (key, value, as of ISO)."""
    return extract.model_dump(mode="json"), list(extract.topics), _facts(extract)


def _facts(extract: Any) -> list[list[Any]]:
    return [[f.key, f.value, f.as_of.iso()] for f in extract.facts]


def _row(name: str, shown: str, deps: list[Dep], r: SourceFileResult,
         source: tuple[str, int, str | None, tuple[str, str] | None] | None,
         ok: dict[int, tuple[dict[str, Any], Any, list[str], list[list[Any]]]],
         parts: tuple[dict[str, Any], list[Paragraph], Any] | None) -> Stored:
    """A record's row from what verifying it gave: ``r``'s problems, broken ids, entries
    and caveat citations; ``source`` (id, line, text, dates); ``ok``, each verified
    extract's (places, data, topics, facts) by its place in the record; ``parts``, the
    stored record, its paragraphs, and its ``TextPlan`` as stored (None: none)."""
    summary = {
        "shown": shown, "problems": _problems(r.problems), "broken": sorted(r.broken),
        "source": None if source is None else list(source[:3]),
        "entries": [list(e) for e in r.entries], "cites": [list(c) for c in r.caveat_cites],
        "x": [[i, places] for i, (places, *_) in sorted(ok.items())],
    }
    record = None
    if parts is not None:
        record = {**parts[0], "extracts": [data for _, (_, data, *_) in sorted(ok.items())]}
        if parts[2] is not None:
            record["checked"] = parts[2]
    st = Stored(name, shown, deps, summary, record, source[0] if source else None,
                source is not None, source[1] if source else None, bool(r.problems or r.broken),
                source[2] if source else None)
    st.extracts = [(key, i in ok, line,
                    tuple(ok[i][2]) if i in ok else (), ok[i][3] if i in ok else None,
                    ok[i][0]["text_line"] if i in ok else None,
                    ok[i][0]["topics_line"] if i in ok else None)
                   for i, (key, line) in enumerate(r.entries)]
    st.cites = [tuple(c) for c in r.caveat_cites]  # type: ignore[misc]
    if source is None or parts is None:
        return st
    st.dates = source[3]
    paragraphs = parts[1]
    st.paragraphs = [Passage(p.line, p.number, p.text) for p in paragraphs if not p.furniture]
    from .checks.text import name_words

    st.names = sorted(name_words(p.text for p in paragraphs))
    return st


def _plan_data(plan: TextPlan) -> list[Any]:
    """A ``TextPlan`` as data; its extracts' words are in their stored data."""
    return [plan.source_id, plan.text, plan.style, plan.front_matter, plan.furniture_from,
            plan.furniture_line, plan.source_line, _problems(plan.problems),
            [[q.line, q.quote_line, q.field_lines, q.topics_line, q.caveat_line]
             for q in plan.extracts]]


def _plan_of(data: list[Any], extracts: list[dict[str, Any]]) -> TextPlan:
    """The ``TextPlan`` stored as ``data``, with its ``extracts``' stored data."""
    *head, problems, places = data
    if len(places) != len(extracts):
        raise ValueError("the plan does not match its record")
    return TextPlan(*head, [Problem(*p) for p in problems],  # type: ignore[call-arg]
                    [Quoted(e["id"], e["quote"], e["paraphrase"], e["locator"], *q)
                     for e, q in zip(extracts, places)])


def _text_only(where: _Where, name: str, entry: list[Dep], index: ArchiveIndex
               ) -> tuple[Stored, list[Dep]] | None:
    """A record whose text alone changed, verified again against the record as the index
    keeps it validated (its ``TextPlan``): no YAML is parsed, no model validated. None:
    anything else changed, or the plan is not at hand; the record is then verified in full.
    """
    seeds = where.seeds
    if len(entry) != 2:
        return None
    rec = entry[0]
    state = dep_fresh(os.path.join(seeds, ""), rec)
    if state is False:
        return None
    if state is None:  # a stat not trusted: the content decides
        try:
            seen = os.lstat(seeds / name)
            data = (seeds / name).read_bytes()
        except OSError:
            return None
        if content_hash(data) != rec.hash:
            return None
        rec = snapshot(seeds, name, data, seen)
    try:
        got = index.file_data(name)
    except IndexUnavailable:
        return None
    shown = where.shown(seeds / name)
    if got is None or got[0] != entry or not isinstance(got[2], dict) or got[1].get("shown") != shown:
        return None
    summary, record = got[1], got[2]
    try:
        checked = record["checked"]
        stored = {int(i): d for i, d in checked["others"].items()}
        stored.update((i, d) for (i, _), d in zip(summary["x"], record["extracts"], strict=True))
        facts = checked["facts"]
        plan = _plan_of(checked["plan"], [stored[i] for i in range(len(facts))])
        dates = tuple(checked["dates"]) if checked["dates"] else None
        source = summary["source"]
        r = SourceFileResult(None, [], list(plan.problems), set(),
                             [tuple(c) for c in summary["cites"]],  # type: ignore[misc]
                             [(k, line) for k, line in summary["entries"]])
        if plan.text != entry[1].name or len(stored) != len(facts) or source[0] != plan.source_id:
            return None
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    text_shown = str(Path(shown).parent / plan.text)
    path = seeds / plan.text
    try:
        before: os.stat_result | None = os.lstat(path)
    except OSError:
        before = None
    try:
        raw = read_input(path, text_shown, kind="text", root=where.root)
        text = decode_text(raw, text_shown, bom_ok=False)
    except BriefgenError:
        return None  # verified in full, which reports it
    outcome = verify_text(plan, text, shown, text_shown)
    if outcome.paragraphs is None:
        return None
    r.problems.extend(outcome.problems)
    r.broken.update(outcome.broken)
    deps = [rec, snapshot(seeds, plan.text, raw, before)]
    ok = {}
    for i, number, text_line in outcome.found:
        q = plan.extracts[i]
        places = {"line": q.line, "quote_line": q.quote_line, "paragraph": number,
                  "text_line": text_line, "topics_line": q.topics_line, "caveat_line": q.caveat_line}
        ok[i] = ({f: places[f] for f in _PLACES}, stored[i], list(stored[i]["topics"]), facts[i])
    checked = {"plan": checked["plan"], "dates": checked["dates"],
               "others": {str(i): d for i, d in sorted(stored.items()) if i not in ok}, "facts": facts}
    parts = ({"source": record["source"], "paragraphs": [[p.line, p.number, p.text, p.furniture,
                                                           p.end_line] for p in outcome.paragraphs]},
             outcome.paragraphs, checked)
    return _row(name, shown, deps, r, (plan.source_id, source[1], source[2], dates), ok, parts), deps


def _result(summary: dict[str, Any], record: dict[str, Any] | None) -> SourceFileResult:
    """A record file's result made again from what the index stored of it."""
    from .models import Extract, Source, validate

    shown = summary["shown"]
    result = SourceFileResult(None, [], [Problem(*p) for p in summary["problems"]],
                              set(summary["broken"]),
                              [tuple(c) for c in summary["cites"]],  # type: ignore[misc]
                              [(k, line) for k, line in summary["entries"]])
    if summary["source"] is None:
        return result
    if record is None:
        raise ValueError("a source without its record")
    source = validate(Source, record["source"])
    sid, line, text_path = summary["source"]
    if source.id != sid:
        raise ValueError("record does not match its summary")
    paragraphs = [Paragraph(*p) for p in record["paragraphs"]]
    result.source = SourceRecord(source, shown, line, text_path, paragraphs)
    for (i, places), data in zip(summary["x"], record["extracts"]):
        extract = validate(Extract, data)
        if extract.id != result.entries[i][0] or set(places) != set(_PLACES):
            raise ValueError("record does not match its summary")
        result.extracts.append(ExtractRecord(extract, source, shown, **places))
    return result
