"""`taperdesk export-patient --id ID --out FILE.json`: one patient's whole record
in the portable format (docs/storage.md). Signed by a clinician (--clinician
NAME; the password from $TAPERDESK_PASSWORD or a prompt) and recorded in the
audit trail, unless the file is open in TaperDesk elsewhere (then it is read
read-only and a note says the export was not recorded). The JSON is written
0600 through a partial file that is removed if anything fails."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from taperdesk import storage
from taperdesk.cli.dbargs import (
    NOT_RECORDED,
    add_db_option,
    db_path,
    open_for_reading_out,
    storage_errors,
    user_path,
)
from taperdesk.cli.errors import UsageError
from taperdesk.cli.signin import add_clinician_option, sign_in
from taperdesk.storage import close_database, find_patient_by_identifier
from taperdesk.clinic.records import export_patient


def contents(document: dict) -> str:
    """'2 plans, 40 symptom entries, 3 other-medicine records, 1 support record'."""
    counts = [(len(document.get(key) or []), one, many) for key, one, many in (
        ("plans", "plan", "plans"), ("symptom_entries", "symptom entry", "symptom entries"),
        ("other_medicines", "other-medicine record", "other-medicine records"),
        ("support_agreed", "support record", "support records"))]
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="write a patient's whole record as JSON",
                       description="Export one patient (plans, revisions, symptoms, handouts, other medicines, "
                                   "support agreed) as portable JSON.")
    p.add_argument("--id", required=True, metavar="ID", help="the patient's clinic identifier")
    p.add_argument("--out", required=True, metavar="FILE.json", help="where to write (use - for stdout)")
    add_clinician_option(p, "exports it")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    out = None if args.out == "-" else user_path(args.out, "--out")
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        raise UsageError(f"--out {args.out}: give a file name in a folder that exists")
    with storage_errors():
        recorded = open_for_reading_out(path)
        try:
            clinician = sign_in(args.clinician, "export_patient")
            patient = find_patient_by_identifier(identifier=args.id)
            if patient is None:
                raise UsageError(f"No patient with identifier {args.id!r} in {path}.")
            document = export_patient(patient_id=patient.id, author=clinician)
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            def record() -> None:
                if recorded:
                    storage.record_export(patient_id=patient.id, author=clinician,
                                          summary=f"exported patient {patient.identifier} to {args.out} "
                                                  f"(command line)")
            if out is None:
                record()
                sys.stdout.write(text)
            else:
                storage.write_private(out, text.encode("utf-8"), then=record)
        finally:
            close_database()
    if not recorded:
        print(NOT_RECORDED.format(path=path), file=sys.stderr)
    if args.out != "-":
        print(f"Wrote patient {patient.identifier} ({contents(document)}) to {args.out}")
    return 0
