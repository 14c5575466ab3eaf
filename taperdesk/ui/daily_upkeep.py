"""The first open of the day, after the window is up: the daily backup, checked
once, then the check of every record (storage.daily.daily_upkeep), on a worker
thread. A small indicator in the status bar says it is running; when it ends
the status bar says so and the record check's findings mark the patients
(ui.record_check). A failure (a damaged file, a full disk) opens a dialog
saying what happened and what to do: the clinic can go on working meanwhile,
but without today's backup. On a clinic server the first workstation of the
day makes it (a pg_dump into its backups folder); the others only say where
and when it was made."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from taperdesk.storage.daily import DailyResult, daily_upkeep
from taperdesk.ui.background import _Job, _Signals

RUNNING = "Daily backup and record check…"


class _Indicator(QWidget):
    """'Daily backup and record check…' with a busy bar, at the right of the status bar."""

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        self.label = QLabel(RUNNING)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the backup API gives no progress we wait for
        self.bar.setMaximumWidth(90)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setAccessibleName(RUNNING)


class DailyUpkeep(QObject):
    """Runs storage.daily.daily_upkeep once for `window` (a Workspace); emits
    finished(DailyResult) or failed(exc) after updating the window."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.indicator: _Indicator | None = None

    @property
    def running(self) -> bool:
        return self.indicator is not None

    def start(self) -> None:
        self.indicator = _Indicator()
        self.window.statusBar().addPermanentWidget(self.indicator)
        signals = _Signals()
        signals.done.connect(self._done)
        signals.failed.connect(self._failed)
        self._signals = signals  # kept alive until the job reports
        QThreadPool.globalInstance().start(_Job(lambda: daily_upkeep(close_connection=True), signals))

    def _stop_indicator(self) -> None:
        if self.indicator is not None:
            self.window.statusBar().removeWidget(self.indicator)
            self.indicator.deleteLater()
            self.indicator = None

    def _done(self, result: DailyResult) -> None:
        self._stop_indicator()
        if result.backup is None:  # a clinic server whose backup of today another workstation made
            self.window.show_status(f"Today's backup of the clinic server was {result.made_elsewhere}.")
            self.finished.emit(result)
            return
        if result.report is not None:
            self.window.apply_record_check(result.report)  # marks patients; a dialog when it found problems
        saved = f"Today's backup is saved and checked ({result.backup.name})."
        if result.report is not None and result.report.ok:
            saved += f" Record check passed: {result.report.summary()}."
        self.window.show_status(saved)
        self.finished.emit(result)

    def _failed(self, exc) -> None:
        self._stop_indicator()
        self.window.report(f"The daily backup and check did not finish: {exc} You can go on working, but there "
                           f"is no backup from today: use Back up now (Ctrl+B) once the problem is put right.",
                           title="TaperDesk daily backup")
        self.failed.emit(exc)


def start_daily_upkeep(window) -> DailyUpkeep:
    upkeep = DailyUpkeep(window)
    window.daily_upkeep = upkeep
    upkeep.start()
    return upkeep
