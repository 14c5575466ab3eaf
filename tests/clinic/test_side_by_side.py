"""Working side by side (issue 14 part 3): a patient open for editing in one
session is held for it; another session is told who holds it and its
operations on that patient are refused (nothing written); a lock without a
heartbeat for STALE_S seconds is free; saved changes move the change mark.
Two real processes share one clinic file at the end (on SQLite the second is
read-only: the single-writer lock stays)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import pytest

from taperdesk import storage
from taperdesk.clinic import plans, records, side_by_side
from taperdesk.clinic.permissions import OperationError
from taperdesk.storage import clinicians, patient_locks

NOW = dt.datetime(2026, 12, 1, 10, 2, tzinfo=dt.timezone.utc)


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    path = tmp_path / "clinic.sqlite"
    storage.open_database(path, create=True, auto_backup=False)
    boss = storage.add_clinician(name="Dr Xu", role="administrator,prescriber", password="long enough 1")
    nurse = storage.add_clinician(name="Nia Nurse", role="nurse", password="long enough 1", author=boss)
    ana = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=boss)
    ben = storage.add_patient(name="Ben", born=dt.date(1970, 1, 1), identifier="TD-2", author=boss)
    yield {"path": path, "boss": boss, "nurse": nurse, "ana": ana, "ben": ben}
    storage.close_database()


def test_different_patients_both_held_same_patient_names_the_holder(clinic):
    boss, nurse, ana, ben = clinic["boss"], clinic["nurse"], clinic["ana"], clinic["ben"]
    assert patient_locks.claim(patient_id=ana.id, author=boss, session="one", place="ROOM-1", now=NOW) is None
    assert patient_locks.claim(patient_id=ben.id, author=nurse, session="two", place="ROOM-2", now=NOW) is None
    held = patient_locks.claim(patient_id=ana.id, author=nurse, session="two", place="ROOM-2", now=NOW)
    assert held is not None and held.clinician == "Dr Xu" and held.workstation == "ROOM-1"
    assert held.words() == f"in use by Dr Xu on ROOM-1 since {NOW.astimezone():%H:%M}"
    # the holder's own claim again is a heartbeat, not a refusal
    assert patient_locks.claim(patient_id=ana.id, author=boss, session="one", place="ROOM-1", now=NOW) is None


def test_a_lock_without_heartbeat_goes_stale_and_release_frees_it(clinic):
    boss, nurse, ana = clinic["boss"], clinic["nurse"], clinic["ana"]
    patient_locks.claim(patient_id=ana.id, author=boss, session="one", place="ROOM-1", now=NOW)
    later = NOW + dt.timedelta(seconds=patient_locks.STALE_S - 1)
    assert patient_locks.holder(patient_id=ana.id, session="two", now=later) is not None
    patient_locks.heartbeat(session="one", now=later)
    much_later = later + dt.timedelta(seconds=patient_locks.STALE_S - 1)
    assert patient_locks.holder(patient_id=ana.id, session="two", now=much_later) is not None  # kept alive
    lost = much_later + dt.timedelta(seconds=patient_locks.STALE_S)  # ROOM-1 lost its connection
    assert patient_locks.claim(patient_id=ana.id, author=nurse, session="two", place="ROOM-2", now=lost) is None
    assert patient_locks.holder(patient_id=ana.id, session="one", now=lost).workstation == "ROOM-2"
    assert patient_locks.release(session="two") == 1
    assert patient_locks.holder(patient_id=ana.id, session="one", now=lost) is None


def test_changes_to_a_patient_held_elsewhere_are_refused_and_nothing_written(clinic):
    from tests.clinic.test_permissions import snapshot

    boss, nurse, ana, ben = clinic["boss"], clinic["nurse"], clinic["ana"], clinic["ben"]
    patient_locks.claim(patient_id=ana.id, author=nurse, session="other", place="ROOM-2")
    before = snapshot(clinic["path"])
    with pytest.raises(OperationError, match=r"^Ana is in use by Nia Nurse on ROOM-2 since \d\d:\d\d: nothing"):
        records.add_symptom_entry(patient_id=ana.id, date=dt.date(2026, 12, 1), scale="daily",
                                  items={"severity": 2, "sleep": 5}, author=boss)
    assert snapshot(clinic["path"]) == before
    mark = side_by_side.change_mark()
    records.add_symptom_entry(patient_id=ben.id, date=dt.date(2026, 12, 1), scale="daily",
                              items={"severity": 2, "sleep": 5}, author=boss)  # another patient: fine
    assert side_by_side.change_mark() > mark
    opened = side_by_side.open_for_editing(patient_id=ana.id, author=boss)
    assert not opened.editable and opened.held_elsewhere.workstation == "ROOM-2"
    patient_locks.release(session="other")
    assert side_by_side.open_for_editing(patient_id=ana.id, author=boss).editable
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    settings = PlanSettings(start=dt.date(2026, 12, 1))
    info = plans.start_plan(patient_id=ana.id, plan=make_plan(Regimen("diazepam", (("night", 5.0),)), settings),
                            settings=settings, author=boss)
    patient_locks.release()
    patient_locks.claim(patient_id=ana.id, author=nurse, session="other", place="ROOM-2")
    with pytest.raises(OperationError, match="in use by Nia Nurse"):  # found from the plan too
        plans.change_status(plan_id=info.record.id, status="paused", author=boss, reason="x")


WORKER = textwrap.dedent("""
    import sys
    from taperdesk import storage
    from taperdesk.storage import clinicians
    from taperdesk.clinic import records, side_by_side
    import datetime as dt
    clinicians.ARGON2 = clinicians.CHEAP_ARGON2
    path, name, read_only = sys.argv[1], sys.argv[2], sys.argv[3] == "ro"
    try:
        storage.open_database(path, read_only=read_only, auto_backup=False)
    except storage.StorageError as exc:
        print("refused", exc, flush=True)
        sys.exit(0)
    me = storage.verify_password(name=name, password="long enough 1")
    print("ready", flush=True)
    for line in sys.stdin:
        verb, *rest = line.split()
        try:
            if verb == "open":
                opened = side_by_side.open_for_editing(patient_id=int(rest[0]), author=me)
                print("editable" if opened.editable else opened.held_elsewhere.words(), flush=True)
            elif verb == "save":
                records.add_symptom_entry(patient_id=int(rest[0]), date=dt.date(2026, 12, 1), scale="daily",
                                          items={"severity": int(rest[1]), "sleep": 5}, author=me)
                print("saved", flush=True)
            elif verb == "mark":
                print(side_by_side.change_mark(), flush=True)
            elif verb == "close":
                side_by_side.release_all()
                storage.close_database()
                print("closed", flush=True)
                break
        except Exception as exc:  # the test reads the one line
            print("error", type(exc).__name__, exc, flush=True)
