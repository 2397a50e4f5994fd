"""Where the project's files are, independent of the working directory.

The data are read from ``data/`` in the repository unless the environment variable
``KETAMINE_DATA_DIR`` names another folder with the same files (a copy of ``data/`` with an
edit, as the data-edit tests in ``tests/data_edits/`` make): the package, the data check
(``python -m analysis.paper``), ``analysis.paper.checksums`` and the chapters then read and
check that copy, and nothing in ``data/`` is read or written. The variable is read once, when
this module is first imported: set it before Python starts (or before the first
``import analysis``).
"""

import os
from pathlib import Path

DATA_DIR_VARIABLE = "KETAMINE_DATA_DIR"
"""The environment variable that names another copy of ``data/``."""

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get(DATA_DIR_VARIABLE) or REPO_ROOT / "data").resolve()
DATAPACKAGE = DATA_DIR / "datapackage.json"
