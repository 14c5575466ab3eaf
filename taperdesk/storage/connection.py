"""Opening and closing the clinic file: checks first (fileinfo), then the writer
lock, then peewee with WAL, foreign keys and a busy timeout, then the daily backup
and the migrations. Repositories enter `writing()`/`reading()`, which translate
SQLite failures into StorageErrors naming the file.

A missing or empty (0-byte) file is a new clinic only when the caller says so
(`create=True`: the app after asking, `init-demo`): otherwise a lost or truncated
file would quietly become an empty clinic. Before each write transaction the
file's identity is compared with the one opened: a file deleted, moved or
replaced while open would take every later write with it, so writing stops
there with ClinicFileChangedError (and the listeners, e.g. the app's dialog,
are told once).

A `postgresql://` address opens the clinic server instead (`_open_server`): no
file checks or writer lock there (its backups are pg_dumps: `taperdesk backup`,
and the daily one the app's first workstation of the day makes, storage.daily),
the same migrations under a server-wide lock so two workstations starting at
once do not both upgrade it."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from peewee import SqliteDatabase

from taperdesk.storage import attention
from taperdesk.storage import backup as backups
from taperdesk.storage import files
from taperdesk.storage.errors import (
    RESTORE_HINT,
    ClinicFileChangedError,
    NeedsUpgradeError,
    NewerFileError,
    NoClinicFileError,
    NotADatabaseError,
    NotOpenError,
    ReadOnlyDatabaseError,
    ReadOnlyLocationError,
    StorageError,
)
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.fileinfo import inspect_file, read_only_uri
from taperdesk.storage.lock import WriterLock, acquire
from taperdesk.storage.migrations import APPLICATION_ID, LATEST_VERSION, apply_migrations, schema_version
from taperdesk.storage.models import db
from taperdesk.storage.paths import ServerAddress, default_backup_dir, expand, is_server, refuse_special

BUSY_TIMEOUT_MS = 5000
PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "synchronous": "full",
           "busy_timeout": BUSY_TIMEOUT_MS}


@dataclass
class OpenDatabase:
    """What open_database() did; close() (or a with-block) ends the session."""

    path: Path | ServerAddress
    read_only: bool
    schema_version: int
    created: bool = False
    migrated: list[int] = field(default_factory=list)
    checked: bool = False
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. the daily backup could not be written
    daily_due: bool = False  # deferred: the caller runs storage.daily.daily_upkeep() (the app: on a worker)
    _lock: WriterLock | None = None
    identity: tuple[int, int] | None = None  # (device, inode) of the file opened
    lost: str = ""  # set once the file was found deleted or replaced: every write is refused
    server: bool = False  # a PostgreSQL clinic server, not a file

    def close(self) -> None:
        close_database()

    def __enter__(self) -> OpenDatabase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_current: OpenDatabase | None = None
_lost_listeners: list[Callable[[str], None]] = []


def add_lost_file_listener(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call `listener(message)` the first time the open file is found deleted or
    replaced (the app shows a dialog). Returns a function that removes it."""
    _lost_listeners.append(listener)
    return lambda: _lost_listeners.remove(listener) if listener in _lost_listeners else None


def current() -> OpenDatabase:
    """The open session. Other threads (a GUI worker) get their own SQLite
    connection on first use: peewee connections are per thread."""
    if _current is None:
        raise NotOpenError("No clinic file is open: call open_database() first.")
    return _current


def no_clinic_file(path: Path) -> NoClinicFileError:
    state = "is empty: 0 bytes" if path.is_file() else "does not exist"
    return NoClinicFileError(
        f"There is no clinic in {path} (the file {state}); nothing was created: check the path, "
        f"{RESTORE_HINT}, or start a new clinic there with `taperdesk --new --db {path}`."
    )


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0 and path.is_file()
    except FileNotFoundError:
        return True
    except OSError:
        return False  # inspect_file says what is wrong


