"""Benchmark of `analysis.pool_batch` (not a test: timings depend on the machine).

Usage: ``python -m tests.benchmarks.bench_batch`` (``make benchmark``). Prints, for FE, DL,
REML and PM with the z interval, the analyses per second of `pool_batch` on B = 100,000
simulated meta-analyses of k = 8 studies, and of a loop of `pool` over 1,000 of them, with
the ratio. Times are process CPU time (medians of repeats), so that other work on a shared
machine counts less than in wall time; the targets of issue 14 are 3 million DL analyses per
second and 200,000 REML ones.
"""

import time
import timeit

import numpy as np

from analysis import pool, pool_batch

ROWS = 100_000
STUDIES = 8
LOOP_ROWS = 1_000
REPEATS = 5
TARGETS = {"DL": 3_000_000, "REML": 200_000}


def simulated(rows: int, k: int, seed: int = 20181) -> tuple[np.ndarray, np.ndarray]:
    """Effects and variances of ``rows`` meta-analyses of ``k`` studies, tau² = 0.1."""
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.5, (rows, k))
    return rng.normal(0.3, np.sqrt(vi + 0.1)), vi


def median_cpu_seconds(call, repeats: int = REPEATS) -> float:
    return float(np.median(timeit.Timer(call, timer=time.process_time).repeat(repeats, 1)))


def main() -> None:
    yi, vi = simulated(ROWS, STUDIES)
    print(f"pool_batch, B = {ROWS:,} meta-analyses of k = {STUDIES} (CPU time, median of "
          f"{REPEATS}); pool in a loop over {LOOP_ROWS:,} of them")  # fmt: skip
    for method in ("FE", "DL", "REML", "PM"):
        batch = median_cpu_seconds(lambda: pool_batch(yi, vi, method))  # noqa: B023
        rows = list(zip(yi[:LOOP_ROWS], vi[:LOOP_ROWS], strict=True))
        loop = median_cpu_seconds(lambda: [pool(y, v, method) for y, v in rows], repeats=3)  # noqa: B023
        batch_rate, loop_rate = ROWS / batch, LOOP_ROWS / loop
        target = TARGETS.get(method)
        verdict = (
            ""
            if target is None
            else f"  target {target:,}: {'met' if batch_rate >= target else 'NOT met'}"
        )
        print(
            f"  {method:<4}  batch {batch_rate:>12,.0f}/s ({1000 * batch:7.1f} ms)  "
            f"pool loop {loop_rate:>8,.0f}/s  ratio {batch_rate / loop_rate:8,.0f}x{verdict}"
        )


if __name__ == "__main__":
    main()
