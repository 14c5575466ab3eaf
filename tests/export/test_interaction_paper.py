"""Interaction warnings on paper, read with pdftotext as a reader reads them: the
clinician summary's table (pair, risk, what to do, source) and the patient
handout's plain words; the summary says what was checked when nothing matched."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest

from taperdesk import storage
from taperdesk.clinic.paper import build_handout
from taperdesk.clinic.plans import start_plan
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import clinicians

START = date(2026, 12, 1)


@pytest.fixture
def doctor(tmp_path, monkeypatch):
    monkeypatch.setattr(clinicians, "SCRYPT", {"n": 16, "r": 1, "p": 1})
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    storage.open_database(tmp_path / "clinic.sqlite", create=True, auto_backup=False)
    yield storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")
    storage.close_database()


def _patient(doctor, identifier, drug, doses):
    p = storage.add_patient(name="Zoë Łukasiewicz", born=date(1970, 3, 3), identifier=identifier, author=doctor)
    settings = PlanSettings(start=START)
    start_plan(patient_id=p.id, plan=make_plan(Regimen(drug, doses), settings), settings=settings, author=doctor)
    return p


def text_of(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def test_diazepam_oxycodone_and_alcohol_on_the_summary_and_the_handout(doctor, tmp_path):
    p = _patient(doctor, "TD-0001", "diazepam", (("morning", 5.0), ("night", 10.0)))
    storage.record_other_medicine(patient_id=p.id, name="oxycodone", dose="10 mg twice a day", author=doctor)
    storage.set_alcohol_units(patient_id=p.id, units_week=20, author=doctor)

    summary = text_of(build_handout(patient_id=p.id, kind="clinician", printed_on=START, invariant=True)[0],
                      tmp_path, "summary")
    assert "Interactions with other medicines and alcohol" in summary
    flat = summary.replace(" ", "")  # table cells wrap: read the words, not the spaces
    for expected in (
        "oxycodone10mgtwiceaday(opioids)withdiazepam",
        "Takentogether,opioidsandbenzodiazepinesmaycauseprofoundsedation,respiratorydepression,comaanddeath.",
        "Source:FDAboxedwarningonbenzodiazepinesandopioids(FDADrugSafetyCommunication,31August2016)",
        "alcohol,20unitsaweekwithdiazepam",
        "Whattodo:Advisenoalcoholwhilethedrugistaken",
        "Source:Valium(diazepam)USlabel",
    ):
        assert expected in flat, expected

    handout = text_of(build_handout(patient_id=p.id, kind="patient", printed_on=START, invariant=True)[0],
                      tmp_path, "handout")
    assert "Your other medicines and alcohol" in handout
    assert "Do not drink alcohol while you take diazepam." in handout
    assert "Oxycodone and diazepam together can make you very sleepy and slow your breathing." in handout
    # the advice page reads the same records (clinic.paper.taken_besides): the drinker's lines, not the sober one's
    advice = handout[handout.index("Staying safe as your dose goes down"):]
    assert "You told us that you drink alcohol." in advice
    assert "If you drink a lot, do not stop all at once" in advice


def test_alprazolam_with_clarithromycin_on_paper(doctor, tmp_path):
    p = _patient(doctor, "TD-0002", "alprazolam", (("morning", 0.5), ("night", 0.5)))
    storage.record_other_medicine(patient_id=p.id, name="clarithromycin", author=doctor)
    flat = text_of(build_handout(patient_id=p.id, kind="clinician", printed_on=START)[0], tmp_path, "s").replace(" ", "")
    assert "clarithromycin(strongCYP3A4inhibitors)withalprazolam" in flat
    assert "Source:Alprazolam(Xanax)label" in flat
    handout = text_of(build_handout(patient_id=p.id, kind="patient", printed_on=START)[0], tmp_path, "h")
    assert "Clarithromycin can make alprazolam much stronger. Ask your doctor before you take clarithromycin." \
        in handout


def test_nothing_recorded_is_said_on_the_summary_and_nothing_added_to_the_handout(doctor, tmp_path):
    p = _patient(doctor, "TD-0003", "diazepam", (("night", 10.0),))
    summary = text_of(build_handout(patient_id=p.id, kind="clinician", printed_on=START)[0], tmp_path, "s")
    assert ("Interactions with other medicines and alcohol No other medicines, substances or alcohol recorded for "
            "this patient: nothing to check.") in summary
    handout = text_of(build_handout(patient_id=p.id, kind="patient", printed_on=START)[0], tmp_path, "h")
    assert "Your other medicines and alcohol" not in handout
