"""The quality rules of issue 10, checked from the plan JSON alone: a
schedule a pharmacist can dispense and a patient can follow.

R3 pace the whole way down; R5 the stop; R8 whole weeks; R9 even doses;
R10 simple doses; R12 an honest header. Findings on cuts planned under a pace
with `"rules": 2` are problems; on older paces they are notes (rules.py).
Older paces are held to the rules they were made under (`check_legacy_pace`)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from taperdesk.core.pieces import PieceSolver
from taperdesk.core.plan import cut_rates, fastest_rate_percent, pace_on, step_days
from taperdesk.core.quantity import to_q

TOL = 1e-5
SINGLE_CUT_CAP = 0.25
MAX_PIECES = 4
PIECE_LIMIT_EQ = 40
STRETCHED = "Waits longer than twice the interval"
NICE_BAND = "End band: NICE CKS"


class _Stock:
    """What the plan's stock list can make, per drug and form (R3, R9, R10)."""

    def __init__(self, plan: dict):
        self.solids: dict[str, list[tuple[int, int]]] = {}
        self.liquid_steps: dict[str, list[int]] = {}
        for s in plan.get("stock", ()):
            if "strength_mg" in s:
                per = {"none": 1, "half": 2, "quarter": 4}[s.get("split", "none")] if s["form"] != "capsule" else 1
                self.solids.setdefault(s["drug"], []).append((to_q(Fraction(str(s["strength_mg"]))), per))
            elif "mg_per_ml" in s:
                self.liquid_steps.setdefault(s["drug"], []).append(to_q(Fraction(str(s["mg_per_ml"])) / 10))
        self._solvers = {d: PieceSolver(tuple(v)) for d, v in self.solids.items()}

    def solver(self, drug: str) -> PieceSolver | None:
        return self._solvers.get(drug)

    def makes(self, drug: str, q: int, liquid: float | None) -> bool:
        """q from the solids, or (liquid: its mg/mL) in whole 0.1 mL of that liquid."""
        if liquid:
            return q % to_q(Fraction(str(liquid)) / 10) == 0
        solver = self.solver(drug)
        return solver is not None and solver.solve(q) is not None

    def smallest_cut_q(self, drug: str, doses: list[int]) -> int:
        """The smallest piece of a form (the tablets, or the planner's liquid: the most dilute)
        that makes every one of `doses` -- the smallest amount that stock can take off them."""
        sizes = []
        if all(self.makes(drug, q, None) for q in doses):
            sizes += [s // per for s, per in self.solids.get(drug, ())]
        steps = self.liquid_steps.get(drug)
        if steps and all(q % min(steps) == 0 for q in doses):
            sizes.append(min(steps))  # 0.1 mL of the most dilute liquid
        return min(sizes, default=0)

    def pieces(self, drug: str, q: int, liquid: bool) -> int | None:
        if liquid:
            return 1
        solver = self.solver(drug)
        best = solver.simplest(q) if solver else None
        return best[0][0] if best else None


def _pieces(dose: dict) -> int:
    return sum(1 if u["form"] == "liquid" else -(-Fraction(str(u["count"])) // 1) for u in dose["units"])


def _is_liquid(dose: dict) -> bool:
    return any(u["form"] == "liquid" for u in dose["units"])


def _factor(plan: dict, drug: str) -> float | None:
    for info in plan.get("drugs", ()):
        if info["drug"] == drug:
            return info["diazepam_factor"]
    return None


def check_quality(plan: dict) -> tuple[list[str], list[str]]:
    """(problems, notes): findings under rules-2 paces are problems, under older paces notes."""
    problems: list[str] = []
    notes: list[str] = []

    def add(day: str, text: str) -> None:
        (problems if pace_on(plan, day).get("rules", 1) >= 2 else notes).append(text)

    stock = _Stock(plan)
    _r3(plan, stock, add)
    _r5(plan, add)
    _r8(plan, add)
    _r9(plan, stock, add)
    _r10(plan, stock, add)
    _r12(plan, add)
    return problems, notes


def _r3(plan, stock, add) -> None:
    steps = plan["steps"]
    nice_said = any(w.startswith(NICE_BAND) for w in plan["warnings"])
    for i, frac, rate, days in cut_rates(plan):
        step, prev = steps[i], steps[i - 1]
        pace = pace_on(plan, step["start"])
        old, new = prev["diazepam_eq_mg"], step["diazepam_eq_mg"]
        if (pace.get("end_band") == "nice" and nice_said and old <= 5 + TOL and old - new <= 1 + TOL
                and days >= pace["interval_days"]):
            continue
        if rate > pace["max_cut_percent"] / 100 + TOL:
            add(step["start"], f"R3: the cut on {step['start']} takes {frac:.1%} after {days} days: faster than"
                               f" {pace['max_cut_percent']}% per {pace['interval_days']} days")
        if frac > SINGLE_CUT_CAP + TOL and step["kind"] != "crossover":
            for drug, mg in prev["daily_mg"].items():
                cut = to_q(Fraction(str(mg))) - to_q(Fraction(str(step["daily_mg"].get(drug, 0.0))))
                doses = [to_q(Fraction(str(d["mg"]))) for d in prev["doses"] if d["drug"] == drug]
                grid = pace.get("cut_grid_mg")
                on_grid = grid is not None and cut == to_q(Fraction(str(grid))) and all(q % cut == 0 for q in doses)
                if cut > 0 and cut > stock.smallest_cut_q(drug, doses) and not on_grid:
                    add(step["start"], f"R3: the cut on {step['start']} takes {frac:.1%}, more than 25%, and more than"
                                       f" the smallest amount the stock can take off")


def _r5(plan, add) -> None:
    steps = plan["steps"]
    if steps[-1]["kind"] != "stop" or len(steps) < 2:
        return
    last = steps[-1]
    pace = pace_on(plan, last["start"])
    if pace.get("rules", 1) < 2:
        return
    run, i = 0, len(steps) - 2
    while i >= 0 and steps[i]["diazepam_eq_mg"] == steps[-2]["diazepam_eq_mg"]:
        run += step_days(steps[i])
        i -= 1
    if run < pace["interval_days"] and not (i < 0 and len(plan["paces"]) > 1):
        add(last["start"], f"R5: the stop on {last['start']} comes {run} days after the last cut, before {pace['interval_days']}")
    final = pace.get("final_dose_eq_mg")
    if final is not None and steps[-2]["diazepam_eq_mg"] > final + TOL:
        add(last["start"], f"R5: the taper stops from {steps[-2]['diazepam_eq_mg']} mg diazepam-equivalent a day,"
                           f" above the final dose of {final} mg")


def _signature(step: dict) -> tuple:
    return tuple((d["time"], d["drug"], d["mg"]) for d in step["doses"])


def _r8(plan, add) -> None:
    """Steps last whole weeks when the interval is in weeks (holds and revisions exempt)."""
    steps = plan["steps"]
    since = {p["since"] for p in plan["paces"][1:]}
    i = 0
    while i < len(steps):
        j, days, kinds = i, 0, set()
        while j < len(steps) and _signature(steps[j]) == _signature(steps[i]) and steps[j]["kind"] != "stop":
            if steps[j]["kind"] != "hold":
                days += step_days(steps[j])
            kinds.add(steps[j]["kind"])
            j += 1
        if j == i:
            i += 1
            continue
        start, end = steps[i]["start"], steps[j - 1]["end"]
        pace = pace_on(plan, start)
        after = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
        revised = any(start < s <= after for s in since)  # a revision cut this run short or long
        interval_weeks = pace["interval_days"] % 7 == 0
        if "crossover" in kinds:
            interval_weeks = (pace.get("crossover_days") or 0) % 7 == 0 and pace.get("crossover_days") is not None
        if interval_weeks and not revised and days % 7:
            add(start, f"R8: the doses from {start} last {days} days, not whole weeks (interval {pace['interval_days']} days)")
        i = j


def _r9(plan, stock, add) -> None:
    """Doses of one drug at different times are equal unless the stock cannot split the total equally."""
    steps = plan["steps"]
    ref = None
    for k, step in enumerate(steps):
        if k and _signature(step) != _signature(steps[k - 1]):
            ref = steps[k - 1]
        if step["kind"] in ("start", "crossover", "stop") or ref is None:
            continue
        if pace_on(plan, step["start"]).get("cut_order", "even") != "even":
            continue
        by_drug: dict[str, list[dict]] = {}
        for d in step["doses"]:
            by_drug.setdefault(d["drug"], []).append(d)
        for drug, doses in by_drug.items():
            if len({d["mg"] for d in doses}) < 2:
                continue
            total = sum(to_q(Fraction(str(d["mg"]))) for d in doses)
            n = len(doses)
            if total % n:
                continue
            x = total // n
            before = {d["time"]: to_q(Fraction(str(d["mg"]))) for d in ref["doses"] if d["drug"] == drug}
            if any(x > before.get(d["time"], 0) for d in doses):
                continue
            grid = pace_on(plan, step["start"]).get("cut_grid_mg")
            grid_q = to_q(Fraction(str(grid))) if grid else 0
            if grid_q and all(q % grid_q == 0 for q in before.values()) and x % grid_q:
                continue  # the clinician's fixed cut keeps doses on its multiples
            liquid = next((u["mg_per_ml"] for d in doses for u in d["units"] if u["form"] == "liquid"), None)
            if not stock.makes(drug, x, liquid):
                continue
            factor = _factor(plan, drug) or 1.0
            pieces = stock.pieces(drug, x, liquid is not None)
            if pieces is not None and pieces > MAX_PIECES and x / 10000 * factor <= PIECE_LIMIT_EQ:
                continue
            add(step["start"], f"R9: step {step['index']} gives {drug} {', '.join(str(d['mg']) for d in doses)} mg"
                               f" where {x / 10000:g} mg at each time could be made")


def _r10(plan, stock, add) -> None:
    liquid_since: dict[str, str] = {}
    for step in plan["steps"]:
        for dose in step["doses"]:
            drug, where = dose["drug"], f"step {step['index']} {dose['time']}"
            forms = {u["form"] == "liquid" for u in dose["units"]}
            if forms == {True, False}:
                add(step["start"], f"R10: {where} mixes tablets and liquid")
            if True in forms:
                liquid_since.setdefault(drug, step["start"])
            elif drug in liquid_since:
                add(step["start"], f"R10: {where} goes back to tablets after the liquid started on {liquid_since[drug]}")
            if step["kind"] == "start":
                continue
            factor = _factor(plan, drug)
            pieces = _pieces(dose)
            if factor is not None and pieces > MAX_PIECES and dose["mg"] * factor <= PIECE_LIMIT_EQ + TOL:
                fewest = stock.pieces(drug, to_q(Fraction(str(dose["mg"]))), True in forms)
                if fewest is not None and fewest <= MAX_PIECES:
                    add(step["start"], f"R10: {where} needs {pieces} pieces where {fewest} would do"
                                       f" (at most {MAX_PIECES} up to {PIECE_LIMIT_EQ} mg diazepam-equivalent)")
            if True not in forms and any(Fraction(str(u["count"])).denominator != 1 for u in dose["units"]):
                solver = stock.solver(drug)
                whole = solver.solve(to_q(Fraction(str(dose["mg"]))), whole_only=True) if solver else None
                if whole is not None and whole[0][0] <= pieces + 1 and (whole[0][0] <= MAX_PIECES or pieces > MAX_PIECES):
                    add(step["start"], f"R10: {where} splits a tablet where {whole[0][0]} whole tablets make {dose['mg']} mg")


def _r12(plan, add) -> None:
    if plan.get("rules", 1) < 2:
        return
    stated = plan.get("fastest_rate_percent")
    actual = fastest_rate_percent(plan)
    if stated is None or abs(stated - actual) > 0.01:
        add(plan["steps"][-1]["start"], f"R12: the plan states its fastest cut as {stated}% per interval; it is {actual}%")
    steps = plan["steps"]
    since = {p["since"] for p in plan["paces"][1:]}
    said = any(w.startswith(STRETCHED) for w in plan["warnings"])
    for i, _, _, days in cut_rates(plan):
        step = steps[i]
        pace = pace_on(plan, step["start"])
        if step["kind"] != "reduce" or days <= 2 * pace["interval_days"] or said:
            continue
        j, held = i - 1, False
        first = steps[i - 1]["start"]
        while j >= 0 and steps[j]["diazepam_eq_mg"] == steps[i - 1]["diazepam_eq_mg"]:
            held |= steps[j]["kind"] in ("hold", "crossover")
            first = steps[j]["start"]
            j -= 1
        if held or any(first < s <= step["start"] for s in since):
            continue
        add(step["start"], f"R12: the wait before the cut on {step['start']} ({days} days) is more than twice the"
                           f" interval and the plan does not say so")


def check_legacy_pace(plan: dict) -> list[str]:
    """The first engine's R3/R5 for cuts planned under a pace without `"rules": 2`."""
    problems = []
    steps = plan["steps"]
    for i, frac, rate, days in cut_rates(plan) + _legacy_stops(plan):
        step, prev = steps[i], steps[i - 1]
        pace = pace_on(plan, step["start"])
        if pace.get("rules", 1) >= 2:
            continue
        old, new = prev["diazepam_eq_mg"], step["diazepam_eq_mg"]
        interval = pace["interval_days"]
        if old > pace["end_phase_eq_mg"] + TOL:
            if rate > pace["max_cut_percent"] / 100 + TOL:
                problems.append(f"R3: the cut on {step['start']} takes {frac:.1%} after {days} days: faster than"
                                f" {pace['max_cut_percent']}% per {interval} days")
            if frac > SINGLE_CUT_CAP + TOL:
                problems.append(f"R3: the cut on {step['start']} takes {frac:.1%}, more than 25%")
        else:
            if old - new > pace["end_step_eq_mg"] + TOL:
                problems.append(f"R5: the end-phase cut on {step['start']} takes {old - new:.4g} mg, more than the end step"
                                f" {pace['end_step_eq_mg']} mg")
            if days < interval and step["kind"] != "crossover":
                problems.append(f"R5: the end-phase cut on {step['start']} comes {days} days after the last, before {interval}")
    return problems


def _legacy_stops(plan: dict) -> list[tuple[int, float, float, int]]:
    steps = plan["steps"]
    if len(steps) < 2 or steps[-1]["kind"] != "stop":
        return []
    run, j = 0, len(steps) - 2
    while j >= 0 and steps[j]["diazepam_eq_mg"] == steps[-2]["diazepam_eq_mg"]:
        run += step_days(steps[j])
        j -= 1
    return [(len(steps) - 1, 1.0, float("inf"), run)]

