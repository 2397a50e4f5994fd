"""The data-edit runner runs a chapter once more when its kernel failed, never when its cells did.

No kernel is started: `execute_chapter` is replaced by a stand-in that fails as asked.
"""

from pathlib import Path

import pytest
from nbclient.exceptions import CellExecutionError

from tests.data_edits import runner
from tests.data_edits.runner import EditRun

CHAPTER = Path("book/04-heterogeneity.md")


def _stand_in(failures: list[Exception], calls: list[int]):
    def execute(chapter, data_dir):
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "executed"

    return execute


def test_a_kernel_that_did_not_start_is_run_once_more(monkeypatch) -> None:
    calls: list[int] = []
    failures = [RuntimeError("Kernel died before replying to kernel_info")]
    monkeypatch.setattr(runner, "execute_chapter", _stand_in(failures, calls))
    run = EditRun("e")
    assert runner._execute_once_more_if_the_kernel_failed(CHAPTER, Path("."), run) == "executed"
    assert len(calls) == 2 and run.failures == []
    assert run.retried == [
        "04-heterogeneity.md did not execute: Kernel died before replying to kernel_info "
        "(RuntimeError); run again"
    ]


def test_a_second_kernel_failure_counts(monkeypatch) -> None:
    calls: list[int] = []
    failures = [RuntimeError("no kernel"), RuntimeError("no kernel again")]
    monkeypatch.setattr(runner, "execute_chapter", _stand_in(failures, calls))
    run = EditRun("e")
    assert runner._execute_once_more_if_the_kernel_failed(CHAPTER, Path("."), run) is None
    assert run.failures == ["04-heterogeneity.md did not execute: no kernel again"]


@pytest.mark.parametrize("error", [CellExecutionError("trace", "KeyError: 'x'", "KeyError")])
def test_a_failing_cell_is_not_run_again(monkeypatch, error) -> None:
    calls: list[int] = []
    monkeypatch.setattr(runner, "execute_chapter", _stand_in([error], calls))
    run = EditRun("e")
    assert runner._execute_once_more_if_the_kernel_failed(CHAPTER, Path("."), run) is None
    assert len(calls) == 1 and run.retried == []
    assert run.failures == ["04-heterogeneity.md did not execute: trace"]
