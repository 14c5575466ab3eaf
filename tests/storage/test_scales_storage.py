"""Scale definitions a clinic edits are stored as versions (append-only), entries
keep the version they were made with and are checked by it, the flare thresholds
are a clinic setting, and the attention list's two bulk reads answer for a whole
screen of patients at once. A schema 2 file is migrated keeping its rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
from peewee import SqliteDatabase

from taperdesk import storage
from taperdesk.core.scales import Band, Item, load_scales
from taperdesk.core.supervision import FlareRule
from taperdesk.storage import errors
from taperdesk.storage.demo import BWSQ_ITEMS, CIWA_B_ITEMS
from taperdesk.storage.migrations import LATEST_VERSION, MIGRATIONS, apply_migrations
from tests.bwsq import enter_bwsq_wording
from taperdesk.storage.migrations.m003_scales import APPEND_ONLY
from taperdesk.storage.models import db

from .conftest import PLAN_JSON, table_dump

SHIPPED = load_scales()
CIWA = SHIPPED["ciwa-b"]


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def ciwa_items(value: int = 1, **over) -> dict[str, int]:
    return {i.key: value for i in CIWA.items} | over


def gentler_ciwa():
    """A clinic's edit: tremor scored 0-2, the bands unchanged."""
    items = tuple(dataclasses.replace(i, high=2, text="Tremor (0-2 locally)") if i.key == "tremor" else i
                  for i in CIWA.items)
    return dataclasses.replace(CIWA, items=items, bands=CIWA.bands[:-1] + (Band(61, 78, "very severe"),))


# -- migration from schema 2 -------------------------------------------------

def _make_schema_2_file(path):
    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    assert apply_migrations(old, upto=2) == [1, 2]
    old.execute_sql(
        "INSERT INTO clinician (name, name_key, role, password_hash, password_salt, password_params,"
        " active, created_at) VALUES ('Dr Old', 'dr old', 'clinician', x'00', x'00', 'scrypt:n=16,r=1,p=1',"
        " 1, '2025-01-01T00:00:00.000000Z')")
    old.execute_sql(
        "INSERT INTO patient (name, name_key, born, identifier, identifier_key, created_at)"
        " VALUES ('Old Patient', 'old patient', '1950-05-05', 'P-1', 'p-1', '2025-01-01T00:00:00.000000Z')")
    old.execute_sql(
        "INSERT INTO symptom_entry (patient_id, date, scale, items, total, entered_by_id, entered_at)"
        " VALUES (1, '2025-02-01', 'daily', '{\"severity\":4,\"sleep\":6}', 10, 1, '2025-02-01T20:00:00.000000Z')")
    old.execute_sql("UPDATE clinic_settings SET name = 'Old Clinic', backup_keep = 12 WHERE id = 1")
    old.close()


def test_schema_2_file_is_migrated_keeping_rows(db_path):
    _make_schema_2_file(db_path)
    before = table_dump(db_path)
    session = storage.open_database(db_path)
    assert session.migrated[0] == 3 and session.migrated == [n for n, _up in MIGRATIONS if n >= 3]
    assert table_dump(session.backup) == before
    [entry] = storage.symptom_entries(patient_id=1)
    assert entry.scale_version == 1 and entry.items == {"severity": 4, "sleep": 6} and entry.total == 10
    settings = storage.get_clinic_settings()
    assert (settings.name, settings.backup_keep, settings.supervision) == ("Old Clinic", 12, {})
    assert storage.scale_definitions() == SHIPPED
    # the old rows are still history: the append-only triggers survived the new column
    storage.close_database()
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE symptom_entry SET scale_version = 2")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO symptom_entry (patient_id, date, scale, items, total, entered_by_id, entered_at,"
                     " scale_version, chain_hash) VALUES (1, '2025-02-02', 'daily', '{}', 0, 1, 'x', 0, ?)",
                     ("0" * 64,))
    conn.close()


# -- definitions: versions, append-only, refusals ------------------------------

def test_shipped_definitions_until_a_clinic_edits(opened):
    assert storage.scale_definitions() == SHIPPED
    assert storage.scale_definition(key="ciwa-b", version=1) == CIWA
    assert storage.scale_versions(key="bwsq") == [SHIPPED["bwsq"]]
    with pytest.raises(errors.NotFoundError, match="no version 2 of the symptom scale 'ciwa-b'"):
        storage.scale_definition(key="ciwa-b", version=2)


