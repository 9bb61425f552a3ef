"""The JupyterHub deployment of docs/hub.md, tested in parts: its config loads, its SQL works."""

import subprocess
from pathlib import Path

import psycopg
import pytest
from postgres import programs
from test_store import make_plan

from partnerlib import Workspace

HUB = Path(__file__).resolve().parents[1] / "docs" / "hub"


@pytest.mark.slow
def test_the_hub_config_loads_with_jupyterhubs_own_loader():
    from jupyterhub.app import JupyterHub
    from traitlets.config import PyFileConfigLoader

    config = PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()
    app = JupyterHub(config=config)
    assert (app.config.Spawner.environment, app.config.Spawner.pre_spawn_hook.__name__) == (
        {"PARTNERLIB_WORKSPACE": "postgresql:///partnerlib?host=/var/run/postgresql"}, "add_database_login"
    )


def psql(url, sql_file, **variables):
    folder = programs()
    if folder is None:
        pytest.skip("psql is not installed here")
    settings = [f"--set={name}={value}" for name, value in variables.items()]
    subprocess.run([str(folder / "psql"), "--quiet", "--set=ON_ERROR_STOP=1", *settings, "--dbname", url,
                    "--file", str(HUB / sql_file)], check=True, capture_output=True, timeout=60)


@pytest.fixture
def hub_database(postgres_server):
    psql(postgres_server.admin_url, "setup.sql")
    for login in ("jupyter-ana", "jupyter-ben"):
        psql(postgres_server.admin_url, "add_user.sql", login=login)
    yield postgres_server.url("partnerlib")
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE partnerlib WITH (FORCE)")
        for role in ("jupyter-ana", "jupyter-ben", "partnerlib"):
            admin.execute(f'DROP ROLE "{role}"')


def test_hub_users_share_one_workspace_owned_by_the_partnerlib_role(hub_database):
    ana, ben = (hub_database.replace("postgres@", f"{login}@") for login in ("jupyter-ana", "jupyter-ben"))
    with Workspace.open(ana) as mine:
        mine.create_plan(make_plan(), author="Ana")
    with Workspace.open(ben) as theirs:
        snapshot = theirs.load("Riverside")
        theirs.save_section("Riverside", "risks", snapshot.plan.risks.model_copy(update={"risks": []}),
                            base=snapshot.revisions["risks"], author="Ben")
        authors = [revision.author for revision in theirs.history("Riverside", "risks")]
    with psycopg.connect(hub_database) as db:
        owners = db.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert (authors, owners) == (["Ben", "Ana"], [("partnerlib",)])


def test_adding_a_user_twice_changes_nothing(hub_database, postgres_server):
    psql(postgres_server.admin_url, "add_user.sql", login="jupyter-ana")
    with psycopg.connect(hub_database) as db:
        roles = db.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'jupyter-%' ORDER BY 1").fetchall()
    assert roles == [("jupyter-ana",), ("jupyter-ben",)]
