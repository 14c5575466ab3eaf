"""A handout as the patient will get it: shown in the app (QtPdf), printed
(QtPrintSupport) or saved as a file. The bytes shown are the bytes recorded,
so a reprint from the history is the same paper, byte for byte."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout

from taperdesk import storage


class HandoutPreview(QDialog):
    def __init__(self, parent=None, *, pdf: bytes, title: str, suggested_name: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel(f"{self.document.pageCount()} pages")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        print_button = QPushButton("&Print…")
        save_button = QPushButton("&Save as…")
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save_button, QDialogButtonBox.ButtonRole.ActionRole)
        print_button.clicked.connect(self.print_dialog)
        save_button.clicked.connect(self.save_dialog)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(820, 900)

    def page_count(self) -> int:
        return self.document.pageCount()

    def save_to(self, path: Path) -> bool:
        try:
            storage.write_private(Path(path), self.pdf)  # 0600, through a partial file
        except OSError as exc:
            self.status.setText(f"Not saved: {exc.strerror or exc} ({path}). Choose another folder.")
            return False
        self.status.setText(f"Saved {path}.")
        return True

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the handout", self.suggested_name, "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def print_to(self, printer: QPrinter) -> int:
        """Print here and now (pages at no more than 300 dpi, in grey); the number printed."""
        from taperdesk.ui.printing import PrintJob

        job = PrintJob(self.pdf, printer)
        outcome: list[int] = []
        job.finished.connect(lambda pages, _cancelled: outcome.append(pages))
        job.failed.connect(self.status.setText)
        job.run()
        if outcome:
            self.status.setText(f"Sent {outcome[0]} pages to the printer.")
        return outcome[0] if outcome else 0

    def print_in_background(self, printer: QPrinter) -> None:
        """Print on a worker thread behind a progress dialog with Cancel (the window stays usable)."""
        from taperdesk.ui.printing import Printing

        self.printing = Printing(self, self.pdf, printer)
        self.printing.finished.connect(self._printed)
        self.printing.failed.connect(self.status.setText)
        self.printing.start()

    def _printed(self, pages: int, cancelled: bool) -> None:
        self.status.setText(f"Printing cancelled after {pages} pages." if cancelled
                            else f"Sent {pages} pages to the printer.")

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_in_background(printer)
