"""The workbook's own kernel and Jupyter files, for every way the notebooks run.

``run``, ``present`` and ``lab`` start the notebooks' kernels from the kernel
named ``partnerlib`` (:data:`KERNEL_NAME`), not ``python3``: a user-level
``python3`` kernel of another Python (an old install, another project's
environment) would otherwise take its place and break the workbook. Its
kernel spec, and the Voilà template of the workshop pages, live in this
package's ``jupyter_data`` folder, which the commands put first on
``JUPYTER_PATH``. The kernel spec names ``python``, which Jupyter replaces with
the Python running the server: the workbook's own environment. Its kernels log
errors only (no "running over TCP without encryption" line on the terminal),
and load no pydantic plugins: looking for them reads the entry points of every
installed package, 20-40 ms of each step's kernel, for plugins (such as
logfire's) the workbook does not use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["CELL_OUTPUT_WAIT_S", "JUPYTER_DATA", "KERNEL_NAME", "jupyter_environment", "notebook_kernelspec"]

#: The name of the workbook's kernel, in every notebook's metadata and every command.
KERNEL_NAME = "partnerlib"
#: Seconds Voilà, ``partnerlib run`` and the notebook build wait for a cell's last outputs once
#: the kernel has answered that the cell ran (the wait ends as soon as the kernel says it is idle).
#: A form's cell sends a few hundred widget messages before its result; their executor (nbclient)
#: waits 4 s by default, and on a busy machine gave up before the result came: Voilà drew the page
#: without its form (steps 3, 4, 8, 9 now and then at load 10-15), with only a warning.
CELL_OUTPUT_WAIT_S = 120
#: Jupyter data files the commands add: kernels/partnerlib and voila/templates/partnerlib.
JUPYTER_DATA = Path(__file__).with_name("jupyter_data")


def jupyter_environment(environment: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return ``environment`` (default: this process's) with the workbook's Jupyter data first.

    >>> jupyter_environment({"JUPYTER_PATH": "/opt/jupyter"})["JUPYTER_PATH"].split(os.pathsep)[1]
    '/opt/jupyter'

    Args:
        environment: the variables to start from.

    Returns:
        A copy with :data:`JUPYTER_DATA` first on ``JUPYTER_PATH``, so the ``partnerlib``
        kernel and the workshop template are found before anything of the same name the
        user has.
    """
    base = dict(os.environ if environment is None else environment)
    base["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), base.get("JUPYTER_PATH")]))
    return base


def notebook_kernelspec() -> dict[str, str]:
    """Return the ``kernelspec`` a workbook notebook's metadata carries: the ``partnerlib`` kernel.

    >>> notebook_kernelspec()["name"]
    'partnerlib'
    """
    spec = json.loads((JUPYTER_DATA / "kernels" / KERNEL_NAME / "kernel.json").read_text(encoding="utf-8"))
    return {"display_name": spec["display_name"], "language": spec["language"], "name": KERNEL_NAME}
