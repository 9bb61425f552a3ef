"""Workshop mode (``partnerlib present``): the Voilà command, the address, the start-up."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from partnerlib import SAMPLE_PLAN, PlanError, Workspace
from partnerlib.app.cli import COMMANDS, main
from partnerlib.app.kernel import JUPYTER_DATA
from partnerlib.app.present import (
    CELL_OUTPUT_WAIT_S,
    WARM_KERNELS,
    WARM_STEPS,
    free_port,
    present,
    voila_command,
    voila_url,
    wait_for_server,
)
from partnerlib.app.series import series_notebooks
from partnerlib.app.working_copy import working_folder
from partnerlib.core.paths import WORKSPACE_ENV

COMMAND = voila_command(Path("notebooks"), port=8899, python="python", extra=["--debug"])

# (what the command must hold, expected)
COMMAND_PARTS = [
    ("starts Voilà on the folder", COMMAND[:4] == ["python", "-m", "voila", "notebooks"]),
    ("listens on this computer only", "--Voila.ip=127.0.0.1" in COMMAND),
    ("on the port asked for", "--port=8899" in COMMAND),
    ("never on another port", "--Voila.port_retries=0" in COMMAND),
    ("opens no browser itself", "--no-browser" in COMMAND),
    ("with the workbook's template (no CDN, landmarks)", "--template=partnerlib" in COMMAND),
    ("without a token", "--Voila.token=" in COMMAND),
    ("without tracebacks", "--VoilaConfiguration.show_tracebacks=False" in COMMAND),
    ("code hidden (Voilà's default is kept)", not any("strip_sources" in part for part in COMMAND)),
    ("serves the plan documents' files", "--VoilaConfiguration.file_allowlist=documents/.*" in COMMAND),
    ("serves images", "--VoilaConfiguration.file_allowlist=.*\\.(png|jpg|gif|svg)" in COMMAND),
    ("keeps a warm kernel per step", "--preheat_kernel=True" in COMMAND and "--pool_size=1" in COMMAND),
    ("culls kernels left idle", "--MappingKernelManager.cull_idle_timeout=600" in COMMAND),
    ("checks for idle kernels every minute", "--MappingKernelManager.cull_interval=60" in COMMAND),
    ("culls a kernel no page is connected to", "--MappingKernelManager.cull_connected=False" in COMMAND),
    ("no list-valued option (traitlets' DeprecationWarning)", not any("=[" in part for part in COMMAND)),
    ("extra options last", COMMAND[-1] == "--debug"),
]


@pytest.mark.parametrize(("part", "held"), COMMAND_PARTS, ids=[p for p, _ in COMMAND_PARTS])
def test_voila_command(part, held):
    assert held


def test_voila_waits_for_a_cells_last_outputs_as_long_as_a_busy_machine_needs():
    """The option reaches Voilà's executor: its default of 4 s drew pages without their forms."""
    import nbformat
    from traitlets.config.loader import KVArgParseConfigLoader
    from voila.execute import VoilaExecutor

    options = [part for part in COMMAND if re.match(r"--\w+\.\w+=", part)]  # --Class.trait=value
    config = KVArgParseConfigLoader(options).load_config()
    assert VoilaExecutor(nbformat.v4.new_notebook(), config=config).iopub_timeout == CELL_OUTPUT_WAIT_S >= 60


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
DENYLIST = next(part for part in WARM_KERNELS if "preheat_denylist" in part).split("=", 1)[1]

# (notebook path as Voilà sees it, drawn in advance by a warm kernel)
WARM_PAGES = [
    ("/w/notebooks/01_goals.ipynb", True),
    ("/w/notebooks/06_risk_and_conflict.ipynb", True),
    ("/w/notebooks/11_partnership_review.ipynb", True),
    ("/w/notebooks/00_start_here.ipynb", False),  # the chooser: its address is its whole point
    ("/w/notebooks/12_plan_document.ipynb", False),  # writes the plan's documents
    ("/w/notebooks/13_portfolio.ipynb", False),  # writes the organisation's document
    ("/w/notebooks/new version of 06_risk_and_conflict.ipynb", False),
]


@pytest.mark.parametrize(("path", "warm"), WARM_PAGES, ids=[Path(p).stem for p, _ in WARM_PAGES])
def test_which_pages_warm_kernels_draw_in_advance(path, warm):
    assert (re.match(DENYLIST, path) is None) == warm


