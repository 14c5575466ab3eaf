"""Add or edit a patient. Each field is checked as it is typed and what is wrong
is said beside it; Save stays disabled until everything is valid. A storage
error is shown in the dialog and the typed details stay. An existing patient
can be archived (hidden from the list, nothing deleted) or unarchived."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import records as clinic_records
from taperdesk.core.plan_diff import format_day
from taperdesk.storage import Clinician, Patient, StorageError
from taperdesk.ui.other_medicines import OtherMedicinesBox

MAX_AGE_YEARS = 120
ERROR_STYLE = "color: #b00020;"


def today() -> dt.date:
    return dt.date.today()


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_born(text: str, *, on: dt.date) -> tuple[dt.date | None, str]:
    """(the date, '') or (None, what is wrong in plain words)."""
    text = text.strip()
    if not text:
        return None, "Enter the date of birth."
    try:
        born = dt.date.fromisoformat(text)
    except ValueError:
        return None, "Write the date as year-month-day, for example 1961-03-04."
    if born > on:
        return None, f"{format_day(born)} is in the future."
    if born < years_before(on, MAX_AGE_YEARS):
        return None, f"{format_day(born)} is more than {MAX_AGE_YEARS} years ago: check the year."
    return born, ""


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _beside(field: QWidget, *notes: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    for note in notes:
        layout.addWidget(note)
    return box


def plan_in_force(patient_id: int) -> str:
    """A warning naming the patient's plan when one is in force (draft, active,
    paused, or a taper ended with its dose continuing), else ''."""
    from taperdesk.clinic.plans import current_plan
    from taperdesk.core.in_force import STATUS_LABELS

    info = current_plan(patient_id=patient_id)
    if info is None or info.record.status == "completed":
        return ""
    plan = info.plan
    drugs = plan.drug + (f" → {plan.crossover_to}" if plan.crossover_to else "")
    label = STATUS_LABELS.get(info.record.status, info.record.status)
    return (f"Warning: this patient has a plan in force: the {drugs} plan started "
            f"{format_day(plan.start)} ({label}, revision {info.revision.number}). "
            "Archiving does not stop or pause it; the patient still takes its doses.")


class PatientDialog(QDialog):
    """`saved_patient()` is the stored Patient after Save (or after archiving)."""

    archived_changed = Signal(object)  # the Patient, after Archive/Unarchive

    def __init__(self, parent: QWidget | None = None, *, patient: Patient | None = None,
                 author: Clinician) -> None:
        super().__init__(parent)
        self._patient = patient
        self._author = author
        self._saved: Patient | None = None
        self._touched: set[str] = set()
        #: asked before archiving; returns True to go ahead (tests may replace it)
        self.confirm: Callable[[str, str], bool] = self._ask
        self.setWindowTitle("Edit patient" if patient else "Add patient")

        self.name = QLineEdit(objectName="name")
        self.born = QLineEdit(objectName="born")
        self.born.setPlaceholderText("year-month-day, e.g. 1961-03-04")
        self.identifier = QLineEdit(objectName="identifier")
        self.phone = QLineEdit(objectName="phone")
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(90)
        self.errors = {key: _error_label(f"{key}_error") for key in ("name", "born", "identifier")}
        self.born_hint = QLabel(objectName="born_hint")
        self.save_error = _error_label("save_error")
        self.state = QLabel(objectName="state")

        form = QFormLayout()
        rows = (("&Name", self.name, (self.errors["name"],)),
                ("Date of &birth", self.born, (self.born_hint, self.errors["born"])),
                ("Clinic &identifier", self.identifier, (self.errors["identifier"],)))
        for text, field, notes in rows:
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, _beside(field, *notes))
        for text, field in (("&Phone", self.phone), ("N&otes", self.notes)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.archive_button: QPushButton | None = None
        if patient is not None:
            self.archive_button = self.buttons.addButton("&Archive", QDialogButtonBox.ButtonRole.ActionRole)
            self.archive_button.clicked.connect(self.toggle_archived)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.other_medicines = OtherMedicinesBox(patient.id if patient is not None else None, today=today())
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.other_medicines)
        layout.addWidget(self.save_error)
        layout.addWidget(self.buttons)
        for first, second in ((self.name, self.born), (self.born, self.identifier), (self.identifier, self.phone),
                              (self.phone, self.notes), (self.notes, self.other_medicines.table)):
            QWidget.setTabOrder(first, second)

        if patient is not None:
            self.name.setText(patient.name)
            self.born.setText(patient.born.isoformat())
            self.identifier.setText(patient.identifier)
            self.phone.setText(patient.phone)
            self.notes.setPlainText(patient.notes)
            self._touched = {"name", "born", "identifier"}
        for key, field in (("name", self.name), ("born", self.born), ("identifier", self.identifier)):
            field.textEdited.connect(lambda _text, key=key: self._edited(key))
            field.editingFinished.connect(lambda key=key: self._edited(key))  # left empty: say so
        self._show_archived()
        self.validate()

    # -- checking -----------------------------------------------------------
    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self.save_error.setVisible(False)
        self.validate()

    def problems(self) -> dict[str, str]:
        """What is wrong, by field ('name', 'born', 'identifier'); empty when valid."""
        out: dict[str, str] = {}
        if not " ".join(self.name.text().split()):
            out["name"] = "Enter the patient's name."
        born, problem = check_born(self.born.text(), on=today())
        if problem:
            out["born"] = problem
        identifier = self.identifier.text().strip()
        if not identifier:
            out["identifier"] = "Enter the clinic identifier (it must be unique)."
        else:
            try:
                other = storage.find_patient_by_identifier(identifier=identifier)
            except StorageError as exc:
                other, out["identifier"] = None, str(exc)
            if other is not None and (self._patient is None or other.id != self._patient.id):
                out["identifier"] = f"{other.identifier} is already used for {other.name}."
        return out

    def validate(self) -> bool:
        """Show each problem beside its field (once the field has been edited) and
        enable Save only when there is none."""
        problems = self.problems()
        for key, label in self.errors.items():
            text = problems.get(key, "") if key in self._touched else ""
            label.setText(text)
            label.setVisible(bool(text))
        born, _ = check_born(self.born.text(), on=today())
        self.born_hint.setText(f"{format_day(born)}, aged {age_on(born, today())}" if born else "")
        self.born_hint.setVisible(born is not None)
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip("To save: " + " ".join(problems.values()) if problems else "")
        return not problems

    def error_text(self, key: str) -> str:
        """The message shown beside a field ('name', 'born', 'identifier') or under the form ('save')."""
        label = self.save_error if key == "save" else self.errors[key]
        return "" if label.isHidden() else label.text()

    # -- saving -------------------------------------------------------------
    def accept(self) -> None:
        self._touched |= set(self.errors)
        if not self.validate():
            return
        details = {"name": self.name.text(), "born": check_born(self.born.text(), on=today())[0],
                   "identifier": self.identifier.text(), "phone": self.phone.text(),
                   "notes": self.notes.toPlainText()}
        if problem := self.other_medicines.problem():
            self.save_error.setText(f"Not saved: {problem}")
            self.save_error.setVisible(True)
            return
        if not self._no_duplicate_or_confirmed(details["name"], details["born"]):
            return
        try:
            if self._patient is None:
                self._saved = clinic_records.add_patient(**details, author=self._author)
                self._patient = self._saved  # a second Save after a failed medicine write updates, not adds
            else:
                self._saved = clinic_records.update_patient(patient_id=self._patient.id, **details, author=self._author)
            self.other_medicines.apply(self._saved.id, self._author)
        except StorageError as exc:
            self.save_error.setText(f"Not saved: {exc}")
            self.save_error.setVisible(True)
            return
        super().accept()

    def _no_duplicate_or_confirmed(self, name: str, born) -> bool:
        """Same name and birth date as another patient: probably the same person
        added twice. Say who, and save only if the user says they differ."""
        try:
            others = storage.same_name_and_birth(name=name, born=born,
                                                 except_id=self._patient.id if self._patient else None)
        except StorageError:
            return True  # the save itself reports a storage problem
        if not others:
            return True
        who = "; ".join(f"{o.name}, born {format_day(o.born)}, identifier {o.identifier}"
                        + (" (archived)" if o.archived else "") for o in others)
        if self.confirm("Possible duplicate patient",
                        f"Another patient has the same name and birth date: {who}. "
                        "Is this a different person? Save anyway?"):
            return True
        self.save_error.setText(f"Not saved: same name and birth date as {who}.")
        self.save_error.setVisible(True)
        return False

    def saved_patient(self) -> Patient | None:
        return self._saved

    def has_unsaved_changes(self) -> bool:
        p = self._patient
        if self.other_medicines.has_changes():
            return True
        if p is None:
            return any((self.name.text(), self.born.text(), self.identifier.text(), self.phone.text(),
                        self.notes.toPlainText()))
        return (self.name.text(), self.born.text(), self.identifier.text(), self.phone.text(),
                self.notes.toPlainText()) != (p.name, p.born.isoformat(), p.identifier, p.phone, p.notes)

    # -- archiving ----------------------------------------------------------
    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def _show_archived(self) -> None:
        if self._patient is None or self.archive_button is None:
            self.state.setVisible(False)
            return
        archived = self._patient.archived
        self.archive_button.setText("Un&archive" if archived else "&Archive")
        self.state.setText("This patient is archived: hidden from the patient list." if archived else "")
        self.state.setVisible(archived)

    def toggle_archived(self) -> bool:
        """Archive (or unarchive) after confirmation; True if it was done. With no
        other change typed the dialog then closes (accepted); typed changes are
        not saved by this, so the dialog stays open for Save or Cancel."""
        if self._patient is None:
            return False
        archive = not self._patient.archived
        verb = "Archive" if archive else "Unarchive"
        question = (f"Archive {self._patient.name}? They are hidden from the patient list; nothing is deleted "
                    "and they can be unarchived." if archive else f"Unarchive {self._patient.name}?")
        if archive and (in_force := plan_in_force(self._patient.id)):
            question = f"{in_force}\n\n{question}"
        if not self.confirm(f"{verb} patient", question):
            return False
        try:
            self._patient = clinic_records.set_patient_archived(patient_id=self._patient.id, archived=archive,
                                                         author=self._author)
        except StorageError as exc:
            self.save_error.setText(f"Not {verb.lower()}d: {exc}")
            self.save_error.setVisible(True)
            return False
        self._saved = self._patient
        self._show_archived()
        self.archived_changed.emit(self._patient)
        if self.has_unsaved_changes():
            self.state.setText(f"{verb}d. Your other changes are not saved yet: Save or Cancel them.")
            self.state.setVisible(True)
        else:
            super().accept()
        return True
