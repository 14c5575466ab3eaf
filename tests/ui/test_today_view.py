"""The Today view on a demo clinic, read through its item model: the landing
page of the workspace, the same list as `taperdesk today`, counts at the top,
one click or Enter opening the patient at the right tab, printable (pdftotext)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt

from taperdesk import storage
from taperdesk.app import main
from taperdesk.clinic.today import GROUPS
from taperdesk.ui.today_view import TARGET

TODAY = date.today()


@pytest.fixture
def window(qtbot, open_demo):
    from taperdesk.ui.workspace import Workspace

    w = Workspace(clinician=storage.list_clinicians()[0], today=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.db_path = open_demo
    return w


def _rows(model):
    """(group title, [row texts]) as the tree shows them, once every line fetched is built."""
    model.build_all()
    out = []
    for g in range(model.rowCount()):
        head = model.index(g, 0)
        rows = [tuple(model.index(r, c, head).data() for c in range(model.columnCount()))
                for r in range(model.rowCount(head))]
        out.append((head.data(), rows))
    return out


def test_today_is_the_landing_page_and_agrees_with_the_command(window, capsys, qtmodeltester):
    view = window.today_view
    assert window.pages.currentWidget() is view
    qtmodeltester.check(view.model)
    shown = _rows(view.model)
    assert shown, "the demo clinic has someone to see today"
    capsys.readouterr()  # the model tester's own line
    storage.close_database()
    assert main(["today", "--db", str(window.db_path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    storage.open_database(window.db_path, auto_backup=False)
    by_group: dict[str, list] = {}
    for item in doc["items"]:
        by_group.setdefault(item["group"], []).append((item["name"], item["identifier"], item["phone"],
                                                      item["what"], item["evidence"]))
    assert shown == [(f"{title} ({len(rows)})", rows) for title, rows in by_group.items()]
    counts = view.counts.text()
    for title, n in doc["counts"].items():
        assert f"{title.split(':')[0]} <b>{n}</b>" in counts


def test_click_or_enter_opens_the_patient_at_the_right_tab(window, qtbot):
    view = window.today_view
    flares = next(g for g in range(view.model.rowCount())
                  if view.model.index(g, 0).data().startswith(GROUPS["flares"]))
    first = view.model.index(0, 0, view.model.index(flares, 0))
    pid, tab = first.data(TARGET)
    assert tab == "symptoms"
    view.tree.setCurrentIndex(first)
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert window.patient_id == pid and window.pages.currentIndex() == 1
    assert window.tabs.currentWidget() is window.symptoms_host
    assert first.data() in window.header.text()
    window.actions_by_name["today"].trigger()
    assert window.pages.currentWidget() is view and window.patient_id is None
    # one click on the 'what' cell of a row opens it too
    cell = view.model.index(0, 3, view.model.index(flares, 0))
    rect = view.tree.visualRect(cell)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.patient_id == pid


def test_a_lines_tooltip_reads_in_full_from_any_of_its_cells(window):
    """The tooltip (what, and why) is worked out from the row when asked, on every
    cell of a patient's line; a group's title has none."""
    from taperdesk.ui.today_view import row_tooltip

    view = window.today_view
    for g in range(view.model.rowCount()):
        head = view.model.index(g, 0)
        assert row_tooltip(head) == ""
        for r in range(view.model.rowCount(head)):
            what, why = (view.model.index(r, c, head).data() for c in (3, 4))
            for c in range(view.model.columnCount()):
                assert row_tooltip(view.model.index(r, c, head)) == f"{what}\n{why}".strip()


def test_a_refresh_keeps_the_columns_and_the_model_sound(window, qtmodeltester):
    """The list is rebuilt on each refresh without resetting the columns the
    clinician widened, and stays a sound model while it is rebuilt."""
    view = window.today_view
    qtmodeltester.check(view.model)
    view.tree.setColumnWidth(3, 333)
    before = _rows(view.model)
    view.refresh()
    view.refresh()
    assert view.tree.columnWidth(3) == 333
    assert _rows(view.model) == before
    for g in range(view.model.rowCount()):  # group titles read across the whole width
        assert view.tree.isFirstColumnSpanned(g, view.model.index(g, 0).parent())
        assert view.tree.isExpanded(view.model.index(g, 0))
    first = view.model.index(0, 0, view.model.index(0, 0))
    assert view.tree.currentIndex() == first and isinstance(first.data(TARGET), tuple)


def test_the_list_prints_as_it_reads(window, tmp_path):
    out = tmp_path / "today.pdf"
    window.today_view.write_pdf(out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Today: {TODAY.isoformat()}" in text
    listing = window.today_view.listing()
    for item in listing.items:
        assert item.identifier in text
        assert item.what.split(" (")[0] in " ".join(text.split())


def test_a_large_first_roll_of_the_day_runs_behind_the_window(qtbot, demo_template, tmp_path, monkeypatch):
    """The window comes first; the roll runs on a worker (status bar says so) and the list fills in."""
    from taperdesk.storage import attention
    from taperdesk.ui import today_view
    from taperdesk.ui.workspace import Workspace

    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    storage.open_database(path, auto_backup=False)
    try:
        from taperdesk.storage.models import db

        db.execute_sql("DELETE FROM patient_attention")  # as a file just upgraded to schema 9 has
        db.execute_sql("DELETE FROM attention_roll")
        monkeypatch.setattr(today_view, "ROLL_IN_BACKGROUND_OVER", 3)
        w = Workspace(clinician=storage.list_clinicians()[0], today=TODAY)
        qtbot.addWidget(w)
        w.show()
        assert "in the background" in w.last_message and w.today_view.model.rowCount() == 0
        qtbot.waitUntil(lambda: not w.today_view.rolling, timeout=60_000)
        assert w.last_message.startswith("Today's list is up to date (12 patients")
        assert attention.pending_roll() == 0 and attention.differences() == []
        assert _rows(w.today_view.model), "the list filled in"
    finally:
        storage.close_database()


def test_a_long_group_shows_a_page_and_the_rest_on_enter(window, qtbot, monkeypatch, qtmodeltester):
    """Only a page of each group is fetched; its last row says how many more,
    and Enter on it (keyboard only) brings the next page, until the group is whole."""
    from taperdesk.ui import today_view

    monkeypatch.setattr(today_view, "PAGE", 1)
    view = window.today_view
    view.refresh()
    view.model.build_all()
    qtmodeltester.check(view.model)
    whole = view.listing()
    g = next(g for g in range(view.model.rowCount()) if view.model.total(view.model.group_key(g)) >= 3)
    key = view.model.group_key(g)
    head = view.model.index(g, 0)
    want = [(i.name, i.identifier, i.phone, i.what, i.evidence) for i in whole.group(key)]
    assert view.model.rowCount(head) == 2
    more = view.model.index(1, 0, head)
    assert more.data(TARGET) == ("more", key) and more.data().startswith(f"… {len(want) - 1} more")
    assert view.tree.isFirstColumnSpanned(1, head)  # 'more' reads across the whole width
    view.tree.setFocus()
    while view.model.rowCount(head) <= len(want) and view.model.index(view.model.rowCount(head) - 1, 0, head) \
            .data(TARGET) == ("more", key):
        view.tree.setCurrentIndex(view.model.index(view.model.rowCount(head) - 1, 0, head))
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert _rows(view.model)[g][1] == want  # the whole group, in the list's order, no 'more' row left
    assert window.patient_id is None  # showing more opened nobody
    qtmodeltester.check(view.model)


def _built(model) -> int:
    """Rows built so far: group titles, lines and 'more' rows."""
    return model.rowCount() + sum(model.rowCount(model.index(g, 0)) for g in range(model.rowCount()))


def test_rows_are_built_a_screenful_at_a_time_and_the_rest_as_it_is_scrolled(window, qtbot, monkeypatch,
                                                                            qtmodeltester):
    """Only the rows that fill the list are built on a refresh; the rest as the
    list is scrolled to its end (or while its end is in sight), until every
    line fetched is there, in the command's order."""
    from PySide6.QtCore import QModelIndex

    from taperdesk.ui.today_model import TodayModel

    view = window.today_view
    whole = _rows(view.model)
    assert sum(len(rows) for _title, rows in whole) > 4, "the demo clinic has enough lines to build in parts"
    apart = TodayModel()
    apart.set_opening(view.model.opening, rows=3)
    assert _built(apart) == 3 and apart.pending()
    qtmodeltester.check(apart)
    apart.build_more(2)
    assert _built(apart) == 5
    assert _rows(apart) == whole and not apart.pending()
    # in the view: a refresh builds three rows; the rest come while the end is in sight
    monkeypatch.setattr(view, "_screenful", lambda: 3)
    view.refresh()
    qtbot.waitUntil(lambda: not view.model.pending())
    assert _rows(view.model) == whole
    for g in range(view.model.rowCount()):
        assert view.tree.isExpanded(view.model.index(g, 0))
        assert view.tree.isFirstColumnSpanned(g, QModelIndex())
    # a short list: the first rows fill it; scrolling to its end (here by keyboard) brings the rest
    from taperdesk.ui import today_model
    from taperdesk.ui.today_view import TodayView

    monkeypatch.setattr(today_model, "BUILD", 2)
    short = TodayView(today=TODAY)
    qtbot.addWidget(short)
    short.resize(900, 170)
    short.show()
    monkeypatch.setattr(short, "_screenful", lambda: 6)
    short.refresh()
    bar = short.tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert short.model.pending()
    short.tree.setFocus()
    while short.model.pending():
        before = _built(short.model)
        qtbot.keyClick(short.tree, Qt.Key.Key_End)
        qtbot.waitUntil(lambda: _built(short.model) > before)  # two more rows each time
    assert _rows(short.model) == whole
