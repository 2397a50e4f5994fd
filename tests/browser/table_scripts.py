"""What the table checks run in a page (issue 13, item 5), as JavaScript for Chromium.

Used by `tests.browser.page_checks` on each page of the built book:

- `MISALIGNED`: a cell that reads as a number (`NUMBER`) aligned otherwise than its header.
- `FIRST_COLUMN_LOST`: a table wider than its box, scrolled to its end, loses its first column
  (the box is scrolled back afterwards, so that later checks see the page as loaded).
- `TABLE_1_HIDDEN`: Table 1 (17 columns) does not show every field with its header, inside
  the screen, without scrolling.
- `PREDICTION_INTERVAL_PLACE`: where the heterogeneity table's prediction interval header is.
- `CUT_IN_PRINT`: printed, a table wider than the page or cut off by its box.

Positions are compared in whole pixels (rounded), as the browser lays text out on sub-pixels.
"""

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
    const before = box.scrollLeft;
    box.scrollLeft = box.scrollWidth;
    const edge = Math.round(box.getBoundingClientRect().left);
    table.querySelectorAll('tr').forEach((row) => {
      const left = Math.round(row.children[0].getBoundingClientRect().left);
      if (left < edge) found.push(`table ${t + 1}: "${row.children[0].textContent.trim()}" `
        + `scrolled out (${left} < ${edge})`);
    });
    box.scrollLeft = before;
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
