"""Every command's entry point fuzzed in-process (issue 12, item 7): hypothesis
builds argument lists from each command's own options, mixed with junk, odd
values (dates past 9999, 2027-02-30, inf, 1e308, look-alike hyphens) and odd
files (zero bytes, truncated, flipped bytes, not SQLite, a newer version, a
folder, /dev/zero, deeply nested JSON, an empty revisions list). Each answer
must be exit 0, or exit 2 with exactly one line on stderr, never a traceback,
and a refusal must take under a second of this process's CPU time.

`plan` is fuzzed by its own tests (2,000 argument lists); here each other
command gets 500 lists (5,000 under `make soak`; TAPERDESK_FUZZ_EXAMPLES=N to choose)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import storage
from taperdesk.app import main
from taperdesk.storage import audit, clinicians
from taperdesk.storage.migrations import LATEST_VERSION
from tests.conftest import examples

EXAMPLES = int(os.environ.get("TAPERDESK_FUZZ_EXAMPLES", "0")) or examples(200, 5000)  # per command; soak: 5000
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much])
COMMANDS = ("backup", "restore", "init-demo", "export-patient", "import-patient", "handout",
            "export-ics", "export-csv", "verify", "clinician")


@pytest.fixture
def world(shelf, tmp_path_factory):
    """Each command gets its own copy of the shelf: a restore or an init-demo that
    succeeds changes the files, and the next command should start from the same."""
    root = tmp_path_factory.mktemp("shelf-copy") / "shelf"
    shutil.copytree(shelf["root"], root, symlinks=True)
    files = {k: (root / v.relative_to(shelf["root"]) if v.is_relative_to(shelf["root"]) else v)
             for k, v in shelf["files"].items()}
    return {"root": root, "files": files, "password": shelf["password"]}


@pytest.fixture(scope="module")
def shelf(tmp_path_factory):
    """A demo clinic and a shelf of odd files, made once for all the fuzzing."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
        root = tmp_path_factory.mktemp("fuzz")
        demo = storage.make_demo(root / "demo.sqlite")
        storage.close_database()
        good = demo.path
        data = good.read_bytes()
        files = {"good": good}
        files["zero"] = root / "zero.sqlite"
        files["zero"].write_bytes(b"")
        files["truncated"] = root / "truncated.sqlite"
        files["truncated"].write_bytes(data[: len(data) // 3])
        flipped = bytearray(data)
        for offset in range(len(data) // 2, len(data) // 2 + 4096 * 8, 4096):  # one byte in each of 8 pages
            flipped[offset + 100] ^= 0xFF
        files["flipped"] = root / "flipped.sqlite"
        files["flipped"].write_bytes(bytes(flipped))
        schema = bytearray(data)
        at = data.find(b"CREATE TABLE")
        schema[at + 3] = 0xC3  # one flipped byte in the schema text: not UTF-8 any more
        files["schema-flip"] = root / "schema-flip.sqlite"
        files["schema-flip"].write_bytes(bytes(schema))
        files["text"] = root / "notes.sqlite"
        files["text"].write_text("name,born\nAna,1970-01-01\n")
        files["newer"] = root / "newer.sqlite"
        shutil.copy(good, files["newer"])
        conn = sqlite3.connect(files["newer"])
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 3}")
        conn.close()
        files["folder"] = root / "a-folder"
        files["folder"].mkdir()
        files["devzero"] = _private_zero_device(root)
        files["missing"] = root / "nowhere" / "missing.sqlite"
        files["fresh"] = root / "fresh-demo.sqlite"
        # patient files
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            mp.setenv("TAPERDESK_PASSWORD", demo.password)
            assert main(["export-patient", "--db", str(good), "--id", "DEMO-003", "--clinician", "demo",
                         "--out", str(root / "portable.json")]) == 0
        portable = json.loads((root / "portable.json").read_text())
        files["portable"] = root / "portable.json"
        files["deep-json"] = root / "deep.json"
        files["deep-json"].write_text("[" * 100_000 + "]" * 100_000)
        files["version-1.0"] = root / "version.json"
        files["version-1.0"].write_text(json.dumps({**portable, "format_version": 1.0}))
        far = json.loads(json.dumps(portable).replace('"20', '"99'))  # every date past 9900
        files["far-dates"] = root / "far.json"
        files["far-dates"].write_text(json.dumps(far))
        empty_revs = json.loads(json.dumps(portable))
        for plan in empty_revs.get("plans", []):
            plan["revisions"] = []
        files["empty-revisions"] = root / "empty-revisions.json"
        files["empty-revisions"].write_text(json.dumps(empty_revs))
        lol = json.loads(json.dumps(portable))
        for plan in lol.get("plans", []):
            for rev in plan.get("revisions", []):
                rev["plan"] = {"steps": "lol"} if isinstance(rev.get("plan"), dict) else "lol"
        files["steps-lol"] = root / "lol.json"
        files["steps-lol"].write_text(json.dumps(lol))
        files["source-list"] = root / "source-list.json"
        files["source-list"].write_text(json.dumps({**portable, "source": [1, 2]}))
        files["backups"] = root / "backups"
        files["out-pdf"] = root / "out.pdf"
        files["out-csv"] = root / "out.csv"
        files["password"] = root / "password.txt"
        files["password"].write_text("long enough pw\n")
        files["short-password"] = root / "short.txt"
        files["short-password"].write_text("short\n")
        files["not-utf8"] = root / "latin1.txt"
        files["not-utf8"].write_bytes("contraseña larga".encode("latin-1"))
        yield {"root": root, "files": files, "password": demo.password}


def _private_zero_device(root: Path) -> Path:
    """/dev/zero by way of a link in the test's own folder: a command that wrongly
    renamed a file over it would replace the link, never the machine's /dev/zero
    (an early version of this fuzz did exactly that, as root)."""
    node = root / "zero-device"
    node.symlink_to("/dev/zero")
    return node


# -- values ---------------------------------------------------------------------------
JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
DATES = st.sampled_from(["2026-12-01", "2026-12-01", "2027-02-30", "9999-12-31", "10000-01-01", "0001-01-01", "2026-13-01",
                         "2026-1-5", "20/11/2026", "", "-1", "2026-12-01T10:00", "１２"])
NUMBERS = st.sampled_from(["inf", "-inf", "nan", "1e308", "-0", "0", "1", "10", "1e-320", "9" * 400, "0x10"])
IDS = st.sampled_from(["DEMO-001", "DEMO-003", "DEMO-003", "demo-003", "DEMO\u2010001", "NOPE", "", " ",
                       "DEMO-0O1", "NOPLAN-1"])
NAMES = st.sampled_from(["demo", "demo", "demo", "Demo", "nobody", "", "  ", "d" * 300])
KINDS = st.sampled_from(["patient", "clinician", "poster", ""])
HOMES = st.sampled_from(["~0", "~nobody-here/x", "~", "~/x.pdf"])  # ~user with no such user
TIMES = st.sampled_from(["night=21:30", "night=25:00", "bedtime=22:00", "morning", "morning=", "evening=7:5"])


def _file_values(world, names):
    """Paths by name; a name given twice is drawn twice as often."""
    files = world["files"]
    return st.sampled_from([str(files[n]) for n in names])


def _option_values(world):
    """Good values often enough that lists get deep (a good file, the right
    patient, a writable --out), odd ones the rest of the time."""
    dbs = st.one_of(_file_values(world, ["good"] * 8 + ["zero", "truncated", "flipped", "schema-flip", "text",
                                                        "newer", "folder", "devzero", "missing"]), HOMES)
    outs = st.one_of(_file_values(world, ["out-pdf"] * 6 + ["out-csv", "folder", "missing", "devzero"]),
                     st.sampled_from(["-", "x.pdf", "nowhere/x.pdf", ""]), HOMES)
    jsons = _file_values(world, ["portable", "deep-json", "version-1.0", "far-dates", "empty-revisions",
                                 "steps-lol", "source-list", "zero", "folder", "devzero", "text", "missing"])
    backups = _file_values(world, ["good", "zero", "truncated", "flipped", "text", "newer", "folder", "devzero",
                                   "missing", "portable"])
    return {"--db": dbs, "--out": outs, "--to": st.one_of(_file_values(world, ["backups", "folder", "devzero",
                                                                                "missing"]), JUNK, HOMES),
            "--patient": IDS, "--id": IDS, "--clinician": NAMES, "--kind": KINDS, "--printed-on": DATES,
            "--time": TIMES, "FILE": st.one_of(jsons, backups, HOMES),
            "ACTION": st.sampled_from(["add", "add", "list", "list", "deactivate", "reset-password", "set-role",
                                       "remove", ""]),
            "NAME": st.sampled_from(["New Nurse", "demo", "Demo", "nobody", "", " ", "n" * 300]),
            "ROLES": st.sampled_from(["nurse", "prescriber,administrator", "read-only", "read-only,nurse", "doctor",
                                      "", ",", "clinician"]),
            "--role": st.sampled_from(["nurse", "prescriber", "administrator,prescriber", "read-only", "bogus", ""]),
            "--password-file": st.one_of(_file_values(world, ["password"] * 4 + ["short-password", "not-utf8", "zero",
                                                                                  "folder", "devzero", "missing"]),
                                         st.sampled_from(["-"]), HOMES)}


OPTIONS = {
    "backup": ["--db", "--to"],
    "restore": ["FILE", "--db"],
    "init-demo": ["--db"],
    "export-patient": ["--id", "--out", "--clinician", "--db"],
    "import-patient": ["FILE", "--clinician", "--db"],
    "handout": ["--patient", "--kind", "--out", "--clinician", "--printed-on", "--db"],
    "export-ics": ["--patient", "--out", "--reminders", "--time", "--clinician", "--db"],
    "export-csv": ["--patient", "--out", "--clinician", "--db"],
    "verify": ["--db", "--json"],
    "clinician": ["NAME", "ROLES", "--role", "--password-file", "--clinician", "--db"],
}
FLAGS_WITHOUT_VALUE = {"--reminders", "--json"}
CLINICIAN_ACTIONS = {"add": ["NAME", "--role", "--password-file", "--clinician", "--db"],
                     "list": ["--clinician", "--db"], "deactivate": ["NAME", "--clinician", "--db"],
                     "reset-password": ["NAME", "--password-file", "--clinician", "--db"],
                     "set-role": ["NAME", "ROLES", "--clinician", "--db"]}


REQUIRED = {"restore": {"FILE"}, "export-patient": {"--id", "--out", "--clinician"},
            "import-patient": {"FILE", "--clinician"}, "handout": {"--patient", "--out", "--clinician"},
            "export-ics": {"--patient", "--out", "--clinician"}, "export-csv": {"--patient", "--out", "--clinician"},
            "clinician": {"NAME", "--clinician"}}


@st.composite
def argument_lists(draw, world, command):
    """Mostly well-formed lists (each required option there nine times in ten,
    each other option half the time) with odd values, plus a stray token or two:
    so the lists get past argparse into the files, passwords and dates."""
    values = _option_values(world)
    args = [command]
    options = OPTIONS[command]
    if command == "clinician" and draw(st.integers(0, 9)):  # the action first, as it must be, with its own options
        action = draw(values["ACTION"])
        args.append(action)
        options = CLINICIAN_ACTIONS.get(action, options)
    for option in draw(st.permutations(options)):
        wanted = draw(st.integers(0, 9)) < (9 if option in REQUIRED.get(command, ()) else 5)
        if not wanted:
            continue
        if option in ("FILE", "NAME", "ROLES"):
            args.append(draw(values[option]))
        elif option in FLAGS_WITHOUT_VALUE:
            args.append(option)
        else:
            args.append(option)
            if draw(st.integers(0, 19)):  # now and then the value is missing
                # (init-demo on a junk --db would make a whole demo clinic each time: slow, and tested elsewhere)
                junk = draw(st.integers(0, 7)) == 0 and not (command == "init-demo" and option == "--db")
                args.append(draw(JUNK if junk else values[option]))
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 3)) == 0 else 0):
        stray = draw(st.one_of(JUNK, DATES, NUMBERS))
        args.insert(draw(st.integers(1, len(args))), stray)
    return args


