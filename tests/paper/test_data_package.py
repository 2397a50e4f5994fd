"""The data files: the package descriptor, checksums, the loader and its error messages."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.paper.checksums import package_checksum, stale_checksums
from analysis.paper.data import (
    ROW_RULES,
    TABLE_RULES,
    DataFileError,
    apply_corrections,
    datapackage,
    load_studies,
    load_table,
)
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


def test_the_real_data_files_pass_the_command_line_check() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "analysis.paper"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    checked = [line.split()[1] for line in run.stdout.splitlines()]
    assert checked[: len(datapackage()["resources"])] == [
        r["name"] for r in datapackage()["resources"]
    ]
    # then the rules between files: the corrections, the side effects, the flow
    assert run.stdout.count("\n") == len(datapackage()["resources"]) + 3


def test_every_rule_of_the_check_belongs_to_a_resource_of_the_package() -> None:
    # A rule keyed by a name the package does not have would never run; the columns each rule
    # reads are checked against the schema whenever the package is read.
    names = {r["name"] for r in datapackage()["resources"]}
    assert set(ROW_RULES) | set(TABLE_RULES) <= names
    assert all(rule.columns for rules in ROW_RULES.values() for rule in rules)


def test_corrections_may_be_empty_and_nothing_else_may(tmp_path: Path) -> None:
    """With no misprint to correct, corrections.csv is a header alone (its schema says
    ``emptyAllowed``); any other table with a header alone is an error."""
    header = (REPO_ROOT / "data" / "corrections.csv").read_text().splitlines()[0]
    empty = tmp_path / "corrections.csv"
    empty.write_text(header + "\n")
    assert load_table("corrections", empty).empty
    studies_header = (REPO_ROOT / "data" / "studies.csv").read_text().splitlines()[0]
    empty_studies = tmp_path / "studies.csv"
    empty_studies.write_text(studies_header + "\n")
    with pytest.raises(DataFileError, match="the file has a header but no data rows"):
        load_table("studies", empty_studies)


def test_package_checksum_is_the_sha256_of_datapackage_json() -> None:
    raw = (REPO_ROOT / "data" / "datapackage.json").read_bytes()
    assert package_checksum() == f"sha256:{hashlib.sha256(raw).hexdigest()}"
