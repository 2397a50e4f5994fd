"""Every quantitative claim of the paper beside our value, with a status (the Audit chapter).

Each claim is a number (or a few printed together) that the paper states about its own review:
in the Abstract, Methods, Results, figures or Discussion. Its printed value is read from the
``data/published_*`` files and ``data/search_facts.csv``, never typed here; our value comes from
the functions the other chapters use, formatted the way the paper prints the number; and the
claim gets one of the four statuses of `analysis.descriptives.STATUSES`:

- *reproduced*: the paper's data (Table 1, its figures, its other numbers) and a computation that
  needs no unstated choice give the printed digits;
- *reproduced under a stated assumption*: they do, but only with a choice the paper does not
  state (the note says which);
- *not reproducible*: no computation we tried gives the printed value, or the paper gives no
  data to check it (the note says which);
- *inconsistent within the paper*: the paper's own data or text give another value.

Each claim also names the chapter section that shows the check, for a link. Figures the paper
cites from other studies (``scope`` "background" in ``data/published_claims.csv``) are not
claims of this meta-analysis: `background` lists them apart, without a status.
"""

import re
from dataclasses import dataclass, fields
from functools import cache

import numpy as np
import pandas as pd
from docutils.nodes import make_id

from analysis.analyses import pain_analysis
from analysis.bias import begg, egger
from analysis.data import load_studies, load_table, resource_descriptor, schema_fields
from analysis.descriptives import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    STATUSES,
    reproduce_descriptives,
)
from analysis.errors import DataFileError, InputError
from analysis.formatting import estimate_with_ci, percent_with_ci
from analysis.hepatotoxicity import compare_with_paper, denominator_readings
from analysis.pain_scores import (
    SMD_LABELS,
    STUDY_SETS,
    fig2_attempts,
    pain_inputs,
    paired_effects,
)
from analysis.paths import REPO_ROOT
from analysis.prisma import check_flow, load_flow
from analysis.published import as_printed, printed_decimals, published_forest, published_pooled
from analysis.relief_rates import (
    TIMEPOINTS,
    compare_pooled,
    compare_studies,
    pool_rates,
    rate_inputs,
    with_weights,
)
from analysis.robustness import PAIRED_R
from analysis.table1 import PAIN_SCALES

BOOK_DIR = REPO_ROOT / "book"
AUDIT_DOC = "08-audit"
"""The chapter that shows the audit; claims no other chapter checks link to it."""

OWN_SECTION = "Claims no other chapter checks"
"""The heading of the Audit chapter's section for those claims."""

_SECTION = re.compile(r"^(Abstract|Introduction|Methods|Results|Discussion|Fig\. \d+[ab]?)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")


@dataclass(frozen=True)
class DataCell:
    """One printed value, as a data file holds it.

    Attributes
    ----------
    resource : str
        The data file's resource name in ``data/datapackage.json``.
    row : str
        The row's primary key (parts of a composite key joined by ``/``).
    column : str
        The column.
    value : float or str
        The cell's value: a number, or a date in ISO format.
    decimals : int or None
        Decimals the paper prints (None for a date).
    shown : str
        The value as the claim's printed text shows it.
    """

    resource: str
    row: str
    column: str
    value: float | str
    decimals: int | None
    shown: str


@dataclass(frozen=True)
class Link:
    """A section of a chapter of the book.

    Attributes
    ----------
    doc : str
        The chapter's file name without extension (``"03-pooling"``).
    anchor : str
        The section's id in the built HTML (the heading's text as docutils makes ids of it).
    chapter : str
        The chapter's short title: its title up to a colon (``"Pooling"``).
    heading : str
        The section's heading.
    """

    doc: str
    anchor: str
    chapter: str
    heading: str

    @property
    def title(self) -> str:
        """Chapter and section, for link texts: ``"Pooling: Fig. 2 beside ours"``."""
        return f"{self.chapter}: {self.heading}"

    @property
    def href(self) -> str:
        """The link from another chapter page: ``"03-pooling.html#fig-2-beside-ours"``."""
        return f"{self.doc}.html#{self.anchor}"


@dataclass(frozen=True)
class Claim:
    """One quantitative claim of the paper beside our value.

    Attributes
    ----------
    claim_id : str
        Stable identifier.
    section : str
        Where the paper prints it: ``"Abstract"``, ``"Methods"``, ``"Results"``,
        ``"Fig. 1"`` ... ``"Fig. 4b"``, ``"Discussion"``.
    claim : str
        What is claimed, in our words.
    printed : str
        The printed value, formatted from the data file.
    ours : str or None
        Our value, formatted the same way; None when the paper gives no data to compute it.
    status : str
        One of `analysis.descriptives.STATUSES`.
    note : str
        The assumption a status needs, or the reason for it.
    link : Link
        The chapter section that shows the check.
    cells : tuple of DataCell
        The data cells the printed value comes from.
    study_level : bool
        A study's row of a forest plot (the chapter lists these apart); default False.
    """

    claim_id: str
    section: str
    claim: str
    printed: str
    ours: str | None
    status: str
    note: str
    link: Link
    cells: tuple[DataCell, ...]
    study_level: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InputError(f"Claim: status={self.status!r} is not one of {', '.join(STATUSES)}")


# --- Reading printed values --------------------------------------------------------------


def _primary_key(resource: str) -> tuple[str, ...]:
    key = resource_descriptor(resource)["schema"]["primaryKey"]
    return (key,) if isinstance(key, str) else tuple(key)


