"""People are never lost: archived patients can be listed and unarchived from
the list, archiving a patient with a plan in force warns and names the plan,
a second patient with the same name and birth date is flagged with the other's
name, and the list has a birth-date column and finds people by birth date
(typed the clinic's way) and by identifier."""

from __future__ import annotations

from datetime import date

import pytest

from taperdesk import storage
from taperdesk.clinic import plans as operations
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.patient_dialog import PatientDialog
from taperdesk.ui.patient_list import column_of

TODAY = date(2026, 12, 1)


@pytest.fixture
def people(clinician):
    ana = storage.add_patient(name="Ana López", born=date(1956, 3, 12), identifier="TD-0001", author=clinician)
    ben = storage.add_patient(name="Ben Okafor", born=date(1961, 12, 3), identifier="TD-0002", author=clinician)
    settings = PlanSettings(start=TODAY)
    operations.start_plan(patient_id=ana.id, plan=make_plan(Regimen("diazepam", (("night", 10.0),)), settings),
                          settings=settings, author=clinician)
    return ana, ben


@pytest.fixture
def window(qtbot, people, clinician):
    from taperdesk.ui.workspace import Workspace

    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    return w


def names(window) -> list[str]:
    m = window.patients
    return [m.index(r, column_of("Name")).data() for r in range(m.rowCount())]


def test_an_archived_patient_is_listed_with_show_archived_and_unarchived_from_the_list(window, people, clinician):
    ana, ben = people
    storage.set_patient_archived(patient_id=ben.id, archived=True, author=clinician)
    window.patients.refresh()
    assert names(window) == ["Ana López"]
    window.search.setText("Okafor")
    assert names(window) == []
    window.show_archived.setChecked(True)
    assert names(window) == ["Ben Okafor (archived)"]
    window.select_patient(ben.id)
    assert window.unarchive_button.isVisible() and window.unarchive_button.isEnabled()
    assert window.unarchive_selected()
    assert not storage.get_patient(patient_id=ben.id).archived
    assert names(window) == ["Ben Okafor"] and not window.unarchive_button.isVisible()
    window.show_archived.setChecked(False)
    assert names(window) == ["Ben Okafor"]


def test_archiving_a_patient_with_a_plan_in_force_warns_and_names_the_plan(qtbot, people, clinician):
    ana, ben = people
    asked = []
    dialog = PatientDialog(patient=storage.get_patient(patient_id=ana.id), author=clinician)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda title, text: asked.append(text) or False
    assert not dialog.toggle_archived()
    assert "this patient has a plan in force: the diazepam plan started 1 Dec 2026 (Active, revision 1)" in asked[0]
    assert "does not stop or pause it" in asked[0]
    assert not storage.get_patient(patient_id=ana.id).archived
    # no plan: the plain question
    dialog = PatientDialog(patient=storage.get_patient(patient_id=ben.id), author=clinician)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda title, text: asked.append(text) or True
    assert dialog.toggle_archived()
    assert "plan in force" not in asked[1] and storage.get_patient(patient_id=ben.id).archived


def test_a_duplicate_name_and_birth_date_warns_and_names_the_other(qtbot, people, clinician):
    ana, _ = people
    asked = []
    dialog = PatientDialog(author=clinician)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda title, text: asked.append((title, text)) or False
    dialog.name.setText("ana  lópez")
    dialog.born.setText("1956-03-12")
    dialog.identifier.setText("TD-0099")
    dialog.accept()
    assert asked[0][0] == "Possible duplicate patient"
    assert "Ana López, born 12 Mar 1956, identifier TD-0001" in asked[0][1]
    assert dialog.saved_patient() is None and "Not saved: same name and birth date as Ana López" in dialog.error_text("save")
    assert storage.find_patient_by_identifier(identifier="TD-0099") is None
    dialog.confirm = lambda title, text: True  # "a different person": saved
    dialog.accept()
    assert dialog.saved_patient() is not None and dialog.saved_patient().identifier == "TD-0099"
    # editing the other one's own details does not count itself
    edit = PatientDialog(patient=storage.get_patient(patient_id=ana.id), author=clinician)
    qtbot.addWidget(edit)
    edit.confirm = lambda title, text: asked.append((title, text)) or False
    edit.phone.setText("0123")
    edit.accept()
    assert asked[-1][0] == "Possible duplicate patient" and "TD-0099" in asked[-1][1]


def test_birth_date_column_and_search_by_birth_date_and_identifier(window, people):
    m = window.patients
    assert column_of("Born") >= 0
    assert [m.index(r, column_of("Born")).data() for r in range(m.rowCount())] == ["12/03/1956", "03/12/1961"]
    for typed in ("12/03/1956", "1956-03-12", "12.3.1956", "12-03-1956"):
        window.search.setText(typed)
        assert names(window) == ["Ana López"], typed
    window.search.setText("3/12/1961")
    assert names(window) == ["Ben Okafor"]
    window.search.setText("TD-0002")
    assert names(window) == ["Ben Okafor"]
    window.search.setText("31/02/1956")  # not a date: nobody, no error
    assert names(window) == []


def test_a_letter_paper_clinic_writes_and_reads_month_first(qtbot, people, clinician):
    from dataclasses import replace

    from taperdesk.ui.workspace import Workspace

    storage.save_clinic_settings(settings=replace(storage.get_clinic_settings(), paper_size="Letter"), author=clinician)
    w = Workspace(clinician=clinician, today=TODAY)
    qtbot.addWidget(w)
    assert w.patients.index(0, column_of("Born")).data() == "03/12/1956"
    w.search.setText("03/12/1956")
    assert names(w) == ["Ana López"]
    w.search.setText("12.3.1956")  # dots are day first everywhere
    assert names(w) == ["Ana López"]
