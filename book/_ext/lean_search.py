"""Sphinx extension: only the search page loads the search scripts and index.

pydata-sphinx-theme's layout puts ``searchtools.js``, ``language_data.js`` and
``searchindex.js`` (about 97 KB) on every page so that search-as-you-type can work anywhere.
The book does not enable it (``DOCUMENTATION_OPTIONS.search_as_you_type`` is false): the
sidebar search field and the Ctrl+K dialog are forms that submit to ``search.html``, which
loads the three scripts itself and shows the results. So the build takes them off every other
page (``tests/browser/test_search_field.py`` searches from a chapter).
"""

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

SEARCH_PAGE = "search.html"
SEARCH_SCRIPTS = re.compile(
    r"[ \t]*<script src=\"[^\"]*(?:_static/searchtools\.js|_static/language_data\.js"
    r"|searchindex\.js)(?:\?[^\"]*)?\"></script>\n"
)
"""A script tag of the search code or index, with its line."""
logger = logging.getLogger(__name__)


def _drop_search_scripts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    lightened = 0
    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).as_posix() == SEARCH_PAGE:
            continue
        text = page.read_text(encoding="utf-8")
        lighter = SEARCH_SCRIPTS.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
            lightened += 1
    logger.info("lean_search: search scripts taken off %d pages", lightened)


def setup(app: Sphinx) -> dict:
    # After page_weight (900), before unused_css (910), which reads the pages.
    app.connect("build-finished", _drop_search_scripts, priority=905)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
