"""The Today view, the workspace's landing page: everyone who needs the
clinician today, grouped (flares, dose changes today or tomorrow, reviews due,
other reasons, long pauses, plans ending), with the counts at the top.

It shows clinic.today's list, the same one `taperdesk today` prints, a page
at a time: the counts and each group's first lines on opening, more as the
clinician asks for them, so it opens as fast on 50,000 patients as on 1,000.
One click or Enter on a patient opens their page at the tab that answers the
line (a flare at Symptoms, a dose change at Plan, a review at History); the
whole list prints as a plain table."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QAbstractItemModel, QMarginsF, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from taperdesk.clinic.today import GROUPS, TodayItem, TodayOpening, today_items, today_list, today_opening

COLUMNS = ("Patient", "Identifier", "Phone", "What", "Why")
TARGET = Qt.ItemDataRole.UserRole + 1  # (patient id, tab) on a patient's cells; ("more", group) on a group's last row
PAGE = 50  # lines of a group shown at first and added per "show more": a screenful and a half


def counts_text(listing) -> str:
    counts = listing.counts()
    return " · ".join(f"{GROUPS[k].split(':')[0]} <b>{n}</b>" for k, n in counts.items())


class TodayModel(QAbstractItemModel):
    """Groups as top-level rows ('Flares: consider a hold (3)'), patients beneath.

    Only what is shown is fetched: the counts and each group's first PAGE lines
    come in one query (clinic.today.today_opening); a group longer than that
    ends with a row saying how many more there are, and Enter or a click on it
    fetches the next page. A child's internal id is its group's row + 1."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.day: date | None = None
        self.opening: TodayOpening | None = None
        self._groups: list[str] = []
        self._lines: dict[str, list[TodayItem]] = {}
        self._more: set[str] = set()  # groups ending with a 'more' row
        self._left: dict[str, int] = {}

    def set_opening(self, opening: TodayOpening) -> None:
        self.beginResetModel()
        self.day = opening.day
        self.opening = opening
        self._groups = [key for key in GROUPS if opening.by_group.get(key)]
        self._lines = {key: list(opening.first.get(key, ())) for key in self._groups}
        self._more = {key for key in self._groups if len(self._lines[key]) < self.total(key)}
        self._left = {key: self.total(key) - len(self._lines[key]) for key in self._groups}  # as the 'more' row says
        self.endResetModel()

    def group_key(self, row: int) -> str:
        return self._groups[row]

    def total(self, key: str) -> int:
        return self.opening.by_group.get(key, 0) if self.opening else 0

    def lines(self, key: str) -> list[TodayItem]:
        return self._lines.get(key, [])

    def show_more(self, key: str) -> None:
        """The next page of a group, where its 'more' row was."""
        if key not in self._lines or self.day is None:
            return
        have = self._lines[key]
        more = today_items(group=key, day=self.day, offset=len(have), limit=PAGE)
        if not more:
            return
        parent = self.index(self._groups.index(key), 0)
        self.beginInsertRows(parent, len(have), len(have) + len(more) - 1)  # above the 'more' row
        have.extend(more)
        self.endInsertRows()
        if len(have) >= self.total(key):  # the group is whole: its 'more' row goes
            self.beginRemoveRows(parent, len(have), len(have))
            self._more.discard(key)
            self.endRemoveRows()
        else:
            self._left[key] = self.total(key) - len(have)
            self.dataChanged.emit(self.index(len(have), 0, parent), self.index(len(have), len(COLUMNS) - 1, parent))

    # -- the model ------------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=QModelIndex()):
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent=QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        key = self._groups[parent.row()]
        return len(self._lines[key]) + (1 if key in self._more else 0)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            key = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{GROUPS[key]} ({self.total(key)})" if index.column() == 0 else ""
            if role == Qt.ItemDataRole.FontRole and index.column() == 0:
                font = QFont()
                font.setBold(True)
                return font
            if role == TARGET:
                return key
            return None
        key = self._groups[index.internalId() - 1]
        lines = self._lines[key]
        if index.row() >= len(lines):  # the group's 'more' row
            left = self._left[key]
            if role == Qt.ItemDataRole.DisplayRole:
                return (f"… {left} more: press Enter or click to show {min(PAGE, left)} more"
                        if index.column() == 0 else "")
            if role == TARGET:
                return ("more", key)
            return None
        item = lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.name, item.identifier, item.phone, item.what, item.evidence)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.what}\n{item.evidence}".strip()
        if role == TARGET:
            return (item.patient_id, item.tab)
        return None


ROLL_IN_BACKGROUND_OVER = 200  # rows to redo before the first open of the day's roll goes to a worker


