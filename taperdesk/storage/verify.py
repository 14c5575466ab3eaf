"""Is the clinic file still what TaperDesk wrote? `verify_clinic()` answers for
the whole file (the `taperdesk verify` command, the daily check); the
`verified_*` functions answer for what one piece of paper is about to print,
fast enough to run before every handout, export and reprint.

What is checked:
- every append-only trigger is in place, word for word (a dropped or edited
  trigger is how history gets rewritten: m004 lists them);
- every chain (storage.chain) recomputes from the raw rows, row by row;
- each plan's current status is the one its last status change says;
- every stored handout's bytes still have their recorded SHA-256;
- every stored plan reads as a plan and keeps the planning rules and dose
  ceilings (core.plan_checks), as when it was saved;
- every symptom entry's stored score (series value) is the score of its
  answers by its scale's version (storage.scores): the score is derived, so it
  is checked by re-scoring rather than hashed.

Findings are plain records with one line each for a person: which patient
(name and identifier), which plan and revision (numbered as the plan shows
it), what is wrong."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from taperdesk.storage import backends, chain
from taperdesk.storage.connection import reading
from taperdesk.storage.errors import NotFoundError
from taperdesk.storage.migrations import (
    m001_first_schema,
    m003_scales,
    m004_hash_chains,
    m007_paper,
    m011_roles,
    m013_other_medicines,
)
from taperdesk.storage.models import db

VERIFY_HINT = "run `taperdesk verify`"
SUPPORT_TABLES = ("support_list", "support_agreed")  # append-only since schemas 14 and 15
MAX_PLAN_PROBLEMS = 4  # lines per stored plan


@dataclass(frozen=True)
class Finding:
    """One problem: where (patient, plan, revision, or the file) and what."""

    problem: str
    where: str = "the clinic file"
    patient_id: int | None = None
    plan_id: int | None = None
    revision: int | None = None  # the revision's number within its plan
    table: str = ""
    row_id: int | None = None

    @property
    def line(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(frozen=True)
class Report:
    """What verify_clinic found, and how much it looked at."""

    findings: tuple[Finding, ...]
    rows: int  # chained rows recomputed
    plans: int  # stored plan revisions re-checked
    handouts: int  # stored PDFs compared with their SHA-256

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def patient_ids(self) -> frozenset[int]:
        """Patients with a finding (the app marks them)."""
        return frozenset(f.patient_id for f in self.findings if f.patient_id is not None)

    def summary(self) -> str:
        return (f"{self.rows} records in their hash chains, {self.plans} stored plans and "
                f"{self.handouts} stored handouts checked")


class _Places:
    """Names a row's place for a person: 'Ana López (TD-0001), plan 3 revision 2'."""

    def __init__(self) -> None:
        self._patients: dict[int, tuple[str, str]] | None = None

    def patient(self, patient_id: int | None) -> str:
        if self._patients is None:
            self._patients = {r[0]: (r[1], r[2]) for r in db.execute_sql("SELECT id, name, identifier FROM patient")}
        found = self._patients.get(patient_id) if patient_id is not None else None
        return f"{found[0]} ({found[1]})" if found else f"patient #{patient_id}"

    def finding(self, problem: str, *, table: str = "", row_id: int | None = None, patient_id: int | None = None,
                plan_id: int | None = None, revision: int | None = None) -> Finding:
        parts = []
        if patient_id is not None:
            parts.append(self.patient(patient_id))
        if plan_id is not None:
            parts.append(f"plan {plan_id}" + (f" revision {revision}" if revision is not None else ""))
        if not parts:
            parts.append(f"{table.replace('_', ' ')} {row_id}" if table and row_id is not None else "the clinic file")
        return Finding(problem, ", ".join(parts), patient_id, plan_id, revision, table, row_id)

    def for_row(self, table: str, fields: tuple, problem: str) -> Finding:
        """A finding about a chained row, placed at its patient/plan/revision where it has one."""
        row_id = fields[0]
        patient_id = plan_id = number = None
        if table == "plan_revision":
            plan_id, number = fields[1], fields[2]
        elif table == "plan_status_event":
            plan_id = fields[1]
        elif table in ("symptom_entry", "other_medicine", "support_agreed"):
            patient_id = fields[1]
        elif table == "handout":
            got = db.execute_sql("SELECT plan_id, number FROM plan_revision WHERE id = ?", (fields[1],)).fetchone()
            plan_id, number = (got[0], got[1]) if got else (None, None)
        if plan_id is not None and patient_id is None:
            got = db.execute_sql("SELECT patient_id FROM plan WHERE id = ?", (plan_id,)).fetchone()
            patient_id = got[0] if got else None
        what = {"plan_revision": "the stored plan", "plan_status_event": f"status change {row_id}",
                "symptom_entry": f"symptom entry {row_id}", "handout": f"handout record {row_id}",
                "audit_event": "the record", "scale_definition": "the record",
                "other_medicine": f"other medicine record {row_id}",
                "support_list": "the saved support list", "support_agreed": f"support agreed record {row_id}"}[table]
        return self.finding(f"{what} {problem}", table=table, row_id=row_id, patient_id=patient_id,
                            plan_id=plan_id, revision=number)