def test_an_edit_is_the_next_version_and_the_old_one_stays(doctor):
    saved = storage.save_scale_definition(definition=gentler_ciwa(), author=doctor)
    assert saved.version == 2 and saved.item("tremor").high == 2
    assert storage.scale_definitions()["ciwa-b"] == saved
    assert storage.scale_definition(key="ciwa-b", version=2) == saved
    assert storage.scale_definition(key="ciwa-b", version=1) == CIWA
    # the version the caller sent is ignored: it is always latest + 1
    again = storage.save_scale_definition(definition=dataclasses.replace(saved, version=9, note="local form"),
                                          author=doctor)
    assert again.version == 3 and again.note == "local form"
    assert [d.version for d in storage.scale_versions(key="ciwa-b")] == [1, 2, 3]
    # saving the current definition unchanged stores nothing
    assert storage.save_scale_definition(definition=again, author=doctor) == again
    assert [d.version for d in storage.scale_versions(key="ciwa-b")] == [1, 2, 3]
    events = storage.audit_events(entity="scale_definition")
    assert [e.action for e in events] == ["update", "update"] and "version 3" in events[0].summary


def test_a_clinics_own_scale_starts_at_version_1(doctor):
    mood = {"key": "mood", "version": 1, "title": "Mood", "headline": "low",
            "items": [{"key": "low", "text": "How low was your mood?", "low": 0, "high": 5, "rater": "patient"}],
            "bands": [], "source": "Harbour Street Clinic", "unverified": True, "note": ""}
    saved = storage.save_scale_definition(definition=mood, author=doctor)
    assert saved.version == 1 and set(storage.scale_definitions()) == {"daily", "ciwa-b", "bwsq", "mood"}
    assert storage.audit_events(entity="scale_definition")[0].action == "create"


@pytest.mark.parametrize("change,words", [
    ({"bands": [{"low": 0, "high": 10, "label": "a"}, {"low": 5, "high": 80, "label": "b"}]}, "overlaps 'a'"),
    ({"bands": [{"low": 0, "high": 90, "label": "all"}]}, "outside the total's range 0-80"),
    ({"items": [{"key": "x", "text": "X", "low": 2, "high": 2, "rater": "patient"}]}, "item 'x'"),
    ({"items": [{"key": "x", "text": "X", "low": 0, "high": 2}] * 2, "bands": []}, "twice"),
])
def test_a_bad_definition_is_refused_with_its_message(doctor, change, words):
    before = storage.audit_events()
    with pytest.raises(errors.InvalidInputError, match=words) as err:
        storage.save_scale_definition(definition=CIWA.to_dict() | change, author=doctor)
    assert "\n" not in str(err.value)
    assert storage.scale_definitions() == SHIPPED and storage.audit_events() == before


