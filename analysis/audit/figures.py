"""Claims of the paper's figures: Fig. 2 (pain scores), Fig. 3 (funnel) and Fig. 4a/4b (relief)."""

import numpy as np
import pandas as pd

from analysis.audit.claim import (
    Claim,
    DataCell,
    among_readings,
    cell,
    claim_row,
    from_file,
    judged,
    paper_section,
    status_if_same,
    with_ci,
)
from analysis.audit.links import section_link
from analysis.charts.formatting import as_printed, estimate_with_ci, percent_with_ci
from analysis.metaanalysis.bias import begg, egger
from analysis.paper import (
    ASSUMED,
    INCONSISTENT,
    NOT_REPRODUCIBLE,
    REPRODUCED,
    PrintedNumber,
)
from analysis.paper.analyses import pain_analysis
from analysis.paper.data import load_studies, load_table
from analysis.paper.pain_scores import (
    SMD_LABELS,
    STUDY_SETS,
    fig2_attempts,
    fig2_judgement,
    pain_inputs,
    paired_effects,
    two_group_smd,
)
from analysis.paper.published import published_forest, published_pooled
from analysis.paper.relief_rates import (
    ALTERNATIVE_INPUTS,
    TIMEPOINTS,
    compare_studies,
    pool_rates,
    rate_inputs,
    with_weights,
)
from analysis.paper.robustness import PAIRED_R


def relief_claims() -> list[Claim]:
    """Fig. 4a and 4b: each study's row, the overall row, and the text's repeats of it."""
    claims = []
    corrections = load_table("corrections")
    for key, point in TIMEPOINTS.items():
        alternatives = _alternatives(key)
        inputs = rate_inputs(key)
        result = pool_rates(inputs)
        table = with_weights(inputs, result)
        checks = compare_studies(key, table)
        listed = published_forest(point.figure).set_index("study_id")
        ours_by_study = table.set_index("study_id")
        figure = f"Fig. {point.figure}"
        link = section_link("03-pooling", "Every printed number beside ours")
        for study_id in checks["study_id"].drop_duplicates():
            if study_id not in listed.index:
                continue  # a study the figure does not list prints no number
            claims.append(
                _study_row(
                    point,
                    figure,
                    study_id,
                    listed.loc[study_id],
                    ours_by_study,
                    link,
                    corrections,
                    alternatives,
                )
            )
        claims.extend(_pooled_rows(point, figure, alternatives, link))
        claims.extend(_relief_repeats(key, point, alternatives))
    return claims


def _alternatives(key: str) -> list[tuple[str, pd.DataFrame, object]]:
    """Each choice of inputs the paper leaves open (`ALTERNATIVE_INPUTS`, Fig. 4's first):
    its description, its study table (`with_weights`) and its pooled result."""
    out = []
    for choice in ALTERNATIVE_INPUTS.values():
        inputs = rate_inputs(key, choice)
        result = pool_rates(inputs)
        out.append((choice.describe(), with_weights(inputs, result), result))
    return out


def _row_text(table: pd.DataFrame, study_id: str) -> str:
    """A study's row of Fig. 4 as the figure prints it, from one choice of inputs."""
    if study_id not in set(table["study_id"]):
        return "not pooled"
    row = table.set_index("study_id").loc[study_id]
    weight = f"{as_printed(float(row['weight_pct']), 2)}%"
    if bool(row["excluded"]):
        return f"(Excluded); {weight}"
    return f"{estimate_with_ci(row['yi'], row['ci_low'], row['ci_high'])}; {weight}"


def _axis_text(table: pd.DataFrame, decimals: int) -> str:
    """The axis of a Stata forest plot: symmetric about 0 at the largest |confidence limit|."""
    shown = table[~table["excluded"].astype(bool)]
    limit = float(np.abs(shown[["ci_low", "ci_high"]].to_numpy()).max())
    return f"±{as_printed(limit, decimals)}"


def _fig4_axis(point, alternatives, link) -> Claim:
    claim_id = f"fig{point.figure}_axis"
    limit = cell("published_claims", claim_id, "value")
    printed = f"±{limit.shown}"
    judgement = among_readings(
        printed, [(d, _axis_text(table, limit.decimals)) for d, table, _ in alternatives]
    )
    note = (
        "Stata's metan draws the axis from minus to plus the largest confidence limit of the "
        "studies it pools"
    )
    if judgement["assumption"]:
        note += f"; {judgement['assumption']}"
    return from_file(
        claim_id,
        printed=printed,
        **judgement,
        note=note,
        link=link,
        cells=(limit,),
    )


