"""The second half of the pages of test_chart_phone.py (the same checks; see that module)."""

import pytest

from tests.browser.pages import PAGES
from tests.browser.test_chart_phone import check_charts_on_a_phone, marked_pages


@pytest.mark.parametrize("relative", marked_pages(PAGES[1::2]))
def test_charts_read_on_a_phone(browser, book_url, relative) -> None:
    check_charts_on_a_phone(browser, book_url, relative)
