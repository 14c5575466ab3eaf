"""Working side by side (schema 12): a patient open for editing on one
workstation is held by a row naming the account, the workstation and the app
session, refreshed by a heartbeat; other sessions see who holds it and work
read-only on that patient. A row whose heartbeat is older than STALE_S is free
(a workstation that lost its connection or crashed holds nothing for long).

Each process is one session (SESSION, random): two windows of the app are two
processes. `change_mark()` is the newest audit event's id: every saved change
writes one, so a workstation polling it sees the others' changes. Only the
peewee query API is used, so the same code runs on SQLite and PostgreSQL; on
SQLite only one process writes (the single-writer lock), and the others, open
read-only, still read who holds what."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from dataclasses import dataclass

from peewee import IntegrityError, fn

from taperdesk.storage import audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.models import AuditEventRow, ClinicianRow, PatientLockRow, db
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now

STALE_S = 30  # no heartbeat for this long: the lock is free
HEARTBEAT_S = 10  # how often an open patient's lock is refreshed (well inside STALE_S)
WORKSTATION_ENV = "TAPERDESK_WORKSTATION"
SESSION = secrets.token_hex(8)


def workstation() -> str:
    """This computer's name as the others see it ($TAPERDESK_WORKSTATION, else the host name)."""
    return " ".join(os.environ.get(WORKSTATION_ENV, "").split())[:40] or socket.gethostname()[:40] or "this computer"


@dataclass(frozen=True)
class Holder:
    """Who has a patient open for editing elsewhere."""

    patient_id: int
    clinician: str
    workstation: str
    since: dt.datetime
    session: str

    def words(self) -> str:
        """'in use by Dr X on ROOM-2 since 10:02' (local time)."""
        return f"in use by {self.clinician} on {self.workstation} since {self.since.astimezone():%H:%M}"


def _fresh(row: PatientLockRow, now: dt.datetime) -> bool:
    return (now - from_utc_text(row.heartbeat)).total_seconds() < STALE_S


def _holder(row: PatientLockRow) -> Holder:
    return Holder(row.patient_id, row.clinician.name, row.workstation, from_utc_text(row.since), row.session)


def holder(*, patient_id: int, session: str = "", now: dt.datetime | None = None) -> Holder | None:
    """The other session holding this patient (None if free, stale or ours)."""
    now = now or utc_now()
    session = session or SESSION
    with reading():
        row = (PatientLockRow.select(PatientLockRow, ClinicianRow).join(ClinicianRow)
               .where(PatientLockRow.patient == patient_id).first())
        if row is None or row.session == session or not _fresh(row, now):
            return None
        return _holder(row)


def claim(*, patient_id: int, author: Clinician | int, session: str = "", place: str = "",
          now: dt.datetime | None = None) -> Holder | None:
    """Hold the patient for this session; None when held (or already ours), else
    who holds it. A stale row is taken over; two sessions claiming at once: one
    insert wins, the other reads the winner."""
    now = now or utc_now()
    session = session or SESSION
    place = place or workstation()
    with writing():
        author_row = audit.resolve_author(author)
        row = PatientLockRow.get_or_none(PatientLockRow.patient == patient_id)
        if row is not None and row.session != session and _fresh(row, now):
            return _holder(row)
        if row is not None and row.session == session and row.clinician_id == author_row.id:
            PatientLockRow.update(heartbeat=to_utc_text(now)).where(PatientLockRow.patient == patient_id).execute()
            return None
        if row is not None:
            PatientLockRow.delete().where(PatientLockRow.patient == patient_id).execute()
        try:
            with db.atomic():  # a savepoint: a lost race leaves the rest of the transaction usable
                PatientLockRow.insert(patient=patient_id, clinician=author_row.id, workstation=place,
                                      session=session, since=to_utc_text(now), heartbeat=to_utc_text(now)).execute()
        except IntegrityError:  # the other session's insert came first: say who won
            winner = (PatientLockRow.select(PatientLockRow, ClinicianRow).join(ClinicianRow)
                      .where(PatientLockRow.patient == patient_id).first())
            return _holder(winner) if winner is not None else None
        return None


def heartbeat(*, session: str = "", now: dt.datetime | None = None) -> int:
    """Refresh every lock this session holds; the number refreshed."""
    with writing():
        return PatientLockRow.update(heartbeat=to_utc_text(now or utc_now())).where(
            PatientLockRow.session == (session or SESSION)).execute()


def release(*, patient_id: int | None = None, session: str = "") -> int:
    """Let go of one patient (or every patient) this session holds."""
    query = PatientLockRow.delete().where(PatientLockRow.session == (session or SESSION))
    if patient_id is not None:
        query = query.where(PatientLockRow.patient == patient_id)
    with writing():
        return query.execute()


def held_by_this_session(*, session: str = "") -> list[int]:
    with reading():
        return [r.patient_id for r in PatientLockRow.select(PatientLockRow.patient)
                .where(PatientLockRow.session == (session or SESSION))]


def change_mark() -> int:
    """The newest audit event's id: it moves whenever anything is saved."""
    with reading():
        return int(AuditEventRow.select(fn.MAX(AuditEventRow.id)).scalar() or 0)
