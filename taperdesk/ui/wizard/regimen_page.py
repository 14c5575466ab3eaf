"""Page 1: what the patient takes now.

The drug is typed or picked (a case-insensitive completer over the
catalogue) and the page says at once what the catalogue knows of it: class,
half-life, its equivalent to diazepam 10 mg in the clinic's table, and the
source, so the clinician can check the figure the plan will rest on. When
revising, the dose is not entered but read from the plan (the dose in force
the day before the revision takes effect), so this page shows it with the
drug in force, and the day the revision takes effect is chosen here."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from taperdesk.core.catalogue import Catalogue, CatalogueError, Drug
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_in_words
from taperdesk.ui.date_field import DateField
from taperdesk.ui.wizard.common import NumberSpinBox, error_label, quiet, show_message
from taperdesk.ui.wizard.planning import REGIMEN, Outcome, RegimenInput

TIME_LABELS = {"morning": "&Morning:", "midday": "M&idday:", "evening": "&Evening:", "night": "Ni&ght:"}


class RegimenPage(QWizardPage):
    changed = Signal()  # a planning input changed
    reviseFromChanged = Signal(object)  # noqa: N815 (Qt naming): revising, the day the revision takes effect

    def __init__(self, catalogue: Catalogue, table: str, *, revising: bool = False, parent=None):
        super().__init__(parent)
        self.catalogue, self.table, self.revising = catalogue, table, revising
        self._complete = False
        self.setTitle("Dose in force" if revising else "Current regimen")
        self.setSubTitle(
            "The dose the patient is on when the revision takes effect; the rest of the plan is re-planned from it."
            if revising
            else "What the patient takes now: mg at each time of day (0 means no dose at that time)."
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.drug.addItems(["", *(d.name for d in catalogue.drugs)])
        self.drug.lineEdit().setPlaceholderText("type or choose, e.g. lorazepam")
        completer = QCompleter([d.name for d in catalogue.drugs], self.drug)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.drug.setCompleter(completer)
        # Tab out of the drug leaves the completer's list open (Qt), where it ate the next keys
        # (Alt+N twice under Xvfb): close it whenever the focus moves on
        QApplication.instance().focusChanged.connect(self._close_completer)
        self.drug.setToolTip("The benzodiazepine or z-drug the patient takes now")
        self.drug.setMinimumWidth(220)
        form.addRow("&Drug:", self.drug)
        self.drug_info = QLabel()
        # one fact a line, unwrapped: a wrapping label in a form row is given a
        # height for a narrower width than it gets, leaving gaps above and below
        self.drug_info.setTextFormat(Qt.TextFormat.RichText)
        form.addRow("", self.drug_info)

        self.doses: dict[str, NumberSpinBox] = {}
        self.dose_marks: dict[str, QLabel] = {}
        self._dose_rows: list[QWidget] = []
        for time in TIMES:
            spin = NumberSpinBox()
            spin.setSpecialValueText("no dose")
            spin.setAccessibleName(f"{time} dose in mg")
            spin.setMinimumWidth(140)
            spin.setMaximumWidth(180)
            mark = error_label()
            mark.setWordWrap(False)
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(spin)
            line.addWidget(mark)
            line.addStretch(1)
            label = QLabel(TIME_LABELS[time])
            label.setBuddy(spin)
            form.addRow(label, row)
            self.doses[time], self.dose_marks[time] = spin, mark
            self._dose_rows.append(row)
            spin.valueChanged.connect(self.changed)

        self.revise_from = DateField()
        self.revise_from.setAccessibleName("the day the revision takes effect")
        self.revise_from.dateChanged.connect(lambda _d: self.reviseFromChanged.emit(self.revise_from.day()))
        form.addRow("Revision takes &effect:", self.revise_from)
        self.in_force = QLabel()
        self.in_force.setTextFormat(Qt.TextFormat.RichText)
        self.in_force.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.in_force)

        self.months = QSpinBox()
        self.months.setRange(0, 1200)
        self.months.setSuffix(" months")
        self.months.setSpecialValueText("not recorded")
        form.addRow("How &long taken:", self.months)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Anything the next clinician should know (goes into the plan's notes)")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        form.addRow("N&otes:", self.notes)

        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.drug.currentTextChanged.connect(self.changed)
        for row in (self.drug, *self._dose_rows):
            form.setRowVisible(row, not revising)
        form.setRowVisible(self.in_force, revising)
        form.setRowVisible(self.revise_from, revising)
        order = [self.drug, *self.doses.values(), self.revise_from, self.months, self.notes]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

    def _close_completer(self, _old, new) -> None:
        popup = self.drug.completer().popup()
        if popup.isVisible() and new is not None and new is not self.drug.lineEdit() and new is not popup:
            popup.hide()

    # -- the wizard's side -----------------------------------------------------
    def values(self) -> RegimenInput:
        return RegimenInput(self.drug.currentText(), tuple((t, self.doses[t].value()) for t in TIMES))

    def set_values(self, drug: str, doses: dict[str, float]) -> None:
        """Fill the page from code (no re-plan: the caller re-plans once)."""
        with quiet(self.drug, *self.doses.values()):
            self.drug.setEditText(drug)
            for time, spin in self.doses.items():
                spin.setValue(doses.get(time, 0.0))

    def notes_text(self) -> str:
        parts = []
        if self.months.value():
            parts.append(f"Taken for {self.months.value()} months.")
        if self.notes.toPlainText().strip():
            parts.append(self.notes.toPlainText().strip())
        return "\n".join(parts)

    def show_outcome(self, out: Outcome, revise_from: date | None = None) -> None:
        self.drug_info.setText(self.describe(out.drug) if out.drug else "")
        for time, mark in self.dose_marks.items():
            show_message(mark, out.dose_errors.get(time))
        if self.revising:
            if revise_from is not None and self.revise_from.day() != revise_from:
                with quiet(self.revise_from):
                    self.revise_from.set_day(revise_from)
            self.in_force.setText(self._in_force_text(out, revise_from))
        show_message(self.error, out.errors.get(REGIMEN))
        self._complete = REGIMEN not in out.errors
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self._complete

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name: QWizard.next() asks this, not isComplete)
        return self._complete

    # -- text --------------------------------------------------------------------
    def describe(self, drug: Drug) -> str:
        facts = [drug.drug_class, f"half-life {escape(drug.half_life_h)} h"]
        if drug.short_acting:
            facts.append("short-acting")
        lines = [f"<b>{escape(drug.name)}</b> · " + " · ".join(facts)]
        try:
            eq = drug.equivalence(self.table)
            title = self.catalogue.table(self.table).title
            lines.append(f"{escape(eq.range_text())} ≈ diazepam 10 mg ({escape(title)})")
            source = eq.source
        except CatalogueError as exc:
            lines.append(f"<span style='color:#b00020'>{escape(str(exc))}</span>")
            source = ""
        products = self.catalogue.formulations_for(drug.name)
        if products:
            names = ", ".join(dict.fromkeys(f.label for f in products))
            lines.append(f"In the catalogue: {escape(names)}")
        else:
            lines.append(f"<span style='color:#b00020'>The catalogue lists no {escape(drug.name)} products.</span>")
        if source:
            lines.append(f"<span style='color:#555555'>Source: {escape(source)}</span>")
        return "<br>".join(lines)

    @staticmethod
    def _in_force_text(out: Outcome, revise_from: date | None) -> str:
        if out.in_force_day is None:
            return ""
        drugs = " and ".join(dict.fromkeys(d.drug for d in out.in_force))
        lines = [f"Drug in force: <b>{escape(drugs)}</b>", f"The revision takes effect on <b>{revise_from}</b>."]
        if out.hold_until is not None:
            lines.append(f"A hold is in force then: it runs to {out.hold_until} first, and the revision follows it.")
        lines.append(f"Dose in force on {out.in_force_day}:")
        for d in out.in_force:
            words = escape(units_in_words(d.units))
            lines.append(f"&nbsp;&nbsp;{d.time}: {fmt_mg(d.mg)} mg {escape(d.drug)} = {words}")
        if len({d.drug for d in out.in_force}) > 1:
            lines.append("The patient is part-way through the crossover to diazepam on that day.")
        return "<br>".join(lines)
