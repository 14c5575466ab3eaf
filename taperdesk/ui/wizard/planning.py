"""From the pages' fields to a plan, and from each problem to its page.

The wizard re-plans on every change, so this is the one place that turns
what the clinician entered into the engine's inputs (Regimen, PlanSettings)
and runs the engine (make_plan, or edits.revise when revising). Each check
runs at the stage whose inputs it needs, and a problem is filed under the
page where it is fixed, so that page can say so and keep Next disabled.

No Qt here: the rules are plain functions over plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from taperdesk.core.catalogue import Catalogue, CatalogueError, Drug, UnknownDrug
from taperdesk.core.dispensing import Dispenser, DrugStock, dispenser_for
from taperdesk.core.edits import revise
from taperdesk.core.guidance import load_guidance
from taperdesk.core.pace import resolve_pace
from taperdesk.core.plan import Dose, Plan
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg, to_q
from taperdesk.core.regimen import TIMES, PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings

REGIMEN, APPROACH, DISPENSING = "regimen", "approach", "dispensing"
PAGE_TITLES = {REGIMEN: "Current regimen", APPROACH: "Approach", DISPENSING: "Dispensing"}
REFERENCE = "diazepam"

# Planner messages whose fix is on the Approach page; any other planning
# problem is about what the stock can make, so it belongs to Dispensing.
_APPROACH_PHRASES = ("choose a lower target", "keep crossover on", "--confirm-high-dose", "cut order",
                     "past 10 years", "more than 5 times over")


@dataclass(frozen=True)
class Context:
    """What stays fixed while the wizard is open."""

    catalogue: Catalogue
    base: PlanSettings  # fields the pages do not show come from here (table, keep_longest, ...)
    revise_plan: Plan | None = None
    revise_from: date | None = None

    @property
    def revising(self) -> bool:
        return self.revise_plan is not None


@dataclass(frozen=True)
class RegimenInput:
    drug: str
    doses: tuple[tuple[str, float], ...]  # every time of day; 0 is no dose


@dataclass(frozen=True)
class ApproachInput:
    method: str
    cut_percent: float | None
    cut_mg: float | None
    interval_days: int
    crossover: bool
    crossover_days: int | None
    target_mg: float
    start: date
    allow_fast: bool
    # issue 10: how the taper ends and the dose ceiling
    cut_order: str = "even"
    final_dose_mg: float | None = None  # None: the engine's default (0.5 mg, or the smallest makeable)
    end_band: str = "default"
    confirm_high_dose: bool = False


@dataclass
class Outcome:
    drug: Drug | None = None  # the drug the patient takes (the plan's drug)
    tapered: str | None = None  # the drug the cuts are made in (diazepam after a crossover)
    taking: frozenset[str] = frozenset()  # the drugs in the doses planned from
    in_force: tuple[Dose, ...] = ()  # revising: the dose in force on the day before
    in_force_day: date | None = None
    hold_until: date | None = None  # revising: a hold in force runs to this day first
    regimen: Regimen | None = None
    settings: PlanSettings | None = None
    plan: Plan | None = None
    pace_over: bool = False  # the pace is faster than the guideline's limit
    errors: dict[str, str] = field(default_factory=dict)  # page -> message
    dose_errors: dict[str, str] = field(default_factory=dict)  # time of day -> message

    def fail(self, page: str, message: str) -> None:
        self.errors.setdefault(page, message)

    def first_error(self) -> str:
        for page in (REGIMEN, APPROACH, DISPENSING):
            if page in self.errors:
                return f"{PAGE_TITLES[page]}: {self.errors[page]}"
        return ""


def describe_stock(dispenser: Dispenser) -> str:
    """'10 mg tablet; 5 mg tablet, split in half' (what a dose was tried against)."""
    parts = []
    for f, split in dispenser.stocked:
        if f.is_liquid:
            parts.append(f"{fmt_mg(f.mg_per_ml)} mg/mL liquid")
        else:
            note = {"none": "", "half": ", split in half", "quarter": ", split in quarters"}[split]
            parts.append(f"{fmt_mg(f.strength_mg)} mg {f.form}{note}")
    return "; ".join(dict.fromkeys(parts))


def identify(ctx: Context, entered: RegimenInput, crossover: bool) -> Outcome:
    """Stage 1: which drug, which doses, and which drug the cuts are made in."""
    out = Outcome()
    if ctx.revising:
        _dose_in_force(ctx, out)
        drugs = {d.drug for d in out.in_force}
    else:
        text = entered.drug.strip()
        if not text:
            out.fail(REGIMEN, "Choose the drug the patient takes now.")
        else:
            try:
                out.drug = ctx.catalogue.drug(text)
            except UnknownDrug as exc:
                out.fail(REGIMEN, f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        doses = tuple((t, mg) for t, mg in entered.doses if mg > 0)
        if not doses:
            out.fail(REGIMEN, "Give the dose at one time of day at least (0 means no dose then).")
        if out.drug is not None:
            out.taking = frozenset({out.drug.name})
        if out.drug is None or not doses:
            return out
        out.regimen = Regimen(out.drug.name, doses)
        drugs = {out.drug.name}
    out.taking = frozenset(drugs)
    if drugs:
        if drugs == {REFERENCE} or (crossover and out.drug and out.drug.name != REFERENCE):
            out.tapered = REFERENCE
        else:
            out.tapered = sorted(drugs)[0]
    return out


def _dose_in_force(ctx: Context, out: Outcome) -> None:
    plan, day = ctx.revise_plan, ctx.revise_from
    out.drug = ctx.catalogue.drug(plan.drug)
    step = plan.step_on(day)
    if step is None:
        out.fail(REGIMEN, f"{day} is outside the plan ({plan.start} to {plan.end}): revise from a day within it.")
        return
    if step.kind == "hold" and step.end < plan.end:
        out.hold_until = step.end
    before = day - timedelta(days=1) if day > plan.start else day
    out.in_force_day = before
    doses = plan.doses_on(before)
    if step.kind == "stop" or not doses:
        out.fail(REGIMEN, f"The taper has stopped by {day}: start a new plan instead.")
        return
    out.in_force = doses
    if len({d.drug for d in doses}) == 1:
        out.regimen = Regimen(doses[0].drug, tuple((d.time, d.mg) for d in doses))


def build(
    ctx: Context,
    out: Outcome,
    approach: ApproachInput,
    stock_for: Callable[[str], DrugStock],
) -> Outcome:
    """Stages 2-4: settings, stock and pace checks, then the engine itself."""
    catalogue = ctx.catalogue
    if out.drug is not None:
        try:
            out.drug.equivalence(ctx.base.table)
        except CatalogueError as exc:
            out.fail(REGIMEN, _sentence(exc) + " Plan under another table, or another drug.")
    if out.drug is not None and not catalogue.formulations_for(out.drug.name):
        out.fail(
            REGIMEN,
            f"The catalogue lists no {out.drug.name} products (tablets, capsules or liquid), so no taper can be"
            " dispensed: add the clinic's products to formulations.toml first.",
        )
    if out.tapered is None or REGIMEN in out.errors:
        return out
    original = out.drug.name
    stock = [stock_for(out.tapered)]
    if original != out.tapered:
        stock.append(stock_for(original))
    tapered_stock = stock[0]
    if tapered_stock.strengths == () and not tapered_stock.liquid:
        out.fail(DISPENSING, f"Tick at least one {out.tapered} strength, or allow the liquid.")
    try:
        dispenser_for(catalogue, tapered_stock)
    except (PlanInputError, CatalogueError) as exc:
        out.fail(DISPENSING, _sentence(exc))
    if not ctx.revising:
        _check_doses(ctx, out, stock_for(original))
    try:
        settings = ctx.base.with_(
            start=ctx.revise_from if ctx.revising else approach.start,
            method=approach.method,
            cut_percent=approach.cut_percent,
            cut_mg=approach.cut_mg,
            interval_days=approach.interval_days,
            crossover=approach.crossover,
            crossover_days=approach.crossover_days,
            target_mg=approach.target_mg,
            allow_fast=False,
            stock=tuple(stock),
            cut_order=_cut_order(approach.cut_order, out),
            final_dose_eq_mg=approach.final_dose_mg,
            end_band=approach.end_band,
            confirm_high_dose=approach.confirm_high_dose,
        )
        over = resolve_pace(settings.with_(allow_fast=True), load_guidance())
    except (PlanInputError, CatalogueError) as exc:
        out.fail(APPROACH, _sentence(exc))
        return out
    out.pace_over = any(w.startswith("PACE OVERRIDE") for w in over.warnings)
    settings = settings.with_(allow_fast=approach.allow_fast and out.pace_over)
    out.settings = settings
    if out.pace_over and not settings.allow_fast:
        try:
            resolve_pace(settings, load_guidance())
        except PlanInputError as exc:
            out.fail(APPROACH, _sentence(exc))
    if out.errors:
        return out
    try:
        if ctx.revising:
            out.plan = revise(ctx.revise_plan, ctx.revise_from, settings, catalogue)
        else:
            out.plan = make_plan(out.regimen, settings, catalogue)
    except (PlanInputError, CatalogueError) as exc:
        text = str(exc)
        page = APPROACH if any(p in text for p in _APPROACH_PHRASES) else DISPENSING
        out.fail(page, _sentence(exc))
    return out


def _check_doses(ctx: Context, out: Outcome, stock: DrugStock) -> None:
    """Each entered dose must be one the stock can make: marked on its own field."""
    own_page = DISPENSING if stock.drug == out.tapered else REGIMEN
    try:
        disp = dispenser_for(ctx.catalogue, stock)
    except (PlanInputError, CatalogueError) as exc:
        out.fail(own_page, _sentence(exc))
        return
    for time, mg in out.regimen.doses:
        try:
            ok = disp.can_make(to_q(mg))
        except ValueError:
            ok = False
        if ok:
            continue
        out.dose_errors[time] = "the stock cannot make this dose"
        text = (
            f"The {time} dose of {fmt_mg(mg)} mg {stock.drug} cannot be made from the stock"
            f" ({describe_stock(disp)}): check the dose, or stock another strength, a split or the liquid"
            " on the Dispensing page."
        )
        out.fail(REGIMEN, text)
        if own_page == DISPENSING:
            out.fail(DISPENSING, text)


def _cut_order(choice: str, out: Outcome) -> str:
    """'first' (the wizard's NHS Scotland choice): the patient's dose times in the order of the day."""
    if choice != "first":
        return choice
    times = [t for t, _ in out.regimen.doses] if out.regimen else [d.time for d in out.in_force]
    ordered = [t for t in TIMES if t in times]
    return ",".join(ordered) if len(ordered) > 1 else "even"


def _sentence(exc: Exception) -> str:
    """Engine messages are one lower-case line naming the CLI flag; on a page they read as a sentence."""
    text = str(exc).replace("(--allow-fast)", "by ticking “Allow a faster pace than the guideline”")
    text = text.replace("(--confirm-high-dose)", "by ticking “Confirm a high dose (above the maximum)”").strip()
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith((".", "?", "!")) else text + "."