def _check_writable(path: Path, create: bool) -> None:
    folder = path.parent
    try:
        if create:
            files.private_folder(folder)
    except OSError as exc:
        raise ReadOnlyLocationError(f"Cannot create the folder {folder} for {path} ({exc.strerror}).") from None
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ReadOnlyLocationError(
            f"{path} cannot be written (the file or its folder {folder} is read-only): move it "
            f"to a writable folder, or open it read-only."
        )


def open_database(path: str | os.PathLike[str], *, read_only: bool = False, create: bool = False,
                  auto_backup: bool = True, quick_check: bool | None = None,
                  keep_backups: int | None = None, today: dt.date | None = None,
                  defer_daily: bool = False) -> OpenDatabase:
    """Open the clinic file at `path` and make it current. A missing or empty file
    is refused (NoClinicFileError) unless `create` asks for a new clinic there.

    defer_daily (the app): the first open of the day opens as fast as any other;
    the daily backup and its check are left to the caller (`daily_due` is set;
    storage.daily.daily_upkeep on a worker thread). A file that needs a
    migration is still backed up and checked first, whatever defer_daily says.

    quick_check: True always, False never, None (default) when the daily backup is
    due or a migration is pending: a full check reads the whole file (about 0.2 s
    per 250 MB), so it runs once a day rather than on every open. SQLite still
    reports damage met later as a CorruptFileError.
    """
    close_database()
    if is_server(path) or (isinstance(path, str) and path.startswith(("postgresql://", "postgres://"))):
        from taperdesk.storage.paths import resolve_db_path

        return _open_server(resolve_db_path(path), read_only=read_only, create=create, defer_daily=defer_daily)
    path = refuse_special(expand(path), "clinic file")
    moment = dt.datetime.combine(today, dt.datetime.now().time()) if today else None  # names the daily backup
    today = today or dt.date.today()
    folder = default_backup_dir(path)
    if not create and not read_only and _is_empty(path):
        raise no_clinic_file(path)
    if not read_only:
        _check_writable(path, create)  # first, so a read-only folder gets the plain message
    pre = inspect_file(path, quick_check=False)
    if pre.schema_version == 0 and not create and not read_only:
        raise no_clinic_file(path)  # an empty SQLite file: no tables, not a clinic yet
    due = auto_backup and not read_only and pre.schema_version > 0 and backups.backup_due(folder, today, db_path=path)
    stale = 0 < pre.schema_version < LATEST_VERSION
    deferred = defer_daily and due and not stale
    if deferred:
        due = False
    check = quick_check if quick_check is not None else ((due or stale or not auto_backup) and not deferred)
    if check and pre.exists:
        inspect_file(path, quick_check=True)
    if read_only:
        return _open_read_only(path, pre.exists, pre.schema_version, check)
    lock = acquire(path)
    global _current
    try:
        if not path.exists():
            files.create_private(path)  # 0600 from the start; SQLite gives -wal/-shm the same mode
        files.tighten_file(path)  # a file an older TaperDesk made 0644
        if folder.is_dir():
            files.tighten_folder(folder)  # the backups folder: ours alone
        db.initialize(SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000))
        db.connect()
        session = OpenDatabase(path, False, pre.schema_version, created=pre.schema_version == 0,
                               checked=check and pre.exists, _lock=lock, identity=files.identity(path),
                               daily_due=deferred)
        if stale and auto_backup:  # never upgrade a file without a copy of it first
            session.backup = backups.backup_connection(db.connection(), path, folder, kind="daily", now=moment)
        elif due:
            try:
                session.backup = backups.backup_connection(db.connection(), path, folder, kind="daily", now=moment)
            except StorageError as exc:  # the clinic can still work; the UI shows the warning
                session.warnings.append(f"The daily backup failed: {exc}")
        session.migrated = apply_migrations(db)
        session.schema_version = schema_version(db)
        if session.backup is not None:
            keep = keep_backups if keep_backups is not None else _configured_keep()
            backups.prune_backups(folder, keep, db_path=path, kind="daily")
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
        raise no_clinic_file(path)
    if version < LATEST_VERSION:
        raise NeedsUpgradeError(
            f"{path} has schema version {version} and must be upgraded before it can be read: "
            f"open it once normally (not read-only)."
        )
    try:
        db.initialize(SqliteDatabase(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                     pragmas={"foreign_keys": 1, "query_only": 1, "busy_timeout": BUSY_TIMEOUT_MS}))
        db.connect()
    except DB_ERRORS as exc:
        db.close()
        raise translate(exc, path) from None
    _current = OpenDatabase(path, True, version, checked=checked, identity=files.identity(path))
    return _current


