"""Backups through SQLite's online backup API (consistent even while the app is
writing), written to a `.partial` name (0600) and renamed, so a backup file
either is complete or does not exist.

Each backup is named after its clinic file and its kind, e.g.
`clinic-daily-20261130-090000.sqlite`: the first open of each day makes a
`daily` one, `taperdesk backup` and the app's "Back up now" make `manual` ones.
The two kinds rotate separately (30 of each by default), and per clinic file,
so on-demand backups never push the daily history out, and two clinic files
in one folder do not take each other's daily backup. Backups named in the old
way (`taperdesk-20261127-090000.sqlite`) are listed for restore but never
deleted.

Restore checks the backup before touching anything and swaps it in with one
rename (os.replace) after the replaced file has been linked aside under a dated
name: at every moment the clinic file's name holds either the old file or the
new one, so a kill at any point never leaves the clinic without its file."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from taperdesk.storage import files
from taperdesk.storage.errors import (
    CorruptFileError,
    DiskFullError,
    NotADatabaseError,
    ReadOnlyLocationError,
    StorageError,
)
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.fileinfo import inspect_file, read_only_uri
from taperdesk.storage.lock import acquire

DEFAULT_KEEP = 30
KINDS = ("daily", "manual")
_NAME = re.compile(r"^(?P<stem>.+)-(?P<kind>daily|manual)-(?P<d>\d{8})-(?P<t>\d{6})(?:-(?P<n>\d+))?\.sqlite$")
_LEGACY = re.compile(r"^taperdesk-(?P<d>\d{8})-(?P<t>\d{6})(?:-(?P<n>\d+))?\.sqlite$")


def file_stem(db_path: Path) -> str:
    """The clinic file's name without `.sqlite`: the start of its backups' names."""
    name = Path(db_path).name
    return name[: -len(".sqlite")] if name.endswith(".sqlite") and len(name) > 7 else name


def backup_name(db_path: Path, kind: str, moment: dt.datetime) -> str:
    return f"{file_stem(db_path)}-{kind}-{moment:%Y%m%d-%H%M%S}.sqlite"


def _match(name: str):
    return _NAME.match(name) or _LEGACY.match(name)


def _order(path: Path) -> tuple[str, str, int]:
    m = _match(path.name)
    return (m.group("d"), m.group("t"), int(m.group("n") or 1))


def list_backups(folder: Path, *, db_path: Path | None = None, kind: str | None = None) -> list[Path]:
    """Backups in `folder`, oldest first: all of them, or those of one clinic file
    (and one kind). Old-style names belong to no file in particular."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if m is None:
            if db_path is None and kind is None and _LEGACY.match(p.name):
                found.append(p)
            continue
        if db_path is not None and m.group("stem") != file_stem(db_path):
            continue
        if kind is not None and m.group("kind") != kind:
            continue
        found.append(p)
    return sorted(found, key=_order)


def backup_due(folder: Path, today: dt.date, *, db_path: Path) -> bool:
    """True when this clinic file has no daily backup from today (local date)."""
    stamp = f"{today:%Y%m%d}"
    return not any(_NAME.match(p.name).group("d") == stamp
                   for p in list_backups(folder, db_path=db_path, kind="daily"))


def prune_backups(folder: Path, keep: int, *, db_path: Path, kind: str) -> list[Path]:
    """Delete all but the newest `keep` backups of one clinic file and one kind."""
    backups = list_backups(folder, db_path=db_path, kind=kind)
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


def _copy_failure(exc: BaseException, source_path: Path, target: Path) -> StorageError:
    """Say which side failed: a full or read-only backup folder, or a damaged source."""
    about_target = translate(exc, target.parent)
    if isinstance(about_target, (DiskFullError, ReadOnlyLocationError)):
        return about_target
    about_source = translate(exc, source_path)
    if isinstance(about_source, (CorruptFileError, NotADatabaseError)):
        return type(about_source)(
            f"{source_path} could not be copied because it is damaged ({exc}); no backup was made "
            f"and {source_path} was not changed: restore an earlier backup with `taperdesk restore FILE`."
        )
    return about_source


