"""What the storage commands share: the `--db PATH` option (else $TAPERDESK_DB,
else the user data folder) and turning storage failures into one-line usage
errors (exit status 2), never a traceback."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from taperdesk import storage
from taperdesk.cli.errors import UsageError
from taperdesk.storage.errors import AlreadyOpenError, StorageError
from taperdesk.storage.paths import ENV_VAR, expand, resolve_db_path


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help=f"the clinic file (default: ${ENV_VAR}, else the user data folder)")


def db_path(args: argparse.Namespace) -> Path:
    try:
        return resolve_db_path(args.db)
    except StorageError as exc:
        raise UsageError(f"--db {exc}") from None


def user_path(text: str, flag: str = "") -> Path:
    """A path from the command line with `~` expanded (`~nobody` is one line, not a traceback)."""
    try:
        return expand(text)
    except StorageError as exc:
        raise UsageError(f"{flag} {exc}".strip()) from None


@contextmanager
def storage_errors() -> Iterator[None]:
    """StorageErrors (and file errors) become UsageError: one line, exit 2."""
    try:
        yield
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise UsageError(f"cannot use{where}: {exc.strerror or exc}") from None
    except RuntimeError as exc:  # Path.expanduser on "~someone" who does not exist
        if "home directory" not in str(exc):
            raise
        raise UsageError(f"cannot use that path ({exc}): write the clinic file's full path") from None


@contextmanager
def clinic_read_only(args: argparse.Namespace) -> Iterator[Path]:
    """The clinic file open read-only for a command that only reads (today, verify):
    refused in one line if there is none; closed however the command ends."""
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    with storage_errors():
        storage.open_database(path, read_only=True)
        try:
            yield path
        finally:
            storage.close_database()


def open_for_reading_out(path: Path) -> bool:
    """Open the clinic file for a command that only reads patients out (an
    export): for writing when it can, so the sign-in and the export are recorded
    in the audit trail; read-only when TaperDesk has it open elsewhere (then
    nothing is recorded, and False is returned so the command can say so)."""
    try:
        storage.open_database(path)
        return True
    except AlreadyOpenError:
        storage.open_database(path, read_only=True)
        return False


NOT_RECORDED = "note: {path} is open in TaperDesk elsewhere; this export was not recorded in the audit trail."