def _fraction_digits(value: float) -> int:
    """Decimals needed to write ``value`` exactly (``0.000001`` -> 6, ``98.0`` -> 0)."""
    text = f"{value:f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def cell(resource: str, key: str | tuple[str, ...], column: str) -> DataCell:
    """Read one printed value from a data file.

    Parameters
    ----------
    resource : str
        Resource name in ``data/datapackage.json``.
    key : str or tuple of str
        The row's primary key (a tuple for a composite key).
    column : str
        The column.

    Returns
    -------
    DataCell
        With the decimals the paper prints: the column's ``printed_decimals`` in the schema,
        else the row's ``decimals`` column, else as many as the value needs.

    Raises
    ------
    DataFileError
        When no row, or more than one, has the key, or the cell is empty.

    Examples
    --------
    >>> cell("published_pooled", "relief_immediate", "i2_pct").shown
    '82.3'
    """
    table = load_table(resource)
    names = _primary_key(resource)
    values = (key,) if isinstance(key, str) else tuple(key)
    mask = pd.Series(True, index=table.index)
    for name, value in zip(names, values, strict=True):
        mask &= table[name] == value
    rows = table[mask.fillna(False).astype(bool)]
    row_key = "/".join(values)
    if len(rows) != 1 or pd.isna(rows.iloc[0][column]):
        raise DataFileError(
            f"data/{resource_descriptor(resource)['path']}: no single value in row {row_key!r}, "
            f"column {column!r}"
        )
    row = rows.iloc[0]
    raw = row[column]
    if isinstance(raw, pd.Timestamp):
        return DataCell(resource, row_key, column, raw.date().isoformat(), None, _date(raw))
    number = float(raw)
    decimals = printed_decimals(resource).get(column)
    if decimals is None and "decimals" in table.columns:
        decimals = int(row["decimals"])
    if decimals is None:
        decimals = _fraction_digits(number)
    return DataCell(resource, row_key, column, number, decimals, as_printed(number, decimals))


def _date(value: pd.Timestamp) -> str:
    return f"{value.day} {value:%B %Y}"


def _claim_row(claim_id: str) -> pd.Series:
    claims = load_table("published_claims").set_index("claim_id")
    if claim_id not in claims.index:
        raise DataFileError(f"data/published_claims.csv has no claim_id {claim_id!r}")
    return claims.loc[claim_id]


def _from_file(claim_id: str, **values) -> Claim:
    """A claim of ``published_claims.csv``: its section and wording come from the file."""
    row = _claim_row(claim_id)
    return Claim(
        claim_id=claim_id, section=str(row["section"]), claim=str(row["quantity"]), **values
    )


def _section(source: str) -> str:
    """The part of the paper a ``source`` text names first (``"Results, 'Included ..."``)."""
    match = _SECTION.match(source)
    if not match:
        raise DataFileError(f"cannot tell the section of the paper from the source {source!r}")
    return match.group(1)


@cache
def sections() -> tuple[str, ...]:
    """The parts of the paper, in the paper's order (the schema of ``published_claims``)."""
    field = next(f for f in schema_fields("published_claims") if f["name"] == "section")
    return tuple(field["constraints"]["enum"])


# --- Links to chapter sections -----------------------------------------------------------


def headings(doc: str) -> list[tuple[int, str]]:
    """The headings of a chapter's MyST source, as ``(level, text)``, code cells skipped."""
    path = BOOK_DIR / f"{doc}.md"
    if not path.exists():
        raise InputError(f"headings: doc={doc!r} is not a chapter in book/")
    lines = path.read_text(encoding="utf-8").splitlines()
    found, fenced, front = [], False, bool(lines) and lines[0] == "---"
    for number, line in enumerate(lines):
        if front:
            front = not (number > 0 and line == "---")
            continue
        if line.startswith("```"):
            fenced = not fenced
            continue
        match = _HEADING.match(line)
        if match and not fenced:
            found.append((len(match.group(1)), match.group(2)))
    return found


@cache
def section_link(doc: str, heading: str) -> Link:
    """The link to the section of chapter ``doc`` with the heading ``heading``.

    Raises
    ------
    InputError
        When the chapter has no such heading, or an earlier heading takes its id (docutils
        gives only the first of two equal ids to its section).

    Examples
    --------
    >>> section_link("03-pooling", "Fig. 2 beside ours").href
    '03-pooling.html#fig-2-beside-ours'
    """
    found = headings(doc)
    ids = [make_id(text) for _, text in found]
    if heading not in [text for _, text in found]:
        raise InputError(f"section_link: book/{doc}.md has no heading {heading!r}")
    anchor = make_id(heading)
    first = ids.index(anchor)
    if found[first][1] != heading:
        raise InputError(
            f"section_link: in book/{doc}.md the heading {heading!r} has the same id as the "
            f"earlier {found[first][1]!r}"
        )
    chapter = next(text for level, text in found if level == 1)
    return Link(doc, anchor, chapter.split(":")[0], heading)


# --- Claims --------------------------------------------------------------------------------


def _with_ci(cells: tuple[DataCell, ...]) -> str:
    """``"0.69 (0.53, 0.84)"`` from the cells of an estimate and its limits, as printed."""
    estimate, low, high = (c.shown for c in cells)
    return f"{estimate} ({low}, {high})"


def _same(printed: str, ours: str) -> str:
    return REPRODUCED if printed == ours else NOT_REPRODUCIBLE


def _status_of_readings(matches: list[bool]) -> str:
    """Reproduced when every reading gives the printed value, assumed when some do."""
    if all(matches):
        return REPRODUCED
    return ASSUMED if any(matches) else NOT_REPRODUCIBLE


def _labels() -> pd.Series:
    return load_studies().set_index("study_id")["label"]


