"""Benchmark of `analysis.begg`'s exact p-value (not a test: timings depend on the machine).

Usage: ``python -m tests.benchmarks.bench_begg`` (``make benchmark``). Prints the median CPU
time of `begg` with the exact p-value at k = 100, 400 and 800 simulated studies (issue 14,
item 3: k = 800 in under a second), and of scipy's exact routine for the same score, which
`begg` called before. The cost grows with the number of discordant pairs, largest when the
score is near 0 (p near 1), so each k is timed on data with a weak correlation.
"""

import statistics
import time

import numpy as np
from scipy import stats

from analysis import begg

SIZES = (100, 400, 800)
REPEATS = 5


def cpu_seconds(function, repeats: int = REPEATS) -> float:
    """Median CPU seconds of ``repeats`` calls of ``function()``."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    print("begg(), exact p-value, median CPU time (s)")
    print(f"{'k':>5} {'score':>7} {'p':>10} {'begg s':>8} {'scipy s':>8} {'target':>7}")
    for k in SIZES:
        rng = np.random.default_rng(20181 + k)
        vi = rng.uniform(0.01, 0.5, k)
        yi = rng.normal(0.3, np.sqrt(vi + 0.2))
        result = begg(yi, vi)
        pairs = k * (k - 1) // 2
        seconds = cpu_seconds(lambda yi=yi, vi=vi: begg(yi, vi))
        scipy_seconds = cpu_seconds(
            lambda k=k, c=(pairs + result.score) // 2: stats._mstats_basic._kendall_p_exact(k, c)
        )
        target = "< 1" if k == 800 else ""
        print(
            f"{k:5d} {result.score:7d} {result.p_value:10.4g} {seconds:8.3f} "
            f"{scipy_seconds:8.3f} {target:>7}"
        )


if __name__ == "__main__":
    main()
