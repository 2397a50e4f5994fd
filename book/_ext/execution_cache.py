"""Sphinx extension: a chapter is executed again only when something it reads has changed.

myst-nb's execution cache (jupyter-cache, ``execute_notebooks: cache``) keys each chapter on
its code cells: an edit of the prose finds the chapter's outputs in the cache, and so does a
changed data value or a changed function of the package, which the cache alone cannot see.
This extension gives the cache a folder of its own for every state of what the chapters read
besides their code (`execution_inputs`): the package's source, the data the chapters read
(``KETAMINE_DATA_DIR`` or ``data/``), the locked versions, the bibliography, the chapters'
headings (the Audit chapter links to them) and the ``KETAMINE_*`` settings. A change in any
of them is a new folder, empty, so every chapter runs; a prose edit is the same folder, so no
chapter runs. The folders live in ``_build/.jupyter_cache/``; the newest `KEPT` are kept.

myst-nb 1.4 writes a chapter whose outputs came from the cache to ``jupyter_execute/`` without
them (it saves the notebook it read, not the one the cache filled in); once the build has
finished, `write_executed_chapters` writes each chapter with its outputs there, as an executed
one is written: ``make test`` compares the stored notebooks with these
(tests/book/test_stored_outputs.py).
"""

import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

CACHE_ROOT = Path("_build") / ".jupyter_cache"
"""Where, under the book's source folder, the execution caches are kept."""
KEPT = 4
"""How many caches (states of the inputs) are kept; older ones are removed."""
DATA_DIR_VARIABLE = "KETAMINE_DATA_DIR"
SETTINGS_PREFIX = "KETAMINE_"
HEADING = re.compile(rb"^#{1,6}\s.*$", re.MULTILINE)
logger = logging.getLogger(__name__)


def execution_inputs(source: Path) -> list[Path]:
    """The files, besides a chapter's own code, whose contents its outputs depend on.

    Every file of the package ``analysis/`` (its Python source), every file of the data
    folder (``KETAMINE_DATA_DIR`` when set, else ``data/``), the lock of exact versions, the
    bibliography and the citation file (the Introduction's "How to cite"). Chapters are added
    by `execution_key` through their headings only.
    """
    data = Path(os.environ.get(DATA_DIR_VARIABLE) or source / "data")
    files = sorted((source / "analysis").rglob("*.py"))
    files += sorted(path for path in data.glob("*") if path.is_file())
    files += [source / "requirements.lock", source / "book" / "references.bib"]
    files += [source / "CITATION.cff"]
    return [path for path in files if path.is_file()]


def execution_key(source: Path) -> str:
    """A SHA-256 (16 hex digits) of all that a chapter's outputs depend on but its code.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = Path(tmp)
    ...     for folder in ("analysis", "data", "book"):
    ...         (book / folder).mkdir()
    ...     _ = (book / "data" / "studies.csv").write_text("study,n\\nA,10\\n")
    ...     _ = (book / "book" / "01-x.md").write_text("# Title\\n\\nSome prose.\\n")
    ...     first = execution_key(book)
    ...     _ = (book / "book" / "01-x.md").write_text("# Title\\n\\nOther prose.\\n")
    ...     after_prose = execution_key(book)
    ...     _ = (book / "data" / "studies.csv").write_text("study,n\\nA,11\\n")
    ...     after_data = execution_key(book)
    >>> after_prose == first, after_data == first
    (True, False)
    """
    digest = hashlib.sha256(sys.version.encode())
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith(SETTINGS_PREFIX))
    digest.update(repr(settings).encode())
    for path in execution_inputs(source):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for chapter in sorted((source / "book").glob("[0-9][0-9]-*.md")):
        headings = b"\n".join(HEADING.findall(chapter.read_bytes()))
        digest.update(chapter.name.encode() + b"\0" + hashlib.sha256(headings).digest())
    return digest.hexdigest()[:16]


def _drop_old_caches(root: Path, current: Path) -> None:
    caches = sorted(
        (path for path in root.iterdir() if path.is_dir() and path != current),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in caches[KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _choose_cache(app: Sphinx, config: Config) -> None:
    if config.nb_execution_mode != "cache":
        return
    source = Path(app.srcdir)
    root = source / CACHE_ROOT
    cache = root / execution_key(source)
    cache.mkdir(parents=True, exist_ok=True)
    os.utime(cache)  # the newest state is kept longest
    _drop_old_caches(root, cache)
    config.nb_execution_cache_path = str(cache)
    logger.info("execution_cache: %s", cache.relative_to(source))


def write_executed_chapters(app: Sphinx, exception: Exception | None) -> None:
    """Write each chapter with the outputs its build used into myst-nb's ``jupyter_execute``."""
    if exception is not None or app.config.nb_execution_mode != "cache":
        return
    import nbformat
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader
    from myst_nb.sphinx_ext import OUTPUT_FOLDER

    cache = get_cache(app.config.nb_execution_cache_path)
    folder = Path(app.outdir).parent / OUTPUT_FOLDER
    for docname in sorted(app.env.found_docs):
        target = folder / f"{docname}.ipynb"
        if not target.is_file():
            continue
        source = Path(app.env.doc2path(docname))
        text = source.read_text(encoding="utf-8")
        reader = create_nb_reader(str(source), app.env.myst_config, app.env.mystnb_config, text)
        try:
            _, executed = cache.merge_match_into_notebook(reader.read(text))
        except KeyError:  # the chapter failed to execute: the build fails and is not kept
            continue
        nbformat.write(executed, target)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _choose_cache)
    app.connect("build-finished", write_executed_chapters)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
