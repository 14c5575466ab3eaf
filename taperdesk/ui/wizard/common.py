"""Small pieces every wizard page shares.

A problem is shown the same way on every page (a red line in plain words,
hidden when there is nothing to say), and the wizard fills its widgets
without their signals firing, so one change re-plans exactly once."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QObject
from PySide6.QtGui import QValidator
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



FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": None, "⅔": None}  # thirds are no tablet split
_AMOUNT = re.compile(r"^(\d*)(?:[.,](\d*))?$")


def parse_amount(text: str, suffix: str = "") -> tuple[str, float | None]:
    """Read an amount the way people type it: '0.5', '.5', '0,5', '0.5mg', '0.5 mg',
    '½', '1½', '1 ½ mg'. Returns (state, value): state 'ok' with the value,
    'partial' for the start of one ('', '.', '0,'), or 'bad'. A unit, or the
    start of one ('0.5 m'), may follow the number."""
    s = text.strip().lower()
    for unit in sorted({suffix.strip().lower(), "mg"} - {""}, key=len, reverse=True):
        cut = next((n for n in range(len(unit), 0, -1) if s.endswith(unit[:n])), 0)
        if cut and s[:-cut].strip():
            s = s[:-cut].strip()
            break
    if s in ("", ".", ","):
        return "partial", None
    fraction = 0.0
    if s[-1] in FRACTIONS:
        part = FRACTIONS[s[-1]]
        if part is None:
            return "bad", None
        fraction, s = part, s[:-1].strip()
        if not s:
            return "ok", fraction
        if not s.isdigit():
            return "bad", None
    match = _AMOUNT.match(s)
    if match is None:
        return "bad", None
    whole, decimals = match.group(1), match.group(2)
    return "ok", float(f"{whole or 0}.{decimals or 0}") + fraction


class NumberSpinBox(QDoubleSpinBox):
    """A dose (mg to 4 decimals) or a percent, written as a clinician writes
    it: '2.5 mg', not '2.5000 mg'. Typing over it takes any of the ways a
    person writes an amount (see parse_amount): with Qt's own parsing, select-all
    over '1 mg' then typing '0.5' passed through '0' = 'no dose' and stayed
    there, silently dropping that dose time. A value typed that cannot be read
    is never turned into 0: the field keeps the text and says nothing new."""

    def __init__(self, *, decimals: int = 4, low: float = 0, high: float = 1000, step: float = 0.5,
                 suffix: str = " mg"):
        super().__init__()
        self.setDecimals(decimals)
        self.setRange(low, high)
        self.setSingleStep(step)
        self.setSuffix(suffix)
        self.setCorrectionMode(QDoubleSpinBox.CorrectionMode.CorrectToPreviousValue)

    def _read(self, text: str) -> tuple[str, float | None]:
        special = self.specialValueText()
        if special and text.strip().lower() == special.lower():
            return "ok", self.minimum()
        state, value = parse_amount(text, self.suffix())
        if state == "ok" and value is not None:
            if value > self.maximum():
                return "bad", None
            if value < self.minimum():
                return "partial", None
            value = round(value, self.decimals())
        return state, value

    def validate(self, text: str, pos: int):  # noqa: D102 (Qt's name)
        state, value = self._read(text)
        special = self.specialValueText()
        if state == "ok" and special and value == self.minimum() and text.strip().lower() != special.lower():
            # a typed '0' may be the start of '0.5': were it accepted now, Qt would
            # show 'no dose' at once and the '.5' typed next would be lost
            state = "partial"
        qstate = {"ok": QValidator.State.Acceptable, "partial": QValidator.State.Intermediate,
                  "bad": QValidator.State.Invalid}[state]
        return qstate, text, pos

    def fixup(self, text: str) -> str:  # noqa: D102 (Qt's name): on leaving, a typed '0' is 'no dose'
        state, value = self._read(text)
        if state != "ok" or value is None:
            return text
        if value == self.minimum() and self.specialValueText():
            return self.specialValueText()
        return self.prefix() + self.textFromValue(value) + self.suffix()

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt's name)
        state, value = self._read(text)
        return value if state == "ok" and value is not None else self.value()

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        # in the spin box's locale, so what it shows is what it accepts back
        locale = self.locale()
        text = locale.toString(float(value), "f", self.decimals()).replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text
