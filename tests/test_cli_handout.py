"""`taperdesk handout`, `export-ics` and `export-csv` on a demo clinic, and the
app's handout operations: files written, handouts recorded and reprinted byte
for byte; bad input is exit status 2 and one line, never a traceback."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from taperdesk import storage
from taperdesk.app import main

PRINTED = "2026-11-20"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory, demo_copy):
    path = tmp_path_factory.mktemp("handout") / "demo.sqlite"
    demo = demo_copy(path)
    storage.open_database(path, auto_backup=False)
    try:  # one patient without a plan
        author = storage.list_clinicians()[0]
        storage.add_patient(name="Ana Sinplan", born=date(1980, 1, 1), identifier="NOPLAN-1", author=author)
    finally:
        storage.close_database()
    return path, demo.password


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template[0], path)
    monkeypatch.setenv("TAPERDESK_PASSWORD", demo_template[1])
    yield path
    storage.close_database()


def _fails(capsys, argv, *expected):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("taperdesk: ") and "\n" not in err and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    return err


def _current(path, identifier):
    storage.open_database(path, read_only=True)
    try:
        patient = storage.find_patient_by_identifier(identifier=identifier)
        record, revision = storage.current_plans(patient_ids=[patient.id])[patient.id]
        return patient, revision, storage.handouts_for_revision(revision_id=revision.id)
    finally:
        storage.close_database()


def test_clinician_summary_is_written_and_recorded(demo_db, tmp_path, capsys):
    out = tmp_path / "summary.pdf"
    assert main(["handout", "--db", str(demo_db), "--patient", "demo-002", "--kind", "clinician",
                 "--clinician", "demo", "--out", str(out), "--printed-on", PRINTED]) == 0
    assert "recorded as handout" in capsys.readouterr().out
    pdf = out.read_bytes()
    patient, revision, handouts = _current(demo_db, "DEMO-002")
    assert [(h.kind, h.sha256, h.size) for h in handouts] == [("clinician", hashlib.sha256(pdf).hexdigest(), len(pdf))]
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert patient.name in text and "José Núñez López" in text
    assert revision.reason in text
    assert not list(tmp_path.glob("*.partial"))


def test_patient_handout_is_written_and_recorded(demo_db, tmp_path, capsys):
    pytest.importorskip("taperdesk.export.patient_handout")
    out = tmp_path / "handout.pdf"
    assert main(["handout", "--db", str(demo_db), "--patient", "DEMO-001", "--clinician", "demo",
                 "--out", str(out), "--printed-on", PRINTED]) == 0
    _, _, handouts = _current(demo_db, "DEMO-001")
    assert [h.kind for h in handouts] == ["patient"] and handouts[0].sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_export_ics_and_csv(demo_db, tmp_path, capsys):
    _, revision, _ = _current(demo_db, "DEMO-003")
    plan = revision.plan()
    ics, table = tmp_path / "plan.ics", tmp_path / "plan.csv"
    assert main(["export-ics", "--db", str(demo_db), "--patient", "DEMO-003", "--out", str(ics), "--reminders",
                 "--time", "night=21:30", "--clinician", "demo"]) == 0
    assert main(["export-csv", "--db", str(demo_db), "--patient", "DEMO-003", "--out", str(table),
                 "--clinician", "demo"]) == 0
    assert ics.stat().st_mode & 0o077 == 0 and table.stat().st_mode & 0o077 == 0
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    changes = sorted(e.get("dtstart").dt for e in events
                     if str(e.get("summary")).startswith(("New dose", "Stop day")))
    first = max(plan.start, date.today().replace(day=1))  # months already past are left out
    assert {d for d in plan.cut_dates() if d >= first} <= set(changes)
    nights = [e.get("dtstart").dt for e in events if str(e.get("summary")).endswith("(night)")]
    assert nights and all(d.hour == 21 and d.minute == 30 for d in nights)
    rows = list(csv.reader(table.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:3] == ["patient", "revision", "date"] and rows[1][:2] == ["DEMO-003", str(revision.number)]
    assert rows[1][2] == plan.start.isoformat() and len(rows) >= 2


def test_bad_input_is_one_line_exit_2(demo_db, tmp_path, capsys, monkeypatch):
    db = ["--db", str(demo_db)]
    out = ["--out", str(tmp_path / "x.pdf")]
    who = ["--clinician", "demo"]
    _fails(capsys, ["handout", *db, "--patient", "NOPE", *who, *out], "No patient", "NOPE")
    _fails(capsys, ["handout", *db, "--patient", "NOPLAN-1", *who, *out], "has no plan")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, "--out", str(tmp_path / "no" / "x.pdf")],
           "does not exist")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, "--out", str(tmp_path)], "folder")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *out], "--clinician")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, *out, "--kind", "poster"], "invalid choice")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, *out, "--printed-on", "20/11/2026"], "YYYY-MM-DD")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, *out, "--printed-on", "2027-02-30"],
           "February 2027 has no day 30")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, *out, "--printed-on", "9999-12-31"],
           "the year must be from")
    _fails(capsys, ["handout", "--db", str(tmp_path / "missing.sqlite"), "--patient", "DEMO-001", *who, *out],
           "no clinic file")
    _fails(capsys, ["export-ics", *who, *db, "--patient", "NOPLAN-1", "--out", str(tmp_path / "x.ics")], "has no plan")
    _fails(capsys, ["export-ics", *who, *db, "--patient", "NOPE", "--out", str(tmp_path / "x.ics")], "No patient")
    _fails(capsys, ["export-ics", *who, *db, "--patient", "DEMO-001", "--out", str(tmp_path / "x.ics"),
                    "--time", "night=22:30"], "--reminders")
    _fails(capsys, ["export-ics", *who, *db, "--patient", "DEMO-001", "--out", str(tmp_path / "x.ics"), "--reminders",
                    "--time", "bedtime=22:30"], "bedtime")
    _fails(capsys, ["export-csv", *who, *db, "--patient", "DEMO-001", "--out", str(tmp_path / "none" / "x.csv")],
           "does not exist")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    _fails(capsys, ["export-csv", *who, "--db", str(text), "--patient", "DEMO-001", "--out", str(tmp_path / "x.csv")])
    monkeypatch.setenv("TAPERDESK_PASSWORD", "wrong password")
    _fails(capsys, ["handout", *db, "--patient", "DEMO-001", *who, *out], "Wrong name or password")
    assert not (tmp_path / "x.pdf").exists()
    _, _, handouts = _current(demo_db, "DEMO-001")
    assert handouts == []


def test_make_handout_and_reprint_byte_for_byte(demo_db):
    from taperdesk.clinic import handouts as operations_export
    from taperdesk.clinic.plans import OperationError

    storage.open_database(demo_db, auto_backup=False)
    patient = storage.find_patient_by_identifier(identifier="DEMO-009")
    author = storage.list_clinicians()[0]
    plan, revision, who, clinic = operations_export.handout_inputs(patient_id=patient.id)
    assert who.name == patient.name and plan.start == revision.plan().start and clinic.paper_size in ("A4", "Letter")
    pdf, record = operations_export.make_handout(patient_id=patient.id, kind="clinician", author=author,
                                                 printed_on=date(2026, 11, 20))
    assert record.revision_id == revision.id and record.sha256 == hashlib.sha256(pdf).hexdigest()
    assert operations_export.reprint(handout_id=record.id, author=author) == pdf
    assert [h.id for h in storage.handouts_for_revision(revision_id=revision.id)] == [record.id]
    nobody = storage.find_patient_by_identifier(identifier="NOPLAN-1")
    with pytest.raises(OperationError, match="no plan"):
        operations_export.make_handout(patient_id=nobody.id, kind="clinician", author=author,
                                       printed_on=date(2026, 11, 20))
    with pytest.raises(OperationError, match="poster"):
        operations_export.make_handout(patient_id=patient.id, kind="poster", author=author,
                                       printed_on=date(2026, 11, 20))


def test_pharmacy_order_and_dose_box_from_the_command_line(demo_db, tmp_path, capsys):
    out = tmp_path / "order.pdf"
    assert main(["handout", "--db", str(demo_db), "--patient", "DEMO-001", "--kind", "pharmacy", "--supply-days", "14",
                 "--clinician", "demo", "--out", str(out), "--printed-on", PRINTED]) == 0
    assert "Wrote the pharmacy order for DEMO-001" in capsys.readouterr().out
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Pharmacy order" in text and "Supplies of 14 days" in text and "Totals for the plan" in text
    assert "Signature:" in text and "DEMO-001" in text
    box = tmp_path / "box.pdf"
    assert main(["handout", "--db", str(demo_db), "--patient", "DEMO-001", "--kind", "dosebox",
                 "--clinician", "demo", "--out", str(box), "--printed-on", PRINTED]) == 0
    assert "Wrote the dose-box sheet" in capsys.readouterr().out
    _patient, _revision, handouts = _current(demo_db, "DEMO-001")
    assert [h.kind for h in handouts] == ["pharmacy", "dosebox"]
    _fails(capsys, ["handout", "--db", str(demo_db), "--patient", "DEMO-001", "--kind", "pharmacy",
                    "--supply-days", "10", "--clinician", "demo", "--out", str(out)], "7, 14 or 28")
