"""Long work (a large handout, an export, a backup) runs on a worker thread while
a progress dialog, or a busy indicator in the status bar, shows; the window never
freezes. The result comes back on the GUI thread through a signal."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QProgressDialog, QSizePolicy, QWidget


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


class _ReportsBack(QObject):
    """A job on the global pool whose end closes what showed it running, then
    emits finished(result) or failed(exc) on the GUI thread."""

    finished = Signal(object)
    failed = Signal(object)

    def _start_job(self, work: Callable[[], object]) -> None:
        signals = _Signals()
        signals.done.connect(self._done)  # bound methods of a GUI-thread object: queued to that thread
        signals.failed.connect(self._failed)
        self._signals = signals  # kept alive until the job reports
        QThreadPool.globalInstance().start(_Job(work, signals))

    def _close(self) -> None:
        raise NotImplementedError

    def _done(self, result) -> None:
        self._close()
        self.finished.emit(result)

    def _failed(self, exc) -> None:
        self._close()
        self.failed.emit(exc)


class Background(_ReportsBack):
    """Runs one job at a time with a busy progress dialog; emits finished(result) or failed(exc)."""

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
        self._start_job(work)

    def _close(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None


class BusyIndicator(QWidget):
    """What is running ('Backing up…') with a busy bar, for the right of the status bar:
    the window stays usable, so a modal progress dialog would be in the way."""

    def __init__(self, text: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        self.label = QLabel(text)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the work gives no progress to wait for
        self.bar.setFixedSize(90, 14)
        self.bar.setTextVisible(False)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setAccessibleName(text)
        # no wider than it needs: the status bar would give it half its width, the words mid-bar
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)


class StatusBarJob(_ReportsBack):
    """One job at a time on a worker while a BusyIndicator stands in `window`'s
    status bar; emits finished(result) or failed(exc) on the GUI thread once the
    indicator is gone. For work the user may go on working beside (a backup)."""

    def __init__(self, window, text: str) -> None:
        super().__init__(window)
        self.window, self.text = window, text
        self.indicator: BusyIndicator | None = None

    @property
    def running(self) -> bool:
        return self.indicator is not None

    def start(self, work: Callable[[], object]) -> bool:
        """False, and nothing started, while the last job is still running."""
        if self.running:
            return False
        self.indicator = BusyIndicator(self.text)
        self.window.statusBar().addPermanentWidget(self.indicator)
        self._start_job(work)
        return True

    def _close(self) -> None:
        if self.indicator is not None:
            self.window.statusBar().removeWidget(self.indicator)
            self.indicator.deleteLater()
            self.indicator = None
