"""Dates on the command line: YYYY-MM-DD, read so that each kind of mistake gets
its own message ("2027-02-30" is a real-looking date that does not exist, not
a badly written one), and only within years a clinic could mean."""

from __future__ import annotations

import re
from datetime import date

from taperdesk.cli.errors import UsageError

_SHAPE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_date(flag: str, text: str) -> date:
    """The date `text` for option `flag`, or UsageError saying what to fix."""
    match = _SHAPE.match(text or "")
    if match is None:
        raise UsageError(f"{flag} {text!r}: write the date as YYYY-MM-DD, e.g. 2026-12-01")
    year, month, day = (int(g) for g in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(f"{flag} {text!r}: the year must be from {FIRST_YEAR} to {LAST_YEAR}")
    if not 1 <= month <= 12:
        raise UsageError(f"{flag} {text!r}: there is no month {month}; months go from 01 to 12")
    try:
        return date(year, month, day)
    except ValueError:
        raise UsageError(f"{flag} {text!r}: {MONTHS[month - 1]} {year} has no day {day}") from None
