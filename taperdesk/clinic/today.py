"""The clinic's day: who to call, review, hold or see off today, for the whole
clinic at once. One function, `today_list`, answers it for the Today view and
for `taperdesk today`, so the screen, the printout and the command agree.

It reads the kept attention table (storage/attention.py), not the clinic's
whole history: the rows are filtered in SQL, and even what to tell a patient
whose dose changes ("Your morning dose changes from 2.5 mg to 2 mg diazepam
today.", core.in_force's words) is kept with the row, so no plan is parsed.
Each item names the tab of the patient page that answers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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


def _changes(rows, day: date) -> list[TodayItem]:
    """What to tell each patient whose doses change today or tomorrow: the plan's
    own words (core.in_force), kept with the patient's attention row."""
    out = []
    for r in rows:
        a = r.attention
        if a.next_change is None or not day <= a.next_change <= day + timedelta(days=1):
            continue
        when = "Today" if a.next_change == day else "Tomorrow"
        words = " ".join(a.change_words) or a.change_dose
        out.append(TodayItem("changes", a.patient_id, r.name, r.identifier, r.phone,
                             f"{when} ({format_day(a.next_change, day)}): {words}",
                             f"New daily dose: {a.change_dose}", a.next_change, "plan"))
    return out


def _supplies(day: date) -> list[TodayItem]:
    """A printed pharmacy order lists supplies of the plan's supply period from
    the day it was printed: the next one is due when a period starts today or
    tomorrow, while the plan still has doses then."""
    from taperdesk.storage.paper_records import paper_settings

    default = paper_settings().supply_days
    out = []
    for pid, ordered, days, last_day, name, identifier, phone in storage.pharmacy_orders():
        period = days or default
        if day <= ordered:
            continue  # the order was printed today: its first supply goes with it
        start = ordered + timedelta(days=-((ordered - day).days // period) * period)  # first period start >= day
        if start > day + timedelta(days=1) or (last_day is not None and start > last_day):
            continue
        when = "today" if start == day else "tomorrow"
        out.append(TodayItem("supplies", pid, name, identifier, phone,
                             f"Supply for {period} days from {format_day(start, day)} is due ({when})",
                             f"Pharmacy order printed on {format_day(ordered, day)}", start, "history"))
    return out


def today_list(*, day: date | None = None) -> TodayList:
    """Everyone who needs the clinician on `day` (default today), grouped."""
    day = day or date.today()
    rule = storage.flare_rule()
    rows = storage.day_list_rows(day, review_every_days=rule.review_every_days,
                                 review_ahead_days=REVIEW_AHEAD_DAYS, ending_within_days=ENDING_WITHIN_DAYS)
    items: list[TodayItem] = []
    booked = storage.booked_reviews()  # a next review date the clinic set rules over the 3-monthly rule's
    for pid, (on, name, identifier, phone) in booked.items():
        if on <= day + timedelta(days=REVIEW_AHEAD_DAYS - 1):
            when = "today" if on == day else f"on {format_day(on, day)}"
            what = f"Review booked {when}" + (" (overdue)" if on < day else "")
            items.append(TodayItem("reviews", pid, name, identifier, phone, what, "", on, "history"))
    for r in rows:
        a = r.attention
        who = (a.patient_id, r.name, r.identifier, r.phone)
        for reason in a.reasons:
            if reason.startswith("Flare"):
                items.append(TodayItem("flares", *who, reason, " ".join(a.evidence), None, "symptoms"))
            elif reason.startswith("Review overdue"):
                items.append(TodayItem("reviews", *who, reason, "", a.last_review, "history"))
            elif reason.startswith("No symptoms"):
                items.append(TodayItem("attention", *who, reason, "", None, "symptoms"))
            elif reason.startswith("Step change") and a.next_change is not None \
                    and a.next_change <= day + timedelta(days=1):
                continue  # today or tomorrow: the changes group says it, with what to tell them
            else:
                items.append(TodayItem("attention", *who, reason, "", a.next_change, "plan"))
        overdue = any(x.startswith("Review overdue") for x in a.reasons)
        due_from = a.last_review or a.plan_start
        if not overdue and due_from is not None and a.patient_id not in booked:
            due = due_from + timedelta(days=rule.review_every_days)
            if due <= day + timedelta(days=REVIEW_AHEAD_DAYS - 1):
                since = f"last {format_day(a.last_review, day)}" if a.last_review else "none recorded yet"
                items.append(TodayItem("reviews", *who, f"Review due {'today' if due <= day else 'on ' + format_day(due, day)}"
                                       f" ({since})", "", due, "history"))
        if a.status == "paused" and a.paused_since is not None \
                and (day - a.paused_since).days > PAUSED_TOO_LONG_DAYS:
            items.append(TodayItem("paused", *who, f"Paused since {format_day(a.paused_since, day)} "
                                   f"({(day - a.paused_since).days} days): resume, revise or end the taper",
                                   "", a.paused_since, "plan"))
        if a.status == "active" and a.last_day is not None \
                and day <= a.last_day <= day + timedelta(days=ENDING_WITHIN_DAYS - 1):
            items.append(TodayItem("ending", *who, f"Last day of the plan: {format_day(a.last_day, day)}",
                                   "", a.last_day, "plan"))
    items += _changes(rows, day)
    items += _supplies(day)
    order = {key: n for n, key in enumerate(GROUPS)}
    items.sort(key=lambda i: (order[i.group], i.when or date.min, i.name.casefold(), i.patient_id))
    return TodayList(day, tuple(items))
