"""Every icon the book shows is drawn from its Font Awesome font, after the fonts were subset.

``book/_ext/icon_font.py`` keeps in each Font Awesome font only the icons the pruned
stylesheets can draw. On each page at a desktop's and a phone's width, every visible Font
Awesome element (class ``fa-*``) and every admonition title's icon must have a non-empty
``::before`` (or ``::after``) character, and that character must be in the font file the
``@font-face`` rule for its family and weight serves.
"""

from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fontTools.ttLib import TTFont

from tests.browser.pages import PAGES, visit
from tests.conftest import BUILT_HTML

WIDTHS = (375, 1280)
REDIRECT = "index.html"
"""Only redirects to the introduction, which is tested itself."""
ICONS = """() => {
  const faces = [...document.styleSheets].flatMap(sheet => {
    try { return [...sheet.cssRules]; } catch (error) { return []; }
  }).filter(rule => rule instanceof CSSFontFaceRule).map(rule => ({
    family: rule.style.getPropertyValue('font-family').replace(/["']/g, '').trim(),
    weight: rule.style.getPropertyValue('font-weight').trim(),
    src: new URL(rule.style.getPropertyValue('src').match(/url\\(["']?([^"')]+)/)[1],
                 rule.parentStyleSheet.href).href,
  }));
  const shown = el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
  const icons = [];
  const elements = [
    ...[...document.querySelectorAll('[class*="fa-"]')].map(el => [el, '::before']),
    ...[...document.querySelectorAll('.admonition-title')].map(el => [el, '::after']),
  ];
  for (const [el, pseudo] of elements) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el, pseudo);
    const family = style.fontFamily.split(',')[0].replace(/["']/g, '').trim();
    if (!family.startsWith('Font Awesome')) continue;
    const text = style.content.replace(/^["']|["']$/g, '');
    const face = faces.find(f => f.family === family && f.weight === style.fontWeight);
    icons.push({
      element: el.outerHTML.slice(0, 120), pseudo, family, weight: style.fontWeight,
      characters: [...(text === 'none' ? '' : text)].map(c => c.codePointAt(0)),
      src: face ? face.src : null,
    });
  }
  return icons;
}"""


@cache
def _code_points(relative: str) -> frozenset[int]:
    return frozenset(TTFont(BUILT_HTML / relative).getBestCmap())


def _font_file(src: str, book_url: str) -> str:
    return urlparse(src).path.removeprefix(urlparse(book_url).path)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_name", [page for page in PAGES if page != REDIRECT])
def test_every_shown_icon_is_in_its_font(browser, book_url, page_name, width) -> None:
    page, report, context = visit(browser, book_url + page_name, width=width)
    try:
        page.evaluate("document.fonts.ready")
        icons = page.evaluate(ICONS)
        problems = report.problems()
    finally:
        context.close()
    assert icons, f"{page_name} at {width} px shows no Font Awesome icon"
    missing = []
    for icon in icons:
        font = _font_file(icon["src"], book_url) if icon["src"] else None
        if not icon["characters"] or font is None or not Path(BUILT_HTML / font).is_file():
            missing.append(f"{icon['element']} {icon['pseudo']}: no character or no font")
        elif not set(icon["characters"]) <= _code_points(font):
            codes = [hex(code) for code in icon["characters"]]
            missing.append(f"{icon['element']} {icon['pseudo']}: {codes} not in {font}")
    assert not missing, "\n".join(missing)
    assert not problems, problems
