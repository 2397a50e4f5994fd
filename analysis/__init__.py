"""Analysis package of the ketamine–CRPS book: data, effect sizes, pooling and plots.

The chapters of the book call these functions; the tests check them against R's metafor.
"""

from analysis.effect_sizes import EffectSizes, raw_proportions, wald_intervals
from analysis.errors import DataFileError, InputError
from analysis.pooling import METHODS, PoolResult, pool

__all__ = [
    "METHODS",
    "DataFileError",
    "EffectSizes",
    "InputError",
    "PoolResult",
    "pool",
    "raw_proportions",
    "wald_intervals",
]
