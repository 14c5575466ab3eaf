"""Look at a clinic file before opening it for writing: is it SQLite, is it ours,
which schema version, does `PRAGMA quick_check` pass. Done on a read-only
connection with no pragmas, so a file we refuse is left byte-for-byte untouched
(setting WAL mode would already rewrite its header)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from taperdesk.storage.errors import (
    RESTORE_HINT,
    CorruptFileError,
    NewerFileError,
    NotADatabaseError,
    ReadOnlyLocationError,
)
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.migrations import APPLICATION_ID, LATEST_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileInfo:
    path: Path
    exists: bool
    schema_version: int = 0  # 0: empty or new file


def read_only_uri(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"  # percent-encoded, like pathname2url, without importing urllib


def inspect_file(path: Path, *, quick_check: bool = True) -> FileInfo:
    """Check `path` without changing it; raise a StorageError naming the problem."""
    path = Path(path)
    if not path.exists():
        return FileInfo(path, exists=False)
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a TaperDesk file: give the file's path.")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except PermissionError:
        raise ReadOnlyLocationError(f"{path} cannot be read (permission denied).") from None
    if not header:
        return FileInfo(path, exists=True)
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise NotADatabaseError(
            f"{path} is not a TaperDesk file (not a SQLite database); nothing was changed: "
            f"check the path, or {RESTORE_HINT}."
        )
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except DB_ERRORS as exc:
        raise translate(exc, path) from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        # the schema's text read whole (a few KB): damage there is refused on every open, even
        # when the whole-file check is left to the first open of the day's worker
        tables = len(conn.execute("SELECT name, sql FROM sqlite_master").fetchall())
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            raise NotADatabaseError(
                f"{path} is a SQLite database but not a TaperDesk clinic file; nothing was "
                f"changed: check the path."
            )
        if version > LATEST_VERSION:
            raise NewerFileError(path, version, LATEST_VERSION)
        if quick_check:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
            if rows != ["ok"]:
                lines = [ln for ln in "\n".join(rows).splitlines() if ln and not ln.startswith("***")]
                detail = (lines or ["failed"])[0][:100]
                raise CorruptFileError(
                    f"{path} is damaged (SQLite quick_check: {detail}); nothing was changed: "
                    f"{RESTORE_HINT}."
                )
        return FileInfo(path, exists=True, schema_version=version)
    except DB_ERRORS as exc:
        raise translate(exc, path) from None
    finally:
        conn.close()