def _relief_claims() -> list[Claim]:
    """Fig. 4a and 4b: each study's row, the overall row, and the text's repeats of it."""
    claims = []
    corrections = load_table("corrections")
    for key, point in TIMEPOINTS.items():
        inputs = rate_inputs(key)
        result = pool_rates(inputs)
        table = with_weights(inputs, result)
        checks = compare_studies(key, table)
        listed = published_forest(point.figure).set_index("study_id")
        ours_by_study = table.set_index("study_id")
        figure = f"Fig. {point.figure}"
        link = section_link("03-pooling", "Every printed number beside ours")
        for study_id, rows in checks.groupby("study_id", sort=False):
            if study_id not in listed.index:
                continue  # a study the figure does not list prints no number
            claims.append(
                _study_row(
                    point,
                    figure,
                    study_id,
                    rows,
                    listed.loc[study_id],
                    ours_by_study,
                    link,
                    corrections,
                )
            )
        pooled = compare_pooled(key, result).set_index("quantity")
        claims.extend(_pooled_rows(point, figure, pooled, result, link))
        claims.extend(_relief_repeats(key, point, result))
    return claims


def _study_row(point, figure, study_id, rows, listed, ours_by_study, link, corrections) -> Claim:
    label = str(ours_by_study.at[study_id, "label"])
    key = (point.figure, study_id)
    weight = cell("published_forest", key, "weight_pct")
    ours = rows.set_index("quantity")
    if bool(listed["excluded"]):
        printed = f"(Excluded); {weight.shown}%"
        mine = str(ours.at["excluded", "ours_as_printed"])
        weight_ours = as_printed(float(ours_by_study.at[study_id, "weight_pct"]), weight.decimals)
        shown = f"{mine}; {weight_ours}%"
        n = int(ours_by_study.at[study_id, "n"])
        percent = float(ours_by_study.at[study_id, "percent_as_printed"])
        return Claim(
            claim_id=f"fig{point.figure}_{study_id}",
            section=figure,
            claim=f"{label}: left out of the pooled share; weight",
            printed=printed,
            ours=shown,
            status=_same(printed, shown),
            note=f"{percent:g}% of {n} patients responded in Table 1: a proportion of 0 has "
            "variance 0, which this model cannot weight",
            link=link,
            study_level=True,
            cells=(weight,),
        )
    cells = tuple(cell("published_forest", key, c) for c in ("estimate", "ci_low", "ci_high"))
    printed = f"{_with_ci(cells)}; {weight.shown}%"
    mine = f"{ours.at['estimate', 'ours_as_printed']} ({ours.at['ci_low', 'ours_as_printed']}, "
    mine += (
        f"{ours.at['ci_high', 'ours_as_printed']}); {ours.at['weight_pct', 'ours_as_printed']}%"
    )
    status = _same(printed, mine)
    n = int(ours_by_study.at[study_id, "n"])
    percent = float(ours_by_study.at[study_id, "percent_as_printed"])
    note = f"Table 1: {percent:g}% of {n} patients, rounded to two decimals; Wald interval"
    fixes = corrections[
        (corrections["study_id"] == study_id) & (corrections["column"] == point.column)
    ]
    if status == REPRODUCED and len(fixes):
        fix = fixes.iloc[0]
        status = ASSUMED
        note = (
            f"Table 1 prints {fix['value_as_printed']:g} in a column of percentages; read as "
            f"{fix['value_used']:g}% (data/corrections.csv), of {n} patients"
        )
    return Claim(
        claim_id=f"fig{point.figure}_{study_id}",
        section=figure,
        claim=f"{label}: share with relief (95% CI); weight",
        printed=printed,
        ours=mine,
        status=status,
        note=note,
        link=link,
        study_level=True,
        cells=(*cells, weight),
    )


def _pooled_rows(point, figure, pooled, result, link) -> list[Claim]:
    cells = tuple(
        cell("published_pooled", point.analysis_id, c) for c in ("estimate", "ci_low", "ci_high")
    )
    printed = _with_ci(cells)
    ours = estimate_with_ci(result.estimate, result.ci_low, result.ci_high)
    i2 = cell("published_pooled", point.analysis_id, "i2_pct")
    p = cell("published_pooled", point.analysis_id, "p_heterogeneity")
    basis = f"DerSimonian–Laird pooling of the {result.k} study rows"
    return [
        Claim(
            claim_id=f"fig{point.figure}_pooled",
            section=figure,
            claim=f"Pooled share with relief {point.description} (95% CI)",
            printed=printed,
            ours=ours,
            status=_same(printed, ours),
            note=f"{basis}, as Stata's metan computes it",
            link=link,
            cells=cells,
        ),
        Claim(
            claim_id=f"fig{point.figure}_i2",
            section=figure,
            claim=f"I² of the pooled share {point.description}",
            printed=f"{i2.shown}%",
            ours=f"{pooled.at['i2_pct', 'ours_as_printed']}%",
            status=_same(f"{i2.shown}%", f"{pooled.at['i2_pct', 'ours_as_printed']}%"),
            note=basis,
            link=link,
            cells=(i2,),
        ),
        Claim(
            claim_id=f"fig{point.figure}_p_heterogeneity",
            section=figure,
            claim=f"p-value of Cochran's Q test of heterogeneity, {point.description}",
            printed=f"p = {p.shown}",
            ours=f"p = {pooled.at['p_heterogeneity', 'ours_as_printed']}",
            status=_same(p.shown, str(pooled.at["p_heterogeneity", "ours_as_printed"])),
            note=f"Q = {result.q:.1f} on {result.df} degrees of freedom",
            link=link,
            cells=(p,),
        ),
    ]


