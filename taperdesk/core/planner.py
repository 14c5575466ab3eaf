"""Planning: a pure function of (regimen, settings, catalogue).

The planner walks the patient's doses down one cut at a time. Each cut aims
at the method's next dose, takes the nearest dose the stock can make that
cuts no more than that, spreads the cut over the dose times (largest dose
first, the `keep_longest` time last) and then waits as long as the pace
needs before the next cut: where the stock is too coarse for a small cut it
waits longer rather than cutting faster."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from taperdesk.core.catalogue import Catalogue, load_catalogue
from taperdesk.core.dispensing import Dispenser, dispenser_for
from taperdesk.core.guidance import Guidance, load_guidance
from taperdesk.core.pace import ResolvedPace, resolve_pace
from taperdesk.core.plan import Dose, Pace, Plan, Step
from taperdesk.core.quantity import Q, fmt_mg, round_mg, to_q
from taperdesk.core.regimen import TIMES, PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings

State = tuple[tuple[str, str, int], ...]  # (time, drug, quantity), doses > 0 only, in TIMES order

CROSSOVER_ORDER = ("night", "evening", "midday", "morning")


@dataclass
class _Segment:
    kind: str
    state: State
    days: int
    eq: Fraction
    reason: str = ""


def make_plan(regimen: Regimen, settings: PlanSettings, catalogue: Catalogue | None = None) -> Plan:
    catalogue = catalogue or load_catalogue()
    drug = catalogue.drug(regimen.drug)
    dispenser = dispenser_for(catalogue, settings.stock_for(drug.name))
    state = []
    for time, mg in regimen.doses:
        try:
            q = to_q(mg)
        except ValueError:
            q = -1
        if not dispenser.can_make(q):
            raise PlanInputError(
                f"the {time} dose of {fmt_mg(mg)} mg {drug.name} cannot be made from the stock"
                f" ({_describe_stock(dispenser)}): check the dose, or stock another strength, a split or the liquid"
            )
        state.append((time, drug.name, q))
    return plan_from_state(tuple(state), settings, catalogue, original_drug=drug.name)


def plan_from_state(
    state: State,
    settings: PlanSettings,
    catalogue: Catalogue,
    *,
    original_drug: str,
    prior_days: int = 0,
    prior_paces: tuple[Pace, ...] = (),
) -> Plan:
    """Plan onward from doses already being taken (a new plan, or the rest of
    a revised one: `prior_days` on these doses count toward the first cut)."""
    return _Planner(state, settings, catalogue, load_guidance(), original_drug, prior_days, prior_paces).plan()


def _describe_stock(dispenser: Dispenser) -> str:
    parts = []
    for f, split in dispenser.stocked:
        if f.is_liquid:
            parts.append(f"{fmt_mg(f.mg_per_ml)} mg/mL liquid")
        else:
            note = "" if split == "none" else f", split in {'quarters' if split == 'quarter' else 'half'}"
            parts.append(f"{fmt_mg(f.strength_mg)} mg {f.form}{note}")
    return "; ".join(dict.fromkeys(parts))


class _Planner:
    def __init__(self, state, settings, catalogue, guidance: Guidance, original_drug, prior_days, prior_paces):
        self.settings: PlanSettings = settings
        self.catalogue: Catalogue = catalogue
        self.guidance = guidance
        self.original = original_drug
        self.prior_days = prior_days
        self.prior_paces = prior_paces
        self.warnings: list[str] = []
        self.sources: list[str] = []
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
        tapered_disp = self.dispensers[self.tapered]
        self.piece_eq = Fraction(tapered_disp.smallest_piece_q, Q) * self.factors[self.tapered]
        self.end_step = Fraction(str(settings.end_step_eq_mg)) if settings.end_step_eq_mg else self.piece_eq
        multiple = guidance["pace.end_phase_multiple"].number
        self.end_phase = Fraction(str(settings.end_phase_eq_mg)) if settings.end_phase_eq_mg else multiple * self.end_step
        if self.end_step < self.piece_eq:
            raise PlanInputError(
                f"the end step ({fmt_mg(self.end_step)} mg diazepam-equivalent) is smaller than the smallest amount"
                f" the stock can take off ({fmt_mg(self.piece_eq)} mg): raise it, or stock a smaller strength or the liquid"
            )
        if self.end_phase < multiple * self.piece_eq:
            raise PlanInputError(
                f"the end phase must begin at {fmt_mg(multiple * self.piece_eq)} mg diazepam-equivalent or higher"
                f" with this stock, or cuts above it would take more than 25% of the dose"
            )
        self.target_eq = Fraction(str(settings.target_mg)) * self.factors[self.tapered]
        if self.target_eq >= self.eq(state):
            raise PlanInputError(
                f"the target ({fmt_mg(settings.target_mg)} mg {self.tapered} a day) is at or above the current dose"
                f" ({fmt_mg(self.eq(state))} mg diazepam-equivalent): choose a lower target, or 0 to stop"
            )
        self.order = tuple(t for t in TIMES if t != settings.keep_longest) + (settings.keep_longest,)

    # -- arithmetic -----------------------------------------------------------
    def eq(self, state: State) -> Fraction:
        return sum((Fraction(q, Q) * self.factors[d] for _, d, q in state), Fraction(0))

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

    def change_to(self, new: State, kind: str, days: int, *, min_wait: int) -> None:
        """Move to `new`, first waiting at the current dose as long as the pace needs."""
        old_eq, new_eq = self.eq(self.state), self.eq(new)
        if not self.segments:
            if new_eq == old_eq and kind == "crossover":
                self.segments.append(_Segment(kind, new, days, new_eq))
                self.state = new
                return
            self.segments.append(_Segment("start", self.state, 0, old_eq))
        if new_eq < old_eq:
            need = self.wait_needed(old_eq, new_eq, min_wait)
            short = need - self.run_days()
            if short > 0:
                self.segments[-1].days += short
        self.segments.append(_Segment(kind, new, days, new_eq))
        self.state = new

    def wait_needed(self, old: Fraction, new: Fraction, min_wait: int) -> int:
        interval = self.pace.interval_days
        if old <= self.end_phase:
            return max(min_wait, interval)
        frac = (old - new) / old
        return max(min_wait, math.ceil(interval * frac / self.pace.max_cut))

    # -- crossover ------------------------------------------------------------
    def crossover(self) -> None:
        days = self.settings.crossover_days or int(self.guidance["crossover.default_days"].value)
        dz = self.dispensers["diazepam"]
        self.sources.append(self.guidance["crossover.default_days"].cite())
        for time in CROSSOVER_ORDER:
            dose = next((d for d in self.state if d[0] == time), None)
            if dose is None or dose[1] == "diazepam":
                continue
            exact = Fraction(dose[2]) * self.factors[dose[1]]  # diazepam quantity units
            made = dz.floor(math.floor(exact))
            label = f"the {time} dose ({fmt_mg(Fraction(dose[2], Q))} mg {dose[1]} ≈ diazepam {fmt_mg(exact / Q)} mg)"
            if made == 0:
                raise PlanInputError(
                    f"{label} is below the smallest diazepam dose the stock can make: allow splitting or the liquid, or skip crossover"
                )
            if exact - made > exact * self.pace.max_cut:
                raise PlanInputError(
                    f"{label} cannot be made in diazepam without a cut of more than the pace allows"
                    f" (the nearest is {fmt_mg(made / Q)} mg): allow splitting or the liquid, or skip crossover"
                )
            if made != exact:
                self.warnings.append(
                    f"Crossover: {label} becomes diazepam {fmt_mg(made / Q)} mg, the nearest the stock can make below it."
                )
            new = tuple((t, "diazepam", made) if t == time else (t, d, q) for t, d, q in self.state)
            self.change_to(new, "crossover", days, min_wait=0)

    # -- tapering -------------------------------------------------------------
    def desired(self, eq: Fraction, start_eq: Fraction) -> Fraction:
        s, pace = self.settings, self.pace
        if s.method == "proportional":
            return eq * (1 - pace.cut_percent / 100)
        if s.method == "fixed":
            if s.cut_mg is not None:
                return eq - Fraction(str(s.cut_mg)) * self.factors[self.tapered]
            return eq - start_eq * pace.cut_percent / 100
        band = self.guidance.band_for(eq)
        return max(eq - band.cut_eq_mg, band.above_eq_mg) if eq > band.above_eq_mg else eq - band.cut_eq_mg

    def next_state(self, eq: Fraction, start_eq: Fraction) -> State | None:
        """The next doses: the dose the stock can make nearest the method's aim
        (a larger cut only where the pace then waits longer for it, never past
        the 25% cap, the end step or the target)."""
        floor = max(eq - self.end_step if eq <= self.end_phase else eq * (1 - self.pace.single_cap), self.target_eq)
        aim = max(self.desired(eq, start_eq), floor)
        factor = self.factors[self.tapered]
        aim_q, floor_q = aim / factor * Q, floor / factor * Q  # tapered-drug quantity units
        disp = self.dispensers[self.tapered]
        amounts = {t: q for t, _, q in self.state}
        total = sum(amounts.values())
        best = best_total = None
        while total > 0:
            time = max(self.order, key=lambda t: (amounts.get(t, 0), -self.order.index(t)))
            lower = disp.next_lower(amounts[time])
            total -= amounts[time] - lower
            amounts[time] = lower
            if total < aim_q:
                break
            best, best_total = dict(amounts), total
        if best is None:
            chosen = amounts  # the smallest cut there is
        elif total >= floor_q and aim_q - total < best_total - aim_q:
            chosen = amounts  # nearer the aim from below: the pace will wait longer for it
        else:
            chosen = best
        new = tuple((t, self.tapered, chosen[t]) for t in TIMES if chosen.get(t, 0) > 0)
        if self.eq(new) < self.target_eq:
            return None
        return new

    def taper(self) -> None:
        start_eq = self.eq(self.state)
        while self.eq(self.state) > self.target_eq:
            eq = self.eq(self.state)
            new = self.next_state(eq, start_eq)
            if new is None:
                self.warnings.append(
                    f"The stock cannot make the target exactly: the plan ends on {fmt_mg(eq)} mg diazepam-equivalent a day."
                )
                break
            if not new:
                self.change_to(new, "stop", 1, min_wait=self.pace.interval_days)
                return
            self.change_to(new, "reduce", 0, min_wait=self.pace.interval_days)
        if not self.segments:
            self.segments.append(_Segment("start", self.state, 0, self.eq(self.state)))
        last = self.segments[-1]
        last.days = max(last.days, self.pace.interval_days)

    # -- the plan ---------------------------------------------------------------
    def plan(self) -> Plan:
        if self.crossing:
            self.crossover()
        self.taper()
        steps = self._steps = self.steps()
        self.add_notes()
        pace = Pace(
            since=self.settings.start,
            max_cut_percent=round_mg(self.pace.max_cut * 100),
            interval_days=self.pace.interval_days,
            end_phase_eq_mg=round_mg(self.end_phase),
            end_step_eq_mg=round_mg(self.end_step),
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
        )

    def steps(self) -> tuple[Step, ...]:
        day = self.settings.start
        units_cache: dict[tuple[str, int], tuple] = {}
        steps = []
        # a revision whose first cut is already due on its first day keeps no day at the old dose
        segments = [seg for seg in self.segments if seg.days > 0]
        for i, seg in enumerate(segments):
            doses = []
            for time, drug, q in seg.state:
                key = (drug, q)
                if key not in units_cache:
                    units_cache[key] = self.dispensers[drug].units(q)
                doses.append(Dose(time, drug, round_mg(Fraction(q, Q)), units_cache[key]))
            end = day + timedelta(days=seg.days - 1)
            steps.append(Step(i, day, end, seg.kind, tuple(doses), round_mg(seg.eq), seg.reason))
            day = end + timedelta(days=1)
        return tuple(steps)

    def add_notes(self) -> None:
        g, s = self.guidance, self.settings
        self.sources.insert(0, self.table.source)
        self.sources.append(g["pace.limit_percent"].cite())
        if s.method == "stepwise":
            self.sources.append(g.bands[0].source)
            limit = g["stepwise.written_for_up_to_eq_mg"]
            if self.eq(self.segments[0].state) > limit.number:
                self.warnings.append(
                    f"The stepwise schedule is written for up to {fmt_mg(limit.number)} mg diazepam a day;"
                    " above that the 20-40 mg band's cut is used."
                )
        if s.method == "proportional":
            self.sources.append("Horowitz & Taylor; Maudsley Deprescribing Guidelines (Wiley, 2024)")
        drug = self.catalogue.drug(self.original)
        equivalence = drug.equivalence(s.table)
        if equivalence.low_mg != equivalence.high_mg:
            self.warnings.append(
                f"{drug.name}: {equivalence.range_text()} ≈ diazepam 10 mg in the {self.table.title};"
                f" the midpoint {fmt_mg(equivalence.mid_mg)} mg is used."
            )
        if drug.short_acting and not self.crossing and self.original != "diazepam" and self.tapered == self.original:
            self.warnings.append(
                f"{drug.name} is short-acting: a gradual crossover to diazepam can be considered (Joint Guideline 2025 Rec 7)."
            )
        if s.stock_for(self.tapered).liquid and self.dispensers[self.tapered].liquid is None:
            self.warnings.append(f"There is no oral liquid of {self.tapered} in the catalogue: planned with tablets only.")
        warn_at = g["pace.end_step_warn_eq_mg"]
        if self.target_eq == 0 and self.end_step > warn_at.number:
            ideas = []
            if self.dispensers[self.tapered].liquid is None and self.catalogue.formulations_for(self.tapered, forms=("liquid",)):
                ideas.append("the oral liquid")
            if not self.crossing and self.tapered != "diazepam":
                ideas.append("a crossover to diazepam")
            if s.stock_for(self.tapered).split == "none":
                ideas.append("splitting tablets")
            ideas = ideas or ["a smaller strength"]
            self.warnings.append(
                f"The last cuts are {fmt_mg(self.end_step)} mg diazepam-equivalent each, more than 25% of the dose"
                f" near the end and more than the {fmt_mg(warn_at.number)} mg of the guidance ({warn_at.cite()}):"
                f" consider {' or '.join(ideas)}."
            )
        used = {(d, u.form, u.strength_mg) for step in self._steps for dose in step.doses for u in dose.units
                for d in (dose.drug,) if u.form != "liquid"}
        used |= {(dose.drug, "liquid", u.mg_per_ml) for step in self._steps for dose in step.doses for u in dose.units
                 if u.form == "liquid"}
        unverified = sorted(
            {
                f.describe()
                for disp in self.dispensers.values()
                for f, _ in disp.stocked
                if f.unverified and (f.drug, f.form, f.mg_per_ml if f.is_liquid else f.strength_mg) in used
            }
        )
        if unverified:
            self.warnings.append("Verify locally (UNVERIFIED in the catalogue): " + "; ".join(unverified) + ".")
