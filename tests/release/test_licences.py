"""The licences (issue 15, item 1): the code's (MIT) at the top, the data's (CC BY 4.0) in data/.

Each is a file, named in the data package's ``licenses`` and in ``pyproject.toml`` as SPDX
identifiers, and setuptools (the version in the lock) accepts the project's licence metadata.
"""

import json
import tomllib

from tests.conftest import REPO_ROOT

CODE_LICENCE = REPO_ROOT / "LICENSE"
DATA_LICENCE = REPO_ROOT / "data" / "LICENSE"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
PAPER_DOI = "10.1007/s11916-018-0664-x"


def test_the_code_licence_is_mit() -> None:
    text = CODE_LICENCE.read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_the_data_licence_names_cc_by_4_and_the_attribution() -> None:
    text = DATA_LICENCE.read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International" in text
    assert "CC-BY-4.0" in text
    assert CC_BY_URL in text
    assert PAPER_DOI in text  # the paper the data were extracted from


def test_the_data_package_names_both_licences() -> None:
    package = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    licences = {licence["name"]: licence for licence in package["licenses"]}
    assert set(licences) == {"CC-BY-4.0", "MIT"}
    for licence in licences.values():
        assert licence["title"] and licence["path"]
    assert licences["CC-BY-4.0"]["path"] == CC_BY_URL


def test_pyproject_names_both_licences_as_spdx() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert project["license-files"] == ["LICENSE", "data/LICENSE"]


def test_setuptools_accepts_the_licence_metadata() -> None:
    # PEP 639: the installed package's metadata carries the expression and both files.
    from importlib.metadata import metadata

    meta = metadata("ketamine-crps-book")
    assert meta["License-Expression"] == "MIT AND CC-BY-4.0"
    assert sorted(meta.get_all("License-File")) == ["LICENSE", "data/LICENSE"]
