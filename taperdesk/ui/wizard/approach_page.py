"""Page 2: how to taper: method, pace, crossover, target and start.

The guideline's words and their citation sit beside the pace so the
clinician sets it against the source, not from memory. A crossover is only
ever suggested (Maudsley finds the evidence equivocal), never ticked for
them. A pace faster than the guideline is refused until the clinician
overrides it explicitly; the box for that is enabled only when it applies,
with a line saying what it does, and the engine writes the override into
the plan's warnings."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Mapping

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from taperdesk.core.guidance import load_guidance
from taperdesk.core.settings import METHODS
from taperdesk.ui.date_field import DateField
from taperdesk.ui.wizard.common import NumberSpinBox, error_label, note_label, quiet, show_message
from taperdesk.ui.wizard.planning import APPROACH, REFERENCE, ApproachInput, Outcome

METHOD_TEXT = {
    "proportional": ("&Proportional",
                     "Cut a set % of the current dose each time: the cuts get smaller as the dose falls."),
    "fixed": ("Fi&xed", "Cut the same amount each time: a set number of mg, or a % of the starting dose."),
    "stepwise": ("S&tepwise", "Follow the Ashton / NICE CKS schedule: set mg cuts for each dose band."),
}
FIXED_UNITS = ("mg each time", "% of the starting dose")


def _cited(pairs: list[tuple[str, str]]) -> str:
    """Guideline sentences, each source named once after the sentences it supports."""
    by_source: dict[str, list[str]] = {}
    for text, source in pairs:
        texts = by_source.setdefault(source, [])
        texts.append(text[0].lower() + text[1:] if texts else text)
    return "<br>".join(
        f"{escape('; '.join(texts))}. <span style='color:#555555'>({escape(source)})</span>"
        for source, texts in by_source.items()
    )


class ApproachPage(QWizardPage):
    changed = Signal()

    def __init__(self, *, revising: bool = False, parent=None):
        super().__init__(parent)
        self.revising = revising
        self._complete = False
        self.guidance = load_guidance()
        self.setTitle("Approach")
        self.setSubTitle("How the dose comes down. Every change re-plans at once; the Review page shows the result.")

        # -- method ------------------------------------------------------------
        method_box = QGroupBox("Method")
        method_layout = QVBoxLayout(method_box)
        self.methods = QButtonGroup(self)
        self.method_radio: dict[str, QRadioButton] = {}
        for i, method in enumerate(METHODS):
            label, explanation = METHOD_TEXT[method]
            radio = QRadioButton(label)
            self.methods.addButton(radio, i)
            self.method_radio[method] = radio
            method_layout.addWidget(radio)
            note = note_label(explanation)
            note.setContentsMargins(22, 0, 0, 4)
            method_layout.addWidget(note)

        # -- pace --------------------------------------------------------------
        pace_box = QGroupBox("Pace")
        pace = QFormLayout(pace_box)
        self.cut_percent = NumberSpinBox(decimals=1, low=0.5, high=99, step=1, suffix=" % of the current dose")
        pace.addRow("&Cut:", self.cut_percent)
        self.fixed_mg = NumberSpinBox(low=0.0001)
        self.fixed_percent = NumberSpinBox(decimals=1, low=0.5, high=99, step=1, suffix=" %")
        self.fixed_unit = QComboBox()
        self.fixed_unit.addItems(FIXED_UNITS)
        fixed_row = QWidget()
        line = QHBoxLayout(fixed_row)
        line.setContentsMargins(0, 0, 0, 0)
        for w in (self.fixed_mg, self.fixed_percent, self.fixed_unit):
            line.addWidget(w)
        self._fixed_label = QLabel("&Cut:")
        self._fixed_label.setBuddy(self.fixed_mg)
        pace.addRow(self._fixed_label, fixed_row)
        self._fixed_row = fixed_row
        self.stepwise_note = note_label("The schedule sets each cut from the daily dose (below).")
        pace.addRow("", self.stepwise_note)
        self.interval = QSpinBox()
        self.interval.setRange(1, 365)
        self.interval.setSuffix(" days")
        pace.addRow("E&very:", self.interval)
        self.guideline = QLabel()
        self.guideline.setWordWrap(True)
        pace.addRow("Guideline:", self.guideline)
        self.allow_fast = QCheckBox("&Allow a faster pace than the guideline")
        self.allow_fast.setEnabled(False)
        pace.addRow("", self.allow_fast)
        self.allow_fast_note = note_label()
        pace.addRow("", self.allow_fast_note)
        self._pace = pace

        # -- crossover ---------------------------------------------------------
        cross_box = QGroupBox("Crossover")
        cross = QFormLayout(cross_box)
        self.crossover = QCheckBox("Cross &over to diazepam first")
        cross.addRow(self.crossover)
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.suggestion.setStyleSheet("color: #1f5fa8;")
        cross.addRow(self.suggestion)
        rule = self.guidance["crossover.to"]
        self.crossover_rule = note_label(f"{rule.text} ({rule.cite()}).")
        cross.addRow(self.crossover_rule)
        self.crossover_days = QSpinBox()
        self.crossover_days.setRange(1, 90)
        self.crossover_days.setSuffix(" days")
        self.crossover_days.setValue(int(self.guidance["crossover.default_days"].value))
        cross.addRow("Each &stage lasts:", self.crossover_days)

        # -- target and start --------------------------------------------------
        end_box = QGroupBox("Target and start")
        end = QFormLayout(end_box)
        self.targets = QButtonGroup(self)
        self.stop = QRadioButton("Stop co&mpletely")
        self.stay = QRadioButton("Stay on a &lower dose:")
        self.targets.addButton(self.stop, 0)
        self.targets.addButton(self.stay, 1)
        self.stop.setChecked(True)
        end.addRow(self.stop)
        self.target = NumberSpinBox(suffix=" mg a day")
        stay_row = QWidget()
        line = QHBoxLayout(stay_row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.stay)
        line.addWidget(self.target, 1)
        end.addRow(stay_row)
        self.start = DateField()  # typed years work (2099 stays 2099); the wizard asks about far-off starts
        end.addRow("Start &date:", self.start)
        self.start_note = note_label()
        end.addRow("", self.start_note)

        # -- the end of the taper and the dose ceiling (issue 10) ------------------
        finish_box = QGroupBox("End of the taper")
        finish = QFormLayout(finish_box)
        self.cut_order = QComboBox()
        self.cut_order.addItem("Keep the doses equal", "even")
        self.cut_order.addItem("Cut the first dose of the day to zero first (NHS Scotland)", "first")
        finish.addRow("C&ut order:", self.cut_order)
        self.final_dose = NumberSpinBox(high=10, step=0.5, suffix=" mg diazepam-eq a day")
        self.final_dose.setSpecialValueText("0.5 mg, or the smallest dose the stock makes")
        finish.addRow("Stop &from:", self.final_dose)
        band = self.guidance.bands[-1]
        self.nice_band = QCheckBox("Use the NICE C&KS end band (below 5 mg: 0.5–1 mg cuts, one interval apart)")
        self.nice_band.setToolTip(f"{band.text} ({band.source}). Faster than the pace near the end; written on the plan.")
        finish.addRow(self.nice_band)
        self.confirm_high = QCheckBox("Confirm a &high dose (above the maximum)")
        self.confirm_high.setToolTip("Each drug's maximum daily dose is in the catalogue with its source;"
                                     " a confirmed high dose is written on the plan.")
        finish.addRow(self.confirm_high)

        self.error = error_label()
        grid = QGridLayout(self)
        grid.addWidget(method_box, 0, 0)
        grid.addWidget(pace_box, 1, 0)
        grid.addWidget(cross_box, 0, 1)
        grid.addWidget(end_box, 1, 1)
        grid.addWidget(finish_box, 2, 0, 1, 2)
        grid.addWidget(self.error, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(4, 1)

        order = [*self.method_radio.values(), self.cut_percent, self.fixed_mg, self.fixed_percent, self.fixed_unit,
                 self.interval, self.allow_fast, self.crossover, self.crossover_days, self.stop, self.stay,
                 self.target, self.start, self.cut_order, self.final_dose, self.nice_band, self.confirm_high]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

        self.methods.idToggled.connect(lambda _id, on: on and self._input_changed())
        self.targets.idToggled.connect(lambda _id, on: on and self._input_changed())
        self.fixed_unit.currentIndexChanged.connect(self._input_changed)
        self.crossover.toggled.connect(self._input_changed)
        for spin in (self.cut_percent, self.fixed_mg, self.fixed_percent, self.interval, self.crossover_days,
                     self.target):
            spin.valueChanged.connect(self.changed)
        self.start.dateChanged.connect(self.changed)
        self.allow_fast.toggled.connect(self.changed)
        self.cut_order.currentIndexChanged.connect(self.changed)
        self.final_dose.valueChanged.connect(self.changed)
        self.nice_band.toggled.connect(self.changed)
        self.confirm_high.toggled.connect(self.changed)

    # -- the wizard's side -----------------------------------------------------
    def method(self) -> str:
        return METHODS[max(self.methods.checkedId(), 0)]

    def values(self) -> ApproachInput:
        method = self.method()
        percent_fixed = self.fixed_unit.currentIndex() == 1
        cut_percent = {"proportional": self.cut_percent.value(),
                       "fixed": self.fixed_percent.value() if percent_fixed else None}.get(method)
        return ApproachInput(
            method=method,
            cut_percent=cut_percent,
            cut_mg=self.fixed_mg.value() if method == "fixed" and not percent_fixed else None,
            interval_days=self.interval.value(),
            crossover=self.crossover.isChecked(),
            crossover_days=self.crossover_days.value(),
            target_mg=self.target.value() if self.stay.isChecked() else 0.0,
            start=self.start.date().toPython(),
            allow_fast=self.allow_fast.isChecked() and self.allow_fast.isEnabled(),
            cut_order=self.cut_order.currentData(),
            final_dose_mg=self.final_dose.value() or None,
            end_band="nice" if self.nice_band.isChecked() else "default",
            confirm_high_dose=self.confirm_high.isChecked(),
        )

    def set_values(self, pace: Mapping, start: date) -> None:
        """Fill from a pace mapping (clinic default) or PlanSettings.to_dict() (a revision)."""
        widgets = (self.methods, self.targets, self.cut_percent, self.fixed_mg, self.fixed_percent, self.fixed_unit,
                   self.interval, self.crossover, self.crossover_days, self.target, self.start, self.allow_fast,
                   *self.method_radio.values(), self.stop, self.stay, self.cut_order, self.final_dose,
                   self.nice_band, self.confirm_high)
        with quiet(*widgets):
            method = pace.get("method") or "proportional"
            self.method_radio[method].setChecked(True)
            cut = pace.get("cut_percent")
            default_cut = float(self.guidance["pace.default_cut_percent"].value)
            self.cut_percent.setValue(cut if method == "proportional" and cut is not None else default_cut)
            self.fixed_percent.setValue(cut if method == "fixed" and cut is not None else 5.0)
            self.fixed_mg.setValue(pace.get("cut_mg") or 1.0)
            self.fixed_unit.setCurrentIndex(0 if pace.get("cut_mg") is not None else 1)
            self.interval.setValue(int(pace.get("interval_days") or 14))
            self.crossover.setChecked(bool(pace.get("crossover", False)))
            if pace.get("crossover_days"):
                self.crossover_days.setValue(int(pace["crossover_days"]))
            target = float(pace.get("target_mg") or 0.0)
            (self.stay if target > 0 else self.stop).setChecked(True)
            self.target.setValue(target)
            self.allow_fast.setChecked(bool(pace.get("allow_fast", False)))
            self.cut_order.setCurrentIndex(0 if (pace.get("cut_order") or "even") == "even" else 1)
            self.final_dose.setValue(float(pace.get("final_dose_eq_mg") or 0.0))
            self.nice_band.setChecked(pace.get("end_band") == "nice")
            self.confirm_high.setChecked(bool(pace.get("confirm_high_dose", False)))
            self.start.setDate(QDate(start.year, start.month, start.day))
            self.start.setReadOnly(self.revising)
        self._show_method()

    def show_outcome(self, out: Outcome) -> None:
        drug = out.drug
        can_cross = drug is not None and bool(out.taking) and out.taking != {REFERENCE}
        self.crossover.setEnabled(can_cross)
        self.crossover_days.setEnabled(can_cross and self.crossover.isChecked())
        if drug is not None and drug.short_acting and can_cross:
            self.suggestion.setText(
                f"{drug.name} is short-acting: a gradual crossover to diazepam can be considered"
                " (Ashton; Joint Guideline 2025 Rec 7)."
            )
        elif out.taking == {REFERENCE}:
            self.suggestion.setText("The patient is on diazepam already: no crossover is needed.")
        else:
            self.suggestion.setText("")
        self.suggestion.setVisible(bool(self.suggestion.text()))
        self.target.setSuffix(f" mg {out.tapered} a day" if out.tapered else " mg a day")
        self.target.setEnabled(self.stay.isChecked())
        with quiet(self.allow_fast):
            if not out.pace_over:
                self.allow_fast.setChecked(False)
            self.allow_fast.setEnabled(out.pace_over)
        limit = self.guidance["pace.limit_percent"]
        self.allow_fast_note.setText(
            f"This pace is faster than the guideline's limit ({limit.text.lower()}). Tick only as a deliberate"
            " clinical decision: the override is written into the plan's warnings."
            if out.pace_over
            else "Only needed, and only possible, when the pace is faster than the guideline's limit."
        )
        if self.revising:
            self.start_note.setText("A revision starts on the date it takes effect (page 1).")
        show_message(self.error, out.errors.get(APPROACH))
        self._complete = APPROACH not in out.errors
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self._complete

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name: QWizard.next() asks this, not isComplete)
        return self._complete

    # -- inside the page ---------------------------------------------------------
    def _input_changed(self, *_args) -> None:
        self._show_method()
        self.changed.emit()

    def _show_method(self) -> None:
        method = self.method()
        percent_fixed = self.fixed_unit.currentIndex() == 1
        self._pace.setRowVisible(self.cut_percent, method == "proportional")
        self._pace.setRowVisible(self._fixed_row, method == "fixed")
        self._pace.setRowVisible(self.stepwise_note, method == "stepwise")
        self.fixed_mg.setVisible(not percent_fixed)
        self.fixed_percent.setVisible(percent_fixed)
        self._fixed_label.setBuddy(self.fixed_percent if percent_fixed else self.fixed_mg)
        self.target.setEnabled(self.stay.isChecked())
        g = self.guidance
        if method == "stepwise":
            pairs = [(b.text, b.source) for b in g.bands]
        else:
            pairs = [(g["pace.default_cut_percent"].text, g["pace.default_cut_percent"].cite())]
        pairs.append((g["pace.limit_percent"].text, g["pace.limit_percent"].cite()))
        self.guideline.setText(_cited(pairs))
