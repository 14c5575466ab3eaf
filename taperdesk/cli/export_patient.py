"""`taperdesk export-patient --id ID --out FILE.json`: one patient's whole record
in the portable format (docs/storage.md). The export is recorded in the audit
trail, unless the file is open in TaperDesk elsewhere (then it is read read-only
and a note says the export was not recorded)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors
from taperdesk.cli.errors import UsageError
from taperdesk.storage import audit, close_database, find_patient_by_identifier, open_database
from taperdesk.storage.connection import writing
from taperdesk.storage.errors import AlreadyOpenError
from taperdesk.storage.portable import export_patient


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="write a patient's whole record as JSON",
                       description="Export one patient (plans, revisions, symptoms, handouts) as portable JSON.")
    p.add_argument("--id", required=True, metavar="ID", help="the patient's clinic identifier")
    p.add_argument("--out", required=True, metavar="FILE.json", help="where to write (use - for stdout)")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    with storage_errors():
        try:
            open_database(path)
            recorded = True
        except AlreadyOpenError:
            open_database(path, read_only=True)
            recorded = False
        try:
            patient = find_patient_by_identifier(identifier=args.id)
            if patient is None:
                raise UsageError(f"No patient with identifier {args.id!r} in {path}.")
            document = export_patient(patient_id=patient.id)
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            if args.out == "-":
                sys.stdout.write(text)
            else:
                out = Path(args.out).expanduser()
                tmp = out.with_name(out.name + ".partial")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, out)
            if recorded:
                with writing():
                    audit.record(None, "export", "patient", patient.id,
                                 f"exported patient {patient.identifier} to {args.out} (command line, "
                                 f"user {getpass.getuser()})")
        finally:
            close_database()
    if not recorded:
        print(f"note: {path} is open in TaperDesk elsewhere; this export was not recorded in the audit trail.",
              file=sys.stderr)
    if args.out != "-":
        print(f"Wrote patient {patient.identifier} ({len(document['plans'])} plans, "
              f"{len(document['symptom_entries'])} symptom entries) to {args.out}")
    return 0
