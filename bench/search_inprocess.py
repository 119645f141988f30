"""Time ``briefgen search`` inside one process: the freshness check and the FTS5 query.

    python bench/search_inprocess.py WORKSPACE [--rounds N] QUERY_JSON...

Each QUERY_JSON is a JSON list of words. Prints JSON: every query's seconds, their
95th percentile, and the process's peak memory (KB).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time

from briefgen.commands.search import search
from briefgen.workspace import open_workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("queries", nargs="+")
    args = parser.parse_args()
    ws = open_workspace(args.root)
    queries = [json.loads(q) for q in args.queries]
    search(ws, queries[0])  # opens the index once, as a long-running process would
    times = []
    for _ in range(args.rounds):
        for words in queries:
            start = time.perf_counter()
            hits = search(ws, words)
            times.append(time.perf_counter() - start)
            assert hits is not None
    p95 = statistics.quantiles(times, n=20)[-1]
    print(json.dumps({"times": times, "p95": p95,
                      "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
