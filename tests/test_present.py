"""Workshop mode (``partnerlib present``): the Voilà command, the address, the start-up."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from partnerlib import SAMPLE_PLAN, PlanError, Workspace
from partnerlib.app.cli import main
from partnerlib.app.present import free_port, present, voila_command, voila_url
from partnerlib.app.series import series_notebooks
from partnerlib.core.paths import WORKSPACE_ENV

COMMAND = voila_command(Path("notebooks"), port=8899, python="python", extra=["--debug"])

# (what the command must hold, expected)
COMMAND_PARTS = [
    ("starts Voilà on the folder", COMMAND[:4] == ["python", "-m", "voila", "notebooks"]),
    ("listens on this computer only", "--Voila.ip=127.0.0.1" in COMMAND),
    ("on the port asked for", "--port=8899" in COMMAND),
    ("never on another port", "--Voila.port_retries=0" in COMMAND),
    ("opens no browser itself", "--no-browser" in COMMAND),
    ("with JupyterLab's look", "--template=lab" in COMMAND),
    ("without a token", "--Voila.token=" in COMMAND),
    ("without tracebacks", "--VoilaConfiguration.show_tracebacks=False" in COMMAND),
    ("code hidden (Voilà's default is kept)", not any("strip_sources" in part for part in COMMAND)),
    ("serves the plan document's files", "--VoilaConfiguration.file_allowlist=['.*\\\\.(png|jpg|gif|svg)', 'plan-document/.*']" in COMMAND),
    ("extra options last", COMMAND[-1] == "--debug"),
]


@pytest.mark.parametrize(("part", "held"), COMMAND_PARTS, ids=[p for p, _ in COMMAND_PARTS])
def test_voila_command(part, held):
    assert held


def test_voila_command_defaults_to_this_python():
    import sys

    assert voila_command(Path("n"), port=1)[0] == sys.executable


# (port, notebook, address)
URLS = [
    (8866, "00_start_here.ipynb", "http://127.0.0.1:8866/voila/render/00_start_here.ipynb"),
    (9000, None, "http://127.0.0.1:9000/"),
]


@pytest.mark.parametrize(("port", "notebook", "url"), URLS)
def test_voila_url(port, notebook, url):
    assert voila_url(port, notebook) == url


@pytest.fixture
def taken_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_free_port_moves_off_a_taken_port(taken_port):
    assert free_port(taken_port) != taken_port


def test_present_refuses_a_taken_port(tmp_path, taken_port):
    with pytest.raises(PlanError, match=f"Port {taken_port} is already in use"):
        present(tmp_path / "workspace.sqlite", port=taken_port, open_browser=False)


class FakeVoila:
    """Stands in for the Voilà process: records how it was started."""

    started: list[FakeVoila] = []

    def __init__(self, line, env, interrupt=False):
        self.line, self.env, self.interrupt, self.terminated = line, env, interrupt, False
        FakeVoila.started.append(self)

    def wait(self, timeout=None):
        if self.interrupt and not self.terminated:
            raise KeyboardInterrupt
        return 0

    def poll(self):
        return None

    def terminate(self):
        self.terminated = True


@pytest.fixture
def fake_voila(monkeypatch):
    FakeVoila.started = []
    monkeypatch.setattr(subprocess, "Popen", FakeVoila)
    return FakeVoila.started


@pytest.fixture
def presented(tmp_path, fake_voila, capsys, monkeypatch):
    """Present on a new workspace, given as a relative path, with Voilà faked."""
    monkeypatch.chdir(tmp_path)
    code = main(["--workspace", "workspace.sqlite", "present", "--no-browser", "--port", str(free_port(None))])
    return code, fake_voila[0], capsys.readouterr().out, tmp_path / "workspace.sqlite"


def test_present_seeds_a_new_workspace(presented):
    _, _, _, workspace = presented
    with Workspace.open(workspace) as book:
        assert [p.name for p in book.plans()] == [SAMPLE_PLAN]


def test_present_gives_voila_the_workspace(presented):
    _, voila, _, workspace = presented
    assert voila.env[WORKSPACE_ENV] == str(workspace.resolve())


def test_present_serves_the_notebooks_folder(presented):
    _, voila, _, _ = presented
    assert voila.line[3] == str(series_notebooks()[0].parent)


def test_present_says_where_the_first_step_is(presented):
    code, _, out, _ = presented
    assert (code, f"/voila/render/{series_notebooks()[0].name}" in out) == (0, True)


def test_ctrl_c_stops_voila(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(subprocess, "Popen", lambda line, env: FakeVoila(line, env, interrupt=True))
    code = present(tmp_path / "workspace.sqlite", port=free_port(None), open_browser=False)
    assert (code, FakeVoila.started[-1].terminated, "Stopped" in capsys.readouterr().out) == (
        0,
        True,
        True,
    )
