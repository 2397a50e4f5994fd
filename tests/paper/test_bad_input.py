"""Bad input, tried: a corpus of broken files and bad arguments to the public functions.

Each problem must give one line that says what is wrong and where (file, row and column, or the
argument and its value), raised from this package's code (no traceback from inside pandas,
numpy or the csv module), and no file may be written or changed. The corpus is the committed
files of ``tests/paper/bad_input/`` (``BROKEN_FILES``, ``BROKEN_PACKAGES``) and the cases built
in a temporary folder (``GENERATED``: binary files, links, a whole copy of ``data/`` with one
edit), whose count is checked below.
"""

import gzip
import hashlib
import math
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis import InputError, pool, raw_proportions, wald_intervals
from analysis.charts.forest import forest_plot
from analysis.charts.renderer import vega_embed_html
from analysis.charts.tables import html_table
from analysis.paper import data, data_check
from analysis.paper.data import DataFileError, load_table
from analysis.paper.relief_rates import rate_inputs
from tests.conftest import REPO_ROOT, raised_here

CORPUS = Path(__file__).resolve().parent / "bad_input"
SHOWN = "tests/paper/bad_input"

# file, resource it claims to be, and the whole message after "tests/paper/bad_input/<file>: "
BROKEN_FILES = [
    # The whole file and its header
    ("empty.csv", "studies", "the file is empty; it needs a header row and data rows"),
    (
        "header_blank_line_only.csv",
        "studies",
        "the file is empty; it needs a header row and data rows",
    ),
    ("header_only.csv", "studies", "the file has a header but no data rows"),
    ("missing_column.csv", "studies", "header: column 'side_effects' is missing"),
    (
        "extra_column.csv",
        "studies",
        "header: column 'comment' is not in the schema in data/datapackage.json; add it "
        "there first or remove it",
    ),
    (
        "header_capitalised.csv",
        "studies",
        "header: column 'study_id' is missing; found 'Study_ID', which the schema does not know",
    ),
    (
        "header_wrong_order.csv",
        "studies",
        "header: column 2 is 'table1_row' but the schema puts 'label' there; keep the "
        "columns in the schema's order",
    ),
    (
        "header_repeated_column.csv",
        "studies",
        "header: column 'side_effects' appears more than once",
    ),
    (
        "invalid_utf8_in_header.csv",
        "studies",
        "header, column 2: byte 0xe9 is not valid UTF-8; save the file as UTF-8",
    ),
    # CSV that cannot be read as rows (line numbers count the lines of the file)
    (
        "not_utf8.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'side_effects': byte 0xe9 is not "
        "valid UTF-8; save the file as UTF-8",
    ),
    (
        "nul_byte.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'side_effects': contains the control "
        "character U+0000; is this a binary file?",
    ),
    (
        "control_character.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'side_effects': contains the control "
        "character U+0001; is this a binary file?",
    ),
    (
        "unclosed_quote.csv",
        "studies",
        'row 2 (line 3): a quoted cell goes on after its closing " (write "" for a " inside it)',
    ),
    (
        "unclosed_quote_at_end.csv",
        "studies",
        'row 3 (line 4): a quoted cell is never closed (a closing " is missing)',
    ),
    (
        "stray_quote.csv",
        "studies",
        'row 1 (line 2): a quoted cell goes on after its closing " (write "" for a " inside it)',
    ),
    ("blank_row_between.csv", "studies", "row 2 (line 3): the row is blank"),
    ("commas_only_row.csv", "studies", "row 2 (line 3): the row is blank"),
    (
        "too_few_cells.csv",
        "studies",
        "row 4 (line 5, study_id 'dahan2011'): too few cells (column 'author_as_printed' is "
        "absent)",
    ),
    (
        "too_many_cells.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'): more cells than the header has columns",
    ),
    (
        "bom_with_error.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'age_mean': 'inf' is not a finite number",
    ),
    (
        "cr_only_with_error.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'n_analysed': 'twenty' is not an integer",
    ),
    (
        "crlf_with_error.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'age_sd': '-1' is below the minimum 0",
    ),
    (
        "quoted_newline_then_error.csv",
        "studies",
        "row 2 (line 5, study_id 'webster2006'), column 'n_male': 80 is more than n_analysed "
        "13; the men cannot outnumber the patients",
    ),
    # Numbers: finite, bare, in range; integers that fit 64 bits
    (
        "age_1e400.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'age_mean': '1e400' is not a finite "
        "number (it is too large)",
    ),
    (
        "age_inf.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'age_mean': 'inf' is not a finite number",
    ),
    (
        "age_minus_infinity.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'age_mean': '-Infinity' is not a "
        "finite number",
    ),
    (
        "crps_duration_nan.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'crps_duration_mean': 'nan' is not a "
        "number; leave the cell empty for a value not reported",
    ),
    (
        "duration_inf.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'duration_days': 'inf' is not a "
        "finite number",
    ),
    (
        "forest_weight_nan.csv",
        "published_forest",
        "row 3 (line 4, figure '4a', study_id 'kiefer2008a'), column 'weight_pct': 'nan' is "
        "not a number; leave the cell empty for a value not reported",
    ),
    (
        "n_decimal.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'n_analysed': '13.0' is not an integer",
    ),
    (
        "n_exponent.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'n_analysed': '3.3e1' is not an integer",
    ),
    (
        "n_huge_integer.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'n_analysed': "
        "'999999999999999999999999999999' is too large for an integer (at most "
        "9223372036854775807)",
    ),
    (
        "n_male_huge_integer.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'n_male': '9223372036854775808' is "
        "too large for an integer (at most 9223372036854775807)",
    ),
    (
        "number_decimal_comma.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'age_mean': '40,5' is not a number",
    ),
    (
        "number_with_percent_sign.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'relief_immediate_pct': '76%' is not "
        "a number",
    ),
    (
        "number_with_space.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'age_mean': ' 38.8' is not a number",
    ),
    (
        "pain_baseline_inf.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'pain_baseline_mean': 'inf' is not a "
        "finite number",
    ),
    (
        "percent_nan.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'relief_immediate_pct': 'nan' is not "
        "a number; leave the cell empty for a value not reported",
    ),
    (
        "pooled_i2_inf.csv",
        "published_pooled",
        "row 1 (line 2, analysis_id 'relief_immediate'), column 'i2_pct': 'inf' is not a "
        "finite number",
    ),
    (
        "sd_nan.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'age_sd': 'NaN' is not a number; "
        "leave the cell empty for a value not reported",
    ),
    (
        "weight_1e309.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'weight_kg_mean': '1e309' is not a "
        "finite number (it is too large)",
    ),
    # Other cells: types, constraints, keys
    (
        "wrong_type.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'n_analysed': 'thirteen' is not an "
        "integer",
    ),
    (
        "n_zero.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'n_analysed': '0' is below the minimum 1",
    ),
    (
        "negative_sd.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'age_sd': '-10.4' is below the minimum 0",
    ),
    (
        "percent_150.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'relief_immediate_pct': '150' is "
        "above the maximum 100",
    ),
    (
        "percent_negative.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'relief_followup_pct': '-5' is below "
        "the minimum 0",
    ),
    (
        "percent_100_5.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'no_relief_pct': '100.5' is above "
        "the maximum 100",
    ),
    (
        "year_2019.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'year': '2019' is above the maximum 2017",
    ),
    (
        "id_pattern.csv",
        "studies",
        "row 1 (line 2, study_id 'Correll2004'), column 'study_id': 'Correll2004' does not "
        "match the pattern [a-z]+[0-9]{4}[a-z]?",
    ),
    (
        "unit_not_allowed.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'crps_duration_unit': 'weeks' is not "
        "one of the allowed values 'months', 'years'",
    ),
    (
        "label_empty.csv",
        "studies",
        "row 2 (line 3, study_id 'webster2006'), column 'label': the cell is empty but a "
        "value is required",
    ),
    (
        "duplicate_id.csv",
        "studies",
        "row 3 (line 4, study_id 'webster2006'), column 'study_id': repeats a key that must "
        "be unique (first at row 2)",
    ),
    (
        "forest_repeated_key.csv",
        "published_forest",
        "row 2 (line 3, figure '4a', study_id 'dahan2011'): repeats a key that must be "
        "unique (figure, study_id; first at row 1)",
    ),
    (
        "forest_ci_out_of_range.csv",
        "published_forest",
        "row 1 (line 2, figure '4a', study_id 'dahan2011'), column 'ci_high': '2.84' is "
        "above the maximum 2",
    ),
    (
        "forest_excluded_yes.csv",
        "published_forest",
        "row 9 (line 10, figure '4a', study_id 'kiefer2008b'), column 'excluded': 'yes' is "
        "not a boolean (write true or false)",
    ),
    (
        "forest_figure_4c.csv",
        "published_forest",
        "row 16 (line 17, figure '4c', study_id 'goldberg2010'), column 'figure': '4c' is "
        "not one of the allowed values '4a', '4b'",
    ),
    (
        "pooled_p_above_1.csv",
        "published_pooled",
        "row 3 (line 4, analysis_id 'pain_smd'), column 'p_heterogeneity': '1.5' is above "
        "the maximum 1",
    ),
    (
        "facts_date_30_february.csv",
        "search_facts",
        "row 5 (line 6, fact_id 'search_to'), column 'value_date': '2017-02-30' is not a "
        "date (YYYY-MM-DD)",
    ),
    (
        "facts_date_us_style.csv",
        "search_facts",
        "row 5 (line 6, fact_id 'search_to'), column 'value_date': '08/01/2017' is not a "
        "date (YYYY-MM-DD)",
    ),
    (
        "facts_date_year_3000.csv",
        "search_facts",
        "row 4 (line 5, fact_id 'search_from'), column 'value_date': '3000-01-01' is outside "
        "the dates a table can hold (1678 to 2261)",
    ),
    # Rules between columns and rows (the domain)
    (
        "men_over_n.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'n_male': 500 is more than "
        "n_analysed 33; the men cannot outnumber the patients",
    ),
    (
        "men_over_enrolled.csv",
        "studies",
        "row 3 (line 4, study_id 'kiefer2008a'), column 'n_male': 25 is more than n_enrolled "
        "24; the men cannot outnumber the patients",
    ),
    (
        "analysed_over_enrolled.csv",
        "studies",
        "row 1 (line 2, study_id 'correll2004'), column 'n_analysed': 33 is more than "
        "n_enrolled 30; a study cannot analyse more patients than it enrolled",
    ),
    (
        "forest_estimate_outside_ci.csv",
        "published_forest",
        "row 2 (line 3, figure '4a', study_id 'patil2012'), column 'estimate': 0.99 lies "
        "outside its own interval 0.58 to 0.96",
    ),
    (
        "forest_ci_inverted.csv",
        "published_forest",
        "row 1 (line 2, figure '4a', study_id 'dahan2011'), columns 'ci_low' and 'ci_high': "
        "the interval is inverted (ci_low 0.84 is above ci_high 0.50)",
    ),
    (
        "forest_ci_half_empty.csv",
        "published_forest",
        "row 4 (line 5, figure '4a', study_id 'goldberg2010'), column 'ci_high': the cell is "
        "empty, but 'estimate' is given; estimate, ci_low, ci_high go together",
    ),
    (
        "forest_weights_not_100.csv",
        "published_forest",
        "figure '4b', column 'weight_pct': its 7 rows add up to 110.00, not 100 (rounding to "
        "2 decimals allows 0.035 either way)",
    ),
    (
        "pooled_estimate_outside_ci.csv",
        "published_pooled",
        "row 1 (line 2, analysis_id 'relief_immediate'), column 'estimate': 0.39 lies "
        "outside its own interval 0.53 to 0.84",
    ),
    (
        "pooled_ci_inverted.csv",
        "published_pooled",
        "row 2 (line 3, analysis_id 'relief_followup'), columns 'ci_low' and 'ci_high': the "
        "interval is inverted (ci_low 0.75 is above ci_high 0.41)",
    ),
    (
        "claims_percent_169.csv",
        "published_claims",
        "row 1 (line 2, claim_id 'abstract_relief_immediate'), column 'value': 169 percent "
        "is outside 0 to 100",
    ),
    (
        "claims_value_outside_ci.csv",
        "published_claims",
        "row 2 (line 3, claim_id 'abstract_relief_followup'), column 'value': 85 lies "
        "outside its own interval 41 to 75",
    ),
    (
        "claims_ci_inverted.csv",
        "published_claims",
        "row 1 (line 2, claim_id 'abstract_relief_immediate'), columns 'ci_low' and "
        "'ci_high': the interval is inverted (ci_low 84 is above ci_high 53)",
    ),
    (
        "events_over_patients.csv",
        "adverse_events",
        "row 1 (line 2, study_id 'correll2004', event 'raised liver enzymes'), column "
        "'patients_with_event': 40 is more than patients 33",
    ),
    (
        "rates_events_over_patients.csv",
        "published_rates",
        "row 1 (line 2, analysis_id 'hepatotoxicity'), column 'events': 300 is more than "
        "patients 258",
    ),
    (
        "axes_minimum_above_maximum.csv",
        "published_fig3_axes",
        "row 2 (line 3, axis 'y'), columns 'minimum' and 'maximum': 5 is not below 4",
    ),
]


