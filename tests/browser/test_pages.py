"""Every other page of the built book in Chromium, at 1280 px and on a phone (the checks and
why: `tests.browser.page_checks`; test_pages_more.py runs them on the other pages)."""

from urllib.parse import urljoin

from tests.browser.page_checks import CHECKED_PAGES, FRONT_PAGE, PageChecks, page_fixtures
from tests.browser.pages import visit

desktop, phone = page_fixtures(CHECKED_PAGES[::2])


class TestEveryOtherPage(PageChecks):
    """The checks of `PageChecks` on every other page."""


def test_front_page_opens_the_introduction(browser, book_url) -> None:
    page, report, context = visit(browser, book_url + FRONT_PAGE)
    try:
        page.wait_for_url(urljoin(book_url, "book/00-introduction.html"))
        assert report.problems() == []
    finally:
        context.close()
