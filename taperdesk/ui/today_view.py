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

from PySide6.QtCore import QEvent, QMarginsF, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from taperdesk.clinic.today import GROUPS, today_list, today_opening
from taperdesk.ui.today_model import BUILD, COLUMNS, PAGE, TARGET, TodayModel

__all__ = ["COLUMNS", "PAGE", "TARGET", "TodayModel", "TodayView", "counts_text"]


def counts_text(listing) -> str:
    counts = listing.counts()
    return " · ".join(f"{GROUPS[k].split(':')[0]} <b>{n}</b>" for k, n in counts.items())


def row_tooltip(index: QModelIndex) -> str:
    """A patient's line in full (what, and why), wherever on the row the pointer rests."""
    if not index.isValid() or not isinstance(index.siblingAtColumn(0).data(TARGET), tuple) \
            or index.siblingAtColumn(0).data(TARGET)[0] == "more":
        return ""
    what, why = (index.siblingAtColumn(c).data() or "" for c in (3, 4))
    return f"{what}\n{why}".strip()


class TodayTree(QTreeView):
    """The tree, with a line's tooltip worked out when asked for rather than
    stored on every cell at each refresh."""

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.ToolTip:
            tip = row_tooltip(self.indexAt(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


NEAR_END = 3  # rows from the end of those built at which the next are built
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
        self.model.built.connect(self._span_groups)
        self._fill_queued = False
        self.tree = TodayTree()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # no per-row measuring: a long list stays quick
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAllColumnsShowFocus(True)
        for column, width in enumerate((170, 90, 105, 330)):  # "Why" (a flare's numbers) still in view at 1366x768
            self.tree.setColumnWidth(column, width)
        bar = self.tree.verticalScrollBar()
        bar.valueChanged.connect(self._fill_later)  # scrolled to the end: the next rows
        bar.rangeChanged.connect(self._fill_later)  # a taller window: as many as fill it
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
        self.model.set_opening(opening, PAGE, rows=self._screenful())
        who = opening.patients
        self.title.setText(f"<span style='font-size:15pt'><b>Today</b>, {self.today.strftime('%A')} "
                           f"{self.today.day} {self.today.strftime('%B %Y')}</span> &nbsp; "
                           + (f"{who} patient{'s' if who != 1 else ''} need you" if who else "nobody needs you today"))
        self.counts.setText(counts_text(opening))
        if self.model.rowCount():
            self.tree.setCurrentIndex(self.model.index(0, 0, self.model.index(0, 0)))  # Enter opens the first

    def _screenful(self) -> int:
        """Rows that fill the list as it is now, and a few more."""
        return max(BUILD, self.tree.viewport().height() // max(1, self.tree.fontMetrics().height()) + 10)

    def _fill_later(self, *_args) -> None:
        if self.model.pending() and not self._fill_queued:
            self._fill_queued = True
            QTimer.singleShot(0, self, self._fill)  # not after the view has gone

    def _fill(self) -> None:
        """More rows, while the list's end is in sight (as Qt's fetchMore would)."""
        self._fill_queued = False
        bar = self.tree.verticalScrollBar()
        if self.model.pending() and bar.value() >= bar.maximum() - NEAR_END:
            self.model.build_more()

    def _span_groups(self) -> None:
        """A group's title and its 'more' row read across the whole width (a
        span follows its row as lines are added above it); groups open."""
        root = QModelIndex()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, root, True)
            more = self.model.more_row(self.model.group_key(row))
            if more is not None:
                self.tree.setFirstColumnSpanned(more, self.model.index(row, 0), True)
        self.tree.expandAll()
        self._fill_later()  # rows too few to fill the list: more, once it is laid out

    def open_index(self, index: QModelIndex) -> None:
        """A line opens its patient (whichever cell was clicked); a 'more' row its group's next page."""
        target = index.siblingAtColumn(0).data(TARGET)
        if isinstance(target, tuple) and target[0] == "more":
            row, head = index.row(), index.parent()
            self.model.show_more(target[1], PAGE)
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
