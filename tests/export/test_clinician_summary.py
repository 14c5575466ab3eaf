"""The clinician summary: what a colleague needs is on the paper (checked in the
PDF's own text), any name prints, the same input gives the same bytes."""

from __future__ import annotations

from taperdesk.core.quantity import fmt_mg

import io
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.edits import hold, revise
from taperdesk.core.plan_diff import diff_plans, first_plan_summary
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.clinician_summary import EntryNote, RevisionNote, clinician_summary_pdf
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient

START = date(2026, 12, 1)
HOLD_REASON = "flare after the cut: anxiety & poor sleep"
FAST_REASON = "Patient asks to go faster <after review>"


@pytest.fixture(scope="module")
def story():
    catalogue = load_catalogue()
    first = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
                      PlanSettings(start=START, crossover=True), catalogue)
    held = hold(first, date(2027, 2, 1), 14, HOLD_REASON)
    fast = revise(held, date(2027, 3, 1), PlanSettings(start=date(2027, 3, 1), cut_percent=20, interval_days=7,
                                                       allow_fast=True), catalogue)
    revisions = [
        RevisionNote(1, datetime(2026, 11, 28, 10, 5), "Dr Ada Test", "First plan", tuple(first_plan_summary(first))),
        RevisionNote(2, datetime(2027, 2, 1, 9, 30), "Dr Ada Test", f"Hold for 14 days: {HOLD_REASON}",
                     tuple(diff_plans(first, held))),
        RevisionNote(3, datetime(2027, 3, 1, 11, 0), "Łucja Nowak", FAST_REASON, tuple(diff_plans(held, fast))),
    ]
    entries = [EntryNote(START + timedelta(days=i), "Daily rating", (i * 7) % 11, 0, 10,
                         "moderate" if (i * 7) % 11 > 4 else "mild", "Анна Петрова", "") for i in range(0, 100, 2)]
    entries.append(EntryNote(date(2027, 1, 5), "CIWA-B", 23, 0, 80, "mild", "Dr Ada Test", "review visit"))
    return fast, revisions, entries


def _pdf(story, *, name="Zoë Łukasiewicz", paper="A4", invariant=True, **over):
    plan, revisions, entries = story
    args = dict(plan=plan, patient=HandoutPatient(name, date(1961, 3, 4), "TD-0042"),
                clinic=HandoutClinic("Riverside Practice", "1 High St\nRiverton", "01234 567890", "Dr Ada Test", "",
                                     paper),
                revisions=revisions, entries=entries, printed_on=date(2027, 3, 15), invariant=invariant)
    return clinician_summary_pdf(**{**args, **over})


def _text(pdf: bytes) -> tuple[list[str], str]:
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    return pages, " ".join(pages)


def test_the_story_is_on_the_paper(story):
    plan, revisions, _ = story
    pages, text = _text(_pdf(story))
    assert "Zoë Łukasiewicz" in text and "TD-0042" in text and "Dr Ada Test" in text
    for rev in revisions:
        assert f"Revision {rev.number}" in text and rev.reason in text and rev.author in text
        for change in rev.changes:
            assert change in text, change
    assert HOLD_REASON in text  # in the holds table as well as the revision
    assert "PACE OVERRIDE" in text and "OVERRIDE" in text
    assert "Ashton Manual Table 1" in text and "lorazepam" in text
    for source in plan.sources:
        assert source in text
    assert "The end of the taper" in text and "Dose and symptoms" in text and "Анна Петрова" in text
    pace = plan.pace
    assert f"the stop comes from {fmt_mg(pace.final_dose_eq_mg)} mg diazepam-equivalent a day or less" in text
    assert "End phase" not in text  # the pace holds the whole way down: no exempt end phase is claimed
    assert "CIWA-B" in text and "review visit" in text
    for step in plan.steps:
        assert step.start.isoformat() in text  # the schedule, step by step
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1))
    assert all("printed 15 Mar 2027" in page and "plan revision 3" in page for page in pages)


def test_cyrillic_name_prints(story):
    _, text = _text(_pdf(story, name="Анна Петрова"))
    assert "Анна Петрова" in text


def test_same_input_same_bytes(story):
    assert _pdf(story) == _pdf(story)
    assert _pdf(story) != _pdf(story, name="Someone Else")


def test_paper_size_follows_the_clinic(story):
    letter = PdfReader(io.BytesIO(_pdf(story, paper="Letter"))).pages[0].mediabox
    a4 = PdfReader(io.BytesIO(_pdf(story))).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_no_entries_and_no_revisions(story):
    pdf = _pdf(story, revisions=[], entries=[])
    _, text = _text(pdf)
    assert "No symptom entries recorded" in text and "No revisions were given" in text
    assert pdf.startswith(b"%PDF")


def test_long_history_splits_the_entry_table(story):
    plan = story[0]
    entries = [EntryNote(plan.start + timedelta(days=i), "Daily rating", i % 10, 0, 10, "", "Patient", "")
               for i in range((plan.end - plan.start).days + 1)]
    pages, text = _text(_pdf(story, entries=entries))
    assert len(pages) > 5
    # the header row repeats on every page the table runs over
    assert sum("Date Scale Score Range" in page for page in pages) > 2


def test_long_text_lays_out_and_no_near_empty_last_page(story):
    """A 2,000-character note and a 300-character name split across pages; a
    summary without entries does not end on a page of its own for that line."""
    plan, revisions, entries = story
    note = ("Could not sleep, shaking hands, racing heart in the evening. " * 40)[:2000]
    long_entries = [*entries, EntryNote(date(2027, 1, 9), "Daily rating", 7, 0, 10, "severe", "Dr Ada Test", note)]
    pdf = _pdf(story, name=("Maria-Antonietta " * 30)[:300], entries=long_entries)
    pages, text = _text(pdf)
    assert note[-40:].split()[-1] in text
    for entries_now in ([], entries):
        pages, _ = _text(_pdf(story, entries=entries_now))
        body = pages[-1].split("Clinician summary ·")[0]
        assert len(body.split()) > 40, body  # the last page carries more than a stray line
