"""The library room (analysis/metaanalysis) knows nothing of the paper.

Its modules read no data file, name no study of the paper, and refer to no figure or table of
it: their examples use data of their own (or classic data sets), so the library could be
published alone. The rooms' import order is checked by tests/book/test_import_contracts.py;
this checks the text of the modules.
"""

import ast
import csv
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LIBRARY = REPO_ROOT / "analysis" / "metaanalysis"
MODULES = sorted(LIBRARY.glob("*.py"))


def study_authors() -> set[str]:
    """First authors of the paper's studies (``Correll`` of ``Correll 2004``), from Table 1."""
    with (REPO_ROOT / "data" / "studies.csv").open(encoding="utf-8") as table:
        return {row["label"].split()[0] for row in csv.DictReader(table)}


FORBIDDEN = [
    *(re.compile(rf"\b{re.escape(author)}\b", re.I) for author in sorted(study_authors())),
    re.compile(r"\bZhao\b"),
    re.compile(r"\bthe\s+paper\b", re.I),
    re.compile(r"\bthis\s+book\b", re.I),
    re.compile(r"\b(ketamine|CRPS)\b", re.I),
    re.compile(r"\bFig\. ?\d"),
    re.compile(r"\bTable 1\b"),
    re.compile(r"\bdata/"),
]
READERS = {"open", "read_csv", "read_text", "read_bytes", "loadtxt", "genfromtxt"}


def mentions(module: Path) -> list[str]:
    text = module.read_text(encoding="utf-8")
    return [
        f"{module.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for pattern in FORBIDDEN
        for m in pattern.finditer(text)
    ]


def file_reads(module: Path) -> list[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [
        f"{module.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in READERS
    ]


def test_there_are_study_names_to_look_for() -> None:
    assert {"Correll", "Kiefer", "Schwartzman"} <= study_authors()


@pytest.mark.parametrize("module", MODULES, ids=[m.stem for m in MODULES])
def test_the_module_names_nothing_of_the_paper(module: Path) -> None:
    assert mentions(module) == []


@pytest.mark.parametrize("module", MODULES, ids=[m.stem for m in MODULES])
def test_the_module_reads_no_file(module: Path) -> None:
    assert file_reads(module) == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('"""As in the paper\'s Fig. 4a (Correll 2004)."""\nopen("data/x.csv")\n')
    assert len(mentions(probe)) == 4
    assert file_reads(probe) == ["probe.py:2"]
