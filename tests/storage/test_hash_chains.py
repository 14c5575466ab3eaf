"""Tamper evidence in storage: every clinical row is chained as it is written,
files from before schema 4 are chained by the migration, REPLACE and unchained
rows are refused by the database, and verify_clinic names what was changed."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from taperdesk import storage
from taperdesk.storage import chain
from taperdesk.storage.chain import CHAINED
from taperdesk.storage.migrations import apply_migrations
from taperdesk.storage.verify import expected_triggers, verify_clinic

from .conftest import PLAN_JSON


@pytest.fixture
def filled(db_path, doctor, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    storage.save_revision(plan_id=plan.id, plan=PLAN_JSON, settings={}, author=doctor, reason="a hold")
    storage.set_plan_status(plan_id=plan.id, status="active", author=doctor, reason="started")
    rev = storage.latest_revision(plan_id=plan.id)
    entry = storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 6), scale="daily",
                                      items={"severity": 4, "sleep": 6}, author=doctor)
    storage.correct_symptom_entry(entry_id=entry.id, items={"severity": 3, "sleep": 6}, author=doctor, note="typo")
    storage.record_handout(revision_id=rev.id, kind="calendar", pdf=b"%PDF-1.7 test", author=doctor)
    daily = storage.scale_definition(key="daily", version=1).to_dict()
    storage.save_scale_definition(definition={**daily, "title": daily["title"] + " (ours)"}, author=doctor)
    med = storage.record_other_medicine(patient_id=patient.id, name="oxycodone", dose="10 mg", author=doctor)
    storage.stop_other_medicine(record_id=med.id, stopped=dt.date(2026, 2, 1), author=doctor)
    storage.save_support_options(options=storage.support_options()[:2], author=doctor)
    storage.agree_support(patient_id=patient.id, plan_id=plan.id, keys=["cbt_insomnia"], author=doctor)
    storage.close_database()
    return db_path


def _chain_findings(path):
    storage.open_database(path, read_only=True)
    try:  # the test plan is a stub (no steps): only the chain, trigger and status findings matter here
        return [f for f in verify_clinic().findings if "planning rule" not in f.problem and "damaged" not in f.problem]
    finally:
        storage.close_database()


def test_every_write_is_chained_and_verifies(filled):
    conn = sqlite3.connect(filled)
    for table in CHAINED:
        hashes = [h for (h,) in conn.execute(f"SELECT chain_hash FROM {table} ORDER BY id")]
        assert all(h is not None and len(h) == 64 for h in hashes), table
        assert len(set(hashes)) == len(hashes)
    conn.close()
    assert _chain_findings(filled) == []


def _shell(path, *statements):
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def _trigger(path, name):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("table", CHAINED)
def test_insert_or_replace_is_refused(filled, table):
    conn = sqlite3.connect(filled)
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    cols = ", ".join(columns)
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1
    with pytest.raises(sqlite3.IntegrityError, match="append-only: that row exists, REPLACE refused"):
        conn.execute(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} ORDER BY id LIMIT 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only: that row exists, REPLACE refused"):
        conn.execute(f"REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} ORDER BY id LIMIT 1")
    conn.close()


def test_replace_on_another_unique_key_is_refused(filled):
    """A new id but the same (plan, number): REPLACE would delete the old revision."""
    conn = sqlite3.connect(filled)
    with pytest.raises(sqlite3.IntegrityError, match="REPLACE refused"):
        conn.execute("INSERT OR REPLACE INTO plan_revision (id, plan_id, number, plan_json, settings_json, author_id,"
                     " created_at, reason, chain_hash) SELECT 99, plan_id, number, plan_json, settings_json,"
                     " author_id, created_at, reason, chain_hash FROM plan_revision ORDER BY id LIMIT 1")
    conn.close()


@pytest.mark.parametrize("table", CHAINED)
def test_a_row_without_its_chain_hash_is_refused(filled, table):
    conn = sqlite3.connect(filled)
    if table == "audit_event":
        sql = "INSERT INTO audit_event (at, action, entity, summary) VALUES ('2026-01-01', 'x', 'y', 'hand-made')"
    else:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("id", "chain_hash")]
        sql = (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {table} ORDER BY id DESC "
               f"LIMIT 1")
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1
    with pytest.raises(sqlite3.IntegrityError, match="need their chain hash|REPLACE refused"):
        conn.execute(sql)
    conn.close()


def test_a_hand_edit_names_the_patient_and_revision(filled):
    sql = _trigger(filled, "plan_revision_no_update")
    _shell(filled, "DROP TRIGGER plan_revision_no_update",
           "UPDATE plan_revision SET reason = 'first plan, honest' WHERE number = 1", sql)
    [finding] = _chain_findings(filled)
    assert finding.line == ("José Núñez López (TD-0001), plan 1 revision 1: the stored plan does not match its hash "
                            "chain (it was changed, replaced or removed after it was saved)")
    assert (finding.patient_id, finding.plan_id, finding.revision) == (1, 1, 1)


def test_a_removed_row_breaks_the_link_of_the_next(filled):
    sql = _trigger(filled, "audit_event_no_delete")
    _shell(filled, "DROP TRIGGER audit_event_no_delete", "DELETE FROM audit_event WHERE id = 3", sql)
    [finding] = _chain_findings(filled)
    assert finding.line.startswith("audit event 4: the record does not match its hash chain")


@pytest.mark.parametrize("trigger", ["handout_no_replace", "audit_event_no_update", "scale_definition_no_delete",
                                     "plan_paper_no_update", "support_agreed_no_update", "support_list_no_delete",
                                     "support_list_needs_chain"])
def test_a_dropped_trigger_shows(filled, trigger):
    _shell(filled, f"DROP TRIGGER {trigger}")
    [finding] = _chain_findings(filled)
    assert finding.line == (f"the clinic file: the safety trigger {trigger} is missing (someone removed "
                            "it): history could have been rewritten")


def test_an_edited_trigger_shows(filled):
    _shell(filled, "DROP TRIGGER plan_revision_no_delete",
           "CREATE TRIGGER plan_revision_no_delete BEFORE DELETE ON plan_revision WHEN 0 BEGIN SELECT 1; END")
    [finding] = _chain_findings(filled)
    assert finding.line == "the clinic file: the safety trigger plan_revision_no_delete was changed"


def test_a_status_set_by_hand_shows(filled):
    _shell(filled, "UPDATE plan SET status = 'completed'")
    [finding] = _chain_findings(filled)
    assert finding.line == ("José Núñez López (TD-0001), plan 1: the plan is marked completed but its last "
                            "recorded status change says active")


def test_a_plan_moved_to_another_patient_shows(filled):
    storage.open_database(filled)
    other = storage.add_patient(name="Other Person", born=dt.date(1970, 1, 1), identifier="TD-0002", author=1)
    storage.close_database()
    _shell(filled, f"UPDATE plan SET patient_id = {other.id}")
    lines = [f.line for f in _chain_findings(filled)]
    assert lines and all(line.startswith("Other Person (TD-0002), plan 1") for line in lines)
    assert any("revision 1: the stored plan does not match its hash chain" in line for line in lines)


def test_a_schema_3_file_is_chained_by_the_migration(db_path):
    old = SqliteDatabase(str(db_path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    assert apply_migrations(old, upto=3) == [1, 2, 3]
    old.execute_sql(
        "INSERT INTO clinician (name, name_key, role, password_hash, password_salt, password_params,"
        " active, created_at) VALUES ('Dr Old', 'dr old', 'clinician', x'00', x'00', 'scrypt:n=16,r=1,p=1',"
        " 1, '2025-01-01T00:00:00.000000Z')")
    old.execute_sql("INSERT INTO patient (name, name_key, born, identifier, identifier_key, created_at)"
                    " VALUES ('Old Patient', 'old patient', '1950-05-05', 'P-1', 'p-1', '2025-01-01T00:00:00Z')")
    old.execute_sql("INSERT INTO plan (patient_id, drug, status, created_at, created_by_id)"
                    " VALUES (1, 'lorazepam', 'draft', '2025-01-01T00:00:00Z', 1)")
    old.execute_sql("INSERT INTO plan_status_event (plan_id, status, at, clinician_id, reason)"
                    " VALUES (1, 'draft', '2025-01-01T00:00:00Z', 1, 'plan created')")
    for n in (1, 2):
        old.execute_sql("INSERT INTO plan_revision (plan_id, number, plan_json, settings_json, author_id, created_at,"
                        " reason) VALUES (1, ?, ?, '{}', 1, '2025-01-01T00:00:00Z', 'r')", (n, PLAN_JSON))
    for i in range(3):
        old.execute_sql("INSERT INTO audit_event (at, clinician_id, action, entity, entity_id, summary)"
                        " VALUES ('2025-01-01T00:00:00Z', 1, 'create', 'plan', 1, ?)", (f"event {i}",))
    old.close()
    session = storage.open_database(db_path)
    assert 4 in session.migrated
    storage.close_database()
    assert _chain_findings(db_path) == []
    conn = sqlite3.connect(db_path)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(expected_triggers()) <= names
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the UPDATE triggers were put back
        conn.execute("UPDATE plan_revision SET chain_hash = NULL")
    conn.close()
    storage.open_database(db_path)  # new rows link on to the back-filled chain
    storage.save_revision(plan_id=1, plan=PLAN_JSON, settings={}, author=1, reason="after the upgrade")
    storage.close_database()
    assert _chain_findings(db_path) == []


# -- any one changed character of a stored plan is caught before paper --------------


@pytest.fixture
def real_plan(db_path, doctor, patient):
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    settings_ = PlanSettings(start=dt.date(2026, 12, 1), crossover=True)
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), settings_)
    record = storage.create_plan(patient_id=patient.id, plan=plan, settings=settings_, author=doctor)
    rev = storage.latest_revision(plan_id=record.id)
    storage.close_database()
    return db_path, rev


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_character_of_a_stored_plan_is_caught(real_plan, data):
    from taperdesk.storage.verify import verified_revision

    path, rev = real_plan
    text = rev.plan_json
    at = data.draw(st.integers(0, len(text) - 1), label="position")
    new = data.draw(st.characters(codec="utf-8").filter(lambda c: c != text[at]), label="character")
    changed = text[:at] + new + text[at + 1:]
    sql = _trigger(path, "plan_revision_no_update")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER plan_revision_no_update")
        conn.execute("UPDATE plan_revision SET plan_json = ? WHERE id = ?", (changed, rev.id))
        conn.execute(sql)
    finally:
        conn.close()
    storage.open_database(path, read_only=True)
    try:
        findings = verified_revision(revision_id=rev.id)
    finally:
        storage.close_database()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("DROP TRIGGER plan_revision_no_update")
        conn.execute("UPDATE plan_revision SET plan_json = ? WHERE id = ?", (text, rev.id))
        conn.execute(sql)
        conn.close()
    if chain.canonical_json(changed) == chain.canonical_json(text):  # the same plan written another way
        assert not findings  # (1.0 as 1e0): hashed by its meaning, so nothing to report
        return
    assert findings and findings[0].problem.startswith("the stored plan does not match its hash chain")
    assert findings[0].where == "José Núñez López (TD-0001), plan 1 revision 1"
