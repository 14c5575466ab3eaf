"""Printing a 33-page handout to a PDF file through the app's print path
(QtPdf renders each page at no more than 300 dpi in grey, Qt prints it):
wall time and file size. Target: under 20 s and under 30 MB.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_print.py
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.patient_handout import patient_handout_pdf
from taperdesk.ui.printing import PrintJob


def handout(pages_wanted: int = 33) -> bytes:
    start = date(2026, 12, 1)
    clinic = HandoutClinic("Harbour Street Clinic", "12 Harbour Street", "023 9200 0100", "Dr Ines Okafor", "", "A4")
    patient = HandoutPatient("Zoë Łukasiewicz", date(1970, 3, 3), "TD-0042")
    for mg in range(10, 80, 2):  # a longer plan until the handout has the pages wanted
        plan = make_plan(Regimen("diazepam", (("morning", mg / 2), ("night", mg / 2))), PlanSettings(start=start))
        pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=clinic, revision=1, printed_on=start)
        if len(PdfReader(io.BytesIO(pdf)).pages) >= pages_wanted:
            return pdf
    return pdf


def main() -> None:
    QApplication.instance() or QApplication(sys.argv)
    pdf = handout()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "printed.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        t0, c0 = time.perf_counter(), time.process_time()
        job = PrintJob(pdf, printer)
        job.run()
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = out.stat().st_size / 1e6
    ok = seconds < 20 and size < 30
    print(f"print to file: {pages}-page handout in {seconds:.1f} s wall ({cpu:.1f} s CPU), {size:.1f} MB "
          f"(pages at {job.image_sizes[0].width()}x{job.image_sizes[0].height()} px);"
          f" target < 20 s and < 30 MB: {'OK' if ok else 'TOO SLOW OR TOO BIG'}")


if __name__ == "__main__":
    main()
