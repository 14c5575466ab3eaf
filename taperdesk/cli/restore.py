"""`taperdesk restore FILE`: check a backup (SQLite quick_check, schema version),
keep the current clinic file aside under a dated name, put the backup in place,
and say what was done. With `--db postgresql://...` the FILE is a server backup
(pg_dump) restored with pg_restore into an empty database, then verified."""

from __future__ import annotations

import argparse

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors, user_path
from taperdesk.storage import restore_backup
from taperdesk.storage.paths import is_server


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="restore the clinic file from a backup",
                       description="Replace the clinic file by a checked backup; the old file is kept aside.")
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    place = db_path(args)
    with storage_errors():
        if is_server(place):
            from taperdesk.storage.server_backup import restore

            lines = restore(user_path(args.file), place)
        else:
            lines = restore_backup(user_path(args.file), place).lines()
    for line in lines:
        print(line)
    return 0
