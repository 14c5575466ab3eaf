"""Small pieces every wizard page shares.

A problem is shown the same way on every page (a red line in plain words,
hidden when there is nothing to say), and the wizard fills its widgets
without their signals firing, so one change re-plans exactly once."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QWidget

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #555555;"


def error_label(parent: QWidget | None = None) -> QLabel:
    """A red message label; empty and hidden until `show_message` gives it text."""
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setAccessibleName("problem")
    return label


def note_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A grey explanatory line (method explanations, sources, notes)."""
    label = QLabel(text, parent)
    label.setStyleSheet(NOTE_STYLE)
    label.setWordWrap(True)
    return label


def show_message(label: QLabel, text: str | None) -> None:
    text = text or ""
    if label.text() != text:
        label.setText(text)
    label.setVisible(bool(text))


@contextmanager
def quiet(*widgets: QObject) -> Iterator[None]:
    """Set widgets from code without their change signals re-planning."""
    was = [w.blockSignals(True) for w in widgets]
    try:
        yield
    finally:
        for w, old in zip(widgets, was):
            w.blockSignals(old)



class NumberSpinBox(QDoubleSpinBox):
    """A dose (mg to 4 decimals) or a percent, written as a clinician writes
    it: '2.5 mg', not '2.5000 mg'."""

    def __init__(self, *, decimals: int = 4, low: float = 0, high: float = 1000, step: float = 0.5,
                 suffix: str = " mg"):
        super().__init__()
        self.setDecimals(decimals)
        self.setRange(low, high)
        self.setSingleStep(step)
        self.setSuffix(suffix)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        # in the spin box's locale, so what it shows is what it accepts back
        locale = self.locale()
        text = locale.toString(float(value), "f", self.decimals()).replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text
