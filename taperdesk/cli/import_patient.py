"""`taperdesk import-patient FILE.json --clinician NAME`: read a patient exported
by `export-patient` into this clinic file, all or nothing. The importing
clinician signs the import: the password comes from $TAPERDESK_PASSWORD or a prompt."""

from __future__ import annotations

import argparse
from pathlib import Path

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors, user_path
from taperdesk.cli.errors import UsageError
from taperdesk.cli.export_patient import contents
from taperdesk.cli.signin import sign_in
from taperdesk.storage import close_database, open_database
from taperdesk.clinic.records import import_patient
from taperdesk.storage.portable_checks import load_document


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="read a patient record written by export-patient",
                       description="Import one patient's record (portable JSON) into the clinic file.")
    p.add_argument("file", metavar="FILE.json")
    p.add_argument("--clinician", required=True, metavar="NAME", help="the clinician importing it")
    add_db_option(p)


def _document(path: Path) -> dict:
    """The file read and parsed within the size and depth limits (storage.portable_checks)."""
    with storage_errors():
        return load_document(path)


def run(args: argparse.Namespace) -> int:
    document = _document(user_path(args.file))
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    with storage_errors():
        open_database(path)
        try:
            clinician = sign_in(args.clinician, "import_patient")
            patient = import_patient(document=document, author=clinician)
        finally:
            close_database()
    print(f"Imported patient {patient.identifier} ({patient.name}) into {path} as patient {patient.id}: "
          f"{contents(document)}.")
    return 0