def _relief_repeats(key: str, point, result) -> list[Claim]:
    """The pooled rates as the Abstract, Results and Discussion repeat them, in percent."""
    claims = load_table("published_claims")
    rows = claims[(claims["scope"] == "claim") & (claims["analysis_id"] == point.analysis_id)]
    figure = published_pooled(point.analysis_id)
    out = []
    for row in rows.itertuples(index=False):
        if pd.isna(row.value) or row.unit != "percent":
            continue
        decimals = int(row.decimals)
        with_ci = not pd.isna(row.ci_low)
        columns = ("value", "ci_low", "ci_high") if with_ci else ("value",)
        cells = tuple(cell("published_claims", row.claim_id, c) for c in columns)
        if with_ci:
            printed = f"{cells[0].shown}% (95% CI {cells[1].shown}% to {cells[2].shown}%)"
            ours = percent_with_ci(result.estimate, result.ci_low, result.ci_high, decimals)
            in_figure = percent_with_ci(
                figure["estimate"], figure["ci_low"], figure["ci_high"], decimals
            )
        else:
            printed = f"{cells[0].shown}%"
            ours = f"{as_printed(100 * result.estimate, decimals)}%"
            in_figure = f"{as_printed(100 * figure['estimate'], decimals)}%"
        if printed != in_figure:
            status, note = INCONSISTENT, f"Fig. {point.figure} prints {in_figure}"
        else:
            status, note = _same(printed, ours), f"Fig. {point.figure}'s overall row, in percent"
        out.append(
            Claim(
                claim_id=row.claim_id,
                section=row.section,
                claim=row.quantity,
                printed=printed,
                ours=ours,
                status=status,
                note=note,
                link=section_link("03-pooling", "Fig. 4a and 4b, reproduced"),
                cells=cells,
            )
        )
    if key == "immediate":
        out.append(_excluded_study(result))
    return out


def _excluded_study(result) -> Claim:
    printed = cell("published_claims", "results_excluded_immediate", "value")
    inputs = rate_inputs("immediate")
    left_out = inputs.iloc[list(result.excluded)]
    ours = as_printed(len(left_out), printed.decimals)
    names = ", ".join(
        f"{label} ({pct:g}% of {n})"
        for label, pct, n in zip(
            left_out["label"], left_out["percent_as_printed"], left_out["n"], strict=True
        )
    )
    return _from_file(
        "results_excluded_immediate",
        printed=printed.shown,
        ours=ours,
        status=_same(printed.shown, ours),
        note=f"The model leaves out {names}: its variance is 0, so it is left out whatever its "
        "quality; the reference list is lost, so [9] cannot be matched by number",
        link=section_link("03-pooling", "The study that was left out"),
        cells=(printed,),
    )


def _fig2_cohen(attempts):
    """The paper's analysis in its closest reproduction: Fig. 2's studies, Cohen's d."""
    return next(a for a in attempts if a.study_set == "fig2" and a.smd == "cohen")


def _pain_claims() -> list[Claim]:
    """Fig. 2: its I², the p-values, and the number of studies the text says it pooled."""
    link = section_link("03-pooling", "Fig. 2 beside ours")
    attempts = fig2_attempts()
    i2 = cell("published_pooled", "pain_smd", "i2_pct")
    p_het = cell("published_pooled", "pain_smd", "p_heterogeneity")
    bound = cell("published_pooled", "pain_smd", "p_effect_below")
    closest = min(attempts, key=lambda a: abs(a.result.i2 - i2.value))
    i2_values = [a.result.i2 for a in attempts]
    readings = f"{len(attempts)} readings (studies × SMD formula)"
    describe = f"{STUDY_SETS[closest.study_set]}, {SMD_LABELS[closest.smd]}"
    i2_status = _status_of_readings([a.i2_as_printed for a in attempts])
    p_texts = [as_printed(a.result.p_q, p_het.decimals) for a in attempts]
    below = [a for a in attempts if a.p_below_claim]
    effect = next((a for a in below if a.smd == "cohen"), below[0] if below else closest)
    pooled_sets = " or ".join(STUDY_SETS[s] for s in sorted({a.study_set for a in below}))
    claims = [
        Claim(
            claim_id="fig2_i2",
            section="Fig. 2",
            claim="I² of the pooled change in pain score (SMD)",
            printed=f"{i2.shown}%",
            ours=f"{as_printed(closest.result.i2, i2.decimals)}%",
            status=i2_status,
            note=f"Closest of {readings}: {describe}; all give "
            f"{min(i2_values):.1f}% to {max(i2_values):.1f}%",
            link=link,
            cells=(i2,),
        ),
        Claim(
            claim_id="fig2_p_heterogeneity",
            section="Fig. 2",
            claim="p-value of Cochran's Q test of heterogeneity, pain score",
            printed=f"p = {p_het.shown}",
            ours=f"p = {as_printed(closest.result.p_q, p_het.decimals)}",
            status=_status_of_readings([t == p_het.shown for t in p_texts]),
            note=f"Each of the {readings} gives p = {p_het.shown} at this precision"
            if all(t == p_het.shown for t in p_texts)
            else f"Closest reading: {describe}",
            link=link,
            cells=(p_het,),
        ),
        Claim(
            claim_id="pain_p_effect",
            section="Abstract",
            claim="p-value of the pooled fall in pain score from baseline",
            printed=f"p < {bound.shown}",
            ours=f"p = {effect.result.p_value:.1e}",
            status=_status_of_readings([a.p_below_claim for a in attempts]),
            note=(
                f"Holds only if the analysis pools {pooled_sets} ({effect.result.k} studies, "
                f"{SMD_LABELS[effect.smd]}); the "
                f"{pain_analysis().k} studies Fig. 2 lists give p = "
                f"{_fig2_cohen(attempts).result.p_value:.1e}"
            )
            if below and len(below) < len(attempts)
            else f"Closest reading: {describe}",
            link=link,
            cells=(bound,),
        ),
    ]
    with_scores = pain_inputs("all")
    listed = pain_analysis().k
    studies = load_studies()
    for claim_id in ("results_pain_studies", "discussion_pain_studies"):
        printed = cell("published_claims", claim_id, "value")
        ours = as_printed(len(with_scores), printed.decimals)
        claims.append(
            _from_file(
                claim_id,
                printed=printed.shown,
                ours=ours,
                status=REPRODUCED if ours == printed.shown else INCONSISTENT,
                note=f"Table 1 gives pain before and after for {len(with_scores)} of its "
                f"{len(studies)} studies; Fig. 2 lists {listed}",
                link=section_link("03-pooling", "The data used"),
                cells=(printed,),
            )
        )
    return claims


