"""Which Font Awesome icons a page shows, and whether each is in the font file it is drawn from.

``book/_ext/icon_font.py`` keeps in each Font Awesome font only the icons the pruned stylesheets
can draw. `ICONS` (JavaScript) lists every visible Font Awesome element (class ``fa-*``) and
every admonition title's icon with its ``::before`` (or ``::after``) characters and the font file
the ``@font-face`` rule for its family and weight serves; `missing_icons` names those whose
character is not in that file.
"""

from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from fontTools.ttLib import TTFont

from tests.conftest import BUILT_HTML

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


def missing_icons(icons: list[dict], book_url: str) -> list[str]:
    """One line for each icon of `ICONS`'s list with no character, or one its font lacks."""
    missing = []
    for icon in icons:
        font = _font_file(icon["src"], book_url) if icon["src"] else None
        if not icon["characters"] or font is None or not Path(BUILT_HTML / font).is_file():
            missing.append(f"{icon['element']} {icon['pseudo']}: no character or no font")
        elif not set(icon["characters"]) <= _code_points(font):
            codes = [hex(code) for code in icon["characters"]]
            missing.append(f"{icon['element']} {icon['pseudo']}: {codes} not in {font}")
    return missing
