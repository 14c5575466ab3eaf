"""Dates as a clinic types and reads them.

A clinic writes a birth date its own way: 12/03/1956 is 12 March in the UK
and most of the world, and 3 December in the US. The clinic's convention is
taken from its paper size (the one setting that already says where it is):
Letter paper means the US order, month first; A4 means day first. ISO
(1956-03-12) is understood everywhere, and a date with dots (12.3.1956) is
day first everywhere that writes dots. Pure Python, no Qt."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_SLASHED = re.compile(r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})\s*$")


def day_first_for(paper_size: str) -> bool:
    """US Letter: month first (03/12/1956); anything else: day first (12/03/1956)."""
    return paper_size.strip().lower() != "letter"


def parse_typed_date(text: str, *, day_first: bool = True) -> date | None:
    """The date `text` means in the clinic's convention, or None if it is not a whole date."""
    m = _ISO.match(text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _SLASHED.match(text)
        if m:
            a, sep, b, year = int(m[1]), m[2], int(m[3]), int(m[4])
            if sep == "." or day_first:
                return date(year, b, a)
            return date(year, a, b)
    except ValueError:
        return None
    return None


def format_date(day: date, *, day_first: bool = True) -> str:
    """How the clinic writes a date: 12/03/1956 (day first) or 03/12/1956 (US)."""
    return f"{day:%d/%m/%Y}" if day_first else f"{day:%m/%d/%Y}"
