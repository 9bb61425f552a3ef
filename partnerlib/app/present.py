"""Workshop mode: show the notebooks with Voilà, forms and results without the code.

``partnerlib present`` serves the notebooks folder with Voilà on this computer
only (127.0.0.1) and opens the browser at the first step. Voilà runs each
notebook when its page is opened, hides the code cells and keeps the widgets
live, so a room sees the explanations, the forms and the results. Every page
works on the workspace given in ``$PARTNERLIB_WORKSPACE``, seeded with the
sample plan on first use. A page shows the plan as saved when it was opened:
after Save, reload the page to see the results update.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..core.paths import WORKSPACE_ENV, WorkspaceTarget, resolved_workspace, shown_workspace
from ..core.problems import PlanError

__all__ = ["present", "voila_command", "voila_url"]

#: The address Voilà listens on: this computer only.
LOCALHOST = "127.0.0.1"
#: Voilà's usual port, used when it is free and no port is asked for.
DEFAULT_PORT = 8866
#: Seconds to wait for Voilà to answer before giving up on opening the browser.
START_TIMEOUT = 60.0
#: Files a page may link to (regular expressions on paths under the notebooks folder): Voilà's
#: images, and the plan document step 12 writes (its links would be refused otherwise).
SERVED_FILES = (r".*\.(png|jpg|gif|svg)", r"plan-document/.*")


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
    JupyterLab's look (``--template lab``), never opens a browser itself and
    fails instead of moving to another port, so the address given to the
    browser is the one Voilà listens on. Besides images, only the plan
    document's folder is served as files (:data:`SERVED_FILES`).

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
        "--template=lab",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaConfiguration.file_allowlist={list(SERVED_FILES)!r}",
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
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
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
    """Serve the notebooks with Voilà until Ctrl+C, and open the browser at the first step.

    The workspace gets the sample plan first if it is new, so every page has
    something to show. Blocks while Voilà runs.

    Args:
        workspace: the workspace every page works on (a file, or a PostgreSQL URL).
        port: the port to serve on (default: 8866, or a free one if that is taken).
        open_browser: open the first step in the browser once Voilà answers.
        notebooks: the notebooks folder (default: the workbook's own).

    Returns:
        Voilà's exit code (0 after Ctrl+C).

    Raises:
        PlanError: the notebooks folder was not found, or the port is taken.
    """
    import webbrowser

    from ..ui.workbook import open_workspace
    from .series import series_notebooks

    steps = series_notebooks(notebooks)
    folder = steps[0].parent
    if port is not None and not _port_is_free(port):
        raise PlanError(
            f"Port {port} is already in use: choose another with --port, or leave it out."
        )
    port = port or free_port()
    workspace = resolved_workspace(workspace)
    open_workspace(workspace).close()
    url = voila_url(port, steps[0].name)
    process = subprocess.Popen(
        voila_command(folder, port=port),
        env=os.environ | {WORKSPACE_ENV: str(workspace)},
    )
    print(
        f"Presenting the workbook at {url}\n(workspace {shown_workspace(workspace)}). Press Ctrl+C to stop.",
        flush=True,
    )
    try:
        if open_browser and wait_for_server(port, process):
            webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print("Stopped presenting.", flush=True)
        return 0
