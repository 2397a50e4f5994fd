"""The data-edit corpus: plausible edits of ``data/``, each defined as data.

Each `Edit` changes a copy of ``data/`` (never ``data/`` itself) the way a student or a reviewer
might: one study's N up or down by one, one printed percentage of Table 1 up or down by one, a
study removed (with the rows of the other files that refer to it), an invented 16th study added
(marked as a test study in its label and every text cell), or the correction of a misprint
removed. `corpus` lists them all; `edit` finds one by name. The values edited are read from the
copy, so the corpus follows ``data/studies.csv`` without a hand-typed number.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STUDIES = "studies.csv"
PERCENT_COLUMNS = {
    "relief_immediate_pct": "Relief now (%)",
    "relief_followup_pct": "Relief at 1–3 months (%)",
    "no_relief_pct": "No relief (%)",
}
"""Table 1's percentage columns and their headings in the book's Table 1."""

REFERRING = (
    "corrections.csv",
    "published_fig2_studies.csv",
    "study_designs.csv",
    "adverse_events.csv",
)
"""The files whose rows refer to a study by ``study_id`` (their foreign keys): they go with it
when it is removed. The paper's printed per-study rows of Fig. 4 (``published_forest.csv``)
stay: the paper printed them, and the audit reports them as no longer reproduced."""
TEST_STUDY_ID = "teststudy2099"
TEST_STUDY_LABEL = "TEST STUDY 2099 (invented)"


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dictionaries of text, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Write rows as the data files are written (minimal quoting, ``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _number(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Shown:
    """A value the book must show after the edit: Table 1's cell of a study."""

    label: str
    column: str
    text: str


@dataclass(frozen=True)
class Edit:
    """One edit of a copy of ``data/``.

    Attributes
    ----------
    name : str
        Stable identifier, e.g. ``"n_analysed:webster2006:+1"``.
    description : str
        What the edit does, in words.
    apply : callable
        Changes the copy in place (the folder is its argument).
    shown : tuple of Shown
        Cells of the book's Table 1 that must show the edited value.
    total_n_change : int or None
        How much the sum of N as Table 1 prints it (glued as ``subjects_as_printed``) moves.
    known_gap : str or None
        Why the edit is known to fail (an expected failure, strict: the run reports it as
        unexpectedly passing once the gap is closed).
    """

    name: str
    description: str
    apply: Callable[[Path], None] = field(repr=False)
    shown: tuple[Shown, ...] = ()
    total_n_change: int | None = None
    known_gap: str | None = None


def _set_cell(study_id: str, column: str, value: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / STUDIES
        rows = read_rows(path)
        (row,) = [r for r in rows if r["study_id"] == study_id]
        row[column] = value
        write_rows(path, _header(path), rows)

    return apply


def _remove_study(study_id: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        for name in (STUDIES, *REFERRING):
            path = folder / name
            rows = read_rows(path)
            write_rows(path, _header(path), [r for r in rows if r["study_id"] != study_id])

    return apply


def _add_test_study(folder: Path) -> None:
    path = folder / STUDIES
    rows = read_rows(path)
    invented = dict.fromkeys(_header(path), "")
    invented.update(
        study_id=TEST_STUDY_ID,
        label=TEST_STUDY_LABEL,
        table1_row=str(len(rows) + 1),
        author_as_printed="TEST STUDY, invented for the data-edit tests",
        year="2016",
        intervention="S+ketamine",
        dose_as_printed="20 mg/hr (TEST STUDY)",
        duration_days="5",
        n_analysed="12",
        n_male="4",
        age_mean="40",
        age_sd="10",
        pain_baseline_mean="7.5",
        pain_baseline_sd="1.5",
        pain_end_mean="4",
        pain_end_sd="2",
        relief_immediate_pct="50",
        relief_followup_pct="25",
        no_relief_pct="50",
        crps_duration_mean="24",
        crps_duration_sd="12",
        crps_duration_unit="months",
        crps_duration_as_printed="24±12 months",
        side_effects="Nausea, dizziness",
    )
    write_rows(path, _header(path), [*rows, invented])


def _remove_corrections(folder: Path) -> None:
    path = folder / "corrections.csv"
    write_rows(path, _header(path), [])


def _n_cell(row: dict[str, str], n: str, enrolled: str) -> str:
    return f"{n} ({enrolled})" if enrolled else n


def corpus(data_dir: Path) -> tuple[Edit, ...]:
    """Every edit of the corpus, for the data in ``data_dir`` (``data/``).

    Each study's ``n_analysed`` ± 1 (and ``n_enrolled`` ± 1 where Table 1 prints it); each
    percentage of Table 1 ± 1 where the result stays within 0–100 and the cell carries no
    correction; the last study removed; an invented 16th study added; the corrections removed.
    """
    rows = read_rows(data_dir / STUDIES)
    corrected = {(r["study_id"], r["column"]) for r in read_rows(data_dir / "corrections.csv")}
    edits = []
    for row in rows:
        sid, label = row["study_id"], row["label"]
        n, enrolled = row["n_analysed"], row["n_enrolled"]
        for delta in (+1, -1):
            new = str(int(n) + delta)
            edits.append(
                Edit(
                    name=f"n_analysed:{sid}:{delta:+d}",
                    description=f"{label}: N {n} → {new}",
                    apply=_set_cell(sid, "n_analysed", new),
                    shown=(Shown(label, "N", _n_cell(row, new, enrolled)),),
                    total_n_change=delta,
                )
            )
            if enrolled:
                new_enrolled = str(int(enrolled) + delta)
                edits.append(
                    Edit(
                        name=f"n_enrolled:{sid}:{delta:+d}",
                        description=f"{label}: second N {enrolled} → {new_enrolled}",
                        apply=_set_cell(sid, "n_enrolled", new_enrolled),
                        shown=(Shown(label, "N", _n_cell(row, n, new_enrolled)),),
                        total_n_change=0,
                    )
                )
    for row in rows:
        sid, label = row["study_id"], row["label"]
        for column, heading in PERCENT_COLUMNS.items():
            if not row[column] or (sid, column) in corrected:
                continue
            for delta in (+1, -1):
                new = float(row[column]) + delta
                if not 0 <= new <= 100:
                    continue
                text = _number(str(new))
                edits.append(
                    Edit(
                        name=f"{column}:{sid}:{delta:+d}",
                        description=f"{label}: {heading} {row[column]} → {text}",
                        apply=_set_cell(sid, column, text),
                        shown=(Shown(label, heading, text),),
                    )
                )
    last = rows[-1]
    edits.append(
        Edit(
            name=f"remove:{last['study_id']}",
            description=f"{last['label']} removed (with the rows that refer to it)",
            apply=_remove_study(last["study_id"]),
            total_n_change=-int(last["n_analysed"]),
        )
    )
    edits.append(
        Edit(
            name="add:test-study",
            description=f"an invented 16th study added ({TEST_STUDY_LABEL})",
            apply=_add_test_study,
            shown=(Shown(TEST_STUDY_LABEL, "N", "12"),),
            total_n_change=12,
        )
    )
    edits.append(
        Edit(
            name="remove:corrections",
            description="the correction of every misprint removed (Table 1's values as printed)",
            apply=_remove_corrections,
        )
    )
    return tuple(edits)


def edit(name: str, data_dir: Path) -> Edit:
    """The edit of the corpus called ``name``."""
    for candidate in corpus(data_dir):
        if candidate.name == name:
            return candidate
    raise KeyError(f"no edit called {name!r} in the data-edit corpus")
