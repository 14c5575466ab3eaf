"""Opening and closing the clinic file: checks first (fileinfo), then the writer
lock, then peewee with WAL, foreign keys and a busy timeout, then the daily backup
and the migrations. Repositories enter `writing()`/`reading()`, which translate
SQLite failures into StorageErrors naming the file."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from taperdesk.storage import attention
from taperdesk.storage import backup as backups
from taperdesk.storage.errors import (
    NeedsUpgradeError,
    NotADatabaseError,
    NotOpenError,
    ReadOnlyDatabaseError,
    ReadOnlyLocationError,
    StorageError,
)
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.fileinfo import inspect_file, read_only_uri
from taperdesk.storage.lock import WriterLock, acquire
from taperdesk.storage.migrations import LATEST_VERSION, apply_migrations, schema_version
from taperdesk.storage.models import db
from taperdesk.storage.paths import default_backup_dir

BUSY_TIMEOUT_MS = 5000
PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "synchronous": "full",
           "busy_timeout": BUSY_TIMEOUT_MS}


@dataclass
class OpenDatabase:
    """What open_database() did; close() (or a with-block) ends the session."""

    path: Path
    read_only: bool
    schema_version: int
    created: bool = False
    migrated: list[int] = field(default_factory=list)
    checked: bool = False
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. the daily backup could not be written
    _lock: WriterLock | None = None

    def close(self) -> None:
        close_database()

    def __enter__(self) -> OpenDatabase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_current: OpenDatabase | None = None


def current() -> OpenDatabase:
    """The open session. Other threads (a GUI worker) get their own SQLite
    connection on first use: peewee connections are per thread."""
    if _current is None:
        raise NotOpenError("No clinic file is open: call open_database() first.")
    return _current


def _check_writable(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReadOnlyLocationError(f"Cannot create the folder {folder} for {path} ({exc.strerror}).") from None
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ReadOnlyLocationError(
            f"{path} cannot be written (the file or its folder {folder} is read-only): move it "
            f"to a writable folder, or open it read-only."
        )


def open_database(path: str | os.PathLike[str], *, read_only: bool = False,
                  auto_backup: bool = True, quick_check: bool | None = None,
                  keep_backups: int | None = None, today: dt.date | None = None) -> OpenDatabase:
    """Open (creating if missing) the clinic file at `path` and make it current.

    quick_check: True always, False never, None (default) when the daily backup is
    due or a migration is pending: a full check reads the whole file (about 0.2 s
    per 250 MB), so it runs once a day rather than on every open. SQLite still
    reports damage met later as a CorruptFileError.
    """
    close_database()
    path = Path(path).expanduser()
    today = today or dt.date.today()
    folder = default_backup_dir(path)
    if not read_only:
        _check_writable(path)  # first, so a read-only folder gets the plain message
    pre = inspect_file(path, quick_check=False)
    due = auto_backup and not read_only and pre.schema_version > 0 and backups.backup_due(folder, today)
    stale = 0 < pre.schema_version < LATEST_VERSION
    check = quick_check if quick_check is not None else (due or stale or not auto_backup)
    if check and pre.exists:
        inspect_file(path, quick_check=True)
    if read_only:
        return _open_read_only(path, pre.exists, pre.schema_version, check)
    lock = acquire(path)
    global _current
    try:
        db.init(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
        db.connect()
        session = OpenDatabase(path, False, pre.schema_version, created=pre.schema_version == 0,
                               checked=check and pre.exists, _lock=lock)
        if stale and auto_backup:  # never upgrade a file without a copy of it first
            session.backup = backups.backup_connection(db.connection(), path, folder)
        elif due:
            try:
                session.backup = backups.backup_connection(db.connection(), path, folder)
            except StorageError as exc:  # the clinic can still work; the UI shows the warning
                session.warnings.append(f"The daily backup failed: {exc}")
        session.migrated = apply_migrations(db)
        session.schema_version = schema_version(db)
        if session.backup is not None:
            keep = keep_backups if keep_backups is not None else _configured_keep()
            backups.prune_backups(folder, keep)
    except DB_ERRORS as exc:
        _abandon(lock)
        raise translate(exc, path) from None
    except BaseException:
        _abandon(lock)
        raise
    _current = session
    return session


def _configured_keep() -> int:
    row = db.execute_sql("SELECT backup_keep FROM clinic_settings WHERE id = 1").fetchone()
    return int(row[0]) if row else backups.DEFAULT_KEEP


def _open_read_only(path: Path, exists: bool, version: int, checked: bool) -> OpenDatabase:
    global _current
    if not exists or version == 0:
        raise NotADatabaseError(f"There is no clinic file at {path} to open read-only.")
    if version < LATEST_VERSION:
        raise NeedsUpgradeError(
            f"{path} has schema version {version} and must be upgraded before it can be read: "
            f"open it once normally (not read-only)."
        )
    try:
        db.init(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                pragmas={"foreign_keys": 1, "query_only": 1, "busy_timeout": BUSY_TIMEOUT_MS})
        db.connect()
    except DB_ERRORS as exc:
        db.close()
        raise translate(exc, path) from None
    _current = OpenDatabase(path, True, version, checked=checked)
    return _current


def _abandon(lock: WriterLock) -> None:
    if not db.is_closed():
        db.close()
    lock.release()


def close_database() -> None:
    """Close the current clinic file (checkpointing the WAL) and release the lock."""
    global _current
    session, _current = _current, None
    if not db.is_closed():
        db.close()
    if session is not None and session._lock is not None:
        session._lock.release()


_writes = threading.local()  # how deep in writing() this thread is (peewee savepoints do not count)


@contextmanager
def writing() -> Iterator[OpenDatabase]:
    """One transaction for a repository write; SQLite failures become StorageErrors."""
    session = current()
    if session.read_only:
        raise ReadOnlyDatabaseError(f"{session.path} is open read-only; this change was not saved.")
    try:
        with db.atomic():
            depth = _writes.__dict__.setdefault("depth", 0)
            _writes.depth = depth + 1
            try:
                yield session
                if depth == 0:  # the outermost write: derived rows (storage/attention.py) join it
                    attention.flush()
            except BaseException:
                if depth == 0:
                    attention.discard_pending()
                raise
            finally:
                _writes.depth = depth
    except DB_ERRORS as exc:
        raise translate(exc, session.path) from None


@contextmanager
def reading() -> Iterator[OpenDatabase]:
    """Reads share one snapshot (a transaction) and the same error translation."""
    session = current()
    try:
        with db.atomic():
            yield session
    except DB_ERRORS as exc:
        raise translate(exc, session.path) from None
