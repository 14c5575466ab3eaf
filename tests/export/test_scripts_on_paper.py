"""Names in any script: Chinese, Japanese and Korean through the CJK fallback
font (embedded), Arabic joined and right to left, Hebrew right to left; long
names wrap in the header and are shortened in footers while the birth date and
patient number always print, and no footer text runs into another."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from taperdesk.export.fonts import cjk_font, register_fonts
from taperdesk.export.handout_data import HandoutPatient
from taperdesk.export.scripts import runs, visual
from tests.export.paper_reading import page_pieces
from tests.export.test_patient_handout import pages_text, render

from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings

PLAN = make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 5.0))), PlanSettings(start=date(2026, 12, 1)))
BORN = date(1970, 3, 3)
NAMES = {"chinese": "王小明", "japanese": "山田 花子", "korean": "김민준", "arabic": "فاطمة الزهراء",
         "hebrew": "דוד כהן"}


@pytest.fixture(scope="module", autouse=True)
def fonts():
    register_fonts()
    if cjk_font() is None:
        pytest.fail("No CJK font: install fonts-wqy-zenhei (scripts/install-system-deps.sh)")


@pytest.mark.parametrize("script", NAMES)
def test_name_prints_in_its_script_on_every_page(script):
    name = NAMES[script]
    pdf = render(PLAN, patient=HandoutPatient(name, BORN, "TD-0042"), diary_weeks=1)
    shown = visual(name)
    text = pages_text(pdf)
    flat = lambda s: s.replace(" ", "")  # noqa: E731  (extraction may space CJK runs differently)
    # pypdf gives right-to-left runs back in logical order (joined forms for Arabic)
    import arabic_reshaper

    logical = arabic_reshaper.reshape(name) if script == "arabic" else name
    found = lambda page: flat(shown) in flat(page) or flat(logical) in flat(page)  # noqa: E731
    assert found(text[0])
    assert all(found(page) and "born 3 March 1970 · TD-0042" in page for page in text)
    if script in ("chinese", "japanese", "korean"):
        assert any(font == "TaperCJK" for _piece, font in runs(shown, "DejaVuSans"))
        fonts = {str(f.get_object()["/BaseFont"]) for f in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
        assert any("DejaVu" not in f for f in fonts) and b"/FontFile2" in pdf  # the CJK font, embedded
    else:
        assert all(font == "DejaVuSans" for _piece, font in runs(shown, "DejaVuSans"))


def test_arabic_is_joined_and_right_to_left():
    shown = visual(NAMES["arabic"])
    assert shown != NAMES["arabic"]
    assert all("\ufe70" <= ch <= "\ufefc" or ch == " " for ch in shown)  # contextual (joined) forms
    assert visual(NAMES["hebrew"]) == NAMES["hebrew"][::-1]


@pytest.mark.parametrize("length", [69, 120, 300])
def test_long_names_wrap_in_the_header_and_shorten_in_footers(length):
    name = ("Maria-Antonietta Łukasiewicz-Fernández de la Cruz " * 10)[:length].strip()
    pdf = render(PLAN, patient=HandoutPatient(name, BORN, "TD-0042"), diary_weeks=1)
    reader = PdfReader(io.BytesIO(pdf))
    text = pages_text(pdf)
    assert name in text[0]  # the header wraps it whole
    width = float(reader.pages[0].mediabox.width)
    for page in reader.pages:
        pieces = page_pieces(page)
        footer = [p for p in pieces if p.y < 57]
        who = next(p for p in footer if "born 3 March 1970 · TD-0042" in p.text)
        assert who.text.endswith("born 3 March 1970 · TD-0042")
        from reportlab.pdfbase.pdfmetrics import stringWidth

        assert who.x + stringWidth(who.text, "DejaVuSans", 10) <= width - 42  # inside the margin
    assert ("…" in text[1]) == (length > 60)
