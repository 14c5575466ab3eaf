"""Working side by side, in the window: the patient shown is held for this
workstation while it is open (released on choosing another, on closing the
window and on the lock screen); a patient another workstation holds is shown
read-only under a line saying who has it. Every POLL_MS the window asks
whether anything was saved anywhere (the newest audit event) and shows it, so
the others' changes appear within seconds; the same timer keeps this
workstation's locks alive. A mixin of Workspace (clinician, patient_id,
read_only, actions_by_name, patients, show_patient)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from taperdesk import storage
from taperdesk.clinic import side_by_side

POLL_MS = 2000  # changes saved elsewhere show within this (the issue asks for 5 s)
# what stays usable on a patient another workstation has open
READ_ACTIONS = {"find", "today", "about", "lock", "quit", "settings", "supervision", "backup", "clinicians",
                "password", "new_patient", "reprint", "export_ics", "export_csv"}


class SideBySide:
    held_elsewhere: side_by_side.Holder | None = None

    def start_side_by_side(self) -> None:
        self.in_use_banner = QLabel()
        self.in_use_banner.setObjectName("inUseBanner")
        self.in_use_banner.setWordWrap(True)
        self.in_use_banner.setStyleSheet("QLabel#inUseBanner { background: #e8eefc; border: 1px solid #7a96d6;"
                                         " padding: 6px; }")
        self.in_use_banner.setVisible(False)
        self._mark = self._change_mark()
        self._beat = time.monotonic()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_changes)
        self.poll_timer.start()

    @staticmethod
    def _change_mark() -> int:
        try:
            return side_by_side.change_mark()
        except storage.StorageError:
            return -1

    def hold_patient(self, previous: int | None, patient_id: int | None) -> None:
        """Let go of the patient left, hold the one shown (or say who holds them).
        Showing the patient this workstation already holds again (after each
        change) writes nothing: the heartbeat keeps the hold."""
        if patient_id is not None and patient_id == getattr(self, "_holding", None):
            return
        self._holding = None
        try:
            if previous is not None and previous != patient_id:
                side_by_side.release(patient_id=previous)
            opened = side_by_side.open_for_editing(patient_id=patient_id, author=self.clinician) \
                if patient_id is not None else None
        except storage.StorageError as exc:
            self.show_status(f"Could not mark the patient as open here: {exc}")
            opened = None
        self.held_elsewhere = opened.held_elsewhere if opened else None
        if opened is not None and opened.editable and not self.read_only:
            self._holding = patient_id
        if self.held_elsewhere is None:
            self.in_use_banner.setVisible(False)
        else:
            self.in_use_banner.setText(f"<b>Read-only here:</b> this patient is {self.held_elsewhere.words()}. "
                                       "Their changes show here as they save them; you can edit once they close "
                                       "the record.")
            self.in_use_banner.setVisible(True)

    def apply_in_use(self) -> None:
        """Grey out every change to a patient another workstation has open."""
        if self.held_elsewhere is None:
            return
        why = f"Read-only: this patient is {self.held_elsewhere.words()}."
        for name, action in self.actions_by_name.items():
            if name not in READ_ACTIONS:
                action.setEnabled(False)
                action.setToolTip(why)
        self.flare_banner.hold.setEnabled(False)
        self.unarchive_button.setEnabled(False)

    def lock_symptoms(self) -> None:
        """The Symptoms tab's entry controls greyed out, with why, when this
        account may not record symptoms or the patient is open elsewhere (the
        plot and the list stay readable)."""
        tab = getattr(self, "_symptoms", None)
        if tab is None:
            return
        why = self.role_refusal("record_symptoms") if hasattr(self, "role_refusal") else ""
        if self.held_elsewhere is not None:
            why = f"Read-only: this patient is {self.held_elsewhere.words()}."
        tab.refusal = why
        if not why:  # a patient free here after one that was not: entry works again
            tab.quick.setEnabled(True)
            tab.quick.setToolTip("")
            tab.refresh_buttons()
            return
        for widget in (tab.quick, *tab.scale_buttons.values(), tab.correct_button, tab.retract_button):
            widget.setEnabled(False)
            widget.setToolTip(why)

    def poll_changes(self) -> bool:
        """Show what was saved elsewhere; keep this workstation's locks alive.
        True when something new was shown."""
        try:
            if time.monotonic() - self._beat >= side_by_side.HEARTBEAT_S:
                if not side_by_side.keep_alive() and getattr(self, "_holding", None) is not None:
                    self._holding = None  # away too long: another workstation may hold the patient now
                    self.held_elsewhere = side_by_side.holder(patient_id=self.patient_id)
                self._beat = time.monotonic()
            mark = side_by_side.change_mark()
        except storage.StorageError:
            return False  # the file is closing or lost: its own dialog says so
        changed = mark != self._mark
        self._mark = mark
        if changed:
            self.patients.forget_patient(self.patient_id) if self.patient_id is not None else None
            self.patients.refresh()
            self.today_view.refresh()
        if changed or self.held_elsewhere is not None:  # also: the other workstation may have let go
            if self.patient_id is not None:
                self.show_patient(self.patient_id)
        return changed

    def let_go_of_patients(self) -> None:
        self._holding = None
        try:
            side_by_side.release_all()
        except storage.StorageError:
            pass
