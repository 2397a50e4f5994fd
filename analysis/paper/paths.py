"""Where the project's files are, independent of the working directory."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
DATAPACKAGE = DATA_DIR / "datapackage.json"