MIGRATION_LOCK = 0x54445331  # the server-wide advisory lock held while a workstation migrates


def _open_server(address: ServerAddress, *, read_only: bool, create: bool, defer_daily: bool = False) -> OpenDatabase:
    """Open a clinic server's database: refuse it in one line when the server
    cannot be reached, refuses the user or password, holds something else or a
    newer schema; otherwise migrate it (under a server-wide lock) and make it current.
    defer_daily (the app): storage.daily.daily_upkeep, on a worker, asks the
    server whether today's backup is made and makes it if not (one workstation a day)."""
    from taperdesk.storage.backends import postgres

    global _current
    server = postgres.ClinicServer(address.url, read_only=read_only)
    try:
        server.connect()
        version, app_id = postgres.schema_version(server), postgres.application_id(server)
        if app_id is None and postgres.user_tables(server):
            raise NotADatabaseError(f"The {address.name} ({address}) holds tables but no TaperDesk clinic; "
                                    f"nothing was changed: check the address.")
        if app_id not in (None, 0, APPLICATION_ID):
            raise NotADatabaseError(f"The {address.name} ({address}) is not a TaperDesk clinic; nothing was changed.")
        if version > LATEST_VERSION:
            raise NewerFileError(address, version, LATEST_VERSION)
        if version == 0 and not create:
            raise NoClinicFileError(
                f"There is no clinic in the {address.name} ({address}); nothing was created: check the address, "
                f"or start one there with `taperdesk new-clinic --db URL`, or move a clinic file there with "
                f"`taperdesk move-to URL`.")
        if read_only and version < LATEST_VERSION:
            raise NeedsUpgradeError(f"The {address.name} has schema version {version} and must be upgraded "
                                    f"before it can be read: open it once normally (not read-only).")
        db.initialize(server)
        migrated: list[int] = []
        if not read_only and version < LATEST_VERSION:
            db.execute_sql("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
            try:
                migrated = apply_migrations(db)
            finally:
                db.execute_sql("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
        session = OpenDatabase(address, read_only, schema_version(db), created=version == 0, migrated=migrated,
                               server=True, daily_due=defer_daily and not read_only)
    except DB_ERRORS as exc:
        server.close()
        raise translate(exc, address) from None
    except BaseException:
        server.close()
        raise
    _current = session
    return session


def _revive() -> None:
    """A clinic server's connection that was lost (the server restarted, the
    network dropped) is closed, so the next statement connects afresh: the
    failure that revealed it was one "Cannot reach the clinic server" line."""
    if not db.is_closed() and not db.in_transaction() and not db.is_connection_usable():
        db.close()


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
    _check_identity(session)
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


def _check_identity(session: OpenDatabase) -> None:
    """Refuse to write once the file at session.path is not the file we opened."""
    if session.server:
        _revive()
        return
    if not session.lost:
        now = files.identity(session.path)
        if now == session.identity:
            return
        what = "was deleted or moved" if now is None else "was replaced by another file"
        session.lost = (
            f"{session.path} {what} while TaperDesk had it open; this change and any after it "
            f"cannot be saved: close TaperDesk and open the clinic file again (restore a backup "
            f"if it is gone)."
        )
        for listener in list(_lost_listeners):
            listener(session.lost)
    raise ClinicFileChangedError(session.lost)


@contextmanager
def reading() -> Iterator[OpenDatabase]:
    """Reads share one snapshot (a transaction) and the same error translation."""
    session = current()
    if session.server:
        _revive()
    try:
        with db.atomic():
            yield session
    except DB_ERRORS as exc:
        raise translate(exc, session.path) from None
