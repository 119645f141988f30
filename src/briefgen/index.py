"""The verified-archive index: ``.briefgen/index.sqlite`` in the workspace.

Loading and verifying the archive costs time in proportion to its size, and an archive
grows with every brief. The index keeps, per source record (``seeds/<id>.yaml``), what
verifying it produced, keyed by the content hashes of the record and its text: the
parsed record, its paragraphs and its verified extracts. A build then reads only the
records it cites and re-verifies only files whose content changed; ``briefgen search``
runs SQLite FTS5 over the paragraphs.

The index is a cache and nothing else:

* a file counts as unchanged only if its size and modification time are those the
  index saw *and* that time was safely in the past when it was recorded; otherwise
  its content hash decides (so ``touch`` costs a hash, never a re-verification, and a
  same-second edit is never missed);
* the index is rebuilt without a word when missing, and with a warning when it is
  corrupt or was written by another version of briefgen (the format version and the
  code that verifies are part of its key);
* a locked, unreadable or unwritable index is passed by: the build verifies from the
  files as if there were no index. No error of the index ever fails a command.

Concurrent builds are safe: SQLite in WAL mode, every update one short transaction.
Deleting ``.briefgen/`` changes nothing but time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Warn

FORMAT_VERSION = 5
INDEX_DIR = ".briefgen"
INDEX_FILE = "index.sqlite"
#: A modification time this close to the moment it is recorded may be followed by an
#: edit within the file system's time resolution: such a file is re-hashed next time.
RACY_SECONDS = 2.0
#: Files whose code decides what verifying a record produces: a change to any of them
#: (a new briefgen) invalidates the index.
_CODE_FILES = ("corpus.py", "quotes.py", "models.py", "yamlload.py", "files.py", "chars.py",
               "archive.py", "index.py", "checks/text.py")
#: Paragraph rows of one file are numbered file_id * _ROWS + seq in the FTS table.
_ROWS = 1_000_000


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,     -- the record, seeds/<name>
    shown TEXT NOT NULL,           -- its path as problems name it
    size INTEGER NOT NULL,         -- the record as verified: size, trusted mtime (0: compare
    mtime INTEGER NOT NULL,        -- the hash), its ctime and inode (see dep_fresh), content
    ctime INTEGER NOT NULL,        -- hash
    ino INTEGER NOT NULL,
    hash TEXT,
    text TEXT,                     -- its text file (seeds/<text>), when it names one
    text_size INTEGER,             -- -1: the text was missing
    text_mtime INTEGER,
    text_ctime INTEGER,
    text_ino INTEGER,
    text_hash TEXT,
    source_id TEXT,                -- the source id it claims, when it got that far
    registered INTEGER NOT NULL,   -- 1: its text was read, its source is in the archive
    source_line INTEGER,
    text_shown TEXT,               -- its text's path as shown, for a source with a text
    problems INTEGER NOT NULL,     -- 1: verifying it reported something
    date_start TEXT,               -- the first and last day its source's date may mean
    date_end TEXT
);
-- The bulk of each record, apart: rows of ``files`` stay small, so that scanning and
-- joining them (every load, every freshness check) reads a few pages, not the archive.
CREATE TABLE records (
    file_id INTEGER PRIMARY KEY,
    summary TEXT NOT NULL,         -- JSON: what verifying it gave (problems, extracts' places)
    record TEXT                    -- JSON: the parsed record and its paragraphs
);
CREATE INDEX files_by_source ON files(source_id);
CREATE TABLE extracts (
    file_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,          -- its place among the record's extracts
    id TEXT NOT NULL,
    ok INTEGER NOT NULL,           -- 1: verified
    line INTEGER NOT NULL,         -- the line of its entry in the record
    topics TEXT NOT NULL,          -- comma-separated
    topics_line INTEGER,           -- the line of its topics
    facts TEXT,                    -- JSON [[key, value, as of], ...] or NULL
    text_line INTEGER,             -- the line of the paragraph that holds its quotation
    PRIMARY KEY (file_id, seq)
);
CREATE INDEX extracts_by_id ON extracts(id);
CREATE INDEX extracts_by_line ON extracts(file_id, text_line);
-- The topic tags of the verified extracts of registered records, one row a tag, in
-- archive order within a topic: a topic's extracts, its first and the count of each
-- topic are read from this key without scanning the extracts.
CREATE TABLE tagged (
    topic TEXT NOT NULL,
    name TEXT NOT NULL,            -- the record (files.name)
    seq INTEGER NOT NULL,          -- the extract (extracts.seq)
    n INTEGER NOT NULL,            -- how many times its topics name the topic
    PRIMARY KEY (topic, name, seq)
) WITHOUT ROWID;
CREATE TABLE cites (               -- the extracts each caveat cites as its evidence
    file_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (file_id, seq)
);
CREATE TABLE names (               -- words capitalised inside a sentence of its text
    file_id INTEGER NOT NULL,
    word TEXT NOT NULL
);
CREATE INDEX names_by_file ON names(file_id);
CREATE INDEX names_by_word ON names(word);
CREATE TABLE briefs (              -- what ``check`` found in each brief (``checkcache``)
    topic TEXT NOT NULL,
    variant TEXT NOT NULL,         -- the flags it was checked with
    key TEXT NOT NULL,             -- the hash of its inputs' values
    deps TEXT NOT NULL,            -- JSON: its inputs
    result TEXT NOT NULL,          -- JSON: its findings
    PRIMARY KEY (topic, variant)
);
CREATE VIRTUAL TABLE passages USING fts5(
    text, number UNINDEXED, line UNINDEXED,
    tokenize = "unicode61 remove_diacritics 2"
);
"""


