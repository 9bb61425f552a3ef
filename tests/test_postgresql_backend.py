"""The workspace in a PostgreSQL database: what only that engine does (opening, refusing, crashes).

Every store promise is tested on both engines in test_store.py; these tests
need a real server (tests/postgres.py) and skip, saying why, without one.
"""

import signal
import subprocess
import sys
import textwrap
import time

import psycopg
import pytest
from test_store import ROOT, make_plan, query

from partnerlib import Workspace, WorkspaceError
from partnerlib.io.migrations import POSTGRESQL_MIGRATIONS, SCHEMA_VERSION


def execute(url, *statements):
    with psycopg.connect(url, autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


def dump(url):
    """Every table's rows, to see that a refused database was left as it was."""
    tables = query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
    return {name: sorted(query(url, f'SELECT * FROM "{name}"')) for (name,) in tables}


def _newer(url):
    Workspace.open(url).close()
    execute(url, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")


def _damaged(url):
    Workspace.open(url).close()
    execute(url, "DROP TABLE people")


BAD_DATABASES = [
    ("another application's tables", lambda url: execute(url, "CREATE TABLE contacts (name TEXT)",
                                                         "INSERT INTO contacts VALUES ('Ana')"),
     "is not a partnerlib workspace: it holds other tables \\(contacts\\)"),
    ("newer workspace", _newer, "made by a newer partnerlib"),
    ("a table missing", _damaged, "is damaged: its tables people are missing"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_DATABASES, ids=[c[0] for c in BAD_DATABASES])
def test_a_bad_database_is_refused_naming_it(postgres_url, case, make, message):
    make(postgres_url)
    with pytest.raises(WorkspaceError, match=message):
        Workspace.open(postgres_url)


@pytest.mark.parametrize(("case", "make", "message"), BAD_DATABASES, ids=[c[0] for c in BAD_DATABASES])
def test_a_bad_database_is_left_untouched(postgres_url, case, make, message):
    make(postgres_url)
    before = dump(postgres_url)
    with pytest.raises(WorkspaceError):
        Workspace.open(postgres_url)
    assert dump(postgres_url) == before


def test_an_empty_database_is_not_made_a_workspace_without_create(postgres_url):
    with pytest.raises(WorkspaceError, match="There is no workspace at .* \\(the database is empty\\)"):
        Workspace.open(postgres_url, create=False)


def test_an_unreachable_server_is_named_without_the_password(postgres_server):
    url = postgres_server.url("no_such_database").replace("postgres@", "postgres:s3cret@")
    with pytest.raises(WorkspaceError) as refused:
        Workspace.open(url)
    assert str(refused.value).startswith(
        f"Cannot reach the PostgreSQL workspace {url.replace(':s3cret', '')}: "
    )


def test_the_password_may_come_from_pgpassword(postgres_server, postgres_url, monkeypatch):
    execute(postgres_url, "CREATE ROLE ana LOGIN PASSWORD 'river'", "GRANT ALL ON SCHEMA public TO ana")
    monkeypatch.setenv("PGPASSWORD", "river")
    with Workspace.open(postgres_url.replace("postgres@", "ana@")) as ws:
        ws.create_plan(make_plan())
        assert [p.name for p in ws.plans()] == ["Riverside"]


def test_a_version_1_database_is_migrated_and_keeps_its_plan(postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as db:
        for statement in POSTGRESQL_MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO plans (name, created) VALUES ('Riverside', '2025-01-01T00:00:00+00:00')")
        for section in type(make_plan()).model_fields:
            db.execute(
                "INSERT INTO revisions (plan_id, section, saved_at, author, value) VALUES (1, %s, %s, 'Ana', %s)",
                (section, "2025-01-01T00:00:00+00:00", getattr(make_plan(), section).model_dump_json()),
            )
        db.execute("INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 7.5, '', 'first import')")
        db.execute("INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 8.5, '', 'second import')")
    with Workspace.open(postgres_url) as ws:
        found = (ws.found_version, ws.load("Riverside").plan, ws.measurements("Riverside")["source"].tolist())
    assert found + (query(postgres_url, "SELECT value FROM meta WHERE key = 'schema_version'"),) == (
        1, make_plan(), ["second import"], [(str(SCHEMA_VERSION),)]
    )


KILLED_CHILD = """
    import sys
    import pandas as pd
    from partnerlib import Workspace
    from partnerlib.models import Risk, Risks
    rows = int(sys.argv[2])
    with Workspace.open(sys.argv[1]) as ws:
        ws.save_section("Riverside", "risks", Risks(risks=[Risk(id="r1", title="Round 1")]), base=None)
        ws.add_measurements("Riverside", pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-01"], "value": [1.0]}))
        print("committed", flush=True)
        ws.save_section("Riverside", "risks", Risks(risks=[Risk(id="r1", title="Round 2")]), base=None)
        with ws._backend.write() as db:  # killed in here: a save and endless imports, never committed
            ws._save(db, "Riverside", "risks", Risks(risks=[Risk(id="r1", title="Lost")]).model_dump_json(),
                     None, "", "")
            for round in range(1_000_000):
                ws._backend.upsert_measurements(db, 1, (["k3"] * rows, ["2026-01-01"] * rows, [1.0] * rows,
                                                        [f"{round}-{n}" for n in range(rows)], [""] * rows))
"""


def _busy_in_copy(url):
    """True once the child's transaction is writing (its COPY or merge is running)."""
    rows = query(url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'partnerlib' "
                      "AND state = 'active' AND (query LIKE 'COPY%' OR query LIKE 'WITH written%')")
    return rows[0][0] > 0


def test_a_process_killed_mid_save_leaves_the_last_commit_intact(postgres_url):
    with Workspace.open(postgres_url) as ws:
        ws.create_plan(make_plan())
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_CHILD), postgres_url, "300000"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    said = child.stdout.readline().strip()
    caught = False
    for _ in range(600):  # at most a minute
        caught = _busy_in_copy(postgres_url)
        if caught:
            break
        time.sleep(0.1)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    with Workspace.open(postgres_url) as again:  # as the user would, straight after the crash
        title = again.load("Riverside").plan.risks.risks[0].title
        kpis = again.measurements("Riverside")["kpi"].unique().tolist()
    assert (said, caught, child.returncode, title, kpis) == ("committed", True, -signal.SIGKILL, "Round 2", ["k1"])


def test_a_session_the_server_dropped_is_reported_then_opened_again(postgres_url, postgres_server):
    with Workspace.open(postgres_url) as ws:
        ws.create_plan(make_plan())
        execute(postgres_server.admin_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{postgres_url.rsplit('/', 1)[1]}' AND application_name = 'partnerlib'")
        with pytest.raises(WorkspaceError, match="^Lost the connection to the workspace .*nothing was saved"):
            ws.load("Riverside")
        assert [p.name for p in ws.plans()] == ["Riverside"]
