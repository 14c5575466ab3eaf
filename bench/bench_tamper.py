"""Tamper evidence, measured as issue 12 measured it.

1. Single-byte flips: N random single-byte changes (default 300), each in a
   fresh copy of a demo clinic file, at a byte that holds a stored plan
   revision's plan or settings JSON. For each: did the stored clinical data
   change (the revision rows read back differ, or the file no longer reads),
   and if so, was it caught before anything was printed: `taperdesk verify`
   exits 2, and the papers that show the changed revision refuse (the
   clinician summary prints every revision of the plan; the patient handout,
   .ics and CSV print the newest one)? Target: every change caught.
2. The five bypasses: INSERT OR REPLACE on audit events, on plan revisions
   (10x doses) and on stored handout PDFs, DROP TRIGGER, and a swapped PDF
   given to a reprint. Each is tried as a person with the sqlite3 shell would:
   first plainly (the triggers refuse), then with the refusing trigger dropped
   and put back; then `taperdesk verify` and the paper must catch it.

    .venv/bin/python bench/bench_tamper.py [--flips 300] [--seed 12]

tests/test_tamper_measures.py runs the same functions with fewer flips."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from taperdesk import storage
from taperdesk.app import main as taperdesk
from taperdesk.storage.demo import make_demo

PASSWORD_ENV = "TAPERDESK_PASSWORD"
REVISION_SQL = "SELECT id, plan_id, number, plan_json, settings_json, author_id, created_at, reason FROM plan_revision"


@dataclass
class Clinic:
    """A demo clinic file with one recorded handout, and what it holds."""

    path: Path
    password: str
    revisions: dict[int, tuple]  # id -> the row as written
    patient_of_plan: dict[int, str]  # plan id -> patient identifier
    newest: dict[int, int]  # plan id -> id of its newest revision
    handout_patient: str


def make_clinic(folder: Path) -> Clinic:
    path = folder / "template.sqlite"
    demo = make_demo(path)
    os.environ[PASSWORD_ENV] = demo.password
    conn = sqlite3.connect(path)
    try:
        patient = conn.execute("SELECT identifier FROM patient ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    with _quiet():
        code = taperdesk(["handout", "--db", str(path), "--patient", patient, "--clinician", "demo",
                          "--out", str(folder / "first.pdf")])
    assert code == 0, "the demo clinic should print"
    conn = sqlite3.connect(path)
    try:
        revisions = {r[0]: r for r in conn.execute(REVISION_SQL)}
        patient_of_plan = dict(conn.execute("SELECT p.id, q.identifier FROM plan p JOIN patient q ON q.id = p.patient_id"))
        newest = dict(conn.execute("SELECT plan_id, max(id) FROM plan_revision GROUP BY plan_id"))
    finally:
        conn.close()
    return Clinic(path, demo.password, revisions, patient_of_plan, newest, patient)


@contextlib.contextmanager
def _quiet():
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def run(argv: list[str]) -> tuple[int, str, str]:
    """A taperdesk command in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = taperdesk(argv)
        finally:
            storage.close_database()
    return code, out.getvalue(), err.getvalue()


def plan_json_offsets(clinic: Clinic, chunk: int = 48) -> list[int]:
    """File offsets of bytes holding stored plan and settings JSON (found by
    searching the file for each 48-byte piece of each revision's text)."""
    data = clinic.path.read_bytes()
    found: set[int] = set()
    for row in clinic.revisions.values():
        for text in (row[3], row[4]):
            raw = text.encode("utf-8")
            for start in range(0, len(raw), chunk):
                piece = raw[start:start + chunk]
                at = data.find(piece)
                while at >= 0:
                    found.update(range(at, at + len(piece)))
                    at = data.find(piece, at + 1)
    return sorted(found)


@dataclass
class Flip:
    offset: int
    changed: bool  # the stored revisions read back differently (or not at all)
    caught: bool  # verify said so and no paper showing the change was made
    printed: list[str]  # papers made from changed data (should stay empty)


