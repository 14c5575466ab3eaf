"""Two small pieces of paper work in the app: the plan's prescriber and
pharmacy supply period (a box on the wizard's approach page), and the patient's
next review date (a dialog from the Plan menu). Both are saved through the
clinic layer and printed on the papers."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
)

SUPPLY_DAYS = (7, 14, 28)
NO_PRESCRIBER = "(the prescriber signs the order by hand)"


class PaperChoice(QGroupBox):
    """Prescriber (from the clinic's list) and the pharmacy supply period for this plan."""

    def __init__(self, prescribers: tuple[str, ...], supply_days: int = 28, parent=None) -> None:
        super().__init__("Prescriber and pharmacy supply", parent)
        form = QFormLayout(self)
        self.prescriber = QComboBox()
        self.prescriber.addItems([*prescribers, NO_PRESCRIBER] if prescribers else [NO_PRESCRIBER])
        self.supply = QComboBox()
        for days in SUPPLY_DAYS:
            self.supply.addItem(f"{days} days", days)
        self.supply.setCurrentIndex(SUPPLY_DAYS.index(supply_days) if supply_days in SUPPLY_DAYS else 2)
        form.addRow("P&rescriber:", self.prescriber)
        form.addRow("Pharmacy su&pply:", self.supply)

    def values(self) -> tuple[str, int]:
        name = self.prescriber.currentText()
        return ("" if name == NO_PRESCRIBER else name), int(self.supply.currentData())


class ReviewDateDialog(QDialog):
    """The patient's next review (the Joint Guideline asks for one at every dose cut)."""

    def __init__(self, parent=None, *, current: date | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle("Next review")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The date is printed on the patient's handout."))
        form = QFormLayout()
        start = current or today
        self.when = QDateEdit(QDate(start.year, start.month, start.day))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.when.setMinimumDate(QDate(today.year, today.month, today.day))
        self.none = QCheckBox("No review booked")
        self.none.toggled.connect(lambda on: self.when.setEnabled(not on))
        form.addRow("&Next review:", self.when)
        form.addRow("", self.none)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def value(self) -> date | None:
        return None if self.none.isChecked() else self.when.date().toPython()
