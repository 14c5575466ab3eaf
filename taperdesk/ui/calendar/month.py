"""The month grid: a QCalendarWidget (keyboard navigation, locale, first day
of the week for free) whose cells are painted from the precomputed days."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QRect
from PySide6.QtGui import QPainter, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget

from taperdesk.ui.calendar.days import CellInfo, PlanDay
from taperdesk.ui.calendar.style import CellFonts, paint_cell

_NUMBERS = tuple(str(n) for n in range(32))
_NONE, _TODAY, _SYMPTOMS = frozenset(), frozenset({"today"}), frozenset({"symptoms"})


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class MonthGrid(QCalendarWidget):
    """Paints each day from `days` (day -> PlanDay) plus today and symptoms.

    A month is 42 calls into Python from Qt's table, one per cell: what every
    cell needs (the selected day, the month shown, the fonts) is kept here as
    it changes rather than asked of Qt 42 times a month."""

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
        self._fonts: CellFonts | None = None
        self._selected: date = self.selectedDate().toPython()
        self._month: int = self.monthShown()
        self.selectionChanged.connect(self._selection_moved)
        self.currentPageChanged.connect(self._page_moved)

    def _selection_moved(self) -> None:
        self._selected = self.selectedDate().toPython()

    def _page_moved(self, _year: int, month: int) -> None:
        self._month = month

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.FontChange:
            self._fonts = None
        super().changeEvent(event)

    def cell_fonts(self) -> CellFonts:
        if self._fonts is None:
            self._fonts = CellFonts(self.font())
        return self._fonts

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
        info = self.days.get(day)
        marks = info.marks if info is not None else _NONE
        if day == self.today:
            marks = marks | _TODAY
        if day in self.symptoms:
            marks = marks | _SYMPTOMS
        paint_cell(
            painter,
            rect,
            fonts=self._fonts or self.cell_fonts(),
            day_number=_NUMBERS[day.day],
            text=info.text if info is not None else "",
            marks=marks,
            in_plan=info is not None,
            selected=day == self._selected,
            faded=day.month != self._month,
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
