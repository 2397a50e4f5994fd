"""The robustness chapter's multiverse: its specification curves and the numbers its prose cites.

`analysis.paper.rate_multiverse` and `analysis.paper.pain_multiverse` compute every defensible
analysis; `analysis.paper.multiverse_summary` and `analysis.paper.choice_effects` summarise
them. This module draws the curves with the paper's titles (through
`analysis.charts.specification_curve`) and derives the prose's further numbers
(`RateMultiverseFacts`, `PainMultiverseFacts`).
"""

from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis.charts.specification_curve import specification_curve
from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.multiverse import PAIN_CHOICES, RATE_CHOICES, choice_effects, summary
from analysis.paper.relief_rates import TIMEPOINTS


def rate_curve(frame: pd.DataFrame, key: str) -> alt.VConcatChart:
    """The specification curve of one relief rate's multiverse (``key`` of `TIMEPOINTS`).

    Raises
    ------
    InputError
        For a key that is not a time point.
    """
    if key not in TIMEPOINTS:
        raise InputError(f"rate_curve: key={key!r} is not one of {', '.join(TIMEPOINTS)}")
    return specification_curve(
        frame,
        RATE_CHOICES,
        title=f"Patients with at least 30% pain relief {TIMEPOINTS[key].description}",
        y_title="Pooled proportion",
        axis_format=".0%",
    )


def pain_curve(frame: pd.DataFrame) -> alt.VConcatChart:
    """The specification curve of the pain-score multiverse (SMD; reference line at 0)."""
    return specification_curve(
        frame,
        PAIN_CHOICES,
        title="Change in pain score, as a standardized mean difference",
        y_title="Pooled SMD (positive: less pain)",
        axis_format=".0f",
        reference=0.0,
        decimals=1,
    )


@dataclass(frozen=True)
class RateMultiverseFacts(TidyResult):
    """A relief rate's multiverse in percent, and the choice that matters most.

    Attributes
    ----------
    min_pct, max_pct, paper_pct : float
        The smallest, largest and the paper's pooled estimate (percent).
    share_below_pct : float
        Share of the analyses below the paper's (percent).
    top_choice : str
        The choice whose options' median estimates differ most.
    top_spread : float
        That difference, in percentage points.
    kept_pct, left_out_pct : float
        The median estimate with and without the study the paper excluded (percent).
    """

    min_pct: float
    max_pct: float
    paper_pct: float
    share_below_pct: float
    top_choice: str
    top_spread: float
    kept_pct: float
    left_out_pct: float


def rate_multiverse_facts(frame: pd.DataFrame) -> RateMultiverseFacts:
    """`RateMultiverseFacts` of one `rate_multiverse` frame.

    Raises
    ------
    InputError
        When ``frame`` has no ``inclusion`` choice with options ``all`` and ``paper``.
    """
    facts = summary(frame)
    table = choice_effects(frame, RATE_CHOICES)
    effects = table.set_index(["choice", "option"])
    for option in ("all", "paper"):
        if ("inclusion", option) not in effects.index:
            raise InputError(f"rate_multiverse_facts: frame has no inclusion option {option!r}")
    top = table.sort_values("spread", ascending=False).iloc[0]
    return RateMultiverseFacts(
        min_pct=100 * facts["estimate_min"],
        max_pct=100 * facts["estimate_max"],
        paper_pct=100 * facts["paper_estimate"],
        share_below_pct=100 * facts["share_below_paper"],
        top_choice=top["choice"].replace("_", " "),
        top_spread=100 * float(top["spread"]),
        kept_pct=100 * float(effects.at[("inclusion", "all"), "median_estimate"]),
        left_out_pct=100 * float(effects.at[("inclusion", "paper"), "median_estimate"]),
    )


@dataclass(frozen=True)
class PainMultiverseFacts(TidyResult):
    """How often the pain-score analyses exclude no effect, and why not when they don't.

    Attributes
    ----------
    share_excluding_pct : float
        Share of analyses whose 95% CI excludes 0 (percent).
    hksj_share : float
        Among those whose CI includes 0, the share with a Hartung–Knapp interval (percent).
    """

    share_excluding_pct: float
    hksj_share: float


def pain_multiverse_facts(frame: pd.DataFrame) -> PainMultiverseFacts:
    """`PainMultiverseFacts` of the `pain_multiverse` frame.

    Raises
    ------
    InputError
        When ``frame`` has no ``interval`` column.
    """
    if "interval" not in frame.columns:
        raise InputError("pain_multiverse_facts: frame has no column 'interval'")
    includes_zero = frame[(frame["ci_low"] <= 0) & (frame["ci_high"] >= 0)]
    return PainMultiverseFacts(
        share_excluding_pct=100 * summary(frame, null=0.0)["share_excluding_null"],
        hksj_share=100 * float((includes_zero["interval"] == "hksj").mean()),
    )
