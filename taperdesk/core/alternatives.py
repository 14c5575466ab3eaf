"""What a finer stock would change (the wizard's offer beside the plan).

When the stock makes the end of a taper slow (waits stretched past twice the
interval, rule R12: a 50% cut waited for ten weeks), the same regimen and
settings are planned again with the oral liquid, or with tablets split in
quarters, stopping from the same dose. The offer says, in numbers, how much
smaller the biggest cut becomes and how many weeks shorter (or, honestly,
longer: at the same pace, small cuts are not always quicker) the plan is, so
the clinician can switch with one click."""

from __future__ import annotations

from dataclasses import dataclass, replace

from taperdesk.core.catalogue import Catalogue
from taperdesk.core.plan import Plan
from taperdesk.core.planner import make_plan
from taperdesk.core.planner_notes import STRETCHED
from taperdesk.core.regimen import PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings


@dataclass(frozen=True)
class Shorter:
    change: str  # "liquid" or "quarter"
    days_saved: int  # negative: the plan is longer
    biggest_cut: float  # % of the dose, the final stop excluded
    text: str


def _biggest_cut(plan: Plan) -> float:
    cuts = [(a.diazepam_eq_mg - b.diazepam_eq_mg) / a.diazepam_eq_mg * 100
            for a, b in zip(plan.steps, plan.steps[1:]) if b.kind != "stop" and b.diazepam_eq_mg < a.diazepam_eq_mg]
    return round(max(cuts, default=0.0), 1)


def shorter_options(regimen: Regimen, settings: PlanSettings, catalogue: Catalogue, plan: Plan) -> list[Shorter]:
    """Finer stocks that make this plan's biggest cut smaller, smallest first."""
    if not plan.stops or not any(w.startswith(STRETCHED) for w in plan.warnings):
        return []
    tapered = plan.crossover_to or plan.drug
    stock = settings.stock_for(tapered)
    variants = []
    if not stock.liquid and catalogue.formulations_for(tapered, market=stock.market, forms=("liquid",)):
        variants.append(("liquid", replace(stock, liquid=True), "the oral liquid"))
    if stock.split != "quarter":
        variants.append(("quarter", replace(stock, split="quarter"), "tablets split in quarters"))
    days = (plan.end - plan.start).days + 1
    out = []
    for change, new_stock, words in variants:
        others = tuple(s for s in settings.stock if s.drug != tapered)
        try:
            # the same stop dose, so the days compare like with like (a finer stock could stop lower too)
            same_end = settings.with_(stock=(new_stock, *others), final_dose_eq_mg=plan.pace.final_dose_eq_mg)
            other = make_plan(regimen, same_end, catalogue)
        except PlanInputError:
            continue
        saved = days - ((other.end - other.start).days + 1)
        now, then = _biggest_cut(plan), _biggest_cut(other)
        if then >= now:
            continue
        weeks = abs(saved) // 7
        length = (f"{weeks} weeks shorter" if saved >= 7 else f"{weeks} weeks longer" if saved <= -7
                  else "about as long")
        out.append(Shorter(change, saved, then,
                           f"With {words} the biggest cut is {then:g}% of the dose instead of {now:g}%;"
                           f" stopping from the same dose, the plan is {length}."))
    return sorted(out, key=lambda s: (s.biggest_cut, -s.days_saved))
