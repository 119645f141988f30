"""The warm rebuild of ``briefgen watch``, timed inside its one process.

    python bench/watch_rebuild.py [--runs N] [--topic cyber]

Copies the repository's workspace to a temporary folder, builds the topic once (the
cold start ``watch`` pays once), then N times: edits one line of the spec (the title,
with a new word each time, so no rebuild ever sees a title it has seen before), and
times the rebuild ``watch`` does on that save — the spec reloaded, the brief composed,
its notes checked, DOCX and PDF written — with the archive and settings kept from
before. What the user waits for is timed: from the save to the status line. Between
saves, outside the timed region, it does exactly what ``briefgen watch`` does while it
waits for the next save (``Watcher.settle``: the garbage collection the rebuild left).
Prints one JSON object: wall-clock and CPU seconds of each timed rebuild.
``bench/run.py`` runs it and reports the median.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TITLE = re.compile(r'^title: ("?)(.*?)("?)$', flags=re.M)


def _draft(n: int) -> Callable[[re.Match[str]], str]:
    def title(m: re.Match[str]) -> str:
        return f"title: {m.group(1)}{m.group(2)} (draft {n}){m.group(3)}"

    return title


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--topic", default="cyber")
    args = parser.parse_args(argv)
    from briefgen.watch import Watcher
    from briefgen.workspace import open_workspace

    with tempfile.TemporaryDirectory(prefix="briefgen-watch-") as tmp:
        root = Path(tmp)
        for name in ("seeds", "briefs", "templates"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
        spec = root / "briefs" / f"{args.topic}.yaml"
        original = spec.read_text(encoding="utf-8")
        if not TITLE.search(original):
            print(f"{spec.name} has no title line to edit", file=sys.stderr)
            return 2
        watcher = Watcher(open_workspace(root), [args.topic], ("docx", "pdf"), str(root / "out"))
        first = watcher.rebuild(args.topic)
        if first.problems:
            print("\n".join(map(str, first.problems)), file=sys.stderr)
            return 2
        watcher.settle()  # as the command does after its first build
        wall: list[float] = []
        cpu: list[float] = []
        for i in range(args.warmup + args.runs):
            # One line of the spec changes: the title, never the same twice.
            edited = TITLE.sub(_draft(i), original, count=1)
            spec.write_text(edited, encoding="utf-8")
            c0, t0 = time.process_time(), time.perf_counter()
            topics = watcher.affected([spec])
            results = [watcher.rebuild(t) for t in topics]
            t1, c1 = time.perf_counter(), time.process_time()
            if topics != [args.topic] or any(r.problems for r in results):
                print(f"rebuild failed: {topics} {[list(map(str, r.problems)) for r in results]}",
                      file=sys.stderr)
                return 2
            if i >= args.warmup:
                wall.append(t1 - t0)
                cpu.append(c1 - c0)
            watcher.settle()  # the watcher's wait for the next save: not timed
        watcher.close()
    print(json.dumps({"wall": wall, "cpu": cpu, "notes": results[0].notes,
                      "cold": first.seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