# datapackage.json with one defect each, and the whole message after "<file>: "
BROKEN_PACKAGES = [
    (
        "package_bad_pattern.json",
        "resource 'trials', field 'study_id': pattern '[a-z' is not a regular expression "
        "(unterminated character set at position 0)",
    ),
    ("package_empty.json", "the file is empty; it must describe every data file"),
    (
        "package_empty_resources.json",
        '"resources" is an empty list; the package must describe its data files',
    ),
    ("package_field_twice.json", "resource 'trials': field 'study_id' is described twice"),
    (
        "package_foreign_key_cycle.json",
        "the foreign keys run in a circle (trials -> arms -> outcomes -> trials); a "
        "table can only refer to tables that do not refer back to it",
    ),
    (
        "package_foreign_key_malformed.json",
        'resource \'trials\': a foreign key must be {"fields": "<field>", "reference": '
        '{"resource": "<name>", "fields": "<field>"}}',
    ),
    (
        "package_foreign_key_to_itself_by_name.json",
        "the foreign keys run in a circle (trials -> trials); a table can only refer to "
        "tables that do not refer back to it",
    ),
    (
        "package_foreign_key_unknown_field.json",
        "resource 'trials': a foreign key refers to field 'trial_id' of 'trials', which "
        "has no such field",
    ),
    (
        "package_foreign_key_unknown_resource.json",
        "resource 'trials': a foreign key refers to resource 'sites', which the package "
        "does not describe",
    ),
    ("package_invalid_json.json", "line 4, column 1: not valid JSON (Expecting value)"),
    ("package_list.json", 'holds a list, not an object with a "resources" list'),
    (
        "package_minimum_on_text.json",
        "resource 'trials', field 'label': minimum 0 needs a number or integer field and a number",
    ),
    (
        "package_missing_values_na.json",
        "resource 'trials': missingValues must be [\"\"] (an empty cell is a value not reported)",
    ),
    ("package_no_resources.json", 'no "resources" list; the package must describe its data files'),
    ("package_not_utf8.json", "byte 18 (0xe9) is not valid UTF-8"),
    (
        "package_path_absolute.json",
        "resource 'trials': path '/etc/passwd' leads out of tests/paper/bad_input/; a "
        "data file must lie inside it",
    ),
    (
        "package_path_dotdot.json",
        "resource 'trials': path '../../../../etc/passwd' leads out of "
        "tests/paper/bad_input/; a data file must lie inside it",
    ),
    (
        "package_path_url.json",
        "resource 'trials': path 'https://example.org/trials.csv' leads out of "
        "tests/paper/bad_input/; a data file must lie inside it",
    ),
    (
        "package_primary_key_number.json",
        "resource 'trials': the primaryKey must be a field name or a list of them",
    ),
    (
        "package_primary_key_unknown.json",
        "resource 'trials': the primaryKey names 'id', which is not a field",
    ),
    ("package_resource_is_text.json", "resource 1 is a string, not an object"),
    ("package_resource_twice.json", "resource 'trials' is described twice"),
    ("package_resource_without_name.json", 'resource 1 has no "name"'),
    (
        "package_resource_without_path.json",
        "resource 'trials' has no \"path\" (the file it describes)",
    ),
    (
        "package_rule_column_missing.json",
        "resource 'studies': the data check has a rule that reads column 'n_enrolled', "
        "which the schema does not describe",
    ),
    (
        "package_unknown_constraint.json",
        "resource 'trials', field 'label': constraint 'minLength' is not one the check "
        "knows (required, unique, minimum, maximum, enum, pattern)",
    ),
    (
        "package_unknown_type.json",
        "resource 'trials', field 'n': type 'decimal' is not one the check knows "
        "(string, number, integer, boolean, date)",
    ),
    ("package_without_fields.json", "resource 'trials': the schema has no \"fields\" list"),
    ("package_without_schema.json", "resource 'trials' has no \"schema\" object"),
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
    assert str(caught.value) == f"{SHOWN}/{name}: {expected}"
    assert raised_here(caught)


@pytest.mark.parametrize(
    ("name", "expected"), BROKEN_PACKAGES, ids=[p[0] for p in BROKEN_PACKAGES]
)
def test_broken_package_gives_one_line(
    unchanged_files, monkeypatch, name: str, expected: str
) -> None:
    # The corpus folder stands in for data/, so a path that leaves it is named against it.
    monkeypatch.setattr(data, "DATA_DIR", CORPUS)
    monkeypatch.setattr(data, "DATAPACKAGE", CORPUS / name)
    with pytest.raises(DataFileError) as caught:
        data.datapackage()
    assert str(caught.value) == f"{SHOWN}/{name}: {expected}"
    assert raised_here(caught)


VALID = (CORPUS / "valid_three_studies.csv").read_bytes()
SECRET = "root:x:0:0:do-not-echo"


def _file(tmp: Path, name: str, content: bytes) -> Path:
    path = tmp / name
    path.write_bytes(content)
    return path


def _link_outside(tmp: Path) -> Path:
    (tmp / "outside").mkdir()
    (tmp / "inside").mkdir()
    secret = _file(tmp / "outside", "secret.csv", SECRET.encode())
    (tmp / "inside" / "studies.csv").symlink_to(secret)
    return tmp / "inside" / "studies.csv"


def _copy_of_data(tmp: Path, edit: Callable[[Path], None]) -> None:
    shutil.copytree(REPO_ROOT / "data", tmp / "data")
    edit(tmp / "data")


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        (folder / name).write_text(text.replace(old, new), encoding="utf-8")

    return edit


def _link_data_file_outside(folder: Path) -> None:
    secret = _file(folder.parent, "secret.csv", SECRET.encode())
    (folder / "studies.csv").unlink()
    (folder / "studies.csv").symlink_to(secret)


def _link_package_outside(folder: Path) -> None:
    outside = _file(folder.parent, "datapackage.json", (folder / "datapackage.json").read_bytes())
    (folder / "datapackage.json").unlink()
    (folder / "datapackage.json").symlink_to(outside)


PATIL_EFFECTS = ",Hypertension and sedation"
# Cases built in a temporary folder {tmp}: files that would be awkward to commit (binary,
# compressed, 200 KB, links) and edits of a whole copy of data/ (rules between files). Each
# entry: id, what to build, the resource to load from the built file (None: a copy of data/
# checked as a whole by the command line) and the whole message.
GENERATED: list[tuple[str, Callable[[Path], Path | None], str | None, str]] = [
    (
        "gzip",
        lambda tmp: _file(tmp, "studies.csv.gz", gzip.compress(VALID, mtime=0)),
        "studies",
        "{tmp}/studies.csv.gz: the file is a gzip-compressed file, not CSV text; decompress it",
    ),
    (
        "excel_workbook",
        lambda tmp: _file(tmp, "studies.xlsx", b"PK\x03\x04" + bytes(100)),
        "studies",
        "{tmp}/studies.xlsx: the file is a ZIP archive (an Excel workbook?), not CSV text; "
        "save it as CSV UTF-8",
    ),
    (
        "utf16",
        lambda tmp: _file(tmp, "studies.csv", VALID.decode().encode("utf-16")),
        "studies",
        "{tmp}/studies.csv: the file is UTF-16 text, not UTF-8; save it as CSV UTF-8",
    ),
    (
        "binary_after_header",
        lambda tmp: _file(tmp, "studies.csv", VALID.splitlines(True)[0] + bytes(range(128, 256))),
        "studies",
        "{tmp}/studies.csv: row 1 (line 2), column 'study_id': byte 0x80 is not valid UTF-8; "
        "save the file as UTF-8",
    ),
    (
        "cell_over_128_kb",
        lambda tmp: _file(tmp, "studies.csv", VALID.replace(b"Irritation;", b"x" * 200_000)),
        "studies",
        "{tmp}/studies.csv: row 2 (line 3): a cell is longer than 131,072 characters (128 KB); "
        'is a closing quote (") missing?',
    ),
    (
        "folder",
        lambda tmp: (tmp / "studies.csv").mkdir() or tmp / "studies.csv",
        "studies",
        "{tmp}/studies.csv is a folder, not a data file",
    ),
    (
        "missing_file",
        lambda tmp: tmp / "studies.csv",
        "studies",
        "{tmp}/studies.csv: cannot be read (No such file or directory)",
    ),
    (
        "link_to_a_file_outside_its_folder",
        _link_outside,
        "studies",
        "{tmp}/inside/studies.csv is a link to a file outside {tmp}/inside/; refused (not read)",
    ),
    (
        "data_file_linked_outside_data",
        lambda tmp: _copy_of_data(tmp, _link_data_file_outside),
        None,
        "{tmp}/data/studies.csv is a link to a file outside {tmp}/data/; refused (not read)",
    ),
    (
        "package_linked_outside_data",
        lambda tmp: _copy_of_data(tmp, _link_package_outside),
        None,
        "{tmp}/data/datapackage.json is a link to a file outside {tmp}/data/; refused (not read)",
    ),
    (
        "package_missing",
        lambda tmp: _copy_of_data(tmp, lambda folder: (folder / "datapackage.json").unlink()),
        None,
        "{tmp}/data/datapackage.json is missing; it describes every data file (restore it "
        "from git)",
    ),
    (
        "package_nested_too_deeply",
        lambda tmp: _copy_of_data(
            tmp, lambda folder: (folder / "datapackage.json").write_text("[" * 100_000)
        ),
        None,
        "{tmp}/data/datapackage.json: not valid JSON (nested too deeply)",
    ),
    (
        "stale_correction",
        lambda tmp: _copy_of_data(tmp, _replace("studies.csv", ",62.5,0.6,", ",62.5,0.7,")),
        None,
        "{tmp}/data/corrections.csv: row 1 (study_id 'goldberg2010', column "
        "'relief_followup_pct'): {tmp}/data/studies.csv holds 0.7, not the printed 0.6; update "
        "or remove the correction",
    ),
    (
        "correction_of_a_text_column",
        lambda tmp: _copy_of_data(
            tmp, _replace("corrections.csv", "relief_followup_pct,0.6", "label,0.6")
        ),
        None,
        "{tmp}/data/corrections.csv: row 1 (study_id 'goldberg2010', column 'label'): "
        "column 'label' holds strings; a correction replaces a number",
    ),
    (
        "correction_beyond_100_percent",
        lambda tmp: _copy_of_data(tmp, _replace("corrections.csv", ",0.6,60,", ",0.6,600,")),
        None,
        "{tmp}/data/corrections.csv: row 1 (study_id 'goldberg2010', column "
        "'relief_followup_pct'): value_used 600 is outside the column's range 0 to 100",
    ),
    (
        "side_effect_without_a_phrase",
        lambda tmp: _copy_of_data(
            tmp,
            _replace("studies.csv", PATIL_EFFECTS, ',"Hypertension and sedation, purple toes"'),
        ),
        None,
        "data/studies.csv: side_effects of 'patil2012': no phrase of "
        "data/side_effect_terms.csv matches 'purple toes'; add one there",
    ),
    (
        "flow_end_box_fed_by_nothing",
        lambda tmp: _copy_of_data(
            tmp,
            _replace(
                "prisma_flow.csv",
                "for assessment,61,input,included",
                "for assessment,61,input,identified_search",
            ),
        ),
        None,
        "data/prisma_flow.csv: row 6 (line 7, box_id 'excluded_assessment'), column 'parent': "
        "nothing flows into 'included', so there is nothing to exclude records from",
    ),
]


def _run(tmp: Path, monkeypatch, capsys, args: list[str]) -> tuple[int, str, str]:
    if not args:  # the whole copy of data/ in tmp
        monkeypatch.setattr(data, "DATA_DIR", tmp / "data")
        monkeypatch.setattr(data, "DATAPACKAGE", tmp / "data" / "datapackage.json")
    status = data_check.main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("case", "build", "resource", "expected"), GENERATED, ids=[g[0] for g in GENERATED]
)
def test_generated_case_gives_one_line(
    unchanged_files, tmp_path, monkeypatch, capsys, case, build, resource, expected
) -> None:
    tmp = tmp_path.resolve()
    built = build(tmp)
    if resource is None:
        status, _, err = _run(tmp, monkeypatch, capsys, [])
    else:
        status, _, err = _run(tmp, monkeypatch, capsys, ["--resource", resource, str(built)])
    assert status == 1
    assert err == f"error: {expected.format(tmp=tmp)}\n"
    assert SECRET not in err


