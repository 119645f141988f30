"""``briefgen sources``: the archive's records as a Chicago bibliography or CSL-JSON."""

from __future__ import annotations

import argparse
import json

from ..workspace import open_workspace
from .common import EXIT_OK


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args.root)
    corpus = ws.corpus()
    sources = [r.source for r in corpus.sources.values()]
    if args.csl_json:
        from ..csljson import to_csl_json

        print(json.dumps(to_csl_json(sources), indent=2, ensure_ascii=False))
    else:
        from ..csljson import format_source_list

        print(format_source_list(sources, date_style=ws.settings().date_style))
    return EXIT_OK

