"""Analysis package of the ketamine–CRPS book: data, effect sizes, pooling and plots.

The chapters of the book call these functions; the tests check them against R's metafor.
"""

from analysis.effect_sizes import EffectSizes, raw_proportions, wald_intervals
from analysis.errors import ConvergenceError, DataFileError, InputError
from analysis.influence import Baujat, LeaveOneOut, baujat, leave_one_out
from analysis.pooling import CI_METHODS, METHODS, PoolResult, pool, prediction_interval

__all__ = [
    "CI_METHODS",
    "METHODS",
    "Baujat",
    "ConvergenceError",
    "DataFileError",
    "EffectSizes",
    "InputError",
    "LeaveOneOut",
    "PoolResult",
    "baujat",
    "leave_one_out",
    "pool",
    "prediction_interval",
    "raw_proportions",
    "wald_intervals",
]
