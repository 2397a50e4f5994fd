"""Analysis package of the ketamine–CRPS book: data, effect sizes, pooling and plots.

The chapters of the book call these functions; the tests check them against R's metafor.
"""

from analysis.effect_sizes import EffectSizes, raw_proportions, wald_intervals
from analysis.errors import ConvergenceError, DataFileError, InputError
from analysis.glmm import GlmmResult, glmm_proportions
from analysis.influence import Baujat, LeaveOneOut, baujat, leave_one_out
from analysis.pooling import CI_METHODS, METHODS, PoolResult, pool, prediction_interval
from analysis.proportions import ProportionPool, pool_proportions, proportion_effect_sizes

__all__ = [
    "CI_METHODS",
    "METHODS",
    "Baujat",
    "ConvergenceError",
    "DataFileError",
    "EffectSizes",
    "GlmmResult",
    "InputError",
    "LeaveOneOut",
    "PoolResult",
    "ProportionPool",
    "baujat",
    "glmm_proportions",
    "leave_one_out",
    "pool",
    "pool_proportions",
    "prediction_interval",
    "proportion_effect_sizes",
    "raw_proportions",
    "wald_intervals",
]
