"""Each claim's status follows from the audit's stated definitions.

Source of the definitions: `analysis.audit.rules.DEFINITIONS`, which the Audit chapter
(book/08-audit.md, "How a claim is judged") prints. The checks below restate each definition as
a condition on what a claim carries (its printed value, our value, the assumption it names, the
other printed value it names) and are written here, apart from the code that classifies; they
compare text, with no tolerance. A claim given a status its evidence does not support fails by
name.
"""

import dataclasses
import re
from functools import cache

from analysis.audit import Claim, audit_claims
from analysis.audit.rules import DEFINITIONS, shows
from analysis.paper.readings import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUS_KEYS,
    STATUSES,
)
from tests.conftest import REPO_ROOT

MIN_CLAIMS = 84
"""An independent count of the checkable numbers in the paper (issue 12) found about 84."""

PLACE_IN_PAPER = re.compile(r"Abstract|Methods|Results|Discussion|Table 1|Fig\. \d")
"""An inconsistency names where the paper prints the other value."""


@cache
def claims() -> tuple[Claim, ...]:
    return audit_claims()


def violations(claim: Claim) -> list[str]:
    """What in ``claim`` contradicts the definition of its status (empty when nothing does).

    Each definition, restated on what the claim carries: our value (`Claim.ours`), every
    reading tried with the assumption it needs (`Claim.tried`), the assumption named
    (`Claim.assumption`) and the other printed value named (`Claim.conflict`).
    """
    problems = []
    printed = claim.printed
    holds = shows(printed, claim.ours)
    free = [
        d for d, ours, assumption in claim.tried if assumption is None and shows(printed, ours)
    ]
    assumed = [a for _, ours, a in claim.tried if a is not None and shows(printed, ours)]
    if claim.status == REPRODUCED:
        if claim.ours is None or not holds:
            problems.append(f"our value {claim.ours!r} does not show {printed!r}")
        if not free:
            problems.append("no reading that needs no assumption gives the printed value")
        if claim.assumption is not None:
            problems.append(f"it names an assumption ({claim.assumption!r})")
    elif claim.status == ASSUMED:
        if not holds:
            problems.append(f"our value {claim.ours!r} does not show {printed!r}")
        if free:
            problems.append(f"a reading that needs no assumption gives it ({free[0]!r})")
        if not claim.assumption or claim.assumption not in assumed:
            problems.append("it names no assumption under which a reading gives the value")
        elif claim.assumption.removeprefix("the paper used ").lower() not in claim.note.lower():
            problems.append("its note does not state the assumption")
    elif claim.status == INCONSISTENT:
        if holds or free:
            problems.append(f"a reading the paper fixes gives the printed {printed!r}")
        if not claim.conflict or not PLACE_IN_PAPER.search(claim.conflict):
            problems.append("it names no other printed value of the paper that disagrees")
    elif claim.status == NOT_REPRODUCIBLE:
        if holds or free or assumed:
            problems.append(f"a reading gives the printed {printed!r}")
    if claim.status != INCONSISTENT and claim.conflict is not None:
        problems.append(f"it names a conflict ({claim.conflict!r}) but is not inconsistent")
    if claim.status != ASSUMED and claim.assumption is not None:
        problems.append(f"it names an assumption ({claim.assumption!r}) but is {claim.status}")
    return [f"{claim.claim_id} ({claim.status}): {p}" for p in problems]


def test_the_audit_has_at_least_as_many_claims_as_the_independent_count() -> None:
    assert len(claims()) >= MIN_CLAIMS


def test_every_status_follows_from_the_stated_definitions() -> None:
    failures = [problem for claim in claims() for problem in violations(claim)]
    assert failures == []


def test_a_wrong_status_breaks_the_definitions() -> None:
    """Each status swapped for another, on a claim of each status, is caught."""
    by_status = {status: next(c for c in claims() if c.status == status) for status in STATUSES}
    for status, claim in by_status.items():
        for other in STATUSES:
            if other != status:
                wrong = dataclasses.replace(claim, status=other)
                assert violations(wrong), f"{claim.claim_id} as {other!r} passed"


def test_the_definitions_cover_the_four_statuses_and_the_chapter_states_them() -> None:
    assert list(DEFINITIONS) == list(STATUSES)
    chapter = (REPO_ROOT / "book" / "08-audit.md").read_text(encoding="utf-8")
    for status in STATUSES:
        assert f"definition_{STATUS_KEYS[status]}" in chapter, status


def test_shows_compares_text_bounds_and_ranges() -> None:
    assert shows("0.69 (0.53, 0.84)", "0.69 (0.53, 0.84)")
    assert not shows("0.69 (0.53, 0.84)", "0.70 (0.53, 0.84)")
    assert shows("p < 0.000001", "p = 1.1e-07")
    assert not shows("p < 0.05", "p = 0.156")
    assert not shows("p < 0.05", "no p-value")
    assert shows("> 50%", "Fig. 4a: 82.3%, Fig. 4b: 72.8%")
    assert not shows("> 50%", "Fig. 4a: 82.3%, Fig. 4b: 42.8%")
    assert shows("-10 to 30", "-3 to 23")
    assert not shows("0 to 4", "0 to 5")
    assert not shows("16 of 20", None)