def index_path(root: Path) -> Path:
    return root / INDEX_DIR / INDEX_FILE


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _code_key() -> str:
    """The format version, briefgen's version and a hash of the code that verifies."""
    h = hashlib.blake2b(digest_size=8)
    here = Path(__file__).parent
    for name in _CODE_FILES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return f"{FORMAT_VERSION}:{__version__}:{h.hexdigest()}"


@dataclass(frozen=True, slots=True)
class Dep:
    """One file a record's outcome depends on, as the index last saw it."""

    name: str
    size: int  # -1: the file did not exist
    mtime_ns: int  # 0: not trusted (recorded too soon after a change): compare the hash
    hash: str | None
    ctime_ns: int = 0  # the inode's change time, which no user can set back
    ino: int = 0

    def stat(self) -> tuple[int, int, int, int]:
        """(size, mtime, ctime, inode) as stored."""
        return self.size, self.mtime_ns, self.ctime_ns, self.ino


def snapshot(folder: Path, name: str, data: bytes | None, before: os.stat_result | None,
             *, now: float | None = None) -> Dep:
    """``folder/name`` as a dependency: its size, mtime and the hash of ``data``.

    ``data`` is the content that was read (None: the file could not be read) and
    ``before`` the file's stat taken before reading it. The stat is trusted only if the
    file did not change while it was read and its mtime and ctime were old enough that a
    later edit must change them; otherwise the mtime is recorded as 0, and the next run
    compares hashes.
    """
    if data is None:
        return Dep(name, -1, 0, None)
    try:
        st = os.lstat(folder / name)
    except OSError:
        return Dep(name, -1, 0, content_hash(data))
    now = time.time() if now is None else now
    steady = (before is not None and before.st_mtime_ns == st.st_mtime_ns
              and before.st_ctime_ns == st.st_ctime_ns and before.st_ino == st.st_ino
              and before.st_size == st.st_size == len(data))
    settled = max(st.st_mtime_ns, st.st_ctime_ns) < (now - RACY_SECONDS) * 1e9
    trusted = st.st_mtime_ns if steady and settled else 0
    return Dep(name, st.st_size, trusted, content_hash(data), st.st_ctime_ns, st.st_ino)


def dep_fresh(base: str, dep: Dep) -> bool | None:
    """True: unchanged by size, mtime, ctime and inode; False: changed, or no longer a plain
    file (a link is never taken on trust: reading it decides whether it may be read); None:
    hash it.

    The mtime alone is not enough: a user can set it back (``touch -d``, ``cp -p``, an
    editor or a sync tool that keeps it), so an edit of the same size would go unseen. The
    ctime cannot be set back (any write or ``utime`` moves it to the present), and the
    inode changes when another file is renamed over this one.

    ``base`` is the folder's path ending in a separator (plain strings: this runs for
    every file of the archive on every load).
    """
    try:
        st = os.lstat(base + dep.name)
    except OSError:
        return dep.size < 0
    if not stat.S_ISREG(st.st_mode):
        return False  # a link, a folder, a pipe: verified (and refused) from the file
    if st.st_size != dep.size:
        return False
    if (dep.mtime_ns and st.st_mtime_ns == dep.mtime_ns and st.st_ctime_ns == dep.ctime_ns
            and st.st_ino == dep.ino):
        return True
    return None


#: A record's row of ``files``: name, size, mtime, ctime, inode, hash, then its text's name
#: (or None) and the same five of the text.
StatRow = tuple[str, int, int, int, int, str | None, str | None, int | None, int | None, int | None,
                int | None, str | None]
_STAT_COLUMNS = ("name, size, mtime, ctime, ino, hash, text, text_size, text_mtime, text_ctime, "
                 "text_ino, text_hash")


def row_deps(row: StatRow) -> list[Dep]:
    """The ``Dep`` of each file a ``stat_rows`` row names: the record, then its text."""
    name, size, mtime, ctime, ino, h, text, tsize, tmtime, tctime, tino, thash = row
    deps = [Dep(name, size, mtime, h, ctime, ino)]
    if text is not None:
        deps.append(Dep(text, tsize if tsize is not None else -1, tmtime or 0, thash, tctime or 0,
                        tino or 0))
    return deps


def stat_fresh(base: str, row: StatRow) -> bool:
    """True when a record and its text are, by their stat, as ``row`` holds them: what
    ``dep_fresh`` would say of each (False: ask ``dep_fresh``, which decides the rest: an
    untrusted stat, a missing text, a change). One ``lstat`` a file, no object made."""
    name, size, mtime, ctime, ino, _, text, tsize, tmtime, tctime, tino, _ = row
    if not mtime:
        return False
    try:
        st = os.lstat(base + name)
        if (st.st_size != size or st.st_mtime_ns != mtime or st.st_ctime_ns != ctime
                or st.st_ino != ino or not stat.S_ISREG(st.st_mode)):
            return False
        if text is None:
            return True
        if not tmtime or tsize is None or tsize < 0:
            return False
        st = os.lstat(base + text)
    except OSError:
        return False
    return (st.st_size == tsize and st.st_mtime_ns == tmtime and st.st_ctime_ns == tctime
            and st.st_ino == tino and stat.S_ISREG(st.st_mode))


@dataclass(slots=True)
class Entry:
    """A record as the index last saw it: the files it was verified from."""

    file_id: int
    name: str
    deps: list[Dep]  # the record, then its text if it names one


@dataclass(slots=True)
class Passage:
    """One paragraph of an archived text to store: its line, number (None: not numbered)."""

    line: int
    number: int | None
    text: str


