"""What the pharmacy dispenses, period by period: each product's quantity is the
sum of the units the patient takes on the days of the period, read from the
one answer to "what is taken on day D" (`InForce`), so the order can never
disagree with the calendar.

Solid units are counted in whole tablets or capsules to dispense (a half taken
on 11 days is 5.5 tablets used, 6 dispensed), with the split the product needs;
a liquid in mL and in bottles. Directions are one line per run of days with the
same doses, as a pharmacist's label would say them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from taperdesk.core.in_force import InForce
from taperdesk.core.quantity import fmt_mg

SUPPLY_DAYS = (7, 14, 28)
DEFAULT_SUPPLY_DAYS = 28
BOTTLE_ML = 100  # the usual pack of a benzodiazepine oral solution (e.g. diazepam 2 mg/5 mL, 100 mL)
TIME_ORDER = ("morning", "midday", "evening", "night")


@dataclass(frozen=True, order=True)
class Product:
    """One thing to dispense: drug, form and strength (mg per tablet/capsule, or mg per mL)."""

    drug: str
    form: str  # tablet | capsule | liquid
    strength: float

    def label(self) -> str:
        if self.form == "liquid":
            return f"{self.drug} oral solution {fmt_mg(self.strength)} mg/mL"
        return f"{self.drug} {fmt_mg(self.strength)} mg {self.form}s"


@dataclass(frozen=True)
class Line:
    product: Product
    used: Fraction  # tablets/capsules (may be halves) or mL taken over the days
    split: str  # "", "halves", "quarters"

    @property
    def dispense(self) -> int:
        """Whole tablets or capsules to hand out, or bottles for a liquid."""
        if self.product.form == "liquid":
            return math.ceil(self.used / BOTTLE_ML)
        return math.ceil(self.used)

    def quantity_words(self) -> str:
        if self.product.form == "liquid":
            n = self.dispense
            return f"{fmt_mg(float(self.used), 1)} mL: {n} × {BOTTLE_ML} mL bottle{'s' if n != 1 else ''}"
        return f"{self.dispense} {self.product.form}{'s' if self.dispense != 1 else ''}"


@dataclass(frozen=True)
class Direction:
    first: date
    last: date
    text: str  # "morning 9 mg (one 5 mg tablet and two 2 mg tablets); night ..."


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    lines: tuple[Line, ...]
    directions: tuple[Direction, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _split(count: Fraction) -> str:
    part = count - math.floor(count)
    if part in (Fraction(1, 4), Fraction(3, 4)):
        return "quarters"
    if part == Fraction(1, 2):
        return "halves"
    return ""


def _direction_text(answer) -> str:
    from taperdesk.core.words import units_in_words

    ordered = sorted(answer.doses, key=lambda d: TIME_ORDER.index(d.time) if d.time in TIME_ORDER else 9)
    return "; ".join(f"{d.time} {fmt_mg(d.mg)} mg {d.drug} ({units_in_words(d.units)})" for d in ordered)


def period_of(course: InForce, first: date, last: date) -> Period:
    used: dict[Product, Fraction] = {}
    splits: dict[Product, set[str]] = {}
    directions: list[Direction] = []
    for answer in course.days(first, last):
        text = _direction_text(answer) if answer.in_force and answer.doses else "no doses"
        if directions and directions[-1].text == text:
            directions[-1] = Direction(directions[-1].first, answer.day, text)
        else:
            directions.append(Direction(answer.day, answer.day, text))
        if not answer.in_force:
            continue
        for dose in answer.doses:
            for unit in dose.units:
                if unit.form == "liquid":
                    product = Product(dose.drug, "liquid", float(unit.mg_per_ml))
                    used[product] = used.get(product, Fraction(0)) + Fraction(unit.ml)
                else:
                    product = Product(dose.drug, unit.form, float(unit.strength_mg))
                    used[product] = used.get(product, Fraction(0)) + Fraction(unit.count)
                    splits.setdefault(product, set()).add(_split(Fraction(unit.count)))
    lines = []
    for product in sorted(used):
        kinds = splits.get(product, set())
        split = "quarters" if "quarters" in kinds else "halves" if "halves" in kinds else ""
        lines.append(Line(product, used[product], split))
    return Period(first, last, tuple(lines), tuple(directions))


def supply_span(course: InForce, from_day: date) -> tuple[date, date] | None:
    """From `from_day` (or the plan's start) to the last day a dose is taken; a
    dose that continues without end is supplied for one period at a time (None
    when nothing is left to take)."""
    first = max(from_day, course.plan.start)
    last = course.last_day()
    if course.status == "completed":
        return None
    if last is None:
        return first, first  # the caller supplies one period
    # the stop day and after carry no doses: end on the last day with one
    while last >= first and not course.on(last).doses:
        last -= timedelta(days=1)
    return (first, last) if last >= first else None


def supply_periods(course: InForce, from_day: date, days: int = DEFAULT_SUPPLY_DAYS) -> list[Period]:
    """The order split into periods of `days` (7, 14 or 28) from `from_day`."""
    if days not in SUPPLY_DAYS:
        raise ValueError(f"a supply period is {', '.join(map(str, SUPPLY_DAYS))} days, not {days}")
    span = supply_span(course, from_day)
    if span is None:
        return []
    first, last = span
    if course.last_day() is None:
        last = first + timedelta(days=days - 1)
    out = []
    while first <= last:
        end = min(last, first + timedelta(days=days - 1))
        out.append(period_of(course, first, end))
        first = end + timedelta(days=1)
    return out


def totals(periods: list[Period]) -> tuple[Line, ...]:
    """The whole order per product: units used, and what the periods dispense together."""
    used: dict[Product, Fraction] = {}
    splits: dict[Product, str] = {}
    for period in periods:
        for line in period.lines:
            used[line.product] = used.get(line.product, Fraction(0)) + line.used
            if line.split and splits.get(line.product) != "quarters":
                splits[line.product] = line.split
    return tuple(Line(p, used[p], splits.get(p, "")) for p in sorted(used))


def dispensed_total(periods: list[Period], product: Product) -> int:
    """What the periods hand out together (each period rounds up its own)."""
    return sum(line.dispense for period in periods for line in period.lines if line.product == product)
