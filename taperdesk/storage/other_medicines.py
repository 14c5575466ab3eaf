"""The patient's other medicines, other sedating substances and alcohol (schema 13).

Nothing clinical is changed in place: a change or a stop appends a row that
supersedes the one before (a stop carries its stop date), so what the patient
took when can always be shown. The newest row of each thread counts; a thread
whose newest row has a stop date is no longer taken. Alcohol is one thread per
patient: units a week, the newest row counts."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from taperdesk.core.interactions import MAX_UNITS_WEEK, OtherMedicine
from taperdesk.storage import audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import ClinicianRow, OtherMedicineRow, PatientRow
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import to_utc_text, utc_now

KINDS = ("medicine", "substance")
MAX_TEXT = 200


@dataclass(frozen=True)
class OtherMedicineRecord:
    id: int
    patient_id: int
    kind: str  # medicine, substance or alcohol
    name: str
    dose: str
    since: dt.date | None
    stopped: dt.date | None
    units_week: float | None
    note: str
    supersedes_id: int | None
    author: str
    created_at: str

    def as_core(self) -> OtherMedicine:
        return OtherMedicine(self.name, self.dose, self.since, self.note, self.kind)

    def describe(self) -> str:
        """One line for the history: what, how much, since when, stopped when."""
        if self.kind == "alcohol":
            return f"alcohol {self.units_week:g} units a week"
        words = [self.name] + ([self.dose] if self.dose else [])
        if self.kind == "substance":
            words.append("(substance)")
        if self.since:
            words.append(f"since {self.since.isoformat()}")
        if self.stopped:
            words.append(f"stopped {self.stopped.isoformat()}")
        return " ".join(words)


@dataclass(frozen=True)
class OtherMedicines:
    """What a patient takes now besides the taper, and every row ever recorded."""

    current: tuple[OtherMedicineRecord, ...]  # medicines and substances not stopped
    alcohol: OtherMedicineRecord | None  # the newest alcohol row, or None when never asked
    history: tuple[OtherMedicineRecord, ...]  # all rows, oldest first

    @property
    def alcohol_units(self) -> float | None:
        return self.alcohol.units_week if self.alcohol is not None else None

    def as_core(self) -> tuple[OtherMedicine, ...]:
        return tuple(r.as_core() for r in self.current)


def _record(row: OtherMedicineRow) -> OtherMedicineRecord:
    author = ClinicianRow.get_or_none(ClinicianRow.id == row.author_id)
    return OtherMedicineRecord(row.id, row.patient_id, row.kind, row.name, row.dose, row.since, row.stopped,
                               row.units_week, row.note, row.supersedes_id, author.name if author else "",
                               row.created_at)


def _text(value: str, what: str, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be text.")
    value = " ".join(value.split())
    if required and not value:
        raise InvalidInputError(f"Enter the {what}.")
    if len(value) > MAX_TEXT:
        raise InvalidInputError(f"The {what} is too long: keep it under {MAX_TEXT} characters.")
    return value


def _date(value: dt.date | None, what: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or not dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31):
        raise InvalidInputError(f"The {what} must be a date between 1900 and 2100.")
    return value


def _patient(patient_id: int) -> PatientRow:
    patient = PatientRow.get_or_none(PatientRow.id == patient_id)
    if patient is None:
        raise NotFoundError(f"No patient with id {patient_id}.")
    return patient


def _newest(row_id: int) -> OtherMedicineRow:
    row = OtherMedicineRow.get_or_none(OtherMedicineRow.id == row_id)
    if row is None:
        raise NotFoundError(f"No other-medicine record with id {row_id}.")
    newer = OtherMedicineRow.get_or_none(OtherMedicineRow.supersedes == row_id)
    if newer is not None:
        raise InvalidInputError(f"{row.name} was changed since; reopen the patient and change the newest entry.")
    return row


def _append(author: Clinician | int, patient: PatientRow, summary: str, **values) -> OtherMedicineRecord:
    author_row = audit.resolve_author(author)
    row = OtherMedicineRow.create(patient=patient.id, author=author_row.id, created_at=to_utc_text(utc_now()),
                                  **values)
    audit.record(author_row, "create", "other_medicine", row.id, f"{summary} for {audit.patient_words(patient)}")
    return _record(row)


def record_other_medicine(*, patient_id: int, name: str, dose: str = "", since: dt.date | None = None,
                          note: str = "", kind: str = "medicine", author: Clinician | int) -> OtherMedicineRecord:
    """A medicine (or sedating substance) the patient takes besides the taper."""
    if kind not in KINDS:
        raise InvalidInputError(f"Kind must be one of {', '.join(KINDS)}.")
    name, dose, note = _text(name, "name", required=True), _text(dose, "dose"), _text(note, "note")
    since = _date(since, "start date")
    with writing():
        patient = _patient(patient_id)
        return _append(author, patient, f"other {kind} {name} recorded", kind=kind, name=name, dose=dose,
                       since=since, note=note)


def change_other_medicine(*, record_id: int, name: str, dose: str = "", since: dt.date | None = None,
                          note: str = "", author: Clinician | int) -> OtherMedicineRecord:
    """A new row superseding `record_id` with the corrected or changed details."""
    name, dose, note = _text(name, "name", required=True), _text(dose, "dose"), _text(note, "note")
    since = _date(since, "start date")
    with writing():
        old = _newest(record_id)
        if old.kind == "alcohol" or old.stopped is not None:
            raise InvalidInputError(f"{old.name} cannot be changed here (stopped, or alcohol).")
        patient = _patient(old.patient_id)
        return _append(author, patient, f"other {old.kind} {old.name} changed to {name} {dose}".strip(),
                       kind=old.kind, name=name, dose=dose, since=since, note=note, supersedes=old.id)


def stop_other_medicine(*, record_id: int, stopped: dt.date, note: str = "",
                        author: Clinician | int) -> OtherMedicineRecord:
    """The medicine was stopped on `stopped`: a row carrying the stop date supersedes it."""
    stopped = _date(stopped, "stop date")
    if stopped is None:
        raise InvalidInputError("Enter the date it was stopped.")
    note = _text(note, "note")
    with writing():
        old = _newest(record_id)
        if old.kind == "alcohol" or old.stopped is not None:
            raise InvalidInputError(f"{old.name} is already stopped.")
        if old.since is not None and stopped < old.since:
            raise InvalidInputError(f"The stop date is before {old.name} was started ({old.since.isoformat()}).")
        patient = _patient(old.patient_id)
        return _append(author, patient, f"other {old.kind} {old.name} stopped {stopped.isoformat()}",
                       kind=old.kind, name=old.name, dose=old.dose, since=old.since, stopped=stopped,
                       note=note or old.note, supersedes=old.id)


def set_alcohol_units(*, patient_id: int, units_week: float, note: str = "",
                      author: Clinician | int) -> OtherMedicineRecord:
    """Alcohol units a week as the patient reports them (0 for none); the newest counts."""
    try:
        units = float(units_week)
    except (TypeError, ValueError):
        raise InvalidInputError("Alcohol is a number of units a week.") from None
    if not math.isfinite(units) or not 0 <= units <= MAX_UNITS_WEEK:
        raise InvalidInputError(f"Alcohol units a week must be from 0 to {MAX_UNITS_WEEK:g}.")
    note = _text(note, "note")
    with writing():
        patient = _patient(patient_id)
        last = (OtherMedicineRow.select().where((OtherMedicineRow.patient == patient_id)
                                                & (OtherMedicineRow.kind == "alcohol"))
                .order_by(OtherMedicineRow.id.desc()).first())
        if last is not None and last.units_week == units and last.note == note:
            return _record(last)  # nothing changed: no new row
        return _append(author, patient, f"alcohol {units:g} units a week", kind="alcohol", name="alcohol",
                       units_week=units, note=note, supersedes=last.id if last is not None else None)


def other_medicines(*, patient_id: int) -> OtherMedicines:
    with reading():
        rows = list(OtherMedicineRow.select().where(OtherMedicineRow.patient == patient_id)
                    .order_by(OtherMedicineRow.id))
        history = tuple(_record(r) for r in rows)
    superseded = {r.supersedes_id for r in history if r.supersedes_id is not None}
    first: dict[int, int] = {}  # row -> the first row of its thread: the list keeps the order things were added
    for r in history:
        first[r.id] = first.get(r.supersedes_id, r.id) if r.supersedes_id is not None else r.id
    newest = sorted((r for r in history if r.id not in superseded), key=lambda r: first[r.id])
    current = tuple(r for r in newest if r.kind != "alcohol" and r.stopped is None)
    alcohol = next((r for r in reversed(newest) if r.kind == "alcohol"), None)
    return OtherMedicines(current, alcohol, history)
