"""The package's rooms keep their order: import-linter's contracts in pyproject.toml.

The contracts (``[tool.importlinter]``): audit above paper above charts above the
meta-analysis library, each importing only from the rooms below it; the library imports no
chart or data-package code; charts read no data package. Checked on the package as it is, and
shown to fail on a copy with one upward import, so that the check can fail.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_package_keeps_its_contracts() -> None:
    run = lint_imports(REPO_ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout


def test_an_upward_import_breaks_the_rooms_contract(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        REPO_ROOT / "analysis", tmp_path / "analysis", ignore=shutil.ignore_patterns("__pycache__")
    )
    pooling = tmp_path / "analysis" / "metaanalysis" / "pooling.py"
    pooling.write_text(pooling.read_text() + "\nfrom analysis.paper import published  # noqa\n")
    run = lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Rooms: audit above paper above charts above the meta-analysis library BROKEN" in (
        run.stdout
    )
    assert "analysis.metaanalysis.pooling -> analysis.paper.published" in run.stdout
