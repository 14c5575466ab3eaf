"""The workspace holds at the two screen sizes clinics have, 1366x768 and
1920x1080, with the real window shown (offscreen): the window fits the
screen; the calendar's last row (today's, often) is fully in view and above
the legend, also for a patient with warnings and a flare banner; no column of
the patient list is cut short, and "Needs attention" is in view; the split
between the list and the patient page is the user's and is remembered. A
screenshot of each size goes to the test's folder."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QTableView

from taperdesk import storage
from taperdesk.ui.patient_list import column_of

TODAY = date(2026, 11, 27)
SIZES = ((1366, 768), (1920, 1080))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory, demo_copy):
    return demo_copy(tmp_path_factory.mktemp("demo") / "demo.sqlite", today=TODAY)


@pytest.fixture
def demo(demo_file, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file.path, path)
    storage.open_database(path, auto_backup=False)
    yield storage.verify_password(name=demo_file.clinician, password=demo_file.password)
    storage.close_database()


def open_window(qtbot, clinician, size):
    from taperdesk.ui.workspace import Workspace

    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def settle():
    for _ in range(3):
        QApplication.processEvents()


def assert_calendar_rows_in_view(window):
    calendar = window.plan_tab.calendar
    grid = calendar._grid
    view = grid.findChild(QTableView)
    model = view.model()
    last = model.rowCount() - 1
    for column in range(model.columnCount()):
        rect = view.visualRect(model.index(last, column))
        assert rect.top() >= 0 and rect.bottom() <= view.viewport().height(), (rect, view.viewport().height())
    # the grid ends above the legend, and the legend inside the window
    grid_bottom = grid.mapTo(window, QPoint(0, grid.height())).y()
    legend = calendar._legend
    legend_top = legend.mapTo(window, QPoint(0, 0)).y()
    assert grid_bottom <= legend_top
    assert legend.mapTo(window, QPoint(0, legend.height())).y() <= window.centralWidget().geometry().bottom()
    # today's cell is fully in the viewport
    today = window.today
    if calendar.shown_month() == (today.year, today.month):
        cells = [model.index(r, c) for r in range(1, model.rowCount()) for c in range(model.columnCount())]
        found = [i for i in cells if model.data(i) == today.day and view.visualRect(i).height() > 0]
        assert found
        rect = view.visualRect(found[-1] if today.day > 20 else found[0])
        assert 0 <= rect.top() and rect.bottom() <= view.viewport().height()


def assert_list_columns_whole(window):
    table, header = window.table, window.table.horizontalHeader()
    for section in range(header.count()):
        needed = max(header.sectionSizeHint(section), table.sizeHintForColumn(section))
        assert header.sectionSize(section) >= needed, (window.patients.headerData(section, 1), needed)
    attention = column_of("Needs attention")
    right = header.sectionViewportPosition(attention) + header.sectionSize(attention)
    assert header.sectionViewportPosition(attention) >= 0 and right <= table.viewport().width()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_workspace_holds_at_clinic_screen_sizes(qtbot, demo, size, tmp_path):
    window = open_window(qtbot, demo, size)
    assert window.width() <= size[0] and window.height() <= size[1]
    assert window.minimumSizeHint().width() <= size[0] and window.minimumSizeHint().height() <= size[1]
    # the patients with the most to show: a flare banner, warnings, a crossover, a hold, a pause
    for name in ("José", "Tomasz", "Margaret", "Sofía", "Eleanor"):
        window.select_patient(storage.search_patients(text=name)[0].id)
        settle()
        assert window.width() <= size[0] and window.height() <= size[1], name
        assert_calendar_rows_in_view(window)
        assert_list_columns_whole(window)
        if name == "José":
            assert window.flare_banner.isVisible()
    image = window.grab()
    path = tmp_path / f"workspace-{size[0]}x{size[1]}.png"
    assert image.save(str(path)) and path.stat().st_size > 10_000


def test_several_warnings_at_the_default_size_keep_the_last_row(qtbot, demo):
    from taperdesk.ui.workspace import Workspace

    window = Workspace(clinician=demo, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    warned = max(storage.search_patients(text=""), key=lambda p: len(window.patients.plan_of(p.id).plan.warnings)
                 if window.patients.plan_of(p.id) else 0)
    window.select_patient(warned.id)
    settle()
    assert len(window.current.plan.warnings) >= 2
    assert_calendar_rows_in_view(window)


def test_the_split_is_the_users_and_is_remembered(qtbot, demo):
    window = open_window(qtbot, demo, (1366, 768))
    before = window.splitter.sizes()
    window.splitter.moveSplitter(before[0] - 120, 1)  # as a drag of the handle
    moved = window.splitter.sizes()
    assert moved[0] == before[0] - 120
    window.close()
    again = open_window(qtbot, demo, (1366, 768))
    assert again.splitter.sizes() == moved


def test_interaction_warnings_and_a_flare_still_fit_1366x768(qtbot, demo):
    """José has the flare banner; with three interaction warnings and a long 'Also takes' line."""
    jose = storage.search_patients(text="José")[0]
    for name in ("oxycodone", "pregabalin", "ciprofloxacin"):
        storage.record_other_medicine(patient_id=jose.id, name=name, dose="as prescribed", author=demo)
    storage.set_alcohol_units(patient_id=jose.id, units_week=30, author=demo)
    window = open_window(qtbot, demo, (1366, 768))
    window.select_patient(jose.id)
    settle()
    assert window.plan_tab.interactions_area.isVisibleTo(window)
    assert window.width() <= 1366 and window.height() <= 768
    assert_calendar_rows_in_view(window)