def _read_revisions(path: Path) -> dict[int, tuple] | None:
    try:
        conn = sqlite3.connect(path)
        conn.text_factory = bytes  # compare the stored bytes (a flip may leave text that is not UTF-8)
        try:
            return {r[0]: tuple(v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in r)
                    for r in conn.execute(REVISION_SQL)}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def _papers(clinic: Clinic, path: Path, folder: Path, plan_ids: set[int], newest_changed: set[int]) -> list[str]:
    """Try every paper that shows a changed revision; return those that were made."""
    made = []
    for plan_id in sorted(plan_ids):
        patient = clinic.patient_of_plan.get(plan_id)
        if patient is None:
            continue
        tries = [("clinician summary", ["handout", "--kind", "clinician", "--clinician", "demo"], "pdf")]
        if plan_id in newest_changed:
            tries += [("patient handout", ["handout", "--clinician", "demo", "--draft"], "pdf"),
                      ("calendar", ["export-ics", "--clinician", "demo"], "ics"),
                      ("CSV", ["export-csv", "--clinician", "demo"], "csv")]
        for name, argv, suffix in tries:
            out = folder / f"paper.{suffix}"
            code, _o, _e = run([*argv, "--db", str(path), "--patient", patient, "--out", str(out)])
            if code == 0 or out.exists():
                made.append(f"{name} of {patient}")
            if out.exists():
                out.unlink()
    return made


def control(clinic: Clinic, folder: Path) -> list[str]:
    """The papers tried after a flip, made from the untouched file: all of them
    must print (but a draft's calendar file, which is never made), or a refusal
    after a flip would prove nothing."""
    path = folder / "control.sqlite"
    shutil.copy(clinic.path, path)
    return _papers(clinic, path, folder, set(clinic.newest), set(clinic.newest))


def flip_once(clinic: Clinic, folder: Path, offset: int, rng: random.Random) -> Flip:
    path = folder / "flipped.sqlite"
    shutil.copy(clinic.path, path)
    with open(path, "r+b") as fh:
        fh.seek(offset)
        old = fh.read(1)[0]
        fh.seek(offset)
        fh.write(bytes([old ^ rng.randrange(1, 256)]))
    after = _read_revisions(path)
    if after is None:  # the file no longer reads: changed, and nothing can be printed from it
        changed_ids = set(clinic.revisions)
    else:
        changed_ids = {i for i in clinic.revisions.keys() | after.keys()
                       if clinic.revisions.get(i) != after.get(i)}
    if not changed_ids:
        return Flip(offset, False, True, [])
    plans = {clinic.revisions[i][1] for i in changed_ids if i in clinic.revisions}
    newest_changed = {p for p in plans if clinic.newest.get(p) in changed_ids}
    code, _out, _err = run(["verify", "--db", str(path)])
    printed = _papers(clinic, path, folder, plans, newest_changed)
    return Flip(offset, True, code == 2 and not printed, printed)


def flips(clinic: Clinic, folder: Path, count: int, seed: int) -> list[Flip]:
    rng = random.Random(seed)
    offsets = plan_json_offsets(clinic)
    return [flip_once(clinic, folder, rng.choice(offsets), rng) for _ in range(count)]


