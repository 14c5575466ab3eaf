"""What each day of the handout's calendar says, from the one answer to "what does
the patient take on day D" (core.in_force): the label (START, NEW DOSE, HOLD…),
whether the doses change that day, and each dose in the front page's words with
a number glued to its unit, so a line never breaks between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from taperdesk.core.in_force import DayDoses
from taperdesk.core.words import units_in_words
from taperdesk.export.patient_text import TIME_LABELS, dose_mg

LABELS = {"start": "START", "cut": "NEW DOSE", "switch": "NEW DOSE", "hold": "HOLD", "stop": "STOP",
          "paused": "PAUSED", "taper_ended": "SAME DOSE"}
TIME_ORDER = ("morning", "midday", "evening", "night")

_UNIT = re.compile(r"(\d[\d.,/½¼¾]*) (mg|mL|ml|tablets?|capsules?|days?)\b")


def nb(text: str) -> str:
    """A number glued to its unit by a non-breaking space, so a line never breaks between them."""
    return _UNIT.sub(lambda m: f"{m.group(1)}\u00a0{m.group(2)}", text)


@dataclass(frozen=True)
class CellDose:
    """One dose as a day cell says it: 'Morning' '9 mg' (bold) [drug] and the words."""

    time: str
    mg: str
    drug: str
    words: str


@dataclass(frozen=True)
class DayCell:
    day: date
    in_plan: bool
    label: str  # "", "START", "NEW DOSE", "HOLD", "STOP", "PAUSED", "SAME DOSE"
    thick: bool  # the doses change on this day
    hold: bool
    doses: tuple[CellDose, ...]
    note: str  # the stop day's words


def day_cell(answer: DayDoses, *, multi: bool) -> DayCell:
    """What one day's cell prints, from the in-force answer for that day."""
    if answer.state == "stop_day":
        return DayCell(answer.day, True, "STOP", True, False, (), "No more doses")
    if not (answer.in_force or answer.draft) or not answer.doses:
        return DayCell(answer.day, False, "", False, False, (), "")
    label = LABELS.get(answer.change, "")
    if not label and answer.state == "hold":
        label = "HOLD"
    ordered = sorted(answer.doses, key=lambda d: TIME_ORDER.index(d.time) if d.time in TIME_ORDER else 9)
    doses = tuple(CellDose(TIME_LABELS.get(d.time, d.time.title()), nb(dose_mg(d)), d.drug if multi else "",
                           nb(units_in_words(d.units))) for d in ordered)
    return DayCell(answer.day, True, label, answer.dose_change, answer.state == "hold", doses, "")
