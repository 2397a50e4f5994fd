"""Mutation testing of the statistics library: a small, deterministic AST mutator.

Usage: ``python -m tests.mutation.mutate [MODULE ...] [--list] [--match TEXT] [--jobs N]
[--timeout S]`` (``make mutation`` runs it on the statistical core; ``--list`` prints every
mutant with its line and key, ``--match`` runs only the mutants whose key contains TEXT).

For each module of `MODULES` (a file of ``analysis/metaanalysis/``) it lists every mutant --
one small change of the source -- in the order of the syntax tree, and runs the module's own
tests (`TESTS`: files of ``tests/library`` and the module's doctests) against each, in a copy
of the package in a temporary folder, so the working tree is never changed. A mutant is
*killed* when a test fails (or the run exceeds its time limit, five times the unmutated run
plus 30 s, as an endless loop would), *survived* otherwise. The property tests run with the
hypothesis profile ``mutation`` (`tests.mutation.profile`: derandomized, 30 examples), so a
run is repeatable. A survivor that cannot change any result is *equivalent*: it is listed,
with its reason, in ``tests/mutation/EQUIVALENT.md`` and left out of the score,
``killed / (mutants - equivalent)``.

The mutations (the usual operators of mutmut and cosmic-ray):

- arithmetic: ``+`` and ``-``, ``*`` and ``/``, ``**`` to ``*``, ``//`` to ``/``, in
  expressions and in augmented assignments (``x += 1``);
- comparison: ``<`` and ``<=``, ``>`` and ``>=``, ``==`` and ``!=``, ``is`` and ``is not``,
  ``in`` and ``not in``;
- boolean: ``and`` and ``or``, ``not x`` to ``x``, ``True`` and ``False``;
- unary minus removed (``-x`` to ``x``);
- numbers: an integer ``n`` to ``n + 1``, a float ``x`` to ``2 x`` (``0.0`` to ``1.0``);
- calls: ``max`` and ``min`` swapped, ``abs(x)`` to ``x``;
- statements: an assignment, an expression statement, a ``raise`` or a ``return`` of a
  value replaced by ``pass`` (``return None`` for a return).

Docstrings, strings (messages), type annotations, decorators and ``__all__`` are not mutated.

Each mutant has a key that does not depend on line numbers, so that EQUIVALENT.md survives
edits elsewhere in the module: ``module:function:operator:original -> replacement#n``, with
``n`` counting the mutants of the same function, operator and text.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "analysis"
LIBRARY = PACKAGE / "metaanalysis"
EQUIVALENT_FILE = Path(__file__).resolve().parent / "EQUIVALENT.md"

_POOL_TESTS = (
    "tests/library/test_pool_metafor.py",
    "tests/library/test_pool_zero_variance.py",
    "tests/library/test_pool_mutants.py",
    "tests/library/test_result_frames.py",
    "tests/library/test_pool_properties.py",
    "tests/library/test_foreign_exceptions.py",
)
_BIAS_TESTS = (
    "tests/library/test_bias_metafor.py",
    "tests/library/test_bias_bad_input.py",
    "tests/library/test_bias_mutants.py",
    "tests/library/test_result_frames.py",
    "tests/library/test_bias_properties.py",
    "tests/library/test_foreign_exceptions.py",
)
TESTS = {
    "pooling": _POOL_TESTS,
    "tau2": _POOL_TESTS,
    "heterogeneity": _POOL_TESTS,
    "roots": _POOL_TESTS,
    "bias": _BIAS_TESTS,
    "checks": (*_POOL_TESTS, "tests/library/test_bias_bad_input.py"),
}
"""The test files run against each module's mutants (fast ones first: a run stops at the first
failure). The module's own doctests are run too."""

MODULES = ("pooling", "tau2", "heterogeneity", "bias")
"""The statistical core that ``make mutation`` mutates (``roots`` and ``checks`` on request)."""

_BINOPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Pow: ast.Mult,
    ast.FloorDiv: ast.Div,
}
_CMPOPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