def expected_triggers(database=None) -> dict[str, str]:
    """name -> CREATE TRIGGER text of every append-only trigger the current schema
    has (a migration that adds one adds it here too, so a dropped one shows), in
    the words of the open database's backend."""
    backend = backends.of(db if database is None else database)
    statements = [*m001_first_schema._triggers(backend), *m003_scales._triggers(backend),
                  *m007_paper._triggers(backend), *m011_roles._triggers(backend),
                  *m013_other_medicines._triggers(backend), *backend.append_only_triggers(SUPPORT_TABLES)]
    return {**{sql.split()[2]: sql for sql in statements}, **m004_hash_chains.insert_triggers(backend)}


CHAIN_BROKEN = "does not match its hash chain (it was changed, replaced or removed after it was saved)"


def _trigger_findings(places: _Places) -> list[Finding]:
    backend = backends.of(db)
    present = {name: " ".join(sql.split()) for name, sql in backend.present_triggers(db).items()}
    out = []
    for name, sql in expected_triggers().items():
        if name not in present:
            out.append(places.finding(f"the safety trigger {name} is missing (someone removed it): history "
                                      f"could have been rewritten", table="trigger"))
        elif present[name] != backend.expected_text(sql):
            out.append(places.finding(f"the safety trigger {name} was changed", table="trigger"))
    return out


def _walk_chain(table: str, places: _Places) -> tuple[int, list[Finding]]:
    """Recompute a whole chain in id order; one finding per row that does not match."""
    out, previous, count = [], chain.GENESIS, 0
    for row in db.execute_sql(chain.select_sql(table) + " ORDER BY t.id"):
        count += 1
        fields, context, stored = chain.split_row(table, row)
        if chain.digest(table, fields, previous, context) != stored:
            out.append(places.for_row(table, fields, CHAIN_BROKEN))
        previous = stored or ""
    return count, out


def _check_rows(table: str, where: str, params: Iterable, places: _Places) -> list[Finding]:
    """Recompute the chain links of some rows (each against the row before it)."""
    previous = f"(SELECT q.chain_hash FROM {table} q WHERE q.id < t.id ORDER BY q.id DESC LIMIT 1)"
    sql = chain.select_sql(table, previous, database=db) + " WHERE " + where + " ORDER BY t.id"
    out = []
    for row in db.execute_sql(sql, tuple(params)):
        *body, previous = row
        fields, context, stored = chain.split_row(table, tuple(body))
        if chain.digest(table, fields, previous or chain.GENESIS, context) != stored:
            out.append(places.for_row(table, fields, CHAIN_BROKEN))
    return out


