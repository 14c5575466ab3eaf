"""The small dialogs of supervision: a hold (from when, how long, why) and a
reason for a status change or a revision. Each refuses to close without a
reason, because the reason is printed and kept in the plan's history.

Each opens with the cursor in the reason box, so what the clinician types
lands there: a space is a space (it never presses Cancel, which had focus
before) and Enter starts a new line (a reason may take several). The OK
button, or Ctrl+Enter, saves. The hold's "From" date is typed as
YYYY-MM-DD or stepped with the arrow keys into any month; a date outside the
plan is said in words and keeps OK disabled, rather than being refused key
by key (which made a later month unreachable from the keyboard)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from taperdesk.core.plan_diff import format_day
from taperdesk.ui.date_field import DateField

ERROR_STYLE = "color: #b00020;"
NO_REASON = "Give a reason: it is kept in the plan's history."


class ReasonEdit(QPlainTextEdit):
    """A few lines of plain text; Tab leaves it (it never types a tab)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMaximumHeight(90)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (the line edit's name, which callers use)
        self.setPlainText(text)


class _ReasonDialog(QDialog):
    def __init__(self, parent, title: str, intro: str, ok_text: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.reason = ReasonEdit()
        self.reason.setAccessibleName("reason")
        self.reason.textChanged.connect(self._update)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setToolTip("Ctrl+Enter")
        for button in self.buttons.buttons():  # Enter belongs to the reason box, never to a button
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._submit)
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _add_reason_row(self, reason: str = "") -> None:
        label = QLabel("&Reason:")
        label.setBuddy(self.reason)
        self.form.addRow(label, self.reason)
        if reason:
            self.reason.setText(reason)
            self.reason.moveCursor(self.reason.textCursor().MoveOperation.End)
        self.reason.setFocus()  # the first key typed goes into the reason, not to Cancel
        self._update()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def problem_text(self) -> str:
        """Why OK is disabled ('' when it is not)."""
        return "" if self.reason.text().strip() else NO_REASON

    def _update(self) -> None:
        problem = self.problem_text()
        self.ok_button.setEnabled(not problem)
        shown = "" if problem == NO_REASON else problem  # an empty box at the start needs no red line
        self.problem.setText(shown)
        self.problem.setVisible(bool(shown))

    def _submit(self) -> None:
        if self.ok_button.isEnabled():
            self.accept()

    def value(self) -> str:
        return self.reason.text().strip()


class HoldDialog(_ReasonDialog):
    def __init__(self, parent=None, *, start: date, earliest: date, latest: date, days: int = 14, reason: str = ""):
        super().__init__(parent, "Hold the taper",
                         "The dose in force on the first day is kept for the days you choose; every later step "
                         "moves back by as many days.", "Save hold")
        self.earliest, self.latest = earliest, latest
        self.from_date = DateField(start)  # the plan's range is checked in problem_text, not key by key
        self.from_date.dateChanged.connect(self._update)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(days)
        self.days.setSuffix(" days")
        from_label, for_label = QLabel("&From:"), QLabel("F&or:")
        from_label.setBuddy(self.from_date)
        for_label.setBuddy(self.days)
        self.form.addRow(from_label, self.from_date)
        self.form.addRow(for_label, self.days)
        self._add_reason_row(reason)
        self.reason.setPlaceholderText("e.g. withdrawal symptoms after the last cut")
        self.reason.setToolTip("For the clinical record and the clinician summary.")
        from taperdesk.export.patient_text import HOLD_WORDS  # the one wording, shared with the handout

        self.patient_sees = QLabel(f"The reason stays in the clinical record and the summary. The patient's handout"
                                   f" says: \u201c{HOLD_WORDS}\u201d")
        self.patient_sees.setWordWrap(True)
        self.form.addRow("Patient sees", self.patient_sees)
        self.setTabOrder(self.reason, self.from_date)
        self.setTabOrder(self.from_date, self.days)

    def problem_text(self) -> str:
        day = self.from_date.date().toPython()
        if not self.earliest <= day <= self.latest:
            return (f"The hold must start within the plan: from {format_day(self.earliest)} "
                    f"to {format_day(self.latest)}.")
        return super().problem_text()

    def values(self) -> tuple[date, int, str]:
        return self.from_date.date().toPython(), self.days.value(), self.reason.text().strip()


class StatusDialog(_ReasonDialog):
    def __init__(self, parent=None, *, action: str, explanation: str):
        super().__init__(parent, f"{action} the plan", explanation, f"{action} the plan")
        self._add_reason_row()


class RevisionReasonDialog(_ReasonDialog):
    def __init__(self, parent=None):
        super().__init__(parent, "Why revise?", "Say why the plan changes; it is kept with the new revision.",
                         "Save revision")
        self._add_reason_row()
