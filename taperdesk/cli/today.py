"""`taperdesk today [--date YYYY-MM-DD] [--format table|json|csv]`: the clinic's
day list, the same one the app's Today view shows (clinic.today.today_list).
The clinic file is opened read-only, so this works while the app has it open;
on such a file nothing is kept, and rows the app has not yet rolled for the
day are worked out for this answer."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date

from taperdesk.cli.dbargs import add_db_option, clinic_read_only
from taperdesk.cli.errors import UsageError

FIELDS = ("group", "identifier", "name", "phone", "what", "evidence", "when", "tab")


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="who needs the clinician today, across the whole clinic",
                       description="Flares, dose changes today or tomorrow (and what to tell the patient), "
                                   "reviews due, paused plans waiting, plans ending this week.")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day to list (default: today)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="table (default, to read), json or csv (one row per item)")
    add_db_option(p)


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date: write YYYY-MM-DD, e.g. --date 2026-12-01") from None


def _rows(listing) -> list[dict]:
    from taperdesk.clinic.today import GROUPS

    return [{"group": GROUPS[i.group], "identifier": i.identifier, "name": i.name, "phone": i.phone,
             "what": i.what, "evidence": i.evidence, "when": i.when.isoformat() if i.when else "", "tab": i.tab}
            for i in listing.items]


def render_table(listing) -> str:
    """The day list as a reader reads it: counts first, then each group."""
    from taperdesk.clinic.today import GROUPS

    counts = listing.counts()
    lines = [f"Today: {listing.day.isoformat()}, {listing.patients()} patients need the clinician",
             "  ".join(f"{GROUPS[k].split(':')[0]}: {n}" for k, n in counts.items()), ""]
    for key, title in GROUPS.items():
        group = listing.group(key)
        if not group:
            continue
        lines.append(f"{title} ({len(group)})")
        for i in group:
            lines.append(f"  {i.identifier:<12} {i.name:<28} {i.phone:<14} {i.what}")
            if i.evidence:
                lines.append(f"  {'':<12} {'':<28} {'':<14} {i.evidence}")
        lines.append("")
    if not listing.items:
        lines.append("Nobody needs the clinician today.")
    return "\n".join(lines).rstrip() + "\n"


def run(args: argparse.Namespace) -> int:
    day = _day(args.date)
    from taperdesk.clinic.today import GROUPS, today_list

    with clinic_read_only(args):
        listing = today_list(day=day)
    if args.format == "json":
        doc = {"date": day.isoformat(), "counts": {GROUPS[k]: n for k, n in listing.counts().items()},
               "items": _rows(listing)}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_rows(listing))
        print(out.getvalue(), end="")
    else:
        print(render_table(listing), end="")
    return 0
