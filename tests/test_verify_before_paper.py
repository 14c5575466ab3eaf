"""`taperdesk verify` and verify-before-paper on a demo clinic, read as a person
reads them: the command's lines, the refusals' one line, no file written.

The issue's own finding first: one byte of a stored revision changed ("mg":
10.0 became 90.0) used to pass every check and print "90 mg diazepam"."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from taperdesk import storage
from taperdesk.app import main

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_tamper", ROOT / "bench" / "bench_tamper.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _bench()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("verify")
    made = bench.make_clinic(folder)
    monkeypatch_module.setenv("TAPERDESK_PASSWORD", made.password)
    return made


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture
def db(clinic, tmp_path):
    path = tmp_path / "clinic.sqlite"
    shutil.copy(clinic.path, path)
    yield path
    storage.close_database()


def _patient_revision(path, identifier):
    """(name, plan id, newest revision number, its plan_json) of a patient."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT q.name, r.plan_id, r.number, r.plan_json FROM plan_revision r JOIN plan p ON p.id = r.plan_id "
            "JOIN patient q ON q.id = p.patient_id WHERE q.identifier = ? ORDER BY r.id DESC LIMIT 1",
            (identifier,)).fetchone()
    finally:
        conn.close()


def _flip_ten_to_ninety(path, revision_sql, params):
    """Change one byte in the file: the '1' of a '"mg": 10.0' that belongs to the
    revision `revision_sql` selects (tried at each place the bytes occur; kept
    where that revision, and only it, reads back changed)."""
    original = path.read_bytes()

    def texts():
        conn = sqlite3.connect(path)
        try:
            return [r[0] for r in conn.execute("SELECT plan_json FROM plan_revision ORDER BY id")], \
                conn.execute(revision_sql, params).fetchone()[0]
        finally:
            conn.close()

    before, _ = texts()
    for key in (b'"mg":', b'"mg": '):  # plans are stored compact; older files kept them indented
        at = original.find(key + b"10.0")
        while at >= 0:
            data = bytearray(original)
            data[at + len(key)] = ord("9")
            path.write_bytes(bytes(data))
            after, mine = texts()
            changed = [a for a, b in zip(after, before) if a != b]
            if changed == [mine] and (key.decode() + "90.0") in mine:
                return
            at = original.find(key + b"10.0", at + 1)
    path.write_bytes(original)
    pytest.fail("no '\"mg\": 10.0' of this revision in the file")


def _one_line_refusal(capsys, argv):
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return err


