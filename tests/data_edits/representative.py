"""Two edits of the data-edit corpus, run inside ``make test`` (all of it: ``make data-edits``).

The checks are here; ``test_edit_webster.py`` and ``test_edit_correll.py`` run one edit each, so
that pytest-xdist (``--dist loadfile``) can run the two on different processes.

Webster 2006's N 13 → 14 and Correll 2004's N 33 → 34: legitimate values that once crashed the
Inclusion chapter, whose cell assumed today's explanation of the paper's total of subjects. For
each, a copy of ``data/`` is edited and checked, and two chapters are executed against it
(see `check_edit`): the chapters execute, Table 1 shows the new N, the glued total of N moves
by one, and the audit names each printed number of the paper whose reproduction moved, by
claim and place in the paper.
"""

from pathlib import Path

import jupytext

from tests.data_edits.edits import edit
from tests.data_edits.runner import (
    BOOK_DIR,
    DATA_DIR,
    audit_records,
    describe,
    glued_values,
    run_edit,
)

# Kept fast: each edit runs the chapter whose page shows N (Inclusion: Table 1 and the
# descriptive numbers) and one of the two that state the audit's verdict (Introduction,
# Audit). Every edit of the corpus runs every chapter in `make data-edits`.
INCLUSION = BOOK_DIR / "02-inclusion.md"
INTRODUCTION = BOOK_DIR / "00-introduction.md"
AUDIT = BOOK_DIR / "08-audit.md"


def check_edit(name: str, verdict_chapter: Path) -> None:
    """Run edit ``name`` on the Inclusion chapter and ``verdict_chapter``: they execute,
    Table 1 shows the new N, the glued total of N moves with it, and the audit names what
    moved, with its place."""
    the_edit = edit(name, DATA_DIR)
    baseline = audit_records()
    run = run_edit(the_edit, (verdict_chapter, INCLUSION), baseline)
    assert run.failures == [], "\n".join(run.failures)
    stored = glued_values(jupytext.read(BOOK_DIR / "02-inclusion.ipynb"))
    total_before = int(stored["subjects_as_printed"].strip("'"))
    total_after = run.glued["02-inclusion"]["subjects_as_printed"].strip("'")
    assert int(total_after) == total_before + the_edit.total_n_change
    # The total of subjects is a printed number of the paper that rests on every N: the audit
    # names it, with its place in the paper.
    moved = {c["claim_id"]: c for c in run.moved}
    assert "subjects_total" in moved, [describe(c) for c in run.moved]
    for claim in run.moved:
        assert claim["section"] and claim["data"], describe(claim)
