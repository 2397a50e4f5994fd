"""Open a page in Chromium with every request to another host blocked, and report on it."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

from tests.conftest import BUILT_HTML, REPO_ROOT

CHARTS_DRAWN = """() => {
  const charts = [...document.querySelectorAll('.vega-chart')];
  return charts.every(c => c.querySelector('svg .role-mark') || c.textContent.trim());
}"""

CHART_STATE = """() => [...document.querySelectorAll('.vega-chart')].map(c => {
  const svg = c.querySelector('svg');
  const box = (svg || c).getBoundingClientRect();
  return {
    id: c.id,
    kind: c.dataset.chart || '',
    studiesDrawn: c.dataset.studiesDrawn ? Number(c.dataset.studiesDrawn) : null,
    hasSvg: Boolean(svg),
    marks: svg ? svg.querySelectorAll('.role-mark > *').length : 0,
    // Symbols of the marks only, not of a legend (role-legend-symbol).
    squares: svg ? svg.querySelectorAll('g.mark-symbol.role-mark > path').length : 0,
    text: svg ? '' : c.textContent.trim(),
    left: box.left,
    right: box.right,
    width: box.width,
  };
})"""

LAYOUT = """() => ({
  viewport: window.innerWidth,
  pageWidth: document.documentElement.scrollWidth,
  article: (() => {
    const a = document.querySelector('article.bd-article') || document.querySelector('main');
    return a ? {scroll: a.scrollWidth, client: a.clientWidth} : null;
  })(),
})"""


SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
TAKE_SCREENSHOTS = os.environ.get("SCREENSHOTS", "") == "1"
"""Whether the page tests save screenshots (``make screenshots``); they cost about a second a
page, so ``make test`` does not."""


def _pages() -> list[str]:
    pages = sorted(
        str(path.relative_to(BUILT_HTML))
        for path in BUILT_HTML.rglob("*.html")
        if not {"_static", "_sources"} & set(path.relative_to(BUILT_HTML).parts)
    )
    # Without a built book, one parameter whose test fails through the built_html fixture.
    return pages or ["index.html"]


PAGES = _pages()
"""Every page of the built book, relative to _build/html."""


@dataclass
class PageReport:
    """What happened while a page loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    third_party_requests: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    layout: dict = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    """With ``visit(weigh=True)``: the bytes of each response body, by address."""
    linked: frozenset[str] = frozenset()
    """With ``visit(weigh=True)``: every address the page links (``href``, ``src``, and
    ``url()`` in its stylesheets), loaded or not."""

    def problems(self) -> list[str]:
        """Everything that is wrong with the page, one line each."""
        lines = [f"console error: {m}" for m in self.console_errors]
        lines += [f"page error: {m}" for m in self.page_errors]
        lines += [f"failed request: {u}" for u in self.failed_requests]
        lines += [f"request to another host (blocked): {u}" for u in self.third_party_requests]
        return lines


def slug(relative: str) -> str:
    """A file name for a page's screenshot: ``book/03-pooling.html`` -> ``book-03-pooling``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", relative.removesuffix(".html"))


def visit(
    browser,
    url: str,
    *,
    width: int = 1280,
    height: int = 900,
    touch: bool = False,
    weigh: bool = False,
):
    """Open ``url`` in a new browser context; return ``(page, report, context)``.

    With ``touch``, the context has a touch screen (``locator.tap()`` works). With ``weigh``,
    the report also holds the size of every response and every address the page links, and
    the visit waits until the network is quiet (the context is new, so the cache is empty:
    this is a first load).

    Requests to any host other than the page's own are aborted and recorded, so a page that
    would load a CDN script fails the test even on a machine with internet access.
    """
    own = urlparse(url).netloc
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch)
    report = PageReport(url=url)

    def route(request_route) -> None:
        request = request_route.request
        if urlparse(request.url).netloc == own:
            request_route.continue_()
        else:
            report.third_party_requests.append(request.url)
            request_route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            report.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: report.page_errors.append(str(error)))

    def failed(request) -> None:
        if urlparse(request.url).netloc == own:
            report.failed_requests.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", failed)
    stylesheets: dict[str, str] = {}
    if weigh:
        page.on("requestfinished", lambda request: _weigh(request, report.sizes, stylesheets))
    page.on(
        "response",
        lambda response: (
            report.failed_requests.append(f"{response.url} ({response.status})")
            if response.status >= 400
            else None
        ),
    )
    # "load", not "networkidle" (which waits for half a second of silence): the charts are drawn
    # by scripts the page loads, and a request that fails later is still recorded.
    page.goto(url, wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=15_000)
    if weigh:
        page.wait_for_load_state("networkidle")
        linked = set(page.evaluate(LINKS))
        for address, text in stylesheets.items():
            linked |= {urljoin(address, ref) for ref in URL_IN_CSS.findall(text)}
        report.linked = frozenset(linked)
    report.charts = page.evaluate(CHART_STATE)
    report.layout = page.evaluate(LAYOUT)
    return page, report, context


URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LINKS = """() => [...document.querySelectorAll('[href], [src]')]
  .map(e => e.href || e.src).filter(Boolean)"""


def _weigh(request, sizes: dict[str, int], stylesheets: dict[str, str]) -> None:
    response = request.response()
    if response is None or response.status >= 300:
        return
    # The test server sends every file as it is (no compression), so its Content-Length is the
    # body's size; a body may not be readable any more (index.html redirects at once).
    sizes[request.url] = int(response.headers.get("content-length", "0"))
    if request.resource_type == "stylesheet":
        stylesheets[request.url] = response.text()


def screenshot(page, directory: Path, name: str) -> Path | None:
    """Save a full-page screenshot for a person to look at, when `TAKE_SCREENSHOTS`."""
    if not TAKE_SCREENSHOTS:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    # JPEG: a full-page PNG of the longest chapter (over 20,000 px tall) takes several seconds
    # to encode; JPEG at this quality takes a third of that and reads as well.
    path = directory / f"{name}.jpg"
    page.screenshot(path=str(path), full_page=True, type="jpeg", quality=80)
    return path