class TodayView(QWidget):
    """The landing page. `openPatient(patient_id, tab)` asks the workspace to show a patient."""

    openPatient = Signal(int, str)

    def __init__(self, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self.today = today or date.today()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setWordWrap(True)
        self.model = TodayModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # no per-row measuring: a long list stays quick
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAllColumnsShowFocus(True)
        for column, width in enumerate((190, 100, 110, 420)):
            self.tree.setColumnWidth(column, width)
        self.tree.clicked.connect(self.open_index)
        self.tree.activated.connect(self.open_index)  # Enter (and double-click)
        self.print_button = QPushButton("&Print the list…")
        self.print_button.clicked.connect(self.print_dialog)
        self.refresh_button = QPushButton("Re&fresh")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.tree, 1)

    def start(self, status) -> None:
        """At start-up: the list at once, or (a large roll pending on the first
        open of the day) the window first and the roll on a worker thread, the
        status bar saying so (`status(text)`); the list fills in when it is done."""
        from taperdesk import storage

        pending = 0 if storage.connection.current().read_only else storage.attention_roll_pending()
        if pending <= ROLL_IN_BACKGROUND_OVER:
            self.refresh()
            return
        from PySide6.QtCore import QThreadPool

        from taperdesk.ui.background import _Job, _Signals

        self.title.setText("<span style='font-size:15pt'><b>Today</b></span> &nbsp; working out today's list…")
        status(f"Bringing today's list up to date in the background ({pending} patients to look at again)…")
        signals = _Signals()
        signals.done.connect(lambda n: self._rolled(n, status))
        signals.failed.connect(lambda exc: status(f"Today's list could not be brought up to date: {exc}"))
        self._signals = signals  # kept alive until the job reports
        self.rolling = True
        signals.done.connect(lambda _n: setattr(self, "rolling", False))
        signals.failed.connect(lambda _e: setattr(self, "rolling", False))
        QThreadPool.globalInstance().start(_Job(storage.roll_attention_in_worker, signals))

    rolling = False

    def _rolled(self, n: int, status) -> None:
        from taperdesk import storage

        try:
            self.refresh()
        except storage.StorageError as exc:  # the file was closed (locked, signed out) meanwhile
            status(f"Today's list was not shown: {exc}")
            return
        status(f"Today's list is up to date ({n} patients looked at again).")

    def refresh(self) -> None:
        opening = today_opening(day=self.today, per_group=PAGE)
        self.model.set_opening(opening)
        self._span_groups()
        who = opening.patients
        self.title.setText(f"<span style='font-size:15pt'><b>Today</b>, {self.today.strftime('%A')} "
                           f"{self.today.day} {self.today.strftime('%B %Y')}</span> &nbsp; "
                           + (f"{who} patient{'s' if who != 1 else ''} need you" if who else "nobody needs you today"))
        self.counts.setText(counts_text(opening))
        if self.model.rowCount():
            self.tree.setCurrentIndex(self.model.index(0, 0, self.model.index(0, 0)))  # Enter opens the first

    def _span_groups(self) -> None:
        """A group's title and a 'more' row read across the whole width."""
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            head = self.model.index(row, 0)
            last = self.model.rowCount(head) - 1
            if last >= 0 and isinstance(self.model.index(last, 0, head).data(TARGET), tuple) \
                    and self.model.index(last, 0, head).data(TARGET)[0] == "more":
                self.tree.setFirstColumnSpanned(last, head, True)
        self.tree.expandAll()

    def open_index(self, index: QModelIndex) -> None:
        target = index.data(TARGET)
        if isinstance(target, tuple) and target[0] == "more":
            row, head = index.row(), index.parent()
            self.model.show_more(target[1])
            self._span_groups()
            self.tree.setCurrentIndex(self.model.index(row, 0, head))  # the first of the new lines
        elif isinstance(target, tuple):
            self.openPatient.emit(int(target[0]), str(target[1]))

    # -- paper ---------------------------------------------------------------
    def listing(self):
        """The whole list (every line of every group), as `taperdesk today` prints it."""
        return today_list(day=self.today)

    def html(self) -> str:
        """The printed list: all of it, not only the lines fetched for the screen."""
        listing = self.listing()
        parts = [f"<h2>Today: {self.today.isoformat()}</h2>",
                 f"<p>{listing.patients()} patients need the clinician. {counts_text(listing)}</p>"]
        for key, title in GROUPS.items():
            items = listing.group(key)
            if not items:
                continue
            parts.append(f"<h3>{escape(title)} ({len(items)})</h3><table border='1' cellspacing='0' cellpadding='3'>"
                         "<tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr>")
            for i in items:
                parts.append("<tr>" + "".join(f"<td>{escape(t)}</td>" for t in
                                              (i.name, i.identifier, i.phone, i.what, i.evidence)) + "</tr>")
            parts.append("</table>")
        return "".join(parts)

    def document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(self.html())
        return doc

    def write_pdf(self, path) -> None:
        """The printed list, as a PDF file (A4 landscape)."""
        from PySide6.QtGui import QPdfWriter

        writer = QPdfWriter(str(path))
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                         QMarginsF(12, 12, 12, 12)))
        self.document().print_(writer)

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.document().print_(printer))
        dialog.open()
