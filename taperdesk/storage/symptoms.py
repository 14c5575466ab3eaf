"""Symptom entries, append-only. A correction is a new row that supersedes the
old one; a retraction is a new row marked retracted, with a reason. Each row can
be superseded once (a unique column), so the versions of an entry form one chain
and "current" means: not superseded, not retracted. Staff may record symptoms."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from peewee import JOIN

from taperdesk.storage import audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import PatientRow, SymptomEntryRow
from taperdesk.storage.records import Clinician, SymptomEntry
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now

MAX_ITEM_SCORE = 10  # the widest item range in use (daily 0-10); scales check their own


_COLUMNS = ("id", "patient_id", "date", "scale", "items", "total", "entered_by_id", "entered_at", "note",
            "supersedes_id", "retracted", "retraction_reason")
ENTRY_SQL = "SELECT " + ", ".join(_COLUMNS) + " FROM symptom_entry"


def entry_from_tuple(t: tuple) -> SymptomEntry:
    """Build from a raw row of ENTRY_SQL: no model objects, for long histories."""
    return SymptomEntry(t[0], t[1], dt.date.fromisoformat(t[2]), t[3], json.loads(t[4]), t[5], t[6],
                        from_utc_text(t[7]), t[8], t[9], bool(t[10]), t[11])


def to_entry(row: SymptomEntryRow) -> SymptomEntry:
    return SymptomEntry(row.id, row.patient_id, row.date, row.scale, json.loads(row.items), row.total,
                        row.entered_by_id, from_utc_text(row.entered_at), row.note, row.supersedes_id,
                        bool(row.retracted), row.retraction_reason)


def _clean_items(scale: str, items: Mapping[str, int]) -> tuple[str, int]:
    if not scale.strip():
        raise InvalidInputError("A symptom entry needs a scale.")
    if not items:
        raise InvalidInputError("A symptom entry needs at least one item score.")
    for key, value in items.items():
        if not isinstance(key, str) or not key:
            raise InvalidInputError("Item names must be non-empty text.")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ITEM_SCORE:
            raise InvalidInputError(f"Item {key!r}: score must be a whole number 0-{MAX_ITEM_SCORE}, not {value!r}.")
    return json.dumps(dict(items), sort_keys=True, separators=(",", ":")), sum(items.values())


def _check_date(date: dt.date) -> None:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InvalidInputError("The entry date must be a date.")
    if date > dt.date.today() + dt.timedelta(days=1):
        raise InvalidInputError(f"The entry date {date.isoformat()} is in the future.")


def add_symptom_entry(*, patient_id: int, date: dt.date, scale: str, items: Mapping[str, int],
                      author: Clinician | int, note: str = "",
                      entered_at: dt.datetime | None = None) -> SymptomEntry:
    """Record a new entry; the total is the sum of the item scores."""
    _check_date(date)
    items_text, total = _clean_items(scale, items)
    with writing():
        author_row = audit.resolve_author(author)
        if not PatientRow.select().where(PatientRow.id == patient_id).exists():
            raise NotFoundError(f"No patient with id {patient_id}.")
        row = SymptomEntryRow.create(
            patient=patient_id, date=date, scale=scale.strip(), items=items_text, total=total,
            entered_by=author_row.id, entered_at=to_utc_text(entered_at or utc_now()), note=note)
        audit.record(author_row, "create", "symptom_entry", row.id,
                     f"{scale} {date.isoformat()} total {total} for patient {patient_id}")
        return to_entry(row)


def _current_row(entry_id: int) -> SymptomEntryRow:
    row = SymptomEntryRow.get_or_none(SymptomEntryRow.id == entry_id)
    if row is None:
        raise NotFoundError(f"No symptom entry with id {entry_id}.")
    newer = SymptomEntryRow.get_or_none(SymptomEntryRow.supersedes == entry_id)
    if newer is not None:
        raise InvalidInputError(f"Entry {entry_id} was already replaced by entry {newer.id}; change that one.")
    if row.retracted:
        raise InvalidInputError(f"Entry {entry_id} is a retraction; it cannot be changed.")
    return row


def correct_symptom_entry(*, entry_id: int, items: Mapping[str, int], author: Clinician | int,
                          note: str, date: dt.date | None = None,
                          entered_at: dt.datetime | None = None) -> SymptomEntry:
    """Append a corrected version of an entry; the old version stays in the history."""
    if not note.strip():
        raise InvalidInputError("Say why the entry is corrected.")
    with writing():
        author_row = audit.resolve_author(author)
        old = _current_row(entry_id)
        new_date = date or old.date
        _check_date(new_date)
        items_text, total = _clean_items(old.scale, items)
        row = SymptomEntryRow.create(
            patient=old.patient_id, date=new_date, scale=old.scale, items=items_text, total=total,
            entered_by=author_row.id, entered_at=to_utc_text(entered_at or utc_now()), note=note.strip(),
            supersedes=old.id)
        audit.record(author_row, "correct", "symptom_entry", row.id,
                     f"corrected entry {old.id}: total {old.total} -> {total}: {note}")
        return to_entry(row)


def retract_symptom_entry(*, entry_id: int, reason: str, author: Clinician | int,
                          entered_at: dt.datetime | None = None) -> SymptomEntry:
    """Withdraw an entry (entered for the wrong patient, say). A retraction row is
    appended, carrying the retracted scores so the history shows what was withdrawn."""
    if not reason.strip():
        raise InvalidInputError("Say why the entry is retracted.")
    with writing():
        author_row = audit.resolve_author(author)
        old = _current_row(entry_id)
        row = SymptomEntryRow.create(
            patient=old.patient_id, date=old.date, scale=old.scale, items=old.items, total=old.total,
            entered_by=author_row.id, entered_at=to_utc_text(entered_at or utc_now()), note="",
            supersedes=old.id, retracted=True, retraction_reason=reason.strip())
        audit.record(author_row, "retract", "symptom_entry", row.id, f"retracted entry {old.id}: {reason}")
        return to_entry(row)


def symptom_entries(*, patient_id: int, scale: str | None = None, include_history: bool = False,
                    since: dt.date | None = None, until: dt.date | None = None) -> list[SymptomEntry]:
    """A patient's entries by date. By default only current versions (what a chart
    shows); include_history=True gives every version, retractions included."""
    with reading():
        newer = SymptomEntryRow.alias()
        query = SymptomEntryRow.select(SymptomEntryRow).where(SymptomEntryRow.patient == patient_id)
        if not include_history:
            query = (query.join(newer, JOIN.LEFT_OUTER, on=(newer.supersedes == SymptomEntryRow.id))
                     .where(newer.id.is_null() & (SymptomEntryRow.retracted == False)))  # noqa: E712
        if scale is not None:
            query = query.where(SymptomEntryRow.scale == scale)
        if since is not None:
            query = query.where(SymptomEntryRow.date >= since)
        if until is not None:
            query = query.where(SymptomEntryRow.date <= until)
        query = query.order_by(SymptomEntryRow.date, SymptomEntryRow.id)
        return [to_entry(r) for r in query]
