"""Fixtures shared by the test modules: the sample workspace, PostgreSQL, Voilà, pseudo-translated MESSAGES.

Each test gets its own workspace (tests may change it); a module that needs
something else (a small plan, an empty workspace) defines its own fixture. The
PostgreSQL server (see ``tests/postgres.py``) starts once per run, the first
time a test asks for it, and stops at the end; each test gets a database of its
own. Without PostgreSQL those tests skip, and pytest's summary (``-ra``) says why.
The browser tests share one Voilà server a module (:func:`voila`), started as
``partnerlib present`` starts it. A test asking for :func:`pseudo_translated` has
every sentence of MESSAGES marked.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import Server, missing_reason

from partnerlib import Workspace, seed_workspace
from partnerlib.app.kernel import jupyter_environment
from partnerlib.app.present import WARM_KERNELS, free_port, voila_command, wait_for_server
from partnerlib.core.paths import WORKSPACE_ENV

#: The workbook's notebooks, as ``partnerlib present`` serves them.
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: Seconds to wait for Voilà to answer (a few seconds here, far longer on a busy machine).
VOILA_START_TIMEOUT = 180.0


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


#: The marks around every sentence of MESSAGES while a test runs pseudo-translated.
PSEUDO_MARKS = ("⟦", "⟧")


@pytest.fixture
def pseudo_translated(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every sentence of MESSAGES between PSEUDO_MARKS for this test; returns the opening mark.

    A page or document drawn then shows a mark in each word it took from MESSAGES,
    and none in a word written anywhere else (out of a translation's reach).
    """
    from partnerlib.core import problems

    opening, closing = PSEUDO_MARKS
    for code, words in problems.MESSAGES.items():
        monkeypatch.setitem(problems.MESSAGES, code, f"{opening}{words}{closing}")
    return opening


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


@pytest.fixture(scope="module")
def voila_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace file Voilà's pages work on: the sample plan, shared by a module's tests."""
    from partnerlib import open_workspace

    path = tmp_path_factory.mktemp("browser") / "workspace.sqlite"
    open_workspace(path).close()
    return path


@pytest.fixture(scope="module")
def warm_kernels() -> bool:
    """Whether Voilà keeps a kernel a step warm, as ``partnerlib present`` does.

    A module that opens one page only overrides it with False: only that page
    starts a kernel, which spares a shared machine a dozen of them.
    """
    return True


@pytest.fixture(scope="module")
def voila(voila_workspace: Path, warm_kernels: bool, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Serve the notebooks as ``partnerlib present`` does (yield the port); stop Voilà and its kernels afterwards."""
    port = free_port(None)
    command = voila_command(NOTEBOOKS, port=port)
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command if warm_kernels else [part for part in command if part not in WARM_KERNELS],
            env=jupyter_environment() | {WORKSPACE_ENV: str(voila_workspace)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if not wait_for_server(port, process, timeout=VOILA_START_TIMEOUT):
            pytest.fail(f"Voilà did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
        yield port
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """End Voilà's process group: politely (it shuts its kernels down), then for good."""
    for sent, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait()
