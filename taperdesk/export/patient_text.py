"""Words and dates as the patient handout prints them.

English names are spelled out here (not strftime) so a machine's locale never
changes what the patient reads. Doses are only formatted, never recomputed: the
amounts come from the plan's steps (`Plan.days()` / `Plan.step_on`)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from taperdesk.core.dispensing import Unit
from taperdesk.core.plan import Dose, Plan, Step
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAYS_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
# What the patient's paper says for a hold; the clinician's reason stays in the record
# (the hold dialog shows this sentence beside the reason field).
HOLD_WORDS = "Your dose stays the same for a while before the next change."
TIME_LABELS = {"morning": "Morning", "midday": "Midday", "evening": "Evening", "night": "Night"}
_FRACTIONS = {Fraction(1, 4): "¼", Fraction(1, 2): "½", Fraction(3, 4): "¾"}


def day_short(d: date, *, year: bool = True) -> str:
    """'Mon 1 Dec 2026' (or 'Mon 1 Dec')."""
    text = f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def day_long(d: date) -> str:
    """'Monday 1 December 2026'."""
    return f"{DAYS_LONG[d.weekday()]} {d.day} {MONTHS_LONG[d.month - 1]} {d.year}"


def date_plain(d: date) -> str:
    """'1 December 2026' (a date of birth, the printed date)."""
    return f"{d.day} {MONTHS_LONG[d.month - 1]} {d.year}"


def month_title(year: int, month: int) -> str:
    return f"{MONTHS_LONG[month - 1]} {year}"


def date_range(first: date, last: date) -> str:
    """'Mon 1 Dec – Sun 14 Dec 2026'; the year once when both ends share it."""
    if first == last:
        return day_short(first)
    return f"{day_short(first, year=first.year != last.year)} – {day_short(last)}"


def times_used(plan: Plan) -> tuple[str, ...]:
    """The times of day any step of the plan has a dose at, in day order."""
    used = {d.time for s in plan.steps for d in s.doses}
    return tuple(t for t in TIMES if t in used)


def drugs_in(plan: Plan) -> tuple[str, ...]:
    seen: list[str] = []
    for s in plan.steps:
        for d in s.doses:
            if d.drug not in seen:
                seen.append(d.drug)
    return tuple(seen)


def dose_mg(dose: Dose) -> str:
    """'9 mg'."""
    return f"{fmt_mg(dose.mg)} mg"


def unit_short(unit: Unit) -> str:
    """'1 × 5 mg', '½ × 2 mg', '1½ × 2 mg', '2.5 mL'."""
    if unit.form == "liquid":
        return f"{fmt_mg(float(unit.ml), 1)} mL"
    whole, part = divmod(Fraction(unit.count), 1)
    count = (str(int(whole)) if whole else "") + _FRACTIONS.get(part, "")
    kind = " capsule" if unit.form == "capsule" else ""
    return f"{count or '0'} × {fmt_mg(unit.strength_mg)} mg{kind}"


def units_short(units: tuple[Unit, ...]) -> str:
    return " + ".join(unit_short(u) for u in units) or "none"


def same_doses(a: Step | None, b: Step | None) -> bool:
    """True when two steps ask for exactly the same doses (a hold, or the rest of a held step)."""
    if a is None or b is None:
        return a is b
    return a.doses == b.doses


def last_dose_day(plan: Plan) -> date | None:
    """The last day with a dose when the plan tapers to zero, else None."""
    if not plan.stops:
        return None
    for step in reversed(plan.steps):
        if step.doses:
            return step.end
    return None
