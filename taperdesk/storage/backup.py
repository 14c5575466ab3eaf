"""Backups through SQLite's online backup API (consistent even while the app is
writing), written to a `.partial` name and renamed, so a backup file either is
complete or does not exist. Restore checks the backup before touching anything
and keeps the replaced file (with its -wal/-shm) aside under a dated name."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from taperdesk.storage.errors import CorruptFileError, NotADatabaseError, StorageError
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.fileinfo import inspect_file, read_only_uri
from taperdesk.storage.lock import acquire

DEFAULT_KEEP = 30
_NAME = re.compile(r"^taperdesk-(\d{8})-(\d{6})(?:-(\d+))?\.sqlite$")


def backup_name(moment: dt.datetime) -> str:
    return f"taperdesk-{moment:%Y%m%d-%H%M%S}.sqlite"


def list_backups(folder: Path) -> list[Path]:
    """Our backup files in `folder`, oldest first (names sort by time)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: (_NAME.match(p.name).groups()[:2], int(_NAME.match(p.name).group(3) or 1)))


def backup_due(folder: Path, today: dt.date) -> bool:
    """True when no backup in `folder` was made today (local date)."""
    stamp = f"taperdesk-{today:%Y%m%d}-"
    return not any(p.name.startswith(stamp) for p in list_backups(folder))


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; return what was deleted."""
    backups = list_backups(folder)
    doomed = backups[: max(0, len(backups) - max(1, keep))]
    for path in doomed:
        path.unlink()
    return doomed


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy via the backup API into `target` (a new file), left in rollback-journal
    mode so the copy is one self-contained file; checked with quick_check."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        result = dest.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise CorruptFileError(f"The copy {target} failed its check ({result}); it was not kept.")
    except BaseException:
        dest.close()
        partial.unlink(missing_ok=True)
        raise
    dest.close()
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)
    _fsync_dir(target.parent)


def _free_name(folder: Path, moment: dt.datetime) -> Path:
    target = folder / backup_name(moment)
    n = 2
    while target.exists() or target.with_name(target.name + ".partial").exists():
        target = folder / backup_name(moment).replace(".sqlite", f"-{n}.sqlite")
        n += 1
    return target


def backup_connection(source: sqlite3.Connection, source_path: Path, folder: Path,
                      *, now: dt.datetime | None = None) -> Path:
    """Back up an open connection into `folder` under a timestamped name."""
    moment = now or dt.datetime.now()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, moment)
        copy_database(source, target)
    except DB_ERRORS as exc:
        raise translate(exc, folder) from None
    except OSError as exc:
        raise StorageError(f"Could not write a backup of {source_path} in {folder}: {exc.strerror}.") from None
    return target


def backup_file(db_path: Path, folder: Path, *, now: dt.datetime | None = None) -> Path:
    """Back up a clinic file that this process has not opened (the CLI path)."""
    info = inspect_file(db_path, quick_check=False)
    if not info.exists or info.schema_version == 0:
        raise NotADatabaseError(f"There is no clinic file at {db_path} to back up; check --db PATH.")
    try:
        source = sqlite3.connect(read_only_uri(db_path), uri=True)
    except sqlite3.Error as exc:
        raise translate(exc, db_path) from None
    try:
        return backup_connection(source, db_path, folder, now=now)
    finally:
        source.close()


@dataclass(frozen=True)
class RestoreReport:
    backup: Path
    db_path: Path
    schema_version: int
    replaced_kept_as: Path | None

    def lines(self) -> list[str]:
        out = [f"Checked {self.backup}: quick_check ok, schema version {self.schema_version}."]
        if self.replaced_kept_as:
            out.append(f"Kept the replaced file as {self.replaced_kept_as}.")
        out.append(f"Restored {self.backup} to {self.db_path}.")
        return out


def restore_backup(backup: Path, db_path: Path, *, now: dt.datetime | None = None) -> RestoreReport:
    """Replace db_path by a checked copy of `backup`; the old file is kept aside."""
    backup, db_path = Path(backup), Path(db_path)
    info = inspect_file(backup, quick_check=True)
    if not info.exists or info.schema_version == 0:
        raise NotADatabaseError(f"{backup} is not a TaperDesk backup (missing or empty); nothing was changed.")
    if backup.resolve() == db_path.resolve():
        raise StorageError(f"{backup} is the clinic file itself; choose a backup file.")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = acquire(db_path)  # refuses while TaperDesk has the file open
    try:
        incoming = db_path.with_name(db_path.name + ".restoring")
        source = sqlite3.connect(read_only_uri(backup), uri=True)
        try:
            copy_database(source, incoming)
        except DB_ERRORS as exc:
            raise translate(exc, backup) from None
        finally:
            source.close()
        aside = None
        if db_path.exists():
            stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
            aside = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
            n = 2
            while aside.exists():
                aside, n = db_path.with_name(f"{db_path.name}.replaced-{stamp}-{n}"), n + 1
            os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
        os.replace(incoming, db_path)
        _fsync_dir(db_path.parent)
    finally:
        lock.release()
    return RestoreReport(backup, db_path, info.schema_version, aside)
