"""Time ``briefgen search`` inside one process: the freshness check and the FTS5 query.

    python bench/search_inprocess.py WORKSPACE [--rounds N] QUERY_JSON...

Each QUERY_JSON is a JSON list of words. Prints JSON: every query's wall-clock and CPU
seconds, the 95th percentile and median of each, and the process's peak memory (KB).
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
    times, cpu = [], []
    for _ in range(args.rounds):
        for words in queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            hits = search(ws, words)
            cpu.append(time.process_time() - start_cpu)
            times.append(time.perf_counter() - start)
            assert hits is not None
    print(json.dumps({"times": times, "cpu": cpu, "p95": statistics.quantiles(times, n=20)[-1],
                      "cpu_p95": statistics.quantiles(cpu, n=20)[-1],
                      "median": statistics.median(times), "cpu_median": statistics.median(cpu),
                      "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
