"""Errors the storage layer raises. Each carries a one-line message written for
the person at the clinic (what happened to which file, and what to do), so the
CLI can print it as is and the GUI can show it in a dialog without a traceback."""

from __future__ import annotations

from pathlib import Path

RESTORE_HINT = "restore a backup with `taperdesk restore FILE`"


class StorageError(Exception):
    """Base class: str(exc) is one line meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)


class NotADatabaseError(StorageError):
    """The file exists but is not a SQLite database (or not a TaperDesk one)."""


class CorruptFileError(StorageError):
    """SQLite reports the file damaged (quick_check failed or malformed image)."""


class NewerFileError(StorageError):
    """The file was written by a newer TaperDesk; we refuse it and leave it untouched."""

    def __init__(self, path: Path, version: int, supported: int) -> None:
        super().__init__(
            f"{path} was written by a newer TaperDesk (file format {version}; this TaperDesk reads "
            f"formats up to {supported}); the file was not changed: upgrade TaperDesk to open it."
        )
        self.path, self.version, self.supported = path, version, supported


class NoClinicFileError(StorageError):
    """The clinic file is missing or empty (zero bytes) and the caller did not ask
    for a new clinic: an empty file is never silently made into an empty clinic,
    since that is how a lost or truncated file would go unnoticed."""


class ClinicFileChangedError(StorageError):
    """The open clinic file was deleted, moved or replaced by another file while
    TaperDesk had it open; nothing more is written (it would be lost)."""


class SignInThrottledError(StorageError):
    """Too many wrong passwords for one account: sign-in refused until a time."""


class NeedsUpgradeError(StorageError):
    """A read-only open of a file whose schema is older than ours (it cannot be migrated)."""


class ReadOnlyLocationError(StorageError):
    """The file or its folder cannot be written."""


class DiskFullError(StorageError):
    """SQLite reported 'database or disk is full'; the write was rolled back."""


class AlreadyOpenError(StorageError):
    """Another TaperDesk process holds the single-writer lock on this file."""

    def __init__(self, path: Path, host: str, pid: int) -> None:
        super().__init__(
            f"{path} is already open in TaperDesk on host {host} (process {pid}); "
            f"close it there, or open this file read-only."
        )
        self.path, self.host, self.pid = path, host, pid


class ServerUnreachableError(StorageError):
    """The clinic server did not answer (stopped, wrong host or port, network down)."""


class ServerRefusedError(StorageError):
    """The clinic server refused the user, the password or the database name."""


class NotOpenError(StorageError):
    """A repository function was called before open_database()."""


class ReadOnlyDatabaseError(StorageError):
    """A write was attempted on a database opened read-only."""


class NotFoundError(StorageError):
    """No row with the given id (or identifier)."""


class InvalidInputError(StorageError):
    """A value a repository function was given is not acceptable (say which and why)."""


class PermissionDeniedError(StorageError):
    """The author's role does not allow this action (staff may not plan, for example)."""
