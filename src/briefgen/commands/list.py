"""``briefgen list``: the topics with their titles, extracts and citations."""

from __future__ import annotations

import argparse

from ..workspace import open_workspace
from .common import EXIT_OK


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args.root)
    corpus = ws.corpus()
    topics = ws.topics()
    if not topics:
        print("no topics: briefs/ holds no <topic>.yaml")
        return EXIT_OK
    rows = []
    for topic in topics:
        loaded = ws.brief(topic)
        cites = sum(1 for _ in loaded.cited_keys())
        rows.append((topic, loaded.brief.title, len(corpus.by_topic(topic)), cites))
    width = max(len(r[0]) for r in rows)
    for topic, title, extracts, cites in rows:
        print(f"{topic:<{width}}  {title}  ({extracts} extracts, {cites} citations)")
    return EXIT_OK
