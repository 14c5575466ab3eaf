"""`taperdesk today` on a demo clinic: the same list as clinic.today.today_list
(which the Today view shows), in a table, JSON and CSV; the dose a patient is
told about is the plan's own dose on that day; bad input is exit 2 and one line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import storage
from taperdesk.app import main
from taperdesk.clinic.plans import current_plans
from taperdesk.clinic.today import GROUPS, today_list
from taperdesk.core.quantity import fmt_mg

TODAY = date.today()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory, demo_copy):
    path = tmp_path_factory.mktemp("today") / "demo.sqlite"
    demo_copy(path)
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    yield path
    storage.close_database()


def _listing(path, day):
    storage.open_database(path, read_only=True)
    try:
        return today_list(day=day)
    finally:
        storage.close_database()


def _json(capsys, path, *extra):
    assert main(["today", "--db", str(path), "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_lists_what_the_clinic_layer_lists(demo_db, capsys):
    listing = _listing(demo_db, TODAY)
    assert listing.group("flares"), "the demo clinic has patients with a flare today"
    doc = _json(capsys, demo_db)
    assert doc["date"] == TODAY.isoformat()
    assert doc["counts"] == {GROUPS[k]: n for k, n in listing.counts().items()}
    assert [(i["identifier"], i["what"], i["evidence"]) for i in doc["items"]] == \
        [(i.identifier, i.what, i.evidence) for i in listing.items]
    assert main(["today", "--db", str(demo_db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{k: str(v) for k, v in item.items()} for item in doc["items"]]
    assert main(["today", "--db", str(demo_db)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0] == f"Today: {TODAY.isoformat()}, {listing.patients()} patients need the clinician"
    for item in listing.group("flares"):
        line = next(x for x in table.splitlines() if item.identifier in x)
        assert item.name in line and line.rstrip().endswith(item.what)
        assert item.evidence.startswith(("Daily rating", "CIWA-B")) and item.evidence in table


def test_dose_changes_say_the_plans_own_new_dose(demo_db, capsys):
    """On the days ahead, each 'dose changes' line names the dose the plan gives that day."""
    seen = 0
    for ahead in range(0, 60, 3):
        day = TODAY + timedelta(days=ahead)
        doc = _json(capsys, demo_db, "--date", day.isoformat())
        changes = [i for i in doc["items"] if i["group"] == GROUPS["changes"]]
        if not changes:
            continue
        storage.open_database(demo_db, read_only=True)
        try:
            ids = {p.identifier: p.id for p in storage.search_patients(text="")}
            plans = current_plans(patient_ids=list(ids.values()))
        finally:
            storage.close_database()
        for item in changes:
            when = date.fromisoformat(item["when"])
            assert when in (day, day + timedelta(days=1))
            plan = plans[ids[item["identifier"]]].plan
            step = plan.step_on(when)
            before = plan.step_on(when - timedelta(days=1))
            assert step.doses != before.doses
            daily = " + ".join(f"{drug} {fmt_mg(mg)} mg" for drug, mg in step.daily_mg.items())
            if step.kind == "stop":  # a demo plan may reach its stop within the window
                daily = "No dose (taper finished)"
            assert item["evidence"] == f"New daily dose: {daily}"
            assert item["what"].startswith("Today" if when == day else "Tomorrow")
            seen += 1
    assert seen >= 2


def test_bad_input_is_one_line_and_exit_2(demo_db, tmp_path, capsys):
    for argv in (["today", "--db", str(demo_db), "--date", "2026-02-30"],
                 ["today", "--db", str(tmp_path / "none.sqlite")],
                 ["today", "--db", str(demo_db), "--format", "pdf"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("taperdesk: ") and "\n" not in err and "Traceback" not in err, err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=12).filter(lambda t: not t.startswith("-")))
def test_any_date_text_is_a_list_or_one_line(demo_db, capsys, text):
    code = main(["today", "--db", str(demo_db), "--date", text, "--format", "csv"])
    out = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert out.err.count("\n") == 1 and "Traceback" not in out.err
    else:
        assert out.out.startswith("group,identifier,name")


def test_a_booked_review_date_puts_the_patient_on_the_list(demo_db, capsys):
    """The next review date set in the app (issue 11's patient_review) is what 'reviews due' follows."""
    storage.open_database(demo_db, auto_backup=False)
    try:
        [calm] = [p for p in storage.search_patients(text="") if p.identifier == "DEMO-005"]
        author = storage.list_clinicians()[0]
        from taperdesk.storage.paper_records import set_review_date

        set_review_date(patient_id=calm.id, review_on=TODAY + timedelta(days=2), author=author)
    finally:
        storage.close_database()
    doc = _json(capsys, demo_db)
    mine = [i for i in doc["items"] if i["identifier"] == "DEMO-005" and i["group"] == GROUPS["reviews"]]
    assert [i["what"] for i in mine] == [f"Review booked on {(TODAY + timedelta(days=2)).day} "
                                         f"{(TODAY + timedelta(days=2)).strftime('%b')}"]
    storage.open_database(demo_db, auto_backup=False)
    try:
        from taperdesk.storage.paper_records import set_review_date

        set_review_date(patient_id=calm.id, review_on=TODAY + timedelta(days=30), author=storage.list_clinicians()[0])
    finally:
        storage.close_database()
    doc = _json(capsys, demo_db)
    assert not [i for i in doc["items"] if i["identifier"] == "DEMO-005" and i["group"] == GROUPS["reviews"]]


def test_a_supply_period_ending_puts_the_patient_on_the_list(demo_db, capsys, monkeypatch):
    """A pharmacy order printed 27 days ago in 28-day supplies: the next supply is due tomorrow."""
    import datetime as dt

    from taperdesk.clinic.plans import current_plan
    from taperdesk.storage import handouts

    storage.open_database(demo_db, auto_backup=False)
    try:
        active = [p for p in storage.search_patients(text="")
                  if (info := current_plan(patient_id=p.id)) and info.record.status == "active"
                  and (info.course.last_day() or TODAY) > TODAY + timedelta(days=2)]
        patient = active[0]
        revision = current_plan(patient_id=patient.id).revision
        printed = dt.datetime.combine(TODAY - timedelta(days=27), dt.time(12), tzinfo=dt.timezone.utc)
        monkeypatch.setattr(handouts, "utc_now", lambda: printed)
        storage.record_handout(revision_id=revision.id, kind="pharmacy", pdf=b"%PDF-1.7 order",
                               author=storage.list_clinicians()[0])
    finally:
        storage.close_database()
    tomorrow = TODAY + timedelta(days=1)
    doc = _json(capsys, demo_db)
    supplies = [i for i in doc["items"] if i["group"] == GROUPS["supplies"]]
    assert [(i["identifier"], i["what"], i["when"]) for i in supplies] == [
        (patient.identifier, f"Supply for 28 days from {tomorrow.day} {tomorrow.strftime('%b')} is due (tomorrow)",
         tomorrow.isoformat())]
    later = _json(capsys, demo_db, "--date", (TODAY + timedelta(days=3)).isoformat())
    assert not [i for i in later["items"] if i["group"] == GROUPS["supplies"]]
