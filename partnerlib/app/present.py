"""Workshop mode: show the notebooks with Voilà, forms and results without the code.

``partnerlib present`` serves the notebooks folder with Voilà on this computer
only (127.0.0.1) and opens the browser at the first step. Voilà runs each
notebook when its page is opened, hides the code cells and keeps the widgets
live, so a room sees the explanations, the forms and the results; Save
updates the results below a form at once. Every page works on the workspace
given in ``$PARTNERLIB_WORKSPACE``, seeded with the sample plan on first use.

Voilà serves a working copy of the notebooks beside the workspace (see
:mod:`partnerlib.app.working_copy`), with the workbook's own kernel and page
template (:mod:`partnerlib.app.kernel`): no request leaves the computer. Each
step keeps one kernel warm, the notebook's first cells already run
(:data:`WARM_KERNELS`), so a page does not wait for a new kernel and its
imports (``benchmarks/bench_voila.py`` measures it); kernels of pages closed or left
alone are shut down (:data:`IDLE_KERNELS`), so memory stays bounded over a day.
Stopping ``present`` (Ctrl+C, or SIGTERM from a service manager or a closed
terminal) stops Voilà and every kernel, and frees the port.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..core.paths import WORKSPACE_ENV, WorkspaceTarget, resolved_workspace, shown_workspace
from ..core.problems import PlanError
from .kernel import CELL_OUTPUT_WAIT_S, jupyter_environment
from .series import series_notebooks

__all__ = ["present", "voila_command", "voila_url"]

#: The address Voilà listens on: this computer only.
LOCALHOST = "127.0.0.1"
#: Voilà's usual port, used when it is free and no port is asked for.
DEFAULT_PORT = 8866
#: Seconds to wait for Voilà to answer before giving up on opening the browser.
START_TIMEOUT = 60.0
#: Seconds to wait for Voilà to stop its kernels and end after being told to stop.
STOP_TIMEOUT = 30.0
#: Files a page may link to (regular expressions on paths under the notebooks folder): Voilà's
#: images, and the plan documents step 12 writes (its links would be refused otherwise).
SERVED_FILES = (r".*\.(png|jpg|gif|svg)", r"documents/.*")
#: The steps whose pages are drawn in advance (the starts of their notebooks' names).
WARM_STEPS = ("01_", "02_", "03_", "04_", "05_", "06_", "07_", "08_", "09_", "10_", "11_")
#: Warm kernels: each step's page keeps one kernel that has already drawn the whole page on the
#: workspace's plan, and switches it to the plan the page's address names once a page takes it
#: (its last cell, ``ui.workbook.show_page_plan``); refilled a second after a page takes it.
#: Step 0 (the plan chooser), 12 and 13 (which write documents) are not drawn in advance, nor is
#: any notebook not named like a step (the pattern, on the notebook's whole path, leaves out such
#: as a "new version of …" copy). About 140 MB a kernel.
WARM_KERNELS = (
    "--preheat_kernel=True",
    "--pool_size=1",
    f"--VoilaKernelManager.preheat_denylist=^.*/(?!{'|'.join(WARM_STEPS)})[^/]*$",
)
#: Idle kernels: a page's kernel idle for 10 minutes with no page connected (a closed tab, a
#: phone gone to sleep, a crashed browser) is shut down, checked every minute. Warm kernels
#: waiting in the pool are never culled (Voilà keeps them out of it).
IDLE_KERNELS = (
    "--MappingKernelManager.cull_idle_timeout=600",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
)


def voila_command(
    notebooks: Path,
    *,
    port: int,
    token: str = "",
    python: str | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """Return the command line that serves ``notebooks`` with Voilà on 127.0.0.1.

    The page hides the code (Voilà's default) and shows no tracebacks, uses
    the workbook's template (JupyterLab's look, landmarks, no CDN), never opens
    a browser itself and fails instead of moving to another port, so the
    address given to the browser is the one Voilà listens on. Besides images,
    only the plan documents' folder is served as files (:data:`SERVED_FILES`).
    Kernels are kept warm (:data:`WARM_KERNELS`) and culled when left idle
    (:data:`IDLE_KERNELS`). A cell's outputs are waited for as long as a busy
    machine needs (:data:`CELL_OUTPUT_WAIT_S`). Run it with
    :func:`jupyter_environment`'s variables, which find the template and the kernel.

    >>> voila_command(Path("notebooks"), port=8866, python="python")[:4]
    ['python', '-m', 'voila', 'notebooks']

    Args:
        notebooks: a notebooks folder (Voilà lists it) or one notebook.
        port: the port to listen on.
        token: the access token; empty (the default) means none, which is
            safe only because Voilà listens on this computer alone.
        python: the Python that runs Voilà (default: this one).
        extra: more Voilà options, added at the end.

    Returns:
        The command, one argument per item.
    """
    return [
        python or sys.executable,
        "-m",
        "voila",
        str(notebooks),
        "--no-browser",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--Voila.ip={LOCALHOST}",
        f"--Voila.token={token}",
        "--template=partnerlib",
        "--theme=light",
        "--Voila.log_level=WARN",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaExecutor.iopub_timeout={CELL_OUTPUT_WAIT_S}",
        *(f"--VoilaConfiguration.file_allowlist={pattern}" for pattern in SERVED_FILES),
        *WARM_KERNELS,
        *IDLE_KERNELS,
        *extra,
    ]


def voila_url(port: int, notebook: str | None = None) -> str:
    """Return the address of a notebook's page (or of the folder listing) on the Voilà server.

    >>> voila_url(8866, "00_start_here.ipynb")
    'http://127.0.0.1:8866/voila/render/00_start_here.ipynb'
    >>> voila_url(8866)
    'http://127.0.0.1:8866/'
    """
    base = f"http://{LOCALHOST}:{port}/"
    return f"{base}voila/render/{notebook}" if notebook else base


def _port_is_free(port: int) -> bool:
    """Whether Voilà could listen on ``port`` of 127.0.0.1: bound as its server (tornado) binds.

    Tornado sets SO_REUSEADDR (except on Windows, where it would let two servers share a
    port), so a port left in TIME_WAIT by a server stopped a moment ago is free to it,
    while a port another program listens on is not.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOCALHOST, port))
        except OSError:
            return False
    return True


