"""A screenshot of the Today view on any clinic file (the README shows the demo
clinic's and the 10,000-patient bench clinic's):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_today.py \
        --db bench/out/clinic.sqlite --out docs/screenshots/today-10k.png
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from taperdesk import storage
from taperdesk.storage.paths import resolve_db_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("TaperDesk-screenshots")
    app.setApplicationName("TaperDesk")
    storage.open_database(resolve_db_path(args.db), auto_backup=False)  # a file or postgresql:// URL
    from taperdesk.ui.workspace import Workspace

    began = time.perf_counter()
    window = Workspace(clinician=storage.list_clinicians()[0])
    window.resize(1366, 768)
    window.show()
    for _ in range(5):
        app.processEvents()
    print(f"workspace with the Today view shown in {(time.perf_counter() - began) * 1000:.0f} ms")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(args.out)
    listing = window.today_view.model.opening
    print(f"wrote {args.out}: {listing.patients} patients, {listing.counts()}")
    window.close()
    storage.close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
