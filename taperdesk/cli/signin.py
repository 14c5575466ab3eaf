"""Signing a command: every command that reads a patient's record out of the
clinic file or writes one in (handout, export-csv, export-ics, export-patient,
import-patient) names a clinician with --clinician NAME, whose password comes
from $TAPERDESK_PASSWORD (for scripts) or a prompt on the terminal. Without a
terminal and without the variable the command stops with one line saying so
(it used to end in EOFError). Wrong passwords count towards the account's
refusal, as in the app (storage.verify_password)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import warnings

from taperdesk import storage
from taperdesk.cli.errors import UsageError
from taperdesk.storage.errors import PermissionDeniedError

PASSWORD_ENV = "TAPERDESK_PASSWORD"


def add_clinician_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--clinician", required=True, metavar="NAME",
                        help=f"who {what} (recorded); the password from ${PASSWORD_ENV} or a prompt")


def _has_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # stdin closed or replaced
        return False


def password_for(name: str) -> str:
    """The password from $TAPERDESK_PASSWORD, else asked on the terminal."""
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not _has_terminal():
        raise UsageError(f"no password for {name!r}: set {PASSWORD_ENV}, or run the command in a terminal "
                         f"to be asked for it")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)  # never echo a password
            return getpass.getpass(f"Password for {name}: ")
    except (EOFError, KeyboardInterrupt, getpass.GetPassWarning, OSError):
        raise UsageError(f"no password was typed for {name!r}; nothing was done") from None


def sign_in(name: str, operation: str) -> storage.Clinician:
    """The clinician `name`, signed in with their password (the clinic file is
    open) and allowed `operation` (core.roles; checked by the clinic layer).
    A throttled account raises SignInThrottledError (a StorageError: one line);
    a role that may not, or a password reset and not yet changed, is refused in
    one line, and audited as a refused sign-in before anything says "signed in"."""
    from taperdesk.clinic.permissions import require

    if not name.strip():
        raise UsageError("--clinician: give the name you sign in with")

    def admit(clinician: storage.Clinician) -> None:
        if clinician.must_change_password:
            raise _Reset(f"The password of {clinician.name} was reset: sign in to the app once to choose a new "
                         "one (nothing was done).")
        require(operation, clinician)

    try:
        clinician = storage.verify_password(name=name, password=password_for(name), admit=admit)
    except _Reset as exc:
        raise UsageError(str(exc)) from None
    except PermissionDeniedError as exc:
        raise UsageError(f"{exc} Nothing was done.") from None
    if clinician is None:
        raise UsageError(f"Wrong name or password for {name!r}.")
    return clinician


class _Reset(PermissionDeniedError):
    """A password reset by an administrator: the app must be used once to choose a new one."""
