"""The offer beside the plan: what the liquid or quarter tablets would change
(biggest cut, weeks shorter or longer), with a button to switch (issue 10).
Kept in its own module so the wizard pages only place it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from taperdesk.core.alternatives import Shorter, shorter_options


class ShorterOffer(QWidget):
    """One line and one button per finer stock that makes the plan's biggest cut smaller."""

    switch = Signal(str)  # "liquid" or "quarter"

    BUTTONS = {"liquid": "S&witch to the liquid", "quarter": "Allow &quarter tablets"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.offers: list[Shorter] = []
        self.setVisible(False)

    def show_for(self, out, catalogue) -> None:
        """Re-plan with finer stocks when the plan's end is slow; show what they save."""
        offers: list[Shorter] = []
        if out is not None and out.plan is not None and out.regimen is not None and out.settings is not None:
            offers = shorter_options(out.regimen, out.settings, catalogue, out.plan)
        if [(o.change, o.days_saved) for o in offers] == [(o.change, o.days_saved) for o in self.offers]:
            return
        self.offers = offers
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for offer in offers:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(offer.text)
            label.setWordWrap(True)
            label.setStyleSheet("color: #1f5fa8;")
            button = QPushButton(self.BUTTONS[offer.change])
            button.clicked.connect(lambda _=False, c=offer.change: self.switch.emit(c))
            line.addWidget(label, 1)
            line.addWidget(button)
            self._layout.addWidget(row)
        self.setVisible(bool(offers))
