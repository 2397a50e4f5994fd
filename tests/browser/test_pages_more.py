"""The second half of the pages of test_pages.py (the same checks; see that module)."""

import pytest

from tests.browser.pages import PAGES
from tests.browser.test_pages import check_page


@pytest.mark.parametrize("relative", PAGES[1::2])
def test_page_in_chromium(browser, book_url, relative) -> None:
    check_page(browser, book_url, relative)
