"""The other half of the pages of test_pages.py, with the same checks
(`tests.browser.page_checks`)."""

from tests.browser.page_checks import CHECKED_PAGES, PageChecks, page_fixtures

desktop, phone = page_fixtures(CHECKED_PAGES[1::2])


class TestTheOtherPages(PageChecks):
    """The checks of `PageChecks` on the pages test_pages.py leaves."""
