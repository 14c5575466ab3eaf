"""The desktop app starts and shows its window (offscreen)."""

from taperdesk.ui.main import build_window


def test_main_window_shows(qtbot):
    window = build_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "TaperDesk"
    assert window.isVisible()
