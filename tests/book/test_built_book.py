"""The built HTML book loads nothing from another host.

Every page is parsed for elements that make a browser fetch something (scripts, stylesheets,
fonts, images, frames, media) and every stylesheet for ``url(...)`` and ``@import``; anything
pointing to another host fails the test. Plain links (``<a href>``) are fine: a reader follows
them on purpose. The browser suite (tests/browser) checks the same with the network blocked.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
LINK_RELS_THAT_FETCH = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class _Fetches(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and LINK_RELS_THAT_FETCH & set(values.get("rel", "").split()):
            self.urls.append((tag, values.get("href", "")))
        for name in FETCHING.get(tag, ()):
            if values.get(name):
                for candidate in values[name].split(","):
                    self.urls.append((tag, candidate.strip().split(" ")[0]))
        if "style" in values:
            self.urls.extend(("style", url) for url in CSS_URL.findall(values["style"]))

    def handle_data(self, data: str) -> None:
        if "@import" in data or "url(" in data:
            self.urls.extend(("style", url) for url in CSS_URL.findall(data))


def _is_remote(url: str) -> bool:
    parsed = urlparse(url)
    return bool(parsed.netloc) or parsed.scheme not in ("", "data", "blob")


def remote_fetches(html: str) -> list[tuple[str, str]]:
    """The (element, url) pairs of a page that would make a browser contact another host."""
    parser = _Fetches()
    parser.feed(html)
    return [(tag, url) for tag, url in parser.urls if _is_remote(url)]


def test_detector_catches_a_cdn_script() -> None:
    page = (
        '<html><head><script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">'
        "<style>@import 'https://example.org/a.css';</style></head>"
        '<body><a href="https://doi.org/10.1/x">a link is fine</a></body></html>'
    )
    assert remote_fetches(page) == [
        ("script", "https://cdn.jsdelivr.net/npm/vega@5"),
        ("link", "//fonts.googleapis.com/css?family=Lato"),
        ("style", "https://example.org/a.css"),
    ]


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_no_page_fetches_from_another_host(built_html: Path) -> None:
    offenders = {
        str(page.relative_to(built_html)): found
        for page in _pages(built_html)
        if (found := remote_fetches(page.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_no_stylesheet_fetches_from_another_host(built_html: Path) -> None:
    offenders = {}
    for sheet in sorted(built_html.rglob("*.css")):
        urls = [u for u in CSS_URL.findall(sheet.read_text(encoding="utf-8")) if _is_remote(u)]
        if urls:
            offenders[str(sheet.relative_to(built_html))] = urls
    assert offenders == {}


def test_chart_pages_load_the_local_vega_bundle(built_html: Path) -> None:
    bundle = built_html / "_static" / "vega-bundle.js"
    assert bundle.stat().st_size > 100_000
    chart_pages = [p for p in _pages(built_html) if 'class="vega-chart"' in p.read_text("utf-8")]
    assert chart_pages, "no built page has a chart"
    for page in chart_pages:
        assert "_static/vega-bundle.js" in page.read_text(encoding="utf-8"), page.name


def test_math_is_mathml_written_at_build_time(built_html: Path) -> None:
    """Formulas are MathML in the page (book/_ext/mathml.py): no page loads a math script,
    and no LaTeX is left for a script to typeset."""
    pages = {p.name: p.read_text(encoding="utf-8") for p in _pages(built_html)}
    pooling = pages["03-pooling.html"]
    assert pooling.count('<math xmlns="http://www.w3.org/1998/Math/MathML"') >= 10
    assert 'display="block"' in pooling
    loads_mathjax = re.compile(r"<script[^>]*mathjax|MathJax\s*=", re.IGNORECASE)
    assert {name for name, text in pages.items() if loads_mathjax.search(text)} == set()
    assert {name for name, text in pages.items() if "\\(" in text or "\\[" in text} == set()


@pytest.mark.parametrize("page", ["book/00-introduction.html", "book/03-pooling.html"])
def test_chapter_pages_exist(built_html: Path, page: str) -> None:
    assert (built_html / page).exists()
