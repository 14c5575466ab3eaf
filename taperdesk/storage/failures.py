"""Turn SQLite's (and the clinic server's) terse errors into StorageErrors that
name the file or server and say what to do. Every path into the database (open,
check, write, backup) goes through here, so a full disk, a damaged file or an
unreachable server reads the same wherever it is met."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
import psycopg2

from taperdesk.storage.files import low_space
from taperdesk.storage.errors import (
    RESTORE_HINT,
    CorruptFileError,
    DiskFullError,
    NotADatabaseError,
    ReadOnlyLocationError,
    ServerRefusedError,
    ServerUnreachableError,
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
    server = _server_failure(text, path)
    if server is not None:
        return server
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


_UNREACHABLE = ("could not connect", "connection refused", "could not translate host name", "timeout expired",
                "server closed the connection", "terminating connection", "connection already closed",
                "no route to host", "network is unreachable", "the database system is")


def _server_failure(text: str, where) -> StorageError | None:
    """The clinic server's refusals, one line each (never the password: `where` prints without it)."""
    if "password authentication failed" in text or "no password supplied" in text or (
            "role" in text and "does not exist" in text):
        return ServerRefusedError(
            f"The clinic server refused the user name or password in {where}: check them in --db or "
            f"TAPERDESK_DB (ask whoever set up the server).")
    if "database" in text and "does not exist" in text:
        return ServerRefusedError(
            f"The clinic server has no such database ({where}): check the name, or ask whoever set up the "
            f"server to create it (README: a clinic with several rooms).")
    if "permission denied" in text and "postgresql" in str(where):
        return ServerRefusedError(
            f"The clinic server does not let this user change the clinic ({where}): ask whoever set up the "
            f"server to make it the database's owner.")
    if "read-only transaction" in text:
        return StorageError(f"{where} is open read-only; this change was not saved.")
    if any(part in text for part in _UNREACHABLE):
        return ServerUnreachableError(
            f"Cannot reach the clinic server ({where}); nothing was saved: check that the server is running "
            f"and this computer is on the clinic's network, then try again.")
    return None


# UnicodeDecodeError: SQLite returns a damaged schema or row as bytes Python cannot
# decode (one flipped byte in the schema text did this in every command).
DB_ERRORS = (sqlite3.Error, psycopg2.Error, peewee.DatabaseError, peewee.InterfaceError, UnicodeDecodeError)
