"""The quick daily rating on the Symptoms tab, for the common case of a phone
call or a visit: severity and sleep 0-10, the falls that day (a side effect that
puts the patient on the day list; the other side effects are in the daily rating's
dialog), a note, Enter saves for today. A
second daily rating for the same day is refused with an offer to correct the
first. Also the score field that the scale dialogs share."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from taperdesk import storage
from taperdesk.clinic import records as clinic_records
from taperdesk.core.plan_diff import format_day
from taperdesk.core.scales import ScaleError
from taperdesk.storage import Clinician, StorageError, SymptomEntry
from taperdesk.ui.patient_dialog import ERROR_STYLE
from taperdesk.ui.symptoms.entries_table import entry_on, score_text, total_text

DAILY = "daily"


class ScoreSpin(QSpinBox):
    """One item's score, or not scored yet (shown as a dash). A digit key scores it
    and emits `advance` (the dialog moves focus on); where a two-digit score is
    possible (a 1 on a 0-10 item) it waits for the second digit, and a digit that
    cannot follow goes to the next item. Delete or Backspace clears the score.

    With advance_on_digit=False (the quick row) it never moves on: a digit that
    cannot follow starts the score again in the same field, and Tab moves on. In a
    two-field row a score jumping ahead put the sleep score into the note."""

    advance = Signal()

    def __init__(self, low: int, high: int, advance_on_digit: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self._advance_on_digit = advance_on_digit
        self.setRange(low - 1, high)
        self.setSpecialValueText("–")
        self.setValue(low - 1)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumWidth(64)
        self._pending = False

    def score(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_score(self, value: int | None) -> None:
        self._pending = False
        self.setValue(self.minimum() if value is None else value)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt)
        text = event.text()
        if len(text) == 1 and text.isdigit():
            digit = int(text)
            if self._pending:
                self._pending = False
                if self.value() * 10 + digit <= self.maximum():
                    self.setValue(self.value() * 10 + digit)
                    self.advance.emit()
                    return
                if not self._advance_on_digit:  # a fresh score in this field
                    self._score_digit(digit)
                    return
                self.advance.emit()  # the digit was meant for the next item
                target = self.window().focusWidget()
                if target is not None and target is not self:
                    QCoreApplication.sendEvent(target, QKeyEvent(event.type(), event.key(), event.modifiers(), text))
                return
            self._score_digit(digit)
            return
        self._pending = False
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_score(None)
            return
        super().keyPressEvent(event)

    def _score_digit(self, digit: int) -> None:
        if self.minimum() < digit <= self.maximum():  # a digit out of range is ignored
            self.setValue(digit)
            self._pending = 0 < digit and digit * 10 <= self.maximum()
            if not self._pending:
                self.advance.emit()

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._pending = False
        super().focusOutEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt)
        if self.hasFocus():  # scrolling the list must not change a score on the way
            super().wheelEvent(event)
        else:
            event.ignore()


class QuickDailyRow(QWidget):
    """`saved(entry)` after a save; `correctRequested(entry)` when the user takes the
    offer to correct today's existing rating (typed_scores() has what they typed)."""

    saved = Signal(object)
    correctRequested = Signal(object)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None, *, author: Clinician, today: dt.date) -> None:
        super().__init__(parent)
        self._author, self._today = author, today
        self._patient_id: int | None = None
        self._existing: SymptomEntry | None = None
        self.definition = storage.scale_definitions()[DAILY]
        items = {item.key: item for item in self.definition.items}
        # the row never moves the focus by itself: Tab moves on, as in any form
        self.severity = ScoreSpin(items["severity"].low, items["severity"].high, False, objectName="quick_severity")
        self.sleep = ScoreSpin(items["sleep"].low, items["sleep"].high, False, objectName="quick_sleep")
        self.falls = ScoreSpin(0, 9, False, objectName="quick_falls")
        self.falls.setToolTip("Falls today (optional): how many times; 9 means 9 or more. A fall puts the patient "
                              "on the day list.")
        self.falls.valueChanged.connect(self._hide_message)
        self.note = QLineEdit(objectName="quick_note")
        self.note.setPlaceholderText("optional, e.g. phone call")
        self.save_button = QPushButton("Save today", objectName="quick_save")
        self.save_button.setToolTip("Enter in the row saves too")  # no &-letter: every one is taken on this tab
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(objectName="quick_message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.correct_button = QPushButton("Update today's rating…", objectName="quick_correct")
        self.correct_button.setVisible(False)
        self.correct_button.clicked.connect(self._correct)
        for spin, item in ((self.severity, items["severity"]), (self.sleep, items["sleep"])):
            optional = "" if item.key in self.definition.required_keys else " (optional)"
            spin.setToolTip(f"{item.text}{optional} {item.low}-{item.high}: type a digit (1 then 0 for 10),"
                            " then Tab")
            spin.valueChanged.connect(self._hide_message)
        self.note.textEdited.connect(self._hide_message)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(objectName="quick_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        row.addWidget(self.heading)
        self._falls_label = QLabel("Falls")  # no letter: every one is taken on this tab; Tab reaches it
        for text, field in (("&Severity", self.severity), ("S&leep", self.sleep), (self._falls_label, self.falls),
                            ("&Note", self.note)):
            label = text if isinstance(text, QLabel) else QLabel(text)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, 1 if field is self.note else 0)
        row.addWidget(self.save_button)
        below = QHBoxLayout()
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.message, 1)
        below.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(below)
        for first, second in ((self.severity, self.sleep), (self.sleep, self.falls), (self.falls, self.note),
                              (self.note, self.save_button),
                              (self.save_button, self.correct_button)):
            QWidget.setTabOrder(first, second)
        self.set_today(today)
        self.set_patient(None)

    # -- public -------------------------------------------------------------
    def set_patient(self, patient_id: int | None) -> None:
        self._patient_id = patient_id
        if patient_id is not None:  # the clinic may have edited the daily rating meanwhile
            try:
                self.definition = storage.scale_definitions()[DAILY]
            except StorageError:
                pass
            for spin, key in ((self.severity, "severity"), (self.sleep, "sleep"), (self.falls, "falls")):
                if self._has(key):
                    item = self.definition.item(key)
                    spin.setRange(item.low - 1, item.high)
        has_falls = self._has("falls")  # a clinic's own daily rating may keep no falls
        self.falls.setVisible(has_falls)
        self._falls_label.setVisible(has_falls)
        self.clear()
        self._hide_message()
        for widget in (self.severity, self.sleep, self.falls, self.note, self.save_button):
            widget.setEnabled(patient_id is not None)

    def _has(self, key: str) -> bool:
        return any(item.key == key for item in self.definition.items)

    def set_author(self, author: Clinician) -> None:
        self._author = author

    def set_today(self, today: dt.date) -> None:
        self._today = today
        self.heading.setText(f"Daily rating for today, {format_day(today)}:")

    def clear(self) -> None:
        self.severity.set_score(None)
        self.sleep.set_score(None)
        self.falls.set_score(None)
        self.note.clear()

    def typed_scores(self) -> dict[str, int]:
        fields = (("severity", self.severity), ("sleep", self.sleep), ("falls", self.falls))
        return {key: spin.score() for key, spin in fields if spin.score() is not None and self._has(key)}

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    def save(self) -> SymptomEntry | None:
        """Save today's rating; None (with the reason shown) if it was not saved."""
        if self._patient_id is None:
            return None
        items = self.typed_scores()
        if "severity" not in items:
            self._say("Not saved: rate the severity first (0-10); sleep may be left out.", error=True)
            self.severity.setFocus()
            return None
        try:
            existing = entry_on(self._patient_id, DAILY, self._today)
            if existing is not None:
                self._existing = existing
                recorded = score_text(self.definition, existing.items, existing.total)
                self._say(f"Not saved: today's daily rating is already recorded (severity {recorded}). "
                          "Update that one instead?", error=True, offer_correct=True)
                return None
            self.definition.score(items)
            entry = clinic_records.add_symptom_entry(patient_id=self._patient_id, date=self._today, scale=DAILY,
                                              items=items, author=self._author, note=self.note.text().strip(),
                                              scale_version=self.definition.version)
        except (ScaleError, StorageError) as exc:
            self._say(f"Not saved: {exc}", error=True)
            return None
        self.clear()
        self._say(f"Saved for {format_day(self._today)}: {total_text(self.definition, items)}.")
        self.severity.setFocus()
        self.saved.emit(entry)
        return entry

    # -- inside -------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt): Enter in a field saves
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.save_button.isEnabled():
            self.save()
            return
        super().keyPressEvent(event)

    def _say(self, text: str, *, error: bool = False, offer_correct: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setVisible(True)
        self.correct_button.setVisible(offer_correct)

    def _hide_message(self, *_args) -> None:
        self.message.setVisible(False)
        self.correct_button.setVisible(False)

    def _correct(self) -> None:
        if self._existing is not None:
            self.correctRequested.emit(self._existing)
