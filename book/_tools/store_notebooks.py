"""Execute each chapter's MyST source and store the result in its paired ``.ipynb``.

Usage: ``python book/_tools/store_notebooks.py book/03-pooling.md [...]`` (``make notebooks``).

The stored notebook is the record that nbval re-executes and compares, so it must change only
when an output changes. Unlike ``jupytext --execute`` this gives cells stable ids (their
position) and drops the execution timestamps that Jupyter writes into cell metadata, so a
re-run with nothing changed leaves the file byte for byte the same. (``jupytext --update
--execute`` keeps the old outputs and so would not refresh the record at all.)
"""

import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

TIMEOUT = 300


def store(chapter: Path) -> Path:
    """Execute ``chapter`` (a ``.md``) in its own folder and write ``chapter.ipynb``."""
    notebook = jupytext.read(chapter)
    NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(chapter.parent)}},
    ).execute()
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"
        cell.metadata.pop("execution", None)
    target = chapter.with_suffix(".ipynb")
    nbformat.validate(notebook)
    jupytext.write(notebook, target, fmt="ipynb")
    return target


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for name in argv:
        target = store(Path(name))
        print(f"stored {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