def _plan_findings(rev_id: int, plan_id: int, number: int, text: str, patient_id: int,
                   places: _Places) -> list[Finding]:
    from taperdesk.core.plan_checks import stored_plan_problems  # the planner, loaded when first needed

    try:
        problems = stored_plan_problems(bytes(text).decode("utf-8"))
    except UnicodeDecodeError:
        problems = ["the stored plan is damaged: its text is not readable (not UTF-8)"]
    if len(problems) > MAX_PLAN_PROBLEMS:  # one damaged plan should not bury the rest of the report
        more = len(problems) - MAX_PLAN_PROBLEMS + 1
        problems = problems[:MAX_PLAN_PROBLEMS - 1] + [f"the stored plan has {more} more problems like these"]
    return [places.finding(problem, table="plan_revision", row_id=rev_id, patient_id=patient_id,
                           plan_id=plan_id, revision=number)
            for problem in problems]


def _revisions() -> str:
    return (f"SELECT r.id, r.plan_id, r.number, {backends.of(db).raw_text('r.plan_json')}, p.patient_id "
            f"FROM plan_revision r JOIN plan p ON p.id = r.plan_id")


def _status_findings(where: str, params: tuple, places: _Places) -> list[Finding]:
    sql = ("SELECT p.id, p.patient_id, p.status, (SELECT e.status FROM plan_status_event e WHERE e.plan_id = p.id "
           "ORDER BY e.id DESC LIMIT 1) FROM plan p WHERE " + where)
    return [places.finding(f"the plan is marked {status} but its last recorded status change says {last}",
                           table="plan", row_id=plan_id, patient_id=patient_id, plan_id=plan_id)
            for plan_id, patient_id, status, last in db.execute_sql(sql, params) if status != last]


def _score_findings(places: _Places) -> list[Finding]:
    from taperdesk.storage import scores

    return [places.finding(f"symptom entry {entry_id} has a stored score of {stored} but its answers score {value}"
                           if stored is not None else f"symptom entry {entry_id} has no stored score",
                           table="symptom_entry", row_id=entry_id, patient_id=patient_id)
            for entry_id, patient_id, stored, value in scores.mismatches(db)]


def _handout_findings(where: str, params: tuple, places: _Places) -> tuple[int, list[Finding]]:
    out, count = [], 0
    sql = ("SELECT h.id, h.revision_id, h.sha256, h.pdf, r.plan_id, r.number, p.patient_id FROM handout h "
           "LEFT JOIN plan_revision r ON r.id = h.revision_id LEFT JOIN plan p ON p.id = r.plan_id WHERE " + where +
           " ORDER BY h.id")
    for hid, _rev, recorded, pdf, plan_id, number, patient_id in db.execute_sql(sql, params):
        count += 1
        if hashlib.sha256(bytes(pdf or b"")).hexdigest() != recorded:
            out.append(places.finding(f"the stored PDF of handout {hid} is not the one printed (its SHA-256 "
                                      f"differs from the one recorded)", table="handout", row_id=hid,
                                      patient_id=patient_id, plan_id=plan_id, revision=number))
    return count, out


def revision_place(*, revision_id: int) -> str:
    """'Ana López (TD-0001), plan 3 revision 2': how a refusal names what it refused."""
    with reading():
        got = db.execute_sql("SELECT r.plan_id, r.number, p.patient_id FROM plan_revision r "
                             "LEFT JOIN plan p ON p.id = r.plan_id WHERE r.id = ?", (revision_id,)).fetchone()
        if got is None:
            raise NotFoundError(f"No plan revision with id {revision_id}.")
        return _Places().finding("", patient_id=got[2], plan_id=got[0], revision=got[1]).where


def handout_revision(*, handout_id: int) -> int:
    with reading():
        got = db.execute_sql("SELECT revision_id FROM handout WHERE id = ?", (handout_id,)).fetchone()
    if got is None:
        raise NotFoundError(f"No handout with id {handout_id}.")
    return int(got[0])


def verify_clinic(*, close_connection: bool = False, attention: bool = False) -> Report:
    """Check the whole open clinic file (reads only; one snapshot). A worker
    thread passes close_connection to close its own SQLite connection after.
    attention=True (`taperdesk verify`) also recomputes every patient's
    attention row and compares it with the kept one: minutes on a large clinic,
    so the app's daily background check leaves it out."""
    try:
        return _verify_clinic(attention)
    finally:
        if close_connection:
            db.close()


