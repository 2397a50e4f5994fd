"""How long the multiverses of the robustness chapter take: a benchmark, not a test.

Usage: ``python -m tests.benchmarks.bench_multiverse [repeats]`` (part of ``make benchmark``).
Runs each multiverse ``repeats`` times (default 3) and prints the number of specifications and
the median and fastest wall-clock time. Every run recomputes every specification (nothing is
cached), as the book build does. To time it on two cores, as in the issue's budget:
``taskset -c 0,1 .venv/bin/python -m tests.benchmarks.bench_multiverse``.
"""

import statistics
import sys
import time

from analysis.paper.multiverse import pain_multiverse, rate_multiverse


def main(argv: list[str]) -> int:
    repeats = int(argv[0]) if argv else 3
    runs = {
        "relief, right after treatment": lambda: rate_multiverse("immediate"),
        "relief, at 1-3 months": lambda: rate_multiverse("followup"),
        "pain score": pain_multiverse,
    }
    print(f"{'multiverse':30} {'specs':>5} {'median s':>9} {'fastest s':>9}")
    for label, run in runs.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            frame = run()
            times.append(time.perf_counter() - start)
        print(f"{label:30} {len(frame):5d} {statistics.median(times):9.2f} {min(times):9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
