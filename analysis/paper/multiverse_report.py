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
from analysis.paper.multiverse import (
    PAIN_CHOICES,
    RATE_CHOICES,
    choice_effects,
    endorsed_spread,
    summary,
)
from analysis.paper.published import published_pooled
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


NEAR_TOP = 0.75
"""The share of analyses below the paper's from which the paper's estimate is "near the top"
(and at most one minus it, "near the bottom")."""
WIDE_PI = 0.3
"""A prediction interval of a share at least this wide (30 percentage points) is wide."""
MAJORITY, ABOUT_HALF = 0.5, (0.35, 0.65)
"""A share above `MAJORITY` is "a majority"; one within `ABOUT_HALF` is "about half"."""


@dataclass(frozen=True)
class RobustnessWords(TidyResult):
    """The words the robustness chapter chooses, from the re-analyses and the multiverses.

    Attributes
    ----------
    paper_printed : str
        The paper's printed pooled shares, ``"69% and 58%"``.
    zero_study : str
        ``"the study in which nobody responded"`` when one study had 0% responders right
        after treatment, else ``"every study"`` (what the counts keep).
    zero_study_choice : str
        The inclusion choice of the multiverse, in words.
    two_n : str
        The studies with two sample sizes, for the sample-size choice (``"Schwartzman
        2009"``), or ``"no study"``.
    overlap : str
        How the binomial–normal CIs compare with the paper's: "overlap widely" (by at least
        half of the shorter), "overlap" or "do not overlap".
    pain_moved : str
        ``"fell"`` or ``"rose"``: the direction of the mean change in points.
    pain_pi_words : str
        What the prediction interval of the points means for a new setting.
    immediate_position : str
        Where the paper's immediate estimate lies in its multiverse ("near the top", "near
        the bottom", "in the middle"; `NEAR_TOP`).
    top_tail : str
        What the choice that matters most right after treatment does.
    followup_around : str
        How the follow-up multiverse lies around the paper's estimate: ``"around"``, or ``"the
        highest being"`` / ``"the lowest being"`` when the paper's is the largest / smallest.
    holds : str
        MyST. The bullet on what holds.
    does_not_hold : str
        MyST. The bullet on what does not hold (with the paper's "p <" bound).
    """

    paper_printed: str
    zero_study: str
    zero_study_choice: str
    two_n: str
    overlap: str
    pain_moved: str
    pain_pi_words: str
    immediate_position: str
    top_tail: str
    followup_around: str
    holds: str
    does_not_hold: str


def _overlap(a, b) -> str:
    shared = min(a.ci_high, b.ci_high) - max(a.ci_low, b.ci_low)
    shorter = min(a.ci_high - a.ci_low, b.ci_high - b.ci_low)
    if shared <= 0:
        return "do not overlap"
    return "overlap widely" if shared >= shorter / 2 else "overlap"


