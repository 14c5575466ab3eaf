"""The advice page on paper differs between two patients with different support
and substances (read back with pdftotext), and the clinic's stored support
agreement reaches the handout the app and `taperdesk handout` print."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

from taperdesk.core.advice import AdviceFacts
from taperdesk.core.interactions import OtherMedicine
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.core.support import shipped_options
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.patient_handout import patient_handout_pdf

CLINIC = HandoutClinic(name="Harbour Street Clinic", address="", phone="023 9200 0100", prescriber="Dr Ada Test",
                       letterhead="", paper_size="A4", emergency_number="999", country="GB")
PLAN = make_plan(Regimen("diazepam", (("night", 10.0),)), PlanSettings(start=date(2026, 12, 1)))
ALPRAZOLAM = make_plan(Regimen("alprazolam", (("morning", 0.5), ("night", 0.5))), PlanSettings(start=date(2026, 12, 1)))


def advice_text(plan, facts: AdviceFacts | None, name: str) -> str:
    """The advice page(s) as a reader reads them: the text from its title on, in one line."""
    pdf = patient_handout_pdf(plan=plan, patient=HandoutPatient(name=name, born=date(1950, 1, 2), identifier="A-1"),
                              clinic=CLINIC, revision=1, printed_on=date(2026, 12, 1), invariant=True, advice=facts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    return text[text.index("Staying safe as your dose goes down"):]


def test_two_patients_with_different_support_and_substances_get_different_advice():
    [cbt_i, _, hygiene, group, exercise] = shipped_options()
    drinker = advice_text(PLAN, AdviceFacts(alcohol_units=20, others=(OtherMedicine("oxycodone", "10 mg"),),
                                            support=(cbt_i, exercise)), "Dan Drinker")
    other = advice_text(PLAN, AdviceFacts(alcohol_units=0, support=(hygiene, group)), "Sue Sober")
    assert drinker != other
    for words in ("You told us that you drink alcohol.", "If you drink a lot, do not stop all at once",
                  "Oxycodone and diazepam together can make you very sleepy and slow your breathing.",
                  "The help we agreed with you", cbt_i.patient, exercise.patient):
        assert words in drinker, words
    for words in (hygiene.patient, group.patient, "Do not drink alcohol while you take diazepam. Together"):
        assert words not in drinker, words
    for words in ("Do not drink alcohol while you take diazepam.", hygiene.patient, group.patient):
        assert words in other, words
    for words in (cbt_i.patient, "Oxycodone", "You told us that you drink"):
        assert words not in other, words
    for text in (drinker, other):  # what applies to both: the half-life in plain words, the clinic's numbers
        assert "Diazepam stays in your body a long time. Half of each dose is still there after 1 to 4 days." in text
        assert "Call 999 now, or go to the nearest emergency department." in text
        assert "call Harbour Street Clinic on 023 9200 0100" in text
        assert "No vitamin, herb or supplement has been shown to make withdrawal easier." in text
        assert "kava or valerian" in text and "St John's wort" not in text


def test_alprazolam_gets_its_half_life_and_the_st_johns_wort_line_with_sources():
    text = advice_text(ALPRAZOLAM, None, "Al Prazolam")
    assert "Alprazolam leaves your body fast. Half of each dose is gone in 6 to 12 hours." in text
    assert "Do not take St John's wort. It makes alprazolam weaker, so you may get withdrawal." in text
    assert "Markowitz" in text and "Ashton Manual (2002) Table 1" in text  # the sources at the foot
    assert "Talking therapy (CBT) helps many people. Ask us about it." in text  # no support agreed yet
