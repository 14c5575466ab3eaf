"""Planning: a pure function of (regimen, settings, catalogue).

The planner walks the patient's doses down one cut at a time (rules in
core/rules.py). Each cut aims at the method's next dose; `core.configs`
picks the doses a patient can follow (equal at each time of day, or the
clinician's cut order; whole tablets; few pieces) within the range the pace
allows. The wait before the cut is as long as the pace needs, rounded up to
whole weeks when the interval is in weeks, so that no cut is faster than the
pace anywhere, the end included. Where the stock cannot make a cut that small
the plan takes the smallest cut it can and waits longer, and says so. A taper
to zero stops from a small dose (`final_dose_eq_mg`), never from 0.1 mL.

Here: the walk and its waits. The crossover's stages are core.crossover; the
choice of each cut is core.cuts (both mixins of the one planner object)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from taperdesk.core.catalogue import Catalogue, load_catalogue
from taperdesk.core.ceilings import check_crossover_early, check_regimen, drug_limits
from taperdesk.core.configs import Chooser
from taperdesk.core.crossover import Crossover
from taperdesk.core.cuts import NICE_BAND_BELOW_EQ, NICE_BAND_CUT_EQ, Cuts
from taperdesk.core.dispensing import Dispenser, dispenser_for
from taperdesk.core.guidance import Guidance, load_guidance
from taperdesk.core.pace import ResolvedPace, resolve_pace
from taperdesk.core.plan import Dose, Pace, Plan, Step
from taperdesk.core.planner_notes import add_notes
from taperdesk.core.quantity import Q, fmt_mg, round_mg, to_q
from taperdesk.core.regimen import TIMES, PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings, parse_cut_order

State = tuple[tuple[str, str, int], ...]  # (time, drug, quantity), doses > 0 only, in TIMES order

MAX_PLAN_DAYS = 3653  # ten years: a longer plan is a setting to fix, not a plan
DEFAULT_FINAL_EQ = Fraction(1, 2)  # mg diazepam-equivalent a day (NICE CKS: the last cuts are 0.5-1 mg)


@dataclass
class _Segment:
    kind: str
    state: State
    days: int
    eq: Fraction
    reason: str = ""
    liquid: bool = False


def make_plan(regimen: Regimen, settings: PlanSettings, catalogue: Catalogue | None = None) -> Plan:
    catalogue = catalogue or load_catalogue()
    drug = catalogue.drug(regimen.drug)
    dispenser = dispenser_for(catalogue, settings.stock_for(drug.name))
    warnings = check_regimen(regimen, drug, settings)
    check_crossover_early(regimen, drug, settings, catalogue)
    state = []
    for time, mg in regimen.doses:
        try:
            q = to_q(mg)
        except ValueError:
            q = -1
        if q < 0 or dispenser.one_form(q) is None:
            raise PlanInputError(
                f"the {time} dose of {fmt_mg(mg)} mg {drug.name} cannot be made from the stock"
                f" ({_describe_stock(dispenser)}): check the dose, or stock another strength, a split or the liquid"
            )
        state.append((time, drug.name, q))
    return plan_from_state(tuple(state), settings, catalogue, original_drug=drug.name, warnings=warnings)


def plan_from_state(
    state: State,
    settings: PlanSettings,
    catalogue: Catalogue,
    *,
    original_drug: str,
    prior_days: int = 0,
    prior_paces: tuple[Pace, ...] = (),
    warnings: tuple[str, ...] = (),
    in_liquid: bool = False,
) -> Plan:
    """Plan onward from doses already being taken (a new plan, or the rest of
    a revised one: `prior_days` on these doses count toward the first cut).
    `in_liquid`: the patient already takes the liquid, so the rest stays liquid
    (R10: once the liquid starts, never back to tablets), even where tablets
    could make today's dose."""
    planner = _Planner(state, settings, catalogue, load_guidance(), original_drug, prior_days, prior_paces)
    if in_liquid and planner.forms.get("liquid") is not None:
        planner.liquid = True
    planner.warnings[:0] = warnings
    return planner.plan()


