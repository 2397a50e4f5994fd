"""Benchmark of `analysis.pool` (not a test: timings depend on the machine).

Usage: ``python -m tests.benchmarks.bench_pool`` (``make benchmark``). Prints the median time
of each model on k = 1,000 simulated studies, and on the book's Fig. 4a inputs.
"""

import timeit

import numpy as np

from analysis import pool
from analysis.paper.relief_rates import rate_inputs


def main() -> None:
    rng = np.random.default_rng(20181)
    vi = rng.uniform(0.01, 0.5, 1000)
    yi = rng.normal(0.3, np.sqrt(vi + 0.2))
    fig4a = rate_inputs("immediate")
    cases = {"k = 1000 simulated": (yi, vi), "Fig. 4a (k = 8)": (fig4a["yi"], fig4a["vi"])}
    for label, (y, v) in cases.items():
        for method in ("FE", "DL", "REML", "PM"):
            kwargs = {"drop_zero_variance": True}
            runs = timeit.repeat(lambda: pool(y, v, method, **kwargs), number=5, repeat=5)  # noqa: B023
            result = pool(y, v, method, **kwargs)
            print(
                f"{label:>20}  {method:<4}  median {1000 * np.median(runs) / 5:8.2f} ms"
                f"  ({result.iterations} iterations)"
            )


if __name__ == "__main__":
    main()
