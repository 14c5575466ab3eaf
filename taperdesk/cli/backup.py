"""`taperdesk backup [--to DIR]`: a consistent copy of the clinic file, made with
SQLite's online backup API (safe while the app is open elsewhere)."""

from __future__ import annotations

import argparse

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors, user_path
from taperdesk.storage import backup_now


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="back up the clinic file",
                       description="Write a timestamped, checked copy of the clinic file.")
    add_db_option(p)
    p.add_argument("--to", metavar="DIR", help="folder for the backup (default: 'backups' beside the file)")


def run(args: argparse.Namespace) -> int:
    with storage_errors():
        target = backup_now(db_path=db_path(args), to=user_path(args.to, "--to") if args.to else None)
    print(f"Backed up {db_path(args)} to {target}")
    return 0
