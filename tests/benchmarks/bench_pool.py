"""Benchmark of `analysis.pool` (not a test: timings depend on the machine).

Usage: ``python -m tests.benchmarks.bench_pool`` (``make benchmark``). Prints the median CPU
time of one call of `pool` with DL and REML at k = 8, 100 and 1,000 simulated studies, without
and with reading the Q-profile intervals (computed only when read), beside issue 14's targets
at k = 8; then each model on the book's Fig. 4a inputs. CPU time (``time.process_time``), so
that other processes on the machine count less; the median of repeated blocks of calls.
"""

import statistics
import time
from collections.abc import Callable

import numpy as np

from analysis import pool
from analysis.paper.relief_rates import rate_inputs

SIZES = (8, 100, 1000)
TARGETS_K8_US = {("DL", False): 50.0, ("REML", False): 150.0, ("DL", True): 250.0}
"""Issue 14, item 1: median CPU time at k = 8 (DL with the Q-profile intervals read)."""


def per_call_us(function: Callable[[], object], seconds: float = 0.3, blocks: int = 15) -> float:
    """Median CPU microseconds of one call of ``function()``, over ``blocks`` blocks of calls."""
    function()
    start = time.process_time()
    calls = 1
    while time.process_time() - start < seconds / blocks:
        function()
        calls += 1
    times = []
    for _ in range(blocks):
        start = time.process_time()
        for _ in range(calls):
            function()
        times.append((time.process_time() - start) / calls)
    return 1e6 * statistics.median(times)


def simulated(k: int) -> tuple[np.ndarray, np.ndarray]:
    """``k`` studies of a random-effects model (tau² = 0.2), the same on every run."""
    rng = np.random.default_rng(20181 + k)
    vi = rng.uniform(0.01, 0.5, k)
    return rng.normal(0.3, np.sqrt(vi + 0.2)), vi


def with_intervals(y: np.ndarray, v: np.ndarray, method: str) -> object:
    result = pool(y, v, method)
    return result.tau2_ci, result.i2_ci, result.h2_ci


def main() -> None:
    print("pool(), median CPU time of one call (us)")
    print(f"{'k':>5} {'model':<5} {'intervals':<10} {'median us':>10} {'target':>7} {'iter':>5}")
    for k in SIZES:
        y, v = simulated(k)
        for method in ("DL", "REML"):
            iterations = pool(y, v, method).iterations
            for read in (False, True):
                if read:
                    time_us = per_call_us(lambda y=y, v=v, m=method: with_intervals(y, v, m))
                else:
                    time_us = per_call_us(lambda y=y, v=v, m=method: pool(y, v, m))
                target = TARGETS_K8_US.get((method, read)) if k == 8 else None
                print(
                    f"{k:5d} {method:<5} {'read' if read else 'not read':<10} {time_us:10.1f} "
                    f"{'' if target is None else f'<= {target:.0f}':>7} {iterations:5d}"
                )
    fig4a = rate_inputs("immediate")
    print("\nFig. 4a (k = 8, one study of variance 0 left out), median CPU time (us)")
    for method in ("FE", "DL", "REML", "PM"):
        time_us = per_call_us(
            lambda m=method: pool(fig4a["yi"], fig4a["vi"], m, drop_zero_variance=True)
        )
        print(f"{method:<5} {time_us:10.1f}")


if __name__ == "__main__":
    main()