def robustness_words(
    relief: dict,
    pain: list,
    multiverse: dict[str, pd.DataFrame],
    pain_specs: pd.DataFrame,
    studies: pd.DataFrame,
    p_claim: str,
) -> RobustnessWords:
    """`RobustnessWords` from `relief_reanalyses` (by time point, rows in the order of
    `analysis.paper.RELIEF_REANALYSES`), `pain_reanalyses`, the multiverses, Table 1 and the
    paper's printed p-value bound for the pain scores.

    Raises
    ------
    InputError
        When a time point is missing, or ``studies`` lacks a column the words need.
    """
    for key in TIMEPOINTS:
        if key not in relief or key not in multiverse:
            raise InputError(f"robustness_words: no re-analysis or multiverse of {key!r}")
    for column in ("label", "n_enrolled", "relief_immediate_pct"):
        if column not in studies.columns:
            raise InputError(f"robustness_words: studies has no column {column!r}")
    printed = [published_pooled(TIMEPOINTS[key].analysis_id)["estimate"] for key in TIMEPOINTS]
    zero = (studies["relief_immediate_pct"].astype(float) == 0).sum() == 1
    two = studies.loc[studies["n_enrolled"].notna(), "label"]
    overlaps = {_overlap(relief[key][0], relief[key][-1]) for key in TIMEPOINTS}
    overlap = next(w for w in ("do not overlap", "overlap", "overlap widely") if w in overlaps)
    points = pain[-1]
    moved = "fell" if points.estimate >= 0 else "rose"
    if points.pi_low <= 0 <= points.pi_high:
        pi_words = "in a new setting, pain could fall a lot, or not at all"
    elif points.pi_low > 0:
        pi_words = "in a new setting, pain would fall too, by more or less"
    else:
        pi_words = "in a new setting, pain could rise"
    facts = {key: rate_multiverse_facts(frame) for key, frame in multiverse.items()}
    share = facts["immediate"].share_below_pct / 100
    position = (
        "near the top"
        if share >= NEAR_TOP
        else "near the bottom"
        if share <= 1 - NEAR_TOP
        else "in the middle"
    )
    immediate = facts["immediate"]
    study = "the study in which nobody responded" if zero else "the study the paper excluded"
    if f"{immediate.kept_pct:.0f}" == f"{immediate.left_out_pct:.0f}":
        top_tail = f"whether {study} is kept makes no difference to the median"
    elif immediate.top_choice == "inclusion":
        top_tail = (
            f"keeping {study} gives a median of {immediate.kept_pct:.0f}%, leaving it out "
            f"{immediate.left_out_pct:.0f}%"
        )
    else:
        top_tail = (
            f"keeping or leaving out {study} moves the median from "
            f"{immediate.kept_pct:.0f}% to {immediate.left_out_pct:.0f}%"
        )
    follow = facts["followup"]
    if follow.paper_pct >= follow.max_pct:
        around = "the highest being"
    elif follow.paper_pct <= follow.min_pct:
        around = "the lowest being"
    else:
        around = "around"
    spreads = {key: endorsed_spread(frame) for key, frame in multiverse.items()}
    low, high = 100 * spreads["immediate"].low, 100 * spreads["immediate"].high
    if low > 100 * MAJORITY:
        first = "a majority of patients in these studies reported"
    else:
        first = "the share of patients in these studies who reported"
    f_low, f_high = 100 * spreads["followup"].low, 100 * spreads["followup"].high
    if 100 * ABOUT_HALF[0] <= f_low and f_high <= 100 * ABOUT_HALF[1]:
        later = "about half still did"
    elif f_low > 100 * MAJORITY:
        later = "a majority still did"
    else:
        later = "fewer still did"
    fell = (pain_specs["estimate"] > 0).mean()
    pain_sentence = (
        "Pain scores fell on average in every analysis."
        if fell == 1
        else f"Pain scores fell on average in {100 * fell:.0f}% of the analyses."
    )
    holds = (
        f"**Holds:** on average, {first} at least 30% less pain right after ketamine (the "
        f"analyses we endorse give {low:.0f}% to {high:.0f}%), and {later} one to three months "
        f"later ({f_low:.0f}% to {f_high:.0f}%; ranges of estimates, not intervals). "
        f"{pain_sentence}"
    )
    if first.startswith("the share"):
        holds = holds.replace(
            "reported at least 30% less pain right after ketamine (the",
            "reported at least 30% less pain right after ketamine depends on the analysis (the",
        )
    why = (
        ", mostly because it dropped "
        + ("the one study with no responders" if zero else "one study")
        if immediate.top_choice == "inclusion"
        else ""
    )
    excluding = summary(pain_specs, null=0.0)["share_excluding_null"]
    p_words = (
        "depends on the least conservative model" if excluding < 1 else "holds in every analysis"
    )
    wide = all(relief[key][-1].pi_high - relief[key][-1].pi_low >= WIDE_PI for key in TIMEPOINTS)
    clinic = (
        "And no single percentage describes what a new clinic will see: the prediction "
        "intervals are wide in every analysis."
        if wide
        else "The prediction intervals are not wide in every analysis."
    )
    does_not = (
        f"**Does not hold:** the precision the paper suggests. The paper's immediate estimate "
        f'sits {position} of what the data allow{why}. Its "p < {p_claim}" for pain scores '
        f"{p_words}. {clinic}"
    )
    return RobustnessWords(
        paper_printed=" and ".join(f"{100 * v:.0f}%" for v in printed),
        zero_study=study if zero else "every study",
        zero_study_choice=(
            "whether the study with 0% responders is kept"
            if zero
            else "whether the study the paper excluded is kept"
        ),
        two_n=" and ".join(two) if len(two) else "no study",
        overlap=overlap,
        pain_moved=moved,
        pain_pi_words=pi_words,
        immediate_position=position,
        top_tail=top_tail,
        followup_around=around,
        holds=holds,
        does_not_hold=does_not,
    )
