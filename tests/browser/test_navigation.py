"""The book's navigation in Chromium at a phone's, a tablet's and a desktop's width.

At each width the reader presses the button that shows the chapter list (the primary sidebar)
and, where the theme shows one, the button of the page's own contents (the secondary sidebar):
the panel must appear inside the viewport, and go away again when pressed or dismissed. A
phone and a tablet are touch screens, so the buttons are tapped there; a desktop is clicked.

pydata-sphinx-theme 0.17 with sphinx-book-theme 1.3 renders two buttons of each kind (one in a
top navbar that CSS hides) and binds only the first, hidden one (pydata-sphinx-theme issue 2451);
``_config.yml`` empties the navbar so that only the visible buttons exist.
"""

import pytest

from tests.browser.pages import visit

CHAPTER = "book/04-heterogeneity.html"
"""A chapter with a long list of sections, so it has in-page contents."""

WIDTHS = (375, 800, 1280)
HEIGHT = 800
DESKTOP = 992
"""From this width on the theme shows the sidebars beside the text, not as overlays."""

PANELS = {
    "primary": ("nav.bd-docs-nav", ".primary-toggle"),
    "secondary": ("#pst-page-toc-nav", ".secondary-toggle"),
}
"""Each sidebar: what it shows (the chapter list; the page's contents) and its button's class."""

SHOWN = """(selector) => {
  const el = [...document.querySelectorAll(selector)].find(e => e.getClientRects().length);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const hiddenByAncestor = (() => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0)
        return true;
    }
    return false;
  })();
  return !hiddenByAncestor && style.visibility === 'visible' && box.width > 50
    && box.height > 50 && box.left >= -1 && box.right <= window.innerWidth + 1
    && box.top < window.innerHeight && box.bottom > 0;
}"""


def _shown(page, selector: str) -> bool:
    # The sidebars slide in and out with a CSS transition; wait until it is over.
    page.wait_for_timeout(400)
    return page.evaluate(SHOWN, selector)


def _press(button, touch: bool) -> None:
    if touch:
        button.tap()
    else:
        button.click()


def _dismiss(page, which: str, width: int, touch: bool) -> None:
    """Close an open overlay the way a reader would: tap or click beside it."""
    x = width - 5 if which == "primary" else 5
    if touch:
        page.touchscreen.tap(x, HEIGHT // 2)
    else:
        page.mouse.click(x, HEIGHT // 2)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", sorted(PANELS))
def test_sidebar_button_shows_and_hides_its_panel(browser, book_url, width, which) -> None:
    panel, button_class = PANELS[which]
    touch = width < DESKTOP
    page, report, context = visit(browser, book_url + CHAPTER, width=width, touch=touch)
    try:
        buttons = page.locator(f"{button_class}:visible")
        if which == "secondary" and width >= DESKTOP and buttons.count() == 0:
            # At desktop width the theme shows the page's contents beside the text, no button.
            assert _shown(page, panel), f"{width}px: the page's contents are not shown"
            return
        assert buttons.count() == 1, f"{width}px: {buttons.count()} visible {button_class}"
        button = buttons.first
        overlay = width < DESKTOP
        before = _shown(page, panel)
        assert before is not overlay, f"{width}px: {which} sidebar shown={before} at first"
        _press(button, touch)
        assert _shown(page, panel) is not before, f"{width}px: pressing {which} did nothing"
        if overlay:
            _dismiss(page, which, width, touch)
        else:
            _press(button, touch)
        assert _shown(page, panel) is before, f"{width}px: {which} sidebar did not go back"
        assert not report.problems(), report.problems()
    finally:
        context.close()
