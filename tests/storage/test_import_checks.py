"""`taperdesk import-patient` checks a patient file like a plan before anything is
written: the issue's three imports (every dose x100, `"steps": "lol"`, a
look-alike hyphen in the identifier) and odd files (empty revisions, deeply
nested JSON, a folder, /dev/zero, too large) are each exit 2, one line,
nothing written."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat

import pytest

from taperdesk import storage
from taperdesk.app import main
from taperdesk.storage import portable_checks


@pytest.fixture(scope="module")
def template(tmp_path_factory, demo_copy):
    folder = tmp_path_factory.mktemp("imports")
    path = folder / "demo.sqlite"
    password = demo_copy(path).password
    exported = folder / "p.json"
    with pytest.MonkeyPatch.context() as mp:  # exports are signed by a clinician
        mp.setenv("TAPERDESK_PASSWORD", password)
        assert main(["export-patient", "--db", str(path), "--id", "DEMO-001", "--clinician", "demo",
                     "--out", str(exported)]) == 0
    return path, password, json.loads(exported.read_text())


@pytest.fixture
def clinic(template, tmp_path, monkeypatch):
    """A copy of the demo clinic without DEMO-001's identifier clash: a fresh clinic file."""
    path = tmp_path / "other.sqlite"
    shutil.copy(template[0], path)
    monkeypatch.setenv("TAPERDESK_PASSWORD", template[1])
    return path


def _counts(path):
    conn = sqlite3.connect(path)
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("patient", "plan", "plan_revision", "symptom_entry", "handout")}
        # the importer's sign-in is audited (issue 12 item 6); nothing else may be written
        counts["audit_event"] = conn.execute("SELECT count(*) FROM audit_event WHERE action NOT IN "
                                             "('signed in', 'sign-in failed', 'sign-in refused')").fetchone()[0]
        return counts
    finally:
        conn.close()


def _refused(capsys, path, file, *expected):
    before = _counts(path)
    assert main(["import-patient", str(file), "--clinician", "demo", "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("taperdesk: ") and "\n" not in err and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    assert _counts(path) == before  # nothing written
    return err


def _write(tmp_path, document, name="p.json"):
    file = tmp_path / name
    file.write_text(json.dumps(document), encoding="utf-8")
    return file


def _renamed(document, identifier="IMP-1"):
    doc = json.loads(json.dumps(document))
    doc["patient"]["identifier"] = identifier
    return doc


def _every_revision(doc, change):
    for plan in doc["plans"]:
        for rev in plan["revisions"]:
            data = json.loads(rev["plan_json"])
            change(data)
            rev["plan_json"] = json.dumps(data, indent=2)
    return doc


def test_a_good_file_imports(clinic, template, tmp_path, capsys):
    assert main(["import-patient", str(_write(tmp_path, _renamed(template[2]))), "--clinician", "demo",
                 "--db", str(clinic)]) == 0
    assert "Imported patient IMP-1" in capsys.readouterr().out
    assert main(["verify", "--db", str(clinic)]) == 0


def test_every_dose_times_100_is_refused(clinic, template, tmp_path, capsys):
    def times_100(data):
        for step in data["steps"]:
            for dose in step["doses"]:
                dose["mg"] = round(dose["mg"] * 100, 6)

    doc = _every_revision(_renamed(template[2]), times_100)
    err = _refused(capsys, clinic, _write(tmp_path, doc), "The patient file was not imported, nothing was written: ",
                   "plan 1 revision 1: the plan breaks the dose ceiling (R11): diazepam reaches ")
    assert "more than 5 times its maximum of 40 mg" in err


def test_doses_and_tablets_times_100_with_consistent_totals_are_refused(clinic, template, tmp_path, capsys):
    """Only the totals that do not match the doses' equivalents give this one away (or the ceilings)."""
    def times_100(data):
        for step in data["steps"]:
            for dose in step["doses"]:
                dose["mg"] = round(dose["mg"] * 100, 6)
                for unit in dose["units"]:
                    if "count" in unit:
                        unit["count"] *= 100
                    else:
                        unit["ml"] *= 100

    doc = _every_revision(_renamed(template[2]), times_100)
    err = _refused(capsys, clinic, _write(tmp_path, doc), "plan 1 revision 1: ")
    # the second-pass rules (R9 even doses, R11 ceilings) may speak first; either gives it away
    assert "the plan breaks the dose ceiling (R11): diazepam reaches 2000 mg a day" in err, err


@pytest.mark.parametrize("change,expected", [
    (lambda d: d.update(steps="lol"), "plan 1 revision 1: the plan has no steps (its \"steps\" must be a non-empty list)"),
    (lambda d: d.update(steps=[]), "the plan has no steps"),
    (lambda d: d["steps"][0].update(start="2027-02-30"), "plan 1 revision 1: step 0's start is not a date"),
    (lambda d: d["steps"][0]["doses"][0].update(mg=float("inf")), "step 0 has a dose whose mg is not a number"),
    (lambda d: d["steps"][0]["doses"][0].update(units="two"), "step 0 has a dose with no tablets or liquid"),
    (lambda d: d.pop("paces"), "the plan has no pace"),
])
def test_a_malformed_plan_is_refused(clinic, template, tmp_path, capsys, change, expected):
    doc = _every_revision(_renamed(template[2]), change)
    _refused(capsys, clinic, _write(tmp_path, doc), expected)


def test_an_empty_revisions_list_is_refused(clinic, template, tmp_path, capsys):
    doc = _renamed(template[2])
    doc["plans"][0]["revisions"] = []
    _refused(capsys, clinic, _write(tmp_path, doc),
             "plan 1 has no revisions (its \"revisions\" must be a non-empty list)")


@pytest.mark.parametrize("identifier", ["DEMO\u2010001", "DEMO\u2013001", "ＤＥＭＯ－００１", "D\u0415MO-001",
                                        "demo\u2212001", "DEMO-\u200b001"])
def test_a_look_alike_identifier_is_the_same_patient(clinic, template, tmp_path, capsys, identifier):
    doc = _renamed(template[2], identifier)
    _refused(capsys, clinic, _write(tmp_path, doc), "already belongs to Margaret O'Brien")
    storage.open_database(clinic, read_only=True)
    try:
        assert storage.find_patient_by_identifier(identifier=identifier).identifier == "DEMO-001"
    finally:
        storage.close_database()


def test_deeply_nested_json_is_refused(clinic, tmp_path, capsys):
    file = tmp_path / "deep.json"
    file.write_text("[" * 100_000 + "]" * 100_000)
    _refused(capsys, clinic, file, "nested too deeply")
    nested: list = [1]
    for _ in range(20):
        nested = [nested]
    file.write_text(json.dumps({"format": "taperdesk-patient", "x": nested}))
    _refused(capsys, clinic, file, "nested more than 16 levels deep")


def test_odd_files_are_refused(clinic, tmp_path, capsys, monkeypatch):
    _refused(capsys, clinic, tmp_path, "is a folder")
    if os.path.exists("/dev/zero") and stat.S_ISCHR(os.stat("/dev/zero").st_mode):  # a shared machine may lack it
        _refused(capsys, clinic, "/dev/zero", "is not a regular file")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    _refused(capsys, clinic, fifo, "is not a regular file")
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    _refused(capsys, clinic, empty, "is not JSON")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    _refused(capsys, clinic, binary, "is not text (UTF-8 JSON)")
    monkeypatch.setattr(portable_checks, "MAX_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"pad": "x" * 2000}))
    _refused(capsys, clinic, big, "is larger than")