def _verify_clinic(attention: bool) -> Report:
    places = _Places()
    findings: list[Finding] = []
    rows = plans = 0
    with reading():
        findings += _trigger_findings(places)
        for table in chain.CHAINED:
            count, found = _walk_chain(table, places)
            rows += count
            findings += found
        findings += _status_findings("1 = 1", (), places)
        findings += _score_findings(places)
        handouts, found = _handout_findings("1 = 1", (), places)
        findings += found
        for rev_id, plan_id, number, text, patient_id in db.execute_sql(_revisions() + " ORDER BY r.id"):
            plans += 1
            findings += _plan_findings(rev_id, plan_id, number, text, patient_id, places)
        if attention and not findings:  # derived from the records: compared only when they are sound
            findings += _attention_findings(places)
    return Report(tuple(findings), rows, plans, handouts)


def _attention_findings(places: _Places) -> list[Finding]:
    """The day list's kept attention rows against a recomputation (storage/attention.py)."""
    from taperdesk.storage import attention

    from taperdesk.storage import day_list_kept

    return [places.finding(f"the day list's kept attention row differs from a recomputation ({what})",
                           table="patient_attention", patient_id=pid)
            for pid, what in attention.differences()] + [
        places.finding(f"the kept day list differs from a recomputation ({what})", table="day_list_item",
                       patient_id=pid)
        for pid, what in day_list_kept.differences()]


def verified_revision(*, revision_id: int, entries: bool = False) -> list[Finding]:
    """Before paper: the problems with what printing this revision relies on
    (empty: print). The triggers, the chain links of every revision and status
    change of its plan, the plan's status, the plan's rules and ceilings, the
    chain links of the support agreed with the patient (the advice page prints
    it); with `entries`, the chain links of the patient's symptom entries too
    (the clinician summary prints them)."""
    places = _Places()
    with reading():
        got = db.execute_sql(_revisions() + " WHERE r.id = ?", (revision_id,)).fetchone()
        if got is None:
            raise NotFoundError(f"No plan revision with id {revision_id}.")
        rev_id, plan_id, number, text, patient_id = got
        findings = _trigger_findings(places)
        findings += _check_rows("plan_revision", "t.plan_id = ?", (plan_id,), places)
        findings += _check_rows("plan_status_event", "t.plan_id = ?", (plan_id,), places)
        findings += _status_findings("p.id = ?", (plan_id,), places)
        findings += _check_rows("support_agreed", "t.patient_id = ?", (patient_id,), places)
        if entries:
            findings += _check_rows("symptom_entry", "t.patient_id = ?", (patient_id,), places)
        findings += _plan_findings(rev_id, plan_id, number, text, patient_id, places)
    return findings


def verified_handout(*, handout_id: int) -> list[Finding]:
    """Before a reprint: the handout record's chain link and its bytes against
    the recorded SHA-256, and the revision it printed (its chain links)."""
    places = _Places()
    with reading():
        got = db.execute_sql("SELECT revision_id FROM handout WHERE id = ?", (handout_id,)).fetchone()
        if got is None:
            raise NotFoundError(f"No handout with id {handout_id}.")
        findings = _trigger_findings(places)
        findings += _check_rows("handout", "t.id = ?", (handout_id,), places)
        findings += _handout_findings("h.id = ?", (handout_id,), places)[1]
        findings += _check_rows("plan_revision", "t.id = ?", (got[0],), places)
    return findings


def findings_json(report: Report) -> str:
    """The report as JSON (for `taperdesk verify --json` and tools)."""
    return json.dumps({"ok": report.ok, "rows": report.rows, "plans": report.plans, "handouts": report.handouts,
                       "findings": [{"line": f.line, "problem": f.problem, "where": f.where,
                                     "patient_id": f.patient_id, "plan_id": f.plan_id, "revision": f.revision,
                                     "table": f.table, "row_id": f.row_id} for f in report.findings]},
                      ensure_ascii=False, indent=2)
