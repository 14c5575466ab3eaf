"""Doses spelled out for people: in words for patients ("one 5 mg tablet and
half of a 2 mg tablet"), compactly for clinicians ("1 x 5 mg + 1/2 x 2 mg")."""

from __future__ import annotations

from fractions import Fraction

from taperdesk.core.dispensing import Unit
from taperdesk.core.quantity import fmt_mg

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_PARTS = {Fraction(1, 4): "a quarter", Fraction(1, 2): "a half", Fraction(3, 4): "three quarters"}
_ALONE = {Fraction(1, 4): "a quarter of a", Fraction(1, 2): "half of a", Fraction(3, 4): "three quarters of a"}
_COMPACT = {Fraction(1, 4): "1/4", Fraction(1, 2): "1/2", Fraction(3, 4): "3/4"}


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def unit_in_words(unit: Unit) -> str:
    if unit.form == "liquid":
        return f"{fmt_mg(float(unit.ml), 1)} mL of the liquid ({fmt_mg(unit.mg_per_ml)} mg in 1 mL)"
    whole, part = divmod(Fraction(unit.count), 1)
    whole = int(whole)
    thing = f"{fmt_mg(unit.strength_mg)} mg {unit.form}"
    if whole == 0:
        return f"{_ALONE[part]} {thing}"
    plural = "s" if whole > 1 or part else ""
    amount = _number(whole) if not part else f"{_number(whole)} and {_PARTS[part]}"
    return f"{amount} {thing}{plural}"


def units_in_words(units: tuple[Unit, ...]) -> str:
    parts = [unit_in_words(u) for u in units]
    if len(parts) <= 1:
        return "".join(parts) or "nothing"
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def units_compact(units: tuple[Unit, ...]) -> str:
    out = []
    for u in units:
        if u.form == "liquid":
            out.append(f"{fmt_mg(float(u.ml), 1)} mL ({fmt_mg(u.mg_per_ml)} mg/mL)")
            continue
        whole, part = divmod(Fraction(u.count), 1)
        count = " ".join(x for x in (str(int(whole)) if whole else "", _COMPACT.get(part, "")) if x)
        out.append(f"{count} x {fmt_mg(u.strength_mg)} mg{' cap' if u.form == 'capsule' else ''}")
    return " + ".join(out)