def _bias_claims() -> list[Claim]:
    """Fig. 3 and the Results on publication bias: Egger, Begg, and the funnel's axes."""
    link = section_link("05-publication-bias", "The pain scores (Fig. 3)")
    pain = pain_analysis()
    threshold = cell("published_bias", "pain_smd", "p_threshold")
    egger_test = egger(pain.yi, pain.vi)
    points = paired_effects(pain_inputs("all"), PAIRED_R, "MC")
    points_p = egger(points.yi, points.vi).p_value
    begg_exact = begg(pain.yi, pain.vi)
    begg_stata = begg(pain.yi, pain.vi, method="normal", continuity=True)
    begg_claim = cell("published_claims", "fig3_begg", "value")
    basis = f"the closest reproduction of Fig. 2 ({pain.k} studies, Cohen's d)"
    claims = [
        Claim(
            claim_id="results_egger",
            section=_section(
                str(load_table("published_bias").set_index("analysis_id").at["pain_smd", "source"])
            ),
            claim="p-value of Egger's test for funnel-plot asymmetry, pain scores",
            printed=f"p < {threshold.shown}",
            ours=f"p = {egger_test.p_value:.3f}",
            status=REPRODUCED if egger_test.p_value < threshold.value else NOT_REPRODUCIBLE,
            note=f"On {basis}; as paired change in points, p = {points_p:.2f}",
            link=link,
            cells=(threshold,),
        ),
        _from_file(
            "fig3_begg",
            printed=f"p < {begg_claim.shown}",
            ours=f"p = {begg_exact.p_value:.3f}",
            status=REPRODUCED
            if min(begg_exact.p_value, begg_stata.p_value) < begg_claim.value
            else NOT_REPRODUCIBLE,
            note=f"On {basis}: exact p = {begg_exact.p_value:.3f}, Stata's continuity-corrected "
            f"p = {begg_stata.p_value:.3f}",
            link=link,
            cells=(begg_claim,),
        ),
    ]
    axes = load_table("published_fig3_axes").set_index("axis")
    se = np.sqrt(np.asarray(pain.vi))
    yi = np.asarray(pain.yi)
    for axis, values in (("x", yi), ("y", se)):
        low, high = (cell("published_fig3_axes", axis, c) for c in ("minimum", "maximum"))
        ticks = [float(t) for t in str(axes.at[axis, "ticks_as_printed"]).split()]
        inside = bool(((values >= low.value) & (values <= high.value)).all())
        fills = axis == "x" or float(values.max()) > ticks[-2]
        what = str(axes.at[axis, "quantity"])
        note = f"Every study of {basis} lies inside" if inside else "Some studies lie outside"
        if axis == "y":
            note += f"; the largest standard error ({values.max():.2f}) needs the last tick"
        claims.append(
            Claim(
                claim_id=f"fig3_axis_{axis}",
                section="Fig. 3",
                claim=f"Range of the funnel plot's axis: {what}",
                printed=f"{low.shown} to {high.shown}",
                ours=f"{as_printed(values.min(), low.decimals)} to "
                f"{as_printed(values.max(), high.decimals)}",
                status=REPRODUCED if inside and fills else NOT_REPRODUCIBLE,
                note=note,
                link=link,
                cells=(low, high),
            )
        )
    return claims


DESCRIPTIVE_SECTIONS = {
    "studies_included": "Studies, patients and years",
    "subjects_total": "Studies, patients and years",
    "years": "Studies, patients and years",
    "duration": "Duration of treatment",
    "age": "Age",
    "crps_duration": "Duration of CRPS",
    "immediate_studies": "Participants in the two relief-rate analyses",
    "immediate_participants": "Participants in the two relief-rate analyses",
    "followup_studies": "Participants in the two relief-rate analyses",
    "followup_participants": "Participants in the two relief-rate analyses",
}
"""The Inclusion chapter's section that shows each group of descriptive numbers."""


def _descriptive_claims() -> list[Claim]:
    """The Results' descriptive numbers, judged by `analysis.descriptives`."""
    claims = []
    for result in reproduce_descriptives().claims:
        computation = result.computation
        if result.status == REPRODUCED:
            note = computation.description
        elif result.status == ASSUMED:
            note = str(computation.assumption)
        elif result.status == INCONSISTENT:
            note = computation.description
            if result.explanation is not None:
                note += f"; the printed number needs: {result.explanation.assumption}"
        else:
            note = f"Closest: {computation.description}"
        claims.append(
            Claim(
                claim_id=result.claim_id,
                section=_section(result.source),
                claim=result.quantity,
                printed=result.printed_as_printed,
                ours=result.ours_as_printed,
                status=result.status,
                note=note[:1].upper() + note[1:],
                link=section_link("02-inclusion", DESCRIPTIVE_SECTIONS[computation.group]),
                cells=(cell("published_descriptives", result.claim_id, "value"),),
            )
        )
    return claims


