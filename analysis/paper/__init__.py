"""Zhao, Wang & Wang (2018): its data, its printed values, and our readings and re-analyses.

Loading and checking ``data/`` (with checksums), the printed results, Table 1, the flow of
Fig. 1, the inputs of the paper's three pooled analyses, the relief rates (Fig. 4a/4b), the
pain scores (Fig. 2/3), hepatotoxicity, adverse effects, the descriptive numbers of the
Results, and the re-analyses with current methods (robustness, multiverse). Everything that
knows this paper lives here; the statistics come from `analysis.metaanalysis`, the charts from
`analysis.charts`.
"""

from analysis.paper.adverse_effects import by_study, category_counts, side_effect_mentions
from analysis.paper.analyses import pain_analysis, paper_analyses, relief_analysis
from analysis.paper.data import load_studies, load_table
from analysis.paper.descriptives import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    reproduce_descriptives,
    subsets_with_total,
)
from analysis.paper.flow import check_flow, load_flow, reporting_table
from analysis.paper.headlines import (
    descriptives_headline,
    hepatotoxicity_headline,
    pain_headline,
    relief_headline,
)
from analysis.paper.hepatotoxicity import compare_with_paper, denominator_readings, liver_events
from analysis.paper.included_studies import (
    GAP,
    STATUS_NAMES,
    age_facts,
    claim_values,
    crps_facts,
    descriptive_attempts,
    eligibility_facts,
    participant_facts,
    span_facts,
    status_counts_of,
    status_table,
    subjects_facts,
)
from analysis.paper.multiverse import (
    PAIN_CHOICES,
    RATE_CHOICES,
    choice_effects,
    pain_multiverse,
    rate_multiverse,
)
from analysis.paper.multiverse import summary as multiverse_summary
from analysis.paper.pain_facts import (
    STANDARDIZERS,
    closest_attempt,
    fig2_attempts_table,
    fig2_facts,
    pain_data_facts,
    pain_data_table,
    paired_facts,
    paired_smds,
)
from analysis.paper.pain_scores import (
    CORRELATIONS,
    SMD_LABELS,
    attempts_frame,
    fig2_attempts,
    pain_inputs,
    paired_effects,
    paired_sensitivity,
    study_table,
    two_group_smd,
)
from analysis.paper.published import published_forest, published_pooled
from analysis.paper.relief_facts import (
    RATE_ATTEMPT_FORMATS,
    attempt_facts,
    pooled_rate_facts,
    printed_beside_ours,
    printed_rate,
    rate_attempts_table,
    rate_input_facts,
    rate_input_table,
)
from analysis.paper.relief_rates import (
    PAPER_INPUTS,
    TIMEPOINTS,
    compare_pooled,
    compare_studies,
    outside_bounds,
    pool_rates,
    rate_inputs,
    reproduction_attempts,
    round_half_up,
    with_weights,
)
from analysis.paper.robustness import PAIRED_R, pain_reanalyses, relief_reanalyses
from analysis.paper.search import flow_facts, search_facts, selection_facts
from analysis.paper.table1 import PAIN_SCALES, pain_scale, table1

__all__ = [
    "ASSUMED",
    "CORRELATIONS",
    "GAP",
    "INCONSISTENT",
    "NOT_REPRODUCIBLE",
    "PAIN_CHOICES",
    "PAIN_SCALES",
    "PAIRED_R",
    "PAPER_INPUTS",
    "RATE_ATTEMPT_FORMATS",
    "RATE_CHOICES",
    "REPRODUCED",
    "SMD_LABELS",
    "STANDARDIZERS",
    "STATUSES",
    "STATUS_NAMES",
    "TIMEPOINTS",
    "age_facts",
    "attempt_facts",
    "attempts_frame",
    "by_study",
    "category_counts",
    "check_flow",
    "choice_effects",
    "claim_values",
    "closest_attempt",
    "compare_pooled",
    "compare_studies",
    "compare_with_paper",
    "crps_facts",
    "denominator_readings",
    "descriptive_attempts",
    "descriptives_headline",
    "eligibility_facts",
    "fig2_attempts",
    "fig2_attempts_table",
    "fig2_facts",
    "flow_facts",
    "hepatotoxicity_headline",
    "liver_events",
    "load_flow",
    "load_studies",
    "load_table",
    "multiverse_summary",
    "outside_bounds",
    "pain_analysis",
    "pain_data_facts",
    "pain_data_table",
    "pain_headline",
    "pain_inputs",
    "pain_multiverse",
    "pain_reanalyses",
    "pain_scale",
    "paired_effects",
    "paired_facts",
    "paired_sensitivity",
    "paired_smds",
    "paper_analyses",
    "participant_facts",
    "pool_rates",
    "pooled_rate_facts",
    "printed_beside_ours",
    "printed_rate",
    "published_forest",
    "published_pooled",
    "rate_attempts_table",
    "rate_input_facts",
    "rate_input_table",
    "rate_inputs",
    "rate_multiverse",
    "relief_analysis",
    "relief_headline",
    "relief_reanalyses",
    "reporting_table",
    "reproduce_descriptives",
    "reproduction_attempts",
    "round_half_up",
    "search_facts",
    "selection_facts",
    "side_effect_mentions",
    "span_facts",
    "status_counts_of",
    "status_table",
    "study_table",
    "subjects_facts",
    "subsets_with_total",
    "table1",
    "two_group_smd",
    "with_weights",
]
