"""Interaction warnings on paper: a table with what to do and the source on the
clinician summary, and the same warnings in plain words on the patient handout.

Both print what clinic.interactions found for the patient's recorded other
medicines and alcohol; the summary says what was checked when nothing matched,
so a blank never reads as "checked and safe"."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from taperdesk.core.interactions import Findings

INK = colors.black
WARN = colors.Color(1.0, 0.93, 0.80)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_rows(found: Findings, cell: Callable[[str, bool], Paragraph]) -> list[list[Paragraph]]:
    """Rows of the summary's table: the pair (bold) | risk, what to do, source."""
    rows = [[cell("Interaction", True), cell("Risk, what to do, source", True)]]
    for w in found.warnings:
        rows.append([cell(w.pair, True),
                     cell(f"{w.risk} What to do: {w.action} Source: {w.cite()}.", False)])
    return rows


def patient_box(found: Findings | None, st, width: float) -> list[Flowable]:
    """'Your other medicines and alcohol': one plain sentence or two per warning, in a
    heavy box so it is not missed; nothing when there is no warning. `st` is the
    handout's Styles (body 12 pt)."""
    if found is None or not found.warnings:
        return []
    lines = [Paragraph("Your other medicines and alcohol", st.bold_body)]
    for text in dict.fromkeys(w.patient_text for w in found.warnings):
        lines.append(Paragraph(_esc(text), st.bullet, bulletText="•"))
    lines.append(Paragraph("Tell your clinic about any new medicine, even one you buy without a prescription.",
                           st.body))
    box = Table([[line] for line in lines], colWidths=[width])
    box.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.regular),
        ("BOX", (0, 0), (-1, -1), 2, INK),
        ("BACKGROUND", (0, 0), (-1, -1), WARN),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Spacer(0, 10), box]
