"""Handouts in the app: made on a worker thread, recorded, previewed, printed,
saved, reprinted byte for byte; the calendar and the doses exported."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from icalendar import Calendar
from PySide6.QtPrintSupport import QPrinter

from taperdesk import storage
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.handout_preview import HandoutPreview
from taperdesk.ui.workspace import Workspace

TODAY = date(2026, 12, 1)


@pytest.fixture
def window(qtbot, clinician, monkeypatch):
    shown = []

    def capture(self, dialog) -> bool:
        shown.append(dialog)
        qtbot.addWidget(dialog)
        return True

    monkeypatch.setattr(Workspace, "run_dialog", capture)
    patient = storage.add_patient(name="Анна Петрова", born=date(1988, 2, 3), identifier="TD-0002", author=clinician)
    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    w.select_patient(patient.id)
    settings = PlanSettings(start=TODAY)
    assert w.save_new_plan(make_plan(Regimen("diazepam", (("night", 10.0),)), settings), settings)
    w.shown = shown
    return w


@pytest.mark.parametrize("kind", ["patient", "clinician", "pharmacy", "dosebox"])
def test_a_handout_is_made_in_the_background_recorded_and_previewed(qtbot, window, tmp_path, kind):
    window.make_handout(kind)
    with qtbot.waitSignal(window.background.finished, timeout=20000):
        pass
    preview = window.shown[-1]
    assert isinstance(preview, HandoutPreview) and preview.page_count() >= 1
    records = storage.handouts_for_revision(revision_id=window.current.revision.id)
    assert [r.kind for r in records] == [kind]
    from taperdesk.clinic import handouts as operations_export

    assert operations_export.reprint(handout_id=records[0].id, author=window.clinician) == preview.pdf
    assert preview.save_to(tmp_path / "h.pdf") and (tmp_path / "h.pdf").read_bytes() == preview.pdf
    assert not preview.save_to(tmp_path / "missing-folder" / "h.pdf") and "Not saved" in preview.status.text()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) == preview.page_count()
    assert (tmp_path / "printed.pdf").stat().st_size > 0


def test_exports_write_the_plans_days(window, tmp_path):
    assert window.export_to("csv", tmp_path / "doses.csv")
    rows = list(csv.reader((tmp_path / "doses.csv").read_text(encoding="utf-8").splitlines()))
    plan = window.current.plan
    assert len(rows) == (plan.end - plan.start).days + 2
    assert window.export_to("ics", tmp_path / "plan.ics")
    calendar = Calendar.from_ical((tmp_path / "plan.ics").read_bytes())
    assert calendar.walk("VEVENT")
    assert not window.export_to("csv", tmp_path / "nowhere" / "doses.csv")
    assert "Not exported" in window.last_message


def test_reprint_from_the_history_is_byte_for_byte(qtbot, window):
    window.make_handout("patient")
    with qtbot.waitSignal(window.background.finished, timeout=20000):
        pass
    first = window.shown[-1].pdf
    window.actions_by_name["reprint"].trigger()
    assert isinstance(window.shown[-1], HandoutPreview) and window.shown[-1].pdf == first
    assert len(storage.handouts_for_revision(revision_id=window.current.revision.id)) == 1  # a reprint records nothing new
