"""The record check in the app: run in the background, it marks the patient
whose stored plan was changed outside TaperDesk in the patient list (read
through the item model) and shows a red banner on their page; their handout
is refused with one line, while other patients print."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from taperdesk import storage
from taperdesk.ui.workspace import Workspace


@pytest.fixture
def tampered(tmp_path, demo_copy):
    """A demo clinic where DEMO-002's newest revision was edited by hand (triggers set aside and put back)."""
    path = tmp_path / "demo.sqlite"
    demo_copy(path)
    conn = sqlite3.connect(path, isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'plan_revision_no_update'").fetchone()[0]
    rev = conn.execute("SELECT r.id, r.plan_id, r.number FROM plan_revision r JOIN plan p ON p.id = r.plan_id "
                       "JOIN patient q ON q.id = p.patient_id WHERE q.identifier = 'DEMO-002' "
                       "ORDER BY r.id DESC LIMIT 1").fetchone()
    conn.execute("DROP TRIGGER plan_revision_no_update")
    conn.execute("UPDATE plan_revision SET reason = 'edited by hand' WHERE id = ?", (rev[0],))
    conn.execute(sql)
    conn.close()
    storage.open_database(path, auto_backup=False)
    yield rev
    storage.close_database()


def test_the_record_check_marks_the_patient_and_refuses_their_paper(qtbot, qtmodeltester, tampered, tmp_path):
    from PySide6.QtCore import Qt

    _id, plan_id, number = tampered
    clinician = storage.list_clinicians()[0]
    w = Workspace(clinician=clinician, today=date.today())
    qtbot.addWidget(w)
    w.start_record_check()
    with qtbot.waitSignal(w.record_check.checked, timeout=20000):
        pass
    model = w.patients
    qtmodeltester.check(model)
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    marked = [n for n in names if n.startswith("⚠")]
    assert marked == ["⚠ José Núñez López (record check failed)"]
    row = names.index(marked[0])
    line = (f"plan {plan_id} revision {number}: the stored plan does not match its hash "
            f"chain (it was changed, replaced or removed after it was saved)")
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole) == line
    assert "found 1 problem(s) in 1 patient record(s), marked ⚠ in the list" in w.last_message

    patient = storage.find_patient_by_identifier(identifier="DEMO-002")
    w.select_patient(patient.id)
    assert not w.record_banner.isHidden()
    assert "This patient's record failed its check" in w.record_banner.text.text()
    assert "revision" in w.record_banner.text.text() and "taperdesk verify" in w.record_banner.text.text()
    w.make_handout("patient")
    qtbot.waitUntil(lambda: "Not printed" in w.last_message, timeout=20000)
    assert w.last_message.startswith(f"The handout was not made: Not printed: José Núñez López (DEMO-002), plan "
                                     f"{plan_id} revision {number} failed its check")
    assert not w.export_to("csv", tmp_path / "doses.csv")
    assert not (tmp_path / "doses.csv").exists() and "Not exported: José Núñez López (DEMO-002)" in w.last_message

    other = storage.find_patient_by_identifier(identifier="DEMO-001")
    w.select_patient(other.id)
    assert w.record_banner.isHidden()
