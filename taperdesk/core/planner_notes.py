"""The warnings and sources a plan carries (rule R12: the header is honest).

Whatever the engine could not honour exactly is said here: a wait stretched
past twice the interval because the stock cannot make a smaller cut, a cut
capped by the pace, the NICE last band chosen by the clinician, a split that
is off-licence, an equivalence range, products not verified in the catalogue."""

from __future__ import annotations

from taperdesk.core.quantity import fmt_mg

STRETCHED = "Waits longer than twice the interval"  # rules.py looks for this (R12)
NICE_BAND = "End band: NICE CKS"  # rules.py looks for this (R3 exemption)


def add_notes(p) -> None:
    g, s = p.guidance, p.settings
    p.sources.insert(0, p.table.source)
    p.sources.append(g["pace.limit_percent"].cite())
    if s.method == "stepwise":
        p.sources.append(g.bands[0].source)
        limit = g["stepwise.written_for_up_to_eq_mg"]
        if p.eq(p.segments[0].state) > limit.number:
            p.warnings.append(
                f"The stepwise schedule is written for up to {fmt_mg(limit.number)} mg diazepam a day;"
                " above that the 20-40 mg band's cut is used."
            )
    if s.method == "proportional":
        p.sources.append("Horowitz & Taylor; Maudsley Deprescribing Guidelines (Wiley, 2024)")
    if s.method == "fixed" and s.cut_mg is None and s.cut_percent is None:
        p.warnings.append("Fixed cuts of 10% of the starting dose (the default when no cut is given).")
    drug = p.catalogue.drug(p.original)
    equivalence = drug.equivalence(s.table)
    if equivalence.low_mg != equivalence.high_mg:
        p.warnings.append(
            f"{drug.name}: {equivalence.range_text()} ≈ diazepam 10 mg in the {p.table.title};"
            f" the midpoint {fmt_mg(equivalence.mid_mg)} mg is used."
        )
    if drug.short_acting and not p.crossing and p.original != "diazepam" and p.tapered == p.original:
        p.warnings.append(
            f"{drug.name} is short-acting: a gradual crossover to diazepam can be considered (Joint Guideline 2025 Rec 7)."
        )
    if s.stock_for(p.tapered).liquid and p.dispensers[p.tapered].liquid is None:
        p.warnings.append(f"There is no oral liquid of {p.tapered} in the catalogue: planned with tablets only.")
    if s.end_band == "nice":
        band = g.bands[-1]
        p.warnings.append(
            f"{NICE_BAND} chosen by the clinician: below 5 mg diazepam-equivalent a day, cuts of 0.5-1 mg one interval"
            f" apart even where that is more than {fmt_mg(p.pace.max_cut * 100)}% of the dose ({band.source}: {band.text})."
        )
    if p.stretched:
        longest = max(days for _, days in p.stretched)
        ideas = _ideas(p)
        p.warnings.append(
            f"{STRETCHED} ({p.pace.interval_days} days) before {len(p.stretched)} cut(s), up to {longest} days:"
            f" the stock cannot make a smaller cut, so the wait keeps the pace"
            + (f"; {' or '.join(ideas)} would make smaller cuts." if ideas else ".")
        )
    if p.crossing:
        top = max((sum(q for _, d, q in seg.state if d == "diazepam") for seg in p.segments), default=0) / 10000
        limit = g["stepwise.written_for_up_to_eq_mg"]
        if top > limit.number:
            p.warnings.append(
                f"The crossover reaches diazepam {fmt_mg(top)} mg a day: {limit.source} writes its schedule for"
                f" {fmt_mg(limit.number)} mg a day or less; check the equivalence and consider a slower switch."
            )
    _off_licence(p)
    _unverified(p)


def _ideas(p) -> list[str]:
    ideas = []
    if p.dispensers[p.tapered].liquid is None and p.catalogue.formulations_for(p.tapered, forms=("liquid",)):
        ideas.append("the oral liquid")
    if not p.crossing and p.tapered != "diazepam":
        ideas.append("a crossover to diazepam")
    if p.settings.stock_for(p.tapered).split != "quarter":
        ideas.append("split tablets (quarters)" if p.settings.stock_for(p.tapered).split == "half" else "splitting tablets")
    return ideas


def _off_licence(p) -> None:
    notes = {}
    for disp in p.dispensers.values():
        for f, split in disp.stocked:
            if split != "none" and getattr(f, "off_licence_note", ""):
                used = any(u.form == f.form and u.strength_mg == f.strength_mg and u.count % 1
                           for step in p._steps for dose in step.doses if dose.drug == f.drug for u in dose.units)
                if used:
                    notes[f.off_licence_note] = None
    p.warnings += list(notes)


def _unverified(p) -> None:
    used = {(dose.drug, u.form, u.mg_per_ml if u.form == "liquid" else u.strength_mg)
            for step in p._steps for dose in step.doses for u in dose.units}
    unverified = sorted(
        {
            f.describe()
            for disp in p.dispensers.values()
            for f, _ in disp.stocked
            if f.unverified and (f.drug, f.form, f.mg_per_ml if f.is_liquid else f.strength_mg) in used
        }
    )
    if unverified:
        p.warnings.append("Verify locally (UNVERIFIED in the catalogue): " + "; ".join(unverified) + ".")
