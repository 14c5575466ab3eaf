"""The month grid: a QCalendarWidget (keyboard navigation, locale, first day
of the week for free) whose cells are painted from the precomputed days."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRect
from PySide6.QtGui import QPainter, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget

from taperdesk.ui.calendar.days import CellInfo, PlanDay
from taperdesk.ui.calendar.style import paint_cell


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class MonthGrid(QCalendarWidget):
    """Paints each day from `days` (day -> PlanDay) plus today and symptoms."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.days: dict[date, PlanDay] = {}
        self.today: date = date.today()
        self.symptoms: frozenset[date] = frozenset()
        self.setNavigationBarVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        self.setGridVisible(False)
        self.setAccessibleName("Plan calendar, one month")
        self._tooltip_days: list[QDate] = []

    def cell(self, day: date) -> CellInfo:
        info = self.days.get(day)
        extra = set()
        if day == self.today:
            extra.add("today")
        if day in self.symptoms:
            extra.add("symptoms")
        if info is None:
            return CellInfo("", frozenset(extra))
        return CellInfo(info.text, info.marks | extra if extra else info.marks)

    def paintCell(self, painter: QPainter, rect: QRect, qdate) -> None:  # noqa: N802 (Qt's name)
        day = qdate.toPython() if isinstance(qdate, QDate) else qdate
        cell = self.cell(day)
        paint_cell(
            painter,
            rect,
            font=self.font(),
            day_number=str(day.day),
            text=cell.total_text,
            marks=cell.marks,
            in_plan=day in self.days,
            selected=qdate == self.selectedDate(),
            faded=day.month != self.monthShown(),
        )

    def set_tooltips(self, tips: dict[date, str]) -> None:
        """Tooltips for the shown month's cells (the grid's model reads them
        from the date text formats; we paint everything else ourselves)."""
        for qd in self._tooltip_days:
            self.setDateTextFormat(qd, QTextCharFormat())
        self._tooltip_days = []
        for day, tip in tips.items():
            fmt = QTextCharFormat()
            fmt.setToolTip(tip)
            qd = to_qdate(day)
            self.setDateTextFormat(qd, fmt)
            self._tooltip_days.append(qd)
