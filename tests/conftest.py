"""Fixtures shared by the test modules: a workspace seeded with the sample plan, and a real PostgreSQL server.

Each test gets its own workspace (tests may change it); a module that needs
something else (a small plan, an empty workspace) defines its own fixture. The
PostgreSQL server (see ``tests/postgres.py``) starts once per run, the first
time a test asks for it, and stops at the end; each test gets a database of its
own. Without PostgreSQL those tests skip, and pytest's summary (``-ra``) says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import Server, missing_reason

from partnerlib import Workspace, seed_workspace


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    """The path of a workspace file holding the sample plan (closed, as a notebook or the CLI finds it)."""
    path = tmp_path / "workspace.sqlite"
    seed_workspace(path).close()
    return path


@pytest.fixture
def book(workspace_file: Path) -> Iterator[Workspace]:
    """The workspace of ``workspace_file``, open (named as the notebooks name it), closed after the test."""
    workspace = Workspace.open(workspace_file, create=False)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """A PostgreSQL server for this test run (skips the test when there is none)."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    server = Server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: Server) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


#: The engines a workspace can live in; store tests run on each.
ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def workspace_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A new workspace on each engine: a file not yet made, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "workspace.sqlite"
    return request.getfixturevalue("postgres_url")
