"""The whole workspace flow driven through its methods: sign in, find a
patient, save a plan, hold, revise, pause; the calendar and the list follow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from taperdesk import storage
from taperdesk.core.edits import hold, revise
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.idle import IdleWatcher
from taperdesk.ui.patient_list import PatientListModel, column_of
from taperdesk.ui.signin import FirstClinicianDialog, SignInDialog

TODAY = date(2026, 12, 1)


@pytest.fixture
def clinic(tmp_path):
    storage.open_database(tmp_path / "clinic.sqlite", create=True, auto_backup=False)
    yield tmp_path / "clinic.sqlite"
    storage.close_database()


@pytest.fixture
def doctor(clinic):
    return storage.add_clinician(name="Dr Ada Ngozi", role="clinician", password="long enough password")


@pytest.fixture
def window(qtbot, doctor):
    from taperdesk.ui.workspace import Workspace

    zoe = storage.add_patient(name="Zoë Łukasiewicz", born=date(1970, 5, 1), identifier="TD-0001", author=doctor)
    storage.add_patient(name="Анна Петрова", born=date(1988, 2, 3), identifier="TD-0002", author=doctor)
    w = Workspace(clinician=doctor, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.select_patient(zoe.id)
    return w


def lorazepam_plan():
    settings = PlanSettings(start=TODAY, crossover=True)
    return make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), settings), settings


def test_first_start_asks_for_the_first_clinician(qtbot, clinic):
    dialog = FirstClinicianDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("Dr Lee")
    dialog.password.setText("a good long password")
    dialog.again.setText("a different one")
    assert not dialog.try_create() and "differ" in dialog.message.text()
    dialog.again.setText("a good long password")
    assert dialog.try_create() and dialog.clinician.role == "clinician"
    assert storage.has_clinicians()


def test_sign_in_checks_the_password(qtbot, doctor):
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.name.setCurrentText("Dr Ada Ngozi")
    dialog.password.setText("wrong")
    assert not dialog.try_sign_in() and "do not match" in dialog.message.text()
    dialog.password.setText("long enough password")
    assert dialog.try_sign_in() and dialog.clinician.id == doctor.id


def test_search_as_you_type_by_name_or_identifier(window):
    window.search.setText("анна")  # case-insensitive, any script
    assert window.patients.rowCount() == 1 and window.patients.patient(0).identifier == "TD-0002"
    window.search.setText("TD-000")
    assert window.patients.rowCount() == 2
    window.search.setText("zzz")
    assert window.patients.rowCount() == 0


def test_patient_list_model_passes_the_model_tester(qtmodeltester, doctor):
    storage.add_patient(name="Ben Ode", born=date(1960, 1, 1), identifier="B-1", author=doctor)
    model = PatientListModel(today=TODAY)
    model.refresh()
    qtmodeltester.check(model)


def test_save_plan_then_calendar_and_list_show_the_engines_doses(window):
    plan, settings = lorazepam_plan()
    assert window.actions_by_name["new_plan"].isEnabled()
    assert window.save_new_plan(plan, settings, "taken for 3 years")
    assert window.current.record.status == "active"
    assert not window.actions_by_name["new_plan"].isEnabled()
    assert window.actions_by_name["hold"].isEnabled()
    calendar = window.plan_tab.calendar
    for offset in (0, 10, 20, 60, 200):
        day = TODAY + timedelta(days=offset)
        step = plan.step_on(day)
        cell = calendar.cell(day)
        assert cell.total_text, day
        number = step.diazepam_eq_mg if len(step.daily_mg) > 1 else next(iter(step.daily_mg.values()), 0)
        assert f"{number:g}" in cell.total_text
    row = window.patients.row_of(window.patient_id)
    assert window.patients.index(row, column_of("Status")).data() == "Active"
    assert "lorazepam" in window.patients.index(row, column_of("Dose today")).data()
    events = storage.audit_events(limit=20)
    assert any(e.clinician_id == window.clinician.id and e.entity == "plan" for e in events)


def test_a_hold_shifts_later_steps_on_screen_and_appears_in_history(window):
    plan, settings = lorazepam_plan()
    window.save_new_plan(plan, settings)
    first_cut = plan.cut_dates()[0]
    assert "step_change" in window.plan_tab.calendar.cell(first_cut).marks
    assert window.apply_hold(TODAY + timedelta(days=3), 7, "settling in")
    held = hold(plan, TODAY + timedelta(days=3), 7, "settling in")
    assert window.current.plan.to_json() == held.to_json()
    assert window.current.revision.number == 2
    calendar = window.plan_tab.calendar
    assert "hold" in calendar.cell(TODAY + timedelta(days=5)).marks
    assert "step_change" in calendar.cell(first_cut + timedelta(days=7)).marks
    # the old first cut day now has the crossover switch the hold moved onto it, not a cut
    assert calendar.course().on(first_cut).change == "switch"
    assert calendar.cell(first_cut).total_text == "20 mg"  # both doses diazepam from that day
    window.history_tab.refresh()
    revisions = storage.revisions(plan_id=window.current.record.id)
    assert [r.number for r in revisions] == [1, 2] and "settling in" in revisions[-1].reason


def test_a_revision_and_status_changes_are_recorded_with_the_author(window):
    plan, settings = lorazepam_plan()
    window.save_new_plan(plan, settings)
    slower = settings.with_(cut_percent=5.0)
    revised = revise(window.current.plan, TODAY + timedelta(days=30), slower)
    assert window.apply_revision(revised, slower, "patient asked to go slower")
    assert window.current.revision.number == 2 and window.current.revision.author_id == window.clinician.id
    assert window.apply_status("paused", "holiday")
    assert window.actions_by_name["resume"].isEnabled() and not window.actions_by_name["pause"].isEnabled()
    assert window.apply_status("active", "back from holiday")
    row = window.patients.row_of(window.patient_id)
    assert window.patients.index(row, column_of("Status")).data() == "Active"


def test_bad_operations_say_what_to_fix_and_write_nothing(window):
    plan, settings = lorazepam_plan()
    window.save_new_plan(plan, settings)
    before = storage.revisions(plan_id=window.current.record.id)
    assert not window.apply_hold(plan.end + timedelta(days=30), 7, "too late")
    assert "outside the plan" in window.last_message
    assert not window.apply_revision(plan, settings, "  ")
    assert "why" in window.last_message.lower()
    assert not window.save_new_plan(plan, settings)
    assert "already has" in window.last_message
    assert storage.revisions(plan_id=window.current.record.id) == before


def test_every_action_has_a_menu_entry(window):
    in_menus = {a for menu in window.menuBar().actions() for a in menu.menu().actions()}
    for name, action in window.actions_by_name.items():
        assert action in in_menus, name
    assert window.actions_by_name["hold"].shortcut().toString() == "Ctrl+H"


def test_idle_watcher_fires_after_no_activity(qtbot):
    watcher = IdleWatcher(minutes=0.0005)  # 30 ms
    with qtbot.waitSignal(watcher.idle, timeout=2000):
        pass


def test_a_whole_day_through_the_dialogs(qtbot, doctor, monkeypatch):
    """Add a patient, run the wizard, save, hold from the dialog, pause: every
    dialog driven through the workspace's one door for dialogs."""
    from PySide6.QtWidgets import QWizard

    from taperdesk.ui.patient_dialog import PatientDialog
    from taperdesk.ui.supervision_dialogs import HoldDialog, StatusDialog
    from taperdesk.ui.wizard import TaperWizard
    from taperdesk.ui.workspace import Workspace

    def drive(self, dialog) -> bool:
        if isinstance(dialog, PatientDialog):
            for field, text in ((dialog.name, "Grace Okafor"), (dialog.born, "1983-05-30"), (dialog.identifier, "TD-0100")):
                field.setText(text)
                field.textEdited.emit(text)
            dialog.accept()
            return dialog.saved_patient() is not None
        if isinstance(dialog, TaperWizard):
            dialog.show()
            dialog.regimen_page.drug.setEditText("diazepam")
            dialog.regimen_page.doses["night"].setValue(10.0)
            while dialog.nextId() != -1:
                before = dialog.currentId()
                dialog.button(QWizard.WizardButton.NextButton).click()
                assert dialog.currentId() != before, dialog.outcome().errors
            dialog.ask = lambda box: True  # "Start the plan? ..." answered yes
            dialog.review_page.start_button.click()
            return dialog.result() == 1
        if isinstance(dialog, HoldDialog):
            dialog.days.setValue(10)
            dialog.reason.setText("poor sleep after the cut")
            return True
        if isinstance(dialog, StatusDialog):
            dialog.reason.setText("patient on holiday")
            return True
        raise AssertionError(f"unexpected dialog {dialog!r}")

    monkeypatch.setattr(Workspace, "run_dialog", drive)
    w = Workspace(clinician=doctor, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.actions_by_name["new_patient"].trigger()
    assert w.patient_id is not None and "Grace Okafor" in w.header.text()
    w.actions_by_name["new_plan"].trigger()
    expected = make_plan(Regimen("diazepam", (("night", 10.0),)), PlanSettings(start=TODAY, cut_percent=10.0, interval_days=14))
    assert [s.diazepam_eq_mg for s in w.current.plan.steps] == [s.diazepam_eq_mg for s in expected.steps]
    assert "Saved and started" in w.last_message
    w.plan_tab.calendar.select_date(TODAY + timedelta(days=20))
    w.actions_by_name["hold"].trigger()
    assert w.current.plan.holds()[0].start == TODAY + timedelta(days=20)
    assert w.current.plan.end == expected.end + timedelta(days=10)
    w.actions_by_name["pause"].trigger()
    assert w.current.record.status == "paused"
    authors = {e.clinician_id for e in storage.audit_events(limit=50)}
    assert authors == {doctor.id}


def test_a_flare_after_a_cut_shows_a_banner_and_its_hold_opens_filled_in(window):
    start = TODAY - timedelta(days=20)
    settings = PlanSettings(start=start)
    plan = make_plan(Regimen("diazepam", (("night", 10.0),)), settings)
    cut = plan.cut_dates()[0]
    assert cut == start + timedelta(days=14)
    assert window.save_new_plan(plan, settings)
    for offset in range(1, 8):
        storage.add_symptom_entry(patient_id=window.patient_id, date=cut - timedelta(days=offset), scale="daily",
                                  items={"severity": 2, "sleep": 6}, author=window.clinician)
    storage.add_symptom_entry(patient_id=window.patient_id, date=cut + timedelta(days=3), scale="daily",
                              items={"severity": 7, "sleep": 3}, author=window.clinician)
    window.patients.forget_patient(window.patient_id)
    window.show_patient(window.patient_id)
    assert window.flare is not None and not window.flare_banner.isHidden()
    row = window.patients.row_of(window.patient_id)
    assert "Flare" in window.patients.index(row, column_of("Needs attention")).data()
    window.attention_only.setChecked(True)
    assert [window.patients.patient(r).id for r in range(window.patients.rowCount())] == [window.patient_id]
    window.attention_only.setChecked(False)
    # the banner's button opens the hold dialog filled in; nothing is saved by the click itself
    from taperdesk.ui.supervision_dialogs import HoldDialog

    seen = []

    def cancel(dialog):
        seen.append((type(dialog), dialog.values()))
        return False

    window.run_dialog = cancel
    window.flare_banner.hold.click()
    assert seen == [(HoldDialog, (TODAY, 14, f"Flare: {window.flare.text}"))]
    assert not window.current.plan.holds() and not window.flare_banner.isHidden()
    window.plan_tab.calendar.select_date(TODAY - timedelta(days=40))  # the clinician looked back a month
    window.run_dialog = lambda dialog: True
    window.flare_banner.hold.click()
    held = window.current.plan.holds()
    assert held and held[0].start == TODAY and held[0].days == 14 and held[0].reason.startswith("Flare:")
    assert window.flare is None and window.flare_banner.isHidden()
    # once saved, the calendar shows the hold: its month, its first day selected and marked
    assert window.plan_tab.calendar.shown_month() == (TODAY.year, TODAY.month)
    assert window.plan_tab.calendar.selected_date() == TODAY
    assert "hold" in window.plan_tab.calendar.cell(TODAY).marks


def test_symptoms_tab_is_built_on_first_use_and_follows_the_patient(window):
    assert window._symptoms is None
    window.tabs.setCurrentWidget(window.symptoms_host)
    tab = window._symptoms
    assert tab is not None and tab.patient_id == window.patient_id


def test_a_plan_saved_as_draft_is_started_later_after_one_question(window):
    from PySide6.QtWidgets import QMessageBox

    plan, settings = lorazepam_plan()
    assert window.save_new_plan(plan, settings, draft=True)
    assert window.current.record.status == "draft" and "draft" in window.last_message
    actions = window.actions_by_name
    assert actions["start"].isEnabled() and not actions["pause"].isEnabled()
    assert actions["start"].shortcut().toString() == "Ctrl+Shift+S"
    asked = []

    def answer(reply):
        def run(dialog):
            assert isinstance(dialog, QMessageBox)
            asked.append(dialog.text())
            return reply
        return run

    window.run_dialog = answer(False)
    actions["start"].trigger()
    assert window.current.record.status == "draft"
    assert asked[0].startswith("Start the plan? It starts today.")
    assert "The first change is on Tuesday 1 December 2026: Your night dose changes from lorazepam 1 mg" in asked[0]
    window.run_dialog = answer(True)
    actions["start"].trigger()
    assert window.current.record.status == "active" and not actions["start"].isEnabled()
    events = storage.status_events(plan_ids=[window.current.record.id])[window.current.record.id]
    assert [(e.status, e.reason) for e in events] == [("draft", "plan created"), ("active", "Plan started")]


def test_every_plan_action_has_its_own_shortcut_shown_in_the_plan_menu(window):
    names = ("new_plan", "start", "hold", "revise", "pause", "resume", "complete", "stop")
    keys = {n: window.actions_by_name[n].shortcut().toString() for n in names}
    assert all(keys.values()) and len(set(keys.values())) == len(names), keys
    every = [a.shortcut().toString() for a in window.actions_by_name.values() if not a.shortcut().isEmpty()]
    assert len(every) == len(set(every))
    menu = next(m for m in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu()))
                if m.title() == "&Plan")
    shown = {a.text().replace("&", ""): a.shortcut().toString() for a in menu.actions() if not a.isSeparator()}
    assert shown["End taper…"] == "Ctrl+Shift+E" and shown["Pause…"] == "Ctrl+Shift+A"
    assert shown["Start plan…"] == "Ctrl+Shift+S" and shown["Resume…"] == "Ctrl+Shift+R"


def test_tab_leaves_the_patient_list(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    row = window.table.currentIndex().row()
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.table
    assert window.table.currentIndex().row() == row
