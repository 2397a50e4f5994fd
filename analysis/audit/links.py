"""Links from the audit to the chapter sections that show each check."""

import re
from dataclasses import dataclass
from functools import cache

from docutils.nodes import make_id

from analysis.metaanalysis.errors import InputError
from analysis.metaanalysis.results import TidyResult
from analysis.paper.paths import REPO_ROOT

BOOK_DIR = REPO_ROOT / "book"
AUDIT_DOC = "08-audit"
"""The chapter that shows the audit; claims no other chapter checks link to it."""

OWN_SECTION = "Claims no other chapter checks"
"""The heading of the Audit chapter's section for those claims."""

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")


@dataclass(frozen=True)
class Link(TidyResult):
    """A section of a chapter of the book.

    Attributes
    ----------
    doc : str
        The chapter's file name without extension (``"03-pooling"``).
    anchor : str
        The section's id in the built HTML (the heading's text as docutils makes ids of it).
    chapter : str
        The chapter's short title: its title up to a colon (``"Pooling"``).
    heading : str
        The section's heading.
    """

    doc: str
    anchor: str
    chapter: str
    heading: str

    @property
    def title(self) -> str:
        """Chapter and section, for link texts: ``"Pooling: Fig. 2 beside ours"``."""
        return f"{self.chapter}: {self.heading}"

    @property
    def href(self) -> str:
        """The link from another chapter page: ``"03-pooling.html#fig-2-beside-ours"``."""
        return f"{self.doc}.html#{self.anchor}"


def headings(doc: str) -> list[tuple[int, str]]:
    """The headings of a chapter's MyST source, as ``(level, text)``, code cells skipped."""
    path = BOOK_DIR / f"{doc}.md"
    if not path.exists():
        raise InputError(f"headings: doc={doc!r} is not a chapter in book/")
    lines = path.read_text(encoding="utf-8").splitlines()
    found, fenced, front = [], False, bool(lines) and lines[0] == "---"
    for number, line in enumerate(lines):
        if front:
            front = not (number > 0 and line == "---")
            continue
        if line.startswith("```"):
            fenced = not fenced
            continue
        match = _HEADING.match(line)
        if match and not fenced:
            found.append((len(match.group(1)), match.group(2)))
    return found


@cache
def section_link(doc: str, heading: str) -> Link:
    """The link to the section of chapter ``doc`` with the heading ``heading``.

    Raises
    ------
    InputError
        When the chapter has no such heading, or an earlier heading takes its id (docutils
        gives only the first of two equal ids to its section).

    Examples
    --------
    >>> section_link("03-pooling", "Fig. 2 beside ours").href
    '03-pooling.html#fig-2-beside-ours'
    """
    found = headings(doc)
    ids = [make_id(text) for _, text in found]
    if heading not in [text for _, text in found]:
        raise InputError(f"section_link: book/{doc}.md has no heading {heading!r}")
    anchor = make_id(heading)
    first = ids.index(anchor)
    if found[first][1] != heading:
        raise InputError(
            f"section_link: in book/{doc}.md the heading {heading!r} has the same id as the "
            f"earlier {found[first][1]!r}"
        )
    chapter = next(text for level, text in found if level == 1)
    return Link(doc, anchor, chapter.split(":")[0], heading)


# --- Claims --------------------------------------------------------------------------------
