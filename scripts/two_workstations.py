"""Two workstations on one clinic server, for real (issue 14's "done when"):
a throw-away PostgreSQL cluster (tests/pg_cluster.py; as root the server runs
as `nobody`), a demo clinic moved onto it and two accounts added with the same
commands the README gives the IT person (`move-to`, `clinician add
--role`), then TWO app processes, each on its own Xvfb display (xvfb-run
-a), signed in as the prescriber on ROOM-1 and as the nurse on ROOM-2:

1. the prescriber opens patient A; the nurse, opening A, sees it read-only,
   "in use by Dr Ada Xu on ROOM-1 since 10:02";
2. the nurse opens patient B and records a daily rating; the prescriber,
   looking at B (read-only: the nurse has it), sees the entry appear within
   5 seconds (the window's own polling);
3. the nurse tries a prescriber-only change (pausing B's plan) through the
   window: the clinic's operations refuse it in one line.

Each display is grabbed whole at every step (PNG in --out). The first window
also makes the server's daily backup (storage.daily); the second says where
it was made. Facts come back as JSON, and tests/test_two_workstations.py
checks the same facts offscreen on the test server.

    .venv/bin/python scripts/two_workstations.py [--out DIR] [--offscreen] [--db EMPTY-URL]

Each app process is this script with `--station`: the window is driven by
commands on its standard input, one JSON line each, and answers one line
starting with `@@ ` on its standard output."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PRESCRIBER, NURSE = "Dr Ada Xu", "Nia Nurse"
ROOMS = {"prescriber": "ROOM-1", "nurse": "ROOM-2"}
SIZE = (1366, 768)
MARK = "@@ "
REPLY_TIMEOUT_S = 60


# -- one workstation: the app window, driven from standard input ------------------------------------------
def station(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QObject, QSettings, QTimer, Signal
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from taperdesk import storage
    from taperdesk.clinic import accounts
    from taperdesk.ui.main import after_shown
    from taperdesk.ui.workspace import Workspace

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("TaperDesk-two-workstations")
    app.setApplicationName("TaperDesk")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())

    def say(**facts) -> None:
        print(MARK + json.dumps(facts), flush=True)

    opened = storage.open_database(storage.resolve_db_path(), defer_daily=True)  # TAPERDESK_DB, as the app opens it
    password = os.environ.pop("TAPERDESK_STATION_PASSWORD")
    clinician = storage.verify_password(name=args.station_name, password=password)
    if clinician is None:
        say(error=f"{args.station_name} could not sign in")
        return 2
    if clinician.must_change_password:  # a new account: its own password before anything else
        clinician = accounts.change_my_password(new_password=secrets.token_urlsafe(12), author=clinician)
    window = Workspace(clinician=clinician, today=dt.date.today())
    window.resize(*SIZE)
    window.move(0, 0)
    window.show()
    after_shown(window, opened)

    def settle() -> None:
        for _ in range(10):
            app.processEvents()

    def patient_id(name: str) -> int:
        return next(p.id for p in storage.search_patients(text=name))

    def state() -> dict:
        pause = window.actions_by_name["pause"]
        tab = window._symptoms
        return {"banner": window.in_use_banner.text() if window.in_use_banner.isVisible() else "",
                "quick_enabled": bool(tab and tab.quick.save_button.isEnabled()),
                "quick_tip": tab.quick.toolTip() if tab else "",
                "pause_enabled": pause.isEnabled(), "pause_tip": pause.toolTip(),
                "status": window.statusBar().currentMessage()}

    def shot(path: str) -> dict:
        settle()
        if QGuiApplication.platformName() == "xcb":  # the whole display, dialogs and all
            picture = QGuiApplication.primaryScreen().grabWindow(0)
        else:
            picture = window.grab()
        picture.save(path)
        return {"path": path}

    watch = {"timer": None}

    def start_watch(note: str, timeout: float) -> None:
        started = time.monotonic()
        timer = QTimer(window)
        timer.setInterval(50)

        def look() -> None:
            tab = window._symptoms
            seen = tab is not None and any(r.entry.note == note for r in tab.model.records())
            if seen or time.monotonic() - started > timeout:
                timer.stop()
                say(seen=seen, at=time.time(), **state())

        timer.timeout.connect(look)
        timer.start()
        watch["timer"] = timer

    def run(command: dict) -> None:
        do = command["do"]
        if do == "open":
            window.select_patient(patient_id(command["patient"]))
            window.tabs.setCurrentWidget(window.symptoms_host if command.get("tab") == "symptoms"
                                         else window.plan_tab)
            if command.get("tab") == "symptoms":
                window.symptoms_tab.refresh()
            settle()
            say(**state())
        elif do == "record":
            quick = window.symptoms_tab.quick
            quick.severity.set_score(command["severity"])
            quick.sleep.set_score(command["sleep"])
            quick.note.setText(command["note"])
            began = time.time()  # before the save: the other window cannot see it earlier than this
            entry = quick.save()
            settle()
            say(saved=entry is not None, at=began, message=quick.message_text(), **state())
        elif do == "watch":
            start_watch(command["note"], command.get("timeout", 10.0))
            say(watching=True)
        elif do == "attempt":  # past the greyed-out menu item, straight to the window's own handler
            done = window.apply_status("paused", "trying a prescriber-only change as a nurse")
            settle()
            boxes = [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]
            say(done=done, refusal=window.last_message, boxes=boxes, **state())
        elif do == "shot":
            say(**shot(command["path"]))
        elif do == "state":
            say(**state())
        elif do == "quit":
            window.close()
            storage.close_database()
            say(bye=True)
            app.quit()
        else:
            say(error=f"unknown command {do!r}")

    class Commands(QObject):
        line = Signal(str)

    commands = Commands()
    commands.line.connect(lambda text: run(json.loads(text)))

    def read() -> None:
        for text in sys.stdin:
            if text.strip():
                commands.line.emit(text)

    threading.Thread(target=read, daemon=True).start()

    def ready() -> None:
        upkeep = getattr(window, "daily_upkeep", None)
        if upkeep is not None and upkeep.running:
            return
        poll.stop()
        say(ready=True, station=args.station_name, display=os.environ.get("DISPLAY", ""),
            platform=QGuiApplication.platformName(), **state())

    poll = QTimer(window)  # the day's server backup first: its status line is part of what the demo shows
    poll.setInterval(50)
    poll.timeout.connect(ready)
    poll.start()
    return app.exec()


# -- the two together -----------------------------------------------------------------------------------
class Station:
    """One app process, spoken to over its standard input and output."""

    def __init__(self, role: str, url: str, password: str, *, offscreen: bool, log: Path, data: Path) -> None:
        self.role, self.name = role, PRESCRIBER if role == "prescriber" else NURSE
        # each workstation its own data folder (its log, its backups folder): not the user's own
        # the address (with its password) and the account's password in the environment, not on a command line
        env = dict(os.environ, TAPERDESK_WORKSTATION=ROOMS[role], TAPERDESK_STATION_PASSWORD=password,
                   TAPERDESK_DB=url, PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(data))
        command = [PYTHON, str(Path(__file__).resolve()), "--station", self.name]
        if offscreen:
            env["QT_QPA_PLATFORM"] = "offscreen"
        else:
            env["QT_QPA_PLATFORM"] = "xcb"
            command = ["xvfb-run", "-a", "-s", f"-screen 0 {SIZE[0]}x{SIZE[1]}x24", *command]
        self.log = open(log, "w")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                        text=True, env=env, cwd=str(ROOT))
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)

    def answer(self, timeout: float = REPLY_TIMEOUT_S) -> dict:
        """The next `@@ ` line (other output is passed over); RuntimeError when none comes in time."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                raise RuntimeError(f"{self.role}'s window did not answer within {timeout:.0f} s "
                                   f"(its log: {self.log.name})")
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.role}'s window ended (exit {self.process.wait()}; log: {self.log.name})")
            if line.startswith(MARK):
                facts = json.loads(line[len(MARK):])
                if "error" in facts:
                    raise RuntimeError(f"{self.role}: {facts['error']}")
                return facts

    def send(self, **command) -> None:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def ask(self, **command) -> dict:
        self.send(**command)
        return self.answer()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask(do="quit")
            except RuntimeError:
                pass
            try:
                self.process.stdin.close()
                self.process.wait(timeout=20)
            except (subprocess.TimeoutExpired, OSError):
                self.process.kill()
                self.process.wait()
        self._selector.close()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.log.close()