def _study_not_in_data(point, figure, study_id, listed, weight, link) -> Claim:
    """A row the figure prints for a study that ``studies.csv`` no longer holds."""
    if bool(listed["excluded"]):
        cells, printed = (weight,), f"(Excluded); {weight.shown}%"
    else:
        limits = tuple(
            cell("published_forest", (point.figure, study_id), column)
            for column in ("estimate", "ci_low", "ci_high")
        )
        cells, printed = (*limits, weight), f"{with_ci(limits)}; {weight.shown}%"
    return Claim(
        claim_id=f"fig{point.figure}_{study_id}",
        section=figure,
        claim=f"{listed['label_as_printed']}: share with relief (95% CI); weight",
        printed=printed,
        ours="not in the data",
        status=NOT_REPRODUCIBLE,
        note=f"{study_id!r} is not a study of data/studies.csv, so this printed row has "
        "nothing to be compared with",
        link=link,
        study_level=True,
        cells=cells,
    )


def _study_row(
    point, figure, study_id, listed, ours_by_study, link, corrections, alternatives
) -> Claim:
    key = (point.figure, study_id)
    weight = cell("published_forest", key, "weight_pct")
    if study_id not in ours_by_study.index:
        return _study_not_in_data(point, figure, study_id, listed, weight, link)
    label = str(ours_by_study.at[study_id, "label"])
    if bool(listed["excluded"]):
        printed = f"(Excluded); {weight.shown}%"
        n = int(ours_by_study.at[study_id, "n"])
        percent = float(ours_by_study.at[study_id, "percent_as_printed"])
        why = (
            "a proportion of 0 has variance 0, which this model cannot weight"
            if percent == 0
            else "a proportion above 0 has a variance this model can weight"
        )
        judgement = among_readings(
            printed, [(d, _row_text(table, study_id)) for d, table, _ in alternatives]
        )
        return Claim(
            claim_id=f"fig{point.figure}_{study_id}",
            section=figure,
            claim=f"{label}: left out of the pooled share; weight",
            printed=printed,
            **judgement,
            note=f"{percent:g}% of {n} patients responded in Table 1: {why}"
            + (f"; {judgement['assumption']}" if judgement["assumption"] else ""),
            link=link,
            study_level=True,
            cells=(weight,),
        )
    cells = tuple(cell("published_forest", key, c) for c in ("estimate", "ci_low", "ci_high"))
    printed = f"{with_ci(cells)}; {weight.shown}%"
    n = int(ours_by_study.at[study_id, "n"])
    percent = float(ours_by_study.at[study_id, "percent_as_printed"])
    note = f"Table 1: {percent:g}% of {n} patients, rounded to two decimals; Wald interval"
    fixes = corrections[
        (corrections["study_id"] == study_id) & (corrections["column"] == point.column)
    ]
    judgement = among_readings(
        printed, [(d, _row_text(table, study_id)) for d, table, _ in alternatives]
    )
    if len(fixes) and judgement["status"] == ASSUMED:
        fix = fixes.iloc[0]
        before = judgement["assumption"]
        judgement["assumption"] = (
            f"{before}; Table 1 prints {fix['value_as_printed']:g} in a column of percentages, "
            f"read as {fix['value_used']:g}% (data/corrections.csv)"
        )
        judgement["readings"] = tuple(
            (d, o, judgement["assumption"] if a == before else a)
            for d, o, a in judgement["readings"]
        )
    if judgement["status"] == ASSUMED:
        note = str(judgement["assumption"])
    return Claim(
        claim_id=f"fig{point.figure}_{study_id}",
        section=figure,
        claim=f"{label}: share with relief (95% CI); weight",
        printed=printed,
        **judgement,
        note=note[:1].upper() + note[1:],
        link=link,
        study_level=True,
        cells=(*cells, weight),
    )


