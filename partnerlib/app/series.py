"""The notebook series: find the steps, run them headless, keep their navigation in order.

``partnerlib run`` executes every step for one plan with papermill and stops
at the first failing step, naming it. ``tools/build_notebooks.py`` uses the
same functions to refresh the committed notebooks' outputs from the sample plan.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.paths import (
    WORKSPACE_ENV,
    WorkspaceTarget,
    is_database_url,
    plan_slug,
    repo_dir,
    resolved_workspace,
)
from ..core.problems import PlanError
from .kernel import CELL_OUTPUT_WAIT_S, KERNEL_NAME, jupyter_environment

__all__ = [
    "SeriesError",
    "navigation_markdown",
    "notebook_title",
    "parameters_for",
    "run_folder",
    "run_series",
    "select_steps",
    "series_notebooks",
    "step_pages",
]

#: Tag of the markdown cell, last in every notebook, holding previous · contents · next.
NAVIGATION_TAG = "navigation"


class SeriesError(PlanError):
    """A step of the series failed or the notebooks could not be found."""


def series_notebooks(folder: Path | None = None) -> list[Path]:
    """Return the step notebooks (``00_start_here.ipynb`` …) in order.

    Raises:
        SeriesError: when there is no notebooks folder (an installed wheel
            without the source checkout).
    """
    if folder is None:
        top = repo_dir()
        if top is None:
            raise SeriesError.of("series_notebooks_not_found")
        folder = top / "notebooks"
    found = sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise SeriesError.of("no_step_notebooks", folder=folder)
    return found


def step_pages(folder: Path | None = None) -> dict[int, str]:
    """Return each step's number and its page's file name, to link to a step from another page.

    >>> step_pages()[6]
    '06_risk_and_conflict.ipynb'
    """
    return {int(path.name[:2]): path.name for path in series_notebooks(folder)}


def select_steps(paths: list[Path], only: list[str]) -> list[Path]:
    """Keep the steps named in ``only``, in series order; an empty ``only`` keeps them all.

    A step is named by the start of its file name: ``06``, ``06_risk`` and
    ``06_risk_and_conflict`` all name ``06_risk_and_conflict.ipynb``.

    >>> steps = [Path("00_start_here.ipynb"), Path("06_risk_and_conflict.ipynb")]
    >>> [p.name for p in select_steps(steps, ["06_risk"])]
    ['06_risk_and_conflict.ipynb']

    Raises:
        SeriesError: a name matches no step.
    """
    if not only:
        return list(paths)
    unknown = [name for name in only if not any(p.stem.startswith(name) for p in paths)]
    if unknown:
        raise SeriesError.of("no_such_step", steps=[repr(name) for name in unknown], choices=[p.stem for p in paths])
    return [p for p in paths if any(p.stem.startswith(name) for name in only)]


def run_folder(workspace: WorkspaceTarget, plan: str) -> Path:
    """Return where ``partnerlib run`` writes a plan's executed notebooks by default.

    A ``runs`` folder next to the workspace file (or in ``~/.partnerlib`` for a
    PostgreSQL workspace), one subfolder per plan (named from the plan's name,
    lower case, words joined by hyphens).

    >>> run_folder(Path("/home/ana/.partnerlib/workspace.sqlite"), "Riverside Community Health").as_posix()
    '/home/ana/.partnerlib/runs/riverside-community-health'
    """
    home = Path.home() / ".partnerlib" if is_database_url(workspace) else Path(workspace).expanduser().parent
    return home / "runs" / plan_slug(plan)


def notebook_title(path: Path) -> str:
    """Return a notebook's title: the first heading of its first markdown cell."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return Path(path).stem


def navigation_markdown(paths: list[Path], index: int) -> str:
    """Write the previous · contents · next line for the notebook at ``index``."""
    links = []
    if index > 0:
        links.append(f"← Previous: [{notebook_title(paths[index - 1])}]({paths[index - 1].name})")
    links.append(f"[Contents]({paths[0].name})")
    if index + 1 < len(paths):
        links.append(f"Next: [{notebook_title(paths[index + 1])}]({paths[index + 1].name}) →")
    return " · ".join(links)


def parameters_for(path: Path, given: dict[str, str]) -> dict[str, str]:
    """Return the parameters of ``given`` that the notebook's ``parameters`` cell declares.

    A step that reads no plan (the portfolio of step 13) declares no ``plan``,
    and papermill would warn "Passed unknown parameter" for each one it is given.
    """
    import papermill

    declared = papermill.inspect_notebook(str(path))
    return {name: value for name, value in given.items() if name in declared}


@contextmanager
def _workspace_env(workspace: WorkspaceTarget) -> Iterator[None]:
    """Give the kernels started inside the workspace, and the workbook's kernel (``partnerlib``)."""
    set_here = {WORKSPACE_ENV: str(workspace), "JUPYTER_PATH": jupyter_environment()["JUPYTER_PATH"]}
    before = {name: os.environ.get(name) for name in set_here}
    os.environ.update(set_here)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_series(
    *,
    workspace: WorkspaceTarget,
    plan: str,
    out_dir: Path,
    notebooks: list[Path] | None = None,
    progress: bool = True,
    on_step: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Execute every step notebook for one plan, headless, writing the executed copies.

    Each notebook runs with papermill, its ``parameters`` cell given the
    workspace and plan (those of the two it declares). The kernels run in
    ``out_dir``, so a file a step writes (the plan document of step 12) lands
    next to the executed notebooks, never in the notebooks' own folder. The run stops at the first failing step.

    Args:
        workspace: the workspace file the plan lives in.
        plan: the plan's name.
        out_dir: the folder the executed notebooks are written to (created).
        notebooks: the notebooks to run (default: the whole series).
        progress: show a progress bar on the terminal.
        on_step: called with each notebook before it runs.

    Returns:
        The executed notebooks' paths, in order.

    Raises:
        SeriesError: naming the first step that failed and the error it raised.
    """
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from tqdm import tqdm

    paths = notebooks or series_notebooks()
    workspace = resolved_workspace(workspace)  # the kernels run in out_dir
    out_dir = Path(out_dir).expanduser().resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with (
        _workspace_env(workspace),
        tqdm(paths, unit="step", disable=not progress, desc="Running the workbook") as bar,
    ):
        for path in bar:
            bar.set_postfix_str(path.stem)
            if on_step:
                on_step(path)
            target = out_dir / path.name
            try:
                papermill.execute_notebook(
                    str(path),
                    str(target),
                    parameters=parameters_for(path, {"workspace": str(workspace), "plan": plan}),
                    cwd=str(out_dir),
                    progress_bar=False,
                    request_save_on_cell_execute=False,  # written once at the end, failed or not: ~25 % faster
                    kernel_name=KERNEL_NAME,
                    language="python",
                    iopub_timeout=CELL_OUTPUT_WAIT_S,
                )
            except papermill.PapermillExecutionError as error:
                raise SeriesError.of("step_failed", step=path.stem, title=notebook_title(path), error=error.ename,
                                     reason=error.evalue, notebook=target) from None
            except (CellTimeoutError, DeadKernelError, NoSuchKernel) as error:
                raise SeriesError.of("step_could_not_run", step=path.stem, title=notebook_title(path),
                                     error=type(error).__name__, reason=str(error), notebook=target) from None
            written.append(target)
    return written