def test_staff_may_not_change_a_scale(staff):
    with pytest.raises(errors.PermissionDeniedError, match="Only an administrator may change a symptom scale"):
        storage.save_scale_definition(definition=gentler_ciwa(), author=staff)


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_scale_definitions_are_append_only(db_path, doctor, table):
    storage.save_scale_definition(definition=gentler_ciwa(), author=doctor)
    storage.close_database()
    conn = sqlite3.connect(db_path)
    for statement in (f"UPDATE {table} SET version = 7", f"DELETE FROM {table}"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    # the same key and version again: refused (by the no-REPLACE trigger, before the UNIQUE constraint)
    with pytest.raises(sqlite3.IntegrityError, match="that row exists"):
        conn.execute(f"INSERT INTO {table} (key, version, definition, author_id, created_at, chain_hash)"
                     " SELECT key, version, definition, author_id, created_at, chain_hash FROM scale_definition")
    conn.close()


# -- entries keep their definition ---------------------------------------------

def test_entries_keep_the_version_they_were_made_with(doctor, staff, patient):
    day = dt.date(2026, 1, 6)
    old = storage.add_symptom_entry(patient_id=patient.id, date=day, scale="ciwa-b",
                                    items=ciwa_items(tremor=4), author=staff)
    assert old.scale_version == 1 and old.total == 23
    storage.save_scale_definition(definition=gentler_ciwa(), author=doctor)
    with pytest.raises(errors.InvalidInputError, match="'tremor': score must be a whole number 0-2, not 4"):
        storage.add_symptom_entry(patient_id=patient.id, date=day, scale="ciwa-b", items=ciwa_items(tremor=4),
                                  author=staff)
    new = storage.add_symptom_entry(patient_id=patient.id, date=day, scale="ciwa-b", items=ciwa_items(tremor=2),
                                    author=staff)
    assert new.scale_version == 2
    # a dialog still showing version 1 may save with it
    shown = storage.add_symptom_entry(patient_id=patient.id, date=day, scale="ciwa-b", items=ciwa_items(tremor=3),
                                      author=staff, scale_version=1)
    assert shown.scale_version == 1
    # a correction is checked by, and keeps, the version of the entry it replaces
    fixed = storage.correct_symptom_entry(entry_id=old.id, items=ciwa_items(tremor=3), author=doctor,
                                          note="tremor re-scored")
    assert fixed.scale_version == 1 and fixed.total == 22
    with pytest.raises(errors.InvalidInputError, match="0-2"):
        storage.correct_symptom_entry(entry_id=new.id, items=ciwa_items(tremor=3), author=doctor, note="x")
    gone = storage.retract_symptom_entry(entry_id=new.id, reason="wrong patient", author=doctor)
    assert gone.scale_version == 2
    versions = {e.id: e.scale_version for e in storage.patient_history(patient_id=patient.id).entries}
    assert versions == {old.id: 1, new.id: 2, shown.id: 1, fixed.id: 1, gone.id: 2}
    assert {e.id: e.scale_version for e in storage.symptom_entries(patient_id=patient.id)} == {shown.id: 1, fixed.id: 1}


def test_entries_are_checked_by_their_definition(doctor, patient):
    def add(scale, items, **kw):
        return storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 2), scale=scale, items=items,
                                         author=doctor, **kw)

    assert add("daily", {"severity": 3}).total == 3  # only the headline is needed
    with pytest.raises(errors.InvalidInputError, match="BWSQ cannot be used yet: .*Imperial College London"):
        add("bwsq", {k: 2 for k in BWSQ_ITEMS})  # the shipped BWSQ has no wording: licensed
    enter_bwsq_wording(doctor)
    assert add(" bwsq ", {k: 2 for k in BWSQ_ITEMS}).scale == "bwsq"
    for scale, items, words in [
        ("ciwa-b", ciwa_items() | {"tremor": 5}, "'tremor'"),
        ("ciwa-b", {k: 1 for k in CIWA_B_ITEMS[:17]}, "'restlessness'.*no score.*2 more"),
        ("daily", {"sleep": 5}, "'severity'.*no score"),
        ("daily", {"severity": 2, "mood": 1}, "no item 'mood'"),
        ("bwsq", {k: 3 for k in BWSQ_ITEMS}, "0-2"),
        ("moood", {"x": 1}, "no symptom scale 'moood'.*daily"),
        ("", {"x": 1}, "needs a scale"),
    ]:
        with pytest.raises(errors.InvalidInputError, match=words):
            add(scale, items)
    for version, words in [(3, "no version 3 of the symptom scale 'daily' \\(the latest is 2\\)"),
                           (0, "from 1"), ("1", "from 1")]:
        with pytest.raises(errors.InvalidInputError, match=words):
            add("daily", {"severity": 1}, scale_version=version)


def test_demo_item_keys_are_the_scales_keys():
    assert CIWA_B_ITEMS == tuple(i.key for i in CIWA.items)
    assert BWSQ_ITEMS == tuple(i.key for i in SHIPPED["bwsq"].items)
    assert {"severity", "sleep"} <= {i.key for i in SHIPPED["daily"].items}


# -- flare thresholds are a clinic setting -----------------------------------------

def test_flare_thresholds_are_kept_in_the_settings(doctor):
    assert storage.get_clinic_settings().supervision == {} and storage.flare_rule() == FlareRule()
    mine = dataclasses.replace(storage.get_clinic_settings(), supervision={"daily_rise": 2.0, "window_days": 10})
    saved = storage.save_clinic_settings(settings=mine, author=doctor)
    assert saved.supervision == {"daily_rise": 2.0, "window_days": 10}
    assert storage.flare_rule() == FlareRule(window_days=10, daily_rise=2.0)
    assert "supervision" in storage.audit_events(entity="clinic_settings")[0].summary
    for bad, words in [({"window_days": 0}, "flare window"), ({"speed": 1}, "Unknown flare threshold")]:
        with pytest.raises(errors.InvalidInputError, match=words):
            storage.save_clinic_settings(settings=dataclasses.replace(mine, supervision=bad), author=doctor)
    assert storage.get_clinic_settings().supervision == {"daily_rise": 2.0, "window_days": 10}


# -- bulk reads for the attention list -----------------------------------------------

