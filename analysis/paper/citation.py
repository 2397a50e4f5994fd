"""How to cite this work and the paper it re-analyses, read from ``CITATION.cff``.

The book's Introduction prints the text built here, so its title, version, licence and the
paper's year, journal and DOI are those of the citation file (Citation File Format 1.2.0,
https://citation-file-format.github.io/), never typed into the prose.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.metaanalysis.results import TidyResult
from analysis.paper.paths import REPO_ROOT

CITATION_FILE = REPO_ROOT / "CITATION.cff"
"""The project's citation file."""


@dataclass(frozen=True)
class HowToCite(TidyResult):
    """The two citations a user of the book gives.

    Attributes
    ----------
    work : str
        This re-analysis: authors, title, version, licence.
    paper : str
        The paper it re-analyses (``references`` of the citation file), Vancouver style with
        its DOI as a link.
    """

    work: str
    paper: str


def _person(author: dict) -> str:
    """An author as Vancouver style writes them: family name and initials, or an entity's name.

    Examples
    --------
    >>> _person({"family-names": "Zhao", "given-names": "J."})
    'Zhao J'
    >>> _person({"name": "The maintainers"})
    'The maintainers'
    """
    if "name" in author:
        return author["name"]
    initials = "".join(part[0] for part in author.get("given-names", "").split())
    return f"{author['family-names']} {initials}".strip()


def how_to_cite(citation_file: Path = CITATION_FILE) -> HowToCite:
    """The citation of this work and of the paper it re-analyses, from the citation file.

    Parameters
    ----------
    citation_file : Path
        A Citation File Format 1.2.0 file with ``title``, ``authors``, ``version``, ``license``
        and one article under ``references`` (default: the project's ``CITATION.cff``).

    Returns
    -------
    HowToCite
        Both citations as text.

    References
    ----------
    Druskat S, Spaaks JH, Chue Hong N, et al. Citation File Format 1.2.0 (2021).
    https://doi.org/10.5281/zenodo.5171937

    Examples
    --------
    >>> cite = how_to_cite()
    >>> "doi.org/10.1007/s11916-018-0664-x" in cite.paper
    True
    """
    cff = yaml.safe_load(citation_file.read_text(encoding="utf-8"))
    authors = ", ".join(_person(author) for author in cff["authors"])
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    work = (
        f"{authors}. {cff['title']}. Version {cff['version']}. Licence: {' and '.join(licences)}."
    )
    (paper,) = cff["references"]
    paper_authors = ", ".join(_person(author) for author in paper["authors"])
    title = " ".join(paper["title"].split())
    paper_text = (
        f"{paper_authors}. {title}. {paper['journal']} "
        f"{paper['year']};{paper['volume']}({paper['issue']}):{paper['start']}. "
        f"https://doi.org/{paper['doi']}"
    )
    return HowToCite(work=work, paper=paper_text)
