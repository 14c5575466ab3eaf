"""Working side by side on several workstations (issue 14 part 3): opening a
patient for editing holds them for this session (storage.patient_locks); a
patient another workstation holds is shown read-only with who has it ("in use
by Dr X on ROOM-2 since 10:02"), and every operation on that patient is
refused here until they close it, sign out or lose their connection. The app
polls `changes_since` to show what the others saved within seconds."""

from __future__ import annotations

from dataclasses import dataclass

from taperdesk import storage
from taperdesk.core import roles
from taperdesk.storage import patient_locks
from taperdesk.storage.patient_locks import HEARTBEAT_S, STALE_S, Holder

__all__ = ["HEARTBEAT_S", "STALE_S", "Holder", "InUseError", "check_not_held", "change_mark", "holder",
           "keep_alive", "open_for_editing", "release", "release_all"]


class InUseError(Exception):
    """The patient is open for editing on another workstation."""


@dataclass(frozen=True)
class Opened:
    patient_id: int
    held_elsewhere: Holder | None  # None: this workstation may edit

    @property
    def editable(self) -> bool:
        return self.held_elsewhere is None


def open_for_editing(*, patient_id: int, author: storage.Clinician) -> Opened:
    """Hold the patient for this session, or say who holds them. A file open
    read-only (SQLite's other processes) holds nothing but still sees who does."""
    from taperdesk.storage.connection import current

    if current().read_only or author.roles == (roles.READ_ONLY,):  # looks, never holds
        return Opened(patient_id, patient_locks.holder(patient_id=patient_id))
    return Opened(patient_id, patient_locks.claim(patient_id=patient_id, author=author))


def holder(*, patient_id: int) -> Holder | None:
    return patient_locks.holder(patient_id=patient_id)


def release(*, patient_id: int) -> None:
    from taperdesk.storage.connection import current

    if not current().read_only:
        patient_locks.release(patient_id=patient_id)


def release_all() -> None:
    """On closing the window and on signing out (the lock screen)."""
    from taperdesk.storage.connection import _current

    if _current is not None and not _current.read_only:
        patient_locks.release()


def keep_alive() -> int:
    """The heartbeat of this session's locks (every HEARTBEAT_S seconds): how
    many it still holds (0 after a pause long enough for another to take over)."""
    from taperdesk.storage.connection import current

    return 0 if current().read_only else patient_locks.heartbeat()


def change_mark() -> int:
    return patient_locks.change_mark()


def check_not_held(*, patient_id: int) -> None:
    """InUseError naming who holds the patient, if another session does."""
    other = patient_locks.holder(patient_id=patient_id)
    if other is not None:
        patient = storage.get_patient(patient_id=patient_id)
        raise InUseError(f"{patient.name} is {other.words()}: nothing was saved here. Their changes show here "
                         "as they save; edit once they close the record.")