def scenario(url: str, passwords: dict[str, str], out: Path, *, patient_a: str, patient_b: str,
             offscreen: bool = False) -> dict:
    """Start both windows on the clinic at `url`, play the three steps, return the facts seen."""
    out.mkdir(parents=True, exist_ok=True)
    facts: dict = {"shots": []}
    stations: list[Station] = []
    try:
        for role in ("prescriber", "nurse"):  # under Xvfb one after the other: xvfb-run -a picks a display then
            s = Station(role, url, passwords[role], offscreen=offscreen, log=out / f"{role}.log",
                        data=out / "data" / ROOMS[role])
            stations.append(s)
            if not offscreen:
                facts[f"{role}_ready"] = s.answer()
        for s in stations if offscreen else ():
            facts[f"{s.role}_ready"] = s.answer()
        doctor, nurse = stations

        def shoot(tag: str) -> None:
            for s in stations:
                path = out / f"{tag}-{s.role}-{ROOMS[s.role]}.png"
                s.ask(do="shot", path=str(path))
                facts["shots"].append(str(path))

        # 1. the prescriber opens A; the nurse sees A in use, read-only
        facts["prescriber_opens_a"] = doctor.ask(do="open", patient=patient_a, tab="plan")
        facts["nurse_opens_a"] = nurse.ask(do="open", patient=patient_a, tab="symptoms")
        shoot("1-patient-a-in-use")
        # 2. the nurse records a rating for B; the prescriber, looking at B, sees it
        note = f"phone call at {dt.datetime.now():%H:%M}"
        facts["nurse_opens_b"] = nurse.ask(do="open", patient=patient_b, tab="symptoms")
        facts["prescriber_opens_b"] = doctor.ask(do="open", patient=patient_b, tab="symptoms")
        doctor.ask(do="watch", note=note, timeout=10.0)
        facts["nurse_records_b"] = saved = nurse.ask(do="record", severity=6, sleep=4, note=note)
        facts["prescriber_sees_it"] = seen = doctor.answer(timeout=20)
        facts["seen_after_s"] = round(seen["at"] - saved["at"], 2) if seen["seen"] else None
        shoot("2-rating-seen-elsewhere")
        # 3. the nurse tries a prescriber-only change
        facts["nurse_attempts_pause"] = nurse.ask(do="attempt")
        shoot("3-nurse-refused")
    finally:
        for s in stations:
            s.close()
    return facts


