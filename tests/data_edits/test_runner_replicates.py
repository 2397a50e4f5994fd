"""The data-edit runner executes the coverage chapter with a few hundred replicates per
scenario (its `DATA_EDIT_REPLICATES`), and leaves the environment as it found it.

No kernel is started: nbclient's ``NotebookClient`` is replaced by a stand-in that records the
environment it would have executed in.
"""

import os

import nbclient

from analysis.paper.coverage import REPLICATES_VARIABLE
from tests.data_edits import runner


def test_chapters_run_with_few_replicates_and_the_environment_is_restored(
    monkeypatch, tmp_path
) -> None:
    seen = {}

    class StandIn:
        def __init__(self, notebook, **options) -> None:
            pass

        def execute(self) -> None:
            seen.update(
                {name: os.environ.get(name) for name in (REPLICATES_VARIABLE, runner.VARIABLE)}
            )

    monkeypatch.setattr(nbclient, "NotebookClient", StandIn)
    monkeypatch.setenv(REPLICATES_VARIABLE, "12345")
    chapter = sorted(runner.BOOK_DIR.glob("[0-9][0-9]-*.md"))[0]
    runner.execute_chapter(chapter, tmp_path)
    assert seen == {
        REPLICATES_VARIABLE: runner.DATA_EDIT_REPLICATES,
        runner.VARIABLE: str(tmp_path),
    }
    assert int(runner.DATA_EDIT_REPLICATES) <= 1000
    assert os.environ[REPLICATES_VARIABLE] == "12345"
    assert runner.VARIABLE not in os.environ
