"""A populated demo clinic, so a new user (and the README screenshots) see a
working app: one clinician "demo", a dozen patients with plans in every status
(crossover, holds, revisions), months of daily symptom ratings and a few CIWA-B
scores. No BWSQ: it is licensed and cannot be used until a clinic enters the
wording of its own copy, as the demo shows. Deterministic for a given `today` and seed; the password is
random and returned (printed by `taperdesk init-demo`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.edits import hold, revise
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import clinic, clinicians, patients, plans, symptoms
from taperdesk.storage.connection import close_database, open_database, writing
from taperdesk.storage.errors import InvalidInputError

CIWA_B_ITEMS = (
    "irritable", "fatigued", "tense", "concentration", "appetite", "numbness", "heart_racing",
    "head_full", "muscle_aches", "anxious", "upset", "sleep_restful", "weak", "enough_sleep",
    "visual", "fearful", "worrying", "restlessness", "tremor", "sweating",
)  # 17 patient-rated + 3 observer-rated, each 0-4 (Busto 1989)
BWSQ_ITEMS = tuple(f"bwsq_{i:02d}" for i in range(1, 21))  # 0/1/2 each, once a clinic enters its wording

# name, born, drug, doses, crossover, story, started weeks ago
PEOPLE = (
    ("Margaret O'Brien", "1948-02-11", "lorazepam", (("morning", 1.0), ("night", 1.0)), True, "active", 10),
    ("José Núñez López", "1961-03-04", "alprazolam", (("morning", 0.5), ("evening", 0.5)), True, "hold", 16),
    ("Aisha Rahman", "1979-07-22", "diazepam", (("night", 10.0),), False, "revised", 20),
    ("Tomasz Wiśniewski", "1955-12-01", "clonazepam", (("morning", 0.5), ("night", 0.5)), False, "paused", 14),
    ("Grace Okafor", "1983-05-30", "temazepam", (("night", 10.0),), False, "completed", 40),
    ("Henrik Larsen", "1967-09-09", "zopiclone", (("night", 7.5),), False, "stopped", 12),
    ("Mei-Ling Chen", "1990-01-17", "oxazepam", (("morning", 15.0), ("night", 15.0)), False, "draft", 0),
    ("Robert Fitzgerald", "1952-04-03", "diazepam", (("morning", 5.0), ("night", 10.0)), False, "active", 26),
    ("Sofía Castillo", "1975-10-28", "lorazepam", (("night", 2.0),), True, "hold", 22),
    ("Dmitri Volkov", "1969-06-14", "nitrazepam", (("night", 5.0),), False, "active", 8),
    ("Priya Natarajan", "1987-11-05", "zolpidem", (("night", 10.0),), False, "draft", 0),
    ("Eleanor Whitfield", "1944-08-19", "chlordiazepoxide", (("morning", 10.0), ("night", 10.0)), False, "revised", 18),
)


@dataclass(frozen=True)
class DemoClinic:
    path: Path
    clinician: str
    password: str
    patients: int
    plans: int
    entries: int


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def _settings(start: dt.date, crossover: bool, drug: str) -> PlanSettings:
    return PlanSettings(start=start, crossover=crossover, method="proportional", interval_days=14)


def _within(plan, day: dt.date) -> dt.date:
    """`day`, moved back if needed so it falls on a dosing day of the plan."""
    return max(plan.start, min(day, plan.end - dt.timedelta(days=plan.steps[-1].days + 7)))


def _daily(rng: random.Random, plan, day: dt.date, base: float, bump: float) -> dict[str, int]:
    """A rough, plausible rating: a little worse for a week after each cut (much
    worse for the patients whose story is a flare), better in holds."""
    recent_cut = any(0 <= (day - c).days < 7 for c in plan.cut_dates())
    step = plan.step_on(day)
    level = base + (bump if recent_cut else 0.0) - (1.0 if step and step.kind == "hold" else 0.0)
    severity = max(0, min(10, round(rng.gauss(level, 0.7))))
    sleep = max(0, min(10, round(rng.gauss(10 - level - 1, 1.5))))
    return {"severity": severity, "sleep": sleep}


def _add_entries(rng, patient_id, plan, start, end, author, flares: bool = False) -> int:
    with writing():  # one transaction per patient: its attention row is worked out once, at the end
        return _add_entries_in(rng, patient_id, plan, start, end, author, flares)


def _add_entries_in(rng, patient_id, plan, start, end, author, flares: bool) -> int:
    count, base = 0, rng.uniform(2.5, 4.5)
    bump = 4.0 if flares else 0.5
    day = start
    while day <= end:
        if rng.random() < 0.9:  # some days go unrecorded, as in life
            symptoms.add_symptom_entry(patient_id=patient_id, date=day, scale="daily", author=author,
                                       items=_daily(rng, plan, day, base, bump), entered_at=_at(day, 20))
            count += 1
        if (day - start).days % 28 == 0:
            ciwa = {k: rng.choice((0, 1, 1, 2, 3) if flares else (0, 0, 0, 1, 1, 2)) for k in CIWA_B_ITEMS}
            symptoms.add_symptom_entry(patient_id=patient_id, date=day, scale="ciwa-b", items=ciwa,
                                       author=author, note="clinic visit", entered_at=_at(day, 11))
            count += 1
        if (day - start).days % 56 == 27:  # a BWSQ was drawn here: the draws stay, so the rest is as it was
            [rng.choice((0, 0, 1, 2)) for _ in BWSQ_ITEMS]
        day += dt.timedelta(days=1)
    return count


def make_demo(path: str | Path, *, today: dt.date | None = None, seed: int = 2026) -> DemoClinic:
    """Create a demo clinic file at `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise InvalidInputError(f"{path} already exists; choose a new file for the demo clinic.")
    today = today or dt.date.today()
    rng = random.Random(seed)
    password = secrets.token_urlsafe(9)
    catalogue = load_catalogue()
    open_database(path, create=True, auto_backup=False)
    n_plans = n_entries = 0
    try:
        with writing():
            doc = clinicians.add_clinician(name="demo", role="administrator,prescriber", password=password)
            clinic.save_clinic_settings(author=doc, settings=dataclasses.replace(
                clinic.get_clinic_settings(), name="Harbour Street Clinic (demo)", address="1 Harbour Street",
                phone="555 0100", prescribers=("Dr Demo",), letterhead="Harbour Street Clinic\nDemo data only"))
            for i, (name, born, drug, doses, cross, story, weeks) in enumerate(PEOPLE, 1):
                start = today - dt.timedelta(weeks=weeks)
                p = patients.add_patient(name=name, born=dt.date.fromisoformat(born), identifier=f"DEMO-{i:03d}",
                                         phone=f"555 01{i:02d}", author=doc, created_at=_at(start, 9))
                settings = _settings(start if weeks else today + dt.timedelta(days=7), cross, drug)
                plan = make_plan(Regimen(drug, doses), settings, catalogue)
                record = plans.create_plan(patient_id=p.id, plan=plan, settings=settings, author=doc,
                                           reason="first plan", at=_at(start, 9))
                n_plans += 1
                if story == "draft":
                    continue
                plans.set_plan_status(plan_id=record.id, status="active", author=doc, reason="agreed with patient",
                                      at=_at(start, 9))
                if story in ("hold", "paused"):
                    when = _within(plan, start + dt.timedelta(weeks=weeks // 2))
                    plan = hold(plan, when, 14, "withdrawal symptoms after the last cut")
                    plans.save_revision(plan_id=record.id, plan=plan, settings=settings, author=doc,
                                        reason="hold 14 days: symptoms after the last cut", at=_at(when))
                if story == "paused":
                    plans.set_plan_status(plan_id=record.id, status="paused", author=doc,
                                          reason="patient unwell, taper paused", at=_at(today - dt.timedelta(days=5)))
                if story == "revised":
                    when = _within(plan, start + dt.timedelta(weeks=weeks // 2))
                    slower = settings.with_(cut_percent=5.0, max_cut_percent=5.0, start=when)
                    plan = revise(plan, when, slower, catalogue)
                    plans.save_revision(plan_id=record.id, plan=plan, settings=slower, author=doc,
                                        reason="slower pace (5%) at the patient's request", at=_at(when))
                end = today
                if story == "completed":
                    end = min(plan.end, today)
                    plans.set_plan_status(plan_id=record.id, status="completed", author=doc,
                                          reason="taper finished", at=_at(end, 12))
                if story == "stopped":
                    end = start + dt.timedelta(weeks=weeks // 2)
                    plans.set_plan_status(plan_id=record.id, status="stopped", author=doc,
                                          reason="patient chose to stay on the current dose", at=_at(end, 12))
                n_entries += _add_entries(rng, p.id, plan, start, end, doc, flares=story in ("hold", "paused"))
            daily = symptoms.symptom_entries(patient_id=1, scale="daily")
            fixed = daily[3]
            symptoms.correct_symptom_entry(entry_id=fixed.id, items={**fixed.items, "sleep": 2}, author=doc,
                                           note="patient phoned: sleep was worse than recorded",
                                           entered_at=_at(fixed.date + dt.timedelta(days=1), 9))
            symptoms.retract_symptom_entry(entry_id=daily[5].id, reason="entered for the wrong patient", author=doc,
                                           entered_at=_at(daily[5].date + dt.timedelta(days=1), 9))
            n_entries += 2
        return DemoClinic(path, "demo", password, len(PEOPLE), n_plans, n_entries)
    finally:
        close_database()
