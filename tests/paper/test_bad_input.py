"""Bad input, tried: a corpus of broken files and bad arguments to the public functions.

Each problem must give one line that says what is wrong and where (file, row and column, or the
argument and its value), raised from this package's code (no traceback from inside pandas,
numpy or frictionless), and no file may be written or changed.
"""

import hashlib
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import InputError, pool, raw_proportions, wald_intervals
from analysis.charts.forest import forest_plot
from analysis.charts.renderer import vega_embed_html
from analysis.charts.tables import html_table
from analysis.paper.data import DataFileError, load_table
from analysis.paper.relief_rates import rate_inputs
from tests.conftest import REPO_ROOT, raised_here

CORPUS = Path(__file__).resolve().parent / "bad_input"

# file, resource it claims to be, and what the message must say (after "<file>: ")
BROKEN_FILES = [
    ("missing_column.csv", "studies", "header: column 'side_effects' is missing"),
    ("extra_column.csv", "studies", "header: column 'comment' is not in the schema"),
    (
        "wrong_type.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'n_analysed': 'thirteen' is not an "
        "integer",
    ),
    ("empty.csv", "studies", "the file is empty"),
    ("header_only.csv", "studies", "the file has a header but no data rows"),
    (
        "percent_150.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'relief_immediate_pct': '150' is above "
        "the maximum 100",
    ),
    (
        "negative_sd.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'age_sd': '-10.4' is below the minimum 0",
    ),
    (
        "n_zero.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'n_analysed': '0' is below the minimum 1",
    ),
    (
        "duplicate_id.csv",
        "studies",
        "row 3 (line 4, study_id 'webster2006'), column 'study_id': repeats a key that must be "
        "unique (first at row 2)",
    ),
    (
        "not_utf8.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'side_effects': byte 0xe9 is not valid "
        "UTF-8",
    ),
    (
        "too_few_cells.csv",
        "studies",
        "row 4 (line 5, study_id 'dahan2011'): too few cells (column 'author_as_printed' is "
        "absent)",
    ),
    (
        "forest_unknown_study.csv",
        "published_forest",
        "row 2 (line 3, figure '4a', study_id 'nobody2000'), column 'study_id': 'nobody2000' "
        "is not a study_id of studies.csv",
    ),
    (
        "forest_ci_out_of_range.csv",
        "published_forest",
        "row 1 (line 2, figure '4a', study_id 'dahan2011'), column 'ci_high': '2.84' is above "
        "the maximum 2",
    ),
]


def _snapshot(*folders: Path) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def unchanged_files():
    """Fails the test if any file of the corpus or of data/ is added, removed or changed."""
    before = _snapshot(CORPUS, REPO_ROOT / "data")
    yield
    assert _snapshot(CORPUS, REPO_ROOT / "data") == before


@pytest.mark.parametrize(
    ("name", "resource", "expected"), BROKEN_FILES, ids=[f[0] for f in BROKEN_FILES]
)
def test_broken_file_gives_one_line(unchanged_files, name: str, resource: str, expected: str):
    path = CORPUS / name
    with pytest.raises(DataFileError) as caught:
        load_table(resource, path)
    message = str(caught.value)
    assert message.startswith(f"tests/paper/bad_input/{name}: {expected}")
    assert "\n" not in message
    assert raised_here(caught)


# The command line is tried on one file of each level of problem (the whole file, its header,
# one cell); each run starts Python, and the messages themselves are checked above.
COMMAND_LINE_CASES = [
    f for f in BROKEN_FILES if f[0] in {"empty.csv", "missing_column.csv", "negative_sd.csv"}
]