def test_the_corpus_has_at_least_60_broken_files() -> None:
    assert len(BROKEN_FILES) + len(BROKEN_PACKAGES) + len(GENERATED) >= 60


def test_the_real_data_pass_when_checked_in_a_copy(tmp_path, monkeypatch, capsys) -> None:
    # The harness of the generated cases, without an edit: only the edit makes them fail.
    _copy_of_data(tmp_path, lambda folder: None)
    status, out, err = _run(tmp_path, monkeypatch, capsys, [])
    assert (status, err) == (0, "")
    assert out.count("ok: ") == len(data.datapackage()["resources"]) + 3


# Files that look odd but are valid: what Excel and other editors write.
def _valid_variant(tmp: Path, name: str) -> Path:
    text = VALID.decode()
    variants = {
        "bom.csv": b"\xef\xbb\xbf" + VALID,  # Excel's "CSV UTF-8"
        "cr_only.csv": text.replace("\n", "\r").encode(),  # classic Mac OS
        "crlf.csv": text.replace("\n", "\r\n").encode(),  # Windows
        "blank_lines_at_end.csv": VALID + b"\n\n",
        "quoted_newline.csv": text.replace(
            '"Irritation; fatigue,', '"Irritation;\nfatigue,'
        ).encode(),
    }
    return _file(tmp, name, variants[name])


