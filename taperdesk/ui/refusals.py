"""What the app says when it cannot open the clinic file at start-up. Each kind
of refusal is a modal dialog that says what happened to which file and what to
do about it (open it read-only where that works, restore a backup, choose
another file, upgrade TaperDesk). Returning None means "do not go on": the
caller exits cleanly with status 2. Before, these refusals ended the app with
nothing on screen.

A missing or empty file is a new clinic only after the person says so here
(or started the app with --new)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from taperdesk import storage
from taperdesk.storage import errors
from taperdesk.storage.backup import list_backups
from taperdesk.storage.paths import default_backup_dir

TITLE = "TaperDesk cannot open the clinic file"


def _box(icon: QMessageBox.Icon, text: str, detail: str, buttons: list[tuple[str, QMessageBox.ButtonRole]],
         default: int = 0):
    """A modal box with the given buttons; returns the text of the one pressed."""
    box = QMessageBox(icon, TITLE, text)
    box.setInformativeText(detail)
    made = {box.addButton(label, role): label for label, role in buttons}
    box.setDefaultButton(list(made)[default])
    box.exec()
    return made.get(box.clickedButton(), "")


def _restore_advice(path: Path) -> str:
    newest = list_backups(default_backup_dir(path), db_path=path)
    if newest:
        return (f"To go back to the newest backup, close TaperDesk and run:\n"
                f"taperdesk restore \"{newest[-1]}\" --db \"{path}\"\n"
                f"(the damaged file is kept aside, not deleted).")
    return ("There is no backup beside this file. If you keep backups elsewhere (an external disk), "
            f"restore one with: taperdesk restore BACKUP --db \"{path}\".")


QUIT = ("Quit", QMessageBox.ButtonRole.RejectRole)
READ_ONLY = ("Open read-only", QMessageBox.ButtonRole.AcceptRole)


def ask_new_clinic(path: Path) -> bool:
    """The file is missing or empty: start a new clinic there only if asked."""
    empty = path.is_file()
    what = (f"The clinic file {path} is empty (0 bytes)." if empty
            else f"There is no clinic file at {path}.")
    detail = ("If your clinic's records should be in this file, do not start a new clinic: "
              "quit, and restore a backup (taperdesk restore BACKUP) or choose the right file with --db PATH.\n\n"
              "Start a new, empty clinic in this file?")
    pressed = _box(QMessageBox.Icon.Question, what, detail,
                   [("Start a new clinic", QMessageBox.ButtonRole.AcceptRole), QUIT], default=1)  # Enter quits
    return pressed == "Start a new clinic"


def explain(path: Path, exc: errors.StorageError) -> str:
    """Show the refusal; returns "read-only" when the person chose to open the
    file read-only, else "" (quit)."""
    if isinstance(exc, errors.AlreadyOpenError):
        pressed = _box(QMessageBox.Icon.Warning, f"{path} is already open in TaperDesk.",
                       f"It is open on computer {exc.host} (process {exc.pid}). Only one TaperDesk may change "
                       f"the file at a time. You can open it read-only now (you can look, but not change "
                       f"anything), or quit and close the other TaperDesk first.", [READ_ONLY, QUIT])
        return "read-only" if pressed == READ_ONLY[0] else ""
    if isinstance(exc, errors.ReadOnlyLocationError) and path.is_file() and path.stat().st_size:
        pressed = _box(QMessageBox.Icon.Warning, f"{path} cannot be changed here.", str(exc) + "\n\nYou can "
                       "open it read-only now (look, not change), or quit and move the file to a folder you "
                       "can write to.", [READ_ONLY, QUIT])
        return "read-only" if pressed == READ_ONLY[0] else ""
    if isinstance(exc, (errors.ServerUnreachableError, errors.ServerRefusedError)):
        detail = ("Nothing was changed. Check the clinic server's address in --db or TAPERDESK_DB, that the "
                  "server is running and that this computer is on the clinic's network; ask whoever looks "
                  "after the server.")
    elif isinstance(exc, errors.NewerFileError):
        detail = ("Upgrade TaperDesk on this computer (ask whoever looks after it), or open the file on "
                  "the computer that wrote it.")
    elif isinstance(exc, errors.CorruptFileError):
        detail = "The file was not changed. " + _restore_advice(path)
    elif isinstance(exc, errors.NotADatabaseError):
        detail = ("This is not a TaperDesk clinic file. Choose another file: start TaperDesk with "
                  "--db PATH (or set TAPERDESK_DB) to the clinic file. Nothing was changed.")
    elif isinstance(exc, errors.NeedsUpgradeError):
        detail = "Open it once without --read-only so TaperDesk can bring it up to date (a backup is made first)."
    elif isinstance(exc, errors.NoClinicFileError):
        detail = "Check the path, or restore a backup with: taperdesk restore BACKUP --db PATH."
    else:
        detail = "Choose another file with --db PATH, or restore a backup with: taperdesk restore BACKUP."
    _box(QMessageBox.Icon.Critical, str(exc), detail, [QUIT])
    return ""


def open_clinic(path: Path, *, read_only: bool, new: bool) -> storage.OpenDatabase | None:
    """Open the clinic file, or explain why not and let the person choose."""
    try:
        return storage.open_database(path, read_only=read_only, create=new and not read_only, defer_daily=True)
    except errors.NoClinicFileError as exc:
        if read_only:
            explain(path, exc)
            return None
        if ask_new_clinic(path):
            return open_clinic(path, read_only=False, new=True)
        return None
    except errors.StorageError as exc:
        if explain(path, exc) == "read-only" and not read_only:
            return open_clinic(path, read_only=True, new=False)
    return None