CAPTIONS = {"prescriber": f"ROOM-1: {PRESCRIBER}, prescriber", "nurse": f"ROOM-2: {NURSE}, nurse"}


def side_by_side(left: Path, right: Path, target: Path, title: str, scale: float = 0.75) -> Path:
    """The two displays of one step next to each other, each under its room's name (for the README)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (painting text needs one)
    pictures = [QImage(str(left)), QImage(str(right))]
    w, h = int(pictures[0].width() * scale), int(pictures[0].height() * scale)
    gap, band = 16, 64
    out = QImage(2 * w + gap, h + band, QImage.Format.Format_RGB32)
    out.fill(QColor("#2f343b"))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setPen(QColor("white"))
    font = QFont("DejaVu Sans")
    font.setPixelSize(17)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRect(10, 4, 2 * w, 28), Qt.AlignmentFlag.AlignVCenter, title)
    font.setBold(False)
    painter.setFont(font)
    for i, (picture, caption) in enumerate(zip(pictures, CAPTIONS.values())):
        x = i * (w + gap)
        painter.drawText(QRect(x + 10, 34, w, 26), Qt.AlignmentFlag.AlignVCenter, caption)
        painter.drawImage(QRect(x, band, w, h), picture)
    painter.end()
    out.save(str(target))
    return target


# each step's two screens side by side, as the README shows them (docs/screenshots/NAME)
STEPS = {"1-patient-a-in-use": ("two-workstations-1-in-use.png", "1. The prescriber has Margaret open; the nurse sees "
                                "her read-only, and who has her"),
         "2-rating-seen-elsewhere": ("two-workstations-2-rating-seen.png", "2. The nurse records Dmitri's rating; "
                                     "the prescriber's screen shows it within seconds"),
         "3-nurse-refused": ("two-workstations-3-nurse-refused.png", "3. The nurse tries to pause a plan (past the "
                             "greyed-out menu item): refused in one line")}


def _taperdesk(*argv: str, stdin: str | None = None, env: dict | None = None) -> str:
    done = subprocess.run([str(Path(PYTHON).with_name("taperdesk")), *argv], input=stdin, capture_output=True,
                          text=True, env=dict(os.environ, **(env or {})), timeout=300, cwd=str(ROOT))
    shown = " ".join(a if "postgresql://" not in a else "postgresql://…" for a in argv)
    if done.returncode != 0:
        raise RuntimeError(f"taperdesk {shown} failed (exit {done.returncode}): {done.stderr.strip()}")
    print(f"$ taperdesk {shown}\n{done.stdout.rstrip()}")
    return done.stdout


def set_up_clinic(url: str, work: Path) -> dict[str, str]:
    """A demo clinic made as a file and moved to the server (`taperdesk move-to`), then the two accounts
    (`taperdesk clinician add --role`), by the README's commands. The demo's ratings end yesterday, so
    today's daily rating is the nurse's to record."""
    from taperdesk import storage

    demo = storage.make_demo(work / "demo.sqlite", today=dt.date.today() - dt.timedelta(days=1))
    print(f"A demo clinic in {demo.path}: {demo.patients} patients, {demo.entries} symptom entries")
    _taperdesk("move-to", url, "--db", str(demo.path))
    passwords = {"prescriber": secrets.token_urlsafe(12), "nurse": secrets.token_urlsafe(12)}
    as_admin = {"TAPERDESK_PASSWORD": demo.password}
    _taperdesk("clinician", "add", PRESCRIBER, "--role", "prescriber", "--password-file", "-", "--db", url,
               "--clinician", demo.clinician, stdin=passwords["prescriber"] + "\n", env=as_admin)
    _taperdesk("clinician", "add", NURSE, "--role", "nurse", "--password-file", "-", "--db", url,
               "--clinician", demo.clinician, stdin=passwords["nurse"] + "\n", env=as_admin)
    _taperdesk("clinician", "list", "--db", url, "--clinician", demo.clinician, env=as_admin)
    return passwords


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "two-workstations")
    parser.add_argument("--offscreen", action="store_true", help="no Xvfb: each window grabs itself")
    parser.add_argument("--db", help="an EMPTY clinic server database to use (default: a throw-away cluster)")
    parser.add_argument("--station", dest="station_name", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.station_name:
        return station(args)
    sys.path.insert(0, str(ROOT))
    from tests import pg_cluster

    cluster = None
    work = Path(tempfile.mkdtemp(prefix="taperdesk-two-"))
    try:
        url = args.db
        if url is None:
            cluster = pg_cluster.start()
            url = cluster.create_database("clinic")
            print(f"A throw-away PostgreSQL cluster in {cluster.folder}, port {cluster.port}"
                  + (f" (run as {cluster.pid_owner})" if cluster.pid_owner else ""))
        passwords = set_up_clinic(url, work)
        facts = scenario(url, passwords, args.out, patient_a="Margaret", patient_b="Dmitri",
                         offscreen=args.offscreen)
    finally:
        if cluster is not None:
            cluster.stop()
    print(json.dumps(facts, indent=1))
    for step, (name, title) in STEPS.items():
        both = [args.out / f"{step}-{role}-{ROOMS[role]}.png" for role in ROOMS]
        print(f"wrote {side_by_side(*both, args.out / name, title)}")
    ok = bool(facts["prescriber_sees_it"]["seen"] and facts["seen_after_s"] is not None
              and facts["seen_after_s"] <= 5 and "in use by" in facts["nurse_opens_a"]["banner"]
              and not facts["nurse_attempts_pause"]["done"])
    print(f"two workstations: in use shown, rating seen after {facts['seen_after_s']} s (target 5 s), "
          f"nurse refused: {'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
