"""Other medicines in the patient dialog and header, and interaction warnings with
their sources on the wizard's review page and the Plan tab (read through the
widgets' models and labels), never a silent pass."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog

from taperdesk import storage
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui import patient_dialog
from taperdesk.ui.patient_dialog import PatientDialog
from taperdesk.ui.wizard.wizard import REVIEW_PAGE

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(patient_dialog, "today", lambda: TODAY)


@pytest.fixture
def zoe(clinician):
    return storage.add_patient(name="Zoë Łukasiewicz", born=date(1970, 5, 1), identifier="TD-0001",
                               author=clinician)


def _add(box, name, dose="", since="", kind="medicine"):
    box.name.setText(name)
    box.dose.setText(dose)
    box.since.setText(since)
    box.kind.setCurrentIndex(box.kind.findData(kind))
    assert box.add_from_fields()


def _table(box):
    t = box.table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def test_the_dialog_records_other_medicines_and_alcohol_by_appending(qtbot, clinician, zoe):
    d = PatientDialog(patient=zoe, author=clinician)
    qtbot.addWidget(d)
    box = d.other_medicines
    assert box.history.toPlainText() == "Nothing recorded yet."
    _add(box, "oxycodone", "10 mg twice a day", "2025-06-01")
    _add(box, "cannabis", kind="substance")
    box.alcohol.setText("20")
    assert _table(box) == [("oxycodone (new)", "10 mg twice a day", "2025-06-01"),
                           ("cannabis (substance) (new)", "", "")]
    assert d.has_unsaved_changes()
    d.accept()
    assert d.result() == QDialog.DialogCode.Accepted
    now = storage.other_medicines(patient_id=zoe.id)
    assert [r.describe() for r in now.current] == ["oxycodone 10 mg twice a day since 2025-06-01",
                                                   "cannabis (substance)"]
    assert now.alcohol_units == 20

    d = PatientDialog(patient=zoe, author=clinician)  # reopened: the list, alcohol and a stop
    qtbot.addWidget(d)
    box = d.other_medicines
    assert _table(box) == [("oxycodone", "10 mg twice a day", "2025-06-01"), ("cannabis (substance)", "", "")]
    assert box.alcohol.text() == "20" and not d.has_unsaved_changes()
    box.table.setCurrentCell(0, 0)
    box.stop_date.setText("2026-11-20")
    assert box.stop_selected()
    assert _table(box)[0][0] == "oxycodone (stopping 2026-11-20)"
    d.accept()
    now = storage.other_medicines(patient_id=zoe.id)
    assert [r.name for r in now.current] == ["cannabis"]
    assert [line[12:] for line in box.history.toPlainText().splitlines()] == [
        "oxycodone 10 mg twice a day since 2025-06-01", "cannabis (substance)", "alcohol 20 units a week",
        "oxycodone 10 mg twice a day since 2025-06-01 stopped 2026-11-20"]


def test_bad_alcohol_or_an_unadded_name_is_said_and_nothing_saved(qtbot, clinician, zoe):
    d = PatientDialog(patient=zoe, author=clinician)
    qtbot.addWidget(d)
    d.other_medicines.alcohol.setText("lots")
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted
    assert d.error_text("save").startswith("Not saved: Alcohol: give a number of units a week")
    d.other_medicines.alcohol.setText("")
    d.other_medicines.name.setText("tramadol")
    d.accept()
    assert "press Add to list" in d.error_text("save")
    assert storage.other_medicines(patient_id=zoe.id).history == ()


def test_a_new_patient_keeps_the_medicines_typed_before_the_first_save(qtbot, clinician):
    d = PatientDialog(author=clinician)
    qtbot.addWidget(d)
    for field, text in ((d.name, "Ana Silva"), (d.born, "1950-01-02"), (d.identifier, "TD-0009")):
        field.setText(text)
        field.textEdited.emit(text)
    _add(d.other_medicines, "pregabalin", "75 mg")
    d.accept()
    saved = d.saved_patient()
    assert [r.name for r in storage.other_medicines(patient_id=saved.id).current] == ["pregabalin"]


@pytest.fixture
def window(qtbot, clinician, zoe):
    from taperdesk.ui.workspace import Workspace

    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.select_patient(zoe.id)
    return w


def test_diazepam_with_oxycodone_and_20_units_on_the_plan_tab_and_header(window, clinician, zoe):
    storage.record_other_medicine(patient_id=zoe.id, name="oxycodone", dose="10 mg", author=clinician)
    storage.set_alcohol_units(patient_id=zoe.id, units_week=20, author=clinician)
    plan = make_plan(Regimen("diazepam", (("night", 10.0),)), PlanSettings(start=TODAY))
    assert window.save_new_plan(plan, PlanSettings(start=TODAY))
    assert "Also takes: oxycodone 10 mg; alcohol 20 units a week" in window.header.text()
    text = window.plan_tab.interactions.text()
    assert window.plan_tab.interactions_area.isVisibleTo(window)
    assert "Interactions (2): oxycodone 10 mg with diazepam; alcohol, 20 units a week with diazepam" in text
    assert "<b>oxycodone 10 mg (opioids) with diazepam</b>: Taken together, opioids and benzodiazepines" in text
    assert "Source: FDA boxed warning on benzodiazepines and opioids (FDA Drug Safety Communication, " \
           "31 August 2016)" in text
    assert "<b>alcohol, 20 units a week with diazepam</b>" in text and "Source: Valium (diazepam) US label" in text


def test_nothing_recorded_and_nothing_found_are_said_on_the_plan_tab(window, clinician, zoe):
    plan = make_plan(Regimen("diazepam", (("night", 10.0),)), PlanSettings(start=TODAY))
    assert window.save_new_plan(plan, PlanSettings(start=TODAY))
    assert "Also takes" not in window.header.text()
    assert not window.plan_tab.interactions_area.isVisibleTo(window)
    assert window.plan_tab.summary.text().endswith("<br><b>Interactions:</b> No other medicines, substances or "
                                                   "alcohol recorded for this patient: nothing to check.")
    storage.record_other_medicine(patient_id=zoe.id, name="paracetamol", author=clinician)
    window.show_patient(zoe.id)
    assert "Also takes: paracetamol" in window.header.text()
    assert window.plan_tab.summary.text().endswith("<br><b>Interactions:</b> No interactions found with the "
                                                   "medicines recorded (paracetamol).")


def _review_items(w):
    return [w.review_page.warnings.item(i).text() for i in range(w.review_page.warnings.count())]


def test_the_wizard_review_gives_alprazolam_with_clarithromycin_the_cyp3a4_warning(qtbot, window, clinician, zoe):
    storage.record_other_medicine(patient_id=zoe.id, name="clarithromycin", dose="500 mg", author=clinician)
    w = window.make_wizard()
    try:
        w.show()
        w.regimen_page.drug.setEditText("alprazolam")
        w.regimen_page.doses["morning"].setValue(0.5)
        w.regimen_page.doses["night"].setValue(0.5)
        while w.currentId() < REVIEW_PAGE:
            w.next()
        items = _review_items(w)
        [line] = [i for i in items if i.startswith("Interaction:")]
        assert line.startswith("Interaction: clarithromycin 500 mg (strong CYP3A4 inhibitors) with alprazolam.")
        assert "Source: Alprazolam (Xanax) label" in line
        assert "Alprazolam (Xanax) label" in w.review_page.sources.text()
        assert w.review_page.warnings_title.text() == f"<b>Warnings ({len(items)})</b>"
    finally:
        w.close()
        w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_wizard_review_says_when_nothing_is_recorded(qtbot, window):
    w = window.make_wizard()
    try:
        w.show()
        w.regimen_page.drug.setEditText("diazepam")
        w.regimen_page.doses["night"].setValue(10)
        while w.currentId() < REVIEW_PAGE:
            w.next()
        assert _review_items(w)[-1] == ("No other medicines, substances or alcohol recorded for this patient: "
                                        "nothing to check.")
    finally:
        w.close()
        w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
