"""Calendar files that update (schema 7 keeps what each file carried): after a
revision, importing the old file and then the new one into a calendar leaves
exactly the new plan's events. Both files are read with vobject (a second
iCalendar library besides the one that writes them) and replayed the way a
calendar applies them: by UID, the higher SEQUENCE wins, CANCELLED removes.
Also: per-plan prescriber and supply period, review dates, paper settings."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import vobject

from taperdesk import storage
from taperdesk.clinic import calendar_files
from taperdesk.clinic.plans import current_plan, revise_plan, start_plan
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import paper_records
from taperdesk.storage.errors import InvalidInputError

START = date(2026, 12, 1)
NAME = "Zoë Łukasiewicz"


@pytest.fixture
def patient(opened, doctor):
    p = storage.add_patient(name=NAME, born=date(1970, 3, 3), identifier="TD-0042", author=doctor)
    settings = PlanSettings(start=START)
    start_plan(patient_id=p.id, plan=make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 10.0))), settings),
               settings=settings, author=doctor)
    return p


def replay(*files: bytes) -> dict[str, tuple[str, str]]:
    """Import the files in order as a calendar would: {uid: (start, title)} left showing."""
    store: dict[str, tuple[int, object]] = {}
    for data in files:
        for event in vobject.readOne(data.decode("utf-8")).vevent_list:
            uid, seq = event.uid.value, int(event.sequence.value)
            if uid not in store or seq >= store[uid][0]:
                store[uid] = (seq, event)
    return {uid: (str(e.dtstart.value), e.summary.value) for uid, (seq, e) in store.items()
            if e.status.value != "CANCELLED"}


def expected(data: bytes) -> dict[str, tuple[str, str]]:
    return {e.uid.value: (str(e.dtstart.value), e.summary.value)
            for e in vobject.readOne(data.decode("utf-8")).vevent_list if e.status.value != "CANCELLED"}


@pytest.mark.sqlite_only  # paper-heavy (seconds of PDF): the server runs the faster record tests above
def test_old_then_new_file_leaves_exactly_the_new_plan(patient, doctor):
    stamp = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    old, _rev, _n = calendar_files.calendar_file(patient_id=patient.id, author=1, today=START, reminders=True, stamp=stamp)
    info = current_plan(patient_id=patient.id)
    settings = info.settings().with_(interval_days=21)
    revise_plan(plan_id=info.record.id, plan=make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 10.0))),
                                                       settings), settings=settings, author=doctor,
                reason="Slower: three weeks a step")
    new, rev, _n = calendar_files.calendar_file(patient_id=patient.id, author=1, today=START, reminders=True, stamp=stamp)
    assert rev == 2
    shown = replay(old, new)
    assert shown == expected(new) and shown  # exactly the new plan's events
    olds = {e.uid.value: e for e in vobject.readOne(old.decode()).vevent_list}
    news = {e.uid.value: e for e in vobject.readOne(new.decode()).vevent_list}
    cancelled = [u for u, e in news.items() if e.status.value == "CANCELLED"]
    changed = [u for u in set(olds) & set(news) if news[u].status.value != "CANCELLED"
               and news[u].summary.value != olds[u].summary.value]
    assert cancelled and changed
    assert all(int(news[u].sequence.value) == int(olds[u].sequence.value) + 1 for u in cancelled + changed)
    # one reminder per date and time of day, never two doses at once
    starts = [v[0] for v in shown.values() if ":" in v[0]]
    assert len(starts) == len(set(starts))
    assert all(len(e.summary.value) < 80 for e in news.values())
    assert NAME not in new.decode() and "TD-0042" not in new.decode()


@pytest.mark.sqlite_only  # paper-heavy (seconds of PDF): the server runs the faster record tests above
def test_an_unchanged_plan_keeps_its_sequences(patient):
    first, _r, _n = calendar_files.calendar_file(patient_id=patient.id, author=1, today=START, reminders=True)
    again, _r, _n = calendar_files.calendar_file(patient_id=patient.id, author=1, today=START, reminders=True)
    seq = lambda data: {e.uid.value: e.sequence.value for e in vobject.readOne(data.decode()).vevent_list}  # noqa: E731
    assert seq(first) == seq(again) and set(seq(first).values()) == {"0"}


def test_name_only_when_the_clinic_allows(patient, doctor):
    paper_records.save_paper_settings(settings=paper_records.PaperSettings(calendar_names=True, supply_days=14),
                                      author=doctor)
    data, _r, _n = calendar_files.calendar_file(patient_id=patient.id, author=1, today=START)
    assert f"Taper plan: {NAME}" in vobject.readOne(data.decode()).contents["x-wr-calname"][0].value
    assert paper_records.paper_settings() == paper_records.PaperSettings(True, 14)


def test_plan_paper_and_review_dates_append(patient, doctor, opened):
    info = current_plan(patient_id=patient.id)
    assert storage.plan_paper(plan_id=info.record.id) is None
    storage.set_plan_paper(plan_id=info.record.id, prescriber="Dr Ines Okafor", supply_days=7, author=doctor)
    storage.set_plan_paper(plan_id=info.record.id, prescriber="Dr Sam Lee", supply_days=14, author=doctor)
    assert storage.plan_paper(plan_id=info.record.id) == storage.PlanPaper("Dr Sam Lee", 14)
    with pytest.raises(InvalidInputError, match="7, 14 or 28"):
        storage.set_plan_paper(plan_id=info.record.id, prescriber="x", supply_days=10, author=doctor)
    storage.set_review_date(patient_id=patient.id, review_on=date(2026, 12, 15), author=doctor)
    assert storage.review_date(patient_id=patient.id) == date(2026, 12, 15)
    from taperdesk.storage.models import db

    with pytest.raises(Exception, match="append-only"):
        db.execute_sql("UPDATE plan_paper SET prescriber = 'x'")


def test_csv_names_the_drug_of_every_dose_with_patient_and_revision(patient):
    text, revision = calendar_files.doses_csv(patient_id=patient.id, author=1)
    rows = [r.split(",") for r in text.splitlines()]
    header, first = rows[0], rows[1]
    assert header[:3] == ["patient", "revision", "date"]
    assert first[:3] == ["TD-0042", str(revision), START.isoformat()]
    assert first[header.index("morning_drug")] == "diazepam" and first[header.index("night_drug")] == "diazepam"


def _text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.sqlite_only  # paper-heavy (seconds of PDF): the server runs the faster record tests above
def test_plan_prescriber_on_all_three_papers_and_review_date_on_the_handout(patient, doctor):
    import io

    from pypdf import PdfReader

    from taperdesk.clinic.paper import build_handout

    info = current_plan(patient_id=patient.id)
    storage.set_plan_paper(plan_id=info.record.id, prescriber="Dr Sam Lee", supply_days=7, author=doctor)
    storage.set_review_date(patient_id=patient.id, review_on=date(2026, 12, 15), author=doctor)
    papers = {kind: build_handout(patient_id=patient.id, kind=kind, printed_on=START)[0]
              for kind in ("patient", "clinician", "pharmacy")}
    for kind, pdf in papers.items():
        assert "Dr Sam Lee" in _text(pdf), kind
        meta = PdfReader(io.BytesIO(pdf)).metadata
        assert NAME not in (meta.title or "") and meta.title, kind
        assert b"/Lang" in pdf, kind
        assert b"/BaseFont /Helvetica" not in pdf, kind  # every font embedded
    assert "Next review Tuesday 15 December 2026" in _text(papers["patient"])
    assert "Supplies of 7 days" in _text(papers["pharmacy"])


def test_summary_prints_status_and_its_history(patient, doctor):
    from taperdesk.clinic.paper import build_handout
    from taperdesk.clinic.plans import change_status

    info = current_plan(patient_id=patient.id)
    change_status(plan_id=info.record.id, status="stopped", author=doctor,
                  reason="Patient chose to stay on the current dose")
    text = _text(build_handout(patient_id=patient.id, kind="clinician", printed_on=date.today())[0])
    assert "Status Taper ended, dose continues on" in text
    assert "Active Plan saved and started" in text
    assert "Taper ended, dose continues Patient chose to stay on the current dose" in text
    handout = _text(build_handout(patient_id=patient.id, kind="patient", printed_on=date.today())[0])
    assert "Your last dose" not in handout and "Your clinic has ended the taper" in handout
