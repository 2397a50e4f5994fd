"""The audit's rules: what each status means, and when our value shows a printed one.

`DEFINITIONS` is the one statement of the four statuses; the Audit chapter prints it, and
``tests/audit/test_audit_rules.py`` checks every claim against it. A claim carries what its
status rests on: our value (`Claim.ours`), the assumption it needs (`Claim.assumption`) and,
when the paper contradicts itself, the other printed value that does (`Claim.conflict`).
"""

import re

from analysis.paper.readings import ASSUMED, INCONSISTENT, NOT_REPRODUCIBLE, REPRODUCED

DEFINITIONS = {
    REPRODUCED: "our value, computed from the paper's own data (Table 1, its figures, its other "
    "numbers) with no choice the paper leaves open, shows the printed digits: rounded as the "
    "paper rounds, it is the same text (for a printed bound, such as p < 0.05, or a printed "
    "range, such as an axis, it lies within it).",
    ASSUMED: "our value shows the printed digits only under a choice the paper does not state "
    "(which studies, which formula, how Table 1 was rounded); the claim names that assumption. "
    "When the paper's words allow several readings and only some give the printed value, the "
    "reading that does is the assumption.",
    INCONSISTENT: "another value the paper prints (a study's N in Table 1, the studies a figure "
    "lists, the studies the text cites) fixes the computation, and it gives something other "
    "than the printed value; the claim names that other printed value.",
    NOT_REPRODUCIBLE: "no reading we tried shows the printed digits, or the paper gives no data "
    "to compute it (then we give no value).",
}
"""What each status means, as the Audit chapter states it (a phrase after the status)."""

_NUMBER = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"
_BOUND = re.compile(rf"^(p )?(<|>|≥|≤) ?({_NUMBER})(%?)$")
_RANGE = re.compile(rf"^({_NUMBER}) to ({_NUMBER})$")


def _number(text: str) -> float:
    return float(text)


def shows(printed: str, ours: str | None) -> bool:
    """Whether our value, as the audit writes it, shows the printed one.

    The same text does; for a printed bound (``"p < 0.05"``, ``"> 50%"``), every number of ours
    in the same form (``"p = ..."``, ``"...%"``) must lie on its side of the bound, and there
    must be one; for a printed range (``"-10 to 30"``), ours must be a range within it. No
    value (None) shows nothing.

    Examples
    --------
    >>> shows("0.69 (0.53, 0.84)", "0.69 (0.53, 0.84)"), shows("15", "13")
    (True, False)
    >>> shows("p < 0.05", "p = 0.048"), shows("> 50%", "Fig. 4a: 82.3%, Fig. 2: 45.0%")
    (True, False)
    >>> shows("-10 to 30", "-3 to 23"), shows("16 of 20", None)
    (True, False)
    """
    if ours is None:
        return False
    if printed == ours:
        return True
    bound = _BOUND.match(printed)
    if bound:
        p_value, relation, limit, percent = bound.groups()
        if p_value:
            found = re.findall(rf"p = ({_NUMBER})", ours)
        elif percent:
            found = re.findall(rf"({_NUMBER})%", ours)
        else:
            found = re.findall(_NUMBER, ours)
        values = [_number(v) for v in found]
        compare = {
            "<": lambda v: v < _number(limit),
            ">": lambda v: v > _number(limit),
            "≥": lambda v: v >= _number(limit),
            "≤": lambda v: v <= _number(limit),
        }[relation]
        return bool(values) and all(compare(v) for v in values)
    printed_range, our_range = _RANGE.match(printed), _RANGE.match(ours)
    if printed_range and our_range:
        low, high = (_number(v) for v in printed_range.groups())
        our_low, our_high = (_number(v) for v in our_range.groups())
        return low <= our_low <= our_high <= high
    return False
