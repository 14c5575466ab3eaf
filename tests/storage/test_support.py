"""The clinic's support list and what was agreed with each patient: history
tables (a save appends, the newest counts, the database refuses changes), an
agreement keeps the words it had that day, and bad input is one clear line."""

from __future__ import annotations

import sqlite3

import pytest

from taperdesk import storage
from taperdesk.core.support import shipped_options
from taperdesk.storage import errors


def test_the_shipped_list_until_the_clinic_saves_its_own(doctor):
    assert storage.support_options() == shipped_options()
    assert [o.key for o in shipped_options()] == ["cbt_insomnia", "cbt_anxiety", "sleep_hygiene", "support_group",
                                                 "exercise"]
    mine = [*shipped_options()[:2], {"key": "walk", "label": "Walking group", "patient": "A walking group.",
                                     "source": "local"}]
    saved = storage.save_support_options(options=mine, author=doctor)
    assert [o.key for o in saved] == ["cbt_insomnia", "cbt_anxiety", "walk"] == [o.key for o in storage.support_options()]
    storage.save_support_options(options=saved, author=doctor)  # the same list again: nothing stored
    assert len(storage.support_list_history()) == 1


def test_a_bad_list_is_refused_in_one_line_and_staff_may_not_edit(doctor, staff):
    with pytest.raises(errors.InvalidInputError, match="used twice"):
        storage.save_support_options(options=list(shipped_options()) * 2, author=doctor)
    with pytest.raises(errors.StorageError):
        storage.save_support_options(options=shipped_options()[:1], author=staff)
    assert storage.support_list_history() == []


def test_what_was_agreed_keeps_its_words_and_its_history(doctor, patient, db_path):
    assert storage.support_agreed(patient_id=patient.id) == ()
    first = storage.agree_support(patient_id=patient.id, keys=["cbt_insomnia", "exercise"], author=doctor,
                                  note="agreed at visit")
    assert [o.key for o in first.options] == ["cbt_insomnia", "exercise"]
    # the clinic rewords CBT-I later: the patient's agreement keeps what they were told
    edited = [{**o.__dict__, "patient": "New words."} if o.key == "cbt_insomnia" else o.__dict__
              for o in shipped_options()]
    storage.save_support_options(options=edited, author=doctor)
    assert storage.support_agreed(patient_id=patient.id)[0].patient == shipped_options()[0].patient
    storage.agree_support(patient_id=patient.id, keys=["cbt_insomnia"], author=doctor)
    assert storage.support_agreed(patient_id=patient.id)[0].patient == "New words."
    storage.agree_support(patient_id=patient.id, keys=[], author=doctor, note="stopped")
    assert storage.support_agreed(patient_id=patient.id) == ()
    history = storage.support_history(patient_id=patient.id)
    assert [[o.key for o in h.options] for h in history] == [["cbt_insomnia", "exercise"], ["cbt_insomnia"], []]
    assert [h.note for h in history] == ["agreed at visit", "", "stopped"]
    events = [e.summary for e in storage.patient_audit_events(patient_id=patient.id)]
    assert any("support agreed" in s and "CBT for insomnia (CBT-I), Exercise" in s for s in events)
    storage.close_database()
    conn = sqlite3.connect(db_path)
    for sql in ("UPDATE support_agreed SET note = 'x'", "DELETE FROM support_agreed",
                "UPDATE support_list SET options = '[]'", "DELETE FROM support_list"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_an_option_not_on_the_list_is_refused(doctor, patient):
    with pytest.raises(errors.InvalidInputError, match="'yoga' is not on the clinic's support list"):
        storage.agree_support(patient_id=patient.id, keys=["yoga"], author=doctor)
    with pytest.raises(errors.NotFoundError):
        storage.agree_support(patient_id=999, keys=["exercise"], author=doctor)
    assert storage.support_history(patient_id=patient.id) == []


def test_the_support_agreed_reaches_the_patient_handout(doctor, patient, tmp_path):
    import datetime as dt
    import subprocess

    from taperdesk.clinic import plans as clinic_plans
    from taperdesk.clinic.paper import build_handout
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    settings = PlanSettings(start=dt.date.today())
    clinic_plans.start_plan(patient_id=patient.id, plan=make_plan(Regimen("diazepam", (("night", 5.0),)), settings),
                            settings=settings, author=doctor)

    def advice() -> str:
        pdf, _rev = build_handout(patient_id=patient.id, kind="patient", printed_on=dt.date.today(), invariant=True)
        path = tmp_path / "h.pdf"
        path.write_bytes(pdf)
        text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        return text[text.index("Staying safe"):]

    before = advice()
    assert "Other help" in before and "The help we agreed with you" not in before
    storage.agree_support(patient_id=patient.id, keys=["support_group"], author=doctor)
    after = advice()
    assert "The help we agreed with you" in after and shipped_options()[3].patient in after


def test_recent_falls_reads_only_days_with_a_fall(doctor, patient):
    import datetime as dt

    day = dt.date.today() - dt.timedelta(days=3)
    for n, items in enumerate(({"severity": 2}, {"severity": 2, "falls": 0}, {"severity": 3, "falls": 2})):
        storage.add_symptom_entry(patient_id=patient.id, date=day + dt.timedelta(days=n), scale="daily", items=items,
                                  author=doctor)
    assert storage.recent_falls(patient_ids=[patient.id], since=day) == {patient.id: {day + dt.timedelta(days=2): 2}}
    assert storage.recent_falls(patient_ids=[patient.id], since=dt.date.today()) == {}
    assert storage.recent_falls(patient_ids=[], since=day) == {}
