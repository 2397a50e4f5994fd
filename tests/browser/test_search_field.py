"""Search from a chapter in Chromium, with the search scripts loaded only by the search page.

``book/_ext/lean_search.py`` takes ``searchtools.js``, ``language_data.js`` and
``searchindex.js`` (about 97 KB) off every page but ``search.html``: the search field and the
Ctrl+K dialog are forms that submit there. A reader on a chapter opens the search field, types a
word and presses Enter, and must land on the search page with results.
"""

import pytest

from tests.browser.pages import PAGES, visit

CHAPTER = "book/04-heterogeneity.html"
SEARCH_PAGE = "search.html"
WORD = "heterogeneity"
"""A word that many pages of the book contain."""
SEARCH_FILES = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
LOADED_SCRIPTS = "() => [...document.scripts].map(s => s.src).filter(Boolean)"


@pytest.mark.parametrize("page_name", [page for page in PAGES if page != SEARCH_PAGE])
def test_page_does_not_load_the_search_scripts(browser, book_url, page_name) -> None:
    page, report, context = visit(browser, book_url + page_name)
    try:
        scripts = page.evaluate(LOADED_SCRIPTS)
    finally:
        context.close()
    loaded = [src for src in scripts if src.split("?")[0].endswith(SEARCH_FILES)]
    assert not loaded, f"{page_name} loads the search code or index: {loaded}"
    # Without the search code the theme's scripts must still run without an error.
    assert not report.problems(), report.problems()


@pytest.mark.parametrize("open_with", ["field", "ctrl+k"])
def test_search_from_a_chapter_shows_results(browser, book_url, open_with) -> None:
    page, report, context = visit(browser, book_url + CHAPTER)
    try:
        # As a reader would, once the page has finished loading: Chromium asks for the favicon
        # after the load event, and leaving the page first aborts that request.
        page.wait_for_load_state("networkidle")
        if open_with == "field":
            page.locator(".search-button-field:visible").first.click()
        else:
            page.keyboard.press("Control+k")
        field = page.locator("#pst-search-dialog input[type=search]")
        field.wait_for(state="visible", timeout=5_000)
        field.fill(WORD)
        field.press("Enter")
        page.wait_for_url(f"**/{SEARCH_PAGE}?q={WORD}*", timeout=10_000)
        results = page.locator("#search-results li")
        results.first.wait_for(timeout=15_000)
        count = results.count()
        problems = report.problems()
    finally:
        context.close()
    assert count > 0, f"no results for {WORD!r} on the search page"
    assert not problems, problems
