"""DerSimonian–Laird pooling side by side: this package, statsmodels, PyMARE, metafor, numpy.

Usage: ``python -m tests.benchmarks.bench_peers`` (``make benchmark``, which runs it in the
benchmark environment ``.venv-bench`` where statsmodels and PyMARE are installed; they are not
part of the book). Not a test: timings depend on the machine.

Each tool fits the same simulated studies (k = 8, 100, 1000) and returns the same results: the
pooled estimate with its 95% interval, Cochran's Q, I² and tau². Times are medians of CPU time
per fit (``time.process_time``) over repeated runs, in microseconds, with each tool's ratio to
this package's `pool` (above 1: slower than ours). The numpy line is a bare DerSimonian–Laird
in a few array operations, the floor any of them could reach. metafor runs in Rscript when R
is installed (``rma(yi, vi, method = "DL")``, timed inside R, so R's start-up does not count).
The batch lines fit 100,000 meta-analyses of k = 8 at once where a tool can.
"""

import json
import shutil
import subprocess
import tempfile
import time
import timeit
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import special

from analysis import pool

SIZES = (8, 100, 1000)
BATCH = (100_000, 8)
Z975 = float(special.ndtri(0.975))
METAFOR = """
library(metafor)
d <- jsonlite::fromJSON("{path}")
out <- list()
for (case in names(d)) {{
  yi <- d[[case]]$yi; vi <- d[[case]]$vi
  runs <- sapply(1:5, function(i) {{
    t0 <- proc.time()[["user.self"]] + proc.time()[["sys.self"]]
    for (j in 1:{number}) rma(yi, vi, method = "DL")
    (proc.time()[["user.self"]] + proc.time()[["sys.self"]] - t0) / {number}
  }})
  out[[case]] <- median(runs)
}}
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA))
"""


def numpy_dl(y: np.ndarray, v: np.ndarray) -> tuple:
    """DerSimonian–Laird in bare numpy (rows are meta-analyses when ``y`` is 2-D)."""
    w = 1.0 / v
    sw = w.sum(axis=-1)
    fixed = (w * y).sum(axis=-1) / sw
    q = (w * (y - fixed[..., None]) ** 2).sum(axis=-1)
    df = y.shape[-1] - 1
    tau2 = np.maximum(0.0, (q - df) / (sw - (w * w).sum(axis=-1) / sw))
    wr = 1.0 / (v + tau2[..., None])
    estimate = (wr * y).sum(axis=-1) / wr.sum(axis=-1)
    half = Z975 / np.sqrt(wr.sum(axis=-1))
    i2 = np.where(q > df, 100.0 * (q - df) / np.where(q > 0, q, 1.0), 0.0)
    return estimate, estimate - half, estimate + half, q, i2, tau2


def _cpu_median(call: Callable[[], object], number: int) -> float:
    runs = timeit.Timer(call, timer=time.process_time).repeat(repeat=5, number=number)
    return float(np.median(runs)) / number


def _studies(k: int, rng: np.random.Generator, rows: int | None = None) -> tuple:
    shape = (k,) if rows is None else (rows, k)
    v = rng.uniform(0.01, 0.5, shape)
    return rng.normal(0.3, np.sqrt(v + 0.1)), v


def _peers() -> dict[str, Callable]:
    """The other Python tools that are installed, each as a function of (y, v)."""
    found = {}
    try:
        from statsmodels.stats.meta_analysis import combine_effects

        def statsmodels_dl(y, v):
            r = combine_effects(y, v, method_re="dl")
            return r.mean_effect_re, r.conf_int(use_t=False)[1], r.q, r.i2, r.tau2

        found["statsmodels combine_effects"] = statsmodels_dl
    except ImportError:
        pass
    try:
        from pymare import Dataset
        from pymare.estimators import DerSimonianLaird

        def pymare_dl(y, v):
            summary = DerSimonianLaird().fit_dataset(Dataset(y=y, v=v)).summary()
            return summary.get_fe_stats(), summary.get_heterogeneity_stats()

        found["PyMARE DerSimonianLaird"] = pymare_dl
    except ImportError:
        pass
    return found


def _metafor(cases: dict[str, tuple]) -> dict[str, float]:
    if shutil.which("Rscript") is None:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.json"
        data = {name: {"yi": y.tolist(), "vi": v.tolist()} for name, (y, v) in cases.items()}
        path.write_text(json.dumps(data))
        done = subprocess.run(
            ["Rscript", "-e", METAFOR.format(path=path, number=50)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        print(f"metafor: Rscript failed: {done.stderr.strip().splitlines()[-1:]}")
        return {}
    return {name: float(seconds) for name, seconds in json.loads(done.stdout).items()}


def _row(name: str, seconds: float, ours: float) -> str:
    return f"  {name:<34} {1e6 * seconds:>12,.1f} µs   {seconds / ours:>7.2f}×"


def per_fit(rng: np.random.Generator) -> None:
    """One meta-analysis per call, k = 8, 100 and 1000."""
    cases = {f"k = {k}": _studies(k, rng) for k in SIZES}
    metafor = _metafor(cases)
    for case, (y, v) in cases.items():
        print(f"\nOne fit, {case} (median CPU time per fit; ratio to ours)")
        ours = _cpu_median(lambda: pool(y, v, "DL"), 200)  # noqa: B023
        print(_row("this package: pool", ours, ours))
        with_qp = _cpu_median(lambda: pool(y, v, "DL").tau2_ci, 100)  # noqa: B023
        print(_row("pool, Q-profile interval read", with_qp, ours))
        for name, fit in _peers().items():
            print(_row(name, _cpu_median(lambda: fit(y, v), 100), ours))  # noqa: B023
        if case in metafor:
            print(_row("metafor rma (R)", metafor[case], ours))
        print(_row("bare numpy (the floor)", _cpu_median(lambda: numpy_dl(y, v), 2000), ours))  # noqa: B023


def batch(rng: np.random.Generator) -> None:
    """100,000 meta-analyses of k = 8 at once, where a tool can take them together."""
    rows, k = BATCH
    y, v = _studies(k, rng, rows)
    print(f"\n{rows:,} meta-analyses of k = {k} (median CPU time for all; analyses per second)")
    loop = _cpu_median(lambda: [pool(y[i], v[i], "DL") for i in range(1000)], 1) * rows / 1000
    lines = [("this package: pool in a loop (from 1,000)", loop)]
    try:
        from analysis.metaanalysis import pool_batch

        lines.append(("this package: pool_batch", _cpu_median(lambda: pool_batch(y, v, "DL"), 3)))
    except ImportError:
        pass
    if "PyMARE DerSimonianLaird" in (peers := _peers()):
        fit = peers["PyMARE DerSimonianLaird"]
        lines.append(("PyMARE, one 2-D data set", _cpu_median(lambda: fit(y.T, v.T), 3)))
    lines.append(("bare numpy (the floor)", _cpu_median(lambda: numpy_dl(y, v), 3)))
    for name, seconds in lines:
        print(f"  {name:<42} {seconds:>9.3f} s   {rows / seconds:>14,.0f} /s")


def main() -> None:
    warnings.simplefilter("ignore")  # the peers' deprecation and runtime notices
    rng = np.random.default_rng(20181)
    per_fit(rng)
    batch(rng)


if __name__ == "__main__":
    main()
