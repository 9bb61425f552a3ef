"""Refresh the committed notebooks: navigation links, tidy metadata, outputs from the sample plan.

Run it after changing a notebook or anything a notebook shows:

    .venv/bin/python tools/build_notebooks.py            # every notebook
    .venv/bin/python tools/build_notebooks.py 06_risk    # only the ones whose name contains 06_risk
    .venv/bin/python tools/build_notebooks.py --nav-only # links and metadata, no execution

Each notebook is executed top to bottom with no input (as nbval does) in a
fresh workspace seeded from the sample plan, in the notebooks' folder, and
saved with its outputs so strict nbval compares something real. Widget state
is not saved (it is large); cell ids and the widget ids in the outputs are
derived from the notebook's name, and the sample plan is dated when it was
written, so a rebuild that changes nothing shown changes nothing in the files.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from partnerlib.app.kernel import (
    CELL_OUTPUT_WAIT_S,
    KERNEL_NAME,
    jupyter_environment,
    notebook_kernelspec,
)
from partnerlib.app.series import NAVIGATION_TAG, navigation_markdown, series_notebooks
from partnerlib.core.paths import WORKSPACE_ENV
from partnerlib.io.sample import seed_workspace

#: Seconds one cell may run while building.
CELL_TIMEOUT = 300


def _tidy(notebook: nbformat.NotebookNode, stem: str, navigation: str) -> None:
    """Write the navigation cell, stable cell ids and minimal metadata."""
    cells = [c for c in notebook.cells if NAVIGATION_TAG not in c.get("metadata", {}).get("tags", [])]
    nav = nbformat.v4.new_markdown_cell("---\n" + navigation)
    nav.metadata["tags"] = [NAVIGATION_TAG]
    notebook.cells = [*cells, nav]
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"{stem[:40]}-{number:02d}"
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = notebook_kernelspec()
    notebook.metadata["language_info"] = {"name": "python"}


def _stable_widget_ids(notebook: nbformat.NotebookNode, stem: str) -> None:
    """Replace the widgets' random ids in the outputs with ids made from the notebook's name and their order."""
    stable: dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view is not None:
                made = uuid.uuid5(uuid.NAMESPACE_URL, f"partnerlib/notebooks/{stem}/{len(stable)}").hex
                view["model_id"] = stable.setdefault(view["model_id"], made)


def build(paths: list[Path], all_paths: list[Path], *, execute: bool) -> None:
    """Tidy, and unless told not to, execute and save each notebook in ``paths``."""
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Path(scratch) / "workspace.sqlite"
        if execute:
            seed_workspace(workspace).close()
            os.environ[WORKSPACE_ENV] = str(workspace)
            os.environ["JUPYTER_PATH"] = jupyter_environment()["JUPYTER_PATH"]
        for path in paths:
            notebook = nbformat.read(path, as_version=4)
            _tidy(notebook, path.stem, navigation_markdown(all_paths, all_paths.index(path)))
            if execute:
                print(f"executing {path.name}", flush=True)
                NotebookClient(
                    notebook,
                    timeout=CELL_TIMEOUT,
                    iopub_timeout=CELL_OUTPUT_WAIT_S,  # nbclient's 4 s drops a form's result on a busy machine
                    kernel_name=KERNEL_NAME,
                    resources={"metadata": {"path": str(path.parent)}},
                ).execute()
                notebook.metadata.pop("widgets", None)
                _stable_widget_ids(notebook, path.stem)
                for cell in notebook.cells:
                    cell.metadata.pop("execution", None)
            nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    """Build the notebooks named on the command line (default: all)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="parts of notebook names to build (default: all)")
    parser.add_argument("--nav-only", action="store_true", help="only links and metadata, no execution")
    args = parser.parse_args(argv)
    all_paths = series_notebooks()
    chosen = [p for p in all_paths if not args.names or any(n in p.name for n in args.names)]
    if not chosen:
        print(f"No notebook matches {args.names}", file=sys.stderr)
        return 1
    build(chosen, all_paths, execute=not args.nav_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
