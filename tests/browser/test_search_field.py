"""Search from a chapter in Chromium (that only the search page loads the search scripts is
checked on every page by `tests.browser.page_checks`).

``book/_ext/lean_search.py`` takes ``searchtools.js``, ``language_data.js`` and
``searchindex.js`` (about 97 KB) off every page but ``search.html``: the search field and the
Ctrl+K dialog are forms that submit there. A reader on a chapter opens the search field, types a
word and presses Enter, and must land on the search page with results.
"""

import pytest

from tests.browser.pages import visit

CHAPTER = "book/04-heterogeneity.html"
SEARCH_PAGE = "search.html"
WORD = "heterogeneity"
"""A word that many pages of the book contain."""


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
