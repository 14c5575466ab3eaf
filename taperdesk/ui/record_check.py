"""The daily record check in the app: `verify_clinic` (storage.verify) run on a
worker thread after the first open of the day, so the window opens at once; its
findings mark the patients concerned in the patient list and put a red banner
on their page. Nothing for them prints until it is put right (the clinic
layer refuses), so the banner says why and what to do."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from taperdesk.storage.verify import Report, verify_clinic
from taperdesk.ui.background import _Job, _Signals


SHOWN = 2  # problems listed on the banner; the list's tooltip and `taperdesk verify` give them all


class RecordCheck(QObject):
    """Runs the whole-file check once in the background; emits checked(Report) or failed(exc)."""

    checked = Signal(object)
    failed = Signal(object)

    def start(self) -> None:
        signals = _Signals()
        signals.done.connect(self.checked.emit)
        signals.failed.connect(self.failed.emit)
        self._signals = signals  # kept alive until the job reports
        QThreadPool.globalInstance().start(_Job(lambda: verify_clinic(close_connection=True), signals))


class RecordBanner(QFrame):
    """Red, above the tabs, when this patient's record failed its check."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("recordcheck")
        self.setStyleSheet("#recordcheck { background: #fde2e1; border: 2px solid #a61b1b; border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        QHBoxLayout(self).addWidget(self.text, 1)
        self.hide()

    def show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.hide()
            return
        shown = "".join(f"<li>{escape(p)}</li>" for p in problems[:SHOWN])
        more = f"<li>and {len(problems) - SHOWN} more (all of them: <code>taperdesk verify</code>)</li>" \
            if len(problems) > SHOWN else ""
        self.text.setText(
            "<b>⚠ This patient's record failed its check.</b> It may have been changed outside TaperDesk or "
            f"damaged. Nothing for this patient is printed until it is put right.<ul>{shown}{more}</ul>"
            "Run <code>taperdesk verify</code> and restore the newest backup that passes it.")
        self.show()


def problems_by_patient(report: Report) -> dict[int, list[str]]:
    """Each marked patient's problems, placed within their record ('plan 2 revision 3: ...')."""
    out: dict[int, list[str]] = {}
    for finding in report.findings:
        if finding.patient_id is not None:
            _patient, _sep, place = finding.where.partition(", ")
            out.setdefault(finding.patient_id, []).append(f"{place}: {finding.problem}" if place else finding.problem)
    return out
