"""Rule R11: each drug's maximum daily dose, from the catalogue with its source.

A regimen above the maximum is refused unless the clinician confirms it
(`--confirm-high-dose`, a wizard checkbox); the confirmation is written into
the plan's warnings. A dose far beyond any label (more than five times the
maximum) is refused outright: it is a typing slip, not a regimen to plan
(and planning it would take minutes)."""

from __future__ import annotations

from fractions import Fraction

from taperdesk.core.quantity import fmt_mg

CONFIRMED = "HIGH DOSE CONFIRMED by the clinician"  # rules.py looks for this (R11)
ABSURD_MULTIPLE = 5
ABSURD_EQ_MG = 1000  # mg diazepam-equivalent a day, for a drug with no maximum in the catalogue


def _over(drug, daily: float, what: str, confirm: bool, source_note: str = "") -> str | None:
    from taperdesk.core.regimen import PlanInputError

    limit = drug.max_daily_mg
    if limit is None:
        return None
    if daily <= limit + 1e-9:
        return None
    mark = " [UNVERIFIED: verify locally]" if drug.max_daily_unverified else ""
    joint = " is" if what.endswith("'s") else ","
    text = (f"{what} {fmt_mg(daily)} mg {drug.name} a day{joint} above its maximum of {fmt_mg(limit)} mg a day"
            f" ({drug.max_daily_source}{mark})")
    if daily > ABSURD_MULTIPLE * limit:
        raise PlanInputError(f"{text}, more than {ABSURD_MULTIPLE} times over: check the dose")
    if not confirm:
        raise PlanInputError(f"{text}: check the dose, or confirm the high dose (--confirm-high-dose){source_note}")
    return f"{CONFIRMED}: {text}."


def check_regimen(regimen, drug, settings) -> tuple[str, ...]:
    """Refuse or record a starting regimen above the drug's maximum (R11)."""
    from taperdesk.core.regimen import PlanInputError

    daily = sum(mg for _, mg in regimen.doses)
    factor = drug.diazepam_factor(settings.table) if drug.equivalents else Fraction(1)
    if drug.max_daily_mg is None and daily * factor > ABSURD_EQ_MG:
        raise PlanInputError(f"{fmt_mg(daily)} mg {drug.name} a day is more than {ABSURD_EQ_MG} mg diazepam-equivalent: check the dose")
    note = _over(drug, daily, "The regimen's", settings.confirm_high_dose)
    return (note,) if note else ()


def check_crossover_early(regimen, drug, settings, catalogue) -> None:
    """Refuse, before any planning, a crossover whose diazepam is far beyond any
    label: the same words `drug_limits` would give after the whole taper was
    walked (which took seconds for 100 mg clonazepam). Only where the estimate
    is well clear of the line, so a dose near it is still judged on the plan."""
    if not settings.crossover or drug.name == "diazepam" or not drug.equivalents:
        return
    diazepam = catalogue.drug("diazepam")
    if diazepam.max_daily_mg is None:
        return
    estimate = float(sum(mg for _, mg in regimen.doses) * drug.diazepam_factor(settings.table))
    if estimate > ABSURD_MULTIPLE * diazepam.max_daily_mg * 1.25:
        _over(diazepam, estimate, "The crossover gives", settings.confirm_high_dose, " or skip crossover")


def drug_limits(p, steps) -> tuple[tuple[dict, ...], bool]:
    """Each drug's factor and maximum for the plan JSON; refuses a crossover that
    would exceed a maximum (e.g. diazepam over 40 mg a day) unless confirmed."""
    out = []
    for name in sorted(p.factors):
        drug = p.catalogue.drug(name)
        top = max((step.daily_mg.get(name, 0.0) for step in steps), default=0.0)
        if name != p.original:
            note = _over(drug, top, "The crossover gives", p.settings.confirm_high_dose, " or skip crossover")
            if note:
                p.warnings.append(note)
        out.append({
            "drug": name,
            "diazepam_factor": round(float(p.factors[name]), 6),
            "max_daily_mg": drug.max_daily_mg,
            "max_daily_source": drug.max_daily_source + (" [UNVERIFIED: verify locally]" if drug.max_daily_unverified else ""),
        })
    confirmed = p.settings.confirm_high_dose and any(w.startswith(CONFIRMED) for w in p.warnings)
    return tuple(out), confirmed