def test_an_untouched_clinic_verifies(db, capsys):
    assert main(["verify", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith(f"{db} is as TaperDesk wrote it: ") and "stored plans" in out and "1 stored handouts" in out


def test_one_flipped_byte_in_a_dose_is_refused_on_every_paper(db, clinic, capsys, tmp_path):
    identifier = "DEMO-002"
    name, plan_id, number, _plan_json = _patient_revision(db, identifier)
    _flip_ten_to_ninety(db, "SELECT plan_json FROM plan_revision WHERE plan_id = ? AND number = ?", (plan_id, number))
    conn = sqlite3.connect(db)  # the file still reads fine: SQLite sees nothing wrong
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    place = f"{name} ({identifier}), plan {plan_id} revision {number}"

    assert main(["verify", "--db", str(db)]) == 2
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert f"{place}: the stored plan does not match its hash chain (it was changed, replaced or removed after " \
           f"it was saved)" in lines
    assert any(line.startswith(f"{place}: the stored plan breaks a planning rule: R4: ") and "90.0 mg" in line
               for line in lines)
    assert "taperdesk verify: " in captured.err and "problems in" in captured.err

    for argv, suffix in ((["handout", "--clinician", "demo"], "pdf"),
                         (["handout", "--clinician", "demo", "--kind", "clinician"], "pdf"),
                         (["handout", "--clinician", "demo", "--kind", "pharmacy"], "pdf"),
                         (["handout", "--clinician", "demo", "--kind", "dosebox"], "pdf"),
                         (["export-ics", "--clinician", "demo"], "ics"), (["export-csv", "--clinician", "demo"], "csv")):
        out = tmp_path / f"paper.{suffix}"
        err = _one_line_refusal(capsys, [*argv, "--db", str(db), "--patient", identifier, "--out", str(out)])
        verb = "exported" if argv[0].startswith("export") else "printed"
        assert err.startswith(f"taperdesk: Not {verb}: {place} failed its check: the stored plan does not match "
                              f"its hash chain"), err
        assert err.endswith("run `taperdesk verify`."), err
        assert not out.exists() and not list(tmp_path.glob("*.partial"))
    # other patients still print
    out = tmp_path / "other.pdf"
    assert main(["handout", "--db", str(db), "--patient", "DEMO-005", "--clinician", "demo", "--out", str(out)]) == 0
    assert out.exists()


def test_a_swapped_pdf_is_not_reprinted(db, clinic):
    from taperdesk.clinic.handouts import reprint
    from taperdesk.clinic.plans import OperationError

    storage.open_database(db, read_only=True)
    [handout_id] = [h.id for r in storage.revisions(plan_id=1) for h in storage.handouts_for_revision(revision_id=r.id)]
    original = reprint(handout_id=handout_id, author=1)
    assert original.startswith(b"%PDF")
    storage.close_database()
    sql = bench._trigger_sql(db, "handout_no_update")
    assert bench._shell(db, "DROP TRIGGER handout_no_update",
                        "UPDATE handout SET pdf = CAST('%PDF-1.7 another' AS BLOB)", sql) is None
    storage.open_database(db, read_only=True)
    with pytest.raises(OperationError) as refused:
        reprint(handout_id=handout_id, author=1)
    name, plan_id, number, _ = _patient_revision(db, clinic.handout_patient)
    assert str(refused.value) == (
        f"Not reprinted: {name} ({clinic.handout_patient}), plan {plan_id} revision {number} failed its check: the "
        f"stored PDF of handout {handout_id} is not the one printed (its SHA-256 differs from the one recorded); "
        f"run `taperdesk verify`.")


def test_verify_json_lists_the_findings(db, capsys):
    bench._shell(db, "DROP TRIGGER plan_revision_no_delete")
    assert main(["verify", "--db", str(db), "--json"]) == 2
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert [f["line"] for f in report["findings"]] == [
        "the clinic file: the safety trigger plan_revision_no_delete is missing (someone removed it): history "
        "could have been rewritten"]


def test_verify_refuses_a_missing_file_in_one_line(tmp_path, capsys):
    err = _one_line_refusal(capsys, ["verify", "--db", str(tmp_path / "nothing.sqlite")])
    assert err == f"taperdesk: There is no clinic file at {tmp_path / 'nothing.sqlite'}; check --db PATH."


# -- the measurements, smaller here (bench/bench_tamper.py runs 300 flips) ----------
def test_every_paper_tried_after_a_flip_prints_from_the_untouched_file(clinic, tmp_path):
    made = bench.control(clinic, tmp_path)
    conn = sqlite3.connect(clinic.path)
    drafts = {i for (i,) in conn.execute("SELECT q.identifier FROM plan p JOIN patient q ON q.id = p.patient_id "
                                         "WHERE p.status = 'draft'")}
    conn.close()
    expected = {f"{kind} of {patient}" for patient in clinic.patient_of_plan.values()
                for kind in ("clinician summary", "patient handout", "calendar", "CSV")
                if not (kind == "calendar" and patient in drafts)}  # a draft gets no calendar file
    assert set(made) == expected and len(made) == len(expected)


def test_flipped_bytes_that_change_a_plan_are_all_caught_before_paper(clinic, tmp_path):
    results = bench.flips(clinic, tmp_path, 6, seed=7)
    changed = [f for f in results if f.changed]
    assert len(changed) >= 5
    assert [f.printed for f in changed if not f.caught] == []
    assert all(f.caught for f in changed)


def test_the_five_bypasses_are_all_detected(clinic, tmp_path):
    found = bench.bypasses(clinic, tmp_path)
    assert [b.name for b in found] == [
        "INSERT OR REPLACE on an audit event", "INSERT OR REPLACE on a plan revision (10x doses)",
        "INSERT OR REPLACE on a stored handout PDF", "DROP TRIGGER", "a swapped PDF given to a reprint"]
    for b in found[:3]:  # the database itself refuses the plain REPLACE
        assert b.refused and "REPLACE refused" in b.refused, b
    assert [b.name for b in found if not b.detected] == []
    assert all(b.verify_lines for b in found)
    for b in found[1:]:
        assert "failed its check" in b.paper and b.paper.endswith("run `taperdesk verify`."), b.paper
