"""The patient handout PDF: names and doses print, pages follow the plan, bytes repeat."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, letter

from taperdesk.core.dispensing import DrugStock
from taperdesk.core.edits import hold
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.core.words import units_in_words
from taperdesk.export import fonts
from taperdesk.export.fonts import ExportError, register_fonts
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.patient_handout import HOLD_WORDS, patient_handout_pdf
from taperdesk.export.patient_pages import months_of
from taperdesk.export.patient_text import date_range, day_long

START = date(2026, 12, 1)
ZOE = HandoutPatient("Zoë Łukasiewicz", date(1970, 3, 3), "TD-0042")
ANNA = HandoutPatient("Анна Петрова", date(1985, 11, 20), "TD-0043")
CLINIC = HandoutClinic(
    name="Harbour Street Clinic", address="12 Harbour Street\nPortsmouth", phone="023 9200 0100",
    prescriber="Dr Ines Okafor", letterhead="Harbour Street Clinic\nMedicines Support Service", paper_size="A4",
)
LETTER_CLINIC = HandoutClinic(**{**CLINIC.__dict__, "paper_size": "Letter"})
REASON = "Poor sleep after the last cut"


@pytest.fixture(scope="module")
def crossover_plan():
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=START, crossover=True))
    return hold(plan, date(2027, 2, 1), 14, REASON)


@pytest.fixture(scope="module")
def liquid_plan():
    return make_plan(
        Regimen("diazepam", (("night", 2.0),)),
        PlanSettings(start=START, stock=(DrugStock("diazepam", (), "none", liquid=True),)),
    )


def render(plan, patient=ZOE, clinic=CLINIC, **kw) -> bytes:
    kw.setdefault("invariant", True)
    kw.setdefault("printed_on", START)
    return patient_handout_pdf(plan=plan, patient=patient, clinic=clinic, revision=3, **kw)


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def crossover_pdf(crossover_plan):
    return render(crossover_plan)


@pytest.fixture(scope="module")
def crossover_text(crossover_pdf):
    return pages_text(crossover_pdf)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("patient", [ZOE, ANNA], ids=["latin", "cyrillic"])
def test_non_ascii_names_print(crossover_plan, patient):
    text = pages_text(render(crossover_plan, patient=patient))
    assert patient.name in text[0]
    assert all(patient.name in page for page in text)  # in every page's footer


def test_every_step_dose_in_mg_and_words(crossover_plan, crossover_text):
    front = " ".join(page for page in crossover_text if "Dates" in page or "What to take" in page)
    for step in crossover_plan.steps:
        assert _flat(date_range(step.start, step.end)) in front or not step.doses
        for dose in step.doses:
            assert f"{fmt_mg(dose.mg)} mg {dose.drug}" in front
            assert _flat(units_in_words(dose.units)) in front


def test_liquid_doses_in_words(liquid_plan):
    text = " ".join(pages_text(render(liquid_plan)))
    for step in liquid_plan.steps:
        for dose in step.doses:
            assert _flat(units_in_words(dose.units)) in text
    assert "mL of the liquid" in text


def test_front_page_details(crossover_plan, crossover_text):
    first = crossover_text[0]
    for expected in ("Harbour Street Clinic", "023 9200 0100", "3 March 1970", "Dr Ines Okafor",
                     "lorazepam, switching to diazepam", _flat(day_long(START)), "What to take"):
        assert expected in first


def test_stop_date_sentence(crossover_plan, crossover_text):
    last_dose = crossover_plan.steps[-2].end
    stop = crossover_plan.steps[-1]
    assert stop.kind == "stop"
    assert f"Your last dose is on {day_long(last_dose)}; from {day_long(stop.start)} you take no more." in crossover_text[0]


def test_hold_reason_and_label(crossover_text):
    text = " ".join(crossover_text)
    assert "Hold: same dose" in text
    assert HOLD_WORDS in text  # the patient's words, not the clinician's reason
    assert REASON not in text
    assert "HOLD" in text


def test_footer_on_every_page(crossover_text):
    total = len(crossover_text)
    for n, page in enumerate(crossover_text, 1):
        assert f"Plan revision 3 · printed 1 December 2026 · page {n} of {total}" in page


MONTHS = "January February March April May June July August September October November December".split()


def check_page_plan(plan, text, diary_pages, printed_on=START):
    """front page(s), then the calendar month by month in order (a month may run
    over pages marked "continued"), the diary, the advice page."""
    months = [m for m in months_of(plan) if m >= (printed_on.year, printed_on.month)]
    first_month = next(i for i, p in enumerate(text) if p.startswith(f"{MONTHS[months[0][1] - 1]} {months[0][0]}"))
    assert first_month >= 1 and text[0].startswith("Harbour Street Clinic")
    calendar = [p for p in text if p.split(" Tick a box")[0].removesuffix(" (continued)") in
                {f"{MONTHS[m - 1]} {y}" for y, m in months_of(plan)}]
    assert text[first_month:first_month + len(calendar)] == calendar
    titles = [p.split(" Tick a box")[0] for p in calendar]
    assert [t for t in titles if not t.endswith("(continued)")] == [f"{MONTHS[m - 1]} {y}" for y, m in months]
    after = first_month + len(calendar)
    advice = next(i for i, p in enumerate(text) if p.startswith("Staying safe"))
    assert [p for p in text if p.startswith("Symptom diary")] == text[after:advice]
    assert len(text[after:advice]) == diary_pages
    assert len(text) - advice <= 2  # the advice pages: one sheet, both sides
    return first_month, len(calendar)


def test_page_count_follows_the_plan(crossover_plan, crossover_text, liquid_plan):
    _front, pages = check_page_plan(crossover_plan, crossover_text, diary_pages=2)  # 4 weeks, two a page
    # a longer plan: more months, more pages
    longer = hold(crossover_plan, date(2027, 3, 1), 90, "Life event")
    assert len(months_of(longer)) == len(months_of(crossover_plan)) + 3
    longer_text = pages_text(render(longer))
    _front, longer_pages = check_page_plan(longer, longer_text, diary_pages=2)
    assert longer_pages >= pages + 3
    # one week of diary still takes a page; none leaves the diary out
    check_page_plan(liquid_plan, pages_text(render(liquid_plan, diary_weeks=1)), diary_pages=1)
    check_page_plan(liquid_plan, pages_text(render(liquid_plan, diary_weeks=0)), diary_pages=0)


def test_months_before_the_printing_month_are_left_out(crossover_plan):
    text = pages_text(render(crossover_plan, printed_on=date(2027, 3, 10)))
    check_page_plan(crossover_plan, text, diary_pages=2, printed_on=date(2027, 3, 10))
    assert not any(p.startswith(("December 2026", "January 2027", "February 2027")) for p in text)


def test_calendar_marks_days(crossover_plan, crossover_text, liquid_plan):
    december = " ".join(p for p in crossover_text if p.startswith("December 2026"))
    assert "NEW DOSE" in december  # a crossover's first day already switches one dose
    assert "Morning" in december and "Night" in december
    february = " ".join(p for p in crossover_text if p.startswith("February 2027"))
    assert february.count("HOLD") >= 14 + 1  # the help line says HOLD once
    liquid = " ".join(p for p in pages_text(render(liquid_plan)) if p.startswith("December 2026"))
    assert "START" in liquid


def test_diary_starts_at_printed_date_or_plan_start(crossover_plan):
    later = patient_handout_pdf(plan=crossover_plan, patient=ZOE, clinic=CLINIC, revision=1,
                                printed_on=date(2027, 1, 4), diary_weeks=1, invariant=True)
    assert any(p.startswith("Symptom diary: Mon 4 Jan – Sun 10 Jan 2027") for p in pages_text(later))
    earlier = patient_handout_pdf(plan=crossover_plan, patient=ZOE, clinic=CLINIC, revision=1,
                                  printed_on=date(2026, 11, 20), diary_weeks=1, invariant=True)
    assert any(p.startswith("Symptom diary: Tue 1 Dec – Mon 7 Dec 2026") for p in pages_text(earlier))


def test_advice_page(crossover_text):
    advice = " ".join(crossover_text[next(i for i, p in enumerate(crossover_text) if p.startswith("Staying safe")):])
    for words in ("Do not stop suddenly", "seizures", "alcohol", "caffeine", "emergency",
                  "Harbour Street Clinic on 023 9200 0100", "A pause is normal and safe"):
        assert words in advice


def test_identical_bytes_when_invariant(crossover_plan, crossover_pdf):
    assert render(crossover_plan) == crossover_pdf


def test_paper_size(crossover_plan, crossover_pdf):
    a4 = PdfReader(io.BytesIO(crossover_pdf)).pages[0].mediabox
    us = PdfReader(io.BytesIO(render(crossover_plan, clinic=LETTER_CLINIC))).pages
    assert (round(float(a4.width)), round(float(a4.height))) == (round(A4[0]), round(A4[1]))
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (612, 792) for p in us)
    assert page_size(LETTER_CLINIC) == letter


def test_font_embedded(crossover_pdf):
    assert b"DejaVuSans" in crossover_pdf and b"/FontFile2" in crossover_pdf


def test_missing_fonts(monkeypatch, tmp_path, crossover_plan):
    from reportlab.pdfbase import pdfmetrics

    monkeypatch.setattr(fonts, "FONT_DIRS", [tmp_path])
    monkeypatch.setattr(pdfmetrics, "_fonts", {k: v for k, v in pdfmetrics._fonts.items() if "DejaVu" not in k})
    with pytest.raises(ExportError, match="DejaVu Sans is not installed: install the fonts-dejavu-core package"):
        register_fonts()
    with pytest.raises(ExportError):
        render(crossover_plan)


def test_register_fonts_idempotent():
    assert register_fonts() == register_fonts() == ("DejaVuSans", "DejaVuSans-Bold")


def test_the_advice_page_gives_the_clinics_own_emergency_number():
    """First run records the country's emergency number: the handout says it, not '999 / 911 / 112'."""
    import dataclasses
    import subprocess
    import tempfile
    from datetime import date as _date
    from pathlib import Path as _Path

    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings
    from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
    from taperdesk.export.patient_handout import patient_handout_pdf

    plan = make_plan(Regimen("diazepam", (("night", 5.0),)), PlanSettings(start=_date(2026, 12, 1)))
    clinic = HandoutClinic(name="Clinique du Port", address="", phone="01 23 45 67 89", prescriber="Dr Martin",
                           letterhead="", paper_size="A4", emergency_number="15", country="FR")
    patient = HandoutPatient(name="Anne Martin", born=_date(1950, 1, 2), identifier="FR-1")
    texts = {}
    for label, who in (("known", clinic), ("unknown", dataclasses.replace(clinic, emergency_number=""))):
        pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=who, revision=1, printed_on=_date(2026, 12, 1),
                                  invariant=True)
        with tempfile.TemporaryDirectory() as tmp:
            path = _Path(tmp) / "h.pdf"
            path.write_bytes(pdf)
            texts[label] = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                                   check=True).stdout.split())
    assert "Call 15 now, or go to the nearest emergency department." in texts["known"]
    assert "999 in the UK" not in texts["known"]
    assert "999 in the UK, 911 in the US and Canada, 112 in Europe" in texts["unknown"]
