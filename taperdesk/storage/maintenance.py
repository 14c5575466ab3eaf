"""Backups on demand (kind `manual`, rotated apart from the daily ones), whichever way the file is held: through the open
connection when this process has it open (consistent with its own writes), or
from the file otherwise (the CLI, while the app may be running elsewhere)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from taperdesk.storage import backup as backups
from taperdesk.storage import connection
from taperdesk.storage.fileinfo import read_only_uri
from taperdesk.storage.models import db
from taperdesk.storage.paths import ServerAddress, default_backup_dir, is_server


def backup_now(*, db_path: Path | ServerAddress | None = None, to: Path | None = None,
               now: dt.datetime | None = None, close_connection: bool = False) -> Path:
    """Write a timestamped backup of db_path (default: the open file) into `to`
    (default: the `backups` folder beside it); return the backup's path. A
    clinic server is dumped with pg_dump into `to` (default: this
    workstation's `backups` folder). A worker thread (the app's Back up now)
    passes close_connection: its own connection is closed at the end."""
    try:
        return _backup_now(db_path, to, now)
    finally:
        if close_connection:
            db.close()  # this thread's connection only (peewee keeps one per thread)


def _backup_now(db_path: Path | ServerAddress | None, to: Path | None, now: dt.datetime | None) -> Path:
    session = connection._current
    if db_path is None:
        db_path = connection.current().path
    if is_server(db_path):
        from taperdesk.storage import server_backup

        return server_backup.dump(db_path, Path(to) if to is not None else db_path.parent / "backups",
                                  now=now)
    db_path = Path(db_path)
    folder = Path(to) if to is not None else default_backup_dir(db_path)
    if session is not None and not db.is_closed() and session.path.resolve() == db_path.resolve():
        target = backups.backup_connection(db.connection(), db_path, folder, kind="manual", now=now)
        keep = connection._configured_keep()
    else:
        target = backups.backup_file(db_path, folder, kind="manual", now=now)
        keep = _keep_from_file(target)
    backups.prune_backups(folder, keep, db_path=db_path, kind="manual")  # daily ones are never touched here
    return target


def _keep_from_file(path: Path) -> int:
    """The clinic's 'backups to keep' setting, read from the checked copy just made."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            row = conn.execute("SELECT backup_keep FROM clinic_settings WHERE id = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        row = None
    return int(row[0]) if row and row[0] else backups.DEFAULT_KEEP
