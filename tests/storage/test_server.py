"""The clinic server (PostgreSQL) as a clinic sees it: a clinic file moved to an
empty server database is identical table by table; the server refuses to
rewrite history like the file does (and verify notices when someone gets round
it); a server that cannot be used is one line; pg_dump backups restore into an
empty database and verify."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest

from taperdesk import storage
from taperdesk.cli import run_command
from taperdesk.storage.chain import CHAINED
from taperdesk.storage.migrations import LATEST_VERSION
from taperdesk.storage.migrations.m001_first_schema import APPEND_ONLY
from taperdesk.storage.server_move import table_digest
from taperdesk.storage.verify import verify_clinic

from .conftest import PLAN_JSON


def _fill(place) -> None:
    storage.open_database(place, create=True)
    doctor = storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")
    patient = storage.add_patient(name="José Núñez López", born=dt.date(1961, 3, 4), identifier="TD-0001",
                                  phone="555 0100", author=doctor)
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    storage.set_plan_status(plan_id=plan.id, status="active", author=doctor, reason="started")
    rev = storage.latest_revision(plan_id=plan.id)
    entry = storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 6), scale="daily",
                                      items={"severity": 4, "sleep": 6}, author=doctor)
    storage.correct_symptom_entry(entry_id=entry.id, items={"severity": 3, "sleep": 6}, author=doctor, note="typo")
    storage.record_handout(revision_id=rev.id, kind="calendar", pdf=b"%PDF-1.7 " + bytes(range(256)) * 4,
                           author=doctor)
    storage.set_review_date(patient_id=patient.id, review_on=dt.date(2026, 2, 1), author=doctor)
    storage.close_database()


def _findings(place):
    storage.open_database(place, read_only=True)
    try:  # the test plan is a stub (no steps): only chain, trigger and status findings matter here
        return [f.line for f in verify_clinic().findings
                if "planning rule" not in f.problem and "damaged" not in f.problem]
    finally:
        storage.close_database()


def _sql(url, *statements):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


@pytest.fixture
def moved(tmp_path, server_db, capsys):
    source = tmp_path / "clinic.sqlite"
    _fill(source)
    assert run_command(["move-to", server_db, "--db", str(source)]) == 0
    return source, server_db, capsys.readouterr().out


def test_a_moved_clinic_is_identical_table_by_table(moved):
    import sqlite3

    source, url, out = moved
    assert "every table checked identical" in out and "throwaway-test-password" not in out
    conn = sqlite3.connect(source)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        cols = ", ".join(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
        key = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[5]][0]
        there = _sql(url, f"SELECT {cols} FROM {table} ORDER BY {key}")
        here = conn.execute(f"SELECT {cols} FROM {table} ORDER BY {key}").fetchall()
        assert table_digest(here) == table_digest([tuple(bytes(v) if isinstance(v, memoryview) else v
                                                         for v in row) for row in there]), table
        assert f"{table}: {len(here)} rows" in out
    for table in CHAINED:
        ends = [conn.execute(f"SELECT chain_hash FROM {table} ORDER BY id").fetchall(),
                _sql(url, f"SELECT chain_hash FROM {table} ORDER BY id")]
        assert [tuple(r) for r in ends[0]] == [tuple(r) for r in ends[1]], table
    conn.close()
    assert _findings(url) == []


def test_the_server_keeps_working_after_a_move(moved):
    _source, url, _out = moved
    storage.open_database(url)
    doctor = storage.list_clinicians()[0]
    patient = storage.add_patient(name="Ana López", born=dt.date(1970, 5, 6), identifier="TD-0002", author=doctor)
    assert patient.id == 2  # the id counters moved on past the copied rows
    storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 7), scale="daily",
                              items={"severity": 2, "sleep": 7}, author=doctor)
    storage.close_database()
    assert _findings(url) == []


def test_move_to_refuses_a_database_that_is_not_empty(moved, capsys):
    source, url, _out = moved
    assert run_command(["move-to", url, "--db", str(source)]) == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and "nothing was copied" in err and len(err.splitlines()) == 1


def test_the_server_refuses_to_rewrite_history(moved):
    _source, url, _out = moved
    for table in APPEND_ONLY:
        for statement in ("UPDATE {t} SET id = id", "DELETE FROM {t}", "TRUNCATE {t} CASCADE"):
            with pytest.raises(psycopg2.Error, match=f"{table} is append-only"):
                _sql(url, statement.format(t=table))
    for table in CHAINED:
        with pytest.raises(psycopg2.Error, match=f"{table} rows need their chain hash"):
            _sql(url, f"INSERT INTO {table} (id) VALUES (999)")
    assert _findings(url) == []


def test_verify_names_a_hand_edit_and_a_disabled_trigger(moved):
    _source, url, _out = moved
    _sql(url, "ALTER TABLE plan_revision DISABLE TRIGGER plan_revision_no_update",
         "UPDATE plan_revision SET reason = 'edited' WHERE id = 1")
    found = _findings(url)
    assert any("plan_revision_no_update was changed" in line for line in found)
    assert any("José Núñez López (TD-0001), plan 1 revision 1" in line and "hash chain" in line for line in found)


def test_refusals_are_one_line(moved, pg_server, capsys):
    _source, url, _out = moved
    cases = {
        url.replace("throwaway-test-password", "wrong"): "refused the user name or password",
        url.replace(f":{pg_server.port}/", ":1/"): "Cannot reach the clinic server",
        url.rsplit("/", 1)[0] + "/nosuch": "has no such database",
    }
    _sql(url, "UPDATE taperdesk_schema SET version = 99")
    cases[url] = f"newer TaperDesk (file format 99; this TaperDesk reads formats up to {LATEST_VERSION})"
    for bad, words in cases.items():
        assert run_command(["verify", "--db", bad]) == 2
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert "wrong" not in err and "throwaway-test-password" not in err


def test_an_empty_database_is_no_clinic_until_asked(server_db):
    with pytest.raises(storage.NoClinicFileError, match="new-clinic"):
        storage.open_database(server_db)
    assert _sql(server_db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_a_server_backup_restores_into_an_empty_database_and_verifies(moved, pg_server, tmp_path, capsys):
    _source, url, _out = moved
    assert run_command(["backup", "--db", url, "--to", str(tmp_path / "dumps")]) == 0
    (dump,) = (tmp_path / "dumps").iterdir()
    assert dump.suffix == ".dump" and dump.stat().st_mode & 0o777 == 0o600
    empty = pg_server.create_database(f"restored_{tmp_path.name[-20:].lower().replace('-', '_')}")
    capsys.readouterr()
    assert run_command(["restore", str(dump), "--db", empty]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Restored {dump}") and "hash chain" not in out and "trigger" not in out
    assert _sql(empty, "SELECT count(*), max(chain_hash) FROM symptom_entry") == \
        _sql(url, "SELECT count(*), max(chain_hash) FROM symptom_entry")
    assert run_command(["restore", str(dump), "--db", empty]) == 2  # not empty any more
    assert "is not empty" in capsys.readouterr().err


def test_new_clinic_on_the_server_then_refused_a_second_time(server_db, monkeypatch, capsys):
    monkeypatch.setenv("TAPERDESK_PASSWORD", "correct horse battery")
    argv = ["new-clinic", "--db", server_db, "--clinician", "Dr Ada", "--clinic-name", "Harbour Clinic"]
    assert run_command(argv) == 0
    out = capsys.readouterr().out
    assert "Created a new clinic in the database" in out and "throwaway-test-password" not in out
    assert run_command(argv) == 2
    assert "already has a clinic" in capsys.readouterr().err
    storage.open_database(server_db)
    assert storage.get_clinic_settings().name == "Harbour Clinic"
    assert [c.name for c in storage.list_clinicians()] == ["Dr Ada"]


def test_a_lost_connection_is_one_line_then_reopened(moved):
    _source, url, _out = moved
    storage.open_database(url)
    assert [c.name for c in storage.list_clinicians()] == ["Dr Ada Test"]
    _sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'TaperDesk'"
              " AND datname = current_database()")  # this worker's connections only, not the other's
    with pytest.raises(storage.StorageError, match="Cannot reach the clinic server"):
        storage.list_clinicians()
    assert [c.name for c in storage.list_clinicians()] == ["Dr Ada Test"]  # the next one connects again
