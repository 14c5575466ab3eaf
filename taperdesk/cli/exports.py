"""`taperdesk export-ics --patient ID --out FILE.ics [--reminders]` and
`taperdesk export-csv --patient ID --out FILE.csv`: the patient's current plan
(newest revision) as a calendar or as one CSV row per day. Nothing is written
to the clinic file, so it is opened read-only (this works while TaperDesk has
it open elsewhere)."""

from __future__ import annotations

import argparse
from datetime import time

from taperdesk import storage
from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors
from taperdesk.cli.errors import UsageError
from taperdesk.cli.handout import find_patient, output_path, write_atomically
from taperdesk.clinic.paper import NoPlanError, handout_inputs
from taperdesk.core.regimen import TIMES
from taperdesk.core.schedule_text import plan_csv


def add_parser(sub, name: str) -> None:
    if name == "export-ics":
        p = sub.add_parser(name, help="write the current plan as a calendar (.ics)",
                           description="An all-day event on each day the doses change, on holds and on the stop "
                                       "day; with --reminders a daily reminder at each dose time.")
        p.add_argument("--out", required=True, metavar="FILE.ics", help="where to write the calendar")
        p.add_argument("--reminders", action="store_true", help="add a daily reminder at each dose time")
        p.add_argument("--time", action="append", default=[], metavar="TIME=HH:MM",
                       help="reminder time for a time of day (default "
                            "morning=08:00, midday=13:00, evening=18:00, night=22:00)")
    else:
        p = sub.add_parser(name, help="write the current plan's doses day by day as CSV",
                           description="One row per day of the current plan: date, step, each time's mg and "
                                       "tablets, diazepam-equivalent mg.")
        p.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the CSV")
    p.add_argument("--patient", required=True, metavar="ID", help="the patient's clinic identifier")
    add_db_option(p)


def _dose_times(items: list[str]) -> dict[str, time]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or key not in TIMES:
            raise UsageError(f"--time {item!r}: write TIME=HH:MM with TIME one of {', '.join(TIMES)}, "
                             f"e.g. --time night=22:30")
        try:
            out[key] = time.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(f"--time {item!r}: {value!r} is not a time; write HH:MM, e.g. 07:30") from None
    return out


def run(args: argparse.Namespace) -> int:
    ics = args.command == "export-ics"
    dose_times = _dose_times(args.time) if ics else None
    if ics and dose_times and not args.reminders:
        raise UsageError("--time sets reminder times: add --reminders")
    out = output_path(args.out, ".ics" if ics else ".csv")
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    with storage_errors():
        storage.open_database(path, read_only=True)
        try:
            patient = find_patient(args.patient, path)
            try:
                plan, revision, _patient, _clinic = handout_inputs(patient_id=patient.id, what="exported")
            except NoPlanError as exc:
                raise UsageError(str(exc)) from None
        finally:
            storage.close_database()
        if ics:
            from taperdesk.export.ics import plan_ics  # icalendar, loaded only for this command

            data = plan_ics(plan, patient_name=patient.name, reminders=args.reminders, dose_times=dose_times)
        else:
            data = plan_csv(plan).encode("utf-8")
        write_atomically(out, data)
    days = (plan.end - plan.start).days + 1
    print(f"Wrote {'the calendar' if ics else f'{days} days of doses'} of {patient.identifier}'s plan "
          f"(revision {revision.number}, {plan.start} to {plan.end}) to {out}.")
    return 0
