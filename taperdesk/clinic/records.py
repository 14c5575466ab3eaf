"""Patients and their symptom entries, as operations: each checks the
account's role (clinic.permissions) and writes through storage, which audits
it in the same transaction. The screens that used to call storage for these
call here."""

from __future__ import annotations

from taperdesk import storage
from taperdesk.clinic.permissions import operation


@operation("add_patient")
def add_patient(**fields) -> storage.Patient:
    return storage.add_patient(**fields)


@operation("edit_patient")
def update_patient(**fields) -> storage.Patient:
    return storage.update_patient(**fields)


@operation("archive_patient")
def set_patient_archived(*, patient_id: int, archived: bool, author: storage.Clinician) -> storage.Patient:
    return storage.set_patient_archived(patient_id=patient_id, archived=archived, author=author)


@operation("record_symptoms")
def add_symptom_entry(**fields) -> storage.SymptomEntry:
    return storage.add_symptom_entry(**fields)


@operation("record_symptoms")
def correct_symptom_entry(**fields) -> storage.SymptomEntry:
    return storage.correct_symptom_entry(**fields)


@operation("record_symptoms")
def retract_symptom_entry(**fields) -> storage.SymptomEntry:
    return storage.retract_symptom_entry(**fields)


# what the patient takes besides the taper is part of their details (schema 13)
@operation("edit_patient")
def record_other_medicine(**fields) -> storage.OtherMedicineRecord:
    return storage.record_other_medicine(**fields)


def _belongs(patient_id: int, record_id: int) -> None:
    """The record is this patient's: patient_id is what the lock check of @operation reads."""
    if record_id not in {r.id for r in storage.other_medicines(patient_id=patient_id).history}:
        raise storage.StorageError("That medicine is not recorded for this patient: reopen the patient.")


@operation("edit_patient")
def change_other_medicine(*, patient_id: int, record_id: int, **fields) -> storage.OtherMedicineRecord:
    _belongs(patient_id, record_id)
    return storage.change_other_medicine(record_id=record_id, **fields)


@operation("edit_patient")
def stop_other_medicine(*, patient_id: int, record_id: int, **fields) -> storage.OtherMedicineRecord:
    _belongs(patient_id, record_id)
    return storage.stop_other_medicine(record_id=record_id, **fields)


@operation("edit_patient")
def set_alcohol_units(**fields) -> storage.OtherMedicineRecord:
    return storage.set_alcohol_units(**fields)


@operation("import_patient")
def import_patient(*, document: dict, author: storage.Clinician) -> storage.Patient:
    """A patient file from another clinic, all or nothing (storage.portable)."""
    return storage.import_patient(document=document, author=author)


@operation("export_patient")
def export_patient(*, patient_id: int, author: storage.Clinician) -> dict:
    """One patient's whole record as a portable document (recorded by the caller once written)."""
    return storage.export_patient(patient_id=patient_id)


@operation("support_list")
def save_support_options(**fields):
    """The clinic's list of non-drug support, saved as a new version."""
    return storage.save_support_options(**fields)


@operation("agree_support")
def agree_support(**fields) -> storage.SupportAgreed:
    """The support agreed with a patient now (the whole set), kept with its words."""
    return storage.agree_support(**fields)
