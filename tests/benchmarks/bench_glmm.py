"""How long the models for proportions take: a benchmark, not a test (nothing is asserted).

Usage: ``.venv/bin/python -m tests.benchmarks.bench_glmm [repeats]``

Fits every case of tests/reference/metafor_proportions.json that has a GLMM reference (the two
relief-rate analyses, metafor's example data, simulated data) ``repeats`` times (default 20)
and prints, per case, the number of studies, the optimizer's iterations and the median and
fastest wall-clock time of one `glmm_proportions` fit; then the same for `pool_proportions`.
"""

import statistics
import sys
import time

from analysis import glmm_proportions, pool_proportions
from tests.conftest import load_reference


def timings(function, repeats: int) -> list[float]:
    """Wall-clock seconds of ``repeats`` calls of ``function()``, after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str]) -> int:
    repeats = int(argv[0]) if argv else 20
    cases = [c for c in load_reference("metafor_proportions.json")["cases"] if c["glmm"]]
    print(f"{'case':26} {'k':>3} {'iter':>4} {'median ms':>10} {'fastest ms':>10}")
    for case in cases:
        x, n = case["xi"], case["ni"]
        result = glmm_proportions(x, n)
        times = timings(lambda x=x, n=n: glmm_proportions(x, n), repeats)
        print(
            f"{case['name']:26} {len(x):3d} {result.iterations:4d} "
            f"{1000 * statistics.median(times):10.1f} {1000 * min(times):10.1f}"
        )
    case = cases[0]
    for measure in ("PLO", "PFT"):
        times = timings(lambda m=measure: pool_proportions(case["xi"], case["ni"], m), repeats)
        print(
            f"pool_proportions {measure} DL, {case['name']}: "
            f"median {1000 * statistics.median(times):.2f} ms, "
            f"fastest {1000 * min(times):.2f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
