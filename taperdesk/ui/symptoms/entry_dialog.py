"""Enter (or correct) one symptom scale: a row per item, built from the scale's
definition, fast from the keyboard (a digit scores the item and moves to the
next), the total and band live, the date never in the future. Save refuses
until every item is scored and says which are not; a storage error is shown in
the dialog and nothing typed is lost. A correction is saved as a new version."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import records as clinic_records
from taperdesk.core.plan_diff import format_day
from taperdesk.core.scales import ScaleDefinition, ScaleError
from taperdesk.storage import Clinician, StorageError, SymptomEntry
from taperdesk.ui.patient_dialog import ERROR_STYLE
from taperdesk.ui.symptoms.entries_table import entry_on, total_text
from taperdesk.ui.symptoms.quick_row import ScoreSpin

WARNING_STYLE = "background: #fff4ce; color: #4a3700; border: 1px solid #d9a400; padding: 6px; font-weight: bold;"
UNVERIFIED = "Item wording not verified: check it against your local form."
OBSERVER_TITLE = "Observer-rated (clinician)"


class PastDateEdit(QDateEdit):
    """A date up to `latest` (today). Trying to step or type past it emits `refused`."""

    refused = Signal()

    def __init__(self, latest: dt.date, **kwargs) -> None:
        super().__init__(QDate(latest), **kwargs)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMaximumDate(QDate(latest))

    def stepEnabled(self):  # noqa: N802 (Qt): Up at the latest day is tried, then refused
        return super().stepEnabled() | QAbstractSpinBox.StepEnabledFlag.StepUpEnabled

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt)
        before = self.date()
        super().stepBy(steps)
        section = self.currentSection()
        wanted = (before.addYears(steps) if section == QDateEdit.Section.YearSection
                  else before.addMonths(steps) if section == QDateEdit.Section.MonthSection
                  else before.addDays(steps))
        if steps > 0 and self.date() == before and wanted > self.maximumDate():
            self.refused.emit()

    def validate(self, text: str, pos: int):
        result = super().validate(text, pos)
        typed = QDate.fromString(text, self.displayFormat())
        if typed.isValid() and typed > self.maximumDate():
            self.refused.emit()
        return result


class ScaleEntryDialog(QDialog):
    """`saved_entry()` is the stored SymptomEntry once Save has succeeded."""

    def __init__(self, parent: QWidget | None = None, *, definition: ScaleDefinition, patient_id: int,
                 author: Clinician, today: dt.date, correcting: SymptomEntry | None = None) -> None:
        super().__init__(parent)
        self.definition, self._patient_id, self._author = definition, patient_id, author
        self._today, self._correcting = today, correcting
        self._saved: SymptomEntry | None = None
        self.setWindowTitle(f"Correct {definition.title}" if correcting else definition.title)

        layout = QVBoxLayout(self)
        if not definition.usable:  # a licensed scale without its wording: say why, and it cannot be saved
            why = QLabel(f"{definition.title} cannot be used yet: {definition.needs_wording}", objectName="unusable")
            why.setStyleSheet(WARNING_STYLE)
            why.setWordWrap(True)
            layout.addWidget(why)
        elif definition.unverified:
            warning = QLabel(UNVERIFIED, objectName="unverified")
            warning.setStyleSheet(WARNING_STYLE)
            warning.setWordWrap(True)
            layout.addWidget(warning)
        if correcting is not None:
            original = QLabel(f"Correcting the entry of {format_day(correcting.date)}"
                              + (f" (note: {correcting.note})" if correcting.note else "")
                              + ". The old version stays in the history.", objectName="correcting")
            original.setWordWrap(True)
            layout.addWidget(original)

        self.date = PastDateEdit(today, objectName="date")
        self.date.refused.connect(self._future_refused)
        self.date.dateChanged.connect(self._changed)
        self.date_error = self._message("date_error")
        self.author_label = QLabel(author.name, objectName="author")
        self.note = QLineEdit(objectName="note")
        self.note.textEdited.connect(self._changed)
        top = QHBoxLayout()
        date_label = QLabel("&Date")
        date_label.setBuddy(self.date)
        top.addWidget(date_label)
        top.addWidget(self.date)
        top.addStretch(1)
        top.addWidget(QLabel("Entered by"))
        top.addWidget(self.author_label)
        self.author_label.setStyleSheet("font-weight: bold;")
        layout.addLayout(top)
        layout.addWidget(self.date_error)

        self.spins: dict[str, ScoreSpin] = {}
        items_box = QWidget()
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        patient_items = [i for i in definition.items if i.rater != "observer"]
        observer_items = [i for i in definition.items if i.rater == "observer"]
        numbers = {item.key: n for n, item in enumerate(definition.items, start=1)}
        for title, items in (("Patient-rated" if observer_items else "", patient_items),
                             (OBSERVER_TITLE, observer_items)):
            if items:
                items_layout.addWidget(self._item_group(title, items, numbers))
        items_layout.addStretch(1)
        self._scroll = scroll = QScrollArea(objectName="items")
        scroll.setWidgetResizable(True)
        scroll.setWidget(items_box)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(scroll, 1)

        self.total = QLabel(objectName="total")
        self.total.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.total)
        form = QFormLayout()
        self._row(form, "Why &corrected" if correcting else "&Note", self.note)
        if correcting is not None:
            self.note.setPlaceholderText("required: kept with the new version")
        layout.addLayout(form)
        source = QLabel(f"Source: {definition.source}", objectName="source")
        source.setToolTip(definition.note)
        source.setWordWrap(True)
        source.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(source)
        self.save_error = self._message("save_error")
        layout.addWidget(self.save_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        chain = [self.date, *self.spins.values(), self.note]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        spins = list(self.spins.values())
        for spin, after in zip(spins, [*spins[1:], self.note]):
            spin.advance.connect(lambda after=after: self._move_to(after))
        if correcting is not None:
            self.date.setDate(QDate(correcting.date))
            for key, value in correcting.items.items():
                spin = self.spins.get(key)
                if spin is not None and spin.minimum() < value <= spin.maximum():
                    spin.set_score(value)
                elif spin is not None:  # the scale's range changed since: never clamp silently
                    original.setText(original.text() + f" Its {key} score {value} is outside today's range: "
                                     "score it again.")
        if spins:
            spins[0].setFocus()
        screen = self.screen().availableGeometry().height() if self.screen() else 900
        scroll.setMinimumHeight(min(items_box.sizeHint().height() + 4, max(320, screen - 330)))
        self.resize(600, self.sizeHint().height())
        self._changed()

    # -- building -----------------------------------------------------------
    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget, buddy: QWidget | None = None) -> None:
        label = QLabel(text)
        label.setBuddy(buddy or field)
        form.addRow(label, field)

    @staticmethod
    def _message(name: str) -> QLabel:
        label = QLabel(objectName=name)
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def _item_group(self, title: str, items, numbers: dict[str, int]) -> QWidget:
        box = QGroupBox(title) if title else QWidget()
        box.setObjectName("observer" if title == OBSERVER_TITLE else "patient")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)
        grid.setContentsMargins(6, 4 if title else 0, 6, 4)
        for row, item in enumerate(items):
            spin = ScoreSpin(item.low, item.high, objectName=f"item_{item.key}")
            spin.setToolTip(f"{item.low}-{item.high}: type a digit to score and move on; Delete clears")
            spin.valueChanged.connect(self._changed)
            optional = "" if item.key in self.definition.required_keys else " (optional)"
            anchors = self.definition.anchor_text(item)
            label = QLabel(f"{numbers[item.key]}. {item.text}{optional}")
            label.setWordWrap(True)
            label.setBuddy(spin)
            grid.addWidget(label, 2 * row, 0, 1, 2)
            grid.addWidget(spin, 2 * row, 2)
            scale_range = QLabel(f"{item.low}-{item.high}")
            scale_range.setStyleSheet("color: palette(placeholder-text);")
            grid.addWidget(scale_range, 2 * row, 3)
            if anchors:  # what each score means, under every item (the sleep items read in their own words)
                meaning = QLabel(anchors, objectName=f"anchors_{item.key}")
                meaning.setWordWrap(True)
                meaning.setStyleSheet("color: palette(placeholder-text); font-size: small;")
                grid.addWidget(meaning, 2 * row + 1, 0, 1, 4)
                spin.setToolTip(f"{anchors}. Type a digit to score and move on; Delete clears")
                spin.setAccessibleDescription(anchors)
            self.spins[item.key] = spin
        return box

    def _move_to(self, widget: QWidget) -> None:
        widget.setFocus()
        if isinstance(widget, ScoreSpin):
            self._scroll.ensureWidgetVisible(widget)

    # -- state --------------------------------------------------------------
    def set_score(self, item_key: str, value: int | None) -> None:
        self.spins[item_key].set_score(value)

    def scores(self) -> dict[str, int]:
        """The scored items (an item not yet scored is left out)."""
        return {key: spin.score() for key, spin in self.spins.items() if spin.score() is not None}

    def total_text(self) -> str:
        return total_text(self.definition, self.scores())

    def set_date(self, day: dt.date) -> bool:
        """Set the entry's date; a future date is refused with an explanation (False)."""
        if day > self._today:
            self._future_refused()
            return False
        self.date.setDate(QDate(day))
        return True

    def entry_date(self) -> dt.date:
        return self.date.date().toPython()

    def unscored(self) -> list[tuple[int, str]]:
        """(number, text) of each required item not scored yet (every item, or a headline scale's headline)."""
        required = set(self.definition.required_keys)
        return [(n, i.text) for n, i in enumerate(self.definition.items, start=1)
                if i.key in required and self.spins[i.key].score() is None]

    def problems(self) -> list[str]:
        """What stops Save, in words (one line per unscored item); empty when it can save."""
        out = [f"Item {n} ({text}) is not scored." for n, text in self.unscored()]
        if self.entry_date() > self._today:
            out.append(f"The date cannot be after today ({format_day(self._today)}).")
        if self._correcting is not None:
            if not self.note.text().strip():
                out.append("Say why the entry is corrected.")
            if dict(self._correcting.items) == self.scores() and self._correcting.date == self.entry_date():
                out.append("Nothing is changed: change a score or the date, or Cancel.")
        return out

    def _changed(self, *_args) -> None:
        self.total.setText(self.total_text())
        self.save_error.setVisible(False)
        if self.entry_date() <= self._today:
            self.date_error.setVisible(False)

    def _future_refused(self) -> None:
        self.date_error.setText(f"An entry cannot be dated in the future: today is {format_day(self._today)}.")
        self.date_error.setVisible(True)

    def _refuse(self, text: str) -> None:
        self.save_error.setText(f"Not saved: {text}")
        self.save_error.setVisible(True)

    # -- saving -------------------------------------------------------------
    def accept(self) -> None:
        unscored = self.unscored()
        others = [p for p in self.problems() if not p.startswith("Item ")]
        if unscored:
            listed = ", ".join(f"{n} {text}" for n, text in unscored[:4])
            more = f" and {len(unscored) - 4} more" if len(unscored) > 4 else ""
            self._refuse(" ".join([f"score every item first; not scored: {listed}{more}.", *others]))
            self.spins[self.definition.items[unscored[0][0] - 1].key].setFocus()
            return
        if others:
            self._refuse(" ".join(others))
            return
        items, day = self.scores(), self.entry_date()
        try:
            if self._correcting is None:
                self.definition.check_usable()
            self.definition.score(items)
            if self._correcting is not None:
                self._saved = clinic_records.correct_symptom_entry(entry_id=self._correcting.id, items=items, date=day,
                                                            author=self._author, note=self.note.text().strip())
            else:
                if self.definition.key == "daily" and entry_on(self._patient_id, "daily", day) is not None:
                    self._refuse(f"a daily rating for {format_day(day)} is already recorded: correct that one "
                                 "instead (Correct… beside the entries).")
                    return
                self._saved = clinic_records.add_symptom_entry(
                    patient_id=self._patient_id, date=day, scale=self.definition.key, items=items,
                    author=self._author, note=self.note.text().strip(), scale_version=self.definition.version)
        except (ScaleError, StorageError) as exc:
            self._refuse(str(exc))
            return
        super().accept()

    def saved_entry(self) -> SymptomEntry | None:
        return self._saved
