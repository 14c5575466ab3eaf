"""Answering the modal dialogs the app opens with exec() (start-up refusals,
the lost-file dialog): a zero-delay timer looks for the active modal widget on
each turn of the event loop, records its text and presses a button by its
label. No sleeping: the timer runs inside the dialog's own event loop."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


@dataclass
class Seen:
    title: str
    text: str
    detail: str
    buttons: list[str]


@dataclass
class ModalAnswerer:
    """Press `answers[i]` in the i-th modal dialog; a dialog that is not a
    message box (sign-in) is rejected when its answer is "cancel"."""

    answers: list[str]
    seen: list[Seen] = field(default_factory=list)
    _timer: QTimer | None = None
    _before: set = field(default_factory=set)

    def start(self) -> ModalAnswerer:
        # a box left open by an earlier test is not one of ours
        self._before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible() or getattr(widget, "_answered", False):
            return
        if id(widget) in self._before:
            return
        widget._answered = True
        answer = self.answers[len(self.seen)] if len(self.seen) < len(self.answers) else "cancel"
        if isinstance(widget, QMessageBox):
            self.seen.append(Seen(widget.windowTitle(), widget.text(), widget.informativeText(),
                                  [b.text() for b in widget.buttons()]))
            for button in widget.buttons():
                if button.text() == answer:
                    button.click()
                    return
            widget.reject()
        elif isinstance(widget, QDialog):
            self.seen.append(Seen(widget.windowTitle(), "", "", []))
            widget.reject()
