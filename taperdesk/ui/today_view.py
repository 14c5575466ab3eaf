"""The Today view, the workspace's landing page: everyone who needs the
clinician today, grouped (flares, dose changes today or tomorrow, reviews due,
other reasons, long pauses, plans ending), with the counts at the top.

It shows clinic.today.today_list, the same list `taperdesk today` prints. One
click or Enter on a patient opens their page at the tab that answers the line
(a flare at Symptoms, a dose change at Plan, a review at History); the list
prints as a plain table."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QMarginsF, QModelIndex, Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from taperdesk.clinic.today import GROUPS, TodayList, today_list

COLUMNS = ("Patient", "Identifier", "Phone", "What", "Why")
TARGET = Qt.ItemDataRole.UserRole + 1  # (patient id, tab) on every cell of a patient's row


def counts_text(listing: TodayList) -> str:
    counts = listing.counts()
    return " · ".join(f"{GROUPS[k].split(':')[0]} <b>{n}</b>" for k, n in counts.items())


class TodayModel(QStandardItemModel):
    """Groups as top-level rows ('Flares: consider a hold (3)'), patients beneath them."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.listing: TodayList | None = None

    def set_listing(self, listing: TodayList) -> None:
        self.listing = listing
        self.removeRows(0, self.rowCount())
        for key, title in GROUPS.items():
            items = listing.group(key)
            if not items:
                continue
            head = QStandardItem(f"{title} ({len(items)})")
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setEditable(False)
            head.setData(key, TARGET)
            for item in items:
                cells = [QStandardItem(text) for text in (item.name, item.identifier, item.phone, item.what,
                                                          item.evidence)]
                for cell in cells:
                    cell.setEditable(False)
                    cell.setData((item.patient_id, item.tab), TARGET)
                    cell.setToolTip(f"{item.what}\n{item.evidence}".strip())
                head.appendRow(cells)
            filler = [QStandardItem("") for _ in COLUMNS[1:]]
            for cell in filler:
                cell.setEditable(False)
            self.appendRow([head, *filler])


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
        listing = today_list(day=self.today)
        self.model.set_listing(listing)
        for row in range(self.model.rowCount()):  # a group's title reads across the whole width
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        who = listing.patients()
        self.title.setText(f"<span style='font-size:15pt'><b>Today</b>, {self.today.strftime('%A')} "
                           f"{self.today.day} {self.today.strftime('%B %Y')}</span> &nbsp; "
                           + (f"{who} patient{'s' if who != 1 else ''} need you" if who else "nobody needs you today"))
        self.counts.setText(counts_text(listing))
        if self.model.rowCount():
            self.tree.setCurrentIndex(self.model.index(0, 0, self.model.index(0, 0)))  # Enter opens the first

    def open_index(self, index: QModelIndex) -> None:
        target = index.data(TARGET)
        if isinstance(target, tuple):
            self.openPatient.emit(int(target[0]), str(target[1]))

    # -- paper ---------------------------------------------------------------
    def html(self) -> str:
        listing = self.model.listing
        if listing is None:
            return ""
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