PASSWORDS = st.sampled_from(["right", "right", "right", "wrong", "unset"])


def _run(argv, env, capsys):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            if value is None:
                mp.delenv(key, raising=False)
            else:
                mp.setenv(key, value)
        started = time.process_time()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's --help (abbreviations too): prints usage, status 0
            code = exc.code
            assert code == 0 and "usage:" in capsys.readouterr().out, argv
            return 0, "", 0.0
        spent = time.process_time() - started
    out, err = capsys.readouterr()
    return code, err, spent, out


@pytest.mark.parametrize("command", COMMANDS)
def test_fuzz_command(command, world, capsys, tmp_path_factory, monkeypatch):
    work = tmp_path_factory.mktemp(f"cwd-{command}")
    monkeypatch.chdir(work)  # relative --out paths land here
    monkeypatch.setenv("HOME", str(work))  # and so do ~/x.pdf ones
    monkeypatch.setenv("TAPERDESK_DB", str(world["files"]["missing"]))  # never the user's own clinic file
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    tally = {"runs": 0, "ok": 0, "refused": 0, "slowest": 0.0, "tracebacks": 0}
    # each list an hour after the last, so a run of wrong passwords does not lock the
    # demo account for the rest of the fuzzing (the refusal itself is tested in test_signin)
    clock = {"now": dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)}
    monkeypatch.setattr(audit, "utc_now", lambda: clock["now"])

    @FUZZ
    @given(argv=argument_lists(world, command), password=PASSWORDS)
    def check(argv, password):
        env = {"TAPERDESK_PASSWORD": {"right": world["password"], "wrong": "not the password",
                                      "unset": None}[password]}
        clock["now"] += dt.timedelta(hours=1)
        result = _run(argv, env, capsys)
        tally["runs"] += 1
        code, err = result[0], result[1]
        if "Traceback" in err:
            tally["tracebacks"] += 1
        assert "Traceback" not in err, (argv, err)
        assert code in (0, 2), (argv, code, err)
        if code == 2:
            tally["refused"] += 1
            # (`verify` that finds problems lists them on stdout and sums them up in one line
            # on stderr, "taperdesk verify: N problems in FILE ...")
            assert err.startswith(("taperdesk: ", "taperdesk verify: ")), (argv, err)
            assert err.endswith("\n") and err.count("\n") == 1, (argv, err)
            tally["slowest"] = max(tally["slowest"], result[2])
            assert result[2] < 1.0, (argv, result[2])
        else:
            tally["ok"] += 1

    check()
    print(f"\n{command}: {tally}")
    assert tally["runs"] >= EXAMPLES and tally["tracebacks"] == 0
    assert tally["refused"] > tally["runs"] // 3  # most lists hold some bad input, as meant
    storage.close_database()
