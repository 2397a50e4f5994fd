"""Sphinx extension: the built book carries no file that no page loads.

Runs once the HTML build has finished:

1. **Font Awesome's script.** pydata-sphinx-theme puts ``scripts/fontawesome.js`` (1.5 MB) on
   every page so that icons can be drawn as SVG. Its stylesheet already draws every icon the
   theme uses with the Font Awesome web font, so the script tag is taken out of each page and
   the script deleted.
2. **sphinx-design's tab script.** sphinx-design puts ``design-tabs.js`` on every page; it
   only drives tab sets (``sd-tab-set``). When no page has one, its script tag is taken out of
   each page and the script deleted.
3. **Files nothing refers to** (listed in ``UNUSED``): the theme's translations (the book is
   in English), source maps, the thebe files that ``offline_assets`` takes off every page, the
   theme's copies of its HTML templates, icons of buttons the book does not show.

``tests/book/test_page_weight.py`` checks in Chromium that what is left is used by some page
and that each page's first load stays within its limits.
"""

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

FONTAWESOME_SCRIPT = re.compile(
    r"[ \t]*<!-- So that users can add custom icons -->\n"
    r"[ \t]*<script defer src=\"[^\"]*_static/scripts/fontawesome\.js\?[^\"]*\"></script>\n"
)
DESIGN_TABS_SCRIPT = re.compile(
    r"[ \t]*<script data-sd-tabs-storage-prefix=\"[^\"]*\" "
    r"src=\"[^\"]*_static/design-tabs\.js\?[^\"]*\"></script>\n"
)
DESIGN_TABS = "_static/design-tabs.js"
TAB_SET = 'class="sd-tab-set'
"""How sphinx-design marks a tab set in a page."""
UNUSED = (
    "_static/scripts/fontawesome.js",
    "_static/scripts/fontawesome.js.LICENSE.txt",
    "_static/locales",
    "_static/sphinx-thebe.js",
    "_static/sphinx-thebe.css",
    "_static/webpack-macros.html",
    "_static/sbt-webpack-macros.html",
    # sphinx-copybutton draws its icons inline; these are its sources and spare copies.
    "_static/check-solid.svg",
    "_static/copy-button.svg",
    "_static/copybutton_funcs.js",
    # Launch-button logos and thebe's "run" icon: the book has no launch buttons or kernel.
    "_static/images",
    "_static/play-solid.svg",
    # Sphinx's expand/collapse icons for a split general index, which the book does not have.
    "_static/minus.png",
    "_static/plus.png",
)
"""Paths under the output folder that no page loads or links."""
logger = logging.getLogger(__name__)


def _drop_script(outdir: Path, script_tag: re.Pattern) -> None:
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = script_tag.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")


def _has_tab_set(outdir: Path) -> bool:
    return any(TAB_SET in page.read_text(encoding="utf-8") for page in outdir.rglob("*.html"))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _prune(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    _drop_script(outdir, FONTAWESOME_SCRIPT)
    if not _has_tab_set(outdir):
        _drop_script(outdir, DESIGN_TABS_SCRIPT)
        _remove(outdir / DESIGN_TABS)
    for relative in UNUSED:
        _remove(outdir / relative)
    for source_map in outdir.rglob("*.map"):
        source_map.unlink()
    logger.info("page_weight: removed the files no page loads")


def setup(app: Sphinx) -> dict:
    # After every other build-finished handler (priority 500 by default) has written its files.
    app.connect("build-finished", _prune, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
