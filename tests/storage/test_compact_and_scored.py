"""Schema 10: plans written indented before are rewritten compact and every
entry gets its stored score, in one migration that keeps the hash chains
sound (a row changed by hand before the upgrade still shows), puts the
append-only triggers back, and lets `verify` re-score every entry."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from peewee import SqliteDatabase

from taperdesk import storage
from taperdesk.storage import chain
from taperdesk.storage.migrations import apply_migrations
from taperdesk.storage.verify import verify_clinic

STAMP = "2025-01-01T09:00:00.000000Z"
PLAN = {"drug": "lorazepam", "start": "2025-01-06", "note": "Núñez", "steps": [
    {"index": n, "kind": "reduce", "doses": [{"time": "night", "drug": "lorazepam", "mg": 1.0}]} for n in range(200)]}
INDENTED = json.dumps(PLAN, indent=2, ensure_ascii=False) + "\n"  # what Plan.to_json wrote, and was stored
COMPACT = json.dumps(PLAN, ensure_ascii=False, separators=(",", ":"))


def _insert(db, table: str, rows: list[tuple], context=None) -> None:
    """Rows chained as TaperDesk before schema 10 chained them: over the stored bytes."""
    fields = chain.FIELDS[table]
    last_id, previous = chain.last_hash(db, table)
    for row in rows:
        last_id += 1
        full = (last_id, *row)
        previous = chain.legacy_digest(table, full, previous, context(full) if context else ())
        marks = ", ".join("?" * (len(fields) + 1))
        db.execute_sql(f"INSERT INTO {table} ({', '.join(fields)}, chain_hash) VALUES ({marks})", (*full, previous))


def _shell(path, *statements):
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql, params in statements:
            conn.execute(sql, params)
    finally:
        conn.close()


def _by_hand(path, table: str, sql: str, params: tuple = ()) -> None:
    """An UPDATE made with the sqlite3 shell, its append-only trigger set aside and put back."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (f"{table}_no_update",)).fetchone()[0]
        conn.execute(f"DROP TRIGGER {table}_no_update")
        conn.execute(sql, params)
        conn.execute(trigger)
    finally:
        conn.close()


