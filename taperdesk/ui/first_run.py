"""First run of a new clinic file: a short clinic setup, then the first account.

Without it every handout said "call your clinic on the number your clinic gave
you" and listed three countries' emergency numbers. Three short pages: the
clinic (name, phone, prescribers, country with its emergency number, paper),
what it stocks, and the first clinician's account. Nothing is written until
Finish: then the account is made and the settings saved in its name (the
audit trail needs an author). Every value can be changed later in Clinic
settings."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from taperdesk import storage
from taperdesk.core import clinic_defaults
from taperdesk.core.catalogue import Catalogue, load_catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.ui.clinic_fields import CountryFields
from taperdesk.ui.settings_dialog import StockRow

ERROR_STYLE = "color: #b00020;"
CLINIC_PAGE, STOCK_PAGE, ACCOUNT_PAGE = range(3)


def _problem_label() -> QLabel:
    label = QLabel(objectName="problem")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def _row(form: QFormLayout, text: str, field: QWidget) -> QWidget:
    label = QLabel(text)
    label.setBuddy(field)
    form.addRow(label, field)
    return field


class ClinicPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Your clinic")
        self.setSubTitle("Printed on every handout, so a patient knows whom to call. You can change all of it "
                         "later in File → Clinic settings.")
        form = QFormLayout(self)
        self.name = _row(form, "Clinic na&me:", QLineEdit(objectName="name"))
        self.phone = _row(form, "&Phone:", QLineEdit(objectName="phone"))
        self.phone.setPlaceholderText("the number patients call with questions about their plan")
        self.prescribers = _row(form, "P&rescribers\n(one a line):", QPlainTextEdit(objectName="prescribers"))
        self.prescribers.setTabChangesFocus(True)
        self.prescribers.setFixedHeight(64)
        self.where = CountryFields()
        _row(form, "C&ountry:", self.where.country)
        _row(form, "&Emergency number:", self.where.emergency)
        _row(form, "Paper si&ze:", self.where.paper)
        self.problem = _problem_label()
        form.addRow(self.problem)
        for signal in (self.name.textChanged, self.phone.textChanged, self.where.country.currentIndexChanged,
                       self.where.emergency.textChanged):
            signal.connect(self._changed)
        self._changed()

    def problem_text(self) -> str:
        if not self.name.text().strip():
            return "Type the clinic's name: handouts print it."
        if not self.phone.text().strip():
            return "Type the clinic's phone number: handouts tell patients to call it with questions."
        return self.where.problem()

    def _changed(self, *_args) -> None:
        self.problem.setText(self.problem_text())
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.problem_text()

    def prescriber_lines(self) -> tuple[str, ...]:
        lines = (" ".join(line.split()) for line in self.prescribers.toPlainText().splitlines())
        return tuple(line for line in lines if line)


class StockPage(QWizardPage):
    def __init__(self, catalogue: Catalogue):
        super().__init__()
        self.catalogue = catalogue
        self.setTitle("What the clinic stocks")
        self.setSubTitle("The strengths you dispense, how far you split tablets, and whether you use a liquid. "
                         "Plans use only these. Leave it as it is to allow everything the catalogue lists.")
        self.rows: dict[str, StockRow] = {}
        inner = QWidget()
        layout = QVBoxLayout(inner)
        for drug in catalogue.drugs:
            if catalogue.formulations_for(drug.name):
                row = StockRow(catalogue, DrugStock(drug.name))
                row.liquid.toggled.connect(self._changed)
                for box in row.strengths.values():
                    box.toggled.connect(self._changed)
                self.rows[drug.name] = row
                layout.addWidget(row)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.problem = _problem_label()
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.problem)

    def problem_text(self) -> str:
        return next((p for row in self.rows.values() if (p := row.problem())), "")

    def _changed(self, *_args) -> None:
        self.problem.setText(self.problem_text())
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.problem_text()

    def stock(self) -> dict:
        chosen = tuple(s for s in (row.value() for row in self.rows.values()) if s != DrugStock(s.drug))
        return clinic_defaults.stock_to_mapping(chosen) if chosen else {}


class AccountPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("The first clinician")
        self.setSubTitle("This account may change the clinic settings and add other accounts later.")
        form = QFormLayout(self)
        self.name = _row(form, "&Your name:", QLineEdit(objectName="clinician_name"))
        self.password = _row(form, "Pass&word:", QLineEdit(objectName="password"))
        self.again = _row(form, "Password &again:", QLineEdit(objectName="again"))
        for box in (self.password, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = _problem_label()
        form.addRow(self.problem)
        for box in (self.name, self.password, self.again):
            box.textChanged.connect(lambda *_: self.completeChanged.emit())

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return bool(self.name.text().strip() and self.password.text() and self.again.text())


class FirstRunWizard(QWizard):
    """`clinician` is the new account once Finish has succeeded."""

    def __init__(self, parent=None, *, catalogue: Catalogue | None = None):
        super().__init__(parent)
        self.setWindowTitle("TaperDesk: set up your clinic")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.clinician: storage.Clinician | None = None
        self.clinic_page = ClinicPage()
        self.stock_page = StockPage(catalogue or load_catalogue())
        self.account_page = AccountPage()
        self.setPage(CLINIC_PAGE, self.clinic_page)
        self.setPage(STOCK_PAGE, self.stock_page)
        self.setPage(ACCOUNT_PAGE, self.account_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Create the clinic")
        self.resize(760, 600)

    def validateCurrentPage(self) -> bool:  # noqa: N802 (Qt's name)
        if self.currentId() == ACCOUNT_PAGE:
            return self.finish()
        return super().validateCurrentPage()

    def settings(self) -> storage.ClinicSettings:
        page = self.clinic_page
        return dataclasses.replace(
            storage.get_clinic_settings(), name=page.name.text().strip(), phone=page.phone.text().strip(),
            prescribers=page.prescriber_lines(), country=page.where.code(),
            emergency_number=page.where.emergency_number(), paper_size=page.where.paper_size(),
            stock=self.stock_page.stock())

    def finish(self) -> bool:
        """Make the account, then save the settings in its name; False (said on the page) if refused."""
        account = self.account_page
        if account.password.text() != account.again.text():
            account.problem.setText("The two passwords differ: type the same password twice.")
            return False
        try:
            self.clinician = self.clinician or storage.add_clinician(
                name=account.name.text().strip(), role="administrator,prescriber", password=account.password.text())
            storage.save_clinic_settings(settings=self.settings(), author=self.clinician)
        except storage.StorageError as exc:
            account.problem.setText(str(exc))
            return False
        return True
