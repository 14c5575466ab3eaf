"""Backups on demand, whichever way the file is held: through the open
connection when this process has it open (consistent with its own writes), or
from the file otherwise (the CLI, while the app may be running elsewhere)."""

from __future__ import annotations

from pathlib import Path

from taperdesk.storage import backup as backups
from taperdesk.storage import connection
from taperdesk.storage.models import db
from taperdesk.storage.paths import default_backup_dir


def backup_now(*, db_path: Path | None = None, to: Path | None = None) -> Path:
    """Write a timestamped backup of db_path (default: the open file) into `to`
    (default: the `backups` folder beside it); return the backup's path."""
    session = connection._current
    if db_path is None:
        db_path = connection.current().path
    db_path = Path(db_path)
    folder = Path(to) if to is not None else default_backup_dir(db_path)
    if session is not None and not db.is_closed() and session.path.resolve() == db_path.resolve():
        return backups.backup_connection(db.connection(), db_path, folder)
    return backups.backup_file(db_path, folder)
