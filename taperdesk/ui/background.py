"""Long work (a large handout, an export) runs on a worker thread while a
progress dialog shows; the window never freezes. The result comes back on
the GUI thread through a signal."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], signals: _Signals):
        super().__init__()
        self.work, self.signals = work, signals

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the GUI thread, which says what went wrong
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Background(QObject):
    """Runs one job at a time with a busy progress dialog; emits finished(result) or failed(exc)."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._parent = parent
        self._signals: _Signals | None = None
        self.progress: QProgressDialog | None = None

    def run(self, label: str, work: Callable[[], object]) -> None:
        self.progress = QProgressDialog(label, None, 0, 0, self._parent)
        self.progress.setWindowTitle("TaperDesk")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(200)  # no flash for quick jobs
        signals = _Signals()
        signals.done.connect(self._done)
        signals.failed.connect(self._failed)
        self._signals = signals  # kept alive until the job reports
        QThreadPool.globalInstance().start(_Job(work, signals))

    def _close(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, result) -> None:
        self._close()
        self.finished.emit(result)

    def _failed(self, exc) -> None:
        self._close()
        self.failed.emit(exc)
