"""`make lab` passes JupyterLab's --allow-root only when run as root (issue 15, item 5).

The recipe is read with ``make -n`` (nothing is launched) under a faked ``id -u``.
"""

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def lab_command(tmp_path: Path, uid: int) -> str:
    """The lines ``make -n lab`` would run, with ``id`` answering ``uid`` to ``id -u``."""
    fake_bin = tmp_path / f"bin{uid}"
    fake_bin.mkdir()
    fake_id = fake_bin / "id"
    fake_id.write_text(
        f'#!/bin/sh\n[ "$1" = "-u" ] && echo {uid} && exit 0\nexec /usr/bin/id "$@"\n'
    )
    fake_id.chmod(fake_id.stat().st_mode | stat.S_IXUSR)
    stamp = REPO_ROOT / ".venv-lab" / ".installed"
    # -o: treat the lab environment as made, so that make -n prints only the launch.
    run = subprocess.run(
        ["make", "-n", "-o", str(stamp.relative_to(REPO_ROOT)), "lab"],
        cwd=REPO_ROOT,
        env={**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


@pytest.mark.parametrize(("uid", "allowed"), [(0, True), (1000, False)])
def test_allow_root_only_as_root(tmp_path: Path, uid: int, allowed: bool) -> None:
    command = lab_command(tmp_path, uid)
    assert "jupyter lab" in command
    assert ("--allow-root" in command) is allowed
