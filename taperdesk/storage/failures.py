"""Turn SQLite's terse errors into StorageErrors that name the file and say what
to do. Every path into SQLite (open, check, write, backup) goes through here, so
a full disk or a damaged file reads the same wherever it is met."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee

from taperdesk.storage.files import low_space
from taperdesk.storage.errors import (
    RESTORE_HINT,
    CorruptFileError,
    DiskFullError,
    NotADatabaseError,
    ReadOnlyLocationError,
    StorageError,
)


def translate(exc: BaseException, path: Path | str) -> StorageError:
    """The StorageError to raise for a sqlite3 or peewee database error on `path`.

    When SQLite rolls a transaction back by itself (a full disk does), peewee's own
    rollback then fails with "no transaction is active" and the real cause is only
    in the exception's context: so the chain is searched for the first known cause.
    """
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__context__
    for candidate in chain:
        found = _known(candidate, path)
        if found is not None:
            return found
    return StorageError(f"{path}: database error: {exc}")


def _known(exc: BaseException, path: Path | str) -> StorageError | None:
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, UnicodeDecodeError):  # SQLite handed back text that is not UTF-8: flipped bytes
        return CorruptFileError(
            f"{path} is damaged (some of its text is not readable: {exc.reason} at byte {exc.start}); "
            f"nothing was changed: {RESTORE_HINT}."
        )
    text = str(exc).lower()
    if "database or disk is full" in text:
        return DiskFullError(
            f"The disk holding {path} is full; the last change was not saved and nothing "
            f"was overwritten: free some space, then try again."
        )
    if "file is not a database" in text or "file is encrypted" in text:
        return NotADatabaseError(
            f"{path} is not a TaperDesk file (not a readable SQLite database); nothing was "
            f"changed: check the path, or {RESTORE_HINT}."
        )
    if "malformed" in text or "corrupt" in text:
        return CorruptFileError(
            f"{path} is damaged ({exc}); nothing was changed: {RESTORE_HINT}."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyLocationError(
            f"{path} cannot be written (the file or its folder is read-only): move it to a "
            f"writable folder, or open it read-only."
        )
    if "unable to open database file" in text:
        return ReadOnlyLocationError(
            f"Cannot open {path}: the file or its folder is missing or read-only; choose a "
            f"writable folder with --db PATH or TAPERDESK_DB."
        )
    if "disk i/o error" in text and low_space(Path(path)):
        return DiskFullError(
            f"The disk holding {path} is full (SQLite could not write: disk I/O error); the last "
            f"change was not saved and nothing was overwritten: free some space, then try again."
        )
    if "disk i/o error" in text:
        return CorruptFileError(
            f"Reading or writing {path} failed (disk I/O error): check the disk; if the file "
            f"is damaged, {RESTORE_HINT}."
        )
    if "database is locked" in text:
        return StorageError(
            f"{path} is busy (another program is writing it); try again in a moment."
        )
    return None


# UnicodeDecodeError: SQLite returns a damaged schema or row as bytes Python cannot
# decode (one flipped byte in the schema text did this in every command).
DB_ERRORS = (sqlite3.Error, peewee.DatabaseError, peewee.InterfaceError, UnicodeDecodeError)
