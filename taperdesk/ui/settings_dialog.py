"""The clinic settings: letterhead and paper, the equivalence table, the default
pace (with the guideline's limit and its source beside it), backups, and the
stock: for each drug the catalogue has products of, the solid strengths the
clinic dispenses, how far it splits tablets and whether a liquid may be used."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from taperdesk import storage
from taperdesk.clinic import settings as clinic_settings
from taperdesk.clinic.permissions import why_not
from taperdesk.core import clinic_defaults
from taperdesk.core.catalogue import Catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.guidance import load_guidance
from taperdesk.core.pace import resolve_pace
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import PlanInputError
from taperdesk.core.settings import METHODS, PlanSettings
from taperdesk.storage import ClinicSettings, Clinician, StorageError
from taperdesk.ui.clinic_fields import CountryFields

ERROR_STYLE = "color: #b00020;"
SPLITS = (("none", "Do not split"), ("half", "Halves"), ("quarter", "Halves or quarters"))
METHOD_TEXT = {"proportional": "Proportional (a % of the current dose)",
               "fixed": "Fixed (a % of the starting dose)", "stepwise": "Stepwise (the guideline's bands)"}


def _labelled(form: QFormLayout, text: str, field: QWidget) -> QWidget:
    label = QLabel(text)
    label.setBuddy(field)
    form.addRow(label, field)
    return field


def _note(name: str, *, error: bool = False) -> QLabel:
    label = QLabel(objectName=name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    if error:
        label.setStyleSheet(ERROR_STYLE)
    return label


def _form_page() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    outer = QVBoxLayout(page)
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    return page, form


def _combo(items, current: str) -> QComboBox:
    box = QComboBox()
    for key, text, *tip in items:
        box.addItem(text, key)
        if tip:
            box.setItemData(box.count() - 1, tip[0], Qt.ItemDataRole.ToolTipRole)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class StockRow(QGroupBox):
    """One drug's stock: a checkbox per solid strength, the split, the liquid."""

    def __init__(self, catalogue: Catalogue, stock: DrugStock) -> None:
        super().__init__(stock.drug)
        self.stock = stock
        products = catalogue.formulations_for(stock.drug, market=stock.market)
        solids = [f for f in products if not f.is_liquid]
        liquids = [f for f in products if f.is_liquid]
        self.strengths: dict[float, QCheckBox] = {}
        boxes = QHBoxLayout()
        for strength in sorted({f.strength_mg for f in solids}):
            forms = sorted({f"{f.form} ({f.market})" for f in solids if f.strength_mg == strength})
            box = QCheckBox(f"{fmt_mg(strength)} mg")
            box.setToolTip(", ".join(forms))
            box.setChecked(stock.strengths is None or any(abs(strength - s) < 1e-9 for s in stock.strengths))
            self.strengths[strength] = box
            boxes.addWidget(box)
        boxes.addStretch(1)
        self.split = _combo(SPLITS, stock.split)
        self.split.setEnabled(any(f.split != "none" for f in solids))
        self.split.setToolTip("The most the clinic splits; a product that may not be split so is not.")
        liquid_text = ", ".join(f"{fmt_mg(f.mg_per_ml)} mg/mL ({f.market})" for f in liquids)
        self.liquid = QCheckBox(f"Oral liquid may be used: {liquid_text}" if liquids else "No oral liquid listed")
        self.liquid.setChecked(stock.liquid and bool(liquids))
        self.liquid.setEnabled(bool(liquids))
        self.error = _note(f"{stock.drug}_error", error=True)
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(boxes)
        split_row = QHBoxLayout()
        split_label = QLabel("Split tablets:")
        split_label.setBuddy(self.split)
        split_row.addWidget(split_label)
        split_row.addWidget(self.split)
        split_row.addStretch(1)
        layout.addLayout(split_row)
        layout.addWidget(self.liquid)
        layout.addWidget(self.error)

    def value(self) -> DrugStock:
        checked = tuple(s for s, box in self.strengths.items() if box.isChecked())
        strengths = None if len(checked) == len(self.strengths) else checked
        return DrugStock(self.stock.drug, strengths, self.split.currentData(), self.liquid.isChecked(),
                         self.stock.market)

    def problem(self) -> str:
        value = self.value()
        if value.strengths == () and not value.liquid:
            return f"Nothing of {self.stock.drug} is stocked: tick a strength or the liquid."
        return ""


class ClinicSettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, author: Clinician, catalogue: Catalogue) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic settings")
        self.resize(640, 600)
        self._author = author
        self._catalogue = catalogue
        self._saved: ClinicSettings | None = None
        self._original = s = storage.get_clinic_settings()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._clinic_page(s), "C&linic")
        self.tabs.addTab(self._planning_page(s), "Pla&nning")
        self.tabs.addTab(self._stock_page(s), "S&tock")
        self.save_error = _note("save_error", error=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if why_not("clinic_settings", author):
            staff_note = _note("staff_note")
            staff_note.setText(why_not("clinic_settings", author))
            layout.addWidget(staff_note)
        layout.addWidget(self.tabs)
        layout.addWidget(self.save_error)
        layout.addWidget(self.buttons)
        changed = [self.method.currentIndexChanged, self.cut_percent.valueChanged, self.interval_days.valueChanged,
                   self.table.currentIndexChanged]
        for row in self.stock_rows.values():
            changed += [box.toggled for box in (*row.strengths.values(), row.liquid)]
        for signal in changed:
            signal.connect(lambda *_: self.validate())
        self.table.currentIndexChanged.connect(lambda *_: self._show_table_source())
        self._show_table_source()
        self.validate()

    # -- pages --------------------------------------------------------------
    def _clinic_page(self, s: ClinicSettings) -> QWidget:
        page, form = _form_page()
        self.name = _labelled(form, "Clinic na&me", QLineEdit(s.name, objectName="name"))
        self.address = _labelled(form, "&Address", QPlainTextEdit(s.address, objectName="address"))
        self.phone = _labelled(form, "&Phone", QLineEdit(s.phone, objectName="phone"))
        self.prescribers = _labelled(form, "P&rescribers\n(one a line)",
                                     QPlainTextEdit("\n".join(s.prescribers), objectName="prescribers"))
        self.letterhead = _labelled(form, "Letterhead te&xt", QPlainTextEdit(s.letterhead, objectName="letterhead"))
        self.where = CountryFields(code=s.country, emergency=s.emergency_number, paper=s.paper_size)
        self.country = _labelled(form, "C&ountry", self.where.country)
        self.emergency_number = _labelled(form, "Emer&gency number", self.where.emergency)
        self.country_note = _note("country_note", error=True)
        form.addRow("", self.country_note)
        self.paper_size = _labelled(form, "Paper si&ze", self.where.paper)
        for signal in (self.where.country.currentIndexChanged, self.where.emergency.textChanged):
            signal.connect(self._show_country_problem)
        self._show_country_problem()
        paper = storage.paper_settings()
        self.supply_days = _labelled(form, "Pharmacy s&upply", QComboBox(objectName="supply_days"))
        for days in (7, 14, 28):
            self.supply_days.addItem(f"{days} days a supply (the default for new plans)", days)
        self.supply_days.setCurrentIndex(max(0, self.supply_days.findData(paper.supply_days)))
        self.calendar_names = QCheckBox("Put the patient's name in calendar (.ics) files", objectName="calendar_names")
        self.calendar_names.setToolTip("Calendar files may sync to a phone's cloud calendar: leave this off unless "
                                       "the clinic has decided otherwise.")
        self.calendar_names.setChecked(paper.calendar_names)
        form.addRow("", self.calendar_names)
        self.backup_keep = _labelled(form, "&Backups kept", QSpinBox(objectName="backup_keep"))
        self.backup_keep.setRange(1, 3650)
        self.backup_keep.setSuffix(" daily backups")
        self.backup_keep.setValue(s.backup_keep)
        for box in (self.address, self.prescribers, self.letterhead):
            box.setTabChangesFocus(True)
            box.setFixedHeight(70)
        return page

    def _planning_page(self, s: ClinicSettings) -> QWidget:
        page, form = _form_page()
        tables = [(t.name, t.title, t.source) for t in self._catalogue.tables]
        if s.equivalence_table not in {t.name for t in self._catalogue.tables}:
            tables.append((s.equivalence_table, f"{s.equivalence_table} (not in the catalogue)"))
        self.table = _labelled(form, "&Equivalence table", _combo(tables, s.equivalence_table))
        self.table_source = _note("table_source")
        form.addRow("", self.table_source)
        box = QGroupBox("Default pace for new plans")
        page.layout().insertWidget(1, box)
        form = QFormLayout(box)
        pace = clinic_defaults.pace_from_mapping(s.default_pace)
        self.method = _labelled(form, "Met&hod", _combo(((m, METHOD_TEXT[m]) for m in METHODS),
                                                                 pace["method"]))
        self.cut_percent = _labelled(form, "&Cut", QDoubleSpinBox(objectName="cut_percent"))
        self.cut_percent.setRange(0.5, 50.0)
        self.cut_percent.setDecimals(1)
        self.cut_percent.setSingleStep(0.5)
        self.cut_percent.setSuffix(" %")
        self.cut_percent.setValue(float(pace["cut_percent"]))
        self.interval_days = _labelled(form, "Cut e&very", QSpinBox(objectName="interval_days"))
        self.interval_days.setRange(1, 365)
        self.interval_days.setSuffix(" days")
        self.interval_days.setValue(int(pace["interval_days"]))
        rule = load_guidance()["pace.limit_percent"]
        self.guideline = _note("guideline")
        self.guideline.setText(f"Guideline: {rule.text}. Source: {rule.cite()}.")
        form.addRow("", self.guideline)
        self.pace_error = _note("pace_error", error=True)
        form.addRow("", self.pace_error)
        return page

    def _stock_page(self, s: ClinicSettings) -> QWidget:
        stored = clinic_defaults.stock_from_mapping(s.stock)
        self.stock_rows: dict[str, StockRow] = {}
        inner = QWidget()
        layout = QVBoxLayout(inner)
        intro = QLabel("What the clinic dispenses of each drug. The planner uses only these; "
                       "a plan may still be adjusted for one patient.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for drug in self._catalogue.drugs:
            if self._catalogue.formulations_for(drug.name):
                row = StockRow(self._catalogue, clinic_defaults.stock_for(stored, drug.name))
                self.stock_rows[drug.name] = row
                layout.addWidget(row)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _show_country_problem(self, *_args) -> None:
        """Not a bar to saving (a clinic from before this setting has none yet), but said."""
        problem = self.where.problem()
        self.country_note.setText(problem)
        self.country_note.setVisible(bool(problem))

    def _show_table_source(self) -> None:
        info = next((t for t in self._catalogue.tables if t.name == self.table.currentData()), None)
        self.table_source.setText(f"Source: {info.source}." + (f" {info.note}" if info.note else "")
                                  if info else "This table is not in the catalogue: choose another.")

    # -- checking -----------------------------------------------------------
    def _pace(self) -> dict:
        return {"method": self.method.currentData(), "cut_percent": self.cut_percent.value(),
                "interval_days": self.interval_days.value()}

    def problems(self) -> dict[str, str]:
        """What stops saving: 'pace', a drug name (its stock), 'table', 'author'."""
        out: dict[str, str] = {}
        pace = self._pace()
        try:
            cut = None if pace["method"] == "stepwise" else pace["cut_percent"]
            resolve_pace(PlanSettings(start=dt.date.today(), method=pace["method"], cut_percent=cut,
                                      interval_days=pace["interval_days"]), load_guidance())
        except PlanInputError as exc:
            text = str(exc)
            if text.endswith("(--allow-fast)"):  # an override is for one patient (the wizard), never the default
                text = text.rsplit(": slow the pace", 1)[0] + ": slow it down"
            out["pace"] = f"Not allowed as the default pace: {text}."
        for drug, row in self.stock_rows.items():
            if problem := row.problem():
                out[drug] = problem
        if self.table.currentData() not in {t.name for t in self._catalogue.tables}:
            out["table"] = "Choose an equivalence table from the catalogue."
        if why_not("clinic_settings", self._author):
            out["author"] = why_not("clinic_settings", self._author)
        return out

    def validate(self) -> bool:
        problems = self.problems()
        self.cut_percent.setEnabled(self.method.currentData() != "stepwise")
        self.pace_error.setText(problems.get("pace", ""))
        self.pace_error.setVisible("pace" in problems)
        for drug, row in self.stock_rows.items():
            row.error.setText(problems.get(drug, ""))
            row.error.setVisible(drug in problems)
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip(" ".join(problems.values()))
        return not problems

    # -- saving -------------------------------------------------------------
    def settings(self) -> ClinicSettings:
        """The settings as the dialog shows them (unchanged parts kept exactly)."""
        o = self._original
        pace = self._pace()
        if clinic_defaults.pace_from_mapping(o.default_pace) != pace:
            default_pace = {**o.default_pace, **pace}
        else:
            default_pace = o.default_pace
        shown = {row.value() for row in self.stock_rows.values()}
        kept = {s for s in clinic_defaults.stock_from_mapping(o.stock) if s.drug not in self.stock_rows}
        chosen = kept | {s for s in shown if s != DrugStock(s.drug)}
        if chosen == set(clinic_defaults.stock_from_mapping(o.stock)):
            stock = o.stock
        else:
            stock = clinic_defaults.stock_to_mapping(tuple(chosen))
        lines = (" ".join(line.split()) for line in self.prescribers.toPlainText().splitlines())
        return dataclasses.replace(
            o, name=self.name.text().strip(), address=self.address.toPlainText().strip(),
            phone=self.phone.text().strip(), prescribers=tuple(line for line in lines if line),
            letterhead=self.letterhead.toPlainText().strip(), paper_size=self.paper_size.currentData(),
            stock=stock, default_pace=default_pace, equivalence_table=self.table.currentData(),
            backup_keep=self.backup_keep.value(), country=self.where.code(),
            emergency_number=self.where.emergency_number())

    def accept(self) -> None:
        if not self.validate():
            return
        try:
            self._saved = clinic_settings.save_clinic_settings(settings=self.settings(), author=self._author)
            paper = storage.PaperSettings(calendar_names=self.calendar_names.isChecked(),
                                          supply_days=self.supply_days.currentData())
            if paper != storage.paper_settings():
                clinic_settings.save_paper_settings(settings=paper, author=self._author)
        except StorageError as exc:
            self.save_error.setText(f"Not saved: {exc}")
            self.save_error.setVisible(True)
            return
        super().accept()

    def saved_settings(self) -> ClinicSettings | None:
        return self._saved