@dataclass(frozen=True)
class Mutant:
    """One mutant of a module.

    Attributes
    ----------
    module : str
        Module name in ``analysis/metaanalysis`` (without ``.py``).
    index : int
        Position in the module's list of mutants (the order of the syntax tree).
    key : str
        ``module:function:operator:original -> replacement#n``: independent of line numbers.
    line : int
        Line of the mutated node in the current source.
    source : str
        The whole mutated module.
    """

    module: str
    index: int
    key: str
    line: int
    source: str


def _is_docstring(node: ast.AST, parent: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _skipped_children(node: ast.AST) -> set[int]:
    """Ids of child nodes never mutated: annotations, decorators, f-strings."""
    skip: set[int] = set()
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        skip.update(id(d) for d in node.decorator_list)
        if node.returns is not None:
            skip.add(id(node.returns))
        for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
            if arg.annotation is not None:
                skip.add(id(arg.annotation))
    if isinstance(node, ast.AnnAssign):
        skip.add(id(node.annotation))
    if isinstance(node, ast.ClassDef):
        skip.update(id(d) for d in node.decorator_list)
    return skip


def _walk(tree: ast.AST):
    """Yield ``(node, function)`` in a fixed order, skipping what is never mutated."""

    def visit(node: ast.AST, function: str, skip: set[int]):
        if id(node) in skip or isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return
        yield node, function
        inner = function
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = node.name if function == "<module>" else f"{function}.{node.name}"
        skip = skip | _skipped_children(node)
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inner, skip)

    yield from visit(tree, "<module>", set())


def _mutations(node: ast.AST):
    """Yield ``(operator, mutate)`` for each mutation of ``node``; ``mutate(copy)`` edits a copy
    of the node in place (or returns a replacement node)."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        new = _BINOPS[type(node.op)]

        def binop(n, new=new):
            n.op = new()

        yield "arithmetic", binop
    if isinstance(node, ast.AugAssign) and type(node.op) in _BINOPS:
        new = _BINOPS[type(node.op)]

        def augop(n, new=new):
            n.op = new()

        yield "arithmetic", augop
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            if type(op) in _CMPOPS:
                new = _CMPOPS[type(op)]

                def cmpop(n, position=position, new=new):
                    n.ops[position] = new()

                yield "comparison", cmpop
    if isinstance(node, ast.BoolOp):

        def boolop(n):
            n.op = ast.Or() if isinstance(n.op, ast.And) else ast.And()

        yield "boolean", boolop
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        yield ("boolean" if isinstance(node.op, ast.Not) else "unary"), lambda n: n.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
        value = node.value
        if isinstance(value, bool):
            new_value = not value
        elif isinstance(value, int):
            new_value = value + 1
        else:
            new_value = value * 2 if value != 0 else 1.0

        def constant(n, new_value=new_value):
            n.value = new_value

        yield "number" if not isinstance(value, bool) else "boolean", constant
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in ("max", "min"):

            def swap(n):
                n.func = ast.Name(id="min" if n.func.id == "max" else "max", ctx=ast.Load())

            yield "call", swap
        if node.func.id == "abs" and len(node.args) == 1:
            yield "call", lambda n: n.args[0]
    declaration = isinstance(node, ast.AnnAssign) and node.value is None  # a dataclass field
    if (
        isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Raise)
        and not declaration
    ) or (isinstance(node, ast.Expr) and not _is_docstring(node, None)):
        yield "statement", lambda n: ast.copy_location(ast.Pass(), n)
    if isinstance(node, ast.Return) and node.value is not None:
        yield "statement", lambda n: ast.copy_location(ast.Return(ast.Constant(None)), n)


def _snippet(node: ast.AST) -> str:
    text = ast.unparse(node) if not isinstance(node, ast.Pass) else "pass"
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def mutants(module: str, *, sources: bool = True) -> list[Mutant]:
    """Every mutant of ``analysis/metaanalysis/<module>.py``, in a fixed order.

    With ``sources=False`` each mutant's ``source`` is left empty: printing the mutated module
    (`ast.unparse`) is most of the time taken, and the keys do not need it.
    """
    source = (LIBRARY / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = _docstring_ids(tree)
    places = _places(tree)
    found: list[Mutant] = []
    counts: dict[str, int] = {}
    for node, function in [(n, f) for n, f in _walk(tree) if id(n) not in docstrings]:
        before = _snippet(node)
        for operator, mutate in _mutations(node):
            # Mutate the tree in place, print it, and put it back as it was.
            saved = {f: list(v) if isinstance(v, list) else v for f, v in ast.iter_fields(node)}
            replacement = mutate(node)
            if replacement is not None:
                _put(places[id(node)], replacement)
            text = f"{module}:{function}:{operator}:{before} -> {_snippet(replacement or node)}"
            mutated = ast.unparse(tree) if sources else ""
            if replacement is not None:
                _put(places[id(node)], node)
            for field, value in saved.items():
                setattr(node, field, value)
            counts[text] = counts.get(text, 0) + 1
            found.append(
                Mutant(
                    module=module,
                    index=len(found),
                    key=f"{text}#{counts[text]}",
                    line=getattr(node, "lineno", 0),
                    source=mutated,
                )
            )
    return found


def _docstring_ids(tree: ast.AST) -> set[int]:
    return {id(node) for node in ast.walk(tree) if _is_docstring(node, None)}


def _places(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    """Where each node sits: its parent, the parent's field and the position in a list."""
    places: dict[int, tuple[ast.AST, str, int | None]] = {}
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, ast.AST):
                places[id(value)] = (parent, field, None)
            elif isinstance(value, list):
                for position, item in enumerate(value):
                    places[id(item)] = (parent, field, position)
    return places


