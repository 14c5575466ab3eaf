"""The clinic's day: who to call, review, hold or see off today, for the whole
clinic at once. One function, `today_list`, answers it for the Today view and
for `taperdesk today`, so the screen, the printout and the command agree.

It reads the kept attention table (storage/attention.py), not the clinic's
whole history: the groups are counted, ordered and cut into pages in SQL
(storage/day_list.py), and even what to tell a patient whose dose changes
("Your morning dose changes from 2.5 mg to 2 mg diazepam today.",
core.in_force's words) is kept with the row, so no plan is parsed. The Today
view asks for the counts and for the pages of each group it shows
(`today_opening`, then `today_items`); the command and the printout ask for all of
it (`today_list`), through the same words. Each item names the tab of the
patient page that answers it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from taperdesk import storage
from taperdesk.core.supervision import format_day

PAUSED_TOO_LONG_DAYS = 28  # NHS Scotland: reduce every 2-4 weeks; a pause longer than that needs a decision
REVIEW_AHEAD_DAYS = 7
ENDING_WITHIN_DAYS = 7

# group key -> title, in the order the list shows them
GROUPS = {
    "flares": "Flares: consider a hold",
    "changes": "Dose changes today or tomorrow: tell the patient",
    "reviews": "Reviews due or overdue (booked, or 3 months since the last)",
    "attention": "Other reasons to get in touch",
    "supplies": "Supplies due for re-issue today or tomorrow",
    "paused": f"Paused for more than {PAUSED_TOO_LONG_DAYS} days",
    "ending": "Plans ending this week",
}
TABS = ("plan", "symptoms", "history")


@dataclass(frozen=True)
class TodayItem:
    group: str
    patient_id: int
    name: str
    identifier: str
    phone: str
    what: str           # the line the clinician reads
    evidence: str = ""  # why, where there is more to say (a flare's numbers)
    when: date | None = None
    tab: str = "plan"   # the patient page's tab that answers it


@dataclass(frozen=True)
class TodayList:
    day: date
    items: tuple[TodayItem, ...]

    def group(self, key: str) -> tuple[TodayItem, ...]:
        return tuple(i for i in self.items if i.group == key)

    def counts(self) -> dict[str, int]:
        return {key: len(self.group(key)) for key in GROUPS}

    def patients(self) -> int:
        return len({i.patient_id for i in self.items})


@dataclass(frozen=True)
class TodayOpening:
    """What the Today view opens with: each group's count, the number of
    patients, and each group's first lines (the rest come as they scroll into view)."""

    day: date
    by_group: dict[str, int]
    patients: int
    first: dict[str, tuple[TodayItem, ...]]

    def counts(self) -> dict[str, int]:
        return dict(self.by_group)


def _rules() -> storage.DayListRules:
    from taperdesk.storage.paper_records import paper_settings

    return storage.DayListRules(review_every_days=storage.flare_rule().review_every_days,
                                 review_ahead_days=REVIEW_AHEAD_DAYS, ending_within_days=ENDING_WITHIN_DAYS,
                                 paused_longer_than_days=PAUSED_TOO_LONG_DAYS,
                                 supply_days=paper_settings().supply_days)


def _texts(text: str | None) -> list[str]:
    return [str(t) for t in json.loads(text)] if text else []


def _worded(row: storage.DayListItem, day: date) -> TodayItem:
    """A stored line as the clinician reads it."""
    who = (row.group, row.patient_id, row.name, row.identifier, row.phone)
    when = row.when
    if row.group == "flares":
        return TodayItem(*who, row.what or "", " ".join(_texts(row.more)), None, "symptoms")
    if row.group == "changes":
        words = " ".join(_texts(row.what)) or (row.more or "")
        said = "Today" if when == day else "Tomorrow"
        return TodayItem(*who, f"{said} ({format_day(when, day)}): {words}", f"New daily dose: {row.more}",
                         when, "plan")
    if row.group == "reviews":
        if row.what == "booked":
            said = "today" if when == day else f"on {format_day(when, day)}"
            return TodayItem(*who, f"Review booked {said}" + (" (overdue)" if when < day else ""), "", when,
                             "history")
        if row.what == "due":
            last = date.fromisoformat(row.more) if row.more else None
            since = f"last {format_day(last, day)}" if last else "none recorded yet"
            said = "today" if when <= day else "on " + format_day(when, day)
            return TodayItem(*who, f"Review due {said} ({since})", "", when, "history")
        return TodayItem(*who, row.what or "", "", when, "history")  # the overdue reason, with the last review
    if row.group == "attention":
        tab = "symptoms" if (row.what or "").startswith("No symptoms") else "plan"
        return TodayItem(*who, row.what or "", "", when, tab)
    if row.group == "supplies":
        ordered = date.fromisoformat(row.more or "")
        said = "today" if when == day else "tomorrow"
        return TodayItem(*who, f"Supply for {row.what} days from {format_day(when, day)} is due ({said})",
                         f"Pharmacy order printed on {format_day(ordered, day)}", when, "history")
    if row.group == "paused":
        return TodayItem(*who, f"Paused since {format_day(when, day)} ({(day - when).days} days): "
                               "resume, revise or end the taper", "", when, "plan")
    return TodayItem(*who, f"Last day of the plan: {format_day(when, day)}", "", when, "plan")


def today_opening(*, day: date | None = None, per_group: int = 50) -> TodayOpening:
    """How many lines each group has on `day` (default today), how many patients,
    and the first `per_group` lines of each group: one query, whatever the clinic's size."""
    day = day or date.today()
    found = storage.day_list_opening(day, _rules(), per_group)
    return TodayOpening(day, found.counts, found.patients,
                        {key: tuple(_worded(r, day) for r in rows) for key, rows in found.first.items()})


def today_items(*, group: str, day: date | None = None, offset: int = 0, limit: int | None = None) -> tuple[TodayItem, ...]:
    """A page of one group's lines, in the list's order."""
    day = day or date.today()
    return tuple(_worded(r, day) for r in storage.day_list_items(day, _rules(), group, offset=offset, limit=limit))


def today_list(*, day: date | None = None) -> TodayList:
    """Everyone who needs the clinician on `day` (default today), grouped: the whole list."""
    day = day or date.today()
    return TodayList(day, tuple(_worded(r, day) for r in storage.day_list_items(day, _rules())))
