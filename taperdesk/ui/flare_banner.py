"""The banner on the patient page when symptoms flare after a cut: it says
what was seen and offers a hold, opened as a filled-in dialog to read and save. Nothing happens by itself
(Joint Guideline 2025 Rec 11: pausing is the first response; the clinician decides)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class FlareBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("flare")
        self.setStyleSheet("#flare { background: #fff1d6; border: 2px solid #b36b00; border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.hold = QPushButton("Hold 14 days fro&m today…")
        self.hold.setToolTip("Opens the hold, filled in: today's dose kept for 14 more days, every later step moved"
                             " back, the flare as the reason. Nothing is saved until you save it.")
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.hold)
        self.hide()

    def show_flare(self, flare) -> None:
        if flare is None:
            self.hide()
            return
        self.text.setText(
            f"<b>⚠ Symptoms flared after the cut on {flare.cut_date.isoformat()}.</b> {flare.text} "
            "Consider holding the taper (Joint Guideline 2025 Rec 11)."
        )
        self.show()