@pytest.mark.parametrize(
    "name", ["bom.csv", "cr_only.csv", "crlf.csv", "blank_lines_at_end.csv", "quoted_newline.csv"]
)
def test_valid_variants_load_as_the_plain_file(unchanged_files, tmp_path, name) -> None:
    expected = load_table("studies", CORPUS / "valid_three_studies.csv")
    loaded = load_table("studies", _valid_variant(tmp_path, name))
    if name == "quoted_newline.csv":
        expected.loc[1, "side_effects"] = expected.loc[1, "side_effects"].replace("; ", ";\n")
    pd.testing.assert_frame_equal(loaded, expected)


def test_a_long_value_is_shortened_in_the_message(tmp_path) -> None:
    path = _file(tmp_path, "studies.csv", VALID.replace(b",13,,8,", b",13,," + b"9" * 5000 + b","))
    with pytest.raises(DataFileError) as caught:
        load_table("studies", path)
    assert str(caught.value).endswith(
        "column 'n_male': '" + "9" * 35 + "...' (5,000 characters) is too large for an integer "
        "(at most 9223372036854775807)"
    )


# The command line is tried on a defect of the whole file and one of a cell (the messages of
# every defect, the header's included, are checked above; each run starts Python, 2-3 s).
COMMAND_LINE_CASES = [f for f in BROKEN_FILES if f[0] in {"empty.csv", "age_inf.csv"}]


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
    assert lines == [f"error: {SHOWN}/{name}: {expected}"]


def test_every_corpus_file_is_tried() -> None:
    valid = {"valid_three_studies.csv", "markup_label.csv"}
    tried = {name for name, _, _ in BROKEN_FILES} | {name for name, _ in BROKEN_PACKAGES}
    assert {p.name for p in CORPUS.glob("*.*")} - {"README.md"} == tried | valid


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