# -- the five bypasses ---------------------------------------------------------------
def _shell(path: Path, *statements: str) -> str | None:
    """Run statements as the sqlite3 shell would; the error text if one was refused."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
        return None
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def _forced(path: Path, table: str, statement: str) -> tuple[str | None, str | None]:
    """(the plain attempt's refusal, the forced attempt's refusal): forced = the
    no-REPLACE trigger dropped, the statement run, the trigger put back as it was."""
    plain = _shell(path, statement)
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (f"{table}_no_replace",)).fetchone()
    conn.close()
    forced = _shell(path, f"DROP TRIGGER IF EXISTS {table}_no_replace", statement, *(sql or ()))
    return plain, forced


@dataclass
class Bypass:
    name: str
    refused: str | None  # the database's refusal of the plain attempt
    verify_lines: list[str]  # what `taperdesk verify` said after the forced attempt
    paper: str  # what the paper command said (its one line), or "" if no paper applies
    paper_refused: bool

    @property
    def detected(self) -> bool:
        return bool(self.verify_lines) and self.paper_refused


def _verify_lines(path: Path) -> list[str]:
    code, out, _err = run(["verify", "--db", str(path)])
    return out.strip().splitlines() if code == 2 else []


def _handout(clinic: Clinic, path: Path, folder: Path, kind: str = "patient") -> tuple[bool, str]:
    out = folder / "bypass.pdf"
    code, _o, err = run(["handout", "--db", str(path), "--patient", clinic.handout_patient, "--kind", kind,
                         "--clinician", "demo", "--out", str(out)])
    refused = code == 2 and not out.exists()
    if out.exists():
        out.unlink()
    return refused, err.strip()


def _reprint(path: Path, handout_id: int) -> tuple[bool, str]:
    from taperdesk.clinic.handouts import reprint
    from taperdesk.clinic.plans import OperationError

    storage.open_database(path, read_only=True)
    try:
        reprint(handout_id=handout_id, author=1)
        return False, ""
    except OperationError as exc:
        return True, str(exc)
    finally:
        storage.close_database()


def bypasses(clinic: Clinic, folder: Path) -> list[Bypass]:
    out = []

    def fresh(name: str) -> Path:
        path = folder / f"{name}.sqlite"
        shutil.copy(clinic.path, path)
        return path

    conn = sqlite3.connect(clinic.path)
    newest = conn.execute("SELECT r.id FROM plan_revision r JOIN plan p ON p.id = r.plan_id JOIN patient q "
                          "ON q.id = p.patient_id WHERE q.identifier = ? ORDER BY r.id DESC LIMIT 1",
                          (clinic.handout_patient,)).fetchone()[0]
    handout_id = conn.execute("SELECT max(id) FROM handout").fetchone()[0]
    conn.close()

    path = fresh("audit")
    plain, _ = _forced(path, "audit_event",
                       "INSERT OR REPLACE INTO audit_event SELECT id, at, clinician_id, action, entity, entity_id, "
                       "'nothing happened here', chain_hash FROM audit_event WHERE id = 3")
    out.append(Bypass("INSERT OR REPLACE on an audit event", plain, _verify_lines(path), "", True))

    path = fresh("revision")
    tenfold = "plan_json"  # plans are stored compact ('"mg":1'); older files kept them indented ('"mg": 1')
    for gap in ("", " "):
        for a, b in (('"mg":' + gap + "1", '"mg":' + gap + "10"), ('"mg":' + gap + "2", '"mg":' + gap + "20"),
                     ('"count":' + gap + "1.0", '"count":' + gap + "10.0")):
            tenfold = f"replace({tenfold}, '{a}', '{b}')"
    plain, _ = _forced(path, "plan_revision",
                       f"INSERT OR REPLACE INTO plan_revision SELECT id, plan_id, number, {tenfold}, settings_json, "
                       f"author_id, created_at, reason, chain_hash FROM plan_revision WHERE id = {newest}")
    refused, line = _handout(clinic, path, folder)
    out.append(Bypass("INSERT OR REPLACE on a plan revision (10x doses)", plain, _verify_lines(path), line, refused))

    path = fresh("pdf")
    plain, _ = _forced(path, "handout",
                       "INSERT OR REPLACE INTO handout SELECT id, revision_id, kind, created_at, created_by_id, "
                       f"sha256, CAST('%PDF-1.7 someone else''s plan' AS BLOB), chain_hash FROM handout WHERE id = {handout_id}")
    refused, line = _reprint(path, handout_id)
    out.append(Bypass("INSERT OR REPLACE on a stored handout PDF", plain, _verify_lines(path), line, refused))

    path = fresh("trigger")
    dropped = _shell(path, "DROP TRIGGER plan_revision_no_update")
    refused, line = _handout(clinic, path, folder)
    out.append(Bypass("DROP TRIGGER", dropped, _verify_lines(path), line, refused))

    path = fresh("swap")  # the whole PDF swapped for another recorded one: no trigger involved if done by UPDATE
    swap = _shell(path, "DROP TRIGGER handout_no_update",
                  f"UPDATE handout SET pdf = CAST('%PDF-1.7 another patient' AS BLOB) WHERE id = {handout_id}",
                  *(_trigger_sql(clinic.path, "handout_no_update"),))
    refused, line = _reprint(path, handout_id)
    out.append(Bypass("a swapped PDF given to a reprint", swap, _verify_lines(path), line, refused))
    return out


def _trigger_sql(path: Path, name: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clinic = make_clinic(folder)
        made = control(clinic, folder)
        print(f"control: {len(made)} papers made from the untouched file ({len(clinic.newest)} plans x 4 kinds, "
              f"less the drafts' calendar files)")
        results = flips(clinic, folder, args.flips, args.seed)
        changed = [f for f in results if f.changed]
        caught = [f for f in changed if f.caught]
        print(f"single-byte flips in stored plan JSON: {len(results)}; changed clinical data: {len(changed)}; "
              f"caught before anything was printed: {len(caught)} of {len(changed)}")
        for f in changed:
            if not f.caught:
                print(f"  NOT CAUGHT at byte {f.offset}: printed {', '.join(f.printed) or 'nothing, but verify passed'}")
        found = bypasses(clinic, folder)
        for b in found:
            print(f"{b.name}: plain attempt {'refused (' + b.refused + ')' if b.refused else 'not refused'}; "
                  f"{'DETECTED' if b.detected else 'NOT DETECTED'}: verify: {b.verify_lines[:1]}; paper: {b.paper}")
        print(f"bypasses detected: {sum(b.detected for b in found)} of {len(found)}")
        return 0 if len(caught) == len(changed) and all(b.detected for b in found) else 1


if __name__ == "__main__":
    sys.exit(main())
