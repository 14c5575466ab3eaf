"""Start-up of the desktop app: open the clinic file (or a fresh demo clinic),
sign in, show the workspace. Every refusal to open is a modal dialog that says
which file and what to do (ui.refusals), leaves the file as it was, and ends
with exit status 2. Bad arguments are one line and exit status 2."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from taperdesk import storage
from taperdesk.ui.refusals import open_clinic


class BadArguments(Exception):
    """The app's command line was wrong: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise BadArguments(message)


def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog="taperdesk", description="Open the TaperDesk desktop app.")
    parser.add_argument("--db", help="the clinic file (default: $TAPERDESK_DB or the user data folder)")
    parser.add_argument("--demo", action="store_true", help="open a fresh demo clinic in a temporary folder")
    parser.add_argument("--read-only", action="store_true", help="open the clinic file without changing it")
    parser.add_argument("--new", action="store_true",
                        help="start a new clinic in --db PATH if that file is missing or empty")
    args = parser.parse_args(argv)
    if args.new and args.read_only:
        raise BadArguments("--new and --read-only do not go together: a new clinic must be written")
    return args


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName("TaperDesk")
    app.setApplicationName("TaperDesk")
    return app


def _splash(text: str):
    """Say what is happening while the file opens (a migration of a large clinic takes a while)."""
    from PySide6.QtWidgets import QLabel

    label = QLabel(text)
    label.setMargin(24)
    label.setWindowTitle("TaperDesk")
    label.show()
    QApplication.processEvents()
    return label


def sign_in(hint: str = "") -> storage.Clinician | None:
    """A new clinic file is set up first (clinic, stock, first account); else sign in."""
    from taperdesk.ui.signin import SignInDialog

    if not storage.has_clinicians():
        from taperdesk.ui.first_run import FirstRunWizard

        dialog = FirstRunWizard()
    else:
        dialog = SignInDialog(hint=hint)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.clinician is None:
        return None
    clinician = dialog.clinician
    if clinician.must_change_password:  # reset by an administrator: their own password before anything else
        from taperdesk.ui.accounts import PasswordDialog

        change = PasswordDialog(author=clinician, mode="forced")
        if change.exec() != QDialog.DialogCode.Accepted or change.saved is None:
            return None
        clinician = change.saved
    return clinician


def run_gui(argv: list[str]) -> int:
    try:
        args = parse_gui_args(argv)
    except BadArguments as exc:
        print(f"taperdesk: {exc}", file=sys.stderr)
        return 2
    app = _application(argv)
    hint = ""
    if args.demo:
        demo = storage.make_demo(Path(tempfile.mkdtemp(prefix="taperdesk-demo-")) / "demo.sqlite")
        path = demo.path
        hint = f"Demo clinic: sign in as '{demo.clinician}' with password {demo.password}"
        print(hint)
    else:
        try:
            path = storage.resolve_db_path(args.db)
        except storage.StorageError as exc:  # --db ~nobody
            print(f"taperdesk: --db {exc}", file=sys.stderr)
            return 2
    from taperdesk.ui.errors import install_error_handling

    uninstall = install_error_handling(path.parent / "taperdesk.log")
    try:
        return _open_and_run(app, path, args, hint)
    finally:
        uninstall()


def _opening_words(path: Path) -> str:
    """What the splash says: an upgrade of a large clinic's file takes a minute or two, once."""
    from taperdesk.storage.fileinfo import inspect_file
    from taperdesk.storage.migrations import LATEST_VERSION

    try:
        version = inspect_file(path, quick_check=False).schema_version
    except storage.StorageError:  # open_clinic says what is wrong
        version = 0
    if 0 < version < LATEST_VERSION:
        return (f"Upgrading {path.name} for this version of TaperDesk (once; a backup is made first, "
                f"and a large clinic takes a minute or two)…")
    return f"Opening {path.name}…"


def after_shown(window, opened: storage.OpenDatabase) -> None:
    """The first open of the day: the backup, its check and the record check run
    on a worker now that the window is up (ui.daily_upkeep). A file just
    migrated was backed up before the upgrade: only its records are checked."""
    if opened.daily_due:
        from taperdesk.ui.daily_upkeep import start_daily_upkeep

        start_daily_upkeep(window)
    elif opened.backup is not None:
        window.start_record_check()


def _open_and_run(app: QApplication, path: Path, args: argparse.Namespace, hint: str) -> int:
    splash = _splash(f"Opening the {path.name}…" if storage.is_server(path) else _opening_words(path))
    opened = open_clinic(path, read_only=args.read_only, new=args.new)
    splash.close()
    if opened is None:
        return 2
    from taperdesk.ui.lost_file import watch_for_lost_file

    stop_watching = watch_for_lost_file()
    for warning in opened.warnings:
        QMessageBox.warning(None, "TaperDesk", warning)
    clinician = sign_in(hint)
    if clinician is None:
        stop_watching()
        storage.close_database()
        return 0
    from taperdesk.ui.workspace import Workspace

    window = Workspace(clinician=clinician, read_only=opened.read_only)
    window.show()
    after_shown(window, opened)
    code = app.exec()
    stop_watching()
    storage.close_database()
    return code
