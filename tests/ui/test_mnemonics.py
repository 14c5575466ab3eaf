"""No two mnemonics (&-letters) clash on one level of any window of the app:
the workspace (every tab, with a flare banner showing, and every menu), each
dialog, and each page of the taper wizard. A clash means Alt+letter does one
of two things, or opens one when the user meant the other."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWizard

from taperdesk import storage
from taperdesk.core.catalogue import load_catalogue
from tests.ui.mnemonics import clashes, letters

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory, demo_copy):
    """One demo clinic for the module (a copy of the run's); the tests only read it."""
    return demo_copy(tmp_path_factory.mktemp("demo") / "demo.sqlite", today=TODAY).path


@pytest.fixture
def demo(demo_file, qapp):
    storage.open_database(demo_file, auto_backup=False)
    yield storage.list_clinicians()[0]
    storage.close_database()


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_walker_finds_a_clash(qtbot):
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    w = QWidget()
    w.setWindowTitle("t")
    layout = QVBoxLayout(w)
    layout.addWidget(QPushButton("&Hold"))
    layout.addWidget(QPushButton("&Help"))
    shown(qtbot, w)
    assert clashes(w) == {"window t": {"h": ["QPushButton '&Hold'", "QPushButton '&Help'"]}}
    assert letters("Fish && &Chips") == ["c"]


def test_workspace_every_tab_and_menu(qtbot, demo):
    from taperdesk.ui.workspace import Workspace

    w = shown(qtbot, Workspace(clinician=demo, today=TODAY))
    # one patient of each kind the demo has: crossover with holds and flares (plot toggles,
    # banner), paused, completed, taper ended, draft
    wanted = ("DEMO-002", "DEMO-004", "DEMO-005", "DEMO-006", "DEMO-007")
    chosen = [p for p in storage.search_patients(text="") if p.identifier in wanted]
    assert len(chosen) == len(wanted)
    for patient in chosen:
        w.select_patient(patient.id)
        for index in range(w.tabs.count()):
            w.tabs.setCurrentIndex(index)
            QApplication.processEvents()  # widgets added to a shown layout are shown by a queued call
            assert clashes(w) == {}, (patient.name, w.tabs.tabText(index))


def test_workspace_with_the_flare_banner(qtbot, demo):
    from taperdesk.ui.flare_banner import FlareBanner
    from taperdesk.ui.workspace import Workspace

    w = shown(qtbot, Workspace(clinician=demo, today=TODAY))
    w.select_patient(storage.search_patients(text="")[0].id)  # the patient's page, not the Today list
    w.flare_banner.show()  # whatever the demo's data, the banner's button must fit in
    assert w.flare_banner.isVisibleTo(w) and isinstance(w.flare_banner, FlareBanner)
    for index in range(w.tabs.count()):
        w.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert clashes(w) == {}, w.tabs.tabText(index)


def test_dialogs(qtbot, demo):
    from taperdesk.ui.scale_wording import ScaleWordingDialog
    from taperdesk.ui.patient_dialog import PatientDialog
    from taperdesk.ui.settings_dialog import ClinicSettingsDialog
    from taperdesk.ui.signin import FirstClinicianDialog, SignInDialog
    from taperdesk.ui.supervision_dialogs import HoldDialog, RevisionReasonDialog, StatusDialog
    from taperdesk.ui.supervision_settings import SupervisionSettingsDialog
    from taperdesk.ui.support_dialogs import AgreeSupportDialog, SupportListDialog
    from taperdesk.ui.symptoms.entry_dialog import ScaleEntryDialog
    from taperdesk.ui.workspace_plans import STATUS_ACTIONS

    patient = storage.search_patients(text="")[0]
    dialogs = [
        PatientDialog(author=demo), PatientDialog(patient=patient, author=demo),
        ClinicSettingsDialog(author=demo, catalogue=load_catalogue()),
        SupervisionSettingsDialog(author=demo), ScaleWordingDialog(definition=storage.scale_definitions()["bwsq"],
                                                                  author=demo),
        SignInDialog(), SignInDialog(locked=True), FirstClinicianDialog(),
        HoldDialog(start=TODAY, earliest=TODAY, latest=TODAY + dt.timedelta(days=90)), RevisionReasonDialog(),
        *(StatusDialog(action=label, explanation=text) for _, label, text in STATUS_ACTIONS.values()),
        *(ScaleEntryDialog(definition=d, patient_id=patient.id, author=demo, today=TODAY)
          for d in storage.scale_definitions().values()),
        SupportListDialog(author=demo), AgreeSupportDialog(author=demo, patient=patient),
    ]
    for dialog in dialogs:
        shown(qtbot, dialog)
        assert clashes(dialog) == {}, dialog.windowTitle()
        dialog.close()


def test_every_wizard_page(qtbot, demo):
    from taperdesk.ui.wizard import TaperWizard

    for drug, doses, crossover in (("lorazepam", {"morning": 1, "night": 1}, True), ("diazepam", {"night": 10}, False)):
        w = TaperWizard(catalogue=load_catalogue(), start=TODAY)
        w.show()
        qtbot.waitExposed(w)
        w.regimen_page.drug.setEditText(drug)
        for time, mg in doses.items():
            w.regimen_page.doses[time].setValue(mg)
        w.approach_page.crossover.setChecked(crossover)
        while True:
            assert clashes(w) == {}, (drug, w.currentPage().title())
            if w.nextId() == -1:
                break
            w.button(QWizard.WizardButton.NextButton).click()
        w.close()
        w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_first_run_pages(qtbot, db):
    from taperdesk.ui.first_run import FirstRunWizard

    w = shown(qtbot, FirstRunWizard())
    page = w.clinic_page
    page.name.setText("Clinic")
    page.phone.setText("1")
    page.where.country.setCurrentIndex(page.where.country.findData("GB"))
    for _ in range(3):
        assert clashes(w) == {}, w.currentPage().title()
        w.button(QWizard.WizardButton.NextButton).click()
