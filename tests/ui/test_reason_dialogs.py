"""The reason dialogs take what is typed: they open with the cursor in the
reason box, a space is a space (never Cancel), Enter starts a new line and
Ctrl+Enter saves. The hold's "From" date moves to a later month by keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from taperdesk.ui.supervision_dialogs import HoldDialog, RevisionReasonDialog, StatusDialog

PLAN_START, PLAN_END = date(2026, 12, 1), date(2027, 9, 19)


def opened(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def typed(qtbot, text: str) -> None:
    """Keys go wherever the focus is, as they would from a keyboard."""
    for ch in text:
        qtbot.keyClick(QApplication.focusWidget(), ch)


DIALOGS = {
    "pause": lambda: StatusDialog(action="Pause", explanation="No further cuts until resumed."),
    "resume": lambda: StatusDialog(action="Resume", explanation="Carries on."),
    "complete": lambda: StatusDialog(action="Complete", explanation="Finished."),
    "stop": lambda: StatusDialog(action="End taper", explanation="The dose continues."),
    "why revise": lambda: RevisionReasonDialog(),
    "hold": lambda: HoldDialog(start=date(2026, 12, 20), earliest=PLAN_START, latest=PLAN_END),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_typing_lands_in_the_reason_and_space_never_cancels(qtbot, name):
    dialog = opened(qtbot, DIALOGS[name]())
    assert QApplication.focusWidget() is dialog.reason
    assert not dialog.ok_button.isEnabled()
    typed(qtbot, "on holiday")
    assert dialog.isVisible() and dialog.reason.text() == "on holiday"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # a new line, not a save
    typed(qtbot, "back in 2 weeks")
    assert dialog.isVisible() and dialog.value() == "on holiday\nback in 2 weeks"
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_enter_does_nothing_without_a_reason(qtbot):
    dialog = opened(qtbot, StatusDialog(action="Pause", explanation="x"))
    typed(qtbot, "   ")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.result() == 0


def test_hold_from_date_moves_to_a_later_month_by_keyboard(qtbot):
    dialog = opened(qtbot, HoldDialog(start=date(2026, 12, 20), earliest=PLAN_START, latest=PLAN_END))
    typed(qtbot, "flare")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.from_date
    edit = dialog.from_date
    edit.setCurrentSection(edit.Section.MonthSection)
    for _ in range(2):
        qtbot.keyClick(edit, Qt.Key.Key_Up)  # December -> February of next year, through the year's end
    assert dialog.values()[0].month == 2 and dialog.values()[0].year in (2026, 2027)
    # typed whole, select-all first, as a clinician writes dates
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    typed(qtbot, "2027-03-05")
    assert dialog.values()[0] == date(2027, 3, 5)
    assert dialog.ok_button.isEnabled()


def test_a_hold_outside_the_plan_is_said_and_not_saved(qtbot):
    dialog = opened(qtbot, HoldDialog(start=date(2026, 12, 20), earliest=PLAN_START, latest=PLAN_END))
    typed(qtbot, "flare")
    edit = dialog.from_date
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    typed(qtbot, "2028-01-01")
    assert not dialog.ok_button.isEnabled()
    assert "within the plan" in dialog.problem.text() and dialog.problem.isVisible()


def test_hold_prefilled_from_the_flare_banner(qtbot):
    dialog = opened(qtbot, HoldDialog(start=date(2027, 1, 4), earliest=PLAN_START, latest=PLAN_END, days=14,
                                      reason="Flare: daily rating 7 after the cut"))
    assert dialog.values() == (date(2027, 1, 4), 14, "Flare: daily rating 7 after the cut")
    assert QApplication.focusWidget() is dialog.reason and dialog.ok_button.isEnabled()
    typed(qtbot, " (phoned)")
    assert dialog.value() == "Flare: daily rating 7 after the cut (phoned)"
