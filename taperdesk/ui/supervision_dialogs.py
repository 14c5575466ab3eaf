"""The small dialogs of supervision: a hold (from when, how long, why) and a
reason for a status change. Both refuse to close without a reason, because the
reason is printed and kept in the plan's history."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)


class _ReasonDialog(QDialog):
    def __init__(self, parent, title: str, intro: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.reason = QLineEdit()
        self.reason.textChanged.connect(self._update)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def _add_reason_row(self) -> None:
        self.form.addRow("&Reason", self.reason)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))


class HoldDialog(_ReasonDialog):
    def __init__(self, parent=None, *, start: date, earliest: date, latest: date):
        super().__init__(parent, "Hold the taper", "The dose in force on the first day is kept for the days you choose; every later step moves back by as many days.")
        self.from_date = QDateEdit(QDate(start.year, start.month, start.day))
        self.from_date.setCalendarPopup(True)
        self.from_date.setDateRange(QDate(earliest.year, earliest.month, earliest.day), QDate(latest.year, latest.month, latest.day))
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(14)
        self.days.setSuffix(" days")
        self.form.addRow("&From", self.from_date)
        self.form.addRow("&For", self.days)
        self._add_reason_row()
        self.reason.setPlaceholderText("e.g. withdrawal symptoms after the last cut")
        self.reason.setToolTip("For the clinical record and the clinician summary.")
        from taperdesk.export.patient_text import HOLD_WORDS  # the one wording, shared with the handout

        self.patient_sees = QLabel(f"The reason stays in the clinical record and the summary. The patient's handout"
                                   f" says: \u201c{HOLD_WORDS}\u201d")
        self.patient_sees.setWordWrap(True)
        self.form.addRow("Patient sees", self.patient_sees)

    def values(self) -> tuple[date, int, str]:
        return self.from_date.date().toPython(), self.days.value(), self.reason.text().strip()


class StatusDialog(_ReasonDialog):
    def __init__(self, parent=None, *, action: str, explanation: str):
        super().__init__(parent, f"{action} the plan", explanation)
        self._add_reason_row()

    def value(self) -> str:
        return self.reason.text().strip()


class RevisionReasonDialog(_ReasonDialog):
    def __init__(self, parent=None):
        super().__init__(parent, "Why revise?", "Say why the plan changes; it is kept with the new revision.")
        self._add_reason_row()

    def value(self) -> str:
        return self.reason.text().strip()
