"""Tables that fit (issue 13, item 5), measured in Chromium on the built book.

- At 1280 px, a cell that reads as a number is aligned as its column's header is.
- At 1280 and 375 px, a table wider than its box scrolls inside the box, and after scrolling it
  to the end the first column (the study or the analysis) is still in view.
- At 375 px, Table 1 (the inclusion chapter's table of 17 columns) shows every study's every
  field, each with its header, inside the screen: no scrolling of the page or of a box.
- At 1280 px the heterogeneity table's prediction interval is in view without scrolling.
- Printed (print media), no table is wider than the page and none is cut off by its box.

Positions are compared in whole pixels (rounded), as the browser lays text out on sub-pixels.
"""

import pytest

from tests.browser.pages import PAGES, visit

NUMBER = (
    r"^[\s(\[]*[<>≤≥~≈]?\s*[-\u2212+]?\d[\d,.]*(?:e[-\u2212+]?\d+)?\s*%?"
    r"(?:(?:\s*(?:to|–|-|\u2212|,|;|/|±|\(|\)|\[|\]|\s)\s*)+[-\u2212+]?\d[\d,.]*(?:e[-\u2212+]?\d+)?\s*%?)*"
    r"[\s)\]%]*$"
)
"""A cell that reads as a number (the same reading as ``analysis.charts.tables.NUMBER_TEXT``,
written again here so that the test does not take the book's word for it)."""

TABLES = "[...document.querySelectorAll('article table')]"
SCROLL_BOX = """const scrollBox = (table) => {
  for (let node = table; node && node !== document.body; node = node.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return node;
  }
  return null;
};"""

MISALIGNED = (
    """(pattern) => {
  const number = new RegExp(pattern, 'i');
  const side = (el) => ({start: 'left', end: 'right'})[getComputedStyle(el).textAlign]
    || getComputedStyle(el).textAlign;
  const found = [];
  """
    + TABLES
    + """.forEach((table, t) => {
    const heads = [...table.querySelectorAll('thead th')];
    table.querySelectorAll('tbody tr').forEach((row) => {
      [...row.children].forEach((cell, i) => {
        const text = cell.textContent.trim();
        if (heads[i] && number.test(text) && side(cell) !== side(heads[i])) {
          found.push(`table ${t + 1}, "${heads[i].textContent.trim()}": ${text} is `
            + `${side(cell)}, its header ${side(heads[i])}`);
        }
      });
    });
  });
  return found;
}"""
)

FIRST_COLUMN_LOST = (
    "(_) => {"
    + SCROLL_BOX
    + """
  const found = [];
  """
    + TABLES
    + """.forEach((table, t) => {
    const box = scrollBox(table);
    if (!box || box.scrollWidth <= box.clientWidth) return;
    box.scrollLeft = box.scrollWidth;
    const edge = Math.round(box.getBoundingClientRect().left);
    table.querySelectorAll('tr').forEach((row) => {
      const left = Math.round(row.children[0].getBoundingClientRect().left);
      if (left < edge) found.push(`table ${t + 1}: "${row.children[0].textContent.trim()}" `
        + `scrolled out (${left} < ${edge})`);
    });
  });
  return found;
}"""
)

TABLE_1_HIDDEN = (
    "(_) => {"
    + SCROLL_BOX
    + """
  const table = """
    + TABLES
    + """.find((t) => t.querySelectorAll('thead th').length >= 15);
  if (!table) return ['no table of 15 columns or more on the page'];
  const found = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) found.push('the page scrolls sideways');
  const box = scrollBox(table);
  if (box && box.scrollWidth > box.clientWidth) found.push('Table 1 scrolls inside its box');
  const heads = [...table.querySelectorAll('thead th')].map((h) => h.textContent.trim());
  table.querySelectorAll('tbody tr').forEach((row) => {
    [...row.children].forEach((cell, i) => {
      const r = cell.getBoundingClientRect();
      const label = getComputedStyle(cell, '::before').content;
      const where = `"${row.children[0].textContent.trim()}", ${heads[i]}`;
      if (r.width === 0 || Math.round(r.left) < 0 || Math.round(r.right) > width) {
        found.push(`${where}: outside the screen (${Math.round(r.left)}–${Math.round(r.right)})`);
      } else if (label !== JSON.stringify(heads[i])) {
        found.push(`${where}: shown without its header (${label})`);
      }
    });
  });
  return found;
}"""
)

PREDICTION_INTERVAL_PLACE = (
    "(_) => {"
    + SCROLL_BOX
    + """
  const table = """
    + TABLES
    + """.find((t) => [...t.querySelectorAll('thead th')]
    .some((h) => h.textContent.trim().startsWith('Prediction interval')));
  if (!table) return null;
  const head = [...table.querySelectorAll('thead th')]
    .find((h) => h.textContent.trim().startsWith('Prediction interval'));
  const box = scrollBox(table);
  const r = head.getBoundingClientRect();
  return {
    header: head.textContent.trim(),
    right: Math.round(r.right),
    boxRight: box ? Math.round(box.getBoundingClientRect().right) : window.innerWidth,
    viewport: window.innerWidth,
  };
}"""
)

CUT_IN_PRINT = (
    "(_) => {"
    + SCROLL_BOX
    + """
  const found = [];
  const width = document.documentElement.clientWidth;
  """
    + TABLES
    + """.forEach((table, t) => {
    const box = scrollBox(table);
    const right = Math.round(table.getBoundingClientRect().right);
    if (right > width) found.push(`table ${t + 1} ends at ${right} px, the page at ${width}`);
    if (box && box.scrollWidth > box.clientWidth) {
      found.push(`table ${t + 1} is cut: ${box.scrollWidth} px in a box of ${box.clientWidth}`);
    }
  });
  return found;
}"""
)

A4_WIDTH = 794
"""An A4 page's width in CSS pixels (210 mm at 96 px per inch)."""


def measure(browser, url: str, script: str, *, width: int, arg=None, print_media=False):
    """Open ``url`` at ``width`` (as printed with ``print_media``) and run ``script`` there."""
    page, _, context = visit(browser, url, width=width)
    try:
        if print_media:
            page.emulate_media(media="print")
        return page.evaluate(script, arg)
    finally:
        context.close()


@pytest.mark.parametrize("relative", PAGES)
def test_numbers_are_aligned_as_their_header_at_1280_px(browser, book_url, relative) -> None:
    assert measure(browser, book_url + relative, MISALIGNED, width=1280, arg=NUMBER) == []


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("relative", PAGES)
def test_first_column_stays_in_view_when_a_table_scrolls(
    browser, book_url, relative, width
) -> None:
    assert measure(browser, book_url + relative, FIRST_COLUMN_LOST, width=width) == []


def test_table_1_shows_every_field_on_a_phone(browser, book_url) -> None:
    url = book_url + "book/02-inclusion.html"
    assert measure(browser, url, TABLE_1_HIDDEN, width=375) == []


def test_prediction_interval_is_in_view_at_1280_px(browser, book_url) -> None:
    url = book_url + "book/04-heterogeneity.html"
    place = measure(browser, url, PREDICTION_INTERVAL_PLACE, width=1280)
    assert place is not None, "no table with a prediction interval on the page"
    assert place["right"] <= min(place["boxRight"], place["viewport"]), place


@pytest.mark.parametrize("relative", PAGES)
def test_no_table_is_cut_in_print(browser, book_url, relative) -> None:
    url = book_url + relative
    assert measure(browser, url, CUT_IN_PRINT, width=A4_WIDTH, print_media=True) == []
