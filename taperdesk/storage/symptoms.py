"""Symptom entries, append-only. A correction is a new row that supersedes the
old one; a retraction is a new row marked retracted, with a reason. Each row can
be superseded once (a unique column), so the versions of an entry form one chain
and "current" means: not superseded, not retracted. Staff may record symptoms.

Each entry keeps the version of the scale definition it was made with
(`scale_version`); its scores are checked by that definition (`score()`), and a
correction or retraction keeps the version of the entry it replaces."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from peewee import JOIN

from taperdesk.core.scales import ScaleDefinition, ScaleError
from taperdesk.storage import attention, audit
from taperdesk.storage import scales as scale_store
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import PatientRow, SymptomEntryRow, db
from taperdesk.storage.records import Clinician, SymptomEntry
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now

REVIEW_SCALES = ("ciwa-b", "bwsq")  # an entry on these is taken at a review (a visit)

_COLUMNS = ("id", "patient_id", "date", "scale", "items", "total", "entered_by_id", "entered_at", "note",
            "supersedes_id", "retracted", "retraction_reason", "scale_version")
ENTRY_SQL = "SELECT " + ", ".join(_COLUMNS) + " FROM symptom_entry"
_CURRENT = "retracted = 0 AND NOT EXISTS (SELECT 1 FROM symptom_entry n WHERE n.supersedes_id = symptom_entry.id)"
# the same for many patients at once: the (few) replaced ids listed once per query rather than
# looked up row by row (a third faster over a 10,000-patient clinic's four weeks)
_CURRENT_BULK = ("retracted = 0 AND id NOT IN (SELECT supersedes_id FROM symptom_entry "
                 "WHERE supersedes_id IS NOT NULL)")
# ... and for one patient (a version is only ever replaced by one of the same patient's):
# its few replaced ids listed once, a quarter faster than a lookup per row over ten years
_CURRENT_OF_PATIENT = ("retracted = 0 AND id NOT IN (SELECT supersedes_id FROM symptom_entry "
                       "WHERE patient_id = ? AND supersedes_id IS NOT NULL)")


_PARSED_LIMIT = 4096  # distinct score texts kept parsed (a daily rating repeats a few dozen)
_parsed: dict[str, dict] = {}


def parsed_items(text: str) -> dict[str, int]:
    """The scores of a stored entry, as a fresh dict. The canonical JSON of a daily
    rating takes a few dozen forms across ten years of entries, so each text is
    parsed once (parsing was two fifths of reading a long history) and copied."""
    found = _parsed.get(text)
    if found is None:
        found = json.loads(text)
        if len(_parsed) >= _PARSED_LIMIT:
            _parsed.clear()
        _parsed[text] = found
    return dict(found)


def entry_from_tuple(t: tuple) -> SymptomEntry:
    """Build from a raw row of ENTRY_SQL: no model objects, for long histories."""
    return SymptomEntry(t[0], t[1], dt.date.fromisoformat(t[2]), t[3], parsed_items(t[4]), t[5], t[6],
                        from_utc_text(t[7]), t[8], t[9], bool(t[10]), t[11], t[12])


def to_entry(row: SymptomEntryRow) -> SymptomEntry:
    return SymptomEntry(row.id, row.patient_id, row.date, row.scale, json.loads(row.items), row.total,
                        row.entered_by_id, from_utc_text(row.entered_at), row.note, row.supersedes_id,
                        bool(row.retracted), row.retraction_reason, row.scale_version)


def _definition(scale: str, version: int | None) -> ScaleDefinition:
    """The definition an entry is checked with: that version, or the current one."""
    if version is None:
        found = scale_store.current_definition(scale)
        if found is None:
            known = ", ".join(scale_store.known_keys())
            raise InvalidInputError(f"There is no symptom scale {scale!r} (the scales are {known}); "
                                    f"a clinic's own scale is added in the settings first.")
        return found
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInputError(f"A scale version is a whole number from 1, not {version!r}.")
    found = scale_store.definition_version(scale, version)
    if found is None:
        latest = scale_store.current_definition(scale)
        hint = f" (the latest is {latest.version})" if latest else ""
        raise InvalidInputError(f"There is no version {version} of the symptom scale {scale!r}{hint}.")
    return found


def _clean_items(definition: ScaleDefinition, items: Mapping[str, int]) -> tuple[str, int, int]:
    """The canonical JSON of the scores, their total and the series value, checked
    by the definition (the value is stored so that no read re-scores the entry)."""
    if not isinstance(items, Mapping) or not items:
        raise InvalidInputError("A symptom entry needs at least one item score.")
    try:
        value = definition.score(items)
        total = definition.total(items)
    except ScaleError as exc:
        raise InvalidInputError(str(exc)) from None
    return json.dumps(dict(items), sort_keys=True, separators=(",", ":")), total, value


def _check_date(date: dt.date) -> None:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InvalidInputError("The entry date must be a date.")
    if date > dt.date.today() + dt.timedelta(days=1):
        raise InvalidInputError(f"The entry date {date.isoformat()} is in the future.")


def add_symptom_entry(*, patient_id: int, date: dt.date, scale: str, items: Mapping[str, int],
                      author: Clinician | int, note: str = "",
                      entered_at: dt.datetime | None = None, scale_version: int | None = None) -> SymptomEntry:
    """Record a new entry made with `scale_version` of the scale's definition (None:
    the current version). The scores are checked by that definition; the total is
    the sum of the item scores."""
    _check_date(date)
    if not isinstance(scale, str) or not scale.strip():
        raise InvalidInputError("A symptom entry needs a scale.")
    if not isinstance(items, Mapping) or not items:
        raise InvalidInputError("A symptom entry needs at least one item score.")
    scale = scale.strip()
    with writing():
        author_row = audit.resolve_author(author, operation="record_symptoms")
        patient = PatientRow.get_or_none(PatientRow.id == patient_id)
        if patient is None:
            raise NotFoundError(f"No patient with id {patient_id}.")
        definition = _definition(scale, scale_version)
        if not definition.usable:  # a licensed scale whose wording the clinic has not entered
            raise InvalidInputError(f"{definition.title} cannot be used yet: {definition.needs_wording}")
        items_text, total, value = _clean_items(definition, items)
        row = SymptomEntryRow.create(
            patient=patient_id, date=date, scale=scale, items=items_text, total=total,
            entered_by=author_row.id, entered_at=to_utc_text(entered_at or utc_now()), note=note,
            scale_version=definition.version, series_value=value)
        audit.record(author_row, "create", "symptom_entry", row.id,
                     f"{scale} {date.isoformat()} total {total} for {audit.patient_words(patient)}")
        attention.refresh([patient_id])
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
        author_row = audit.resolve_author(author, operation="record_symptoms")
        old = _current_row(entry_id)
        new_date = date or old.date
        _check_date(new_date)
        items_text, total, value = _clean_items(_definition(old.scale, old.scale_version), items)
        row = SymptomEntryRow.create(
            patient=old.patient_id, date=new_date, scale=old.scale, items=items_text, total=total,
            entered_by=author_row.id, entered_at=to_utc_text(entered_at or utc_now()), note=note.strip(),
            supersedes=old.id, scale_version=old.scale_version, series_value=value)
        audit.record(author_row, "correct", "symptom_entry", row.id,
                     f"corrected the {old.scale} entry of {old.date} for {audit.patient_words(old.patient)}:"
                     f" total {old.total} -> {total}: {note}")
        attention.refresh([old.patient_id])
        return to_entry(row)


def retract_symptom_entry(*, entry_id: int, reason: str, author: Clinician | int,
                          entered_at: dt.datetime | None = None) -> SymptomEntry:
    """Withdraw an entry (entered for the wrong patient, say). A retraction row is
    appended, carrying the retracted scores so the history shows what was withdrawn."""
    if not reason.strip():
        raise InvalidInputError("Say why the entry is retracted.")
    with writing():
        author_row = audit.resolve_author(author, operation="record_symptoms")
        old = _current_row(entry_id)
        row = SymptomEntryRow.create(
            patient=old.patient_id, date=old.date, scale=old.scale, items=old.items, total=old.total,
            entered_by=author_row.id, entered_at=to_utc_text(entered_at or utc_now()), note="",
            supersedes=old.id, retracted=True, retraction_reason=reason.strip(), scale_version=old.scale_version,
            series_value=old.series_value)
        audit.record(author_row, "retract", "symptom_entry", row.id,
                     f"retracted the {old.scale} entry of {old.date} for {audit.patient_words(old.patient)}: {reason}")
        attention.refresh([old.patient_id])
        return to_entry(row)


def symptom_entries(*, patient_id: int, scale: str | None = None, include_history: bool = False,
                    since: dt.date | None = None, until: dt.date | None = None) -> list[SymptomEntry]:
    """A patient's entries by date. By default only current versions (what a chart
    shows); include_history=True gives every version, retractions included."""
    sql, params = ENTRY_SQL + " WHERE patient_id = ?", [patient_id]
    if not include_history:
        sql += " AND " + _CURRENT_OF_PATIENT
        params.append(patient_id)
    for clause, value in (("scale = ?", scale), ("date >= ?", since), ("date <= ?", until)):
        if value is not None:
            sql += " AND " + clause
            params.append(value.isoformat() if isinstance(value, dt.date) else value)
    with reading():  # raw rows: no model objects, years of daily entries stay quick
        rows = db.execute_sql(sql + " ORDER BY date, id", params).fetchall()
    return [entry_from_tuple(r) for r in rows]


def symptom_days(*, patient_id: int) -> set[dt.date]:
    """The days with a current entry (the calendar's marks): dates only, no items to parse."""
    with reading():
        rows = db.execute_sql(
            "SELECT DISTINCT date FROM symptom_entry WHERE patient_id = ? AND " + _CURRENT_OF_PATIENT,
            (patient_id, patient_id)).fetchall()
    return {dt.date.fromisoformat(r[0]) for r in rows}


# -- bulk reads for the attention list ---------------------------------------

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit


def _chunks(ids: list[int]):
    unique = sorted(set(ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start:start + _CHUNK]


def recent_observations(*, patient_ids: list[int], since: dt.date) -> dict[int, list[tuple[dt.date, str, int]]]:
    """For each patient, the current entries (not superseded, not retracted) dated
    `since` or later, by date: (date, scale, value). The value is the series value
    stored when the entry was written (storage.scores); nothing is parsed or
    re-scored. One query for the entries of up to 500 patients, whatever their
    number of entries; every patient asked for has a list."""
    out: dict[int, list[tuple[dt.date, str, int]]] = {pid: [] for pid in patient_ids}
    if not patient_ids:
        return out
    days: dict[str, dt.date] = {}  # a few weeks of dates shared by every patient: each parsed once
    with reading():
        for chunk in _chunks(patient_ids):
            marks = ", ".join("?" * len(chunk))
            rows = db.execute_sql(
                f"SELECT patient_id, date, scale, series_value FROM symptom_entry "
                f"WHERE patient_id IN ({marks}) AND date >= ? AND {_CURRENT_BULK} ORDER BY patient_id, date, id",
                (*chunk, since.isoformat()))
            for pid, text, scale, value in rows:
                day = days.get(text)
                if day is None:
                    day = days[text] = dt.date.fromisoformat(text)
                out[pid].append((day, scale, value))
    return out


def recent_falls(*, patient_ids: list[int], since: dt.date) -> dict[int, dict[dt.date, int]]:
    """For each patient with any, the falls in their current daily ratings dated
    `since` or later, by day (the daily rating's side effect `falls`). Only the
    entries whose stored scores name falls are read (the JSON is canonical, so
    a plain LIKE finds them on either database): the attention list pays for
    falls, not for every entry."""
    out: dict[int, dict[dt.date, int]] = {}
    if not patient_ids:
        return out
    with reading():
        for chunk in _chunks(patient_ids):
            marks = ", ".join("?" * len(chunk))
            rows = db.execute_sql(
                f"SELECT patient_id, date, items FROM symptom_entry WHERE patient_id IN ({marks}) AND date >= ? "
                f"AND scale = 'daily' AND items LIKE '%\"falls\":%' AND {_CURRENT}",
                (*chunk, since.isoformat()))
            for pid, text, items in rows:
                falls = json.loads(items).get("falls", 0)
                if isinstance(falls, int) and falls > 0:
                    day = dt.date.fromisoformat(text) if isinstance(text, str) else text
                    out.setdefault(pid, {})[day] = out.get(pid, {}).get(day, 0) + falls
    return out


def last_reviews(*, patient_ids: list[int]) -> dict[int, dt.date]:
    """For each patient with any, the date of the latest review: a plan revision, a
    plan status change (local dates), or a current CIWA-B or BWSQ entry."""
    out: dict[int, dt.date] = {}
    if not patient_ids:
        return out

    def later(pid: int, day: dt.date) -> None:
        if pid not in out or day > out[pid]:
            out[pid] = day

    scales = ", ".join(f"'{s}'" for s in REVIEW_SCALES)
    with reading():
        for chunk in _chunks(patient_ids):
            marks = ", ".join("?" * len(chunk))
            rows = db.execute_sql(
                f"SELECT p.patient_id, MAX(r.created_at), 't' FROM plan_revision r JOIN plan p ON p.id = r.plan_id "
                f"WHERE p.patient_id IN ({marks}) GROUP BY p.patient_id "
                f"UNION ALL SELECT p.patient_id, MAX(e.at), 't' FROM plan_status_event e "
                f"JOIN plan p ON p.id = e.plan_id "
                f"WHERE p.patient_id IN ({marks}) GROUP BY p.patient_id "
                f"UNION ALL SELECT patient_id, MAX(date), 'd' FROM symptom_entry "
                f"WHERE patient_id IN ({marks}) AND scale IN ({scales}) AND {_CURRENT} GROUP BY patient_id",
                (*chunk, *chunk, *chunk))
            for pid, value, kind in rows:
                if value is None:
                    continue
                later(pid, from_utc_text(value).astimezone().date() if kind == "t" else dt.date.fromisoformat(value))
    return out
