"""Claims of the paper's text: Methods, the Results' descriptive numbers, Fig. 1's flow, and the
Discussion's adverse effects and follow-ups."""

import pandas as pd

from analysis.audit.claim import (
    Claim,
    cell,
    claim_row,
    from_file,
    judged,
    paper_section,
    status_if_same,
    study_labels,
)
from analysis.audit.links import AUDIT_DOC, OWN_SECTION, Link, section_link
from analysis.charts.formatting import as_printed
from analysis.paper import ASSUMED, INCONSISTENT, NOT_REPRODUCIBLE, REPRODUCED
from analysis.paper.data import load_studies, load_table
from analysis.paper.descriptives import reproduce_descriptives
from analysis.paper.flow import check_flow, load_flow
from analysis.paper.hepatotoxicity import compare_with_paper, denominator_readings
from analysis.paper.moderators import ANAESTHETIC_RATE, hourly_rate_per_kg
from analysis.paper.pain_scores import (
    fig2_attempts,
    fig2_judgement,
    pain_inputs,
)
from analysis.paper.relief_rates import (
    TIMEPOINTS,
    pool_rates,
    rate_inputs,
)
from analysis.paper.table1 import PAIN_SCALES
from analysis.paper.whole_patients import neighbour_n, share_checks

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


def descriptive_claims() -> list[Claim]:
    """The Results' descriptive numbers, judged by `analysis.paper.descriptives`."""
    claims = []
    results = reproduce_descriptives().claims
    for result in results:
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
        partners = [
            r for r in results if r.computation.group == computation.group and r is not result
        ]
        printed = result.printed_as_printed
        if partners:  # numbers printed together are judged together: each shows the others
            printed += f" (with {', '.join(r.printed_as_printed for r in partners)})"

        def written(reading, result=result, partners=partners) -> str:
            values = dict(reading.values)
            text = as_printed(values[result.claim_id], result.decimals)
            if partners:
                text += " (with {})".format(
                    ", ".join(as_printed(values[r.claim_id], r.decimals) for r in partners)
                )
            return text

        claims.append(
            Claim(
                claim_id=result.claim_id,
                section=paper_section(result.source),
                claim=result.quantity,
                printed=printed,
                ours=written(computation),
                **judged(
                    result.status,
                    assumption=computation.assumption,
                    conflict=f"Table 1: {computation.description}",
                ),
                readings=tuple(
                    (r.description, written(r), r.assumption) for r in result.judgement.readings
                ),
                note=note[:1].upper() + note[1:],
                link=section_link("02-inclusion", DESCRIPTIVE_SECTIONS[computation.group]),
                cells=(cell("published_descriptives", result.claim_id, "value"),),
            )
        )
    return claims


def flow_claims() -> list[Claim]:
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
                section=paper_section(str(row.source)),
                claim=str(row.text_as_printed).removeprefix(f"{counts[box]} ").capitalize(),
                printed=printed.shown,
                ours=as_printed(implied(box, chosen), printed.decimals),
                **judged(
                    INCONSISTENT if failing else REPRODUCED,
                    conflict="; ".join(f"Fig. 1's other boxes: {described(c)}" for c in failing),
                ),
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
        **judged(
            REPRODUCED if check.holds else INCONSISTENT,
            conflict=f"Fig. 1's reasons for exclusion, {terms} = {ours}",
        ),
        note="The reasons add up to the box"
        if check.holds
        else f"The reasons add up to {ours}, the box says {total.shown}: a misprint, or an "
        "article counted under two reasons",
        link=link,
        cells=(total, *cells),
    )


