"""Printing a handout without freezing the app: pages are rendered (QtPdf) at
no more than 300 dpi, in grey, and painted onto the printer on a worker
thread, one page at a time, with progress and a Cancel button.

The first version rendered every page at the printer's full resolution (1200
dpi) on the GUI thread: a 33-page handout froze the window for minutes and
made a 188 MB print job. 300 dpi is more than paper needs for 10 pt text;
grey is all the handouts use (black, white and two greys)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt, QThread, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

MAX_DPI = 300


class PrintJob(QObject):
    """Paints the PDF's pages onto `printer`; run() on a worker thread.
    Emits page_done(n, total) after each page, then finished(pages printed,
    cancelled?) or failed(one line)."""

    page_done = Signal(int, int)
    finished = Signal(int, bool)
    failed = Signal(str)

    def __init__(self, pdf: bytes, printer: QPrinter, *, max_dpi: int = MAX_DPI) -> None:
        super().__init__()
        self.pdf, self.printer, self.max_dpi = pdf, printer, max_dpi
        self._cancel = threading.Event()
        self.image_sizes: list[QSize] = []

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        data = QByteArray(self.pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument()
        document.load(buffer)
        total = document.pageCount()
        if total <= 0:
            self.failed.emit("The handout could not be read for printing.")
            return
        painter = QPainter()
        if not painter.begin(self.printer):
            self.failed.emit("The printer could not be started.")
            return
        done = 0
        try:
            dpi = min(self.max_dpi, self.printer.resolution() or self.max_dpi)
            for page in range(total):
                if self._cancel.is_set():
                    break
                if page:
                    self.printer.newPage()
                points = document.pagePointSize(page)
                size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = document.render(page, size).convertToFormat(QImage.Format.Format_Grayscale8)
                self.image_sizes.append(image.size())
                target = painter.viewport()
                scale = min(target.width() / max(size.width(), 1), target.height() / max(size.height(), 1))
                painter.drawImage(QRectF(0, 0, size.width() * scale, size.height() * scale), image)
                done += 1
                self.page_done.emit(done, total)
        finally:
            painter.end()
            document.close()
        self.finished.emit(done, self._cancel.is_set() and done < total)


class Printing(QObject):
    """A PrintJob on its own thread behind a progress dialog with Cancel."""

    finished = Signal(int, bool)
    failed = Signal(str)

    def __init__(self, parent: QWidget, pdf: bytes, printer: QPrinter, *, max_dpi: int = MAX_DPI) -> None:
        super().__init__(parent)
        self.job = PrintJob(pdf, printer, max_dpi=max_dpi)
        self.thread = QThread(self)
        self.job.moveToThread(self.thread)
        self.thread.started.connect(self.job.run)
        self.progress = QProgressDialog("Printing…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle("TaperDesk")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.job.cancel, Qt.ConnectionType.DirectConnection)
        self.job.page_done.connect(self._page)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)

    def start(self) -> None:
        self.thread.start()

    def _page(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.progress.setLabelText(f"Printing page {done} of {total}…")

    def _stop(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.progress.reset()

    def _finished(self, pages: int, cancelled: bool) -> None:
        self._stop()
        self.finished.emit(pages, cancelled)

    def _failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)
