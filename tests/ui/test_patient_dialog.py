"""The patient dialog: checks beside each field, Save only when valid, storage
errors shown without losing what was typed, archive with a confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from taperdesk import storage
from taperdesk.ui import patient_dialog
from taperdesk.ui.patient_dialog import PatientDialog, check_born

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(patient_dialog, "today", lambda: TODAY)


@pytest.fixture
def dialog(qtbot, clinician):
    d = PatientDialog(author=clinician)
    qtbot.addWidget(d)
    return d


def fill(d: PatientDialog, *, name="Zoë Łukasiewicz", born="1970-05-01", identifier="TD-0001",
         phone="555 0100", notes="Referred by GP") -> None:
    """Type into the fields as a user would (textEdited fires as for typing)."""
    for field, text in ((d.name, name), (d.born, born), (d.identifier, identifier), (d.phone, phone)):
        field.setText(text)
        field.textEdited.emit(text)
    d.notes.setPlainText(notes)


def test_check_born():
    assert check_born("1961-03-04", on=TODAY) == (dt.date(1961, 3, 4), "")
    assert check_born("", on=TODAY)[1] == "Enter the date of birth."
    assert check_born("4/3/61", on=TODAY)[1] == "Write the date as year-month-day, for example 1961-03-04."
    assert check_born("2026-12-02", on=TODAY)[1] == "2 Dec 2026 is in the future."
    assert check_born("1906-11-30", on=TODAY)[1] == "30 Nov 1906 is more than 120 years ago: check the year."
    assert check_born("1906-12-01", on=TODAY)[0] == dt.date(1906, 12, 1)
    assert check_born("2026-12-01", on=TODAY)[0] == TODAY


def test_new_patient_saved(dialog, clinician):
    assert not dialog.save_button.isEnabled()
    assert dialog.error_text("name") == ""  # nothing said before the field is touched
    fill(dialog)
    assert dialog.save_button.isEnabled()
    assert dialog.born_hint.text() == "1 May 1970, aged 56"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = dialog.saved_patient()
    assert saved is not None and saved.identifier == "TD-0001"
    assert storage.get_patient(patient_id=saved.id) == saved
    assert (saved.name, saved.born, saved.phone, saved.notes) == (
        "Zoë Łukasiewicz", dt.date(1970, 5, 1), "555 0100", "Referred by GP")
    assert storage.audit_events(entity="patient", entity_id=saved.id)[0].clinician_id == clinician.id


@pytest.mark.parametrize(("field", "text", "message"), [
    ("name", "   ", "Enter the patient's name."),
    ("born", "2027-01-01", "1 Jan 2027 is in the future."),
    ("born", "1900-01-01", "1 Jan 1900 is more than 120 years ago: check the year."),
    ("born", "01/05/1970", "Write the date as year-month-day, for example 1961-03-04."),
    ("identifier", "", "Enter the clinic identifier (it must be unique)."),
])
def test_problem_shown_beside_the_field_and_nothing_saved(dialog, field, text, message):
    fill(dialog, **{field: text})
    assert dialog.error_text(field) == message
    assert not dialog.save_button.isEnabled()
    assert message in dialog.save_button.toolTip()
    dialog.accept()  # Enter on a disabled Save: nothing happens
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.saved_patient() is None
    assert storage.search_patients(text="") == []
    others = {"name", "born", "identifier"} - {field}
    assert all(dialog.error_text(k) == "" for k in others)


def test_identifier_must_be_unique(dialog, clinician):
    storage.add_patient(name="Ana López", born=dt.date(1980, 1, 1), identifier="TD-0001", author=clinician)
    fill(dialog, identifier="td-0001 ")
    assert dialog.error_text("identifier") == "TD-0001 is already used for Ana López."
    assert not dialog.save_button.isEnabled()
    fill(dialog, identifier="TD-0002")
    assert dialog.error_text("identifier") == "" and dialog.save_button.isEnabled()


def test_storage_error_shown_and_nothing_lost(dialog, clinician):
    fill(dialog)
    # the author's account was deactivated by a colleague while the dialog was open
    colleague = storage.add_clinician(name="Dr Ben", role="clinician", password="another one", author=clinician)
    storage.set_clinician_active(clinician_id=clinician.id, active=False, author=colleague)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text("save") == "Not saved: Dr Ada Test's account is inactive."
    assert (dialog.name.text(), dialog.born.text(), dialog.notes.toPlainText()) == (
        "Zoë Łukasiewicz", "1970-05-01", "Referred by GP")
    assert storage.search_patients(text="") == []
    fill(dialog, phone="555 0111")  # typing again clears the old message
    assert dialog.error_text("save") == ""


def test_edit_existing(qtbot, clinician):
    patient = storage.add_patient(name="Ana López", born=dt.date(1980, 1, 1), identifier="TD-0001",
                                  author=clinician)
    d = PatientDialog(patient=patient, author=clinician)
    qtbot.addWidget(d)
    assert d.windowTitle() == "Edit patient"
    assert d.save_button.isEnabled() and not d.has_unsaved_changes()
    fill(d, name="Ana López García", born="1980-01-01", identifier="TD-0001", phone="555", notes="")
    d.accept()
    saved = d.saved_patient()
    assert saved.id == patient.id and saved.name == "Ana López García" and saved.phone == "555"
    assert storage.audit_events(entity="patient", entity_id=patient.id)[0].summary == (
        "changed name, phone of patient Ana López García (TD-0001) (as prescriber)")


def test_archive_with_confirmation(qtbot, clinician):
    patient = storage.add_patient(name="Ana López", born=dt.date(1980, 1, 1), identifier="TD-0001",
                                  author=clinician)
    d = PatientDialog(patient=patient, author=clinician)
    qtbot.addWidget(d)
    asked = []
    d.confirm = lambda title, question: asked.append(title) or False
    assert d.archive_button.text() == "&Archive"
    assert not d.toggle_archived()
    assert asked == ["Archive patient"] and not storage.get_patient(patient_id=patient.id).archived
    d.confirm = lambda title, question: True
    with qtbot.waitSignal(d.archived_changed):
        assert d.toggle_archived()
    assert storage.get_patient(patient_id=patient.id).archived
    assert d.result() == QDialog.DialogCode.Accepted and d.saved_patient().archived
    # unarchive with a typed change pending: done, and the dialog stays open for Save
    d2 = PatientDialog(patient=d.saved_patient(), author=clinician)
    qtbot.addWidget(d2)
    assert d2.archive_button.text() == "Un&archive"
    assert "archived" in d2.state.text()
    d2.confirm = lambda title, question: True
    fill(d2, name="Ana López", born="1980-01-01", identifier="TD-0001", phone="555 0199", notes="")
    assert d2.toggle_archived()
    assert not storage.get_patient(patient_id=patient.id).archived
    assert d2.result() != QDialog.DialogCode.Accepted
    assert "not saved yet" in d2.state.text() and d2.phone.text() == "555 0199"
    d2.accept()
    assert storage.get_patient(patient_id=patient.id).phone == "555 0199"


def test_new_patient_has_no_archive_button(dialog):
    assert dialog.archive_button is None
    assert not dialog.toggle_archived()


def test_keyboard(dialog):
    buddies = {label.text(): label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert buddies == {"&Name": dialog.name, "Date of &birth": dialog.born, "Clinic &identifier": dialog.identifier,
                       "&Phone": dialog.phone, "N&otes": dialog.notes, "Alco&hol": dialog.other_medicines.alcohol}
    chain, widget = [], dialog.name
    while len(chain) < 5:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == [dialog.name, dialog.born, dialog.identifier, dialog.phone, dialog.notes]
    assert dialog.notes.tabChangesFocus()
    assert dialog.save_button.text() == "&Save"
