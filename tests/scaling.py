"""How a cost grows with the input, measured against the same code on a smaller input.

A test of speed must not assert a wall-clock figure: the machines are shared and noisy
(speed is measured in ``bench/``). What a test can assert is the *shape*: ten times the
input costs about ten times the time when the work is linear, about a hundred times when a
step is quadratic. Both sizes run in the same process, back to back, on CPU time, and the
best of a few runs is kept, so load on the machine cancels out of the ratio.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def best_cpu_seconds(work: Callable[[], object], runs: int = 3) -> float:
    """The least CPU time of ``runs`` calls of ``work``."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def growth(small: Callable[[], object], large: Callable[[], object], runs: int = 3) -> float:
    """CPU time of ``large`` over CPU time of ``small`` (best of ``runs`` each)."""
    return best_cpu_seconds(large, runs) / max(best_cpu_seconds(small, runs), 1e-6)
