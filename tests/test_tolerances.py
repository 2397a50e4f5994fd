"""The table of tolerances (tests/tolerances.py), and that the tests use it.

Every tolerance has a one-line reason and a size in (0, 1e-2); no test under tests/library,
tests/paper, tests/charts or tests/audit (nor the reference comparison) types a tolerance of its
own: a number given as ``rtol=``, ``atol=``, ``rel=``, ``abs=``, ``rel_tol=`` or ``abs_tol=`` (or
in their positions) to ``pytest.approx``, ``math.isclose``, ``numpy.allclose`` or
``numpy.testing.assert_allclose``, such a call that leaves its tolerance to the default, a
constant named ``*TOL*`` or ``*slack*`` set to a number, or a small number added to one side of
an inequality.
"""

import ast
from pathlib import Path

import pytest

from tests import tolerances
from tests.conftest import REPO_ROOT
from tests.tolerances import Tolerance

SCANNED = [
    *(REPO_ROOT / "tests" / room for room in ("library", "paper", "charts", "audit")),
    REPO_ROOT / "tests" / "reference" / "compare.py",
]
COMPARISONS = {"approx", "isclose", "allclose", "assert_allclose"}
TOLERANCE_KEYWORDS = {"rtol", "atol", "rel", "abs", "rel_tol", "abs_tol"}
# Positional index of the first tolerance argument of each comparison.
FIRST_TOLERANCE_POSITION = {"approx": 1, "isclose": 2, "allclose": 2, "assert_allclose": 2}
LARGEST = 1e-2


def _table() -> dict[str, Tolerance]:
    """Every tolerance of tests/tolerances.py by name (entries of a dict as NAME[key])."""
    found = {}
    for name, value in vars(tolerances).items():
        if isinstance(value, Tolerance):
            found[name] = value
        elif isinstance(value, dict):
            found |= {f"{name}[{k!r}]": v for k, v in value.items() if isinstance(v, Tolerance)}
    return found


TABLE = _table()


def test_the_table_is_not_empty() -> None:
    assert len(TABLE) > 20


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_tolerance_has_a_reason_and_a_size_below_1e_2(name: str) -> None:
    tolerance = TABLE[name]
    assert tolerance.reason.strip(), f"{name} has no reason"
    assert "\n" not in tolerance.reason, f"{name}: the reason is one line"
    assert tolerance.rtol >= 0 and tolerance.atol >= 0, f"{name} has a negative part"
    assert tolerance.rtol > 0 or tolerance.atol > 0, f"{name} is not positive"
    assert tolerance.rtol < LARGEST and tolerance.atol < LARGEST, f"{name} is 1e-2 or more"


@pytest.mark.parametrize("name", sorted(n for n in vars(tolerances) if n.isupper()))
def test_each_tolerance_is_used_by_a_test(name: str) -> None:
    sources = [path.read_text(encoding="utf-8") for path in _scanned_files()]
    assert any(name in source for source in sources), f"{name} is used by no test"


def _scanned_files() -> list[Path]:
    files = []
    for place in SCANNED:
        files += sorted(place.rglob("*.py")) if place.is_dir() else [place]
    return files


def _comparison(func: ast.expr) -> str:
    """The comparison a call makes (``approx``, ...), if it is pytest's, math's or numpy's
    own (not a method of a `Tolerance`); else ``""``."""
    if isinstance(func, ast.Name):
        return func.id if func.id in COMPARISONS else ""
    if isinstance(func, ast.Attribute) and func.attr in COMPARISONS:
        owner = func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else _name(owner)
        return func.attr if owner_name in {"pytest", "math", "np", "numpy", "testing"} else ""
    return ""


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _small_numbers(node: ast.AST) -> list[float]:
    """Number literals in (0, 1) anywhere inside ``node`` (1.0 in ``max(1.0, x)`` is a scale)."""
    return [
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, int | float)
        and not isinstance(n.value, bool)
        and 0 < abs(n.value) < 1
    ]


