"""Every link of the Audit chapter leads to a page of the built book and a section on it.

Reads _build/html (built by ``make test`` or ``make book``): each claim's link
(analysis.audit) must name a page that exists and an element id on that page, and so must every
link in the tables of the built Audit page itself, as a reader's browser would follow it.
"""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

from analysis.audit import AUDIT_DOC, audit_claims

BOOK = "book"


class _Page(HTMLParser):
    """The element ids of a page, and the links inside its tables."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.table_links: list[str] = []
        self._tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "table":
            self._tables += 1
        if tag == "a" and self._tables and values.get("href"):
            self.table_links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._tables -= 1


def _parse(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_claim_links_to_a_built_page_and_section(built_html: Path) -> None:
    missing = []
    for claim in audit_claims():
        page = built_html / BOOK / f"{claim.link.doc}.html"
        if not page.exists() or claim.link.anchor not in _parse(page).ids:
            missing.append(f"{claim.claim_id}: {claim.link.href}")
    assert missing == []


def test_every_link_in_the_audit_tables_resolves(built_html: Path) -> None:
    audit_page = built_html / BOOK / f"{AUDIT_DOC}.html"
    links = _parse(audit_page).table_links
    assert len(links) >= len(audit_claims())
    base = f"file://{audit_page}"
    broken = []
    for href in links:
        target, anchor = urldefrag(urljoin(base, href))
        path = Path(urlparse(target).path)
        if not path.exists() or not anchor or anchor not in _parse(path).ids:
            broken.append(href)
    assert broken == []