@pytest.mark.parametrize(
    ("name", "resource", "expected"), COMMAND_LINE_CASES, ids=[f[0] for f in COMMAND_LINE_CASES]
)
def test_command_line_prints_one_line_and_no_traceback(
    unchanged_files, name: str, resource: str, expected: str
):
    run = subprocess.run(
        [sys.executable, "-m", "analysis.paper", "--resource", resource, str(CORPUS / name)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: tests/paper/bad_input/{name}: {expected}")


def test_every_corpus_file_is_tried() -> None:
    tried = {name for name, _, _ in BROKEN_FILES} | {"valid_three_studies.csv", "markup_label.csv"}
    assert {p.name for p in CORPUS.glob("*.csv")} == tried


def test_the_valid_base_file_loads(unchanged_files) -> None:
    assert len(load_table("studies", CORPUS / "valid_three_studies.csv")) == 3


MARKUP = "<b>Webster</b><script>window.__pwned=1</script> 2006"


def test_markup_label_loads_as_plain_text(unchanged_files) -> None:
    studies = load_table("studies", CORPUS / "markup_label.csv")
    assert studies.loc[1, "label"] == MARKUP


def test_markup_label_is_escaped_in_tables() -> None:
    markup = html_table(pd.DataFrame({"Study": [MARKUP]})).data
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in markup


def test_markup_label_cannot_close_the_chart_script() -> None:
    studies = load_table("studies", CORPUS / "markup_label.csv")
    inputs = rate_inputs("immediate", studies=studies)
    chart = forest_plot(
        inputs.assign(weight_pct=100 / len(inputs)),
        pool(inputs["yi"], inputs["vi"]),
        title="probe",
        x_title="p",
    )
    markup = vega_embed_html(chart.to_dict())
    assert MARKUP not in markup  # "<" is escaped inside the script
    assert markup.count("</script>") == 1
    assert "\\u003cscript>window.__pwned=1\\u003c/script>" in markup


BAD_ARGUMENTS = [
    (pool, {"yi": [0.5, 0.4, 0.3], "vi": [0.01, 0.02]}, "pool: ", "yi has 3, vi has 2"),
    (pool, {"yi": [0.5, 0.4], "vi": [0.01, -0.02]}, "pool: ", "vi[1] = -0.02 is negative"),
    (pool, {"yi": [0.5, 0.4], "vi": [0.01, 0.0]}, "pool: ", "vi[1] = 0 would give"),
    (pool, {"yi": [0.5, math.nan], "vi": [0.01, 0.02]}, "pool: ", "yi[1] = nan is not a finite"),
    (pool, {"yi": [], "vi": []}, "pool: ", "yi is empty"),
    (pool, {"yi": [0.5], "vi": [0.01]}, "pool: ", "at least 2 studies, got 1"),
    (pool, {"yi": [0.5, 0.4], "vi": [0.01, 0.02], "method": "ML"}, "pool: ", "method='ML'"),
    (pool, {"yi": "0.5", "vi": [0.01]}, "pool: ", "yi must be a sequence of numbers"),
    (pool, {"yi": [0.5, "x"], "vi": [0.01, 0.02]}, "pool: ", "yi[1] = 'x' is not a number"),
    (pool, {"yi": [[0.5, 0.4]], "vi": [[0.1, 0.1]]}, "pool: ", "yi must be one-dimensional"),
    (pool, {"yi": [0.5, 0.4], "vi": [0.01, 0.02], "level": 95}, "pool: ", "level=95 must be"),
    (raw_proportions, {"p": [0.5, 1.5], "n": [10, 10]}, "raw_proportions: ", "p[1] = 1.5"),
    (raw_proportions, {"p": [0.5], "n": [0]}, "raw_proportions: ", "n[0] = 0"),
    (wald_intervals, {"yi": [0.5], "vi": [-1.0]}, "wald_intervals: ", "vi[0] = -1 is negative"),
    (wald_intervals, {"yi": [0.5], "vi": [0.1], "level": 1.5}, "wald_intervals: ", "level=1.5"),
    (rate_inputs, {"key": "later"}, "relief_rates: ", "timepoint='later' is not one of"),
    (load_table, {"name": "trials"}, "data/datapackage.json has no resource ", "'trials'"),
]


@pytest.mark.parametrize(
    ("function", "kwargs", "prefix", "fragment"),
    BAD_ARGUMENTS,
    ids=[f"{f.__name__}-{fragment}" for f, _, _, fragment in BAD_ARGUMENTS],
)
def test_bad_argument_gives_one_line(unchanged_files, function, kwargs, prefix, fragment) -> None:
    with pytest.raises(InputError) as caught:
        function(**kwargs)
    message = str(caught.value)
    assert message.startswith(prefix)
    assert fragment in message
    assert "\n" not in message
    assert raised_here(caught)


def test_forest_plot_names_a_missing_column() -> None:
    frame = pd.DataFrame({"label": ["a", "b"], "yi": [0.1, 0.2], "ci_low": [0, 0]})
    with pytest.raises(InputError, match="forest_plot: studies has no column 'ci_high'"):
        forest_plot(frame, pool([0.1, 0.2], [0.01, 0.01]), title="t", x_title="x")