def _flow_claims() -> list[Claim]:
    """Fig. 1: each box's count against what the other boxes imply, and each box's reasons."""
    flow = load_flow()
    report = check_flow(flow)
    counts = dict(zip(flow["box_id"], flow["count"].astype(int), strict=True))
    link = section_link("01-search", "The flow of studies (Fig. 1)")

    def parts(check) -> tuple[list[str], list[str]]:
        children = flow[flow["parent"] == check.box]
        added = list(children.loc[children["role"] == "input", "box_id"])
        return added, list(children.loc[children["role"] == "exclusion", "box_id"])

    def implied(box: str, check) -> int:
        """The count of ``box`` that the check's other boxes imply."""
        added, removed = parts(check)
        plus = sum(counts[b] for b in added if b != box)
        minus = sum(counts[b] for b in removed if b != box)
        if box == check.box:
            return plus - minus
        if box in added:
            return counts[check.box] - plus + minus
        return plus - minus - counts[check.box]

    def described(check) -> str:
        return check.arithmetic + (", as printed" if check.holds else f", not {check.actual}")

    flows = [c for c in report.checks if c.rule == "inputs minus exclusions"]
    claims = []
    for row in flow[flow["role"] != "reason"].itertuples(index=False):
        box = row.box_id
        involved = [c for c in flows if c.box == box or box in [*parts(c)[0], *parts(c)[1]]]
        failing = [c for c in involved if not c.holds]
        chosen = (failing or involved)[0]
        printed = cell("prisma_flow", box, "count")
        claims.append(
            Claim(
                claim_id=f"fig1_{box}",
                section=_section(str(row.source)),
                claim=str(row.text_as_printed).removeprefix(f"{counts[box]} ").capitalize(),
                printed=printed.shown,
                ours=as_printed(implied(box, chosen), printed.decimals),
                status=INCONSISTENT if failing else REPRODUCED,
                note="; ".join(described(c) for c in involved),
                link=link,
                cells=(printed,),
            )
        )
        for check in report.for_box(box):
            if check.rule == "reasons add up":
                claims.append(_reasons_claim(flow, check, link))
    return claims


def _reasons_claim(flow: pd.DataFrame, check, link: Link) -> Claim:
    """The reasons listed in an exclusion box of Fig. 1 against the box's count."""
    reasons = flow[(flow["parent"] == check.box) & (flow["role"] == "reason")]
    cells = tuple(cell("prisma_flow", box, "count") for box in reasons["box_id"])
    total = cell("prisma_flow", check.box, "count")
    names = [
        str(text).removeprefix(f"{int(count)} ")
        for text, count in zip(reasons["text_as_printed"], reasons["count"], strict=True)
    ]
    terms = " + ".join(c.shown for c in cells)
    ours = as_printed(check.expected, total.decimals)
    return Claim(
        claim_id=f"fig1_{check.box}_reasons",
        section="Fig. 1",
        claim=f"Studies excluded, by reason ({', '.join(names)})",
        printed=f"{total.shown} = {terms}",
        ours=f"{ours} = {terms}",
        status=REPRODUCED if check.holds else INCONSISTENT,
        note="The reasons add up to the box"
        if check.holds
        else f"The reasons add up to {ours}, the box says {total.shown}: a misprint, or an "
        "article counted under two reasons",
        link=link,
        cells=(total, *cells),
    )


def _methods_claims() -> list[Claim]:
    """The Methods: search window, agreement, pain scales and the two thresholds."""
    facts = load_table("search_facts").set_index("fact_id")
    studies = load_studies()
    labels = _labels()
    first, last = int(studies["year"].min()), int(studies["year"].max())
    claims = []
    for fact_id in ("search_from", "search_to"):
        date = cell("search_facts", fact_id, "value_date")
        claims.append(
            Claim(
                claim_id=fact_id,
                section=_section(str(facts.at[fact_id, "source"])),
                claim=str(facts.at[fact_id, "description"]),
                printed=date.shown,
                ours=None,
                status=NOT_REPRODUCIBLE,
                note="Only the PubMed query is given, so the search cannot be rerun; the "
                f"included studies ({first}–{last}) lie inside the window",
                link=section_link("01-search", "What was searched"),
                cells=(date,),
            )
        )
    kappa = cell("search_facts", "extraction_agreement", "value_number")
    claims.append(
        Claim(
            claim_id="extraction_agreement",
            section=_section(str(facts.at["extraction_agreement", "source"])),
            claim=str(facts.at["extraction_agreement", "description"]),
            printed=f"{kappa.shown}%",
            ours=None,
            status=NOT_REPRODUCIBLE,
            note="The paper gives neither the decisions compared nor their cross-tabulation; "
            "kappa is a chance-corrected coefficient, not a percentage",
            link=section_link("01-search", "How the studies were chosen"),
            cells=(kappa,),
        )
    )
    row = _claim_row("methods_pain_scale_exceptions")
    printed = cell("published_claims", "methods_pain_scale_exceptions", "value")
    pain = pain_inputs("all")
    wide = pain[pain["scale_max"] == max(PAIN_SCALES)]
    cited = str(labels[row["study_id"]])
    ours = f"{as_printed(len(wide), printed.decimals)} ({', '.join(wide['label'])})"
    shown = f"{printed.shown} ({cited})"
    has_scores = row["study_id"] in set(pain["study_id"])
    claims.append(
        _from_file(
            "methods_pain_scale_exceptions",
            printed=shown,
            ours=ours,
            status=REPRODUCED if shown == ours else INCONSISTENT,
            note=f"{cited} {'has' if has_scores else 'has no'} pain scores in Table 1; "
            f"{' and '.join(wide['label'])} report means that fit only a "
            f"{PAIN_SCALES[max(PAIN_SCALES)]} scale",
            link=section_link("02-inclusion", "Who could be included"),
            cells=(printed,),
        )
    )
    threshold = cell("published_claims", "methods_relief_threshold", "value")
    claims.append(
        _from_file(
            "methods_relief_threshold",
            printed=f"≥ {threshold.shown}%",
            ours=None,
            status=NOT_REPRODUCIBLE,
            note="Table 1 gives each study's share of responders, not the definition each "
            "study used; only the primary studies can confirm it",
            link=section_link(AUDIT_DOC, OWN_SECTION),
            cells=(threshold,),
        )
    )
    claims.append(_heterogeneity_threshold())
    return claims


