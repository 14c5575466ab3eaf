"""The legend: a small sample of each kind of cell, painted by the same code as
the grid, with its symbol and a few words."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from taperdesk.ui.calendar.style import LABEL, SHORT, SYMBOL, paint_cell

LEGEND_MARKS = ("start", "step_change", "hold", "continues", "stop", "draft", "symptoms", "today")


class Swatch(QWidget):
    def __init__(self, mark: str, parent=None) -> None:
        super().__init__(parent)
        self.mark = mark
        self.setFixedSize(QSize(36, 24))
        self.setAccessibleName(LABEL[mark])

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        paint_cell(
            painter,
            self.rect(),
            font=self.font(),
            day_number="",
            text="",
            marks=frozenset({self.mark}),
            in_plan=True,
        )
        painter.end()


class Legend(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Calendar legend")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.items: dict[str, str] = {}
        columns = 4
        for i, mark in enumerate(LEGEND_MARKS):
            row, col = divmod(i, columns)
            text = (f"{SYMBOL[mark]}  " if mark in SYMBOL else "") + LABEL[mark]
            self.items[mark] = text  # the full sentence: tooltip, accessible name, legend_text()
            # a word or two beside the sample, so the legend stays two short rows at
            # 1366x768 and never pushes the month's last row out of sight; the
            # whole sentence is the tooltip and the accessible name
            label = QLabel(SHORT[mark])
            label.setToolTip(LABEL[mark])
            label.setAccessibleName(text)
            grid.addWidget(Swatch(mark), row, 2 * col)
            grid.addWidget(label, row, 2 * col + 1)
        note = QLabel("“mg eq”: diazepam-equivalent, on days two medicines are taken while switching.")
        note.setWordWrap(True)
        grid.addWidget(note, 2, 0, 1, 2 * columns)
        self.setToolTip("\n".join((f"{SYMBOL[m]}  " if m in SYMBOL else "") + LABEL[m] for m in LEGEND_MARKS))
        self.note = note.text()
        for col in range(columns):
            grid.setColumnStretch(2 * col + 1, 1)

    def text(self) -> str:
        return "\n".join([*self.items.values(), self.note])

    def shown_text(self) -> str:
        """The words the legend shows (its samples' labels and the note)."""
        return "\n".join([*(SHORT[m] for m in self.items), self.note])
