"""The workbook's own kernel: every command runs the notebooks in it, whatever else is installed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from partnerlib import open_workspace, run_series
from partnerlib.app.kernel import JUPYTER_DATA, KERNEL_NAME, notebook_kernelspec
from partnerlib.app.series import series_notebooks


@pytest.fixture
def someone_elses_python3(tmp_path, monkeypatch) -> Path:
    """A user-level kernel named python3, of another Python that cannot run the workbook, first on JUPYTER_PATH."""
    kernels = tmp_path / "user-jupyter"
    spec = kernels / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps({
            "argv": ["/nonexistent/other-python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (another one)",
            "language": "python",
        }),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(kernels))
    return kernels


def test_a_run_uses_the_workbooks_kernel_not_the_users_python3(someone_elses_python3, tmp_path):
    step = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("workspace = None\nplan = None")
    parameters.metadata["tags"] = ["parameters"]
    step.cells = [parameters, nbformat.v4.new_code_cell(
        "import os, sys\nprint(sys.executable, os.environ.get('PYDANTIC_DISABLE_PLUGINS'))"
    )]
    step.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "01_step.ipynb"
    nbformat.write(step, path)
    workspace = tmp_path / "ws.sqlite"
    open_workspace(workspace).close()
    written = run_series(workspace=workspace, plan="x", out_dir=tmp_path / "out", notebooks=[path], progress=False)
    printed = nbformat.read(written[0], as_version=4).cells[-1].outputs[0]["text"].strip()
    # Its kernels look for no pydantic plugins (a read of every installed package's entry points).
    assert printed == f"{sys.executable} __all__"


def test_the_kernel_spec_runs_the_python_of_the_server():
    # Jupyter replaces "python" with the Python that runs it: the workbook's environment.
    spec = json.loads((JUPYTER_DATA / "kernels" / KERNEL_NAME / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][:3] == ["python", "-m", "ipykernel_launcher"]


@pytest.mark.parametrize("notebook", series_notebooks(), ids=lambda p: p.stem)
def test_every_notebook_names_the_workbooks_kernel(notebook):
    assert nbformat.read(notebook, as_version=4).metadata["kernelspec"] == notebook_kernelspec()
