"""Zhao, Wang & Wang (2018): its data, its printed values, and our readings and re-analyses.

Loading and checking ``data/`` (with checksums), the printed results, Table 1, the flow of
Fig. 1, the inputs of the paper's three pooled analyses, the relief rates (Fig. 4a/4b), the
pain scores (Fig. 2/3), hepatotoxicity, adverse effects, the descriptive numbers of the
Results, and the re-analyses with current methods (robustness, multiverse). Every printed
number is judged against our readings of it by one engine, `analysis.paper.readings` (its four
statuses are exported here). Everything that knows this paper lives here; the statistics come
from `analysis.metaanalysis`, the charts from `analysis.charts`.
"""

from analysis.charts.formatting import round_half_up
from analysis.paper.adverse_effects import by_study, category_counts, side_effect_mentions
from analysis.paper.analyses import pain_analysis, paper_analyses, relief_analysis
from analysis.paper.data import load_studies, load_table
from analysis.paper.descriptives import reproduce_descriptives, subsets_with_total
from analysis.paper.flow import check_flow, load_flow, reporting_table
from analysis.paper.hepatotoxicity import (
    compare_with_paper,
    denominator_judgement,
    denominator_readings,
    liver_events,
)
from analysis.paper.heterogeneity import (
    ANALYSIS_TITLES,
    POOLED_AXIS_TITLES,
    estimator_facts,
    estimator_table,
    heterogeneity_facts,
    heterogeneity_table,
    influence_facts,
    pain_interval_facts,
    pain_p_claim,
    pain_sd_spread,
    without_study,
)
from analysis.paper.later_results import later_results_table
from analysis.paper.liver_rates import (
    denominator_facts,
    liver_rate_points,
    liver_reading_facts,
    liver_study_facts,
    paper_rate_facts,
    readings_table,
    side_effect_facts,
)
from analysis.paper.multiverse import (
    PAIN_CHOICES,
    RATE_CHOICES,
    choice_effects,
    pain_multiverse,
    rate_multiverse,
)
from analysis.paper.multiverse import summary as multiverse_summary
from analysis.paper.multiverse_report import (
    pain_curve,
    pain_multiverse_facts,
    rate_curve,
    rate_multiverse_facts,
)
from analysis.paper.pain_scores import (
    CORRELATIONS,
    SMD_LABELS,
    attempts_frame,
    fig2_attempts,
    fig2_judgement,
    pain_inputs,
    paired_effects,
    paired_sensitivity,
    study_table,
    two_group_smd,
)
from analysis.paper.publication_bias import (
    bias_test_facts,
    bias_tests_table,
    own_test_facts,
    pain_contour_funnel,
    pain_funnel,
    pain_funnel_facts,
    relief_contour_funnel,
    relief_funnel,
    relief_trim_fill_funnel,
    trim_fill_facts,
)
from analysis.paper.published import published_forest, published_pooled
from analysis.paper.readings import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    Judgement,
    PrintedNumber,
    Reading,
    judge,
    judge_alternatives,
    reading,
)
from analysis.paper.reanalysis_tables import (
    PAIN_REANALYSES,
    RELIEF_REANALYSES,
    in_percent,
    pain_reanalysis_table,
    relief_reanalysis_table,
)
from analysis.paper.relief_rates import (
    PAPER_INPUTS,
    TIMEPOINTS,
    compare_pooled,
    compare_studies,
    input_readings,
    outside_bounds,
    pool_rates,
    rate_inputs,
    reproduction_attempts,
    with_weights,
)
from analysis.paper.robustness import PAIRED_R, pain_reanalyses, relief_reanalyses
from analysis.paper.table1 import PAIN_SCALES, pain_scale, table1

__all__ = [
    "ANALYSIS_TITLES",
    "ASSUMED",
    "CORRELATIONS",
    "INCONSISTENT",
    "NOT_REPRODUCIBLE",
    "PAIN_CHOICES",
    "PAIN_REANALYSES",
    "PAIN_SCALES",
    "PAIRED_R",
    "PAPER_INPUTS",
    "POOLED_AXIS_TITLES",
    "RATE_CHOICES",
    "RELIEF_REANALYSES",
    "REPRODUCED",
    "SMD_LABELS",
    "STATUSES",
    "TIMEPOINTS",
    "Judgement",
    "PrintedNumber",
    "Reading",
    "attempts_frame",
    "bias_test_facts",
    "bias_tests_table",
    "by_study",
    "category_counts",
    "check_flow",
    "choice_effects",
    "compare_pooled",
    "compare_studies",
    "compare_with_paper",
    "denominator_facts",
    "denominator_judgement",
    "denominator_readings",
    "estimator_facts",
    "estimator_table",
    "fig2_attempts",
    "fig2_judgement",
    "heterogeneity_facts",
    "heterogeneity_table",
    "in_percent",
    "influence_facts",
    "input_readings",
    "judge",
    "judge_alternatives",
    "later_results_table",
    "liver_events",
    "liver_rate_points",
    "liver_reading_facts",
    "liver_study_facts",
    "load_flow",
    "load_studies",
    "load_table",
    "multiverse_summary",
    "outside_bounds",
    "own_test_facts",
    "pain_analysis",
    "pain_contour_funnel",
    "pain_curve",
    "pain_funnel",
    "pain_funnel_facts",
    "pain_inputs",
    "pain_interval_facts",
    "pain_multiverse",
    "pain_multiverse_facts",
    "pain_p_claim",
    "pain_reanalyses",
    "pain_reanalysis_table",
    "pain_scale",
    "pain_sd_spread",
    "paired_effects",
    "paired_sensitivity",
    "paper_analyses",
    "paper_rate_facts",
    "pool_rates",
    "published_forest",
    "published_pooled",
    "rate_curve",
    "rate_inputs",
    "rate_multiverse",
    "rate_multiverse_facts",
    "reading",
    "readings_table",
    "relief_analysis",
    "relief_contour_funnel",
    "relief_funnel",
    "relief_reanalyses",
    "relief_reanalysis_table",
    "relief_trim_fill_funnel",
    "reporting_table",
    "reproduce_descriptives",
    "reproduction_attempts",
    "round_half_up",
    "side_effect_facts",
    "side_effect_mentions",
    "study_table",
    "subsets_with_total",
    "table1",
    "trim_fill_facts",
    "two_group_smd",
    "with_weights",
    "without_study",
]
