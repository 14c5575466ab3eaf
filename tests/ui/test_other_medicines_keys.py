"""Enter in the other-medicines entry row adds what is typed to the list (or
says what is missing) and never saves the patient dialog half-filled: it used
to reach the dialog's default button, Save. Driven by keys, as a user types."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from taperdesk import storage
from taperdesk.ui import patient_dialog
from taperdesk.ui.patient_dialog import PatientDialog


@pytest.fixture
def dialog(qtbot, clinician, monkeypatch):
    monkeypatch.setattr(patient_dialog, "today", lambda: date(2026, 12, 1))
    zoe = storage.add_patient(name="Zoë Łukasiewicz", born=date(1970, 5, 1), identifier="TD-0001",
                              author=clinician)
    d = PatientDialog(patient=zoe, author=clinician)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    return d, zoe


def _rows(box):
    t = box.table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def test_enter_in_the_name_adds_it_to_the_list_and_does_not_save(qtbot, dialog):
    d, zoe = dialog
    box = d.other_medicines
    box.name.setFocus()
    qtbot.keyClicks(box.name, "tramadol")
    qtbot.keyClick(box.name, Qt.Key.Key_Return)
    assert d.isVisible() and d.result() == 0
    assert _rows(box) == [("tramadol (new)", "", "")]
    assert box.name.text() == "" and QApplication.focusWidget() is box.name
    assert storage.other_medicines(patient_id=zoe.id).history == ()  # nothing written before Save


def test_enter_in_the_dose_or_date_adds_the_whole_row(qtbot, dialog):
    d, zoe = dialog
    box = d.other_medicines
    qtbot.keyClicks(box.name, "oxycodone")
    qtbot.keyClicks(box.dose, "10 mg twice a day")
    qtbot.keyClick(box.dose, Qt.Key.Key_Enter)  # the keypad's Enter too
    qtbot.keyClicks(box.name, "pregabalin")
    qtbot.keyClicks(box.since, "2025-06-01")
    qtbot.keyClick(box.since, Qt.Key.Key_Return)
    assert d.isVisible()
    assert _rows(box) == [("oxycodone (new)", "10 mg twice a day", ""), ("pregabalin (new)", "", "2025-06-01")]


def test_a_half_filled_row_is_said_not_saved(qtbot, dialog):
    d, zoe = dialog
    box = d.other_medicines
    qtbot.keyClicks(box.dose, "10 mg")
    qtbot.keyClick(box.dose, Qt.Key.Key_Return)
    assert d.isVisible() and box.error.text() == "Type the medicine's or substance's name first."
    qtbot.keyClicks(box.name, "oxycodone")
    qtbot.keyClicks(box.since, "June")
    qtbot.keyClick(box.since, Qt.Key.Key_Return)
    assert d.isVisible() and box.error.text().startswith("Write the start date as year-month-day")
    assert _rows(box) == [] and box.name.text() == "oxycodone"
    assert storage.other_medicines(patient_id=zoe.id).history == ()


def test_enter_in_an_empty_name_moves_on(qtbot, dialog):
    d, _zoe = dialog
    box = d.other_medicines
    box.name.setFocus()
    qtbot.keyClick(box.name, Qt.Key.Key_Return)
    assert d.isVisible() and not box.error.isVisible()
    assert QApplication.focusWidget() is box.dose


def test_save_is_still_the_dialogs_enter_elsewhere(qtbot, dialog):
    d, _zoe = dialog
    d.phone.setFocus()
    with qtbot.waitSignal(d.accepted):
        qtbot.keyClick(d.phone, Qt.Key.Key_Return)
