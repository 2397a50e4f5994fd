"""Every included study is in the bibliography and cited where Table 1 is shown.

Source: data/studies.csv (study ids) and book/references.bib (BibTeX keys are the study ids).
"""

import re

from analysis.paper import citation_facts
from analysis.paper.data import load_studies
from tests.conftest import REPO_ROOT

BIB = (REPO_ROOT / "book" / "references.bib").read_text(encoding="utf-8")
KEYS = re.findall(r"^@\w+\{([^,\s]+),", BIB, flags=re.MULTILINE)


def test_keys_are_unique() -> None:
    assert len(KEYS) == len(set(KEYS))


def test_every_included_study_has_an_entry() -> None:
    missing = set(load_studies()["study_id"]) - set(KEYS)
    assert missing == set()


def test_every_included_study_is_cited_in_the_inclusion_chapter() -> None:
    """The chapter glues `citation_facts`' paragraph (as MyST, so its roles resolve): it cites
    every study of Table 1 by its key."""
    chapter = (REPO_ROOT / "book" / "02-inclusion.md").read_text(encoding="utf-8")
    assert "{glue:md}`citations:myst`" in chapter
    assert 'glue("citations", Markdown(citation_facts(' in chapter
    paragraph = citation_facts(load_studies(), BIB).paragraph
    cited = re.findall(r"\{cite:[tp]\}`([^`]+)`", paragraph)
    cited = {key.strip() for group in cited for key in group.split(",")}
    assert set(load_studies()["study_id"]) <= cited
