"""Small pieces every wizard page shares.

A problem is shown the same way on every page (a red line in plain words,
hidden when there is nothing to say), and the wizard fills its widgets
without their signals firing, so one change re-plans exactly once."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

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

