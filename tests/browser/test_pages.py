"""Every page of the built book in Chromium, at 1280 px and on a phone, and what they load
(the checks and why: `tests.browser.page_checks`)."""

from urllib.parse import urljoin

from tests.browser.page_checks import (
    CHECKED_PAGES,
    FRONT_PAGE,
    PageChecks,
    page_fixtures,
    test_every_file_is_used_by_some_page,
)
from tests.browser.pages import visit

desktop, phone = page_fixtures(CHECKED_PAGES)

__all__ = ["desktop", "phone", "test_every_file_is_used_by_some_page"]


class TestEveryPage(PageChecks):
    """The checks of `PageChecks` on every page but the front page (a redirect)."""


def test_front_page_opens_the_introduction(browser, book_url) -> None:
    page, report, context = visit(browser, book_url + FRONT_PAGE)
    try:
        page.wait_for_url(urljoin(book_url, "book/00-introduction.html"))
        assert report.problems() == []
    finally:
        context.close()
