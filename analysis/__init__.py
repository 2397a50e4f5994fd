"""Analysis package of the ketamine–CRPS book: data, effect sizes, pooling and plots.

The chapters of the book call these functions; the tests check them against R's metafor.
"""

from analysis.effect_sizes import EffectSizes, raw_proportions, wald_intervals
from analysis.errors import ConvergenceError, DataFileError, InputError
from analysis.glmm import GlmmResult, glmm_proportions
from analysis.pooling import METHODS, PoolResult, pool
from analysis.proportions import ProportionPool, pool_proportions, proportion_effect_sizes

__all__ = [
    "METHODS",
    "ConvergenceError",
    "DataFileError",
    "EffectSizes",
    "GlmmResult",
    "InputError",
    "PoolResult",
    "ProportionPool",
    "glmm_proportions",
    "pool",
    "pool_proportions",
    "proportion_effect_sizes",
    "raw_proportions",
    "wald_intervals",
]
