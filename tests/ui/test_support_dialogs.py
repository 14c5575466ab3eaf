"""The support dialogs: the clinic edits its list (a new option gets a key from
its label; a bad list is refused in the dialog, nothing saved); what is agreed
with a patient is ticked, saved as a new record and reaches the handout."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from taperdesk import storage
from taperdesk.core.support import shipped_options
from taperdesk.ui.support_dialogs import AgreeSupportDialog, SupportListDialog, key_for


def test_key_for_a_new_option():
    assert key_for("Walking group!", set()) == "walking_group"
    assert key_for("Walking group", {"walking_group"}) == "walking_group_2"
    assert key_for("???", set()) == "option"


def test_the_clinic_edits_its_list(qtbot, clinician):
    d = SupportListDialog(author=clinician)
    qtbot.addWidget(d)
    assert d.table.rowCount() == len(shipped_options())
    assert d.table.item(0, 0).text() == "CBT for insomnia (CBT-I)"
    row = d.add_option("Walking group", "A walking group on Tuesday mornings.", "local")
    d.table.setCurrentCell(4, 0)  # exercise
    d.remove_selected()
    d.set_row(row - 1, "", "No label")  # refused: every option needs a label
    d.accept()
    assert not d.error.isHidden() and "needs a label" in d.error.text() and d.result() == 0
    assert storage.support_list_history() == []
    d.set_row(row - 1, "Walking group", "A walking group on Tuesday mornings.", "local")
    d.accept()
    assert d.result() == 1
    assert [o.key for o in storage.support_options()] == ["cbt_insomnia", "cbt_anxiety", "sleep_hygiene",
                                                         "support_group", "walking_group"]


def test_support_agreed_is_ticked_from_the_keyboard_and_kept(qtbot, clinician):
    patient = storage.add_patient(name="Ana López", born=dt.date(1950, 5, 1), identifier="TD-1", author=clinician)
    d = AgreeSupportDialog(author=clinician, patient=patient)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(lambda: d.boxes["cbt_insomnia"].hasFocus())
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # ticks CBT-I
    for _ in range(4):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is d.boxes["exercise"]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert d.chosen() == ["cbt_insomnia", "exercise"]
    d.accept()
    assert d.result() == 1
    assert [o.key for o in storage.support_agreed(patient_id=patient.id)] == ["cbt_insomnia", "exercise"]
    again = AgreeSupportDialog(author=clinician, patient=patient)
    qtbot.addWidget(again)
    assert again.chosen() == ["cbt_insomnia", "exercise"] and "CBT for insomnia (CBT-I), Exercise" in again.history_text()
    again.accept()  # nothing changed: said, not saved
    assert not again.error.isHidden() and "Nothing is changed" in again.error.text()
    assert len(storage.support_history(patient_id=patient.id)) == 1
