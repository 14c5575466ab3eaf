"""A date field that is fully usable from the keyboard.

Qt's QDateEdit steps one section at a time and stops at the section's end
(Up on December does nothing), and with a narrow date range it refuses a
typed digit that passes through a date outside it, so a later month could
not be reached from the keyboard. This field is written YYYY-MM-DD (as
clinicians and the CLI write dates), accepts a date typed whole over a
selection, and steps by calendar: Up/Down on the day moves a day (across a
month's end), on the month a month (across a year's end), on the year a
year. Callers check their own limits (a plan's days, 90 days ahead) and say
so in words instead of silently refusing keys."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit

EARLIEST, LATEST = QDate(1900, 1, 1), QDate(2199, 12, 31)
FORMAT = "yyyy-MM-dd"
_PARTIAL = re.compile(r"\d{0,4}(-\d{0,2}(-\d{0,2})?)?|\d{0,8}")


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(QDateEdit):
    def __init__(self, day: date | None = None, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setDateRange(EARLIEST, LATEST)
        if day is not None:
            self.setDate(to_qdate(day))
        self.setCurrentSection(QDateEdit.Section.DaySection)
        self.setToolTip("Type the date as YYYY-MM-DD, or use Up/Down on the day, month or year")

    def day(self) -> date:
        return self.date().toPython()

    def set_day(self, day: date) -> None:
        self.setDate(to_qdate(day))

    # -- typing: the whole date, over a selection ------------------------------------
    def _parse(self, text: str) -> QDate:
        t = text.strip()
        if re.fullmatch(r"\d{8}", t):
            t = f"{t[:4]}-{t[4:6]}-{t[6:]}"
        return QDate.fromString(t, FORMAT)

    def validate(self, text: str, pos: int):  # noqa: D102 (Qt's name)
        day = self._parse(text)
        if day.isValid() and self.minimumDate() <= day <= self.maximumDate():
            return QValidator.State.Acceptable, text, pos
        if _PARTIAL.fullmatch(text.strip()):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 (Qt's name)
        day = self._parse(text)
        return QDateTime(day if day.isValid() else self.date(), self.time())

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt): arriving selects the whole date, to type over
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.lineEdit().selectAll()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt): Ctrl+A selects the whole date, not one part
        if event.key() == Qt.Key.Key_A and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.lineEdit().selectAll()
            return
        super().keyPressEvent(event)

    def stepEnabled(self):  # noqa: N802 (Qt): a calendar step never hits a section's end
        flags = QAbstractSpinBox.StepEnabledFlag
        return flags.StepUpEnabled | flags.StepDownEnabled

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt)
        before = self.date()
        section = self.currentSection()
        wanted = (before.addYears(steps) if section == QDateEdit.Section.YearSection
                  else before.addMonths(steps) if section == QDateEdit.Section.MonthSection
                  else before.addDays(steps))
        if self.minimumDate() <= wanted <= self.maximumDate():
            self.setDate(wanted)
            self.setCurrentSection(section)
