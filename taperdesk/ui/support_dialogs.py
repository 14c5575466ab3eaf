"""The non-drug support beside a taper: the clinic's list of what it offers
(File → Support offered…) and what is agreed with the patient (Plan → Support
agreed…). Both save a new version and keep the old ones; the patient's advice
page prints what was agreed, in the words it had that day."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import records
from taperdesk.clinic.permissions import OperationError
from taperdesk.core.plan_diff import format_day
from taperdesk.storage import StorageError
from taperdesk.ui.patient_dialog import ERROR_STYLE

COLUMNS = ("Support", "What the patient reads on the advice page", "Source")


def key_for(label: str, taken: set[str]) -> str:
    """A stored key from a new option's label ('Walking group' -> 'walking_group'), unique."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:36] or "option"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _error_label(name: str) -> QLabel:
    label = QLabel(objectName=name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class SupportListDialog(QDialog):
    """The clinic's list: one row per option; Save keeps it as a new version."""

    def __init__(self, parent: QWidget | None = None, *, author: storage.Clinician) -> None:
        super().__init__(parent)
        self.setWindowTitle("Support offered")
        self._author = author
        self._keys: list[str] = []
        intro = QLabel("The non-drug support your clinic offers beside a taper. What is agreed with a patient is "
                       "printed on their advice page in the words of the middle column (keep them short and plain). "
                       "Each save is kept: patients keep the words they were given.", wordWrap=True)
        self.table = QTableWidget(0, len(COLUMNS), objectName="options")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(2, 180)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        for option in storage.support_options():
            self._add_row(option.key, option.label, option.patient, option.source)
        self.table.resizeRowsToContents()
        add = QPushButton("&Add an option", objectName="add")
        add.clicked.connect(lambda: self._add_row("", "", "", "", edit=True))
        remove = QPushButton("&Remove the selected option", objectName="remove")
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        history = storage.support_list_history()
        self.history = QLabel(objectName="history")
        self.history.setText(f"Saved {len(history)} time{'s' if len(history) != 1 else ''}; last on "
                             f"{format_day(history[-1][0].astimezone().date())}." if history
                             else "The list TaperDesk ships with; not changed by this clinic yet.")
        self.error = _error_label("error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.table):
            layout.addWidget(widget)
        layout.addLayout(row)
        for widget in (self.history, self.error, buttons):
            layout.addWidget(widget)
        self.resize(900, 460)

    def _add_row(self, key: str, label: str, patient: str, source: str, edit: bool = False) -> int:
        n = self.table.rowCount()
        self.table.insertRow(n)
        for column, text in enumerate((label, patient, source)):
            self.table.setItem(n, column, QTableWidgetItem(text))
        self._keys.append(key)
        if edit:
            self.table.setCurrentCell(n, 0)
            self.table.editItem(self.table.item(n, 0))
        return n

    def set_row(self, row: int, label: str, patient: str, source: str = "") -> None:
        for column, text in enumerate((label, patient, source)):
            self.table.item(row, column).setText(text)

    def add_option(self, label: str, patient: str, source: str = "") -> int:
        return self._add_row("", label, patient, source)

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            del self._keys[row]

    def options(self) -> list[dict[str, str]]:
        taken = {k for k in self._keys if k}
        out = []
        for row, key in enumerate(self._keys):
            label, patient, source = (self.table.item(row, c).text().strip() for c in range(3))
            if not key:
                key = key_for(label, taken)
                taken.add(key)
            out.append({"key": key, "label": label, "patient": patient, "source": source})
        return out

    def accept(self) -> None:
        try:
            records.save_support_options(options=self.options(), author=self._author)
        except (StorageError, OperationError) as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.setVisible(True)
            return
        super().accept()


class AgreeSupportDialog(QDialog):
    """Tick what was agreed with the patient; Save records the whole set (none ticked: none now)."""

    def __init__(self, parent: QWidget | None = None, *, author: storage.Clinician, patient: storage.Patient,
                 plan_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Support agreed with {patient.name}")
        self._author, self._patient, self._plan_id = author, patient, plan_id
        agreed = {o.key for o in storage.support_agreed(patient_id=patient.id)}
        self._before = agreed
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("What was agreed beside the medicine plan. The patient's advice page lists it.",
                                wordWrap=True))
        self.boxes: dict[str, QCheckBox] = {}
        for option in storage.support_options():
            box = QCheckBox(option.label.replace("&", "&&"), objectName=f"support_{option.key}")
            box.setChecked(option.key in agreed)
            box.setToolTip(f"On the advice page: {option.patient}")
            layout.addWidget(box)
            self.boxes[option.key] = box
        self.note = QLineEdit(objectName="note")
        self.note.setPlaceholderText("optional, e.g. referred to the local CBT-I course")
        note_label = QLabel("&Note")
        note_label.setBuddy(self.note)
        row = QHBoxLayout()
        row.addWidget(note_label)
        row.addWidget(self.note, 1)
        layout.addLayout(row)
        self.history = QLabel(objectName="history", wordWrap=True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history.setText(self.history_text())
        layout.addWidget(self.history)
        self.error = _error_label("error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.boxes:
            next(iter(self.boxes.values())).setFocus()
        self.resize(520, self.sizeHint().height())

    def history_text(self) -> str:
        names = {c.id: c.name for c in storage.list_clinicians(include_inactive=True)}
        lines = []
        for h in storage.support_history(patient_id=self._patient.id)[-6:]:
            what = ", ".join(o.label for o in h.options) or "none"
            note = f" ({h.note})" if h.note else ""
            lines.append(f"{format_day(h.created_at.astimezone().date())}: {what}{note}, {names.get(h.author_id, '')}")
        return "Agreed before:\n" + "\n".join(lines) if lines else "Nothing recorded yet."

    def chosen(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def accept(self) -> None:
        if set(self.chosen()) == self._before and not self.note.text().strip():
            self.error.setText("Nothing is changed: tick or untick the support agreed, add a note, or Cancel.")
            self.error.setVisible(True)
            return
        try:
            records.agree_support(patient_id=self._patient.id, keys=self.chosen(), author=self._author,
                                  plan_id=self._plan_id, note=self.note.text())
        except (StorageError, OperationError) as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.setVisible(True)
            return
        super().accept()
