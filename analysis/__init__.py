"""The package of the ketamine–CRPS book, in four rooms, each importing only from those below it.

- `analysis.audit`: every claim of the paper with its status, and the book's verdict;
- `analysis.paper`: Zhao, Wang & Wang (2018): its data, printed values, readings, re-analyses;
- `analysis.charts`: the theme, the offline renderer, the charts and tables;
- `analysis.metaanalysis`: meta-analysis statistics that know nothing of the paper.

An import-linter contract (``pyproject.toml``, run by ``make lint`` and ``make test``) keeps
the order. For convenience the library's main functions are importable from here too
(``from analysis import pool``).

``__version__`` is the release, set here only: ``pyproject.toml`` reads it, ``CHANGELOG.md``
says what each release changed, and every page of the built book shows it in its footer.
"""

from analysis.metaanalysis import *  # noqa: F403 (the library's face, for `from analysis import pool`)
from analysis.metaanalysis import __all__ as __all__

__version__ = "0.2.0"
