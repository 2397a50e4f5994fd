"""The data files: the package descriptor, checksums, the loader and its error messages."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.checksums import stale_checksums
from analysis.data import DataFileError, apply_corrections, load_studies, load_table
from tests.conftest import REPO_ROOT

STUDIES = REPO_ROOT / "data" / "studies.csv"


def test_frictionless_validates_the_package() -> None:
    # The Frictionless CLI, as a user would run it: schema, types, constraints, keys, hashes.
    frictionless = Path(sys.executable).with_name("frictionless")
    run = subprocess.run(
        [str(frictionless), "validate", "data/datapackage.json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]


def test_checksums_are_current() -> None:
    assert stale_checksums() == []


def test_studies_table_holds_all_of_table_1() -> None:
    studies = load_studies(corrected=False)
    assert len(studies) == 15  # Table 1 has 15 rows
    assert studies["study_id"].is_unique
    assert list(studies["table1_row"]) == list(range(1, 16))
    kiefer_2008 = studies[studies["study_id"].str.startswith("kiefer2008")]
    assert len(kiefer_2008) == 2  # the two Kiefer 2008 studies are kept apart


def test_types_follow_the_schema() -> None:
    studies = load_table("studies")
    assert studies["n_analysed"].dtype == "Int64"
    assert studies["age_mean"].dtype == "float64"
    assert studies["label"].dtype == "string"
    # "not reported" is missing, never 0
    correll = studies.set_index("study_id").loc["correll2004"]
    assert pd.isna(correll["pain_baseline_mean"])


def test_corrections_apply_and_check_the_printed_value() -> None:
    printed = load_studies(corrected=False).set_index("study_id")
    corrected = load_studies().set_index("study_id")
    assert printed.at["goldberg2010", "relief_followup_pct"] == 0.6
    assert corrected.at["goldberg2010", "relief_followup_pct"] == 60
    stale = pd.DataFrame(
        {
            "study_id": ["goldberg2010"],
            "column": ["relief_followup_pct"],
            "value_as_printed": [0.7],
            "value_used": [70.0],
        }
    )
    with pytest.raises(DataFileError, match=r"holds .*not the printed 0\.7"):
        apply_corrections(load_studies(corrected=False), stale)


def _edited_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = STUDIES.read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / "studies.csv"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            ",4.7,33,",
            ",4.7,thirty,",
            "row 1 (line 2, study_id 'correll2004'), column 'n_analysed': "
            "'thirty' is not an integer",
        ),
        (
            ",40.5,13.8,",
            ",40.5,-13.8,",
            "row 1 (line 2, study_id 'correll2004'), column 'age_sd': '-13.8' is below the "
            "minimum 0",
        ),
        (
            ",76,54,,6,",
            ",150,54,,6,",
            "column 'relief_immediate_pct': '150' is above the maximum 100",
        ),
        (",4.7,33,", ",4.7,0,", "column 'n_analysed': '0' is below the minimum 1"),
        (
            "webster2006,Webster 2006",
            "correll2004,Webster 2006",
            "row 2 (line 3, study_id 'correll2004'), column 'study_id': repeats a key",
        ),
        (
            "correll2004,Correll 2004,1",
            "correll2004,,1",
            "column 'label': the cell is empty but a value is required",
        ),
    ],
)
def test_bad_values_stop_with_file_row_column_and_value(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = _edited_copy(tmp_path, old, new)
    before = path.read_bytes()
    with pytest.raises(DataFileError) as caught:
        load_table("studies", path)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message
    assert path.read_bytes() == before  # nothing written


def test_command_line_check_prints_one_line(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, ",40.5,13.8,", ",40.5,-13.8,")
    run = subprocess.run(
        [sys.executable, "-m", "analysis.data", "--resource", "studies", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1
    assert "column 'age_sd'" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_real_data_files_pass_the_command_line_check() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "analysis.data"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("ok:") == 4