""")


class Workstation:
    def __init__(self, path, name: str, room: str, mode: str):
        env = {**os.environ, "TAPERDESK_WORKSTATION": room}
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, str(path), name, mode], env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.first = self.proc.stdout.readline().strip()

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def end(self) -> None:
        if self.proc.stdin.closed:
            return
        if self.proc.poll() is None:
            self.ask("close")
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


def test_two_processes_on_one_sqlite_file(clinic):
    path, ana, ben = clinic["path"], clinic["ana"], clinic["ben"]
    storage.close_database()
    room1 = Workstation(path, "Dr Xu", "ROOM-1", "rw")
    room2 = Workstation(path, "Nia Nurse", "ROOM-2", "rw")
    try:
        assert room1.first == "ready"
        assert room2.first.startswith("refused") and "open" in room2.first  # SQLite: one writer at a time
        room2.end()
        room2 = Workstation(path, "Nia Nurse", "ROOM-2", "ro")
        assert room2.first == "ready"
        assert room1.ask(f"open {ana.id}") == "editable"
        assert room2.ask(f"open {ana.id}").startswith("in use by Dr Xu on ROOM-1 since ")
        assert room2.ask(f"open {ben.id}") == "editable"  # free (a read-only file still edits nothing)
        before = int(room2.ask("mark"))
        saved = [room1.ask(f"save {ana.id} {n}") for n in range(1, 6)]
        assert saved == ["saved"] * 5
        assert int(room2.ask("mark")) == before + 5  # seen at once by the other process: no write lost
        assert room2.ask(f"save {ben.id} 3").startswith("error ReadOnlyDatabaseError")
        assert room1.ask("close") == "closed"  # released on close
        room1.proc.wait(timeout=60)
        assert room2.ask(f"open {ana.id}") == "editable"
    finally:
        room1.end()
        room2.end()
    storage.open_database(path, read_only=True)
    assert [e.total for e in storage.symptom_entries(patient_id=ana.id)] == [6, 7, 8, 9, 10]


def _server_clinic(url: str) -> dict:
    """A clinic on the test server: the two accounts and two patients of `clinic`."""
    storage.open_database(url, create=True, auto_backup=False)
    try:
        boss = storage.add_clinician(name="Dr Xu", role="administrator,prescriber", password="long enough 1")
        storage.add_clinician(name="Nia Nurse", role="nurse", password="long enough 1", author=boss)
        ana = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=boss)
        ben = storage.add_patient(name="Ben", born=dt.date(1970, 1, 1), identifier="TD-2", author=boss)
        return {"ana": ana, "ben": ben}
    finally:
        storage.close_database()


def run_two_writers(url: str) -> None:
    """Two workstations writing at once on one server: different patients both
    succeed, the same patient is refused naming who holds it, 0 writes lost."""
    made = _server_clinic(url)
    ana, ben = made["ana"], made["ben"]
    room1 = Workstation(url, "Dr Xu", "ROOM-1", "rw")
    room2 = Workstation(url, "Nia Nurse", "ROOM-2", "rw")
    try:
        assert (room1.first, room2.first) == ("ready", "ready")
        assert room1.ask(f"open {ana.id}") == "editable"
        assert room2.ask(f"open {ben.id}") == "editable"
        assert room2.ask(f"open {ana.id}").startswith("in use by Dr Xu on ROOM-1 since ")
        before = int(room2.ask("mark"))
        for n in range(1, 6):  # interleaved: each sees the other's saves at once
            assert room1.ask(f"save {ana.id} {n}") == "saved"
            assert room2.ask(f"save {ben.id} {n}") == "saved"
        assert int(room1.ask("mark")) == int(room2.ask("mark")) == before + 10
        assert room2.ask(f"save {ana.id} 9").startswith("error OperationError Ana is in use by Dr Xu on ROOM-1")
        assert room1.ask("close") == "closed"
        assert room2.ask(f"open {ana.id}") == "editable"  # released on close
    finally:
        room1.end()
        room2.end()
    storage.open_database(url, read_only=True)
    try:
        assert [e.total for e in storage.symptom_entries(patient_id=ana.id)] == [6, 7, 8, 9, 10]
        assert [e.total for e in storage.symptom_entries(patient_id=ben.id)] == [6, 7, 8, 9, 10]
    finally:
        storage.close_database()


def test_two_processes_on_one_server(server_db):
    run_two_writers(server_db)