@dataclass(slots=True)
class Stored:
    """One record as the index stores it."""

    name: str
    shown: str
    deps: list[Dep]  # the record, then its text if it names one
    summary: Any  # JSON data: what every load needs (problems, ids, places)
    record: Any  # JSON data: the parsed record and paragraphs, read when cited; or None
    source_id: str | None = None
    registered: bool = False
    source_line: int | None = None
    problems: bool = False
    text_shown: str | None = None
    dates: tuple[str, str] | None = None  # the first and last day its date may mean
    paragraphs: list[Passage] = field(default_factory=list)
    #: (id, verified, entry line, topics, facts, text line, topics line) of each extract entry
    extracts: list[tuple[str, bool, int, tuple[str, ...], Any, int | None, int | None]] = field(
        default_factory=list)
    #: (extract, the extract its caveat cites, line) of each caveat citation
    cites: list[tuple[str, str, int]] = field(default_factory=list)
    #: names in its text (``checks.text.name_words``)
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Hit:
    source: str
    file: str  # the record, seeds/<name>
    text_file: str | None  # its text, seeds/<text>
    number: int | None
    line: int
    passage: str  # the paragraph with each hit marked **like this**
    text: str
    extracts: list[str]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "record": self.file, "text_file": self.text_file,
                "paragraph": self.number,
                "line": self.line, "passage": self.passage, "text": self.text,
                "extracts": self.extracts, "score": round(self.score, 4)}


@dataclass(slots=True)
class _Manifest:
    """The files of the archive as one state of the index holds them (``current``)."""

    version: int  # PRAGMA data_version it was read at
    base: str  # the folder, ending in a separator
    names: list[str]  # the records
    #: (path, (size, mtime, ctime, inode)) of every file that exists; None: a stat is not
    #: trusted yet
    stats: list[tuple[str, tuple[int, int, int, int]]] | None
    absent: list[str]  # texts that were missing
    listed: int | None = None  # the folder's mtime at a listing that matched

    @classmethod
    def read(cls, index: ArchiveIndex, version: int, base: str) -> _Manifest:
        names: list[str] = []
        stats: list[tuple[str, tuple[int, int, int, int]]] | None = []
        absent: list[str] = []
        for name, *rest in index._rows(
                "SELECT name, size, mtime, ctime, ino, text, text_size, text_mtime, text_ctime, "
                "text_ino FROM files"):
            names.append(name)
            for file, size, mtime, ctime, ino in ((name, *rest[:4]), tuple(rest[4:])):
                if file is None:
                    continue
                if size < 0:
                    absent.append(base + file)
                elif not mtime:
                    stats = None
                elif stats is not None:
                    stats.append((base + file, (size, mtime, ctime, ino)))
        return cls(version, base, names, stats, absent)


class IndexUnavailable(Exception):
    """The index cannot be used now (locked, unreadable): work without it."""

    def __init__(self, message: str, corrupt: bool = False):
        super().__init__(message)
        self.corrupt = corrupt


#: Ids asked for in one query (SQLite allows 999 parameters before 3.32)
_IN_CHUNK = 500


