"""A small library of meta-analysis statistics, independent of any one paper.

Effect sizes for proportions and means, estimators of tau², inverse-variance pooling (common
effect and random effects, Wald and Hartung–Knapp intervals), heterogeneity with Q-profile
intervals, influence diagnostics, small-study tests (Egger, Begg, trim and fill), models for
single proportions (logit, Freeman–Tukey, the binomial–normal GLMM), binomial intervals,
meta-regression on study-level moderators, cumulative meta-analysis and the pooled result of
every subset of the studies; and `pool_batch` and `glmm_batch`, `pool` and `glmm_proportions`
over the rows of an array at once, for simulations.
Every function is checked against R's metafor (``tests/library``). Every result is a frozen
dataclass that shows itself: ``to_frame()`` gives a tidy pandas DataFrame, and in Jupyter it is
drawn as a table (`TidyResult`).

This room imports nothing else of ``analysis``: it reads no data file, names no study and draws
no chart. The rooms above it (charts, paper, audit) import from here.
"""

from analysis.metaanalysis.batch import BatchPoolResult, pool_batch
from analysis.metaanalysis.bias import (
    RECOMMENDED_MIN_STUDIES,
    BeggResult,
    EggerResult,
    TrimFillResult,
    begg,
    egger,
    trim_and_fill,
)
from analysis.metaanalysis.binomial import BinomialIntervals, binomial_interval
from analysis.metaanalysis.cumulative import Cumulative, cumulative
from analysis.metaanalysis.effect_sizes import EffectSizes, raw_proportions, wald_intervals
from analysis.metaanalysis.errors import ConvergenceError, DataFileError, InputError
from analysis.metaanalysis.glmm import GlmmResult, glmm_proportions
from analysis.metaanalysis.glmm_batch import BatchGlmmResult, glmm_batch
from analysis.metaanalysis.influence import Baujat, LeaveOneOut, baujat, leave_one_out
from analysis.metaanalysis.mean_effects import (
    SMD_METHODS,
    mean_difference,
    paired_mean_difference,
    paired_standardized_mean_difference,
    standardized_mean_difference,
)
from analysis.metaanalysis.meta_regression import (
    REGRESSION_METHODS,
    REGRESSION_TESTS,
    Coefficients,
    MetaRegression,
    meta_regression,
)
from analysis.metaanalysis.pooling import (
    CI_METHODS,
    METHODS,
    PoolResult,
    pool,
    prediction_interval,
)
from analysis.metaanalysis.proportions import (
    ProportionPool,
    pool_proportions,
    proportion_effect_sizes,
)
from analysis.metaanalysis.results import TidyResult
from analysis.metaanalysis.subsets import MAX_SUBSET_STUDIES, SubsetPools, every_subset

__all__ = [
    "CI_METHODS",
    "MAX_SUBSET_STUDIES",
    "METHODS",
    "RECOMMENDED_MIN_STUDIES",
    "REGRESSION_METHODS",
    "REGRESSION_TESTS",
    "SMD_METHODS",
    "BatchGlmmResult",
    "BatchPoolResult",
    "Baujat",
    "BeggResult",
    "BinomialIntervals",
    "Coefficients",
    "ConvergenceError",
    "Cumulative",
    "DataFileError",
    "EffectSizes",
    "EggerResult",
    "GlmmResult",
    "InputError",
    "LeaveOneOut",
    "MetaRegression",
    "PoolResult",
    "ProportionPool",
    "SubsetPools",
    "TidyResult",
    "TrimFillResult",
    "baujat",
    "begg",
    "binomial_interval",
    "cumulative",
    "egger",
    "every_subset",
    "glmm_batch",
    "glmm_proportions",
    "leave_one_out",
    "mean_difference",
    "meta_regression",
    "paired_mean_difference",
    "paired_standardized_mean_difference",
    "pool",
    "pool_batch",
    "pool_proportions",
    "prediction_interval",
    "proportion_effect_sizes",
    "raw_proportions",
    "standardized_mean_difference",
    "trim_and_fill",
    "wald_intervals",
]
