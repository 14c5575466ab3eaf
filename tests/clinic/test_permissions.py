"""Every operation of the clinic layer, for every role (issue 14): the roles
core.roles allows succeed and are recorded "(as ROLE)" in the audit trail; the
others are refused with one line naming the role needed, and nothing is
written (every table's rows the same before and after)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.clinic import accounts, calendar_files, handouts, paper, plans, records
from taperdesk.clinic import settings as clinic_settings
from taperdesk.clinic.permissions import PermissionRefused, require
from taperdesk.core import roles
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.core.support import shipped_options
from taperdesk.storage import clinicians

START = dt.date(2026, 11, 2)
SETTINGS = PlanSettings(start=START)
ONE_ROLE = {role: f"Only {role.title()}" for role in roles.ROLES}  # an account per role, holding just it


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A clinic made once: an administrator+prescriber, one account per single
    role, a patient with an active plan (nurse holds delegated for 14 days) and a
    printed handout, and a patient with no plan."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
        path = tmp_path_factory.mktemp("roles") / "clinic.sqlite"
        storage.open_database(path, create=True, auto_backup=False)
        try:
            boss = storage.add_clinician(name="Dr Ada Boss", role="administrator,prescriber", password="long enough 1")
            for role, name in ONE_ROLE.items():
                storage.add_clinician(name=name, role=role, password="long enough 1", author=boss)
            ana = storage.add_patient(name="Ana Plan", born=dt.date(1960, 1, 1), identifier="TD-1", author=boss)
            storage.add_patient(name="Ben Noplan", born=dt.date(1970, 1, 1), identifier="TD-2", author=boss)
            plan = make_plan(Regimen("diazepam", (("night", 10.0),)), SETTINGS)
            info = plans.start_plan(patient_id=ana.id, plan=plan, settings=SETTINGS, author=boss)
            plans.delegate_holds(plan_id=info.record.id, max_days=14, author=boss)
            handouts.make_handout(patient_id=ana.id, kind="patient", author=boss, printed_on=START)
        finally:
            storage.close_database()
    return path


@pytest.fixture
def clinic(template, tmp_path, monkeypatch):
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    path = tmp_path / "clinic.sqlite"
    shutil.copy(template, path)
    storage.open_database(path, auto_backup=False)
    yield path
    storage.close_database()


def _who(name: str) -> storage.Clinician:
    return next(c for c in storage.list_clinicians(include_inactive=True) if c.name == name)


def _ana():
    return storage.find_patient_by_identifier(identifier="TD-1")


def _plan_id() -> int:
    return plans.current_plan(patient_id=_ana().id).record.id


def _handout_id() -> int:
    info = plans.current_plan(patient_id=_ana().id)
    return [h.id for r in storage.revisions(plan_id=info.record.id)
            for h in storage.handouts_for_revision(revision_id=r.id)][0]


def _ciwa_edit():
    ciwa = storage.scale_definitions()["ciwa-b"]
    items = tuple(dataclasses.replace(i, text="Tremor, as scored here") if i.key == "tremor" else i
                  for i in ciwa.items)
    return dataclasses.replace(ciwa, items=items)


# operation -> a call of the clinic layer doing it as `who`
CALLS = {
    "manage_accounts": lambda who: accounts.add_account(name="New Person", role="nurse", password="long enough 2",
                                                        author=who),
    "clinic_settings": lambda who: clinic_settings.save_clinic_settings(
        settings=dataclasses.replace(storage.get_clinic_settings(), phone="555 0199"), author=who),
    "scale_wording": lambda who: clinic_settings.save_scale_definition(definition=_ciwa_edit(), author=who),
    "backup": lambda who: clinic_settings.backup_now(author=who),
    "change_own_password": lambda who: accounts.change_my_password(new_password="another long one", author=who),
    "add_patient": lambda who: records.add_patient(name="Cy New", born=dt.date(1990, 1, 1), identifier="TD-3",
                                                   author=who),
    "edit_patient": lambda who: records.update_patient(patient_id=_ana().id, phone="555 0100", author=who),
    "archive_patient": lambda who: records.set_patient_archived(patient_id=_ana().id, archived=True, author=who),
    "import_patient": lambda who: records.import_patient(
        document=_renamed(storage.export_patient(patient_id=_ana().id)), author=who),
    "export_patient": lambda who: records.export_patient(patient_id=_ana().id, author=who),
    "start_plan": lambda who: plans.start_plan(
        patient_id=storage.find_patient_by_identifier(identifier="TD-2").id,
        plan=make_plan(Regimen("diazepam", (("night", 5.0),)), SETTINGS), settings=SETTINGS, author=who),
    "revise_plan": lambda who: plans.revise_plan(
        plan_id=_plan_id(), plan=plans.current_plan(patient_id=_ana().id).plan, settings=SETTINGS, author=who,
        reason="seen today"),
    "hold_plan": lambda who: plans.hold_plan(plan_id=_plan_id(), from_date=START + dt.timedelta(days=20), days=7,
                                             reason="poor sleep", author=who),
    "change_status": lambda who: plans.change_status(plan_id=_plan_id(), status="paused", author=who,
                                                     reason="unwell"),
    "delegate_holds": lambda who: plans.delegate_holds(plan_id=_plan_id(), max_days=7, author=who),
    "plan_paper": lambda who: paper.choose_plan_paper(plan_id=_plan_id(), prescriber="Dr Ada Boss", supply_days=14,
                                                      author=who),
    "next_review": lambda who: paper.set_next_review(patient_id=_ana().id, review_on=START + dt.timedelta(days=60),
                                                     author=who),
    "make_handout": lambda who: handouts.make_handout(patient_id=_ana().id, kind="dosebox", author=who,
                                                      printed_on=START),
    "reprint_handout": lambda who: handouts.reprint(handout_id=_handout_id(), author=who),
    "export_calendar": lambda who: calendar_files.calendar_file(patient_id=_ana().id, today=START, author=who),
    "record_symptoms": lambda who: records.add_symptom_entry(patient_id=_ana().id, date=START, scale="daily",
                                                             items={"severity": 3, "sleep": 6}, author=who),
    "support_list": lambda who: records.save_support_options(options=shipped_options()[:2], author=who),
    "agree_support": lambda who: records.agree_support(patient_id=_ana().id, keys=["exercise"], author=who),
}
READ_ONLY_OPERATIONS = {"read_records"}  # no author: reads take none, every role may


def _renamed(document: dict) -> dict:
    document["patient"] = {**document["patient"], "identifier": "TD-9"}
    return document


def snapshot(path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def test_the_table_names_every_operation_the_tests_call():
    assert set(CALLS) | READ_ONLY_OPERATIONS == set(roles.OPERATIONS)
    assert roles.allowed_roles("read_records") == roles.ROLES


@pytest.mark.parametrize("role", roles.ROLES)
@pytest.mark.parametrize("operation", sorted(CALLS))
def test_each_operation_for_each_role(clinic, operation, role):
    who = _who(ONE_ROLE[role])
    allowed = role in roles.allowed_roles(operation)
    if not allowed:
        before = snapshot(clinic)
        with pytest.raises(PermissionRefused) as refused:
            CALLS[operation](who)
        needed = " or ".join(("an " if r[0] in "aeiou" else "a ") + r for r in roles.allowed_roles(operation))
        assert str(refused.value).startswith(f"Only {needed} may ")
        assert "\n" not in str(refused.value) and who.name in str(refused.value)
        assert snapshot(clinic) == before
        return
    last = storage.audit_events(limit=1)[0].id
    CALLS[operation](who)
    written = [e for e in storage.audit_events(limit=20) if e.id > last]
    if operation in ("export_patient", "reprint_handout", "backup", "export_calendar"):
        assert written == []  # nothing changes; the front end records the disclosure once the file is written
    else:
        assert written and all(e.clinician_id == who.id and e.summary.endswith(f"(as {role})") for e in written)


def test_a_role_taken_away_counts_at_once(clinic):
    nurse = _who(ONE_ROLE["nurse"])
    boss = _who("Dr Ada Boss")
    accounts.set_roles(account=nurse.id, role="read-only", author=boss)
    with pytest.raises(PermissionRefused, match="Only a prescriber or a nurse may record"):
        CALLS["record_symptoms"](nurse)  # the front end's copy still says nurse; the file says read-only


def test_an_inactive_account_is_refused(clinic):
    boss, nurse = _who("Dr Ada Boss"), _who(ONE_ROLE["nurse"])
    accounts.set_active(account=nurse.id, active=False, author=boss)
    with pytest.raises(PermissionRefused, match="inactive"):
        require("record_symptoms", nurse)


def test_a_nurse_holds_only_as_the_prescriber_allows(clinic):
    nurse, boss = _who(ONE_ROLE["nurse"]), _who("Dr Ada Boss")
    before = snapshot(clinic)
    with pytest.raises(PermissionRefused, match="up to 14 days at a time, not 21"):
        plans.hold_plan(plan_id=_plan_id(), from_date=START + dt.timedelta(days=20), days=21, reason="x",
                        author=nurse)
    plans.delegate_holds(plan_id=_plan_id(), max_days=0, author=boss)
    before = snapshot(clinic)
    with pytest.raises(PermissionRefused, match="only when a prescriber lets nurses hold it"):
        plans.hold_plan(plan_id=_plan_id(), from_date=START + dt.timedelta(days=20), days=7, reason="x",
                        author=nurse)
    assert snapshot(clinic) == before
    plans.delegate_holds(plan_id=_plan_id(), max_days=10, author=boss)
    revision = plans.hold_plan(plan_id=_plan_id(), from_date=START + dt.timedelta(days=20), days=10,
                               reason="flare", author=nurse)
    assert revision.reason.endswith("(held by a nurse under Dr Ada Boss's delegation)")
    assert revision.author_id == nurse.id
    # the prescriber's own hold needs no delegation and is not limited by it
    plans.delegate_holds(plan_id=_plan_id(), max_days=0, author=boss)
    assert "nurse" not in plans.hold_plan(plan_id=_plan_id(), from_date=START + dt.timedelta(days=40), days=21,
                                          reason="slower", author=boss).reason


def test_the_clinic_keeps_an_active_administrator(clinic):
    boss, admin = _who("Dr Ada Boss"), _who(ONE_ROLE["administrator"])
    accounts.set_roles(account=boss.id, role="prescriber", author=admin)  # another administrator remains
    before = snapshot(clinic)
    with pytest.raises(storage.StorageError, match="only active administrator"):
        accounts.set_roles(account=admin.id, role="nurse", author=admin)
    assert snapshot(clinic) == before
    accounts.set_roles(account=boss.id, role="administrator,prescriber", author=admin)
    accounts.set_active(account=admin.id, active=False, author=boss)
    with pytest.raises(storage.StorageError, match="only active administrator"):
        accounts.set_roles(account=boss.id, role="prescriber", author=boss)


def test_a_reset_password_must_be_changed(clinic):
    boss, nurse = _who("Dr Ada Boss"), _who(ONE_ROLE["nurse"])
    accounts.reset_password(account="only nurse", new_password="temporary 123", author=boss)
    signed = storage.verify_password(name=nurse.name, password="temporary 123")
    assert signed.must_change_password
    with pytest.raises(storage.StorageError, match="not the one the administrator gave you"):
        accounts.change_my_password(new_password="temporary 123", author=signed)
    changed = accounts.change_my_password(new_password="my own secret", author=signed)
    assert not changed.must_change_password
    assert storage.verify_password(name=nurse.name, password="my own secret") is not None
    with pytest.raises(storage.StorageError, match="only your own password"):
        storage.change_password(clinician_id=boss.id, new_password="hijacked!!", author=nurse)


def test_roles_words_are_checked():
    assert roles.parse_roles("Prescriber, administrator") == ("administrator", "prescriber")
    assert roles.parse_roles("clinician") == ("administrator", "prescriber")
    assert roles.parse_roles("staff") == ("nurse",)
    for bad in ("", "doctor", "read-only,nurse", ",,"):
        with pytest.raises(ValueError):
            roles.parse_roles(bad)
