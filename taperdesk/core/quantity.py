"""Exact dose arithmetic.

Doses are kept as integers in units of 0.1 microgram (`Q` per mg) so that a
quarter of a 3.75 mg tablet (0.9375 mg) or 0.1 mL of a 0.4 mg/mL liquid
(0.04 mg) add up exactly: a dose is dispensable only if its units sum to it
*exactly*, and floats cannot promise that.
"""

from __future__ import annotations

from fractions import Fraction

Q = 10_000  # quantity units per mg


def to_q(mg: float | Fraction | str) -> int:
    """mg -> integer units, refusing amounts finer than 0.1 microgram."""
    exact = Fraction(str(mg)) if isinstance(mg, float) else Fraction(mg)
    q = exact * Q
    if q.denominator != 1:
        raise ValueError(f"{mg} mg is finer than 0.0001 mg")
    return int(q)


def to_mg(q: int) -> float:
    return q / Q


def fmt_mg(mg: float | Fraction, places: int = 4) -> str:
    """'10', '2.5', '0.0625' — no trailing zeros, as a clinician writes a dose."""
    text = f"{float(mg):.{places}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def round_mg(value: Fraction | float, places: int = 6) -> float:
    """A stable float for JSON (same input, same bytes)."""
    return round(float(value), places)