def _pooled_rows(point, figure, alternatives, link) -> list[Claim]:
    cells = tuple(
        cell("published_pooled", point.analysis_id, c) for c in ("estimate", "ci_low", "ci_high")
    )
    result = alternatives[0][2]
    i2 = cell("published_pooled", point.analysis_id, "i2_pct")
    p = cell("published_pooled", point.analysis_id, "p_heterogeneity")
    basis = f"DerSimonian–Laird pooling of the {result.k} study rows"

    def judge_all(printed: str, text) -> dict:
        judgement = among_readings(printed, [(d, text(r)) for d, _, r in alternatives])
        note = judgement["assumption"] or basis
        return {**judgement, "note": note[:1].upper() + note[1:]}

    return [
        Claim(
            claim_id=f"fig{point.figure}_pooled",
            section=figure,
            claim=f"Pooled share with relief {point.description} (95% CI)",
            printed=with_ci(cells),
            **judge_all(
                with_ci(cells), lambda r: estimate_with_ci(r.estimate, r.ci_low, r.ci_high)
            ),
            link=link,
            cells=cells,
        ),
        Claim(
            claim_id=f"fig{point.figure}_i2",
            section=figure,
            claim=f"I² of the pooled share {point.description}",
            printed=f"{i2.shown}%",
            **judge_all(f"{i2.shown}%", lambda r: f"{as_printed(r.i2, i2.decimals)}%"),
            link=link,
            cells=(i2,),
        ),
        Claim(
            claim_id=f"fig{point.figure}_p_heterogeneity",
            section=figure,
            claim=f"p-value of Cochran's Q test of heterogeneity, {point.description}",
            printed=f"p = {p.shown}",
            **judge_all(f"p = {p.shown}", lambda r: f"p = {as_printed(r.p_q, p.decimals)}"),
            link=link,
            cells=(p,),
        ),
        _fig4_axis(point, alternatives, link),
    ]


