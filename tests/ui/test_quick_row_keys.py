"""The daily-rating quick row never moves the focus by itself: '4, Tab, 3'
puts 4 in severity and 3 in sleep, '1 0' is ten, a space in the note is a
space, and Enter saves. (Jumping on after each digit put the sleep score in
the note and turned a space into a press of Save.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from taperdesk import storage
from tests.ui.test_symptoms_tab import TODAY, patient, tab  # noqa: F401 (fixtures)


def keys(qtbot, *presses) -> None:
    for press in presses:
        target = QApplication.focusWidget()
        if isinstance(press, str):
            for ch in press:
                qtbot.keyClick(target, ch)
        else:
            qtbot.keyClick(target, press)


def start(qtbot, tab):
    tab.window().activateWindow()
    tab.quick.severity.setFocus()
    qtbot.waitUntil(tab.quick.severity.hasFocus)


def test_four_tab_three(qtbot, tab):
    start(qtbot, tab)
    keys(qtbot, "4")
    assert QApplication.focusWidget() is tab.quick.severity
    keys(qtbot, Qt.Key.Key_Tab, "3")
    assert QApplication.focusWidget() is tab.quick.sleep
    assert tab.quick.typed_scores() == {"severity": 4, "sleep": 3} and tab.quick.note.text() == ""


def test_two_digits_and_a_note_with_spaces_then_enter_saves(qtbot, tab, patient):
    start(qtbot, tab)
    keys(qtbot, "1", "0", Qt.Key.Key_Tab, "7", Qt.Key.Key_Tab, Qt.Key.Key_Tab, "phone call, slept badly")
    assert tab.quick.note.text() == "phone call, slept badly"
    assert tab.quick.typed_scores() == {"severity": 10, "sleep": 7}
    assert storage.symptom_entries(patient_id=patient.id) == []  # no space pressed Save
    keys(qtbot, Qt.Key.Key_Return)
    [entry] = storage.symptom_entries(patient_id=patient.id)
    assert entry.items == {"severity": 10, "sleep": 7} and entry.note == "phone call, slept badly"
    assert entry.date == TODAY


def test_a_digit_that_cannot_follow_starts_the_score_again(qtbot, tab):
    start(qtbot, tab)
    keys(qtbot, "1", "5")  # 15 is out of range: the 5 is the score now, in the same field
    assert QApplication.focusWidget() is tab.quick.severity and tab.quick.typed_scores() == {"severity": 5}
