"""Other medicines and the support agreed travel in a patient file: any history
of them made through the operations comes back identical in a fresh clinic
(hypothesis), chained there; a hand-edited section is refused in one line with
nothing written; an older file without the sections still imports."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import storage
from taperdesk.app import main
from taperdesk.core.support import shipped_options
from taperdesk.storage import errors
from taperdesk.storage.portable import export_patient, import_patient
from taperdesk.storage.verify import verify_clinic
from tests.conftest import examples

PASSWORD = "correct horse"
KEYS = [o.key for o in shipped_options()]


def _real_plan(patient_id, author, start=dt.date(2026, 12, 1)):
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    settings_ = PlanSettings(start=start)
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), settings_)
    return storage.create_plan(patient_id=patient_id, plan=plan, settings=settings_, author=author)


@pytest.fixture(scope="module")
def empty_clinic(tmp_path_factory):
    """A new clinic file with one prescriber, copied for each clinic a test needs."""
    path = tmp_path_factory.mktemp("portable") / "empty.sqlite"
    storage.open_database(path, create=True)
    storage.add_clinician(name="Dr Ada Test", role="clinician", password=PASSWORD)
    storage.close_database()
    return path


@pytest.fixture(scope="module")
def source_clinic(empty_clinic, tmp_path_factory):
    """A clinic with one patient and two plans; each example adds its own records to a copy."""
    path = tmp_path_factory.mktemp("portable") / "source.sqlite"
    shutil.copy(empty_clinic, path)
    storage.open_database(path)
    doctor = storage.list_clinicians()[0]
    patient = storage.add_patient(name="José Núñez López", born=dt.date(1961, 3, 4), identifier="TD-0001",
                                  author=doctor)
    _real_plan(patient.id, doctor)
    _real_plan(patient.id, doctor, start=dt.date(2027, 6, 1))
    storage.close_database()
    return path


words = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=24)
named = words.filter(lambda w: w.strip())
days = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
operations = st.lists(st.one_of(
    st.tuples(st.just("record"), st.sampled_from(["medicine", "substance"]), named, words, st.none() | days, words),
    st.tuples(st.just("change"), st.integers(0, 9), named, words, st.none() | days),
    st.tuples(st.just("stop"), st.integers(0, 9), st.integers(0, 400), words),
    st.tuples(st.just("alcohol"), st.floats(0, 500, allow_nan=False).map(lambda u: round(u, 1)), words),
    st.tuples(st.just("agree"), st.lists(st.sampled_from(KEYS), unique=True), st.sampled_from([None, 0, 1]), words),
), max_size=8)


def _apply(ops, patient_id, doctor):
    """Run the operations as a clinician would (refused ones are skipped, as the screen would refuse them)."""
    plan_ids = [p.id for p in storage.plans_for_patient(patient_id=patient_id)]
    for op in ops:
        current = storage.other_medicines(patient_id=patient_id).current
        try:
            if op[0] == "record":
                _, kind, name, dose, since, note = op
                storage.record_other_medicine(patient_id=patient_id, kind=kind, name=name, dose=dose, since=since,
                                              note=note, author=doctor)
            elif op[0] == "change" and current:
                _, n, name, dose, since = op
                storage.change_other_medicine(record_id=current[n % len(current)].id, name=name, dose=dose,
                                              since=since, author=doctor)
            elif op[0] == "stop" and current:
                _, n, after, note = op
                row = current[n % len(current)]
                storage.stop_other_medicine(record_id=row.id, stopped=(row.since or dt.date(2026, 1, 1))
                                            + dt.timedelta(days=after), note=note, author=doctor)
            elif op[0] == "alcohol":
                storage.set_alcohol_units(patient_id=patient_id, units_week=op[1], note=op[2], author=doctor)
            elif op[0] == "agree":
                _, keys, plan, note = op
                storage.agree_support(patient_id=patient_id, keys=keys, note=note, author=doctor,
                                      plan_id=None if plan is None else plan_ids[plan])
        except errors.InvalidInputError:
            pass  # e.g. a start date after the stop date the draw made


def _records(patient_id):
    """What the clinic shows of both histories, without ids and authors (they are the new clinic's own)."""
    history = storage.other_medicines(patient_id=patient_id).history
    place = {r.id: n for n, r in enumerate(history)}
    medicines = [(r.kind, r.name, r.dose, r.since, r.stopped, r.units_week, place.get(r.supersedes_id),
                  r.created_at, r.note) for r in history]
    plans = {p.id: n for n, p in enumerate(storage.plans_for_patient(patient_id=patient_id))}
    agreed = [(plans.get(a.plan_id), a.options, a.created_at, a.note)
              for a in storage.support_history(patient_id=patient_id)]
    return medicines, agreed, storage.support_agreed(patient_id=patient_id)


def _tagged(records, clinic, who):
    """The source's records as the import writes them: each note names where it came from."""
    medicines, agreed, now = records
    tag = f"imported from {clinic or 'another clinic'}; by {who}"
    return ([(*m[:-1], f"{m[-1]} [{tag}]".strip()) for m in medicines],
            [(*a[:-1], f"{a[-1]} [{tag}]".strip()) for a in agreed], now)


@settings(max_examples=examples(10, 400), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_export_then_import_into_a_fresh_clinic_gives_identical_records(source_clinic, empty_clinic, tmp_path_factory,
                                                                        ops):
    folder = tmp_path_factory.mktemp("trip")
    source, target = folder / "source.sqlite", folder / "target.sqlite"
    shutil.copy(source_clinic, source)
    shutil.copy(empty_clinic, target)
    storage.open_database(source)
    try:
        doctor = storage.list_clinicians()[0]
        _apply(ops, 1, doctor)
        before = _records(1)
        document = json.loads(json.dumps(export_patient(patient_id=1)))  # as it is written to the file
        clinic = document["source"]["clinic"]
    finally:
        storage.close_database()
    assert len(document["other_medicines"]) == len(before[0])
    assert len(document["support_agreed"]) == len(before[1])

    storage.open_database(target)
    try:
        importer = storage.list_clinicians()[0]
        patient = import_patient(document=document, author=importer)
        assert _records(patient.id) == _tagged(before, clinic, doctor.name)
        assert verify_clinic().findings == ()  # imported rows are in the new clinic's chains
    finally:
        storage.close_database()


@pytest.fixture
def exported(source_clinic, tmp_path):
    """A patient file with an alcohol record, a stopped and a changed medicine, and two agreements."""
    path = tmp_path / "source.sqlite"
    shutil.copy(source_clinic, path)
    storage.open_database(path)
    try:
        doctor = storage.list_clinicians()[0]
        _apply([("record", "medicine", "sertraline", "50 mg", dt.date(2025, 3, 1), ""),
                ("record", "substance", "cannabis", "", None, "evenings"),
                ("change", 0, "sertraline", "100 mg", dt.date(2025, 3, 1)),
                ("stop", 0, 30, "stopped by patient"),
                ("alcohol", 14.0, ""),
                ("agree", ["cbt_insomnia", "exercise"], 0, "at the first visit"),
                ("agree", ["sleep_hygiene"], None, "")], 1, doctor)
        return json.loads(json.dumps(export_patient(patient_id=1)))
    finally:
        storage.close_database()


def test_the_file_carries_both_histories(exported):
    meds = exported["other_medicines"]
    assert [(m["kind"], m["name"], m["dose"], m["stopped"]) for m in meds] == [
        ("medicine", "sertraline", "50 mg", None), ("substance", "cannabis", "", None),
        ("medicine", "sertraline", "100 mg", None), ("medicine", "sertraline", "100 mg", "2025-03-31"),
        ("alcohol", "alcohol", "", None)]
    assert [m["supersedes"] for m in meds] == [None, None, meds[0]["ref"], meds[2]["ref"], None]
    assert meds[4]["units_week"] == 14.0 and meds[0]["by"] == "Dr Ada Test"
    agreed = exported["support_agreed"]
    assert [(a["plan"], [o["key"] for o in a["options"]], a["note"]) for a in agreed] == [
        (1, ["cbt_insomnia", "exercise"], "at the first visit"), (None, ["sleep_hygiene"], "")]
    assert agreed[0]["options"][0]["patient"] == shipped_options()[0].patient  # the words as agreed that day


def _changed(document, change):
    doc = json.loads(json.dumps(document))
    change(doc)
    return doc


def _set(section, n, **values):
    return lambda doc: doc[section][n].update(values)


TAMPERED = [
    (_set("other_medicines", 0, kind="pill"), "other medicine 1's kind is \"pill\""),
    (_set("other_medicines", 0, name=" "), "other medicine 1 needs a name"),
    (_set("other_medicines", 1, since="2026-02-30"), "other medicine 2's since and stopped must be dates"),
    (_set("other_medicines", 3, stopped="2024-01-01"), "other medicine 4 was stopped (2024-01-01) before it was "
                                                       "started (2025-03-01)"),
    (_set("other_medicines", 4, units_week=5000), "units_week must be a number from 0 to 500"),
    (_set("other_medicines", 4, units_week=None), "units_week must be a number"),
    (_set("other_medicines", 1, units_week=3), "other medicine 2 is a substance: its units_week must be null"),
    (lambda d: d["other_medicines"][2].update(supersedes=d["other_medicines"][4]["ref"]),
     "other medicine 3 changes a record that is not before it"),
    (lambda d: d["other_medicines"][3].update(supersedes=d["other_medicines"][0]["ref"]),
     "other medicine 4 changes record 1, which was already changed by another"),
    (lambda d: d["other_medicines"][1].update(ref=d["other_medicines"][0]["ref"]), "other medicine 2 needs a ref"),
    (_set("other_medicines", 0, created_at="yesterday"), "other medicine 1 needs a created_at time"),
    (lambda d: d.update(other_medicines={"a": 1}), "the \"other_medicines\" section is not a list"),
    (_set("support_agreed", 0, plan=3), "support record 1 names plan 3, which is not in the file"),
    (lambda d: d["support_agreed"][0]["options"][0].update(patient=""),
     "support record 1: Support option 'CBT for insomnia (CBT-I)' needs the line the patient reads"),
    (lambda d: d["support_agreed"][1]["options"][0].update(key="Sleep Hygiene!"),
     "support record 2: Support option 'Sleep-hygiene advice': its key must be lower-case"),
    (_set("support_agreed", 1, options="all"), "support record 2's options are not a list"),
    (lambda d: d.update(support_agreed=[None]), "support record 1 is not an object"),
]


@pytest.mark.parametrize("change,expected", TAMPERED, ids=[t[1][:40] for t in TAMPERED])
def test_a_hand_edited_section_is_refused_in_one_line_and_nothing_is_written(exported, empty_clinic, tmp_path,
                                                                             monkeypatch, capsys, change, expected):
    clinic = tmp_path / "target.sqlite"
    shutil.copy(empty_clinic, clinic)
    file = tmp_path / "p.json"
    file.write_text(json.dumps(_changed(exported, change)), encoding="utf-8")
    monkeypatch.setenv("TAPERDESK_PASSWORD", PASSWORD)
    assert main(["import-patient", str(file), "--clinician", "Dr Ada Test", "--db", str(clinic)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("taperdesk: The patient file was not imported, nothing was written: ") and "\n" not in err
    assert expected in err, err
    conn = sqlite3.connect(clinic)
    try:
        assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("patient", "other_medicine", "support_agreed")] == [0, 0, 0]
    finally:
        conn.close()


def test_a_file_without_the_sections_still_imports(exported, empty_clinic, tmp_path):
    clinic = tmp_path / "target.sqlite"
    shutil.copy(empty_clinic, clinic)
    older = _changed(exported, lambda d: [d.pop("other_medicines"), d.pop("support_agreed")])
    storage.open_database(clinic)
    patient = import_patient(document=older, author=storage.list_clinicians()[0])
    assert storage.other_medicines(patient_id=patient.id).history == ()
    assert storage.support_history(patient_id=patient.id) == []


def test_the_commands_carry_them_and_say_so(source_clinic, empty_clinic, tmp_path, monkeypatch, capsys):
    source, target, file = tmp_path / "s.sqlite", tmp_path / "t.sqlite", tmp_path / "p.json"
    shutil.copy(source_clinic, source)
    shutil.copy(empty_clinic, target)
    storage.open_database(source)
    storage.set_alcohol_units(patient_id=1, units_week=6, author=1)
    storage.agree_support(patient_id=1, keys=["exercise"], author=1)
    storage.close_database()
    monkeypatch.setenv("TAPERDESK_PASSWORD", PASSWORD)
    assert main(["export-patient", "--db", str(source), "--id", "TD-0001", "--clinician", "Dr Ada Test",
                 "--out", str(file)]) == 0
    assert "1 other-medicine record, 1 support record" in capsys.readouterr().out
    assert main(["import-patient", str(file), "--clinician", "Dr Ada Test", "--db", str(target)]) == 0
    assert "as patient 1: 2 plans, 0 symptom entries, 1 other-medicine record, 1 support record." in \
        capsys.readouterr().out
    assert main(["verify", "--db", str(target)]) == 0


def test_an_import_on_either_database_writes_them(doctor, patient):
    """The same path on the clinic server: rows chained, plan references mapped."""
    _real_plan(patient.id, doctor)
    _apply([("record", "medicine", "sertraline", "50 mg", None, ""), ("stop", 0, 3, ""),
            ("alcohol", 2.5, ""), ("agree", ["exercise"], 0, "")], patient.id, doctor)
    document = export_patient(patient_id=patient.id)
    document["patient"]["identifier"] = "TD-0002"
    copy = import_patient(document=document, author=doctor)
    mine, theirs = _records(patient.id), _records(copy.id)
    assert [m[:-1] for m in mine[0]] == [m[:-1] for m in theirs[0]]
    assert [a[:-1] for a in mine[1]] == [a[:-1] for a in theirs[1]] and mine[2] == theirs[2]
    assert [f for f in verify_clinic().findings if f.table in ("other_medicine", "support_agreed")] == []


FUZZED = itertools.count(1)
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats() | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=3), max_leaves=6)


@settings(max_examples=examples(40, 3000), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_in_the_sections_imports_or_is_refused_in_one_line(exported, empty_clinic, tmp_path, data):
    """Fuzz: a field of a record replaced (or removed, or a record added) by any JSON value."""
    doc = json.loads(json.dumps(exported))
    section = data.draw(st.sampled_from(["other_medicines", "support_agreed"]), label="section")
    rows = doc[section]
    n = data.draw(st.integers(0, len(rows)), label="row")
    if n == len(rows):
        rows.append(data.draw(json_values, label="added"))
    else:
        key = data.draw(st.sampled_from(sorted(rows[n]) + ["options/0"]), label="field")
        if key == "options/0" and isinstance(rows[n].get("options"), list) and rows[n]["options"]:
            rows[n]["options"][0][data.draw(st.sampled_from(["key", "label", "patient", "x"]))] = data.draw(json_values)
        elif data.draw(st.booleans(), label="remove"):
            rows[n].pop(key, None)
        else:
            rows[n][key] = data.draw(json_values, label="value")
    clinic = tmp_path / "fuzz.sqlite"
    if not clinic.exists():
        shutil.copy(empty_clinic, clinic)
    doc["patient"]["identifier"] = f"FUZZ-{next(FUZZED)}"  # each example a patient of its own
    storage.open_database(clinic)
    try:
        import_patient(document=doc, author=storage.list_clinicians()[0])
    except errors.InvalidInputError as exc:
        assert "\n" not in str(exc) and "already belongs" not in str(exc), exc
    finally:
        storage.close_database()
