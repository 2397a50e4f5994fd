"""CITATION.cff (issue 15, item 2): valid against the CFF 1.2.0 schema, and citing the paper.

The schema is vendored in ``tests/release/cff-schema-1.2.0.json`` (its source and licence in
``tests/release/CFF-SCHEMA.md``): ``cffconvert`` needs ``jsonschema < 4``, and the lock has 4.x.
"""

import importlib.util
import json

import jsonschema
import yaml

from analysis.paper import how_to_cite
from analysis.paper.data import datapackage
from tests.conftest import REPO_ROOT

SCHEMA = REPO_ROOT / "tests" / "release" / "cff-schema-1.2.0.json"
CITATION = REPO_ROOT / "CITATION.cff"


def citation() -> dict:
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    jsonschema.Draft7Validator(schema).validate(cff)


def test_a_broken_citation_file_fails_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {**citation(), "authors": []}
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)


def test_the_reference_is_the_paper_with_the_data_packages_doi() -> None:
    (paper,) = citation()["references"]
    # The data package's source is the paper at https://doi.org/<DOI>.
    (source,) = datapackage()["sources"]
    assert source["path"] == f"https://doi.org/{paper['doi']}"
    assert paper["doi"] == "10.1007/s11916-018-0664-x"
    assert [author["family-names"] for author in paper["authors"]] == ["Zhao", "Wang", "Wang"]
    assert paper["journal"] == "Current Pain and Headache Reports"
    assert (paper["year"], paper["volume"], paper["issue"], paper["start"]) == (2018, 22, 2, 12)


def test_the_version_is_the_packages() -> None:
    from analysis import __version__

    assert citation()["version"] == __version__


def test_the_licence_is_the_codes_and_the_datas() -> None:
    assert citation()["license"] == ["MIT", "CC-BY-4.0"]


def test_the_books_citation_text_comes_from_the_file() -> None:
    cite = how_to_cite()
    cff = citation()
    assert cite.work.startswith("The ketamine-crps-book maintainers. " + cff["title"])
    assert f"Version {cff['version']}" in cite.work
    assert cite.paper.startswith("Zhao J, Wang Y, Wang D. The Effect of Ketamine Infusion")
    assert "Current Pain and Headache Reports 2018;22(2):12." in cite.paper
    assert cite.paper.endswith("https://doi.org/10.1007/s11916-018-0664-x")


def test_an_edit_of_the_citation_file_executes_the_chapters_again() -> None:
    # The Introduction prints "How to cite" from CITATION.cff: it is an execution input.
    spec = importlib.util.spec_from_file_location(
        "execution_cache", REPO_ROOT / "book" / "_ext" / "execution_cache.py"
    )
    execution_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(execution_cache)
    assert CITATION in execution_cache.execution_inputs(REPO_ROOT)
