"""The workspace follows the calendar. A clinic's window is often left open
overnight; without this, every screen kept the day it was opened on, so the
morning showed yesterday's dose as "today", yesterday's Today list, and the
calendar's ring on the wrong day. A check once a minute (and whenever asked)
moves every surface to the new day: the Today list (its daily roll on a worker,
as at start-up), the patient list's doses, the patient shown (the calendar, the
flare banner, the Symptoms tab's quick rating, which is rebuilt for the day).

A window opened on a given day (tests, the benches, screenshots) stays there."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer

CHECK_EVERY_MS = 60_000


class DayFollower:
    """Mixin for the Workspace: `today` moves on with the clock."""

    def follow_the_day(self, *, fixed: bool) -> None:
        self.clock = date.today  # tests move it
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(CHECK_EVERY_MS)
        self.day_timer.timeout.connect(self.check_the_day)
        if not fixed:
            self.day_timer.start()

    def check_the_day(self) -> bool:
        """Move to the clock's day if it has changed; True when it did."""
        day = self.clock()
        if day == self.today:
            return False
        self.move_to_day(day)
        return True

    def move_to_day(self, day: date) -> None:
        self.today = day
        self.patients.today = day
        self.patients.refresh()
        self.today_view.today = day
        self.today_view.start(self.show_status)  # today's roll, on a worker when it is large
        if self._symptoms is not None:  # its quick rating and plot know their day: built again for this one
            shown = self.tabs.currentWidget() is self.symptoms_host
            self._symptoms.setParent(None)
            self._symptoms.deleteLater()
            self._symptoms = None
            if shown:
                self.symptoms_tab  # noqa: B018 (the property builds it)
        self.show_patient(self.patient_id)
        self.show_status(f"A new day: {day.strftime('%A')} {day.day} {day.strftime('%B')}. "
                         "Every screen now shows today's doses.")
