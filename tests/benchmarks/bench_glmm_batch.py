"""Benchmark of `analysis.glmm_batch` (not a test: timings depend on the machine).

Usage: ``python -m tests.benchmarks.bench_glmm_batch`` (``make benchmark``). Fits the
binomial–normal GLMM to B = 10,000 simulated meta-analyses of k = 8 studies of 10 to 40
patients (the simulation chapter's size, issue 14 item 6) with `glmm_batch`, and a loop of
`glmm_proportions` over 300 of them, and prints the median CPU time, the fits per second, the
ratio, the rows handed to the scalar fit, and whether the target (B = 10,000 in at most 2 s)
is met. CPU time (process time), so that other work on a shared machine counts less than in
wall time.
"""

import time
import timeit

import numpy as np

from analysis import glmm_batch, glmm_proportions

ROWS = 10_000
STUDIES = 8
LOOP_ROWS = 300
REPEATS = 5
TARGET_SECONDS = 2.0


def simulated(rows: int, k: int, seed: int = 20181) -> tuple[np.ndarray, np.ndarray]:
    """Events and patients of ``rows`` meta-analyses of ``k`` studies of 10 to 40 patients,
    binomial–normal with ``mu = logit(0.6)`` and ``tau = 0.5``."""
    rng = np.random.default_rng(seed)
    n = rng.integers(10, 41, (rows, k))
    logits = np.log(0.6 / 0.4) + 0.5 * rng.standard_normal((rows, k))
    return rng.binomial(n, 1 / (1 + np.exp(-logits))), n


def median_cpu_seconds(call, repeats: int = REPEATS) -> float:
    return float(np.median(timeit.Timer(call, timer=time.process_time).repeat(repeats, 1)))


def main() -> None:
    events, n = simulated(ROWS, STUDIES)
    result = glmm_batch(events, n)
    batch = median_cpu_seconds(lambda: glmm_batch(events, n))
    rows = list(zip(events[:LOOP_ROWS], n[:LOOP_ROWS], strict=True))
    loop = median_cpu_seconds(lambda: [glmm_proportions(x, size) for x, size in rows], 3)
    batch_rate, loop_rate = ROWS / batch, LOOP_ROWS / loop
    verdict = "met" if batch <= TARGET_SECONDS else "NOT met"
    print(
        f"glmm_batch, B = {ROWS:,} meta-analyses of k = {STUDIES} (CPU time, median of "
        f"{REPEATS}); glmm_proportions in a loop over {LOOP_ROWS} of them\n"
        f"  batch {batch:6.2f} s  {batch_rate:>8,.0f} fits/s  (target <= {TARGET_SECONDS:g} s: "
        f"{verdict}; {int(result.fallback.sum())} rows fitted by glmm_proportions, "
        f"{int((~result.estimable).sum())} not estimable)\n"
        f"  glmm_proportions loop {loop_rate:>8,.0f} fits/s  ratio {batch_rate / loop_rate:6,.0f}x"
    )


if __name__ == "__main__":
    main()
