"""The clinic settings dialog: everything ClinicSettings keeps, the default pace
checked by the planner's own rules, and the stock the planner then uses."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from taperdesk import storage
from taperdesk.core import clinic_defaults
from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.guidance import load_guidance
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.settings_dialog import ClinicSettingsDialog

CATALOGUE = load_catalogue()


@pytest.fixture
def open_dialog(qtbot, clinician):
    def make(author=clinician):
        d = ClinicSettingsDialog(author=author, catalogue=CATALOGUE)
        qtbot.addWidget(d)
        return d
    return make


def test_unchanged_save_changes_nothing(open_dialog):
    before = storage.get_clinic_settings()
    d = open_dialog()
    assert d.save_button.isEnabled()
    d.accept()
    assert d.result() == QDialog.DialogCode.Accepted
    assert storage.get_clinic_settings() == before == d.saved_settings()
    assert storage.audit_events(entity="clinic_settings")[0].summary == "changed nothing (as administrator)"


def test_everything_saved(open_dialog, clinician):
    d = open_dialog()
    d.name.setText("Harbour Street Clinic")
    d.address.setPlainText("1 Harbour Street\nPort Town")
    d.phone.setText("555 0100")
    d.prescribers.setPlainText("Dr Ada Test\n\n  Dr  Ben Lee \n")
    d.letterhead.setPlainText("Harbour Street Clinic · Tapering service")
    d.paper_size.setCurrentIndex(d.paper_size.findData("Letter"))
    d.backup_keep.setValue(10)
    d.table.setCurrentIndex(d.table.findData("vadod"))
    d.method.setCurrentIndex(d.method.findData("fixed"))
    d.cut_percent.setValue(5.0)
    d.interval_days.setValue(28)
    diazepam = d.stock_rows["diazepam"]
    diazepam.strengths[10.0].setChecked(False)
    diazepam.split.setCurrentIndex(diazepam.split.findData("quarter"))
    diazepam.liquid.setChecked(True)
    d.accept()
    assert d.result() == QDialog.DialogCode.Accepted
    s = storage.get_clinic_settings()
    assert (s.name, s.address, s.phone, s.letterhead, s.paper_size, s.backup_keep, s.equivalence_table) == (
        "Harbour Street Clinic", "1 Harbour Street\nPort Town", "555 0100",
        "Harbour Street Clinic · Tapering service", "Letter", 10, "vadod")
    assert s.prescribers == ("Dr Ada Test", "Dr Ben Lee")
    assert clinic_defaults.pace_from_mapping(s.default_pace) == {
        "method": "fixed", "cut_percent": 5.0, "interval_days": 28}
    stock = clinic_defaults.stock_from_mapping(s.stock)
    assert stock == (DrugStock("diazepam", (2.0, 5.0), "quarter", True),)
    # the planner takes the stored stock as it is
    plan = make_plan(Regimen("diazepam", (("night", 7.0),)), PlanSettings(start=date(2026, 1, 5), stock=stock),
                     CATALOGUE)
    strengths = {u.strength_mg for step in plan.steps for dose in step.doses for u in dose.units if u.strength_mg}
    assert 10.0 not in strengths
    assert storage.audit_events(entity="clinic_settings")[0].clinician_id == clinician.id


def test_stored_settings_shown(open_dialog, clinician):
    saved = storage.save_clinic_settings(settings=storage.ClinicSettings(
        name="North Clinic", prescribers=("Dr A", "Dr B"), paper_size="Letter", backup_keep=7,
        stock=clinic_defaults.stock_to_mapping((DrugStock("lorazepam", (0.5,), "none", True, "US"),
                                                DrugStock("bromazepam", (3.0,), "half"))),
        default_pace={"method": "stepwise", "interval_days": 21, "note": "kept"}), author=clinician)
    d = open_dialog()
    assert d.name.text() == "North Clinic" and d.prescribers.toPlainText() == "Dr A\nDr B"
    assert d.paper_size.currentData() == "Letter" and d.backup_keep.value() == 7
    assert d.method.currentData() == "stepwise" and d.interval_days.value() == 21
    assert not d.cut_percent.isEnabled()  # stepwise sets its own cuts
    lorazepam = d.stock_rows["lorazepam"]
    assert sorted(lorazepam.strengths) == [0.5, 1.0, 2.0]  # the US products only (market kept)
    assert [s for s, box in lorazepam.strengths.items() if box.isChecked()] == [0.5]
    assert lorazepam.split.currentData() == "none" and lorazepam.liquid.isChecked()
    assert "bromazepam" not in d.stock_rows  # no products in the catalogue: kept as stored
    assert d.settings() == saved
    d.interval_days.setValue(28)
    d.accept()
    after = storage.get_clinic_settings()
    assert after.default_pace == {"method": "stepwise", "interval_days": 28, "cut_percent": 10.0, "note": "kept"}
    assert after.stock == saved.stock


def test_guideline_and_table_source_shown(open_dialog):
    d = open_dialog()
    rule = load_guidance()["pace.limit_percent"]
    assert rule.text in d.guideline.text() and rule.cite() in d.guideline.text()
    ashton = next(t for t in CATALOGUE.tables if t.name == "ashton")
    assert [d.table.itemText(i) for i in range(d.table.count())] == [t.title for t in CATALOGUE.tables]
    assert d.table.currentData() == "ashton" and ashton.source in d.table_source.text()
    assert d.table.itemData(0, Qt.ItemDataRole.ToolTipRole) == CATALOGUE.tables[0].source
    vadod = next(t for t in CATALOGUE.tables if t.name == "vadod")
    d.table.setCurrentIndex(d.table.findData("vadod"))
    assert vadod.source in d.table_source.text()


def test_pace_the_planner_refuses_blocks_save(open_dialog):
    d = open_dialog()
    d.cut_percent.setValue(25.0)
    d.interval_days.setValue(7)
    assert not d.save_button.isEnabled()
    assert d.pace_error.text().startswith("Not allowed as the default pace: 25% every 7 days is faster than")
    assert d.pace_error.text().endswith("Rec 6): slow it down.")
    d.interval_days.setValue(14)
    d.cut_percent.setValue(30.0)
    assert d.pace_error.text().startswith("Not allowed as the default pace: a single cut of 30% is more than 25%")
    d.cut_percent.setValue(25.0)
    d.interval_days.setValue(7)
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted
    d.interval_days.setValue(14)
    assert d.save_button.isEnabled() and d.pace_error.text() == ""


def test_a_drug_with_nothing_stocked_blocks_save(open_dialog):
    d = open_dialog()
    row = d.stock_rows["zopiclone"]
    for box in row.strengths.values():
        box.setChecked(False)
    assert not d.save_button.isEnabled()
    assert row.error.text() == "Nothing of zopiclone is stocked: tick a strength or the liquid."
    assert not row.liquid.isEnabled()  # no zopiclone liquid in the catalogue
    row.strengths[3.75].setChecked(True)
    assert d.save_button.isEnabled() and row.error.isHidden()
    chlordiazepoxide = d.stock_rows["chlordiazepoxide"]
    assert not chlordiazepoxide.split.isEnabled()  # capsules only


def test_staff_cannot_save(open_dialog, clinician):
    staff = storage.add_clinician(name="Sam Staff", role="staff", password="battery staple", author=clinician)
    d = open_dialog(staff)
    assert not d.save_button.isEnabled()
    note = d.findChild(QLabel, "staff_note")
    assert note.text() == "Only an administrator may change the clinic settings; Sam Staff is a nurse."


def test_storage_error_shown_and_nothing_lost(open_dialog, clinician):
    d = open_dialog()
    d.name.setText("Harbour Street Clinic")
    colleague = storage.add_clinician(name="Dr Ben", role="clinician", password="another one", author=clinician)
    storage.set_clinician_active(clinician_id=clinician.id, active=False, author=colleague)
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted
    assert d.save_error.text() == "Not saved: Dr Ada Test's account is inactive."
    assert d.name.text() == "Harbour Street Clinic" and storage.get_clinic_settings().name == ""


def test_keyboard(open_dialog):
    d = open_dialog()
    assert [d.tabs.tabText(i) for i in range(d.tabs.count())] == ["C&linic", "Pla&nning", "S&tock"]
    buddies = {label.text(): label.buddy() for label in d.findChildren(QLabel) if label.buddy()}
    for text, field in (("Clinic na&me", d.name), ("&Address", d.address), ("P&rescribers\n(one a line)",
                        d.prescribers), ("&Equivalence table", d.table), ("&Cut", d.cut_percent),
                        ("Cut e&very", d.interval_days), ("&Backups kept", d.backup_keep)):
        assert buddies[text] is field
    assert all(box.tabChangesFocus() for box in (d.address, d.prescribers, d.letterhead))
    mnemonics = [t.split("&")[1][0].lower() for t in buddies if "&" in t]
    page_keys = [d.tabs.tabText(i).split("&")[1][0].lower() for i in range(d.tabs.count())] + ["s"]
    assert len(set(mnemonics + page_keys)) == len(mnemonics + page_keys)


def test_calendar_names_and_supply_period_are_clinic_settings(open_dialog):
    """The two paper settings (names in .ics files, the default pharmacy supply) are
    changed in Clinic settings; off and 28 days until the clinic says otherwise."""
    dialog = open_dialog()
    assert not dialog.calendar_names.isChecked() and dialog.supply_days.currentData() == 28
    dialog.calendar_names.setChecked(True)
    dialog.supply_days.setCurrentIndex(dialog.supply_days.findData(14))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert storage.paper_settings() == storage.PaperSettings(calendar_names=True, supply_days=14)
    again = open_dialog()
    assert again.calendar_names.isChecked() and again.supply_days.currentData() == 14
