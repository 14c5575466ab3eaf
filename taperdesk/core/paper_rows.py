"""Which days a paper covers, and the doses as CSV rows: both from the one
answer to "what is taken on day D" (InForce), so the CSV, the calendar file and
the handout agree day by day.

The CSV names the drug of every dose (a crossover day has two), carries the
patient identifier and the plan revision on every row, and says why a day has
its doses (step, hold, paused, taper ended...)."""

from __future__ import annotations

import calendar
import csv
import io
from datetime import date

from taperdesk.core.in_force import InForce
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_compact

CSV_HEADER = ["patient", "revision", "date", "status", "why", "change",
              *[f"{t}_{x}" for t in TIMES for x in ("drug", "mg", "units")], "diazepam_eq_mg"]


def paper_span(course: InForce, printed_on: date) -> tuple[date, date] | None:
    """The days a patient's paper covers: from the printing month (months
    already past are left out) to the last day anything changes or is taken;
    a dose that continues without end (paused, taper ended, a plan to a dose
    above zero) is shown to the end of the month after printing, or the plan's
    end if later. None when there is nothing to take (a completed plan)."""
    plan = course.plan
    if course.status == "completed":
        return None
    first = max(plan.start, date(printed_on.year, printed_on.month, 1))
    last = course.last_day()
    if last is None:
        after = date(printed_on.year + (printed_on.month == 12), printed_on.month % 12 + 1, 1)
        last = max(date(after.year, after.month, calendar.monthrange(after.year, after.month)[1]),
                   plan.end if course.status in ("active", "draft") else first)
    if last < first:
        return None
    return first, last


def course_csv(course: InForce, *, identifier: str, revision: int, first: date | None = None,
               last: date | None = None) -> str:
    """One row per day from `first` (default the plan's start) to `last`
    (default the last day that matters), every dose with its drug."""
    first = first or course.plan.start
    if last is None:
        last = course.last_day() or course.horizon()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for answer in course.days(first, last):
        by_time = {d.time: d for d in answer.doses} if (answer.in_force or answer.draft) else {}
        cells = []
        for t in TIMES:
            d = by_time.get(t)
            cells += [d.drug, fmt_mg(d.mg), units_compact(d.units)] if d else ["", "", ""]
        eq = "" if answer.eq_mg is None else fmt_mg(answer.eq_mg)
        writer.writerow([identifier, revision, answer.day.isoformat(), answer.status, answer.state, answer.change,
                         *cells, eq])
    return out.getvalue()