def _put(place: tuple[ast.AST, str, int | None], node: ast.AST) -> None:
    parent, field, position = place
    if position is None:
        setattr(parent, field, node)
    else:
        getattr(parent, field)[position] = node


def equivalent_keys() -> dict[str, str]:
    """The keys listed in EQUIVALENT.md (a bullet starting with a key in backticks), with the
    reason that follows."""
    keys = {}
    pattern = re.compile(r"^- `(?P<key>[^`]+)`\s*[:\u2014-]*\s*(?P<reason>.*)$")
    for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
        if match := pattern.match(line.strip()):
            keys[match["key"]] = match["reason"]
    return keys


def _copy_tree(destination: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    shutil.copytree(PACKAGE, destination / "analysis", ignore=ignore)
    shutil.copytree(REPO / "tests", destination / "tests", ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", destination / "pyproject.toml")


def _pytest_arguments(module: str) -> list[str]:
    return [
        "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--no-header", "--tb=no",
        "-o", "addopts=--doctest-modules", "-o", "filterwarnings=error",
        "-p", "tests.mutation.profile", "--hypothesis-profile=mutation",
        *TESTS[module], f"analysis/metaanalysis/{module}.py",
    ]  # fmt: skip


def _preload() -> None:
    """Import the libraries every run needs once, before forking: each mutant's process then
    imports only the (mutated) package, the tests and hypothesis (a pytest plugin, which must
    be imported by pytest to have its assertions rewritten)."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401
    import scipy.optimize
    import scipy.stats  # noqa: F401


def _start(mutant: Mutant, root: Path) -> int:
    """Fork a process that runs the module's tests on the copy in ``root``; its pid."""
    if mutant.index >= 0:
        (root / "analysis" / "metaanalysis" / f"{mutant.module}.py").write_text(
            mutant.source, encoding="utf-8"
        )
    pid = os.fork()
    if pid:
        return pid
    try:  # the child: never returns
        os.setsid()
        if not os.environ.get("MUTATION_VERBOSE"):  # set it to see the tests' output
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
        os.chdir(root)
        for name in [n for n in sys.modules if n == "tests" or n.startswith("tests.")]:
            del sys.modules[name]
        sys.path.insert(0, str(root))
        import pytest

        code = int(pytest.main(_pytest_arguments(mutant.module)))
    except BaseException:
        traceback.print_exc()
        code = 3
    os._exit(code)


def run_mutants(found: list[Mutant], timeout: float | None, jobs: int):
    """Yield ``(mutant, outcome, seconds)`` in the order of ``found``, running ``jobs`` at
    once; outcome ``"killed"``, ``"survived"`` or ``"timeout"`` (counted as killed)."""
    pending = list(found)
    running: dict[int, tuple[Mutant, float, tempfile.TemporaryDirectory]] = {}
    done: dict[int, tuple[str, float]] = {}
    following = 0
    while pending or running:
        while pending and len(running) < jobs:
            mutant = pending.pop(0)
            folder = tempfile.TemporaryDirectory(prefix="mutant-")
            _copy_tree(Path(folder.name))
            running[_start(mutant, Path(folder.name))] = (mutant, time.monotonic(), folder)
        time.sleep(0.05)
        for pid, (mutant, start, folder) in list(running.items()):
            seconds = time.monotonic() - start
            finished, status = os.waitpid(pid, os.WNOHANG)
            if not finished and timeout is not None and seconds > timeout:
                os.killpg(pid, 9)
                os.waitpid(pid, 0)
                outcome = "timeout"
            elif not finished:
                continue
            else:
                code = os.waitstatus_to_exitcode(status)
                if code in (3, 4, 5):  # internal or usage error, or no tests: the tool broke
                    raise RuntimeError(f"pytest exited with {code} on {mutant.key}")
                outcome = "killed" if code else "survived"
            del running[pid]
            folder.cleanup()
            done[mutant.index] = (outcome, seconds)
        while following < len(found) and found[following].index in done:
            mutant = found[following]
            yield (mutant, *done.pop(mutant.index))
            following += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--match", default="", help="run only mutants whose key contains this")
    parser.add_argument(
        "--keys", type=Path, help="run only the mutants whose keys are the lines of this file"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per mutant (default: 5 times the unmutated run, plus 30 s)",
    )
    args = parser.parse_args(argv)
    equivalent = equivalent_keys()
    unknown = set(args.modules) - set(TESTS)
    if unknown:
        parser.error(f"unknown module(s) {sorted(unknown)}; known: {sorted(TESTS)}")
    rows = []
    if not args.list:
        _preload()
    for module in args.modules:
        found = [m for m in mutants(module) if args.match in m.key]
        if args.keys:
            wanted = set(args.keys.read_text(encoding="utf-8").splitlines())
            found = [m for m in found if m.key in wanted]
        if args.list:
            for m in found:
                mark = " (equivalent)" if m.key in equivalent else ""
                print(f"{m.module}.py:{m.line}: {m.key}{mark}")
            continue
        original = Mutant(module, -1, "unmutated", 0, "")
        [(_, outcome, seconds)] = run_mutants([original], None, 1)
        if outcome != "survived":
            print(f"{module}.py: its tests fail without any mutation; fix them first")
            return 1
        timeout = args.timeout or 5 * seconds + 30
        print(
            f"{module}.py: {len(found)} mutants; its tests take {seconds:.0f} s "
            f"(time limit per mutant {timeout:.0f} s)",
            flush=True,
        )
        outcomes: dict[int, str] = {}
        for done, (m, outcome, _) in enumerate(run_mutants(found, timeout, args.jobs), 1):
            outcomes[m.index] = outcome
            if args.match or args.keys:
                print(f"  {outcome:<9} {m.module}.py:{m.line}: {m.key}", flush=True)
            elif outcome == "survived" and m.key not in equivalent:
                print(f"  survived  {m.module}.py:{m.line}: {m.key}", flush=True)
            if done % 25 == 0:
                print(f"  ({done} of {len(found)} run)", flush=True)
        killed = sum(o in ("killed", "timeout") for o in outcomes.values())
        same = sum(1 for m in found if outcomes[m.index] == "survived" and m.key in equivalent)
        survived = len(found) - killed - same
        score = killed / (len(found) - same) if len(found) > same else 1.0
        rows.append((module, len(found), killed, survived, same, score))
        killed_equivalent = [
            m.key for m in found if m.key in equivalent and outcomes[m.index] != "survived"
        ]
        for key in killed_equivalent:
            print(f"  NOTE: listed as equivalent but killed: {key}")
    if args.list:
        return 0
    print()
    print(
        f"{'module':<16}{'mutants':>8}{'killed':>8}{'survived':>10}{'equivalent':>12}{'score':>8}"
    )
    for module, total, killed, survived, same, score in rows:
        print(f"{module:<16}{total:>8}{killed:>8}{survived:>10}{same:>12}{score:>8.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
