"""The support list and the support agreed are hash-chained (schema 18): rows
already in an older file are chained by the migration in order, new rows
link on, any one flipped byte of a stored row is found by verify (and the
patient is named, so the record check marks them), and a changed agreement
stops the patient's paper."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from taperdesk import storage
from taperdesk.core.advice import SupportLine
from taperdesk.storage import backends, chain
from taperdesk.storage.migrations import MIGRATIONS
from taperdesk.storage.models import db
from taperdesk.storage.verify import expected_triggers, verified_revision, verify_clinic
from tests.conftest import examples

BROKEN = "does not match its hash chain (it was changed, replaced or removed after it was saved)"


def _findings(path=None):
    """verify_clinic's findings about the support tables (the test plans are stubs)."""
    if path is not None:
        storage.open_database(path, read_only=True)
    try:
        return [f for f in verify_clinic().findings if f.table in ("support_list", "support_agreed", "trigger")]
    finally:
        if path is not None:
            storage.close_database()


def _file_before_18(path):
    """A clinic file as the schema before 18 left it: the support tables without their chains."""
    storage.open_database(path, create=True, auto_backup=False)
    storage.close_database()
    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    for table in ("support_list", "support_agreed"):
        old.execute_sql(f"DROP TRIGGER {table}_no_replace")
        old.execute_sql(f"DROP TRIGGER {table}_needs_chain")
        old.execute_sql(f"ALTER TABLE {table} DROP COLUMN chain_hash")
    old.execute_sql(f"PRAGMA user_version = {max(n for n, _up in MIGRATIONS if n < 18)}")
    old.execute_sql(
        "INSERT INTO clinician (name, name_key, role, password_hash, password_salt, password_params,"
        " active, created_at) VALUES ('Dr Old', 'dr old', 'clinician', x'00', x'00', 'scrypt:n=16,r=1,p=1',"
        " 1, '2025-01-01T00:00:00.000000Z')")
    old.execute_sql("INSERT INTO patient (name, name_key, born, identifier, identifier_key, created_at)"
                    " VALUES ('Old Patient', 'old patient', '1950-05-05', 'P-1', 'p-1', '2025-01-01T00:00:00Z')")
    option = '[{"key":"walk","label":"Walking group","patient":"A walking group.","source":"local"}]'
    for n in range(2):
        old.execute_sql("INSERT INTO support_list (options, author_id, created_at) VALUES (?, 1, ?)",
                        (option if n else "[]", f"2025-01-0{n + 1}T00:00:00.000000Z"))
    for n, options in enumerate((option, "[]", option)):
        old.execute_sql("INSERT INTO support_agreed (patient_id, plan_id, options, note, author_id, created_at)"
                        " VALUES (1, NULL, ?, ?, 1, ?)", (options, f"visit {n}", f"2025-02-0{n + 1}T00:00:00.000000Z"))
    old.close()


def test_a_file_from_before_schema_18_is_chained_in_order_by_the_migration(db_path):
    _file_before_18(db_path)
    session = storage.open_database(db_path)
    assert 18 in session.migrated
    storage.agree_support(patient_id=1, keys=["walk"], author=1, note="after the upgrade")  # links on
    swim = SupportLine("swim", "Swimming", "Swimming twice a week.", "local")
    storage.save_support_options(options=[*storage.support_options(), swim], author=1)
    storage.close_database()
    assert _findings(db_path) == []
    conn = sqlite3.connect(db_path)
    try:
        for table in ("support_list", "support_agreed"):
            rows = conn.execute(chain.select_sql(table, database=SqliteDatabase(None)) + " ORDER BY t.id").fetchall()
            previous = chain.GENESIS
            for row in rows:  # each row hashed on the one before it, oldest first
                fields, context, stored = chain.split_row(table, row)
                assert stored == chain.digest(table, fields, previous, context)
                previous = stored
            assert len(rows) == 3 if table == "support_list" else 4
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(expected_triggers()) <= names
        assert {"support_list_needs_chain", "support_agreed_no_replace", "support_agreed_no_update"} <= names
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the UPDATE triggers were put back
            conn.execute("UPDATE support_agreed SET chain_hash = NULL")
    finally:
        conn.close()


