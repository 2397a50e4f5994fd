"""The mutation tool itself: its mutants are deterministic, each a real change of the source,
and every equivalent mutant listed in EQUIVALENT.md still exists (a stale entry fails)."""

import ast
from functools import cache

import pytest

from tests.mutation import mutate
from tests.mutation.mutate import LIBRARY, MODULES, TESTS, equivalent_keys

# Without sources: the keys, lines and order are the same, and printing every mutant of bias
# alone takes seconds. `test_each_mutant_changes_the_source` prints those of two modules.
mutants = cache(lambda module: mutate.mutants(module, sources=False))


@pytest.mark.parametrize("module", MODULES)
def test_mutants_have_unique_keys(module: str) -> None:
    found = mutants(module)
    assert len(found) > 20
    assert len({m.key for m in found}) == len(found)


@pytest.mark.parametrize("module", ["heterogeneity", "pooling"])
def test_each_mutant_changes_the_source(module: str) -> None:
    found = mutate.mutants(module)
    original = ast.unparse(ast.parse((LIBRARY / f"{module}.py").read_text(encoding="utf-8")))
    assert [m.key for m in found] == [m.key for m in mutants(module)]
    assert all(m.source != original for m in found)
    assert len({m.source for m in found}) == len(found)


def test_mutants_are_the_same_on_every_run() -> None:
    # One module (the smallest) is enough to see that nothing depends on hash order or time.
    module = "heterogeneity"
    assert [m.key for m in mutate.mutants(module)] == [m.key for m in mutants(module)]


def test_every_listed_equivalent_mutant_exists() -> None:
    keys = {m.key for module in TESTS for m in mutants(module)}
    listed = equivalent_keys()
    assert listed, "EQUIVALENT.md lists no mutant"
    assert sorted(set(listed) - keys) == []
    assert all(reason for reason in listed.values())


def test_docstrings_and_messages_are_not_mutated() -> None:
    keys = [m.key for m in mutants("heterogeneity")]
    assert not any("Q-profile confidence interval" in key for key in keys)
    default_level = "heterogeneity:q_profile_interval:number:0.95 -> 1.9"
    assert any(key.startswith(default_level) for key in keys)
