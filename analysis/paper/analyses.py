"""The paper's three pooled analyses, as it ran them, in one place.

Chapters that examine heterogeneity, influence, publication bias or robustness all start from
the same study-level effects: the two relief rates of Fig. 4a and 4b (raw proportions with
their Wald variances, the zero-variance study left out as Stata left it out), and the pain-score
SMD of Fig. 2 in its closest reproduction (the ten studies Fig. 2 lists, Cohen's d as two
independent groups, Stata ``metan``'s default).
"""

from dataclasses import dataclass

import numpy as np

from analysis.metaanalysis.results import TidyResult
from analysis.paper.pain_scores import pain_inputs, two_group_smd
from analysis.paper.relief_rates import TIMEPOINTS, rate_inputs


@dataclass(frozen=True)
class Analysis(TidyResult):
    """Study-level effects of one pooled analysis.

    Attributes
    ----------
    key : str
        ``"relief_immediate"``, ``"relief_followup"`` or ``"pain_smd"`` (as in
        ``data/published_pooled.csv``).
    title : str
        What is pooled, for headings and tables.
    figure : str
        The paper's figure.
    measure : str
        The effect size: ``"PR"`` (raw proportion) or ``"SMD-cohen"``.
    study_ids, labels : tuple of str
        The studies pooled, in Table 1 order.
    yi, vi : tuple of float
        Their effects and sampling variances.
    """

    key: str
    title: str
    figure: str
    measure: str
    study_ids: tuple[str, ...]
    labels: tuple[str, ...]
    yi: tuple[float, ...]
    vi: tuple[float, ...]

    @property
    def k(self) -> int:
        """Number of studies."""
        return len(self.yi)


def relief_analysis(key: str) -> Analysis:
    """Fig. 4a (``"immediate"``) or 4b (``"followup"``) as the paper pooled it."""
    point = TIMEPOINTS[key]
    inputs = rate_inputs(key)
    pooled = inputs[np.asarray(inputs["vi"]) > 0]
    return Analysis(
        key=point.analysis_id,
        title=f"Patients with at least 30% pain relief {point.description}",
        figure=point.figure,
        measure="PR",
        study_ids=tuple(pooled["study_id"]),
        labels=tuple(pooled["label"]),
        yi=tuple(pooled["yi"].astype(float)),
        vi=tuple(pooled["vi"].astype(float)),
    )


def pain_analysis() -> Analysis:
    """Fig. 2 in its closest reproduction: Fig. 2's ten studies, Cohen's d as two groups."""
    frame = pain_inputs("fig2")
    effects = two_group_smd(frame, "cohen")
    return Analysis(
        key="pain_smd",
        title="Pain score, baseline minus end of treatment (SMD)",
        figure="2",
        measure=effects.measure,
        study_ids=tuple(frame["study_id"]),
        labels=tuple(frame["label"]),
        yi=effects.yi,
        vi=effects.vi,
    )


def paper_analyses() -> dict[str, Analysis]:
    """All three analyses, keyed as in ``data/published_pooled.csv``."""
    analyses = [relief_analysis("immediate"), relief_analysis("followup"), pain_analysis()]
    return {analysis.key: analysis for analysis in analyses}