def copy_database(source: sqlite3.Connection, target: Path, *, source_path: Path | None = None) -> None:
    """Copy via the backup API into `target` (a new 0600 file), left in
    rollback-journal mode so the copy is one self-contained file; checked with
    quick_check. The partial file is removed on any failure."""
    partial = files.partial_name(target)
    partial.unlink(missing_ok=True)
    files.create_private(partial)
    try:
        dest = sqlite3.connect(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    try:
        try:
            source.backup(dest)
        except DB_ERRORS as exc:
            raise _copy_failure(exc, source_path or target, target) from None
        dest.execute("PRAGMA journal_mode=DELETE")
        result = dest.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":  # the pages came across as they are: the damage is in the source
            where = source_path or target
            raise CorruptFileError(
                f"{where} is damaged (its copy fails SQLite's quick_check: {str(result)[:80]}); no backup was "
                f"made and {where} was not changed: restore an earlier backup with `taperdesk restore FILE`.")
    except BaseException:
        dest.close()
        partial.unlink(missing_ok=True)
        raise
    dest.close()
    try:
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _fsync_dir(target.parent)


def _free_name(folder: Path, db_path: Path, kind: str, moment: dt.datetime) -> Path:
    base = backup_name(db_path, kind, moment)
    target = folder / base
    n = 2
    while target.exists() or files.partial_name(target).exists():
        target = folder / base.replace(".sqlite", f"-{n}.sqlite")
        n += 1
    return target


def backup_connection(source: sqlite3.Connection, source_path: Path, folder: Path,
                      *, kind: str = "manual", now: dt.datetime | None = None) -> Path:
    """Back up an open connection into `folder` under a name giving its clinic
    file, its kind (daily or manual) and the time."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    moment = now or dt.datetime.now()
    try:
        files.private_folder(folder)
        target = _free_name(folder, source_path, kind, moment)
        copy_database(source, target, source_path=source_path)
    except DB_ERRORS as exc:
        raise _copy_failure(exc, source_path, folder / "x") from None
    except OSError as exc:
        if files.low_space(folder):
            raise DiskFullError(f"The disk holding {folder} is full; no backup of {source_path} was made: "
                                f"free some space (or back up to another disk with --to), then try again.") from None
        raise StorageError(f"Could not write a backup of {source_path} in {folder}: {exc.strerror}.") from None
    return target


def backup_file(db_path: Path, folder: Path, *, kind: str = "manual", now: dt.datetime | None = None) -> Path:
    """Back up a clinic file that this process has not opened (the CLI path)."""
    info = inspect_file(db_path, quick_check=False)
    if not info.exists or info.schema_version == 0:
        state = "is empty: 0 bytes" if info.exists else "does not exist"
        raise NotADatabaseError(f"There is no clinic in {db_path} to back up (the file {state}); check --db PATH.")
    try:
        source = sqlite3.connect(read_only_uri(db_path), uri=True)
    except sqlite3.Error as exc:
        raise translate(exc, db_path) from None
    try:
        return backup_connection(source, db_path, folder, kind=kind, now=now)
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


def _settle_wal(db_path: Path) -> None:
    """Fold a -wal left by a crash into the file that is about to be set aside,
    so the kept copy is whole in one file. A damaged file may refuse: then its
    -wal is kept aside beside it as it is."""
    if not db_path.with_name(db_path.name + "-wal").exists():
        return
    try:
        conn = sqlite3.connect(db_path)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass


def _link_or_copy(src: Path, dst: Path) -> None:
    """A second name for `src` (a hard link), or a copy where links are not
    supported (some USB disks); `src` itself is never moved."""
    try:
        os.link(src, dst)
    except OSError:
        tmp = files.partial_name(dst)
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)


def _aside_name(db_path: Path, now: dt.datetime | None) -> Path:
    stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    aside = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
    n = 2
    while aside.exists():
        aside, n = db_path.with_name(f"{db_path.name}.replaced-{stamp}-{n}"), n + 1
    return aside


def restore_backup(backup: Path, db_path: Path, *, now: dt.datetime | None = None) -> RestoreReport:
    """Replace db_path by a checked copy of `backup`; the old file is kept aside.

    Order (each step leaves the clinic file's name holding a whole file):
    check the backup; copy it to `FILE.restoring` (fsynced); give the old file a
    second name `FILE.replaced-DATE` (with its -wal/-shm); drop the old -wal/-shm;
    one os.replace puts the copy in place."""
    from taperdesk.storage.paths import refuse_special

    backup, db_path = Path(backup), refuse_special(Path(db_path), "clinic file")
    info = inspect_file(backup, quick_check=True)
    if not info.exists or info.schema_version == 0:
        raise NotADatabaseError(f"{backup} is not a TaperDesk backup (missing or empty); nothing was changed.")
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise StorageError(f"{backup} is the clinic file itself; choose a backup file.")
    files.private_folder(db_path.parent)
    lock = acquire(db_path)  # refuses while TaperDesk has the file open
    incoming = db_path.with_name(db_path.name + ".restoring")
    try:
        source = sqlite3.connect(read_only_uri(backup), uri=True)
        try:
            copy_database(source, incoming, source_path=backup)
        except DB_ERRORS as exc:
            raise translate(exc, backup) from None
        finally:
            source.close()
        aside = None
        if db_path.exists():
            _settle_wal(db_path)
            aside = _aside_name(db_path, now)
            _link_or_copy(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    _link_or_copy(side, aside.with_name(aside.name + suffix))
            _fsync_dir(db_path.parent)
            for suffix in ("-wal", "-shm"):  # they belong to the old file, now kept aside
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(incoming, db_path)
        _fsync_dir(db_path.parent)
    finally:
        try:
            incoming.unlink(missing_ok=True)
        finally:
            lock.release()
    return RestoreReport(backup, db_path, info.schema_version, aside)
