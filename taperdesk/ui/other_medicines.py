"""The patient dialog's box for what the patient takes besides the taper: other
medicines, other sedating substances, and alcohol in units a week.

Changes wait in the box until the dialog is saved (Cancel forgets them), then
are written by appending (storage.other_medicines): stopping a medicine adds a
row with its stop date, so the history below the list shows what was taken
when. Interactions are checked against these records wherever a plan is shown."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import records as clinic_records
from taperdesk.core.interactions import alcohol_units
from taperdesk.storage import Clinician

ERROR_STYLE = "color: #b00020;"
KINDS = (("Medicine", "medicine"), ("Sedating substance", "substance"))


def _day(text: str, what: str) -> tuple[dt.date | None, str]:
    text = text.strip()
    if not text:
        return None, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, f"Write the {what} as year-month-day, for example 2025-06-01."


class OtherMedicinesBox(QGroupBox):
    """`pending` is what Save will write; `apply(patient_id, author)` writes it."""

    def __init__(self, patient_id: int | None, *, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__("Other medicines, substances and alcohol", parent)
        self.today = today
        self.recorded = storage.other_medicines(patient_id=patient_id) if patient_id is not None else None
        self.adds: list[tuple[str, str, dt.date | None, str]] = []  # (name, dose, since, kind)
        self.stops: dict[int, dt.date] = {}  # record id -> stop date

        self.table = QTableWidget(0, 3, objectName="otherMedicines")
        self.table.setHorizontalHeaderLabels(["Medicine or substance", "Dose", "Since"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setFixedHeight(110)
        self.table.setAccessibleName("other medicines")

        self.name = QLineEdit(objectName="otherName")
        self.name.setPlaceholderText("e.g. oxycodone, or cannabis")
        self.dose = QLineEdit(objectName="otherDose")
        self.dose.setPlaceholderText("e.g. 10 mg twice a day")
        self.since = QLineEdit(objectName="otherSince")
        self.since.setPlaceholderText("year-month-day (optional)")
        for field, words in ((self.name, "name of another medicine or substance"), (self.dose, "its dose"),
                             (self.since, "taken since")):
            field.setAccessibleName(words)
        self.kind = QComboBox(objectName="otherKind")
        for text, value in KINDS:
            self.kind.addItem(text, value)
        for field in (self.name, self.dose, self.since, self.kind):
            field.installEventFilter(self)  # Enter here adds the row: it must never reach the dialog's Save
        self.add_button = QPushButton("Add to &list")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_from_fields)
        self.stop_button = QPushButton("Mark s&topped")
        self.stop_button.setToolTip("Marks the chosen medicine as stopped on the date beside it (kept in the history).")
        self.stop_button.setAutoDefault(False)
        self.stop_button.clicked.connect(self.stop_selected)
        self.stop_date = QLineEdit(today.isoformat(), objectName="otherStopDate")
        self.stop_date.setMaximumWidth(110)
        self.alcohol = QLineEdit(objectName="alcoholUnits")
        self.alcohol.setPlaceholderText("units a week; 0 for none; blank if not asked")
        self.error = QLabel(objectName="otherError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.history = QPlainTextEdit(objectName="otherHistory")
        self.history.setReadOnly(True)
        self.history.setTabChangesFocus(True)
        self.history.setFixedHeight(60)

        entry = QHBoxLayout()
        for widget in (self.name, self.dose, self.since, self.kind, self.add_button):
            entry.addWidget(widget)
        stop = QHBoxLayout()
        stop.addWidget(self.stop_button)
        stop.addWidget(QLabel("on"))
        stop.addWidget(self.stop_date)
        stop.addStretch(1)
        form = QFormLayout()
        alcohol_label = QLabel("Alco&hol")
        alcohol_label.setBuddy(self.alcohol)
        form.addRow(alcohol_label, self.alcohol)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(stop)
        layout.addLayout(entry)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(QLabel("History"))
        layout.addWidget(self.history)
        if self.recorded is not None and self.recorded.alcohol_units is not None:
            self.alcohol.setText(f"{self.recorded.alcohol_units:g}")
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the entry row adds what is typed (or says what is missing); with
        nothing typed it moves on to the next field. A line edit passes Enter on to
        its dialog, whose default button is Save: a half-typed medicine was saved
        without it, or the whole dialog refused."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not (watched is self.kind and self.kind.view().isVisible())):
            if any(field.text().strip() for field in (self.name, self.dose, self.since)):
                self.add_from_fields()
            else:
                self.focusNextChild()
            return True
        return super().eventFilter(watched, event)

    # -- the list ------------------------------------------------------------
    def rows(self) -> list[tuple[str, str, str]]:
        """What the list shows: (name, dose, since) with '(stopping …)' or '(new)' marks."""
        out = []
        for record in self.recorded.current if self.recorded else ():
            name = record.name + (" (substance)" if record.kind == "substance" else "")
            if record.id in self.stops:
                name += f" (stopping {self.stops[record.id].isoformat()})"
            out.append((name, record.dose, record.since.isoformat() if record.since else ""))
        for name, dose, since, kind in self.adds:
            out.append((name + (" (substance)" if kind == "substance" else "") + " (new)", dose,
                        since.isoformat() if since else ""))
        return out

    def refresh(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        lines = [f"{r.created_at[:10]}  {r.describe()}" for r in (self.recorded.history if self.recorded else ())]
        self.history.setPlainText("\n".join(lines) or "Nothing recorded yet.")

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def add_from_fields(self) -> bool:
        name = " ".join(self.name.text().split())
        if not name:
            self._say("Type the medicine's or substance's name first.")
            return False
        since, problem = _day(self.since.text(), "start date")
        if problem:
            self._say(problem)
            return False
        self.adds.append((name, " ".join(self.dose.text().split()), since, self.kind.currentData()))
        for field in (self.name, self.dose, self.since):
            field.clear()
        self._say("")
        self.refresh()
        self.name.setFocus()
        return True

    def stop_selected(self) -> bool:
        row = self.table.currentRow()
        current = self.recorded.current if self.recorded else ()
        if not 0 <= row < len(current):
            self._say("Choose a recorded medicine in the list first (a new one can just be left out: Cancel).")
            return False
        day, problem = _day(self.stop_date.text(), "stop date")
        if problem or day is None:
            self._say(problem or "Enter the date it was stopped.")
            return False
        self.stops[current[row].id] = day
        self._say("")
        self.refresh()
        return True

    # -- saving --------------------------------------------------------------
    def problem(self) -> str:
        """What must be fixed before Save ('' when nothing)."""
        try:
            alcohol_units(self.alcohol.text())
        except ValueError:
            return "Alcohol: give a number of units a week from 0 to 500 (0 for none), or leave it blank."
        if self.name.text().strip():
            return "A medicine is typed but not added: press Add to list, or clear the name."
        return ""

    def has_changes(self) -> bool:
        before = self.recorded.alcohol_units if self.recorded else None
        try:
            units = alcohol_units(self.alcohol.text())
        except ValueError:
            return True
        return bool(self.adds or self.stops or units != before or self.name.text().strip())

    def apply(self, patient_id: int, author: Clinician) -> None:
        """Write what waits, by appending, as the account's role allows (clinic.records; raises
        StorageError or PermissionRefused, also a StorageError; what was written stays written)."""
        for record_id, day in self.stops.items():
            clinic_records.stop_other_medicine(patient_id=patient_id, record_id=record_id, stopped=day,
                                               author=author)
        for name, dose, since, kind in self.adds:
            clinic_records.record_other_medicine(patient_id=patient_id, name=name, dose=dose, since=since,
                                                 kind=kind, author=author)
        units = alcohol_units(self.alcohol.text())
        before = self.recorded.alcohol_units if self.recorded else None
        if units is not None and units != before:
            clinic_records.set_alcohol_units(patient_id=patient_id, units_week=units, author=author)
        self.adds, self.stops = [], {}
        self.recorded = storage.other_medicines(patient_id=patient_id)
        self.refresh()
