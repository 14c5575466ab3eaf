"""Real second processes: one killed with SIGKILL mid-way through a loop of
committed writes (everything it reported committed must survive, and the file
must pass quick_check), and one holding the file open while we try to open it."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from taperdesk import storage
from taperdesk.storage import errors
from taperdesk.storage.lock import lock_path_for

WRITER = """
import datetime as dt, sys
from taperdesk import storage
storage.open_database(sys.argv[1], auto_backup=False, quick_check=False)
for i in range(5000):
    entry = storage.add_symptom_entry(patient_id=1, date=dt.date(2026, 1, 1), scale="daily",
                                      items={"severity": i % 11, "sleep": 5}, author=1)
    print(entry.id, flush=True)
"""

HOLDER = """
import sys
from taperdesk import storage
storage.open_database(sys.argv[1], auto_backup=False)
print("open", flush=True)
sys.stdin.readline()
"""


def _prepared(db_path):
    storage.open_database(db_path, create=True)
    doctor = storage.add_clinician(name="Dr A", role="clinician", password="long enough")
    storage.add_patient(name="P One", born=dt.date(1970, 1, 1), identifier="P1", author=doctor)
    storage.close_database()


def _child(code, db_path, **kw):
    return subprocess.Popen([sys.executable, "-c", code, str(db_path)], stdout=subprocess.PIPE,
                            text=True, **kw)


def test_sigkill_mid_writes_loses_nothing_committed(db_path):
    _prepared(db_path)
    child = _child(WRITER, db_path)
    reported = [int(child.stdout.readline()) for _ in range(150)]
    child.send_signal(signal.SIGKILL)
    reported += [int(line) for line in child.stdout.read().split()]
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL and len(reported) < 5000
    session = storage.open_database(db_path, quick_check=True)  # stale lock taken over
    assert session.checked
    stored = {e.id for e in storage.symptom_entries(patient_id=1)}
    assert set(reported) <= stored
    assert len(stored) <= len(reported) + 1  # at most the write in flight, whole or not at all


def test_second_instance_is_told_who_has_it(db_path):
    _prepared(db_path)
    holder = _child(HOLDER, db_path, stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(errors.AlreadyOpenError) as info:
            storage.open_database(db_path)
        assert info.value.pid == holder.pid and info.value.host == socket.gethostname()
        assert f"process {holder.pid}" in str(info.value) and "read-only" in str(info.value)
        session = storage.open_database(db_path, read_only=True)
        assert session.read_only and storage.search_patients(text="p one")
        with pytest.raises(errors.ReadOnlyDatabaseError):
            storage.add_patient(name="X", born=dt.date(1970, 1, 1), identifier="X", author=1)
        storage.close_database()
    finally:
        holder.communicate("\n")
    assert holder.returncode == 0
    storage.open_database(db_path)
    assert json.loads(lock_path_for(db_path).read_text())["pid"] == os.getpid()


def test_stale_lock_from_dead_process_is_taken_over(db_path):
    _prepared(db_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    lock_path_for(db_path).write_text(json.dumps({"host": socket.gethostname(), "pid": int(dead)}))
    storage.open_database(db_path)
    assert storage.has_clinicians()


def test_lock_from_another_host_is_respected(db_path):
    _prepared(db_path)
    lock_path_for(db_path).write_text(json.dumps({"host": "reception-pc", "pid": 4242}))
    with pytest.raises(errors.AlreadyOpenError, match="reception-pc"):
        storage.open_database(db_path)
    storage.open_database(db_path, read_only=True)


def test_clean_close_releases_the_lock(db_path):
    _prepared(db_path)
    assert lock_path_for(db_path).read_text() == ""
