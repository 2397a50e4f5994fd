"""Sphinx extension: the built book carries no file that no page loads.

Runs once the HTML build has finished:

1. **Font Awesome's script.** pydata-sphinx-theme puts ``scripts/fontawesome.js`` (1.5 MB) on
   every page so that icons can be drawn as SVG. Its stylesheet already draws every icon the
   theme uses with the Font Awesome web font, so the script tag is taken out of each page and
   the script deleted.
2. **Scripts for elements the book does not have** (``OPTIONAL_ASSETS``): sphinx-design's
   ``design-tabs.js`` drives tab sets only, sphinx-togglebutton's script and stylesheet fold
   ``.toggle`` elements and dropdown admonitions only. When no page has such an element, their
   tags are taken out of each page and the files deleted.
3. **Files nothing refers to** (listed in ``UNUSED``): the theme's translations (the book is
   in English), source maps, the thebe files that ``offline_assets`` takes off every page, the
   theme's copies of its HTML templates, icons of buttons the book does not show.

``tests/browser/page_checks.py`` checks in Chromium that what is left is used by some page
and that each page's first load stays within its limits.
"""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

FONTAWESOME_SCRIPT = re.compile(
    r"[ \t]*<!-- So that users can add custom icons -->\n"
    r"[ \t]*<script defer src=\"[^\"]*_static/scripts/fontawesome\.js\?[^\"]*\"></script>\n"
)


@dataclass(frozen=True)
class OptionalAssets:
    """Files an extension puts on every page that only some kind of element needs."""

    files: tuple[str, ...]
    tags: re.Pattern
    """The script and stylesheet tags that load them, each with its line."""
    needed_by: re.Pattern
    """Markup of an element that needs them."""


OPTIONAL_ASSETS = (
    # sphinx-design's tab script drives tab sets only.
    OptionalAssets(
        files=("_static/design-tabs.js",),
        tags=re.compile(
            r"[ \t]*<script data-sd-tabs-storage-prefix=\"[^\"]*\" "
            r"src=\"[^\"]*_static/design-tabs\.js\?[^\"]*\"></script>\n"
        ),
        needed_by=re.compile(r"class=\"sd-tab-set"),
    ),
    # sphinx-togglebutton folds elements of class "toggle" and dropdown admonitions; myst-nb's
    # hidden cells are <details> elements, which need no script.
    OptionalAssets(
        files=("_static/togglebutton.js", "_static/togglebutton.css"),
        tags=re.compile(
            r"[ \t]*<(?:script src|link rel=\"stylesheet\" type=\"text/css\" href)="
            r"\"[^\"]*_static/togglebutton\.(?:js|css)\?[^\"]*\"(?:></script>| />)\n"
        ),
        needed_by=re.compile(
            r"class=\"(?:[^\"]* )?(?:toggle|admonition [^\"]*dropdown|dropdown [^\"]*admonition)"
            r"(?: [^\"]*)?\""
        ),
    ),
)
"""Assets taken off every page, and deleted, when no page has an element that needs them."""
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


def _needed(outdir: Path, assets: OptionalAssets) -> bool:
    return any(
        assets.needed_by.search(page.read_text(encoding="utf-8"))
        for page in outdir.rglob("*.html")
    )


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
    for assets in OPTIONAL_ASSETS:
        if not _needed(outdir, assets):
            _drop_script(outdir, assets.tags)
            for relative in assets.files:
                _remove(outdir / relative)
    for relative in UNUSED:
        _remove(outdir / relative)
    for source_map in outdir.rglob("*.map"):
        source_map.unlink()
    logger.info("page_weight: removed the files no page loads")


def setup(app: Sphinx) -> dict:
    # After every other build-finished handler (priority 500 by default) has written its files.
    app.connect("build-finished", _prune, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
