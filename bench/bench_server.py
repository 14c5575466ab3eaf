"""The storage and supervision benches on a clinic server: start a throw-away
PostgreSQL cluster (as the tests do: initdb in a temporary folder, an
unprivileged user when root), `move-to` the bench clinic file into it (timed,
checked table by table), then run bench_storage and bench_today against the
server with the SQLite targets. Prints target, median, max and pass/fail.

    python bench/bench_server.py --db bench/out/clinic.sqlite
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/pg_cluster.py
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_storage  # noqa: E402
import bench_today  # noqa: E402

from taperdesk.storage.errors import StorageError  # noqa: E402
from taperdesk.storage.paths import resolve_db_path  # noqa: E402
from taperdesk.storage.server_move import move_to_server  # noqa: E402
from tests import pg_cluster  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/clinic.sqlite", help="the clinic file to move to the server")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    source = Path(args.db)
    if not source.is_file():
        print(f"no clinic at {source}: run bench/make_clinic.py first", file=sys.stderr)
        return 2
    from taperdesk import storage

    storage.open_database(source, auto_backup=False)  # brought up to this TaperDesk's schema first
    storage.close_database()
    try:
        cluster = pg_cluster.start()
    except RuntimeError as exc:
        print(f"bench_server: FAIL: {exc}", file=sys.stderr)
        return 1
    try:
        url = cluster.create_database("bench")
        began = time.perf_counter()
        report = move_to_server(source=source, target=resolve_db_path(url))
        rows = sum(t.rows for t in report.tables)
        print(f"move-to: {source} ({source.stat().st_size / 1e6:.0f} MB, {rows} rows) copied and checked "
              f"identical in {time.perf_counter() - began:.1f} s")
        ok = bench_storage.main(["--db", url, "--runs", str(args.runs)]) == 0
        try:
            ok &= bench_today.main(["--db", url, "--runs", str(args.runs)]) == 0
        except StorageError as exc:  # a server that refuses the Today list's SQL: a FAIL line, not a traceback
            print(f"Today list on the server: FAIL ({exc})")
            ok = False
    finally:
        cluster.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
