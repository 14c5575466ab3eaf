"""The wizard's review table is measured only while its page is shown: a
re-plan from an earlier page asks the step model for no size-relevant text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from tests.ui.test_wizard import REVIEW_PAGE, enter, go_to, wizard  # noqa: F401 (the fixture)


def _counting(model, monkeypatch):
    calls = []
    original = type(model).data

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        calls.append(role)
        return original(self, index, role)

    monkeypatch.setattr(type(model), "data", data)
    return calls


def test_a_hidden_review_table_is_not_measured(wizard, monkeypatch, qtbot):  # noqa: F811
    w = wizard()
    enter(w, "diazepam", night=10)
    page = w.review_page
    assert page.table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    calls = _counting(page.model, monkeypatch)
    w.regimen_page.doses["night"].setValue(12)  # a re-plan while the review page is hidden
    assert page.model.rowCount() > 10
    hidden = len(calls)
    go_to(w, REVIEW_PAGE)
    assert page.table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    shown = len(calls) - hidden
    assert hidden < page.model.rowCount() <= shown  # on screen every row is measured; hidden, hardly any
