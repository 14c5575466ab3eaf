"""Plain values the exports print from. The UI and CLI map storage records onto these,
so the export layer never imports storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PAPER_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class HandoutPatient:
    name: str
    born: date
    identifier: str
    next_review: date | None = None  # the patient's next review with the clinic, as set in the app


@dataclass(frozen=True)
class HandoutClinic:
    name: str
    address: str
    phone: str
    prescriber: str
    letterhead: str
    paper_size: str  # "A4" | "Letter"
    emergency_number: str = ""  # the clinic's country's, from its settings ("" on a clinic set up before)
    country: str = ""


def page_size(clinic: HandoutClinic) -> tuple[float, float]:
    """ReportLab's A4 or letter page size (points) for the clinic's paper."""
    from reportlab.lib.pagesizes import A4, letter

    size = (clinic.paper_size or "A4").strip().lower()
    if size == "a4":
        return A4
    if size in ("letter", "us letter"):
        return letter
    from taperdesk.export.fonts import ExportError

    raise ExportError(f"Unknown paper size {clinic.paper_size!r}: choose A4 or Letter")
