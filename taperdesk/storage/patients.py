"""Patients: add, edit, archive, find. Search is by prefix of any word of the
name ("lop" finds "Ana López") or of the clinic identifier, both through indexed
range scans on folded keys, so it stays fast with tens of thousands of patients."""

from __future__ import annotations

import datetime as dt

from taperdesk.storage import attention, audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import PatientNameWordRow, PatientRow
from taperdesk.storage.records import Clinician, Patient
from taperdesk.storage.text import (
    fold,
    from_utc_text,
    identifier_key,
    prefix_upper_bound,
    to_utc_text,
    utc_now,
    words,
)

EDITABLE = ("name", "born", "identifier", "phone", "notes")


def to_patient(row: PatientRow) -> Patient:
    return Patient(row.id, row.name, row.born, row.identifier, row.phone, row.notes,
                   bool(row.archived), from_utc_text(row.created_at))


def _clean(name: str, born: dt.date, identifier: str) -> tuple[str, str]:
    name, identifier = " ".join(name.split()), identifier.strip()
    if not name:
        raise InvalidInputError("A patient needs a name.")
    if not identifier:
        raise InvalidInputError("A patient needs a clinic identifier.")
    if not isinstance(born, dt.date) or isinstance(born, dt.datetime):
        raise InvalidInputError("Date of birth must be a date.")
    if born > dt.date.today():
        raise InvalidInputError(f"Date of birth {born.isoformat()} is in the future.")
    return name, identifier


def _check_identifier_free(identifier: str, patient_id: int | None) -> None:
    other = PatientRow.get_or_none(PatientRow.identifier_key == identifier_key(identifier))
    if other is not None and other.id != patient_id:
        raise InvalidInputError(f"Identifier {identifier} already belongs to {other.name} (patient {other.id}).")


def _index_name(patient_id: int, name: str) -> None:
    PatientNameWordRow.delete().where(PatientNameWordRow.patient == patient_id).execute()
    rows = [{"patient": patient_id, "word": w} for w in words(name)]
    if rows:
        PatientNameWordRow.insert_many(rows).execute()


def add_patient(*, name: str, born: dt.date, identifier: str, phone: str = "", notes: str = "",
                author: Clinician | int, created_at: dt.datetime | None = None) -> Patient:
    name, identifier = _clean(name, born, identifier)
    with writing():
        author_row = audit.resolve_author(author, operation="add_patient")
        _check_identifier_free(identifier, None)
        row = PatientRow.create(
            name=name, name_key=fold(name), born=born, identifier=identifier,
            identifier_key=identifier_key(identifier), phone=phone.strip(), notes=notes,
            created_at=to_utc_text(created_at or utc_now()))
        _index_name(row.id, name)
        audit.record(author_row, "create", "patient", row.id, f"added patient {audit.patient_words(row)}")
        attention.refresh([row.id])  # a row from the start: the day's roll stays complete
        return to_patient(row)


def update_patient(*, patient_id: int, author: Clinician | int, **changes) -> Patient:
    """Change any of name, born, identifier, phone, notes (keyword arguments)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInputError(f"Cannot change {', '.join(sorted(unknown))} of a patient.")
    with writing():
        author_row = audit.resolve_author(author, operation="edit_patient")
        row = _get_row(patient_id)
        merged = {k: changes.get(k, getattr(row, k)) for k in EDITABLE}
        name, identifier = _clean(merged["name"], merged["born"], merged["identifier"])
        _check_identifier_free(identifier, row.id)
        changed = [k for k in EDITABLE if k in changes and changes[k] != getattr(row, k)]
        row.name, row.name_key, row.born = name, fold(name), merged["born"]
        row.identifier, row.identifier_key = identifier, identifier_key(identifier)
        row.phone, row.notes = merged["phone"].strip(), merged["notes"]
        row.save()
        if "name" in changed:
            _index_name(row.id, name)
        attention.refresh([row.id])  # the day list's lines carry the name, number and phone
        audit.record(author_row, "update", "patient", row.id,
                     f"changed {', '.join(changed) or 'nothing'} of patient {audit.patient_words(row)}")
        return to_patient(row)


def set_patient_archived(*, patient_id: int, archived: bool, author: Clinician | int) -> Patient:
    """Archiving hides a patient from default searches; nothing is deleted."""
    with writing():
        author_row = audit.resolve_author(author, operation="archive_patient")
        row = _get_row(patient_id)
        row.archived = archived
        row.save()
        attention.refresh([row.id])  # an archived patient leaves the day list
        audit.record(author_row, "archive" if archived else "unarchive", "patient", row.id,
                     f"{'archived' if archived else 'unarchived'} patient {audit.patient_words(row)}")
        return to_patient(row)


def _get_row(patient_id: int) -> PatientRow:
    row = PatientRow.get_or_none(PatientRow.id == patient_id)
    if row is None:
        raise NotFoundError(f"No patient with id {patient_id}.")
    return row


def get_patient(*, patient_id: int) -> Patient:
    with reading():
        return to_patient(_get_row(patient_id))


def same_name_and_birth(*, name: str, born: dt.date, except_id: int | None = None) -> list[Patient]:
    """Other patients (archived too) with this name, folded, and this birth date: a likely duplicate."""
    with reading():
        rows = PatientRow.select().where((PatientRow.name_key == fold(" ".join(name.split())))
                                         & (PatientRow.born == born)).order_by(PatientRow.id)
        return [to_patient(r) for r in rows if r.id != except_id]


def find_patient_by_identifier(*, identifier: str) -> Patient | None:
    with reading():
        row = PatientRow.get_or_none(PatientRow.identifier_key == identifier_key(identifier.strip()))
        return to_patient(row) if row else None


def search_patients(*, text: str, limit: int = 200, include_archived: bool = False,
                    born: dt.date | None = None) -> list[Patient]:
    """Patients whose identifier starts with `text`, or whose name has, for every
    word typed, a word starting with it, or (when the text was a date the caller
    read as `born`) who were born that day; sorted by name. Empty text lists all.

    Plain SQL and tuples, not model instances: it runs on every keystroke of the
    patient list's search, so building 200 peewee rows each time mattered."""
    query_words = words(text)
    key = identifier_key(text.strip())
    where, params = ([] if include_archived else ["p.archived = 0"]), []
    if query_words:
        matches = ["p.identifier_key >= ? AND p.identifier_key < ?"]
        params += [key, prefix_upper_bound(key)]
        by_name = " AND ".join("p.id IN (SELECT patient_id FROM patient_name_word WHERE word >= ? AND word < ?)"
                               for _ in query_words)
        for w in query_words:
            params += [w, prefix_upper_bound(w)]
        matches.append(by_name)
        if born is not None:
            matches.append("p.born = ?")
            params.append(born.isoformat())
        where.append("(" + " OR ".join(f"({m})" for m in matches) + ")")
    sql = ("SELECT p.id, p.name, p.born, p.identifier, p.phone, p.notes, p.archived, p.created_at FROM patient p"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY p.name_key, p.id LIMIT ?")
    with reading():
        rows = PatientRow._meta.database.execute_sql(sql, (*params, limit)).fetchall()
    return [Patient(pid, name, dt.date.fromisoformat(born_text), identifier, phone, notes, bool(archived),
                    from_utc_text(created))
            for pid, name, born_text, identifier, phone, notes, archived, created in rows]
