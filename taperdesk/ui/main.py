"""Start-up of the desktop app. The workspace (patients, wizard, calendar) is
built in the workspace issue; until then the window says what the app is and
how to plan from the command line."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def build_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("TaperDesk")
    label = QLabel(
        "<h2>TaperDesk</h2><p>The taper planner is ready from the command line:</p>"
        "<pre>taperdesk plan --drug diazepam --dose night=10 --format table</pre>"
    )
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(720, 420)
    return window


def run_gui(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName("TaperDesk")
    app.setApplicationName("TaperDesk")
    window = build_window()
    window.show()
    return app.exec()
