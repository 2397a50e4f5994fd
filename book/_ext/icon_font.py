"""Sphinx extension: the Font Awesome web fonts carry only the icons the book can draw.

pydata-sphinx-theme serves Font Awesome's solid font (156 KB as woff2) and loads it on every
page for a dozen icons. Once ``unused_css`` has removed the rules of icons no page uses, every
icon the book can still draw is a character in a CSS string: a ``content`` value
(``.fa-bars:before{content:"\\f0c9"}``) or a custom property the theme uses as one
(``--pst-icon-admonition-note:"\\f05a"``). Each font under ``_static/vendor/fontawesome`` is
subset with fontTools to those characters (the ones its character map has), written in the
same format under the same name, so the stylesheets' ``@font-face`` rules stay as they are.

Reference: fontTools' subsetter, https://fonttools.readthedocs.io/en/latest/subset/
"""

from dataclasses import dataclass
from pathlib import Path

import tinycss2
from fontTools import subset
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx
from sphinx.util import logging

FONT_FOLDER = "_static/vendor/fontawesome/webfonts"
FONT_SUFFIXES = {".woff2": "woff2", ".woff": "woff", ".ttf": None}
"""Font files subset, and the fontTools flavour each is written in (None: plain TrueType)."""
ICON_STRING_LENGTH = 2
"""Longest CSS string taken as icon characters (an icon is one character, at most a pair)."""
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubsetFont:
    """One font file before and after subsetting."""

    path: Path
    bytes_before: int
    bytes_after: int
    glyphs_kept: int


def _strings(nodes) -> set[str]:
    """Short strings among parsed CSS nodes, in rules, blocks and functions at any depth."""
    found: set[str] = set()
    for node in nodes or ():
        if node.type == "string" and len(node.value) <= ICON_STRING_LENGTH:
            found.add(node.value)
        for children in ("prelude", "content", "arguments"):
            if node.type != "string":
                found |= _strings(getattr(node, children, None))
    return found


def icon_characters(stylesheets: list[str]) -> frozenset[int]:
    """The code points of every short CSS string in the stylesheets: the icons they can draw.

    Parameters
    ----------
    stylesheets
        The text of each stylesheet (after unused rules were removed).

    Returns
    -------
    frozenset of int
        Code points of the characters of every string of at most ``ICON_STRING_LENGTH``
        characters in a rule, an at-rule or a custom property.
    """
    strings: set[str] = set()
    for text in stylesheets:
        strings |= _strings(tinycss2.parse_stylesheet(text, skip_comments=True))
    return frozenset(ord(character) for string in strings for character in string)


def subset_font(path: Path, characters: frozenset[int]) -> SubsetFont:
    """Rewrite a font file in place with only the glyphs of ``characters`` it has."""
    before = path.stat().st_size
    font = TTFont(path)
    wanted = characters & set(font.getBestCmap())
    options = subset.Options()
    options.flavor = FONT_SUFFIXES[path.suffix]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    font.save(path)
    return SubsetFont(path, before, path.stat().st_size, len(wanted))


def _subset_icon_fonts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    characters = icon_characters(
        [sheet.read_text(encoding="utf-8") for sheet in (outdir / "_static").rglob("*.css")]
    )
    fonts = sorted(
        path for path in (outdir / FONT_FOLDER).glob("*") if path.suffix in FONT_SUFFIXES
    )
    results = [subset_font(path, characters) for path in fonts]
    logger.info(
        "icon_font: %d fonts from %d to %d bytes",
        len(results),
        sum(result.bytes_before for result in results),
        sum(result.bytes_after for result in results),
    )


def setup(app: Sphinx) -> dict:
    # After unused_css (910), whose pruned stylesheets name the icons still drawn.
    app.connect("build-finished", _subset_icon_fonts, priority=920)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
