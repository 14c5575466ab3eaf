import os

# Offscreen unless CI or a developer chose another platform (e.g. xcb under Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis: the default profile keeps `make test` under 3 minutes on 2 cores;
# `make soak` (TAPERDESK_HYPOTHESIS=soak) runs the long one. Tests that choose
# their own counts scale them with `examples(quick, soak)`.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("soak", max_examples=2000, deadline=None)
PROFILE = os.environ.get("TAPERDESK_HYPOTHESIS", "default")
_settings.load_profile(PROFILE)


def examples(quick: int, soak: int) -> int:
    return soak if PROFILE == "soak" else quick


# -- the clinic server (PostgreSQL) ------------------------------------------------
# One throw-away cluster per test run, shared by the xdist workers (the first to
# come starts it, the controller stops it); each worker has its own database in
# it, emptied before each test that asks for `server_db`. With CI set, a server
# that cannot start fails those tests; elsewhere they are skipped with the reason.
import fcntl  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests import pg_cluster  # noqa: E402


def _shared_root(config) -> Path:
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller stops the cluster after every worker is done
    state = _shared_root(session.config) / "pg-cluster.json"
    if state.exists():
        pg_cluster.Cluster.load(state).stop()


@pytest.fixture(scope="session")
def pg_server(request):
    """The run's PostgreSQL cluster (started on first use)."""
    root = _shared_root(request.config)
    state, failed = root / "pg-cluster.json", root / "pg-cluster.failed"
    with open(root / "pg-cluster.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not state.exists() and not failed.exists():
            try:
                pg_cluster.start().save(state)  # its own folder: not one another run's cleanup removes
            except (RuntimeError, OSError, KeyError) as exc:
                failed.write_text(str(exc))
    if failed.exists():
        reason = f"the PostgreSQL test server could not start: {failed.read_text()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return pg_cluster.Cluster.load(state)


@pytest.fixture(scope="session")
def _worker_database(pg_server, worker_id):
    name = f"clinic_{worker_id}"
    url = pg_server.create_database(name)
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    yield url, conn
    conn.close()


@pytest.fixture
def server_db(_worker_database) -> str:
    """This worker's database on the test server, emptied: a `postgresql://` URL."""
    url, conn = _worker_database
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return url


@pytest.fixture
def clinic_place(backend, request):
    """Where a clinic under test lives: a new SQLite file or an emptied server database."""
    if backend == "postgresql":
        return request.getfixturevalue("server_db")
    return request.getfixturevalue("tmp_path") / "clinic.sqlite"


BACKENDS = ("sqlite", "postgresql")


def backends_for(metafunc) -> tuple[str, ...]:
    """Both databases, unless the test handles the clinic file itself (asks for
    `db_path`) or is marked `sqlite_only`."""
    if "db_path" in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only"):
        return ("sqlite",)
    return BACKENDS


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a test about the clinic file itself (not run on the server)")


# -- the demo clinic ---------------------------------------------------------------
# Making the demo clinic writes a thousand symptom entries (seconds of CPU); a dozen
# test modules want one to read or to copy and change. The run makes it once (the
# first worker to ask, under a lock) and each asks for a copy. The tests of the
# demo itself (deterministic, `init-demo`, the fuzz) still make their own.
@pytest.fixture(scope="session")
def demo_copy(request):
    """`demo_copy(path, today=None)`: a copy at `path` of the run's demo clinic made
    for `today` (default today), and its DemoClinic with the path changed."""
    import dataclasses
    import datetime as dt
    import shutil

    from taperdesk import storage

    root = _shared_root(request.config)

    def copy(path, today: dt.date | None = None) -> storage.DemoClinic:
        day = (today or dt.date.today()).isoformat()
        master, facts = root / f"demo-{day}.sqlite", root / f"demo-{day}.json"
        with open(root / "demo.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not facts.exists():
                made = storage.make_demo(master, today=dt.date.fromisoformat(day))
                storage.close_database()
                facts.write_text(json.dumps({**dataclasses.asdict(made), "path": str(made.path)}))
        path = Path(path)
        shutil.copy(master, path)
        return storage.DemoClinic(**{**json.loads(facts.read_text()), "path": path})

    return copy