def _unavailable(exc: Exception) -> IndexUnavailable:
    """A failed read: busy (try another time) or corrupt (rebuild)."""
    busy = isinstance(exc, sqlite3.Error) and _is_busy(exc)
    return IndexUnavailable(str(exc), corrupt=not busy)


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class ArchiveIndex:
    """An open index. Every method raises only ``IndexUnavailable``."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        #: what ``current`` compares the files with, as of one state of the index
        self._manifest: _Manifest | None = None
        #: ``extract_stamp`` of the extracts the brief result read last depends on, looked up
        #: with it in a few queries; each answered once, all dropped by a write
        self._stamps: dict[str, list[Any] | None] = {}

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, root: Path, warn: Warn) -> ArchiveIndex | None:
        """The workspace's index, created or rebuilt as needed; None when unusable."""
        path = index_path(root)
        # The index is trusted as verified: it is read and written only inside the
        # workspace, never through a link (which could lead anywhere).
        if path.parent.is_symlink():
            warn(f"{INDEX_DIR}: a link; briefgen keeps its index only inside the workspace, so "
                 "this run goes without it")
            return None
        try:
            prepare_dir(path.parent)
        except OSError:
            return None  # a read-only workspace: work without an index
        for linked in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
            if linked.is_symlink():
                warn(f"{INDEX_DIR}/{linked.name}: a link; briefgen keeps its index only inside the "
                     "workspace, so this run goes without it")
                return None
        for attempt in (1, 2):
            try:
                return cls(_connect(path, warn), path)
            except _Corrupt as exc:
                if attempt == 2:
                    return None
                warn(f"{INDEX_DIR}/{INDEX_FILE}: {exc}; rebuilding it")
                _remove(path)
            except sqlite3.Error:
                return None  # locked or unreadable now: this run goes without
        return None

    @classmethod
    def in_memory(cls) -> ArchiveIndex:
        """An index that lives only as long as this process (when the file cannot be used)."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        _create(conn, _code_key())
        return cls(conn, Path(":memory:"))

    def current(self, folder: Path) -> bool:
        """Whether the index holds every record of ``folder`` as it is now, by stat alone
        (a file whose stat is not trusted yet counts as changed: ``load`` hashes it).

        One ``lstat`` per file, compared with the size, mtime, ctime and inode stored (see
        ``dep_fresh``). The list of files is read again only when the index changed
        (``PRAGMA data_version``; a scan of the ``files_stat`` index, not of the records),
        and the folder is listed again only when its own mtime moved since a listing that
        matched (a file added, removed or renamed moves it).
        """
        base = os.path.join(folder, "")
        try:
            version = self._rows("PRAGMA data_version")[0][0]
            m = self._manifest
            if m is None or m.version != version or m.base != base:
                m = self._manifest = _Manifest.read(self, version, base)
        except IndexUnavailable:
            return False
        if m.stats is None:
            return False  # a stat recorded too soon to trust: the content decides
        try:
            folder_mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return False
        if m.listed != folder_mtime:
            names = set(scan(folder))
            if len(names) != len(m.names) or any(n not in names for n in m.names):
                return False
            if folder_mtime < (time.time() - RACY_SECONDS) * 1e9:
                m.listed = folder_mtime
        lstat, regular = os.lstat, stat.S_ISREG
        try:
            for path, want in m.stats:
                st = lstat(path)
                if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != want \
                        or not regular(st.st_mode):
                    return False
        except OSError:
            return False  # a file gone
        return not any(os.path.lexists(path) for path in m.absent)

    def rebuild(self, warn: Warn, why: str) -> bool:
        """Start this damaged index again, empty; False if that cannot be done now."""
        self._stamps, self._manifest = {}, None  # a new connection counts its versions anew
        self.close()
        if self.path == Path(":memory:"):
            self.conn = ArchiveIndex.in_memory().conn
            return True
        warn(f"{INDEX_DIR}/{INDEX_FILE}: unreadable ({why}); rebuilding it")
        _remove(self.path)
        try:
            self.conn = _connect(self.path, warn)
            return True
        except (sqlite3.Error, _Corrupt):
            return False

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    # ---------------------------------------------------------------- reading

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise _unavailable(exc) from None

    def entries(self) -> dict[str, Entry]:
        return {row[0]: Entry(fid, row[0], row_deps(row)) for fid, *row in self._rows(
            f"SELECT id, {_STAT_COLUMNS} FROM files")}

    def stat_rows(self) -> Iterator[StatRow]:
        """Each record's row of files as ``Entry.deps`` holds it, as a plain tuple, one at a
        time: a load compares them with the files' stat without making a ``Dep`` of each,
        and keeps only the rows of files that changed."""
        try:
            yield from self.conn.execute(f"SELECT {_STAT_COLUMNS} FROM files")
        except sqlite3.Error as exc:
            raise _unavailable(exc) from None

    def troubled(self) -> list[tuple[str, str, Any, Any]]:
        """(name, as shown, summary, record) of each record with problems, in archive order."""
        rows = self._rows("SELECT f.name, f.shown, r.summary, r.record FROM files AS f JOIN records "
                          "AS r ON r.file_id = f.id WHERE f.problems = 1 ORDER BY f.name")
        try:
            return [(name, shown, json.loads(summary), None if record is None else json.loads(record))
                    for name, shown, summary, record in rows]
        except ValueError as exc:
            raise IndexUnavailable(str(exc), corrupt=True) from None

    def names(self) -> set[str]:
        """The names in every archived text (``checks.text.name_words`` of each)."""
        return {r[0] for r in self._rows(
            "SELECT DISTINCT n.word FROM names AS n JOIN files AS f ON f.id = n.file_id "
            "WHERE f.registered = 1")}

    def cites(self) -> list[tuple[str, str, str, int]]:
        """(record as shown, extract, the extract its caveat cites, line), in archive order."""
        return [tuple(r) for r in self._rows(
            "SELECT f.shown, c.owner, c.key, c.line FROM cites AS c JOIN files AS f "
            "ON f.id = c.file_id ORDER BY f.name, c.seq")]

    def file_data(self, name: str) -> tuple[list[Dep], Any, Any] | None:
        """A record's deps, outcome summary and parsed data (None if not stored)."""
        rows = self._rows("SELECT size, mtime, ctime, ino, hash, text, text_size, text_mtime, "
                          "text_ctime, text_ino, text_hash, summary, record FROM files JOIN records "
                          "ON file_id = id WHERE name = ?", (name,))
        if not rows:
            return None
        size, mtime, ctime, ino, h, text, tsize, tmtime, tctime, tino, thash, summary, record = rows[0]
        deps = [Dep(name, size, mtime, h, ctime, ino)]
        if text is not None:
            deps.append(Dep(text, tsize, tmtime, thash, tctime, tino))
        try:
            return deps, json.loads(summary), None if record is None else json.loads(record)
        except ValueError as exc:
            raise IndexUnavailable(str(exc), corrupt=True) from None

    def count(self) -> int:
        return int(self._rows("SELECT count(*) FROM files")[0][0])

    def has_duplicates(self) -> bool:
        """Whether two records claim one source id, or one extract id appears twice."""
        return bool(self._totals()["duplicates"])

    def _totals(self) -> dict[str, Any]:
        """What spans the whole archive and a build asks for every time (``_count_totals``):
        noted in ``meta`` by the very transaction that last stored or forgot a record, so
        that reading it costs one row, not a scan of every extract. Counted from the tables
        here when not noted (an index that has never been written to) or not well formed:
        the note is derived from them, and the next write notes it afresh."""
        noted = self._rows("SELECT value FROM meta WHERE key = 'totals'")
        totals = _parsed_totals(noted[0][0]) if noted else None
        return _count_totals(self._rows) if totals is None else totals

    def _noted(self) -> dict[str, Any] | None:
        """The totals noted in ``meta``, if any and well formed (inside a write: else the
        write counts them again)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'totals'").fetchone()
        return None if row is None else _parsed_totals(row[0])

    def _note_totals(self, change: _Change) -> None:
        """Within a write transaction that changed the records: note ``_totals`` again,
        from the totals noted before and what ``change`` added and took away when they
        were noted and held no duplicate (a write costs what it changed, not a scan of
        every extract); else counted again from the tables."""
        conn = self.conn
        totals = change.totals(
            lambda source_id: bool(conn.execute(
                "SELECT 1 FROM files WHERE source_id = ? LIMIT 1 OFFSET 1", (source_id,)).fetchall()),
            lambda ids: bool(conn.execute(
                f"SELECT 1 FROM extracts WHERE id IN ({', '.join('?' * len(ids))}) GROUP BY id "
                "HAVING count(*) > 1 LIMIT 1", ids).fetchall()))
        if totals is None:
            totals = _count_totals(lambda sql: conn.execute(sql).fetchall())
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('totals', ?)",
                          (_json(totals),))

    _VERIFIED = ("FROM extracts AS e JOIN files AS f ON f.id = e.file_id "
                 "WHERE e.ok = 1 AND f.registered = 1")

    def extract_place(self, extract_id: str) -> tuple[str, int] | None:
        rows = self._rows(f"SELECT f.name, e.seq {self._VERIFIED} AND e.id = ?", (extract_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def extract_places(self, extract_ids: list[str]) -> dict[str, tuple[str, int] | None]:
        """``extract_place`` of many ids in a few queries: of the ids found once, their
        place; of those not found, None. An id found twice is left out (its one answer
        is ``extract_place``'s)."""
        found: dict[str, list[tuple[str, int]]] = {}
        for chunk in _chunks(extract_ids):
            marks = ", ".join("?" * len(chunk))
            for key, name, seq in self._rows(
                    f"SELECT e.id, f.name, e.seq {self._VERIFIED} AND e.id IN ({marks})", chunk):
                found.setdefault(key, []).append((name, seq))
        places: dict[str, tuple[str, int] | None] = {}
        for key in extract_ids:
            rows = found.get(key)
            if rows is None:
                places[key] = None
            elif len(rows) == 1:
                places[key] = rows[0]
        return places

    def extract_ids(self) -> list[str]:
        return [r[0] for r in self._rows(f"SELECT e.id {self._VERIFIED} ORDER BY f.name, e.seq")]

    def extract_count(self) -> int:
        return int(self._rows(f"SELECT count(*) {self._VERIFIED}")[0][0])

    _CATALOGUE = "SELECT e.id, f.source_id, f.shown, e.line, e.topics, e.facts, e.topics_line"

    def catalogue(self) -> list[tuple[str, str, str, int, tuple[str, ...], Any, int | None]]:
        """(id, source id, record, line, topics, facts, topics line) of every verified extract."""
        return self._catalogue_rows(self._rows(f"{self._CATALOGUE} {self._VERIFIED} ORDER BY f.name, e.seq"))

    def of_sources(self, source_ids: list[str]
                   ) -> list[tuple[str, str, str, int, tuple[str, ...], Any, int | None]]:
        """``catalogue`` rows of the extracts of the sources ``source_ids``."""
        return self._catalogue_rows(self._rows(
            f"{self._CATALOGUE} {self._VERIFIED} AND f.source_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY f.name, e.seq", (_json(source_ids),)))

    def with_facts(self) -> list[tuple[str, str, str, int, tuple[str, ...], Any, int | None]]:
        """``catalogue`` rows of the extracts that state facts."""
        return self._catalogue_rows(self._rows(
            f"{self._CATALOGUE} {self._VERIFIED} AND e.facts IS NOT NULL ORDER BY f.name, e.seq"))

    def sources_of(self, ids: list[str]) -> set[str]:
        """The sources of the verified extracts ``ids``."""
        return {r[0] for r in self._rows(
            f"SELECT DISTINCT f.source_id {self._VERIFIED} AND e.id IN (SELECT value FROM json_each(?))",
            (_json(ids),))}

    def extract_counts(self) -> dict[str, int]:
        """How many verified extracts each source holds, by source id."""
        return {sid: int(n) for sid, n in self._rows(
            f"SELECT f.source_id, count(*) {self._VERIFIED} GROUP BY f.source_id")}

    def source_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM files WHERE registered = 1")[0][0])

    @staticmethod
    def _catalogue_rows(rows: list[Any]) -> list[tuple[str, str, str, int, tuple[str, ...], Any,
                                                       int | None]]:
        try:
            return [(i, sid, shown, line, tuple(topics.split(",")) if topics else (),
                     tuple(tuple(f) for f in json.loads(facts)) if facts else (), topics_line)
                    for i, sid, shown, line, topics, facts, topics_line in rows]
        except ValueError as exc:
            raise IndexUnavailable(str(exc), corrupt=True) from None

    def topic_counts(self) -> dict[str, int]:
        """How many times the verified extracts name each topic (``tagged``)."""
        return {str(topic): int(n) for topic, n in self._totals()["topics"].items()}

    def with_topic(self, topic: str, first: bool = False
                   ) -> list[tuple[str, str, str, int, tuple[str, ...], Any, int | None]]:
        """``catalogue`` rows of the extracts that carry ``topic`` (``first``: the first alone),
        in archive order: a range of ``tagged``'s key."""
        rows = self._rows("SELECT e.id, f.source_id, f.shown, e.line, e.topics, e.facts, e.topics_line "
                          "FROM tagged AS t JOIN files AS f ON f.name = t.name JOIN extracts AS e "
                          "ON e.file_id = f.id AND e.seq = t.seq WHERE t.topic = ? "
                          f"ORDER BY t.name, t.seq{' LIMIT 1' if first else ''}", (topic,))
        return self._catalogue_rows(rows)

    def source_place(self, source_id: str) -> str | None:
        rows = self._rows("SELECT name FROM files WHERE registered = 1 AND source_id = ? "
                          "ORDER BY name LIMIT 1", (source_id,))
        return rows[0][0] if rows else None

    def source_catalogue(self) -> list[tuple[str, str, int, str | None]]:
        """(id, record, line, text file as shown) of every source in the archive."""
        return [(sid, shown, line or 1, text_shown) for sid, shown, line, text_shown in self._rows(
            "SELECT source_id, shown, source_line, text_shown FROM files WHERE registered = 1 "
            "ORDER BY name")]

    def extract_stamp(self, extract_id: str) -> list[Any] | None:
        """Where a verified extract stands (record, place) and its files' hashes; None: no such."""
        if extract_id in self._stamps:
            return self._stamps.pop(extract_id)
        rows = self._rows(f"SELECT f.name, e.seq, f.hash, f.text_hash {self._VERIFIED} AND e.id = ? "
                          "ORDER BY f.name, e.seq LIMIT 1", (extract_id,))
        return list(rows[0]) if rows else None

    def source_stamp(self, source_id: str) -> list[Any] | None:
        """The record of a source in the archive and its files' hashes; None: no such."""
        rows = self._rows("SELECT name, hash, text_hash FROM files WHERE registered = 1 AND "
                          "source_id = ? ORDER BY name LIMIT 1", (source_id,))
        return list(rows[0]) if rows else None

    def brief_result(self, topic: str, variant: str) -> tuple[str, Any, Any] | None:
        """A brief's stored check: (key, inputs, findings), or None."""
        rows = self._rows("SELECT key, deps, result FROM briefs WHERE topic = ? AND variant = ?",
                          (topic, variant))
        self._stamps = {}
        if not rows:
            return None
        try:
            found = rows[0][0], json.loads(rows[0][1]), json.loads(rows[0][2])
        except ValueError as exc:
            raise IndexUnavailable(str(exc), corrupt=True) from None
        # Its inputs are compared next, each extract's by its stamp: looked up here at once
        # (the 1,250-note brief's 1,458 queries took about 15 ms, a few take 2 ms).
        deps = found[1]
        wanted = list(dict.fromkeys(d[1] for d in deps if isinstance(d, list) and len(d) == 2
                                    and d[0] == "extract" and isinstance(d[1], str))
                      ) if isinstance(deps, list) else []
        self._stamps = self._extract_stamps(wanted)
        return found

    def extract_stamps(self, ids: Iterable[str]) -> dict[str, list[Any] | None]:
        """``extract_stamp`` of each of ``ids``, asked of the index now (not what a brief
        result's look-up read ahead), in a few queries."""
        return self._extract_stamps(list(dict.fromkeys(ids)))

    def _extract_stamps(self, ids: list[str]) -> dict[str, list[Any] | None]:
        """``extract_stamp`` of each of ``ids`` (all distinct), in queries of at most 500."""
        stamps: dict[str, list[Any] | None] = dict.fromkeys(ids)
        for chunk in _chunks(ids):
            rows = self._rows(f"SELECT e.id, f.name, e.seq, f.hash, f.text_hash {self._VERIFIED} "
                              f"AND e.id IN ({', '.join('?' * len(chunk))}) ORDER BY f.name, e.seq",
                              chunk)
            for extract_id, *stamp in rows:
                if stamps[extract_id] is None:  # the first in archive order, as extract_stamp
                    stamps[extract_id] = stamp
        return stamps

    def store_brief_results(self, variant: str, rows: Iterable[tuple[str, str, Any, Any]]) -> bool:
        """Keep (topic, key, inputs, findings) of checked briefs; False if busy or read-only.

        Rows the index holds already, to the byte, are not written again: a check that
        finds what the last one found (``check --full`` of an unchanged workspace) writes
        nothing, so it neither waits for the write lock nor syncs the file."""
        new = [(topic, variant, key, _json(deps), _json(result)) for topic, key, deps, result in rows]
        try:
            held = set(self.conn.execute(
                "SELECT topic, variant, key, deps, result FROM briefs WHERE variant = ?",
                (variant,)).fetchall())
            new = [row for row in new if row not in held]
            if not new:
                return True
            with _transaction(self.conn) as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO briefs (topic, variant, key, deps, result) "
                    "VALUES (?, ?, ?, ?, ?)", new)
        except sqlite3.Error:
            return False
        return True

    def read_snapshot(self) -> _ReadTransaction:
        """``with index.read_snapshot():`` reads that see one state of the index."""
        return _ReadTransaction(self.conn)

    # ---------------------------------------------------------------- writing

    def update(self, stored: Iterable[Stored], removed: Iterable[str] = (),
               restat: Iterable[tuple[str, list[Dep]]] = ()) -> bool:
        """Store records, forget records, and refresh the stat of unchanged ones, at once.

        False if the index is busy or read-only: it is left as it was.
        """
        # What this connection writes does not move its own ``PRAGMA data_version``: the
        # file list ``current`` keeps is dropped here, or it would stay as before the write.
        self._stamps, self._manifest = {}, None
        try:
            with _transaction(self.conn) as conn:
                changed = False
                change = _Change(self._noted())
                for name in removed:
                    self._forget(name, change)
                    changed = True
                for name, deps in restat:
                    text = deps[1] if len(deps) > 1 else None
                    conn.execute("UPDATE files SET size = ?, mtime = ?, ctime = ?, ino = ?, hash = ?, "
                                 "text_size = ?, text_mtime = ?, text_ctime = ?, text_ino = ?, "
                                 "text_hash = ? WHERE name = ?",
                                 (*deps[0].stat(), deps[0].hash,
                                  *(text.stat() if text else (None,) * 4),
                                  text.hash if text else None, name))
                for st in stored:
                    self._store(st, change)
                    changed = True
                if changed:
                    self._note_totals(change)
        except sqlite3.Error:
            return False
        return True

    def _store(self, st: Stored, change: _Change) -> None:
        conn = self.conn
        self._forget(st.name, change)
        record, text = st.deps[0], (st.deps[1] if len(st.deps) > 1 else None)
        cur = conn.execute(
            "INSERT INTO files (name, shown, size, mtime, ctime, ino, hash, text, text_size, "
            "text_mtime, text_ctime, text_ino, text_hash, source_id, registered, source_line, "
            "problems, date_start, date_end, text_shown) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (st.name, st.shown, *record.stat(), record.hash,
             text.name if text else None, *(text.stat() if text else (None,) * 4),
             text.hash if text else None,
             st.source_id, int(st.registered), st.source_line, int(st.problems),
             st.dates[0] if st.dates else None, st.dates[1] if st.dates else None, st.text_shown))
        fid = cur.lastrowid
        assert fid is not None
        conn.execute("INSERT INTO records (file_id, summary, record) VALUES (?, ?, ?)",
                     (fid, _json(st.summary), None if st.record is None else _json(st.record)))
        conn.executemany(
            "INSERT INTO passages (rowid, text, number, line) VALUES (?, ?, ?, ?)",
            [(fid * _ROWS + i, p.text, p.number, p.line) for i, p in enumerate(st.paragraphs[:_ROWS])])
        conn.executemany(
            "INSERT INTO extracts (file_id, seq, id, ok, line, topics, facts, text_line, topics_line) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(fid, i, eid, int(ok), line, ",".join(topics), _json(facts) if facts else None, tline,
              topics_line) for i, (eid, ok, line, topics, facts, tline, topics_line) in enumerate(st.extracts)])
        if st.registered:
            tags = [(topic, st.name, i, n) for i, (_, ok, _, topics, *_) in enumerate(st.extracts)
                    if ok for topic, n in Counter(topics).items()]
            conn.executemany("INSERT INTO tagged (topic, name, seq, n) VALUES (?, ?, ?, ?)", tags)
            change.tag((topic, n) for topic, _, _, n in tags)
        change.stored(st.source_id, [eid for eid, *_ in st.extracts])
        conn.executemany("INSERT INTO cites (file_id, seq, owner, key, line) VALUES (?, ?, ?, ?, ?)",
                         [(fid, i, owner, key, line) for i, (owner, key, line) in enumerate(st.cites)])
        conn.executemany("INSERT INTO names (file_id, word) VALUES (?, ?)",
                         [(fid, word) for word in st.names])

    def _forget(self, name: str, change: _Change) -> None:
        row = self.conn.execute("SELECT id FROM files WHERE name = ?", (name,)).fetchone()
        if row is None:
            return
        fid = row[0]
        topics = {t for (tags,) in self.conn.execute("SELECT topics FROM extracts WHERE file_id = ?", (fid,))
                  for t in tags.split(",") if tags}
        for topic in sorted(topics):
            change.tag((topic, -n) for (n,) in self.conn.execute(
                "SELECT n FROM tagged WHERE topic = ? AND name = ?", (topic, name)))
        self.conn.executemany("DELETE FROM tagged WHERE topic = ? AND name = ?",
                              [(topic, name) for topic in sorted(topics)])
        self.conn.execute("DELETE FROM passages WHERE rowid >= ? AND rowid < ?",
                          (fid * _ROWS, (fid + 1) * _ROWS))
        self.conn.execute("DELETE FROM extracts WHERE file_id = ?", (fid,))
        self.conn.execute("DELETE FROM cites WHERE file_id = ?", (fid,))
        self.conn.execute("DELETE FROM names WHERE file_id = ?", (fid,))
        self.conn.execute("DELETE FROM records WHERE file_id = ?", (fid,))
        self.conn.execute("DELETE FROM files WHERE id = ?", (fid,))

    # ---------------------------------------------------------------- searching

    def search(self, query: str, *, source: str | None = None, since: str | None = None,
               limit: int = 20) -> list[Hit]:
        """Paragraphs matching ``query`` (FTS5 syntax, already made safe), best first (bm25).

        FTS5 ranks and cuts the matches itself (``ORDER BY rank LIMIT``) and marks the
        words of the rows it returns (``highlight``) in the same statement; a source is a
        range of row ids; only ``since`` needs the records' dates.
        """
        columns = "p.rowid, p.rank, p.number, p.line, highlight(passages, 0, char(1), char(2)), p.text"
        try:
            if since is None:
                sql = f"SELECT {columns} FROM passages AS p WHERE passages MATCH ?"
                params: list[Any] = [query]
                if source is not None:
                    fid = self._rows("SELECT id FROM files WHERE registered = 1 AND source_id = ? "
                                     "ORDER BY name LIMIT 1", (source,))
                    if not fid:
                        return []
                    sql += " AND p.rowid >= ? AND p.rowid < ?"
                    params += [fid[0][0] * _ROWS, (fid[0][0] + 1) * _ROWS]
                ranked = self.conn.execute(sql + " ORDER BY p.rank LIMIT ?", [*params, limit]).fetchall()
            else:
                where = "passages MATCH ? AND f.date_end >= ?"
                params = [query, since]
                if source is not None:
                    where += " AND f.source_id = ?"
                    params.append(source)
                ranked = self.conn.execute(
                    f"SELECT {columns} FROM passages AS p JOIN files AS f ON f.id = p.rowid / ? "
                    f"WHERE {where} ORDER BY p.rank LIMIT ?", [_ROWS, *params, limit]).fetchall()
            fids = sorted({rowid // _ROWS for rowid, *_ in ranked})
            marks = ", ".join("?" * len(fids))
            files = {fid: (name, sid, text) for fid, name, sid, text in self.conn.execute(
                f"SELECT id, name, source_id, text FROM files WHERE id IN ({marks})", fids)}
            quoting: dict[tuple[int, int], list[str]] = {}
            for fid, line, eid in self.conn.execute(
                    f"SELECT file_id, text_line, id FROM extracts WHERE file_id IN ({marks}) "
                    "AND ok = 1 ORDER BY file_id, seq", fids):
                quoting.setdefault((fid, line), []).append(eid)
            hits = []
            for rowid, score, number, line, marked, text in ranked:
                fid = rowid // _ROWS
                name, sid, text_file = files[fid]
                hits.append(Hit(sid or Path(name).stem, name, text_file, number, line,
                                _mark(marked), text, quoting.get((fid, line), []), -score))
            hits.sort(key=lambda h: (-h.score, h.file, h.line))
            return hits
        except (sqlite3.Error, TypeError, KeyError) as exc:
            raise _unavailable(exc) from None

    def source_ids(self) -> list[str]:
        try:
            return [r[0] for r in self.conn.execute(
                "SELECT source_id FROM files WHERE registered = 1 ORDER BY name")]
        except sqlite3.Error as exc:
            raise _unavailable(exc) from None


def _count_totals(rows: Callable[[str], list[Any]]) -> dict[str, Any]:
    """``ArchiveIndex._totals`` worked out from the tables, by ``rows`` (a query's rows)."""
    duplicates = bool(rows("SELECT 1 FROM files WHERE source_id IS NOT NULL GROUP BY source_id "
                           "HAVING count(*) > 1 LIMIT 1")) or bool(rows(
                               "SELECT 1 FROM extracts GROUP BY id HAVING count(*) > 1 LIMIT 1"))
    topics = {topic: int(n) for topic, n in rows("SELECT topic, sum(n) FROM tagged GROUP BY topic")}
    return {"duplicates": duplicates, "topics": topics}


def _parsed_totals(value: Any) -> dict[str, Any] | None:
    """The totals noted in ``meta`` (JSON), or None if they are not well formed."""
    try:
        totals = json.loads(value)
    except (ValueError, TypeError):
        return None
    if (isinstance(totals, dict) and isinstance(totals.get("topics"), dict)
            and isinstance(totals.get("duplicates"), bool)
            and all(isinstance(n, int) for n in totals["topics"].values())):
        return totals
    return None


class _Change:
    """What one write added to and took from ``ArchiveIndex._totals``: the topic counts of
    the tags it stored and forgot, and the ids of the records it stored."""

    def __init__(self, before: dict[str, Any] | None):
        self.before = before
        self.topics: Counter[str] = Counter()
        self.source_ids: list[str] = []
        self.extract_ids: list[str] = []

    def tag(self, counts: Iterable[tuple[str, int]]) -> None:
        for topic, n in counts:
            self.topics[topic] += n

    def stored(self, source_id: str | None, extract_ids: list[str]) -> None:
        if source_id is not None:
            self.source_ids.append(source_id)
        self.extract_ids.extend(extract_ids)

    def totals(self, source_twice: Callable[[str], bool], ids_twice: Callable[[list[str]], bool]
               ) -> dict[str, Any] | None:
        """The totals after the write, or None: none noted before, or duplicates then (a
        record forgotten may have been one of two; only a count tells)."""
        if self.before is None or self.before["duplicates"]:
            return None
        topics = Counter(self.before["topics"])
        topics.update(self.topics)  # adds, and takes away the negative counts
        duplicates = any(source_twice(sid) for sid in set(self.source_ids)) or any(
            ids_twice(chunk) for chunk in _chunks(sorted(set(self.extract_ids))))
        return {"duplicates": duplicates,
                "topics": {t: n for t, n in sorted(topics.items()) if n > 0}}


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start:start + _IN_CHUNK]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _mark(marked: str) -> str:
    """FTS5's highlight markers (U+0001, U+0002) as ``**``, merging adjacent hits."""
    return marked.replace("\x02 \x01", " ").replace("\x01", "**").replace("\x02", "**")


class _Corrupt(Exception):
    pass


class _ReadTransaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise _unavailable(exc) from None

    def __exit__(self, *exc: object) -> None:
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            pass


def prepare_dir(folder: Path) -> None:
    """``.briefgen/``, made once with a ``.gitignore`` so that git never tracks it."""
    if not folder.is_dir():
        folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        try:
            ignore.write_text("# briefgen's cache: safe to delete\n*\n", encoding="utf-8")
        except OSError:
            pass


def _connect(path: Path, warn: Warn) -> sqlite3.Connection:
    """A connection to a usable index of this format; raises _Corrupt or sqlite3.Error."""
    existed = path.exists() and path.stat().st_size > 0
    conn = sqlite3.connect(path, timeout=1.5, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 1500")
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            key = _code_key()
            if existed:
                row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
                if row is not None and row[0] == key:
                    return conn
                if row is not None:
                    warn(f"{INDEX_DIR}/{INDEX_FILE}: written by another version of briefgen; "
                         "rebuilding it")
                else:
                    raise _Corrupt("not a briefgen index")
            _create(conn, key)
            return conn
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc) or (isinstance(exc, sqlite3.OperationalError) and not existed):
                raise
            if isinstance(exc, sqlite3.OperationalError) and "no such table" not in str(exc):
                raise
            raise _Corrupt(f"unreadable ({exc})") from None
    except BaseException:
        conn.close()
        raise


def _create(conn: sqlite3.Connection, key: str) -> None:
    """The tables of an empty index of format ``key``, in place of any others.

    Two builds that start together both find no index; the one that takes the write lock
    second finds the other's index made (and perhaps filled) and keeps it: emptying it
    would take from under the first build the records it is reading."""
    with _transaction(conn):
        try:
            made = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.OperationalError:  # no meta table: nothing made yet
            made = None
        if made is not None and made[0] == key:
            return
        old = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'passages_%'")]
        for name in old:
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('format', ?)", (key,))


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once: committed when the block ends, rolled back if
    anything (an interrupt included) leaves it early."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(str(path) + suffix)
        except OSError:
            pass


def scan(folder: Path) -> Iterator[str]:
    """The records of ``folder`` (``*.yaml``), in the order the archive is loaded."""
    return iter(listing(folder)[0])


def listing(folder: Path) -> tuple[list[str], list[str]]:
    """The names in ``folder`` that end in ``.yaml`` (the records, in the order the archive
    is loaded) and in ``.yml`` (misnamed records), sorted: one reading of the folder."""
    try:
        names = os.listdir(folder)
    except OSError:
        return [], []
    return (sorted(n for n in names if n.endswith(".yaml")),
            sorted(n for n in names if n.endswith(".yml")))
