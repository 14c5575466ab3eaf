"""Start-up of the desktop app: open the clinic file (or a fresh demo clinic),
sign in, show the workspace. Every refusal to open says which file and what
to do, and leaves the file as it was."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from taperdesk import storage


def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="taperdesk", description="Open the TaperDesk desktop app.")
    parser.add_argument("--db", help="the clinic file (default: $TAPERDESK_DB or the user data folder)")
    parser.add_argument("--demo", action="store_true", help="open a fresh demo clinic in a temporary folder")
    parser.add_argument("--read-only", action="store_true", help="open the clinic file without changing it")
    return parser.parse_args(argv)


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName("TaperDesk")
    app.setApplicationName("TaperDesk")
    return app


def open_clinic(path: Path, read_only: bool) -> storage.OpenDatabase | None:
    """Open the file, offering read-only when another TaperDesk has it open."""
    try:
        return storage.open_database(path, read_only=read_only)
    except storage.AlreadyOpenError as exc:
        answer = QMessageBox.question(None, "TaperDesk", f"{exc}\n\nOpen it read-only now?")
        if answer == QMessageBox.StandardButton.Yes:
            return open_clinic(path, True)
    except storage.StorageError as exc:
        QMessageBox.critical(None, "TaperDesk cannot open the clinic file", str(exc))
    return None


def _splash(text: str):
    """Say what is happening while the file is checked: the daily check of a large clinic takes a second or two."""
    from PySide6.QtWidgets import QLabel

    label = QLabel(text)
    label.setMargin(24)
    label.setWindowTitle("TaperDesk")
    label.show()
    QApplication.processEvents()
    return label


def sign_in(hint: str = "") -> storage.Clinician | None:
    from taperdesk.ui.signin import FirstClinicianDialog, SignInDialog

    dialog = FirstClinicianDialog() if not storage.has_clinicians() else SignInDialog(hint=hint)
    return dialog.clinician if dialog.exec() == QDialog.DialogCode.Accepted else None


def run_gui(argv: list[str]) -> int:
    args = parse_gui_args(argv)
    app = _application(argv)
    hint = ""
    if args.demo:
        demo = storage.make_demo(Path(tempfile.mkdtemp(prefix="taperdesk-demo-")) / "demo.sqlite")
        path = demo.path
        hint = f"Demo clinic: sign in as '{demo.clinician}' with password {demo.password}"
        print(hint)
    else:
        path = storage.resolve_db_path(args.db)
    from taperdesk.ui.errors import install_error_handling

    install_error_handling(path.parent / "taperdesk.log")
    splash = _splash(f"Opening {path.name}… (the first start of the day checks the file and makes a backup)")
    opened = open_clinic(path, args.read_only)
    splash.close()
    if opened is None:
        return 2
    for warning in opened.warnings:
        QMessageBox.warning(None, "TaperDesk", warning)
    clinician = sign_in(hint)
    if clinician is None:
        return 0
    from taperdesk.ui.workspace import Workspace

    window = Workspace(clinician=clinician, read_only=opened.read_only)
    window.show()
    if opened.backup is not None:  # the first open of the day: check every record, in the background
        window.start_record_check()
    code = app.exec()
    storage.close_database()
    return code