def _describe_stock(dispenser: Dispenser) -> str:
    parts = []
    for f, split in dispenser.stocked:
        if f.is_liquid:
            parts.append(f"{fmt_mg(f.mg_per_ml)} mg/mL liquid")
        else:
            note = "" if split == "none" else f", split in {'quarters' if split == 'quarter' else 'half'}"
            parts.append(f"{fmt_mg(f.strength_mg)} mg {f.form}{note}")
    return "; ".join(dict.fromkeys(parts))


class _Planner(Crossover, Cuts):
    """One plan being built: the doses now, the segments so far, what it warns of."""

    def __init__(self, state, settings, catalogue, guidance: Guidance, original_drug, prior_days, prior_paces):
        self.settings: PlanSettings = settings
        self.catalogue: Catalogue = catalogue
        self.guidance = guidance
        self.original = original_drug
        self.prior_days = prior_days
        self.prior_paces = prior_paces
        self.warnings: list[str] = []
        self.sources: list[str] = []
        self.stretched: list[tuple[Fraction, int]] = []  # (dose before the cut, days waited) past 2 x interval
        self.capped = False
        self.table = catalogue.table(settings.table)
        drugs = {d for _, d, _ in state}
        self.crossing = settings.crossover and drugs != {"diazepam"}
        if len(drugs) > 1 and not settings.crossover:
            raise PlanInputError("the patient is part-way through a crossover on that date: keep crossover on")
        self.tapered = "diazepam" if self.crossing or drugs == {"diazepam"} else drugs.pop()
        self.factors = {d: catalogue.drug(d).diazepam_factor(settings.table) for d in {*drugs, self.tapered, self.original}}
        self.dispensers = {d: dispenser_for(catalogue, settings.stock_for(d)) for d in self.factors}
        self.pace: ResolvedPace = resolve_pace(settings, guidance)
        self.warnings += self.pace.warnings
        self.state = state
        self.segments: list[_Segment] = []
        disp = self.dispensers[self.tapered]
        factor = self.factors[self.tapered]
        self.forms = {k: disp.only(k) for k in ("solid", "liquid")}
        self.piece_eq = Fraction(disp.smallest_piece_q, Q) * factor
        self.end_step = self.piece_eq
        self.end_phase = guidance["pace.end_phase_multiple"].number * self.piece_eq
        chosen = Fraction(str(settings.final_dose_eq_mg)) if settings.final_dose_eq_mg else DEFAULT_FINAL_EQ
        self.final_eq = max(chosen, self.piece_eq)
        if settings.final_dose_eq_mg and self.final_eq > chosen:
            self.warnings.append(
                f"The final dose is {fmt_mg(self.final_eq)} mg diazepam-equivalent a day, not {fmt_mg(chosen)}:"
                " the stock makes nothing smaller."
            )
        self.target_eq = Fraction(str(settings.target_mg)) * factor
        if self.target_eq >= self.eq(state):
            raise PlanInputError(
                f"the target ({fmt_mg(settings.target_mg)} mg {self.tapered} a day) is at or above the current dose"
                f" ({fmt_mg(self.eq(state))} mg diazepam-equivalent): choose a lower target, or 0 to stop"
            )
        self.order = tuple(t for t in TIMES if t != settings.keep_longest) + (settings.keep_longest,)
        self.cut_order = parse_cut_order(settings.cut_order)
        if self.cut_order:
            missing = [t for t, _, _ in state if t not in self.cut_order]
            if missing:
                raise PlanInputError(
                    f"the cut order {settings.cut_order!r} leaves out the {', '.join(missing)} dose:"
                    " name every time of day the patient takes a dose, e.g. morning,night"
                )
        order = self.cut_order or self.order
        self.choosers = {k: Chooser(d, factor, order, not self.cut_order) for k, d in self.forms.items() if d is not None}
        self.liquid = not all(
            q == 0 or (self.forms["solid"] is not None and self.forms["solid"].can_make(q))
            for _, d, q in state if d == self.tapered
        )
        self.crossover_days = settings.crossover_days or int(guidance["crossover.default_days"].value)
        self.grid_mg = None
        if settings.method == "fixed" and settings.cut_mg is not None:
            # the clinician's fixed cut sets the dose grid (NHS Scotland: whole mg), unless it is
            # more than 25% of the starting dose: then cuts are capped (and the plan says so)
            start_mg = sum(Fraction(q, Q) * self.factors[d] for _, d, q in state) / factor
            cut = Fraction(str(settings.cut_mg))
            if cut <= start_mg * self.pace.single_cap and (cut * Q).denominator == 1:
                self.grid_mg = cut
                for chooser in self.choosers.values():
                    chooser.grid = int(cut * Q)
                self.final_eq = max(self.final_eq, cut * factor)  # the smallest dose on the clinician's grid

    # -- arithmetic -----------------------------------------------------------
    def eq(self, state: State) -> Fraction:
        return sum((Fraction(q, Q) * self.factors[d] for _, d, q in state), Fraction(0))

    def total_days(self) -> int:
        return self.prior_days + sum(seg.days for seg in self.segments)

    # -- building segments ----------------------------------------------------
    def run_days(self) -> int:
        """Days already spent at the current diazepam-equivalent dose."""
        if not self.segments:
            return self.prior_days
        eq = self.segments[-1].eq
        total = 0
        for seg in reversed(self.segments):
            if seg.eq != eq:
                return total
            total += seg.days
        return total + self.prior_days

    def weeks(self, days: int) -> int:
        """R8: waits round up to whole weeks when the interval is in weeks."""
        interval = self.pace.interval_days
        return -(-days // 7) * 7 if interval % 7 == 0 and days > 0 else days

    def change_to(self, new: State, kind: str, days: int, *, liquid: bool | None = None) -> None:
        """Move to `new` (in the liquid if `liquid`), first waiting at the current dose as long as the pace needs."""
        liquid = self.liquid if liquid is None else liquid
        old_eq, new_eq = self.eq(self.state), self.eq(new)
        if not self.segments:
            if new_eq == old_eq and kind == "crossover":
                self.segments.append(_Segment(kind, new, days, new_eq, liquid=self.liquid))
                self.state = new
                return
            self.segments.append(_Segment("start", self.state, 0, old_eq, liquid=self.liquid))
        if new_eq < old_eq:
            need = self.wait_needed(old_eq, new_eq, kind)
            short = need - self.run_days()
            if short > 0:
                if self.segments[-1].kind == "crossover" and self.crossover_days % 7 == 0:
                    short = -(-short // 7) * 7  # R8: crossover stages in whole weeks too
                self.segments[-1].days += short
        self.segments.append(_Segment(kind, new, days, new_eq, liquid=liquid))
        self.state = new
        self.liquid = liquid
        if self.total_days() > MAX_PLAN_DAYS:
            raise PlanInputError(
                "this plan would run past 10 years: choose a larger cut or a shorter interval,"
                " stock a smaller strength or the liquid, or set a target dose"
            )

    def nice_band(self, old: Fraction, new: Fraction) -> bool:
        return self.settings.end_band == "nice" and old <= NICE_BAND_BELOW_EQ and old - new <= NICE_BAND_CUT_EQ

    def wait_needed(self, old: Fraction, new: Fraction, kind: str) -> int:
        interval = self.pace.interval_days
        if kind == "stop" or self.nice_band(old, new):
            return self.weeks(interval)
        need = math.ceil(interval * ((old - new) / old) / self.pace.max_cut)
        if kind != "crossover":
            need = max(need, interval)
        need = self.weeks(need)
        if kind == "reduce" and need > 2 * interval:
            self.stretched.append((old, need))
        return need

    # -- tapering -------------------------------------------------------------
    def taper(self) -> None:
        start_eq = self.eq(self.state)
        while True:
            eq = self.eq(self.state)
            if self.target_eq > 0 and eq <= self.target_eq:
                break
            if self.target_eq == 0 and eq <= self.final_eq:
                self.change_to((), "stop", 1)
                return
            found = self.next_state(eq, start_eq)
            if found is None:
                self.warnings.append(
                    f"The stock cannot make the target exactly: the plan ends on {fmt_mg(eq)} mg diazepam-equivalent a day."
                )
                break
            new, liquid = found
            if not new:
                self.change_to(new, "stop", 1)
                return
            self.change_to(new, "reduce", 0, liquid=liquid)
        if not self.segments:
            self.segments.append(_Segment("start", self.state, 0, self.eq(self.state), liquid=self.liquid))
        short = self.weeks(self.pace.interval_days) - self.run_days()
        if short > 0:
            if self.segments[-1].kind == "crossover" and self.crossover_days % 7 == 0:
                short = -(-short // 7) * 7
            self.segments[-1].days += short

    # -- the plan ---------------------------------------------------------------
    def plan(self) -> Plan:
        if self.crossing:
            self.crossover()
        self.taper()
        steps = self._steps = self.steps()
        limits, confirmed = drug_limits(self, steps)
        add_notes(self)
        pace = Pace(
            since=self.settings.start,
            max_cut_percent=round_mg(self.pace.max_cut * 100),
            interval_days=self.pace.interval_days,
            end_phase_eq_mg=round_mg(self.end_phase),
            end_step_eq_mg=round_mg(self.end_step),
            rules=2,
            final_dose_eq_mg=round_mg(self.final_eq),
            end_band=self.settings.end_band,
            cut_order=",".join(self.cut_order) or "even",
            crossover_days=self.crossover_days,
            cut_grid_mg=round_mg(self.grid_mg) if self.grid_mg else None,
        )
        stock = [d for drug in sorted(self.dispensers) for d in self.dispensers[drug].stock_dicts()]
        return Plan(
            drug=self.original,
            method=self.settings.method,
            crossover_to="diazepam" if self.crossing or (self.original != self.tapered) else None,
            equivalence_table=self.table.name,
            target_mg=self.settings.target_mg,
            steps=steps,
            paces=(*[p for p in self.prior_paces if p.since < self.settings.start], pace),
            stock=tuple(stock),
            warnings=tuple(dict.fromkeys(self.warnings)),
            sources=tuple(dict.fromkeys(self.sources)),
            drugs=limits,
            high_dose_confirmed=confirmed,
        )

    def units(self, drug: str, q: int, liquid: bool):
        disp = self.dispensers[drug]
        if drug == self.tapered:
            form = self.forms["liquid" if liquid else "solid"]
            if form is not None and form.can_make(q):
                return form.units(q)
        single = disp.one_form(q)
        return (single or disp).units(q)

    def steps(self) -> tuple[Step, ...]:
        day = self.settings.start
        units_cache: dict[tuple[str, int, bool], tuple] = {}
        steps = []
        # a revision whose first cut is already due on its first day keeps no day at the old dose
        segments = [seg for seg in self.segments if seg.days > 0]
        for i, seg in enumerate(segments):
            doses = []
            for time, drug, q in seg.state:
                key = (drug, q, seg.liquid)
                if key not in units_cache:
                    units_cache[key] = self.units(drug, q, seg.liquid)
                doses.append(Dose(time, drug, round_mg(Fraction(q, Q)), units_cache[key]))
            end = day + timedelta(days=seg.days - 1)
            steps.append(Step(i, day, end, seg.kind, tuple(doses), round_mg(seg.eq), seg.reason))
            day = end + timedelta(days=1)
        return tuple(steps)
