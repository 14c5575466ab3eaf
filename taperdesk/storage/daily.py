"""The first open of the day's upkeep, done after the window is up: the daily
backup (SQLite's online backup API, from this thread's own connection, so the
clinic can go on working meanwhile) checked once, then the record check.

The backup is the integrity check: the backup API copies the file's pages as
they are, so `quick_check` on the copy finds the same damage it would find in
the file, and the file is read once rather than three times (a check of the
file, the copy, a check of the copy). A failed check names the clinic file
and leaves no backup behind (storage.backup.copy_database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from taperdesk.storage import backup as backups
from taperdesk.storage import connection
from taperdesk.storage.models import db
from taperdesk.storage.paths import default_backup_dir


@dataclass(frozen=True)
class DailyResult:
    backup: Path  # the day's checked backup
    report: object  # storage.verify.Report of the record check (None when not asked for)


def daily_upkeep(*, check_records: bool = True, close_connection: bool = False, now: dt.datetime | None = None,
                 keep_backups: int | None = None) -> DailyResult:
    """Make and check the day's backup of the open clinic file, prune the old
    ones, then (check_records) verify every record. On a worker thread it uses
    that thread's own connection (close_connection: closed at the end). Raises
    a StorageError saying what failed (a damaged file, a full disk...)."""
    session = connection.current()
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
