"""``briefgen watch TOPIC…``: rebuild on every save, in one warm process (``briefgen.watch``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from ..watch import Watcher, relevant, watched_paths
from ..workspace import Workspace, open_workspace


def _say(line: str) -> None:
    print(line, flush=True)


def _complain(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, changes: Iterable[set[tuple[Any, str]]] | None = None) -> int:
    """Build the topics, then rebuild on each batch of ``changes`` (watchfiles by default)."""
    ws = open_workspace(args.root)
    topics = list(dict.fromkeys(args.topics))
    for topic in topics:  # a name that is not a topic is a mistake, not a file to wait for
        ws.spec_path(topic)
    formats = ("docx", "pdf") if args.format == "both" else (args.format,)
    watcher = Watcher(ws, topics, formats, args.out)
    try:
        return _watch(args, ws, watcher, topics, changes)
    finally:
        watcher.close()


def _watch(args: argparse.Namespace, ws: Workspace, watcher: Watcher, topics: list[str],
           changes: Iterable[set[tuple[Any, str]]] | None) -> int:
    for topic in topics:
        watcher.report(watcher.rebuild(topic), _say, _complain)
    watcher.settle()
    if changes is None:
        import watchfiles

        paths = watched_paths(ws)
        if not paths:
            raise BriefgenError("nothing to watch: no seeds/, briefs/ or templates/", path=str(ws.root))
        _say(f"watching {', '.join(ws.shown(p) + '/' for p in paths)} for changes to "
             f"{', '.join(topics)}; Ctrl-C stops")
        batches: Iterable[set[tuple[Any, str]]] = watchfiles.watch(
            *paths, watch_filter=relevant(ws), debounce=100, step=20, raise_interrupt=False)
    else:
        batches = changes
    try:
        for batch in batches:
            for topic in watcher.affected(Path(path) for _, path in batch):
                watcher.report(watcher.rebuild(topic), _say, _complain)
            watcher.settle()  # after the status lines, while waiting for the next save
    except KeyboardInterrupt:  # Ctrl-C during a rebuild: its temporaries are gone, files as before
        _complain("briefgen watch: stopped")
    return 0
