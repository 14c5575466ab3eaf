"""A handout as the patient will get it: shown in the app (QtPdf), printed
(QtPrintSupport) or saved as a file. The bytes shown are the bytes recorded,
so a reprint from the history is the same paper, byte for byte."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout


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
            Path(path).write_bytes(self.pdf)
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
        """Each page drawn as an image at the printer's resolution (QtPdf renders, Qt prints)."""
        painter = QPainter()
        if not painter.begin(printer):
            self.status.setText("The printer could not be started.")
            return 0
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                size = self.document.pagePointSize(page).toSize()
                scale = min(target.width() / max(size.width(), 1), target.height() / max(size.height(), 1))
                image = self.document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        self.status.setText(f"Sent {self.document.pageCount()} pages to the printer.")
        return self.document.pageCount()

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)