@pytest.fixture
def clinic(doctor, patient):
    """Three patients: one with daily ratings (a correction, a retraction), CIWA-B and
    BWSQ; one with a plan only; one with nothing."""
    other = storage.add_patient(name="Ann Other", born=dt.date(1970, 1, 1), identifier="TD-0002", author=doctor)
    empty = storage.add_patient(name="No One", born=dt.date(1980, 1, 1), identifier="TD-0003", author=doctor)

    def add(day, scale, items):
        return storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, day), scale=scale,
                                         items=items, author=doctor)

    add(1, "daily", {"severity": 1, "sleep": 9})
    wrong = add(2, "daily", {"severity": 2, "sleep": 8})
    storage.correct_symptom_entry(entry_id=wrong.id, items={"severity": 5, "sleep": 8}, author=doctor, note="x")
    gone = add(3, "daily", {"severity": 9})
    storage.retract_symptom_entry(entry_id=gone.id, reason="wrong patient", author=doctor)
    add(4, "ciwa-b", ciwa_items(1))
    enter_bwsq_wording(doctor)
    add(5, "bwsq", {k: 1 for k in BWSQ_ITEMS})
    late = add(20, "ciwa-b", ciwa_items(2))
    storage.retract_symptom_entry(entry_id=late.id, reason="entered twice", author=doctor)
    add(21, "daily", {"severity": 4})
    plan = storage.create_plan(patient_id=other.id, plan=PLAN_JSON, settings={}, author=doctor,
                               at=at(dt.date(2025, 12, 1)))
    storage.save_revision(plan_id=plan.id, plan=PLAN_JSON, settings={}, author=doctor, reason="hold",
                          at=at(dt.date(2026, 1, 10)))
    storage.set_plan_status(plan_id=plan.id, status="active", author=doctor, reason="agreed",
                            at=at(dt.date(2026, 1, 3)))
    return patient, other, empty


def test_recent_observations_are_current_versions_with_their_values(clinic):
    patient, other, empty = clinic
    got = storage.recent_observations(patient_ids=[patient.id, other.id, empty.id], since=dt.date(2026, 1, 2))
    assert got[other.id] == [] and got[empty.id] == []
    assert [(d.day, s, v) for d, s, v in got[patient.id]] == [
        (2, "daily", 5), (4, "ciwa-b", 20), (5, "bwsq", 20), (21, "daily", 4)]
    assert storage.recent_observations(patient_ids=[], since=dt.date(2026, 1, 1)) == {}


def test_recent_observations_score_by_the_entrys_own_version(doctor, clinic):
    patient = clinic[0]
    total_daily = dataclasses.replace(SHIPPED["daily"], headline=None,  # a clinic charts the sum instead
                                      items=SHIPPED["daily"].items[:2])
    storage.save_scale_definition(definition=total_daily, author=doctor)
    storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 22), scale="daily",
                              items={"severity": 4, "sleep": 3}, author=doctor)
    got = storage.recent_observations(patient_ids=[patient.id], since=dt.date(2026, 1, 21))[patient.id]
    assert [(d.day, v) for d, _, v in got] == [(21, 4), (22, 7)]


def test_recent_observations_take_the_same_queries_for_many_patients(doctor, clinic, monkeypatch):
    many = [storage.add_patient(name=f"P {n}", born=dt.date(1970, 1, 1), identifier=f"X-{n}", author=doctor).id
            for n in range(30)]
    for pid in many:
        storage.add_symptom_entry(patient_id=pid, date=dt.date(2026, 1, 9), scale="daily", items={"severity": 2},
                                  author=doctor)
    counted = []
    original = db.execute_sql
    monkeypatch.setattr(db, "execute_sql", lambda *a, **k: counted.append(a[0]) or original(*a, **k))

    def queries(ids):
        counted.clear()
        storage.recent_observations(patient_ids=ids, since=dt.date(2026, 1, 1))
        storage.last_reviews(patient_ids=ids)
        return len(counted)

    assert 0 < queries(many[:1]) == queries(many + [p.id for p in clinic]) <= 6
    got = storage.recent_observations(patient_ids=many, since=dt.date(2026, 1, 1))
    assert all(got[pid] == [(dt.date(2026, 1, 9), "daily", 2)] for pid in many)


def test_last_reviews(clinic, doctor):
    patient, other, empty = clinic
    got = storage.last_reviews(patient_ids=[patient.id, other.id, empty.id])
    # the patient: the BWSQ on 5 Jan (daily ratings are not a review; the late CIWA-B was retracted)
    # the other: the hold's revision on 10 Jan, later than the status change on 3 Jan
    assert got == {patient.id: dt.date(2026, 1, 5), other.id: dt.date(2026, 1, 10)}
    plan = storage.plans_for_patient(patient_id=other.id)[0]
    storage.set_plan_status(plan_id=plan.id, status="paused", author=doctor, reason="unwell",
                            at=at(dt.date(2026, 2, 1)))
    assert storage.last_reviews(patient_ids=[other.id]) == {other.id: dt.date(2026, 2, 1)}
    assert storage.last_reviews(patient_ids=[]) == {}


def test_new_public_names_are_re_exported():
    for name in ("save_scale_definition", "scale_definitions", "scale_definition", "scale_versions",
                 "recent_observations", "last_reviews", "flare_rule"):
        assert name in storage.__all__ and callable(getattr(storage, name))
    assert Item and Band  # the core types storage hands back
