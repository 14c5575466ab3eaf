"""First run of a new clinic file: the clinic (name, phone, prescribers, country
with its emergency number, paper), its stock, then the first clinician; every
value kept in the clinic settings, changeable later, and passed to the handouts."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from taperdesk import storage
from taperdesk.clinic.paper import handout_clinic
from taperdesk.ui.first_run import ACCOUNT_PAGE, CLINIC_PAGE, STOCK_PAGE, FirstRunWizard


def wizard(qtbot) -> FirstRunWizard:
    w = FirstRunWizard()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def next_page(w: FirstRunWizard) -> None:
    w.button(QWizard.WizardButton.NextButton).click()


def test_first_run_sets_up_the_clinic_then_the_first_account(qtbot, db):
    w = wizard(qtbot)
    page = w.clinic_page
    assert w.currentId() == CLINIC_PAGE and not page.isComplete()
    assert page.problem.text() == "Type the clinic's name: handouts print it."
    page.name.setText("Harbour Street Clinic")
    page.phone.setText("0131 496 0000")
    page.prescribers.setPlainText("Dr Ada Ngozi\n\n  Dr  Sam Lee ")
    assert page.problem.text().startswith("Choose the clinic's country") and not page.isComplete()
    page.where.country.setCurrentIndex(page.where.country.findData("US"))
    assert page.where.emergency_number() == "911" and page.where.paper_size() == "Letter"
    page.where.country.setCurrentIndex(page.where.country.findData("GB"))
    assert page.where.emergency_number() == "999" and page.where.paper_size() == "A4"
    assert page.isComplete() and page.problem.text() == ""
    next_page(w)
    assert w.currentId() == STOCK_PAGE and w.stock_page.isComplete()
    row = w.stock_page.rows["diazepam"]
    for strength, box in row.strengths.items():
        box.setChecked(strength != 10.0)  # no 10 mg tablets in this clinic
    next_page(w)
    assert w.currentId() == ACCOUNT_PAGE
    account = w.account_page
    account.name.setText("Dr Ada Ngozi")
    account.password.setText("a long enough password")
    account.again.setText("a different password")
    w.button(QWizard.WizardButton.FinishButton).click()
    assert w.isVisible() and "differ" in account.problem.text() and not storage.has_clinicians()
    account.again.setText("a long enough password")
    w.button(QWizard.WizardButton.FinishButton).click()
    assert w.result() == 1 and w.clinician is not None and w.clinician.role == "clinician"

    settings = storage.get_clinic_settings()
    assert (settings.name, settings.phone, settings.prescribers) == (
        "Harbour Street Clinic", "0131 496 0000", ("Dr Ada Ngozi", "Dr Sam Lee"))
    assert (settings.country, settings.emergency_number, settings.paper_size) == ("GB", "999", "A4")
    [diazepam] = [d for d in settings.stock["drugs"] if d["drug"] == "diazepam"]
    assert 10.0 not in diazepam["strengths"] and 5.0 in diazepam["strengths"]
    clinic = handout_clinic(settings)  # what the handouts print from
    assert (clinic.phone, clinic.emergency_number, clinic.name) == ("0131 496 0000", "999", "Harbour Street Clinic")
    events = storage.audit_events(entity="clinic_settings")
    assert events and events[0].clinician_id == w.clinician.id


def test_another_country_asks_for_its_number(qtbot, db):
    w = wizard(qtbot)
    page = w.clinic_page
    page.name.setText("Clinic")
    page.phone.setText("123")
    page.where.country.setCurrentIndex(page.where.country.findData("OTHER"))
    assert page.where.emergency_number() == "" and not page.isComplete()
    assert page.problem.text() == "Type the emergency number patients should call: every handout prints it."
    page.where.emergency.setText(" 112 ")
    assert page.isComplete() and page.where.emergency_number() == "112"


def test_every_value_can_be_changed_later_in_clinic_settings(qtbot, clinician):
    from taperdesk.core.catalogue import load_catalogue
    from taperdesk.ui.settings_dialog import ClinicSettingsDialog

    dialog = ClinicSettingsDialog(author=clinician, catalogue=load_catalogue())
    qtbot.addWidget(dialog)
    assert dialog.country_note.text().startswith("Choose the clinic's country")  # a clinic from before: said
    dialog.country.setCurrentIndex(dialog.country.findData("AU"))
    assert dialog.emergency_number.text() == "000" and dialog.paper_size.currentData() == "A4"
    dialog.emergency_number.setText("000 (or 112 from a mobile)")
    dialog.name.setText("Bondi Clinic")
    dialog.accept()
    saved = storage.get_clinic_settings()
    assert (saved.country, saved.emergency_number, saved.name) == ("AU", "000 (or 112 from a mobile)", "Bondi Clinic")
    again = ClinicSettingsDialog(author=clinician, catalogue=load_catalogue())
    qtbot.addWidget(again)
    assert again.country.currentData() == "AU" and again.emergency_number.text() == "000 (or 112 from a mobile)"
    assert again.country_note.isHidden()


def test_start_up_runs_first_run_on_a_new_file(qtbot, db, monkeypatch):
    from taperdesk.ui import main

    opened = []

    def fake_exec(self):
        opened.append(type(self).__name__)
        return 0

    monkeypatch.setattr(FirstRunWizard, "exec", fake_exec)
    assert main.sign_in() is None and opened == ["FirstRunWizard"]
