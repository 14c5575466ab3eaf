"""`taperdesk new-clinic --db PATH --clinician NAME [--clinic-name TEXT]`: the one
headless way to start a clinic file (the app asks before it makes one). Every
other command refuses a missing or empty file, so a lost or truncated clinic
file is never silently replaced by an empty clinic. The first account is a
clinician; its password comes from $TAPERDESK_PASSWORD or a prompt."""

from __future__ import annotations

import argparse
import dataclasses

from taperdesk import storage
from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors
from taperdesk.cli.errors import UsageError
from taperdesk.cli.signin import password_for
from taperdesk.storage.paths import is_server


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="start a new, empty clinic file with its first clinician",
                       description="Create a new clinic file (refused where a file with a clinic already is) and its "
                                   "first clinician's account. Set the rest in the app's Clinic settings.")
    p.add_argument("--clinician", required=True, metavar="NAME",
                   help="the first clinician's name; the password from $TAPERDESK_PASSWORD or a prompt")
    p.add_argument("--clinic-name", default="", metavar="TEXT", help="the clinic's name, printed on every paper")
    add_db_option(p)


def _leave_as_found(companions, there_before) -> None:
    """A refused first account (short password, long name) must not leave a
    half-made clinic behind: the next `new-clinic` would refuse the file, and
    every other command would refuse it as a clinic with no one to sign in.
    Only files this command made are removed; an empty file that was already
    there (the one case `new-clinic` accepts) is emptied again."""
    for p in companions:
        if p in there_before:
            if p == companions[0]:
                p.write_bytes(b"")
        else:
            p.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    if not args.clinician.strip():
        raise UsageError("--clinician: give the first clinician's name")
    if is_server(path):
        pass  # the server says whether the database is empty (open_database refuses one with tables)
    elif path.is_dir():
        raise UsageError(f"--db {path}: that is a folder; give a file name such as {path / 'clinic.sqlite'}")
    elif path.exists() and path.stat().st_size > 0:
        raise UsageError(f"{path} already holds a file: choose a new file name (nothing was changed)")
    elif not path.parent.is_dir():
        raise UsageError(f"--db {path}: the folder {path.parent} does not exist")
    password = password_for(args.clinician)
    companions = [] if is_server(path) else [
        path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal", ".lock")]
    there_before = {p for p in companions if p.exists()}
    done = False
    try:
        with storage_errors():
            storage.open_database(path, create=True, auto_backup=False)
            try:
                if storage.has_clinicians():
                    raise UsageError(f"{path} already has a clinic: nothing was changed")
                clinician = storage.add_clinician(name=args.clinician, role="administrator,prescriber",
                                                  password=password)
                if args.clinic_name.strip():
                    settings = storage.get_clinic_settings()
                    storage.save_clinic_settings(
                        settings=dataclasses.replace(settings, name=args.clinic_name.strip()), author=clinician)
            finally:
                storage.close_database()
        done = True
    finally:
        if not done:
            _leave_as_found(companions, there_before)
    where = f"in the {path.name}" if is_server(path) else "file"
    print(f"Created a new clinic {where} {path} with the clinician account {clinician.name!r}; "
          f"set the clinic's phone, prescribers, country and stock in the app (File > Clinic settings).")
    return 0