def literal_tolerances(source: str, filename: str) -> list[str]:
    """Each tolerance typed in ``source``, as ``filename:line: what``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Call) and _comparison(node.func):
            function = _comparison(node.func)
            given = [k for k in node.keywords if k.arg in TOLERANCE_KEYWORDS]
            for keyword in given:
                if _small_numbers(keyword.value):
                    found.append((node.lineno, f"{function}(..., {keyword.arg}=<number>)"))
            positional = node.args[FIRST_TOLERANCE_POSITION[function] :]
            if any(_small_numbers(arg) for arg in positional):
                found.append((node.lineno, f"{function}(...) with a tolerance by position"))
            if not given and not positional and not any(k.arg is None for k in node.keywords):
                found.append((node.lineno, f"{function}(...) with its default tolerance"))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value in TOLERANCE_KEYWORDS
                    and _small_numbers(value)
                ):
                    found.append((node.lineno, f"{{{key.value!r}: <number>}}"))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            if any("tol" in n.lower() or "slack" in n.lower() for n in names) and (
                node.value is not None and _small_numbers(node.value)
            ):
                found.append((node.lineno, f"{', '.join(names)} = <number>"))
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops
        ):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.BinOp) and _small_numbers(s) for s in sides):
                found.append((node.lineno, "an inequality with a number as slack"))
    return [f"{filename}:{line}: {what}" for line, what in sorted(set(found))]


def test_no_test_types_a_tolerance() -> None:
    """Each tolerance comes from tests/tolerances.py; the message names file and line."""
    found = []
    for path in _scanned_files():
        shown = str(path.relative_to(REPO_ROOT))
        found += literal_tolerances(path.read_text(encoding="utf-8"), shown)
    assert not found, "tolerances typed in tests (use tests/tolerances.py):\n" + "\n".join(found)


TYPED = [
    ("assert x == pytest.approx(1.0, rel=1e-9)", "approx(..., rel=<number>)"),
    ("assert x == approx(1.0, 1e-9)", "approx(...) with a tolerance by position"),
    ("assert x == pytest.approx(1.0)", "approx(...) with its default tolerance"),
    ("assert math.isclose(a, b, abs_tol=1e-12 * c)", "isclose(..., abs_tol=<number>)"),
    ("np.testing.assert_allclose(a, b, rtol=2e-6)", "assert_allclose(..., rtol=<number>)"),
    ("np.testing.assert_allclose(a, b, 1e-6)", "assert_allclose(...) with a tolerance by"),
    ("assert np.allclose(a, b)", "allclose(...) with its default tolerance"),
    ("kwargs = {'rtol': 1e-9}", "{'rtol': <number>}"),
    ("RTOL, ATOL = 1e-9, 1e-12", "RTOL, ATOL = <number>"),
    ("slack = 1e-12 * max(1.0, x)", "slack = <number>"),
    ("assert a >= b - 1e-9", "an inequality with a number as slack"),
    ("assert a >= b * (1 - 1e-12)", "an inequality with a number as slack"),
]


@pytest.mark.parametrize(("line", "what"), TYPED, ids=[t[0] for t in TYPED])
def test_a_typed_tolerance_is_found_with_file_and_line(line: str, what: str) -> None:
    source = f"import math\n\n\ndef test_x(x, a, b, c):\n    {line}\n"
    found = literal_tolerances(source, "tests/library/test_x.py")
    assert len(found) == 1, found
    assert found[0].startswith(f"tests/library/test_x.py:5: {what}")


ALLOWED = [
    "assert x == CLOSED_FORM_IDENTITY.approx(1.0)",
    "assert POOL_INVARIANT.isclose(a, b, max(1.0, c))",
    "assert math.isclose(a, b, rel_tol=T.rtol, abs_tol=T.atol * max(1.0, c))",
    "np.testing.assert_allclose(a, b, **kwargs)",
    "T.assert_allclose(a, b, err_msg='x')",
    "assert a >= b - T.atol * max(1, abs(b))",
    "assert bound == 1e-6",
    "squeezed = [m + (y - m) * 1e-6 for y in x]",
    "assert 0 <= a <= 1",
]


@pytest.mark.parametrize("line", ALLOWED)
def test_a_named_tolerance_and_plain_numbers_pass(line: str) -> None:
    source = f"def test_x(x, a, b, c, m, T, kwargs, bound):\n    {line}\n"
    assert literal_tolerances(source, "t.py") == []
