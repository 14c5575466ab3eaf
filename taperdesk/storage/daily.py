"""The first open of the day's upkeep, done after the window is up: the daily
backup (SQLite's online backup API, from this thread's own connection, so the
clinic can go on working meanwhile) checked once, then the record check.

The backup is the integrity check: the backup API copies the file's pages as
they are, so `quick_check` on the copy finds the same damage it would find in
the file, and the file is read once rather than three times (a check of the
file, the copy, a check of the copy). A failed check names the clinic file
and leaves no backup behind (storage.backup.copy_database).

A clinic server gets the same from the first workstation to open it that day:
`pg_dump` into that workstation's backups folder (storage.server_backup), read
back, the oldest pruned to the clinic's "backups kept", then the record check.
One workstation a day: the dump runs under a server-wide advisory lock, and
an audit event ("daily_backup", written only once the dump is read back) is
how the next workstation knows today's is made; a dump that failed leaves no
event, so the next open tries again."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from taperdesk.storage import backup as backups
from taperdesk.storage import connection
from taperdesk.storage.errors import StorageError
from taperdesk.storage.models import db
from taperdesk.storage.paths import default_backup_dir

SERVER_LOCK = 0x54445332  # the server-wide advisory lock held while one workstation dumps the day's backup
SERVER_EVENT = "daily_backup"  # the audit action saying today's server backup is made


@dataclass(frozen=True)
class DailyResult:
    backup: Path | None  # the day's checked backup; None: another workstation made it (made_elsewhere)
    report: object  # storage.verify.Report of the record check (None when not asked for)
    made_elsewhere: str = ""  # a clinic server: "made on ROOM-1 at 08:02" / "being made on another workstation"


def daily_upkeep(*, check_records: bool = True, close_connection: bool = False, now: dt.datetime | None = None,
                 keep_backups: int | None = None) -> DailyResult:
    """Make and check the day's backup of the open clinic file, prune the old
    ones, then (check_records) verify every record. On a worker thread it uses
    that thread's own connection (close_connection: closed at the end). Raises
    a StorageError saying what failed (a damaged file, a full disk...)."""
    session = connection.current()
    if session.server:
        return _server_upkeep(session, check_records=check_records, close_connection=close_connection, now=now,
                              keep_backups=keep_backups)
    try:
        folder = default_backup_dir(session.path)
        target = backups.backup_connection(db.connection(), session.path, folder, kind="daily", now=now)
        keep = keep_backups if keep_backups is not None else connection._configured_keep()
        backups.prune_backups(folder, keep, db_path=session.path, kind="daily")
        report = None
        if check_records:
            from taperdesk.storage.verify import verify_clinic

            report = verify_clinic()
        return DailyResult(target, report)
    finally:
        if close_connection:
            db.close()  # this thread's connection only (peewee keeps one per thread)


def _made_today(today: dt.date) -> str:
    """'made on ROOM-1 at 08:02' when the server's backup of `today` (local date) exists, else ''."""
    from taperdesk.storage.text import from_utc_text

    row = db.execute_sql("SELECT at, summary FROM audit_event WHERE action = ? ORDER BY id DESC LIMIT 1",
                         (SERVER_EVENT,)).fetchone()
    if row is None:
        return ""
    at = from_utc_text(row[0]).astimezone()
    if at.date() != today:
        return ""
    where = re.search(r" on (.+) \(keeps \d+\)", row[1])
    return f"made on {where.group(1) if where else 'another workstation'} at {at:%H:%M}"


def _server_upkeep(session, *, check_records: bool, close_connection: bool, now: dt.datetime | None,
                   keep_backups: int | None) -> DailyResult:
    from taperdesk.storage.failures import DB_ERRORS, translate

    try:
        target = _server_backup(session.path, now=now, keep_backups=keep_backups)
        if isinstance(target, str):
            return DailyResult(None, None, target)
        report = None
        if check_records:
            from taperdesk.storage.verify import verify_clinic

            report = verify_clinic()
        return DailyResult(target, report)
    except DB_ERRORS as exc:  # the server went away meanwhile: one line naming it
        raise translate(exc, session.path) from None
    finally:
        if close_connection:
            db.close()


def _server_backup(address, *, now: dt.datetime | None, keep_backups: int | None) -> Path | str:
    """The day's dump (its path), or why this workstation makes none (a str)."""
    from taperdesk.storage import audit, server_backup
    from taperdesk.storage.failures import DB_ERRORS
    from taperdesk.storage.patient_locks import workstation

    if not db.execute_sql("SELECT pg_try_advisory_lock(?)", (SERVER_LOCK,)).fetchone()[0]:
        return "being made on another workstation"
    try:
        done = _made_today((now or dt.datetime.now()).date())
        if done:
            return done
        folder = server_backup.default_folder(address)
        target = server_backup.dump(address, folder, now=now, kind="daily")
        try:
            tables = server_backup.check_dump(target, address)
        except StorageError:
            target.unlink(missing_ok=True)  # a dump that cannot be read back is no backup
            raise
        keep = keep_backups if keep_backups is not None else connection._configured_keep()
        server_backup.prune_dumps(folder, address, keep, kind="daily")
        with connection.writing():
            audit.record(None, SERVER_EVENT, "clinic", None,
                         f"Daily backup of the clinic server {target.name} ({tables} tables) on {workstation()} "
                         f"(keeps {keep})")
        return target
    finally:
        try:
            db.execute_sql("SELECT pg_advisory_unlock(?)", (SERVER_LOCK,))
        except DB_ERRORS:
            pass  # the connection is gone, and the lock with its session