@pytest.fixture
def schema_9_file(db_path):
    """A schema-9 clinic: three indented revisions (the second changed by hand
    afterwards), entries without stored scores."""
    old = SqliteDatabase(str(db_path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    assert apply_migrations(old, upto=9)[-1] == 9
    old.execute_sql(
        "INSERT INTO clinician (name, name_key, role, password_hash, password_salt, password_params,"
        " active, created_at) VALUES ('Dr Old', 'dr old', 'clinician', x'00', x'00', 'scrypt:n=16,r=1,p=1',"
        " 1, ?)", (STAMP,))
    old.execute_sql("INSERT INTO patient (name, name_key, born, identifier, identifier_key, created_at)"
                    " VALUES ('Old Patient', 'old patient', '1950-05-05', 'P-1', 'p-1', ?)", (STAMP,))
    old.execute_sql("INSERT INTO plan (patient_id, drug, status, created_at, created_by_id)"
                    " VALUES (1, 'lorazepam', 'draft', ?, 1)", (STAMP,))
    context = lambda row: (1, "lorazepam")  # noqa: E731
    _insert(old, "plan_status_event", [(1, "draft", STAMP, 1, "plan created")], context)
    _insert(old, "plan_revision", [(1, n, INDENTED, "{}", 1, STAMP, "r") for n in (1, 2, 3)], context)
    daily = json.dumps({"severity": 4, "sleep": 6}, separators=(",", ":"), sort_keys=True)
    ciwa = json.dumps({"irritable": 2, "tense": 1}, separators=(",", ":"), sort_keys=True)
    _insert(old, "symptom_entry", [(1, "2025-01-07", "daily", daily, 10, 1, STAMP, "", None, 0, "", 1),
                                   (1, "2025-01-08", "ciwa-b", ciwa, 3, 1, STAMP, "", None, 0, "", 1)])
    old.close()
    _by_hand(db_path, "plan_revision", "UPDATE plan_revision SET plan_json = ? WHERE id = 2",
             (INDENTED.replace('"mg": 1.0', '"mg": 2.0', 1),))
    return db_path


def _findings(path) -> list[str]:
    storage.open_database(path, read_only=True)
    try:  # the plan is a stub (no real steps): the chain, trigger and score findings are the ones here
        return [f.line for f in verify_clinic().findings
                if "hash chain" in f.problem or "score" in f.problem or "trigger" in f.problem]
    finally:
        storage.close_database()


def _column(path, sql: str) -> list:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(sql)]
    finally:
        conn.close()


def test_before_the_upgrade_only_the_changed_revision_fails(schema_9_file):
    # the chain as schema 9 checked it (the stored bytes): one broken row
    conn = sqlite3.connect(schema_9_file)
    previous, broken = chain.GENESIS, []
    for row in conn.execute(chain.select_sql("plan_revision") + " ORDER BY t.id"):
        fields, context, stored = chain.split_row("plan_revision", row)
        if chain.legacy_digest("plan_revision", fields, previous, context) != stored:
            broken.append(fields[0])
        previous = stored
    conn.close()
    assert broken == [2]


def test_the_upgrade_compacts_intact_plans_and_keeps_the_changed_one_failing(schema_9_file):
    session = storage.open_database(schema_9_file)
    assert 10 in session.migrated and session.backup is not None  # a copy first, as for every upgrade
    storage.close_database()
    assert _column(schema_9_file, "PRAGMA freelist_count") == [0]  # VACUUMed after: the file shrank
    texts = _column(schema_9_file, "SELECT plan_json FROM plan_revision ORDER BY id")
    assert texts[0] == texts[2] == COMPACT
    assert texts[1] == INDENTED.replace('"mg": 1.0', '"mg": 2.0', 1)  # left as found: evidence
    assert _findings(schema_9_file) == [
        "Old Patient (P-1), plan 1 revision 2: the stored plan does not match its hash chain "
        "(it was changed, replaced or removed after it was saved)"]
    # new rows link on
    storage.open_database(schema_9_file)
    storage.save_revision(plan_id=1, plan=COMPACT, settings={}, author=1, reason="after the upgrade")
    storage.close_database()
    assert len(_findings(schema_9_file)) == 1


def test_the_upgrade_stores_every_entrys_score(schema_9_file):
    storage.open_database(schema_9_file)
    storage.close_database()
    # the daily rating's value is its headline item (severity); the CIWA-B's is its total
    assert _column(schema_9_file, "SELECT series_value FROM symptom_entry ORDER BY id") == [4, 3]
    storage.open_database(schema_9_file, read_only=True)
    got = storage.recent_observations(patient_ids=[1], since=dt.date(2025, 1, 1))
    assert got == {1: [(dt.date(2025, 1, 7), "daily", 4), (dt.date(2025, 1, 8), "ciwa-b", 3)]}


def test_the_triggers_are_back_after_the_upgrade(schema_9_file):
    storage.open_database(schema_9_file)
    storage.close_database()
    conn = sqlite3.connect(schema_9_file)
    for sql in ("UPDATE plan_revision SET plan_json = '{}'", "UPDATE symptom_entry SET series_value = 9"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()
    assert not [line for line in _findings(schema_9_file) if "trigger" in line]


def test_verify_re_scores_every_entry(schema_9_file):
    storage.open_database(schema_9_file)
    storage.close_database()
    _by_hand(schema_9_file, "symptom_entry", "UPDATE symptom_entry SET series_value = 9 WHERE id = 1")
    _by_hand(schema_9_file, "symptom_entry", "UPDATE symptom_entry SET series_value = NULL WHERE id = 2")
    lines = [line for line in _findings(schema_9_file) if "score" in line]
    assert lines == ["Old Patient (P-1): symptom entry 1 has a stored score of 9 but its answers score 4",
                     "Old Patient (P-1): symptom entry 2 has no stored score"]


@pytest.mark.sqlite_only  # reads the clinic file with sqlite3
def test_a_new_entry_is_scored_when_written(doctor, patient):
    entry = storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 6), scale="daily",
                                      items={"severity": 3, "sleep": 7}, author=doctor)
    fixed = storage.correct_symptom_entry(entry_id=entry.id, items={"severity": 5, "sleep": 7}, author=doctor,
                                          note="misheard")
    path = storage.connection.current().path
    storage.close_database()
    assert _column(path, "SELECT series_value FROM symptom_entry ORDER BY id") == [3, 5]
    assert fixed.total == 12
    assert not [line for line in _findings(path) if "score" in line]


def test_indented_and_compact_plans_hash_alike_and_a_changed_dose_does_not():
    fields = (1, 1, 1, INDENTED, "{}", 1, STAMP, "r")
    compact = (1, 1, 1, COMPACT, "{}", 1, STAMP, "r")
    changed = (1, 1, 1, COMPACT.replace('"mg":1.0', '"mg":1.5', 1), "{}", 1, STAMP, "r")
    assert chain.digest("plan_revision", fields, "") == chain.digest("plan_revision", compact, "")
    assert chain.digest("plan_revision", changed, "") != chain.digest("plan_revision", compact, "")
    assert chain.canonical_json("{not json") == "{not json"  # damaged text is hashed as it is