def free_port(preferred: int | None = DEFAULT_PORT) -> int:
    """Return ``preferred`` if nothing listens on it, else a port the system says is free."""
    if preferred and _port_is_free(preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def wait_for_server(
    port: int, process: subprocess.Popen | None = None, *, timeout: float = START_TIMEOUT
) -> bool:
    """Wait until something answers on ``port``; False if ``process`` ended or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection((LOCALHOST, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def present(
    workspace: WorkspaceTarget,
    *,
    port: int | None = None,
    open_browser: bool = True,
    notebooks: Path | None = None,
) -> int:
    """Serve the notebooks with Voilà until stopped, and open the browser at the first step.

    The workspace gets the sample plan first if it is new, so every page has
    something to show. Voilà serves the working copy of the notebooks beside
    the workspace (refreshed from the workbook first), never the workbook's own.
    Blocks while Voilà runs; Ctrl+C, SIGTERM or SIGHUP stop it (see :func:`serve`).

    Args:
        workspace: the workspace every page works on (a file, or a PostgreSQL URL).
        port: the port to serve on (default: 8866, or a free one if that is taken).
        open_browser: open the first step in the browser once Voilà answers.
        notebooks: the workbook's notebooks folder to copy from (default: the workbook's own).

    Returns:
        Voilà's exit code (0 when stopped).

    Raises:
        PlanError: the notebooks folder was not found, or the port is taken.
    """
    from ..ui.workbook import open_workspace
    from .working_copy import refresh_working_copy, working_folder

    if port is not None and not _port_is_free(port):
        raise PlanError.of("port_in_use", port=port)
    port = port or free_port()
    workspace = resolved_workspace(workspace)
    open_workspace(workspace).close()
    folder = working_folder(workspace)
    for line in refresh_working_copy(folder, notebooks):
        print(line, flush=True)
    url = voila_url(port, series_notebooks(folder)[0].name)
    print(
        f"Presenting the workbook at {url}\n(workspace {shown_workspace(workspace)}, notebooks in {folder}). "
        "Press Ctrl+C to stop.",
        flush=True,
    )
    environment = jupyter_environment() | {WORKSPACE_ENV: str(workspace)}
    command = voila_command(folder, port=port)
    code = serve(command, environment, port=port, open_url=url if open_browser else None)
    print("Stopped presenting.", flush=True)
    return code


#: The signals that stop a server started by :func:`serve`: Ctrl+C, a service manager, a closed terminal.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def serve(
    line: Sequence[str], environment: dict[str, str], *, port: int, open_url: str | None = None
) -> int:
    """Run a server until it ends or this process is told to stop, then wait for it to stop.

    The server runs in its own session, so a Ctrl+C in the terminal reaches this
    process alone; each stop signal (:data:`STOP_SIGNALS`) is passed on to the
    server as SIGTERM, on which Voilà and Jupyter shut their kernels down and
    close the port. If it has not ended :data:`STOP_TIMEOUT` seconds later, it is
    killed. Either way this returns only once it has ended.

    Args:
        line: the server's command line.
        environment: its environment variables.
        port: the port it listens on (to know when it answers).
        open_url: an address to open in the browser once it answers, or None.

    Returns:
        The server's exit code, or 0 when it was stopped by a signal.
    """
    import webbrowser

    _adopt_orphans()
    process = subprocess.Popen(list(line), env=environment, start_new_session=True)
    stopping: list[int] = []

    def pass_on(signum: int, _frame: object) -> None:
        stopping.append(signum)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)

    before = {sent: signal.signal(sent, pass_on) for sent in STOP_SIGNALS}
    try:
        if open_url and wait_for_server(port, process):
            webbrowser.open(open_url)
        code = process.wait()
    finally:
        for sent, handler in before.items():
            signal.signal(sent, handler)
        if process.poll() is None:  # an exception while waiting: stop it anyway
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _stop_leftovers()
    return 0 if stopping else code


def _adopt_orphans() -> None:
    """Make this process the one an orphaned kernel is handed to (Linux), so it can stop what the server left.

    A kernel still starting when the server is told to stop can outlive it; as
    a "child subreaper" this process inherits such a kernel instead of init.
    Elsewhere this does nothing.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        set_child_subreaper = 36  # prctl's PR_SET_CHILD_SUBREAPER
        ctypes.CDLL(None, use_errno=True).prctl(set_child_subreaper, 1, 0, 0, 0)


def _stop_leftovers(grace: float = 5.0) -> None:
    """Stop the processes the server left behind (adopted by :func:`_adopt_orphans`): SIGTERM, then SIGKILL."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    mine = os.getpid()
    left = []
    for entry in proc.iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == mine:
                left.append(int(entry.name))
        except OSError:
            continue
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for pid in left:
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
