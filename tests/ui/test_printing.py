"""Printing runs on a worker thread with progress and Cancel, pages at no more
than 300 dpi (the old path drew 1200-dpi bitmaps on the GUI thread)."""

from __future__ import annotations

from datetime import date

from PySide6.QtPrintSupport import QPrinter

from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.patient_handout import patient_handout_pdf
from taperdesk.ui.handout_preview import HandoutPreview
from taperdesk.ui.printing import PrintJob

START = date(2026, 12, 1)
PDF = patient_handout_pdf(
    plan=make_plan(Regimen("diazepam", (("night", 4.0),)), PlanSettings(start=START)),
    patient=HandoutPatient("Zoë Łukasiewicz", date(1970, 3, 3), "TD-0042"),
    clinic=HandoutClinic("Harbour Street Clinic", "", "", "", "", "A4"), revision=1, printed_on=START,
    diary_weeks=0, invariant=True)


def _printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_background_print_reports_progress_and_finishes(qtbot, tmp_path):
    preview = HandoutPreview(None, pdf=PDF, title="t", suggested_name="t.pdf")
    qtbot.addWidget(preview)
    preview.print_in_background(_printer(tmp_path / "out.pdf"))
    seen = []
    preview.printing.job.page_done.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(preview.printing.finished, timeout=60000) as result:
        pass
    pages = preview.page_count()
    assert result.args == [pages, False]
    assert preview.status.text() == f"Sent {pages} pages to the printer."
    assert (tmp_path / "out.pdf").stat().st_size > 0
    assert not preview.printing.thread.isRunning()


def test_pages_are_rendered_at_most_300_dpi_and_cancel_stops(tmp_path):
    job = PrintJob(PDF, _printer(tmp_path / "a.pdf"), max_dpi=300)
    outcome = []
    job.finished.connect(lambda pages, cancelled: outcome.append((pages, cancelled)))
    job.page_done.connect(lambda done, total: job.cancel() if done == 1 else None)
    job.run()
    assert outcome == [(1, True)]
    assert job.image_sizes[0].width() == round(595.2756 * 300 / 72)  # A4 at 300 dpi, not 1200