def _heterogeneity_threshold() -> Claim:
    threshold = cell("published_claims", "methods_heterogeneity_threshold", "value")
    values = {
        f"Fig. {point.figure}": pool_rates(rate_inputs(key)).i2
        for key, point in TIMEPOINTS.items()
    }
    attempts = fig2_attempts()
    closest_i2 = min(
        (a.result.i2 for a in attempts),
        key=lambda v: abs(v - float(published_pooled("pain_smd")["i2_pct"])),
    )
    values["Fig. 2"] = closest_i2
    above = all(v > threshold.value for v in values.values())
    return _from_file(
        "methods_heterogeneity_threshold",
        printed=f"> {threshold.shown}%",
        ours=", ".join(f"{name}: {v:.1f}%" for name, v in values.items()),
        status=ASSUMED if above else INCONSISTENT,
        note="Read as a threshold for I² (the paper attaches it to Cochran's Q, which is not a "
        "percentage); every analysis is above it, so random effects follow the rule",
        link=section_link("04-heterogeneity", "Heterogeneity in the paper's three analyses"),
        cells=(threshold,),
    )


def _adverse_claims() -> list[Claim]:
    """The Discussion's hepatotoxicity rate, its per-study counts and their course."""
    studies = load_studies().set_index("study_id")
    readings = denominator_readings()
    check = compare_with_paper(readings).set_index("quantity")
    printed_rate = load_table("published_rates").set_index("analysis_id")
    rate_cells = tuple(
        cell("published_rates", "hepatotoxicity", c) for c in ("rate_pct", "events", "patients")
    )
    printed = f"{rate_cells[0].shown}% ({rate_cells[1].shown} of {rate_cells[2].shown})"
    ours = (
        f"{check.at['rate_pct', 'ours_as_printed']}% ({check.at['events', 'ours_as_printed']} "
        f"of {check.at['patients', 'ours_as_printed']})"
    )
    liver = readings.set_index("reading").loc["liver_enzymes"]
    paper = readings.set_index("reading").loc["paper"]
    claims = [
        Claim(
            claim_id="hepatotoxicity_rate",
            section=_section(str(printed_rate.at["hepatotoxicity", "source"])),
            claim="Patients with raised liver enzymes among all patients (hepatotoxicity rate)",
            printed=printed,
            ours=ours,
            status=_same(printed, ours),
            note=f"{int(paper['events'])} of {int(paper['patients'])} = "
            f"{100 * paper['rate']:.2f}%, counting every patient of Table 1 (enrolled where it "
            f"gives two numbers); only {int(liver['studies'])} studies report on liver enzymes",
            link=section_link("06-hepatotoxicity", "The rate and its uncertainty"),
            cells=rate_cells,
        )
    ]
    events = load_table("adverse_events")
    for row in events.itertuples(index=False):
        key = (row.study_id, row.event)
        affected = cell("adverse_events", key, "patients_with_event")
        treated = cell("adverse_events", key, "patients")
        study = studies.loc[row.study_id]
        n = int(study["n_enrolled"]) if not pd.isna(study["n_enrolled"]) else None
        n = n if n is not None else int(study["n_analysed"])
        shown = f"{affected.shown} of {treated.shown}"
        same_n = as_printed(n, treated.decimals) == treated.shown
        claims.append(
            Claim(
                claim_id=f"liver_{row.study_id}",
                section=_section(str(row.source)),
                claim=f"{study['label']}: patients with raised liver enzymes",
                printed=shown,
                ours=f"? of {as_printed(n, treated.decimals)}",
                status=NOT_REPRODUCIBLE if same_n else INCONSISTENT,
                note=f"Table 1 lists raised liver enzymes for {study['label']} and N = {n}, but "
                "not how many patients had them",
                link=section_link("06-hepatotoxicity", "Study by study"),
                cells=(affected, treated),
            )
        )
    count = cell("published_claims", "discussion_liver_studies", "value")
    ours_count = as_printed(int(liver["studies"]), count.decimals)
    claims.append(
        _from_file(
            "discussion_liver_studies",
            printed=count.shown,
            ours=ours_count,
            status=_same(count.shown, ours_count),
            note="Table 1's side effects mention liver enzymes for "
            + " and ".join(str(liver["study_labels"]).split(", ")),
            link=section_link("06-hepatotoxicity", "Which patients belong in the denominator?"),
            cells=(count,),
        )
    )
    for claim_id in ("discussion_correll_liver_recovery", "discussion_goebel_liver_course"):
        row = _claim_row(claim_id)
        value = cell("published_claims", claim_id, "value")
        claims.append(
            _from_file(
                claim_id,
                printed=f"{value.shown} {row['unit']}",
                ours=None,
                status=NOT_REPRODUCIBLE,
                note="Table 1 gives no time course of side effects; only the primary study can "
                "confirm it",
                link=section_link("06-hepatotoxicity", "The data used"),
                cells=(value,),
            )
        )
    return claims


def _discussion_claims() -> list[Claim]:
    """The Discussion's design count and its two 6-month follow-ups."""
    studies = load_studies().set_index("study_id")
    designs = load_table("study_designs").set_index("study_id")
    own = section_link(AUDIT_DOC, OWN_SECTION)
    rct = cell("published_claims", "discussion_rct", "value")
    stated = "; ".join(
        f"{studies.at[s, 'label']}: {d}" for s, d in designs["design_as_stated"].items()
    )
    claims = [
        _from_file(
            "discussion_rct",
            printed=rct.shown,
            ours=None,
            status=NOT_REPRODUCIBLE,
            note=f"Table 1 has no column for design; the paper states only {len(designs)} "
            f"({stated})",
            link=section_link("02-inclusion", "Who could be included"),
            cells=(rct,),
        )
    ]
    _claim_row("discussion_followup_6m_studies")
    count = cell("published_claims", "discussion_followup_6m_studies", "value")
    claims.append(
        _from_file(
            "discussion_followup_6m_studies",
            printed=count.shown,
            ours=None,
            status=NOT_REPRODUCIBLE,
            note="Table 1 has no column for a follow-up at 6 months",
            link=own,
            cells=(count,),
        )
    )
    for patients_id, outcome_id in (
        ("discussion_correll_6m_patients", "discussion_correll_6m_pain_free"),
        ("discussion_kiefer_6m_patients", "discussion_kiefer_6m_remission"),
    ):
        claims.extend(_six_months(studies, patients_id, outcome_id, own))
    return claims


