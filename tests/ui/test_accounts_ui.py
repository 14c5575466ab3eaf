"""The Clinicians dialog and the password dialogs, driven through their
methods; what a role may not use is greyed out with the reason as tooltip
(the clinic layer refuses it anyway, tested in tests/clinic)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog

from taperdesk import storage
from taperdesk.clinic import accounts
from taperdesk.ui.accounts import AccountDialog, CliniciansDialog, PasswordDialog, RolesDialog
from taperdesk.ui.workspace import Workspace

TODAY = dt.date(2026, 12, 1)


def _fill_password(dialog, text: str, again: str | None = None) -> None:
    dialog.password.setText(text)
    dialog.again.setText(text if again is None else again)


def test_administrator_adds_sets_roles_resets_and_deactivates(qtbot, clinician, qtmodeltester):
    def drive(dialog: QDialog) -> bool:
        if isinstance(dialog, AccountDialog):
            dialog.name.setText("Nia Nurse")
            _fill_password(dialog, "first pass 12", "first pass 13")
            assert not dialog.save() and "differ" in dialog.message.text()
            _fill_password(dialog, "first pass 12")
            return dialog.save()
        if isinstance(dialog, RolesDialog):
            dialog.roles.boxes["prescriber"].setChecked(True)
            return dialog.save()
        if isinstance(dialog, PasswordDialog):
            _fill_password(dialog, "temporary 123")
            return dialog.save()
        raise AssertionError(dialog)

    d = CliniciansDialog(author=clinician, run_dialog=drive)
    qtbot.addWidget(d)
    qtmodeltester.check(d.model)
    assert not d.active.isEnabled() and d.active.toolTip() == "You cannot deactivate your own account."
    assert d.add_account()
    rows = {d.model.index(r, 0).data(): d.model.index(r, 1).data() for r in range(d.model.rowCount())}
    assert rows == {"Dr Ada Test": "administrator and prescriber", "Nia Nurse": "nurse"}
    assert d.selected().name == "Nia Nurse"
    assert d.change_roles() and d.message.text() == "Nia Nurse is now prescriber and nurse."
    assert d.reset_password()
    assert d.model.index(d.table.currentIndex().row(), 3).data() == "to be changed at the next sign-in"
    assert d.toggle_active() and d.message.text() == "Deactivated Nia Nurse."
    assert d.active.text() == "Reac&tivate"
    [nia] = [c for c in storage.list_clinicians(include_inactive=True) if c.name == "Nia Nurse"]
    assert nia.roles == ("prescriber", "nurse") and not nia.active and nia.must_change_password


def test_the_only_administrator_cannot_give_it_up(qtbot, clinician):
    d = RolesDialog(account=clinician, author=clinician)
    qtbot.addWidget(d)
    d.roles.boxes["administrator"].setChecked(False)
    assert not d.save()
    assert "only active administrator" in d.message.text()
    assert storage.get_clinician(clinician_id=clinician.id).roles == ("administrator", "prescriber")


def test_read_only_cannot_be_ticked_with_another_role(qtbot, clinician):
    d = AccountDialog(author=clinician)
    qtbot.addWidget(d)
    d.roles.boxes["read-only"].setChecked(True)
    assert d.roles.chosen() == ("read-only",)
    d.roles.boxes["prescriber"].setChecked(True)
    assert d.roles.chosen() == ("prescriber",)


@pytest.fixture
def nurse(clinician):
    return accounts.add_account(name="Nia Nurse", role="nurse", password="first pass 12", author=clinician,
                                must_change_password=False)


def test_a_nurse_sees_why_buttons_are_grey(qtbot, nurse):
    patient = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=nurse)
    w = Workspace(clinician=nurse, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(patient.id)
    a = w.actions_by_name
    assert not a["new_plan"].isEnabled()
    assert a["new_plan"].toolTip() == "Only a prescriber may make or start a plan; Nia Nurse is a nurse."
    assert not a["clinicians"].isEnabled() and "Only an administrator" in a["clinicians"].toolTip()
    assert not a["settings"].isEnabled() and not a["backup"].isEnabled()
    assert a["new_patient"].isEnabled() and a["edit_patient"].isEnabled() and a["password"].isEnabled()


def test_change_my_password(qtbot, nurse):
    w = Workspace(clinician=nurse, today=TODAY)
    qtbot.addWidget(w)

    def drive(dialog):
        assert dialog.windowTitle() == "Change my password"
        _fill_password(dialog, "my new secret")
        return dialog.save()

    w.run_dialog = drive
    assert w.change_password_dialog()
    assert storage.verify_password(name="Nia Nurse", password="my new secret") is not None


def test_sign_in_after_a_reset_asks_for_a_new_password_first(qtbot, clinician, nurse, monkeypatch):
    accounts.reset_password(account=nurse.id, new_password="temporary 123", author=clinician)
    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    seen = []

    def drive(dialog):
        seen.append(dialog.windowTitle())
        if len(seen) == 1:  # the lock's sign-in: the nurse comes to the desk
            dialog.name.setCurrentText("Nia Nurse")
            dialog.password.setText("temporary 123")
            return dialog.try_sign_in()
        _fill_password(dialog, "temporary 123")
        assert not dialog.save() and "not the one the administrator gave you" in dialog.message.text()
        _fill_password(dialog, "nia's own pw")
        return dialog.save()

    w.run_dialog = drive
    w.lock()
    assert seen == ["TaperDesk: locked", "Choose a new password"]
    assert w.clinician.name == "Nia Nurse" and not w.clinician.must_change_password
    assert not w.actions_by_name["new_plan"].isEnabled()


def test_a_nurse_may_hold_only_a_plan_the_prescriber_delegated(qtbot, clinician, nurse):
    from taperdesk.clinic import plans
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    patient = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=clinician)
    settings = PlanSettings(start=TODAY)
    info = plans.start_plan(patient_id=patient.id, plan=make_plan(Regimen("diazepam", (("night", 10.0),)), settings),
                            settings=settings, author=clinician)
    w = Workspace(clinician=nurse, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(patient.id)
    hold = w.actions_by_name["hold"]
    assert not hold.isEnabled() and "only when a prescriber lets nurses hold it" in hold.toolTip()
    plans.delegate_holds(plan_id=info.record.id, max_days=14, author=clinician)
    w.show_patient(patient.id)
    assert hold.isEnabled()
    w.run_dialog = lambda dialog: True
    assert w.apply_hold(TODAY + dt.timedelta(days=3), 14, "flare")
    assert "held by a nurse" in plans.current_plan(patient_id=patient.id).revision.reason


def test_clinicians_dialog_by_keyboard(qtbot, clinician, nurse):
    """Keyboard only: the arrow keys choose an account, Tab walks the buttons in
    the order they are shown, Space presses one. (Alt+letter is left to the
    mnemonic walk in test_mnemonics: this platform plugin does not deliver it.)"""
    from PySide6.QtCore import Qt

    opened = []

    def drive(dialog):
        opened.append(dialog.windowTitle())
        return False

    d = CliniciansDialog(author=clinician, run_dialog=drive)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitActive(d)
    d.table.setFocus()
    qtbot.keyClick(d.table, Qt.Key.Key_Down)
    assert d.selected().name == "Nia Nurse"
    walk = []
    for _ in range(5):
        qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Tab)
        walk.append(d.focusWidget().text().replace("&", ""))
    assert walk == ["Add…", "Deactivate", "Reset password…", "Set roles…", "Close"]
    for _ in range(2):  # back to Reset password…
        qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Backtab)
    qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Space)
    qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Backtab)
    qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Space)
    assert opened == ["Reset the password of Nia Nurse"]
    assert d.message.text() == "Deactivated Nia Nurse."


def test_a_patient_open_elsewhere_is_read_only_here_until_released(qtbot, clinician, nurse):
    from taperdesk.storage import patient_locks

    patient = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=clinician)
    patient_locks.claim(patient_id=patient.id, author=clinician, session="room-2", place="ROOM-2")
    w = Workspace(clinician=nurse, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(patient.id)
    assert not w.in_use_banner.isHidden()
    assert "this patient is in use by Dr Ada Test on ROOM-2 since" in w.in_use_banner.text()
    edit = w.actions_by_name["edit_patient"]
    assert not edit.isEnabled() and edit.toolTip().startswith("Read-only: this patient is in use by Dr Ada Test")
    # ROOM-2 saves a change and closes the record: the next poll shows both, and Ana is editable here
    storage.update_patient(patient_id=patient.id, phone="555 0101", author=clinician)
    patient_locks.release(session="room-2")
    assert w.poll_changes()
    assert w.in_use_banner.isHidden() and edit.isEnabled()
    assert patient_locks.holder(patient_id=patient.id, session="room-2").workstation == patient_locks.workstation()
    w.close()  # released on close
    assert patient_locks.holder(patient_id=patient.id, session="room-2") is None


def test_symptom_entry_is_greyed_for_read_only_and_for_a_patient_open_elsewhere(qtbot, clinician):
    from taperdesk.storage import patient_locks

    reader = accounts.add_account(name="Rita Reader", role="read-only", password="first pass 12", author=clinician,
                                  must_change_password=False)
    ana = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=clinician)
    ben = storage.add_patient(name="Ben", born=dt.date(1961, 1, 1), identifier="TD-2", author=clinician)
    w = Workspace(clinician=reader, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(ana.id)
    tab = w.symptoms_tab
    assert not tab.quick.isEnabled()
    assert tab.quick.toolTip() == "Only a prescriber or a nurse may record, correct or retract symptoms; " \
                                  "Rita Reader is read-only."
    w.close()
    assert patient_locks.held_by_this_session() == []  # a read-only account looks, never holds
    patient_locks.claim(patient_id=ben.id, author=clinician, session="room-2", place="ROOM-2")
    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(ana.id)
    assert w.symptoms_tab.quick.isEnabled()
    w.select_patient(ben.id)
    assert not w.symptoms_tab.quick.isEnabled() and "ROOM-2" in w.symptoms_tab.quick.toolTip()
    # selecting a current entry must not bring Correct/Retract back on a patient held elsewhere
    items = {"severity": 5, "sleep": 5}
    daily = storage.scale_definitions()["daily"]
    entry = storage.add_symptom_entry(patient_id=ben.id, date=TODAY, scale="daily",
                                      items={i.key: items.get(i.key, 0) for i in daily.items}, author=clinician)
    w.symptoms_tab.refresh()
    assert w.symptoms_tab.select_entry(entry.id) and w.symptoms_tab.selected_row().current
    for button in (w.symptoms_tab.correct_button, w.symptoms_tab.retract_button,
                   *w.symptoms_tab.scale_buttons.values()):
        assert not button.isEnabled() and "ROOM-2" in button.toolTip(), button.text()
    w.select_patient(ana.id)  # Ana is free: entry and its buttons work again
    usable = storage.scale_definitions()
    assert w.symptoms_tab.quick.isEnabled()
    assert all(b.isEnabled() for k, b in w.symptoms_tab.scale_buttons.items() if usable[k].usable)
