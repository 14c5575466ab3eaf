"""The Today list as an item model: groups as top-level rows ('Flares:
consider a hold (3)'), their patients beneath, and, where a group is longer
than a page, a last row saying how many more there are.

It is a QStandardItemModel, not a Python model answering the view cell by
cell: every call from Qt into Python costs tens of microseconds, and a tree
asks for index, parent, flags and nine roles of data per cell on every layout
and paint (a model in Python took 60-90 ms per refresh on the 10,000-patient
clinic, most of it in those calls). Filled here, the view lays out and paints
without calling back into Python.

Two kinds of "more": the lines fetched (the counts and each group's first PAGE
lines come in one query, clinic.today.today_opening; Enter or a click on a
group's 'more' row fetches its next page, clinic.today.today_items), and the
rows built from them. Making a row's five cells is most of a refresh's own
cost, so only a screenful is built at once: the rest as the list is scrolled
to its end (the view asks, build_more; not Qt's canFetchMore, which a tree
answers by fetching everything as it lays the rows out). The patient a
line is about, and the tab that answers it, is on the row's first cell
(TARGET); a 'more' row's first cell holds ("more", group)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from taperdesk.clinic.today import GROUPS, TodayItem, TodayOpening, today_items

COLUMNS = ("Patient", "Identifier", "Phone", "What", "Why")
TARGET = Qt.ItemDataRole.UserRole + 1  # (patient id, tab) on a line's first cell; ("more", group) on a 'more' row
PAGE = 50  # lines of a group fetched at first and per "show more": a screenful and a half
BUILD = 60  # rows built at a time: a screenful at 1920x1080


def more_text(left: int, page: int) -> str:
    return f"… {left} more: press Enter or click to show {min(page, left)} more"


def _line(item: TodayItem) -> list[QStandardItem]:
    """A patient's row: five cells of text, the target on the first (the view
    reads it from any cell's row, so the other four carry nothing else)."""
    cells = [QStandardItem(text) for text in (item.name, item.identifier, item.phone, item.what, item.evidence)]
    cells[0].setData((item.patient_id, item.tab), TARGET)
    return cells


class TodayModel(QStandardItemModel):
    built = Signal()  # rows were added at the top level or to a group: the view spans and expands them

    def __init__(self, parent=None):
        super().__init__(parent)
        self.day: date | None = None
        self.opening: TodayOpening | None = None
        self.page = PAGE
        self._groups: list[str] = []
        self._lines: dict[str, list[TodayItem]] = {}  # fetched
        self._heads: dict[str, QStandardItem] = {}  # built, in order
        self._built: dict[str, int] = {}  # lines built per group
        self._building = False
        self._bold = QFont()
        self._bold.setBold(True)
        self.setHorizontalHeaderLabels(COLUMNS)

    def set_opening(self, opening: TodayOpening, page: int | None = None, rows: int = BUILD) -> None:
        """The whole list anew, its first `rows` rows built: the groups made
        apart from the model, then added at once (one removal, one insertion
        for the view to lay out; not a reset, so the columns keep the widths
        the clinician gave them)."""
        self._groups, self._lines, self._heads, self._built = [], {}, {}, {}
        root = self.invisibleRootItem()
        if root.rowCount():
            self._building = True  # nothing to build while the old rows go
            try:
                root.removeRows(0, root.rowCount())
            finally:
                self._building = False
        self.page = PAGE if page is None else page
        self.day = opening.day
        self.opening = opening
        self._groups = [key for key in GROUPS if opening.by_group.get(key)]
        self._lines = {key: list(opening.first.get(key, ())) for key in self._groups}
        self._build(rows)

    # -- building rows from the lines fetched ----------------------------------
    def _complete(self, key: str) -> bool:
        return key in self._heads and self._built[key] == len(self._lines[key])

    def pending(self) -> bool:
        """Lines fetched but not yet built into rows."""
        return not self._building and not all(self._complete(key) for key in self._groups)

    def _build(self, rows: int) -> None:
        """The next `rows` rows (none while rows are being added or taken away)."""
        if not self.pending():  # also while rows are being added or taken away
            return
        self._building = True
        try:
            self._add_rows(rows)
        finally:
            self._building = False
        self.built.emit()

    def _add_rows(self, rows: int) -> None:
        heads = []  # new groups, filled before they join the model
        for key in self._groups:
            if rows <= 0:
                break
            if self._complete(key):
                continue
            head = self._heads.get(key)
            attached = head is not None
            if not attached:
                head = self._heads[key] = QStandardItem(f"{GROUPS[key]} ({self.total(key)})")
                head.setFont(self._bold)
                head.setData(key, TARGET)
                self._built[key] = 0
                heads.append(head)
                rows -= 1
            lines, done = self._lines[key], self._built[key]
            upto = min(len(lines), done + max(rows, 0))
            for item in lines[done:upto]:
                head.appendRow(_line(item))
            rows -= upto - done
            self._built[key] = upto
            if upto == len(lines) and self.has_more(key):
                head.appendRow(self._more_item(key))
                rows -= 1
        if heads:
            self.invisibleRootItem().appendRows(heads)

    def build_more(self, rows: int | None = None) -> None:
        self._build(BUILD if rows is None else rows)

    def build_all(self) -> None:
        """Every line fetched, as rows (for reading the whole model at once)."""
        while self.pending():
            self._build(BUILD)

    # -- reading it ----------------------------------------------------------
    def _more_item(self, key: str) -> QStandardItem:
        more = QStandardItem(more_text(self.total(key) - len(self._lines[key]), self.page))
        more.setData(("more", key), TARGET)
        return more

    def group_key(self, row: int) -> str:
        return self._groups[row]

    def total(self, key: str) -> int:
        return self.opening.by_group.get(key, 0) if self.opening else 0

    def lines(self, key: str) -> list[TodayItem]:
        return self._lines.get(key, [])

    def has_more(self, key: str) -> bool:
        """More lines in the group than fetched so far."""
        return len(self._lines.get(key, ())) < self.total(key)

    def more_row(self, key: str) -> int | None:
        """The row of a group's 'more' row, if it is built."""
        return len(self._lines[key]) if self._complete(key) and self.has_more(key) else None

    def show_more(self, key: str, page: int | None = None) -> None:
        """The next page of a group, where its 'more' row was; the 'more' row
        goes once the group is whole, else it says how many are left."""
        page = self.page if page is None else page
        at = self.more_row(key)
        if at is None or self.day is None:
            return
        have = self._lines[key]
        more = today_items(group=key, day=self.day, offset=len(have), limit=page)
        if not more:
            return
        head = self._heads[key]
        for offset, item in enumerate(more):  # above the 'more' row
            head.insertRow(at + offset, _line(item))
        have.extend(more)
        self._built[key] = len(have)
        if len(have) >= self.total(key):
            head.removeRow(len(have))
        else:
            head.child(len(have), 0).setText(more_text(self.total(key) - len(have), page))
