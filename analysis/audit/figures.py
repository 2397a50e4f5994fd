"""Claims of the paper's figures: Fig. 2 (pain scores), Fig. 3 (funnel) and Fig. 4a/4b (relief)."""

import numpy as np
import pandas as pd

from analysis.audit.claim import (
    Claim,
    DataCell,
    cell,
    from_file,
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
    judge,
    reading,
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
)
from analysis.paper.published import published_forest, published_pooled
from analysis.paper.relief_rates import (
    TIMEPOINTS,
    compare_pooled,
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


def _study_row(point, figure, study_id, rows, listed, ours_by_study, link, corrections) -> Claim:
    key = (point.figure, study_id)
    weight = cell("published_forest", key, "weight_pct")
    if study_id not in ours_by_study.index:
        return _study_not_in_data(point, figure, study_id, listed, weight, link)
    label = str(ours_by_study.at[study_id, "label"])
    ours = rows.set_index("quantity")
    if bool(listed["excluded"]):
        printed = f"(Excluded); {weight.shown}%"
        mine = str(ours.at["excluded", "ours_as_printed"])
        weight_ours = as_printed(float(ours_by_study.at[study_id, "weight_pct"]), weight.decimals)
        shown = f"{mine}; {weight_ours}%"
        n = int(ours_by_study.at[study_id, "n"])
        percent = float(ours_by_study.at[study_id, "percent_as_printed"])
        why = (
            "a proportion of 0 has variance 0, which this model cannot weight"
            if percent == 0
            else "a proportion above 0 has a variance this model can weight"
        )
        return Claim(
            claim_id=f"fig{point.figure}_{study_id}",
            section=figure,
            claim=f"{label}: left out of the pooled share; weight",
            printed=printed,
            ours=shown,
            status=status_if_same(printed, shown),
            note=f"{percent:g}% of {n} patients responded in Table 1: {why}",
            link=link,
            study_level=True,
            cells=(weight,),
        )
    cells = tuple(cell("published_forest", key, c) for c in ("estimate", "ci_low", "ci_high"))
    printed = f"{with_ci(cells)}; {weight.shown}%"
    mine = f"{ours.at['estimate', 'ours_as_printed']} ({ours.at['ci_low', 'ours_as_printed']}, "
    mine += (
        f"{ours.at['ci_high', 'ours_as_printed']}); {ours.at['weight_pct', 'ours_as_printed']}%"
    )
    n = int(ours_by_study.at[study_id, "n"])
    percent = float(ours_by_study.at[study_id, "percent_as_printed"])
    note = f"Table 1: {percent:g}% of {n} patients, rounded to two decimals; Wald interval"
    fixes = corrections[
        (corrections["study_id"] == study_id) & (corrections["column"] == point.column)
    ]
    assumption = None
    if len(fixes):
        fix = fixes.iloc[0]
        assumption = (
            f"Table 1 prints {fix['value_as_printed']:g} in a column of percentages; read as "
            f"{fix['value_used']:g}% (data/corrections.csv), of {n} patients"
        )
    status = status_if_same(printed, mine, assumption=assumption)
    if status == ASSUMED:
        note = str(assumption)
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
    printed = with_ci(cells)
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
            status=status_if_same(printed, ours),
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
            status=status_if_same(f"{i2.shown}%", f"{pooled.at['i2_pct', 'ours_as_printed']}%"),
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
            status=status_if_same(p.shown, str(pooled.at["p_heterogeneity", "ours_as_printed"])),
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
        if not PrintedNumber(row.claim_id, printed).shows(in_figure):
            status, note = INCONSISTENT, f"Fig. {point.figure} prints {in_figure}"
        else:
            status, note = (
                status_if_same(printed, ours),
                f"Fig. {point.figure}'s overall row, in percent",
            )
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
    return from_file(
        "results_excluded_immediate",
        printed=printed.shown,
        ours=ours,
        status=status_if_same(printed.shown, ours),
        note=f"The model leaves out {names}: its variance is 0, so it is left out whatever its "
        "quality; the reference list is lost, so [9] cannot be matched by number",
        link=section_link("03-pooling", "The study that was left out"),
        cells=(printed,),
    )


def _fig2_cohen(attempts):
    """The paper's analysis in its closest reproduction: Fig. 2's studies, Cohen's d."""
    return next(a for a in attempts if a.study_set == "fig2" and a.smd == "cohen")


def pain_claims() -> list[Claim]:
    """Fig. 2: its I², the p-values, and the number of studies the text says it pooled."""
    link = section_link("03-pooling", "Fig. 2 beside ours")
    attempts = fig2_attempts()
    i2 = cell("published_pooled", "pain_smd", "i2_pct")
    p_het = cell("published_pooled", "pain_smd", "p_heterogeneity")
    bound = cell("published_pooled", "pain_smd", "p_effect_below")
    i2_judgement = fig2_judgement("i2_pct", attempts)
    p_judgement = fig2_judgement("p_heterogeneity", attempts)
    closest = attempts[i2_judgement.readings.index(i2_judgement.closest)]
    i2_values = [a.result.i2 for a in attempts]
    readings = f"{len(attempts)} readings (studies × SMD formula)"
    describe = f"{STUDY_SETS[closest.study_set]}, {SMD_LABELS[closest.smd]}"
    p_number = p_judgement.printed_number("p_heterogeneity")
    below = [a for a in attempts if a.p_below_claim]
    effect = next((a for a in below if a.smd == "cohen"), below[0] if below else closest)
    pooled_sets = " or ".join(STUDY_SETS[s] for s in sorted({a.study_set for a in below}))
    claims = [
        Claim(
            claim_id="fig2_i2",
            section="Fig. 2",
            claim="I² of the pooled change in pain score (SMD)",
            printed=f"{i2.shown}%",
            ours=f"{i2_judgement.printed_number('i2_pct').format(closest.result.i2)}%",
            status=i2_judgement.status,
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
            status=p_judgement.status,
            note=f"Each of the {readings} gives p = {p_het.shown} at this precision"
            if len(p_judgement.matching) == len(attempts)
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
            status=fig2_judgement("p_effect_below", attempts).status,
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
            from_file(
                claim_id,
                printed=printed.shown,
                ours=ours,
                status=status_if_same(printed.shown, ours, determined=True),
                note=f"Table 1 gives pain before and after for {len(with_scores)} of its "
                f"{len(studies)} studies; Fig. 2 lists {listed}",
                link=section_link("03-pooling", "The data used"),
                cells=(printed,),
            )
        )
    return claims


def _bound(printed: DataCell) -> PrintedNumber:
    """A p-value the paper prints as a bound ("p < 0.05")."""
    return PrintedNumber("bound", float(printed.value), printed.decimals, below=True)


def bias_claims() -> list[Claim]:
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
            section=paper_section(
                str(load_table("published_bias").set_index("analysis_id").at["pain_smd", "source"])
            ),
            claim="p-value of Egger's test for funnel-plot asymmetry, pain scores",
            printed=f"p < {threshold.shown}",
            ours=f"p = {egger_test.p_value:.3f}",
            status=judge(
                [_bound(threshold)], [reading("Egger", {"bound": egger_test.p_value})]
            ).status,
            note=f"On {basis}; as paired change in points, p = {points_p:.2f}",
            link=link,
            cells=(threshold,),
        ),
        from_file(
            "fig3_begg",
            printed=f"p < {begg_claim.shown}",
            ours=f"p = {begg_exact.p_value:.3f}",
            status=judge(
                [_bound(begg_claim)],
                [
                    reading("Begg, exact", {"bound": begg_exact.p_value}),
                    reading("Begg, Stata", {"bound": begg_stata.p_value}),
                ],
            ).status,
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