def _six_months(studies: pd.DataFrame, patients_id: str, outcome_id: str, own: Link) -> list:
    patients_row = _claim_row(patients_id)
    study = studies.loc[patients_row["study_id"]]
    n = cell("published_claims", patients_id, "value")
    ours_n = as_printed(int(study["n_analysed"]), n.decimals)
    outcome_row = _claim_row(outcome_id)
    outcome = cell("published_claims", outcome_id, "value")
    if outcome_row["unit"] == "percent":
        printed, ours = f"{outcome.shown}%", None
    else:
        printed, ours = f"{outcome.shown} of {n.shown}", f"? of {ours_n}"
    rates = f"{study['relief_immediate_pct']:g}% right after treatment"
    if not pd.isna(study["relief_followup_pct"]):
        rates += f" and {study['relief_followup_pct']:g}% at 1–3 months"
    return [
        _from_file(
            patients_id,
            printed=n.shown,
            ours=ours_n,
            status=_same(n.shown, ours_n),
            note=f"N of {study['label']} in Table 1",
            link=own,
            cells=(n,),
        ),
        _from_file(
            outcome_id,
            printed=printed,
            ours=ours,
            status=NOT_REPRODUCIBLE,
            note=f"Table 1 gives {study['label']}'s share with relief ({rates}), nothing at "
            "6 months",
            link=own,
            cells=(outcome,) if ours is None else (outcome, n),
        ),
    ]


# In the order of the paper's text within each section (the sort keeps it).
_BUILDERS = (
    _methods_claims,
    _descriptive_claims,
    _pain_claims,
    _bias_claims,
    _relief_claims,
    _flow_claims,
    _discussion_claims,
    _adverse_claims,
)


def audit_claims() -> tuple[Claim, ...]:
    """Every quantitative claim of the paper, in the order of the paper's sections.

    Returns
    -------
    tuple of Claim
        Sorted by `sections` (Abstract first, Discussion last); within a section, by topic.

    Raises
    ------
    DataFileError
        When a printed value the audit needs is missing from ``data/``.

    References
    ----------
    Zhao J, Wang Y, Wang D. The effect of ketamine infusion in the treatment of complex
    regional pain syndrome: a systemic review and meta-analysis. Curr Pain Headache Rep
    2018;22(2):12. doi:10.1007/s11916-018-0664-x

    Examples
    --------
    >>> claims = {c.claim_id: c for c in audit_claims()}
    >>> c = claims["fig4a_pooled"]
    >>> c.printed, c.ours, c.status
    ('0.69 (0.53, 0.84)', '0.69 (0.53, 0.84)', 'reproduced')
    """
    claims = [claim for build in _BUILDERS for claim in build()]
    ids = [c.claim_id for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InputError(f"audit_claims: claim ids appear twice: {', '.join(repeated)}")
    order = sections()
    return tuple(sorted(claims, key=lambda c: order.index(c.section)))


def audit(claims: tuple[Claim, ...] | None = None) -> pd.DataFrame:
    """The claims as a table, one row each.

    Returns
    -------
    pandas.DataFrame
        The fields of `Claim` except ``link`` and ``cells``, and ``doc``, ``anchor``, ``href``,
        ``link_title`` and ``chapter`` (the chapter section that shows the check), and ``data``
        (where the printed value is stored: ``resource/row:column``, comma-separated).
    """
    claims = audit_claims() if claims is None else claims
    names = [f.name for f in fields(Claim) if f.name not in ("link", "cells")]
    rows = []
    for claim in claims:
        row = {name: getattr(claim, name) for name in names}
        row.update(
            doc=claim.link.doc,
            anchor=claim.link.anchor,
            href=claim.link.href,
            link_title=claim.link.title,
            chapter=claim.link.chapter,
            data=", ".join(f"{c.resource}/{c.row}:{c.column}" for c in claim.cells),
        )
        rows.append(row)
    return pd.DataFrame(rows)


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims have each status, in the order of `STATUSES` (zeros included).

    Returns
    -------
    pandas.DataFrame
        ``status``, ``claims`` (count) and ``share`` (of all claims).

    Examples
    --------
    >>> table = pd.DataFrame({"status": [REPRODUCED, REPRODUCED, INCONSISTENT]})
    >>> status_counts(table)["claims"].tolist()
    [2, 0, 1, 0]
    """
    counts = table["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return pd.DataFrame(
        {
            "status": list(STATUSES),
            "claims": counts.astype(int).to_numpy(),
            "share": (counts / counts.sum()).to_numpy(),
        }
    )


def background() -> pd.DataFrame:
    """Figures the paper cites from other studies: listed apart, not audited.

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``section``, ``quantity``, ``printed`` (value and unit) and ``source``,
        in file order.

    Examples
    --------
    >>> background().set_index("claim_id").at["crps_chronic_disabled", "printed"]
    '80%'
    """
    claims = load_table("published_claims")
    rows = claims[claims["scope"] == "background"]
    out = []
    for row in rows.itertuples(index=False):
        value = cell("published_claims", row.claim_id, "value")
        unit = "%" if row.unit == "percent" else f" {row.unit}"
        relation = "" if row.relation == "=" else f"{row.relation} "
        out.append(
            {
                "claim_id": row.claim_id,
                "section": row.section,
                "quantity": row.quantity,
                "printed": f"{relation}{value.shown}{unit}",
                "source": row.source,
            }
        )
    return pd.DataFrame(out)