def _relief_repeats(key: str, point, alternatives) -> list[Claim]:
    """The pooled rates as the Abstract, Results and Discussion repeat them, in percent."""
    claims = load_table("published_claims")
    rows = claims[(claims["scope"] == "claim") & (claims["analysis_id"] == point.analysis_id)]
    figure = published_pooled(point.analysis_id)
    result = alternatives[0][2]
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

            def text(r, decimals=decimals) -> str:
                return percent_with_ci(r.estimate, r.ci_low, r.ci_high, decimals)

            in_figure = percent_with_ci(
                figure["estimate"], figure["ci_low"], figure["ci_high"], decimals
            )
        else:
            printed = f"{cells[0].shown}%"

            def text(r, decimals=decimals) -> str:
                return f"{as_printed(100 * r.estimate, decimals)}%"

            in_figure = f"{as_printed(100 * figure['estimate'], decimals)}%"
        if not PrintedNumber(row.claim_id, printed).shows(in_figure):
            judgement = {
                **judged(INCONSISTENT, conflict=f"Fig. {point.figure} prints {in_figure}"),
                "ours": text(result),
            }
            note = f"Fig. {point.figure} prints {in_figure}"
        else:
            judgement = among_readings(printed, [(d, text(r)) for d, _, r in alternatives])
            note = f"Fig. {point.figure}'s overall row, in percent"
            if judgement["assumption"]:
                note += f"; {judgement['assumption']}"
        out.append(
            Claim(
                claim_id=row.claim_id,
                section=row.section,
                claim=row.quantity,
                printed=printed,
                **judgement,
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
    why = (
        f"the study [9] is {names}, which the model leaves out because its variance is 0, "
        "whatever its quality (the paper gives no quality scores, and its reference list is "
        "lost, so [9] cannot be matched by number)"
    )
    same = status_if_same(printed.shown, ours)
    return from_file(
        "results_excluded_immediate",
        printed=printed.shown,
        ours=ours,
        **judged(ASSUMED if same == REPRODUCED else NOT_REPRODUCIBLE, assumption=why),
        readings=(("studies the model leaves out of Fig. 4a", ours, why),),
        note=why[:1].upper() + why[1:],
        link=section_link("03-pooling", "The study that was left out"),
        cells=(printed,),
    )


def _fig2_cohen(attempts):
    """The paper's analysis in its closest reproduction: Fig. 2's studies, Cohen's d."""
    return next(a for a in attempts if a.study_set == "fig2" and a.smd == "cohen")


def _described(attempt) -> str:
    return f"{STUDY_SETS[attempt.study_set]}, {SMD_LABELS[attempt.smd]}"


def _effects(attempts) -> list[tuple[str, object]]:
    """Each reading of Fig. 2 (studies × SMD formula): its description and its effect sizes."""
    return [(_described(a), two_group_smd(pain_inputs(a.study_set), a.smd)) for a in attempts]


def _p_effect(claim_id: str, section: str, bound: DataCell, attempts, link) -> Claim:
    """The pooled fall's p-value bound, judged over every reading of Fig. 2."""
    printed = f"p < {bound.shown}"
    judgement = among_readings(
        printed, [(_described(a), f"p = {a.result.p_value:.1e}") for a in attempts]
    )
    fig2 = _fig2_cohen(attempts).result
    note = (
        f"Holds only if {judgement['assumption'].removeprefix('the paper used ')}; the "
        f"{fig2.k} studies Fig. 2 lists give p = {fig2.p_value:.1e}"
        if judgement["assumption"]
        else f"Every reading of Fig. 2 ({len(attempts)}: studies × SMD formula) gives it"
    )
    return Claim(
        claim_id=claim_id,
        section=section,
        claim="p-value of the pooled fall in pain score from baseline",
        printed=printed,
        **judgement,
        note=note,
        link=link,
        cells=(bound,),
    )


def _fig2_readings(judgement, number_id: str, form: str) -> tuple:
    """Every reading of a judged number of Fig. 2, written as the claim writes ours."""
    number = judgement.printed_number(number_id)
    return tuple(
        (
            r.description,
            form.format(number.format(r.value(number_id))),
            None if r.assumption is None else f"the paper used {r.description}",
        )
        for r in judgement.readings
    )


def pain_claims() -> list[Claim]:
    """Fig. 2: its I², the p-values, and the number of studies the text says it pooled."""
    link = section_link("03-pooling", "Fig. 2 beside ours")
    attempts = fig2_attempts()
    i2 = cell("published_pooled", "pain_smd", "i2_pct")
    p_het = cell("published_pooled", "pain_smd", "p_heterogeneity")
    i2_judgement = fig2_judgement("i2_pct", attempts)
    p_judgement = fig2_judgement("p_heterogeneity", attempts)
    closest = attempts[i2_judgement.readings.index(i2_judgement.closest)]
    i2_values = [a.result.i2 for a in attempts]
    readings = f"{len(attempts)} readings (studies × SMD formula)"
    describe = _described(closest)
    p_number = p_judgement.printed_number("p_heterogeneity")
    claims = [
        Claim(
            claim_id="fig2_i2",
            section="Fig. 2",
            claim="I² of the pooled change in pain score (SMD)",
            printed=f"{i2.shown}%",
            ours=f"{i2_judgement.printed_number('i2_pct').format(closest.result.i2)}%",
            **judged(i2_judgement.status, assumption=f"the paper used {describe}"),
            readings=_fig2_readings(i2_judgement, "i2_pct", "{}%"),
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
            ours=f"p = {p_number.format(closest.result.p_q)}",
            **judged(p_judgement.status, assumption=f"the paper used {describe}"),
            readings=_fig2_readings(p_judgement, "p_heterogeneity", "p = {}"),
            note=f"Each of the {readings} gives p = {p_het.shown} at this precision"
            if len(p_judgement.matching) == len(attempts)
            else f"Closest reading: {describe}",
            link=link,
            cells=(p_het,),
        ),
        _p_effect(
            "pain_p_effect",
            "Abstract",
            cell("published_pooled", "pain_smd", "p_effect_below"),
            attempts,
            link,
        ),
        _p_effect(
            "results_pain_p_effect",
            str(
                load_table("published_claims")
                .set_index("claim_id")
                .at["results_pain_p_effect", "section"]
            ),
            cell("published_claims", "results_pain_p_effect", "value"),
            attempts,
            link,
        ),
    ]
    with_scores = pain_inputs("all")
    listed = pain_analysis().k
    studies = load_studies()
    for claim_id in ("results_pain_studies", "discussion_pain_studies"):
        printed = cell("published_claims", claim_id, "value")
        ours = as_printed(len(with_scores), printed.decimals)
        facts = (
            f"Table 1 gives pain before and after for {len(with_scores)} of its "
            f"{len(studies)} studies; Fig. 2 lists {listed}"
        )
        claims.append(
            from_file(
                claim_id,
                printed=printed.shown,
                ours=ours,
                **judged(status_if_same(printed.shown, ours, determined=True), conflict=facts),
                note=facts,
                link=section_link("03-pooling", "The data used"),
                cells=(printed,),
            )
        )
    return claims


def _bias_test(claim: dict, printed: str, readings, note: str, link, cells) -> Claim:
    """A test of funnel-plot asymmetry judged over its readings (``(description, p)``);
    ``claim`` gives its ``claim_id``, ``section`` and ``claim`` (what it is)."""
    judgement = among_readings(printed, [(d, f"p = {p:.3f}") for d, p in readings])
    if judgement["assumption"]:
        note = f"Holds only if {judgement['assumption'].removeprefix('the paper used ')}; {note}"
    return Claim(**claim, printed=printed, **judgement, note=note, link=link, cells=cells)


def bias_claims() -> list[Claim]:
    """Fig. 3 and the Results on publication bias: Egger, Begg, and the funnel's axes.

    Each is judged over the same readings of Fig. 2 (which studies, which SMD formula) as the
    pooled p-value, and Begg's test also over its two variants (exact, and Stata's
    continuity-corrected normal approximation).
    """
    link = section_link("05-publication-bias", "The pain scores (Fig. 3)")
    attempts = fig2_attempts()
    effects = _effects(attempts)
    threshold = cell("published_bias", "pain_smd", "p_threshold")
    begg_claim = cell("published_claims", "fig3_begg", "value")
    points = paired_effects(pain_inputs("all"), PAIRED_R, "MC")
    points_p = egger(points.yi, points.vi).p_value
    eggers = [(d, egger(e.yi, e.vi).p_value) for d, e in effects]
    beggs = [
        (f"{d}, {variant}", begg(e.yi, e.vi, **options).p_value)
        for d, e in effects
        for variant, options in (
            ("Begg's exact test", {}),
            ("Begg's test as Stata computes it", {"method": "normal", "continuity": True}),
        )
    ]

    def spread(values) -> str:
        ps = [p for _, p in values]
        return f"p = {min(ps):.3f} to {max(ps):.3f} over the {len(ps)} readings"

    egger_row = load_table("published_bias").set_index("analysis_id").at["pain_smd", "source"]
    begg_row = claim_row("fig3_begg")
    claims = [
        _bias_test(
            {
                "claim_id": "results_egger",
                "section": paper_section(str(egger_row)),
                "claim": "p-value of Egger's test for funnel-plot asymmetry, pain scores",
            },
            f"p < {threshold.shown}",
            eggers,
            f"{spread(eggers)}; as paired change in points, p = {points_p:.2f}",
            link,
            (threshold,),
        ),
        _bias_test(
            {
                "claim_id": "fig3_begg",
                "section": str(begg_row["section"]),
                "claim": str(begg_row["quantity"]),
            },
            f"p < {begg_claim.shown}",
            beggs,
            spread(beggs),
            link,
            (begg_claim,),
        ),
    ]
    axes = load_table("published_fig3_axes").set_index("axis")
    for axis in ("x", "y"):
        low, high = (cell("published_fig3_axes", axis, c) for c in ("minimum", "maximum"))
        scale = 10.0**low.decimals
        printed = f"{low.shown} to {high.shown}"

        def extent(e, axis=axis, scale=scale, decimals=low.decimals) -> str:
            values = np.asarray(e.yi) if axis == "x" else np.sqrt(np.asarray(e.vi))
            lo, hi = np.floor(values.min() * scale) / scale, np.ceil(values.max() * scale) / scale
            return f"{as_printed(lo, decimals)} to {as_printed(hi, decimals)}"

        judgement = among_readings(printed, [(d, extent(e)) for d, e in effects])
        note = "Every reading's studies lie inside the printed range"
        if judgement["assumption"]:
            note = (
                f"Holds only if {judgement['assumption'].removeprefix('the paper used ')}: "
                "other readings put studies outside"
            )
        elif judgement["status"] != REPRODUCED:
            note = "No reading's studies all lie inside"
        claims.append(
            Claim(
                claim_id=f"fig3_axis_{axis}",
                section="Fig. 3",
                claim=f"Range of the funnel plot's axis: {axes.at[axis, 'quantity']}",
                printed=printed,
                **judgement,
                note=note[:1].upper() + note[1:],
                link=link,
                cells=(low, high),
            )
        )
    return claims