def methods_claims() -> list[Claim]:
    """The Methods: search window, agreement, pain scales and the two thresholds."""
    facts = load_table("search_facts").set_index("fact_id")
    studies = load_studies()
    labels = study_labels()
    first, last = int(studies["year"].min()), int(studies["year"].max())
    claims = []
    for fact_id in ("search_from", "search_to"):
        date = cell("search_facts", fact_id, "value_date")
        claims.append(
            Claim(
                claim_id=fact_id,
                section=paper_section(str(facts.at[fact_id, "source"])),
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
            section=paper_section(str(facts.at["extraction_agreement", "source"])),
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
    row = claim_row("methods_pain_scale_exceptions")
    printed = cell("published_claims", "methods_pain_scale_exceptions", "value")
    pain = pain_inputs("all")
    wide = pain[pain["scale_max"] == max(PAIN_SCALES)]
    cited = str(labels[row["study_id"]])
    ours = f"{as_printed(len(wide), printed.decimals)} ({', '.join(wide['label'])})"
    shown = f"{printed.shown} ({cited})"
    has_scores = row["study_id"] in set(pain["study_id"])
    claims.append(
        from_file(
            "methods_pain_scale_exceptions",
            printed=shown,
            ours=ours,
            **judged(
                status_if_same(shown, ours, determined=True),
                conflict=f"Table 1's pain means: those of {' and '.join(wide['label'])} fit only "
                f"a {PAIN_SCALES[max(PAIN_SCALES)]} scale",
            ),
            note=f"{cited} {'has' if has_scores else 'has no'} pain scores in Table 1; "
            f"{' and '.join(wide['label'])} report means that fit only a "
            f"{PAIN_SCALES[max(PAIN_SCALES)]} scale",
            link=section_link("02-inclusion", "Who could be included"),
            cells=(printed,),
        )
    )
    threshold = cell("published_claims", "methods_relief_threshold", "value")
    claims.append(
        from_file(
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
    claims.append(_effect_measure())
    return claims


def _effect_measure() -> Claim:
    """The Methods' mean differences in points against the SMD of Fig. 2 and Fig. 3."""
    words = cell("published_claims", "methods_mean_difference", "as_printed")
    axis = str(load_table("published_fig3_axes").set_index("axis").at["x", "quantity"])
    standardized = axis == "SMD"
    ours = f"standardized mean differences ({axis})" if standardized else words.shown
    return from_file(
        "methods_mean_difference",
        printed=words.shown,
        ours=ours,
        **judged(
            INCONSISTENT if standardized else REPRODUCED,
            conflict=f"Fig. 3's axis and Fig. 2's caption print {axis}: differences divided by "
            "a standard deviation, not in points",
        ),
        note="A difference of means in points keeps the pain scale; Fig. 2 pools "
        f"{axis}s, which have no unit, so its I² and p-values are not those of the differences "
        "the Methods describe",
        link=section_link("03-pooling", "How the paper computed it"),
        cells=(words,),
    )


def _heterogeneity_threshold() -> Claim:
    threshold = cell("published_claims", "methods_heterogeneity_threshold", "value")
    values = {
        f"Fig. {point.figure}": pool_rates(rate_inputs(key)).i2
        for key, point in TIMEPOINTS.items()
    }
    attempts = fig2_attempts()
    i2 = fig2_judgement("i2_pct", attempts)
    closest_i2 = attempts[i2.readings.index(i2.closest)].result.i2
    values["Fig. 2"] = closest_i2
    above = all(v > threshold.value for v in values.values())
    below = [name for name, v in values.items() if v <= threshold.value]
    assumption = (
        "the threshold is one for I² (the paper attaches it to Cochran's Q, which is not a "
        "percentage)"
    )
    ours = ", ".join(f"{name}: {v:.1f}%" for name, v in values.items())
    return from_file(
        "methods_heterogeneity_threshold",
        printed=f"> {threshold.shown}%",
        ours=ours,
        readings=(("I² of each of the paper's analyses", ours, assumption),),
        **judged(
            ASSUMED if above else INCONSISTENT,
            assumption=assumption,
            conflict=f"{', '.join(below)}: I² at or below it, yet pooled with random effects",
        ),
        note="Read as follows: the threshold is one for I² (the paper attaches it to Cochran's Q, "
        "which is not a percentage); every analysis is above it, so random effects follow the "
        "rule",
        link=section_link("04-heterogeneity", "Heterogeneity in the paper's three analyses"),
        cells=(threshold,),
    )


def adverse_claims() -> list[Claim]:
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
            section=paper_section(str(printed_rate.at["hepatotoxicity", "source"])),
            claim="Patients with raised liver enzymes among all patients (hepatotoxicity rate)",
            printed=printed,
            ours=ours,
            status=status_if_same(printed, ours),
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
        same_n = treated.printed_number.shows(n)
        claims.append(
            Claim(
                claim_id=f"liver_{row.study_id}",
                section=paper_section(str(row.source)),
                claim=f"{study['label']}: patients with raised liver enzymes",
                printed=shown,
                ours=f"? of {as_printed(n, treated.decimals)}",
                **judged(
                    NOT_REPRODUCIBLE if same_n else INCONSISTENT,
                    conflict=f"Table 1's N of {study['label']}: {n}",
                ),
                note=f"Table 1 lists raised liver enzymes for {study['label']} and N = {n}, but "
                "not how many patients had them",
                link=section_link("06-hepatotoxicity", "Study by study"),
                cells=(affected, treated),
            )
        )
    count = cell("published_claims", "discussion_liver_studies", "value")
    ours_count = as_printed(int(liver["studies"]), count.decimals)
    claims.append(
        from_file(
            "discussion_liver_studies",
            printed=count.shown,
            ours=ours_count,
            status=status_if_same(count.shown, ours_count),
            note="Table 1's side effects mention liver enzymes for "
            + " and ".join(str(liver["study_labels"]).split(", ")),
            link=section_link("06-hepatotoxicity", "Which patients belong in the denominator?"),
            cells=(count,),
        )
    )
    for claim_id in ("discussion_correll_liver_recovery", "discussion_goebel_liver_course"):
        row = claim_row(claim_id)
        value = cell("published_claims", claim_id, "value")
        claims.append(
            from_file(
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


def discussion_claims() -> list[Claim]:
    """The Discussion's design count and its two 6-month follow-ups."""
    studies = load_studies().set_index("study_id")
    designs = load_table("study_designs").set_index("study_id")
    own = section_link(AUDIT_DOC, OWN_SECTION)
    rct = cell("published_claims", "discussion_rct", "value")
    stated = "; ".join(
        f"{studies.at[s, 'label']}: {d}" for s, d in designs["design_as_stated"].items()
    )
    claims = [
        from_file(
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
    claim_row("discussion_followup_6m_studies")
    count = cell("published_claims", "discussion_followup_6m_studies", "value")
    claims.append(
        from_file(
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
    claims.append(_kiefer_dose(studies))
    return claims


def _kiefer_dose(studies: pd.DataFrame) -> Claim:
    """The Discussion's "subanesthetic low-dose" infusion against Table 1's dose."""
    row = claim_row("discussion_kiefer_dose")
    study = studies.loc[row["study_id"]]
    words = cell("published_claims", "discussion_kiefer_dose", "as_printed")
    dose = str(study["dose_as_printed"])
    rate = hourly_rate_per_kg(dose)
    link = section_link("04-heterogeneity", "Do the regimens explain the disagreement?")
    if rate is None:
        return from_file(
            "discussion_kiefer_dose",
            printed=words.shown,
            ours=None,
            **judged(NOT_REPRODUCIBLE),
            note=f"Table 1 prints {study['label']}'s dose as {dose}, which is not a rate",
            link=link,
            cells=(words,),
        )
    anaesthetic = rate >= ANAESTHETIC_RATE
    ours = f"anaesthetic: {dose}" if anaesthetic else words.shown
    return from_file(
        "discussion_kiefer_dose",
        printed=words.shown,
        ours=ours,
        **judged(
            INCONSISTENT if anaesthetic else REPRODUCED,
            conflict=f"Table 1 prints {study['label']}'s dose as {dose}",
        ),
        note=f"Table 1: {dose}, up to {rate:g} mg/kg/h; this book counts a regimen as "
        f"anaesthetic from {ANAESTHETIC_RATE:g} mg/kg/h (sub-anaesthetic CRPS infusions run "
        "well below it)",
        link=link,
        cells=(words,),
    )


TABLE1_SECTION = "Shares of patients in Table 1"
"""The Audit chapter's section that shows the Table 1 check."""


def table1_claims() -> list[Claim]:
    """Table 1: each study's shares of patients against the whole numbers its N allows."""
    checks = share_checks()
    link = section_link(AUDIT_DOC, TABLE1_SECTION)
    claims = []
    for study_id, rows in checks.groupby("study_id", sort=False):
        cells = tuple(cell("studies", study_id, c) for c in rows["column"])
        n_cells = [cell("studies", study_id, "n_analysed")]
        if rows["n_enrolled"].notna().any():
            n_cells.append(cell("studies", study_id, "n_enrolled"))
        n_text = n_cells[0].shown + (f" ({n_cells[1].shown})" if len(n_cells) > 1 else "")

        printed = ", ".join(
            f"{c.shown}{r.unit}" for c, r in zip(cells, rows.itertuples(), strict=True)
        )
        ours = ", ".join(
            f"{c.shown if r.whole else r.nearest}{r.unit}"
            for c, r in zip(cells, rows.itertuples(), strict=True)
        )
        broken = rows[~rows["whole"]]
        label, n = str(rows["label"].iloc[0]), int(rows["n"].iloc[0])
        if broken.empty:
            counts = ", ".join(f"{r.count}" for r in rows.itertuples())
            note = f"{counts} of {n} patients"
        else:
            note = "; ".join(
                f"{c.shown}{r.unit} of {n} is {r.patients:.2f} patients"
                for c, r in zip(cells, rows.itertuples(), strict=True)
                if not r.whole
            )
            other = neighbour_n(checks, str(study_id))
            if other is not None:
                note += f"; N = {other} makes the shares with relief whole patients"
        fractions = [c.shown for c, r in zip(cells, rows.itertuples(), strict=True) if not r.unit]
        if fractions:
            note += f" ({', '.join(fractions)}: a fraction, as data/corrections.csv reads it)"
        claims.append(
            Claim(
                claim_id=f"table1_shares_{study_id}",
                section="Table 1",
                claim=f"{label}: shares of its patients ({', '.join(rows['what'])})",
                printed=f"{printed} of {n_text}",
                ours=f"{ours} of {n_text}",
                **judged(
                    REPRODUCED if broken.empty else INCONSISTENT,
                    conflict=f"Table 1's N of {label}: {n_text}",
                ),
                note=note,
                link=link,
                cells=(*cells, *n_cells),
            )
        )
    return claims


def _six_months(studies: pd.DataFrame, patients_id: str, outcome_id: str, own: Link) -> list:
    patients_row = claim_row(patients_id)
    study = studies.loc[patients_row["study_id"]]
    n = cell("published_claims", patients_id, "value")
    ours_n = as_printed(int(study["n_analysed"]), n.decimals)
    outcome_row = claim_row(outcome_id)
    outcome = cell("published_claims", outcome_id, "value")
    if outcome_row["unit"] == "percent":
        printed, ours = f"{outcome.shown}%", None
    else:
        printed, ours = f"{outcome.shown} of {n.shown}", f"? of {ours_n}"
    rates = f"{study['relief_immediate_pct']:g}% right after treatment"
    if not pd.isna(study["relief_followup_pct"]):
        rates += f" and {study['relief_followup_pct']:g}% at 1–3 months"
    return [
        from_file(
            patients_id,
            printed=n.shown,
            ours=ours_n,
            status=status_if_same(n.shown, ours_n),
            note=f"N of {study['label']} in Table 1",
            link=own,
            cells=(n,),
        ),
        from_file(
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
