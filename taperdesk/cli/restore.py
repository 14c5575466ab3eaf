"""`taperdesk restore FILE`: check a backup (SQLite quick_check, schema version),
keep the current clinic file aside under a dated name, put the backup in place,
and say what was done."""

from __future__ import annotations

import argparse

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors, user_path
from taperdesk.storage import restore_backup


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="restore the clinic file from a backup",
                       description="Replace the clinic file by a checked backup; the old file is kept aside.")
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    with storage_errors():
        report = restore_backup(user_path(args.file), db_path(args))
    for line in report.lines():
        print(line)
    return 0
