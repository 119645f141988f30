"""``briefgen search``: full-text search of the archived texts through the index.

The index (``index.py``) holds every paragraph of every archived text in an SQLite
FTS5 table. A search first makes sure the index is current; when no file changed
since the last run that is a stat of each file, and nothing but the standard library
is imported. Hits come best first by bm25.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from typing import Any

from ..errors import BriefgenError
from ..index import ArchiveIndex, Hit, IndexUnavailable
from ..workspace import Workspace, open_workspace
from ..workspace import _index_warning as _warning
from .common import EXIT_OK

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def fts_query(words: list[str]) -> str:
    """The user's words as an FTS5 query that cannot be a syntax error.

    Each word, and each "quoted phrase", becomes an FTS5 phrase; all must match. A word
    ending in ``*`` matches any word it begins.
    """
    parts = []
    for phrase, word in _TOKEN.findall(" ".join(words)):
        text = phrase if phrase else word
        prefix = text.endswith("*") and not phrase
        text = text.rstrip("*") if prefix else text
        if not any(c.isalnum() for c in text):
            continue
        parts.append('"' + text.replace('"', '""') + '"' + ("*" if prefix else ""))
    if not parts:
        raise BriefgenError("give at least one word to search for", path="briefgen")
    return " ".join(parts)


def since_date(text: str) -> str:
    """``--since`` as the first day it names: 2024 -> 2024-01-01."""
    m = _DATE.match(text.strip())
    if not m:
        raise BriefgenError(f"--since {text!r}: write a date as 2024, 2024-07 or 2024-07-11",
                            path="briefgen")
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    import datetime as dt

    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        raise BriefgenError(f"--since {text!r} is not a real date", path="briefgen") from None
    return f"{year}-{month}-{day}"


def current_index(ws: Workspace) -> ArchiveIndex:
    """The workspace's index, brought up to date (verifying changed records) if need be."""
    index = ws.index()
    if index is not None and index.current(ws.seeds):
        return index
    if index is None:
        index = ArchiveIndex.in_memory()  # the file cannot be used: build one for this run
        ws._index = index
    ws.forget(corpus=True)  # a corpus loaded before may be out of date: load it again
    ws.corpus(strict=False)  # verifies what changed and stores it
    if not ws.seeds.is_dir():
        raise BriefgenError("no seeds/ folder: the source archive is missing", path=ws.shown(ws.seeds))
    return index


def search(ws: Workspace, words: list[str], *, source: str | None = None,
           since: str | None = None, limit: int = 20) -> list[Hit]:
    """The best ``limit`` paragraphs for ``words``; see ``fts_query`` and ``since_date``."""
    query = fts_query(words)
    after = since_date(since) if since else None
    if limit < 1:
        raise BriefgenError("--limit must be at least 1", path="briefgen")
    for attempt in (1, 2):
        index = current_index(ws)
        try:
            if source is not None and source not in index.source_ids():
                import difflib

                close = difflib.get_close_matches(source, index.source_ids(), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise BriefgenError(f"--source: no source {source!r} in the archive{hint}",
                                    path="briefgen")
            return index.search(query, source=source, since=after, limit=limit)
        except IndexUnavailable as exc:
            if attempt == 1 and exc.corrupt and index.rebuild(_warning, str(exc)):
                ws._corpus = None  # verify again into the new index
                continue
            raise BriefgenError(f"the search index cannot be read now ({exc}); try again",
                                path=".briefgen/index.sqlite") from None
    raise AssertionError("unreachable")


def run(args: Any) -> int:
    ws = open_workspace(args.root)
    hits = search(ws, args.query, source=args.source, since=args.since, limit=args.limit)
    if args.json:
        print(json.dumps({"query": " ".join(args.query), "hits": [h.as_dict() for h in hits]},
                         indent=2, ensure_ascii=False))
        return EXIT_OK
    if not hits:
        print("no passage matches", file=sys.stderr)
        return EXIT_OK
    width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns) - 4)
    for n, hit in enumerate(hits, start=1):
        where = f"para. {hit.number}" if hit.number else "front matter"
        text = f"seeds/{hit.text_file}" if hit.text_file else f"seeds/{hit.file}"
        print(f"{n}. {hit.source}, {where} ({text}:{hit.line})")
        for line in textwrap.wrap(hit.passage, width, break_on_hyphens=False):
            print("   " + line)
        if hit.extracts:
            print("   quoted by: " + ", ".join(hit.extracts))
    return EXIT_OK