@pytest.fixture
def agreed(db_path, doctor, patient):
    storage.save_support_options(options=storage.support_options()[:3], author=doctor)
    storage.agree_support(patient_id=patient.id, keys=["cbt_insomnia", "sleep_hygiene"], author=doctor,
                          note="at the first visit")
    storage.agree_support(patient_id=patient.id, keys=[], author=doctor, note="stopped for now")
    storage.close_database()
    return db_path


# the hashed columns a byte can be flipped in (not the id: a row cannot move onto another's key)
COLUMNS = [(t, c) for t in ("support_list", "support_agreed") for c in chain.FIELDS[t] if c != "id"]


@settings(max_examples=examples(25, 1000), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_flipped_byte_of_a_stored_row_is_found_by_verify(agreed, data):
    table, column = data.draw(st.sampled_from(COLUMNS), label="column")
    conn = sqlite3.connect(agreed, isolation_level=None)
    try:
        ids = [i for (i,) in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
        row_id = data.draw(st.sampled_from(ids), label="row")
        (kept,) = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if kept is None:  # an agreement for no plan: the flipped byte makes it name one
            changed = 1
        elif isinstance(kept, int):
            changed = kept ^ (1 << data.draw(st.integers(0, 7), label="bit"))
        else:
            raw = bytearray(kept.encode("utf-8"))
            at = data.draw(st.integers(0, len(raw) - 1), label="byte")
            raw[at] ^= data.draw(st.integers(1, 255), label="xor")
            changed = bytes(raw)
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (f"{table}_no_update",)).fetchone()[0]
        conn.execute(f"DROP TRIGGER {table}_no_update")
        cast = "CAST(? AS TEXT)" if isinstance(changed, bytes) else "?"
        conn.execute(f"UPDATE {table} SET {column} = {cast} WHERE id = ?", (changed, row_id))
        conn.execute(trigger)
        try:
            found = _findings(agreed)
        finally:
            conn.execute(f"DROP TRIGGER {table}_no_update")
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (kept, row_id))
            conn.execute(trigger)
    finally:
        conn.close()
    assert [(f.table, f.row_id) for f in found] == [(table, row_id)]
    assert found[0].problem.endswith(BROKEN)
    if table == "support_agreed":
        expected = 1 if column != "patient_id" else changed  # the row names the patient it now claims
        assert found[0].patient_id == expected and found[0].line.startswith(
            "José Núñez López (TD-0001): support agreed record" if expected == 1 else f"patient #{changed}")
    else:
        assert found[0].line == f"support list {row_id}: the saved support list {BROKEN}"


def _by_hand(sql, params=()):
    """A change made with the append-only triggers set aside and put back (either database)."""
    backend = backends.of(db)
    with db.atomic():
        kept = backend.set_aside_update_triggers(db, ("support_agreed", "support_list"))
        db.execute_sql(sql, params)
        for statement in kept:
            db.execute_sql(statement)


def test_a_changed_agreement_stops_the_patients_paper_on_either_database(doctor, patient):
    from tests.storage.test_portable_besides import _real_plan

    plan = _real_plan(patient.id, doctor)
    storage.agree_support(patient_id=patient.id, plan_id=plan.id, keys=["exercise"], author=doctor)
    revision = storage.latest_revision(plan_id=plan.id).id
    assert verified_revision(revision_id=revision) == [] and _findings() == []
    _by_hand("UPDATE support_agreed SET note = 'agreed to stop everything at once'")
    [finding] = verified_revision(revision_id=revision)
    assert finding.line == f"José Núñez López (TD-0001): support agreed record 1 {BROKEN}"
    assert verify_clinic().patient_ids == {patient.id}  # the record check marks the patient


def test_a_removed_agreement_breaks_the_next_link(agreed):
    conn = sqlite3.connect(agreed, isolation_level=None)
    try:
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'support_agreed_no_delete'").fetchone()[0]
        conn.execute("DROP TRIGGER support_agreed_no_delete")
        conn.execute("DELETE FROM support_agreed WHERE id = 1")
        conn.execute(trigger)
    finally:
        conn.close()
    [finding] = _findings(agreed)
    assert finding.line == f"José Núñez López (TD-0001): support agreed record 2 {BROKEN}"