@pytest.mark.parametrize("notebook", series_notebooks(NOTEBOOKS), ids=lambda path: path.stem)
def test_a_page_drawn_in_advance_ends_by_showing_the_plan_in_its_address(notebook):
    import nbformat

    cells = [cell for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
    ends_so = "show_page_plan()" in cells[-1].source
    assert ends_so == notebook.name.startswith(WARM_STEPS)


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


@contextlib.contextmanager
def _unused():
    """A port nothing holds."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
    yield port


@contextlib.contextmanager
def _listened_on():
    """A port another program listens on."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def _bound_plainly(port):
    """Whether a socket without SO_REUSEADDR can bind the port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def _in_time_wait():
    """A port of a server stopped a moment ago: its side closed a connection first, so it waits in TIME_WAIT."""
    for _attempt in range(10):
        with socket.socket() as server:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server did
            server.bind(("127.0.0.1", 0))
            server.listen()
            port = server.getsockname()[1]
            with socket.create_connection(("127.0.0.1", port)) as client:
                accepted, _ = server.accept()
                accepted.close()  # the server's side closes first: it is the one left in TIME_WAIT
                client.recv(1)  # the server's FIN has arrived
        if not _bound_plainly(port):  # really in TIME_WAIT (a plain bind is refused)
            yield port
            return
    pytest.skip("no port could be left in TIME_WAIT on this computer")


# (the port's state, whether present keeps the port asked for): it asks as Voilà's server binds
# (SO_REUSEADDR), so a port in TIME_WAIT is free and only a port something listens on is taken.
PORT_STATES = [
    ("unused", _unused, True),
    ("listened on", _listened_on, False),
    ("in TIME_WAIT", _in_time_wait, True),
]


@pytest.mark.parametrize(("state", "port_in", "kept"), PORT_STATES, ids=[state for state, _, _ in PORT_STATES])
def test_a_port_is_free_when_voila_could_listen_on_it(state, port_in, kept):
    with port_in() as port:
        assert (free_port(port) == port) == kept


def test_present_refuses_a_taken_port(tmp_path, taken_port):
    with pytest.raises(PlanError, match=f"Port {taken_port} is already in use"):
        present(tmp_path / "workspace.sqlite", port=taken_port, open_browser=False)


class FakeVoila:
    """Stands in for the Voilà process: records how it was started and the signals it was sent."""

    started: list[FakeVoila] = []

    def __init__(self, line, env, start_new_session=False, stopped_by=None):
        self.line, self.env, self.own_session = line, env, start_new_session
        self.stopped_by, self.signals = stopped_by, []
        FakeVoila.started.append(self)

    def wait(self, timeout=None):
        if self.stopped_by is not None and not self.signals:
            os.kill(os.getpid(), self.stopped_by)  # as a terminal or a service manager would
        return 0

    def poll(self):
        return 0 if self.signals else None

    def send_signal(self, sent):
        self.signals.append(sent)

    def kill(self):
        self.signals.append(signal.SIGKILL)


@pytest.fixture
def fake_voila(monkeypatch):
    FakeVoila.started = []
    monkeypatch.setattr(subprocess, "Popen", FakeVoila)
    return FakeVoila.started


@pytest.fixture
def presented(tmp_path, fake_voila, capsys, monkeypatch):
    """Present on a new workspace, given as a relative path, with Voilà faked."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTER_PATH", "/somewhere/of/the/users")
    code = main(["--workspace", "workspace.sqlite", "present", "--no-browser", "--port", str(free_port(None))])
    return code, fake_voila[0], capsys.readouterr().out, tmp_path / "workspace.sqlite"


def test_present_seeds_a_new_workspace(presented):
    _, _, _, workspace = presented
    with Workspace.open(workspace) as book:
        assert [p.name for p in book.plans()] == ["Lakeside Girls' Education", SAMPLE_PLAN]


def test_present_gives_voila_the_workspace(presented):
    _, voila, _, workspace = presented
    assert voila.env[WORKSPACE_ENV] == str(workspace.resolve())


def test_present_serves_a_working_copy_beside_the_workspace(presented):
    _, voila, _, workspace = presented
    assert voila.line[3] == str(working_folder(workspace.resolve()))


def test_present_copies_every_step_into_the_working_copy(presented):
    _, voila, _, _ = presented
    assert [p.name for p in series_notebooks(Path(voila.line[3]))] == [p.name for p in series_notebooks()]


def test_present_finds_the_workbooks_kernel_and_template_first(presented):
    _, voila, _, _ = presented
    assert voila.env["JUPYTER_PATH"].split(os.pathsep) == [str(JUPYTER_DATA), "/somewhere/of/the/users"]


def test_present_runs_voila_in_its_own_session(presented):
    # A Ctrl+C in the terminal reaches `present` alone, which stops Voilà once, politely.
    _, voila, _, _ = presented
    assert voila.own_session


def test_present_says_where_the_first_step_is(presented):
    code, _, out, _ = presented
    assert (code, f"/voila/render/{series_notebooks()[0].name}" in out) == (0, True)


def test_present_help_does_not_ask_to_reload_pages():
    assert "reload" not in COMMANDS["present"].description


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["INT", "TERM", "HUP"])
def test_a_stop_signal_is_passed_on_to_voila(tmp_path, monkeypatch, capsys, sent):
    monkeypatch.setattr(subprocess, "Popen", lambda line, env, **options: FakeVoila(line, env, stopped_by=sent))
    code = present(tmp_path / "workspace.sqlite", port=free_port(None), open_browser=False)
    assert (code, FakeVoila.started[-1].signals, "Stopped" in capsys.readouterr().out) == (
        0,
        [signal.SIGTERM],
        True,
    )


def test_signal_handlers_are_restored_after_presenting(tmp_path, monkeypatch):
    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(subprocess, "Popen", lambda line, env, **options: FakeVoila(line, env))
    present(tmp_path / "workspace.sqlite", port=free_port(None), open_browser=False)
    assert signal.getsignal(signal.SIGTERM) == before


# ---------------------------------------------------------------- the real thing


def _descendants(pid: int) -> set[int]:
    """Return the processes below ``pid`` (children, grandchildren …), read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)")
def test_sigterm_stops_present_voila_and_every_kernel_and_frees_the_port(tmp_path):
    port = free_port(None)
    log = tmp_path / "present.log"
    with open(log, "wb") as out:
        command = subprocess.Popen(
            [sys.executable, "-m", "partnerlib.app.cli", "--workspace", str(tmp_path / "ws.sqlite"),
             "present", "--no-browser", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
    try:
        assert wait_for_server(port, command, timeout=180), log.read_text()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and len(_descendants(command.pid)) < 3:
            time.sleep(0.5)  # Voilà, and the warm kernels it starts for the steps
        below = _descendants(command.pid)
        command.send_signal(signal.SIGTERM)
        code = command.wait(timeout=90)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    left = sorted(pid for pid in below if _alive(pid))
    for pid in left:  # do not leave them running if the test fails
        os.kill(pid, signal.SIGKILL)
    assert (code, len(below) >= 3, left, free_port(port) == port) == (0, True, [], True)

