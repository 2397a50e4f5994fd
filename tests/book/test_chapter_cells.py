"""Chapters are literate analysis: prose, a short call into the package, its result.

Every code cell of every chapter (book/NN-*.md, the MyST sources) is at most
`MAX_CELL_LINES` non-blank lines, and no chapter defines a function or a class: the code that
computes or draws lives in `analysis/`, where it is tested. Chapters import the package from
the four rooms' faces (`FACES`), never from a module deep inside a room.
"""

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

MAX_CELL_LINES = 15
FACES = {"analysis.metaanalysis", "analysis.charts", "analysis.paper", "analysis.audit"}
CHAPTERS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.md"))
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.M | re.S)


def code_cells(chapter: Path) -> list[tuple[int, str]]:
    """``(line number of the fence, code)`` of each code cell, without its ``:key:`` options."""
    text = chapter.read_text(encoding="utf-8")
    cells = []
    for match in CELL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        body = match.group(1)
        options = re.match(r"(?:---\n.*?\n---\n|(?::[^\n]*\n)*)", body, re.S)
        cells.append((line, body[options.end() :] if options else body))
    return cells


def long_cells(chapter: Path) -> list[str]:
    return [
        f"{chapter.name}:{line} has {n} lines"
        for line, code in code_cells(chapter)
        if (n := sum(1 for row in code.splitlines() if row.strip())) > MAX_CELL_LINES
    ]


def definitions(chapter: Path) -> list[str]:
    found = []
    for line, code in code_cells(chapter):
        for node in ast.walk(ast.parse(code)):
            if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ):
                name = getattr(node, "name", "lambda")
                found.append(f"{chapter.name}:{line} defines {name}")
    return found


def deep_imports(chapter: Path) -> list[str]:
    found = []
    for line, code in code_cells(chapter):
        for node in ast.walk(ast.parse(code)):
            modules = (
                [node.module]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [
                f"{chapter.name}:{line} imports {module}"
                for module in modules
                if module and module.split(".")[0] == "analysis" and module not in FACES
            ]
    return found


def test_the_chapters_are_found() -> None:
    assert len(CHAPTERS) >= 9
    assert all(code_cells(chapter) for chapter in CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_no_cell_is_longer_than_fifteen_lines(chapter: Path) -> None:
    assert long_cells(chapter) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_no_chapter_defines_a_function(chapter: Path) -> None:
    assert definitions(chapter) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapters_import_from_the_rooms_faces(chapter: Path) -> None:
    assert deep_imports(chapter) == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    chapter = tmp_path / "99-probe.md"
    long_body = "\n".join(f"x{i} = {i}" for i in range(MAX_CELL_LINES + 1))
    chapter.write_text(
        "# Probe\n\n```{code-cell} ipython3\n:tags: [hide-input]\n\n"
        f"{long_body}\n```\n\n```{{code-cell}} ipython3\ndef helper():\n    return 1\n```\n\n"
        "```{code-cell} ipython3\nfrom analysis.paper.data import load_table\n```\n",
        encoding="utf-8",
    )
    assert long_cells(chapter) == [f"99-probe.md:3 has {MAX_CELL_LINES + 1} lines"]
    assert definitions(chapter) == ["99-probe.md:24 defines helper"]
    assert deep_imports(chapter) == ["99-probe.md:29 imports analysis.paper.data"]
