"""Test-run settings that pyproject.toml cannot express on its own.

``addopts`` switches on doctests and nbval for every path; this keeps each to
its own folder, so a plain ``pytest`` runs exactly:

* doctests of the modules in ``partnerlib/`` (test modules are not imported a
  second time to look for doctests);
* the tests in ``tests/``;
* strict nbval on ``notebooks/*.ipynb`` (a notebook elsewhere, e.g. a test
  fixture, is never run as a test).

It also finds the sanitize file from any working directory, gives notebook
cells more than nbval's hard-coded 5 s to produce output, and points every
test and notebook kernel at a fresh workspace seeded from the sample plan, so
a test run never reads or changes the user's own workspace and the notebooks
show exactly the outputs committed with them.
"""

import os
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest

_SCRATCH = pytest.StashKey[Path]()

#: Seconds a notebook cell may take before nbval gives up waiting for its output.
NOTEBOOK_OUTPUT_TIMEOUT = 120

#: Collector class -> the folder (under the root) where it may collect.
COLLECT_ONLY_UNDER = {"DoctestModule": "partnerlib", "IPyNbFile": "notebooks"}


def pytest_configure(config: pytest.Config) -> None:
    """Seed the test workspace and resolve the sanitize file against the repository root.

    The workspace path goes into ``PARTNERLIB_WORKSPACE`` before any kernel
    starts, so nbval's kernels (which inherit the environment) open it too.
    """
    from partnerlib.core.paths import WORKSPACE_ENV
    from partnerlib.io.sample import seed_workspace

    scratch = Path(tempfile.mkdtemp(prefix="partnerlib-tests-"))
    config.stash[_SCRATCH] = scratch
    seed_workspace(scratch / "workspace.sqlite").close()
    os.environ[WORKSPACE_ENV] = str(scratch / "workspace.sqlite")
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute() and not Path(sanitize).exists():
        config.option.nbval_sanitize_with = str(config.rootpath / sanitize)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(
    file_path: Path, parent: pytest.Collector
) -> Generator[None, list[pytest.Collector], list[pytest.Collector]]:
    """Drop doctest collectors outside ``partnerlib/`` and nbval ones outside ``notebooks/``."""
    collectors = yield
    root = parent.config.rootpath

    def allowed(collector: pytest.Collector) -> bool:
        folder = COLLECT_ONLY_UNDER.get(type(collector).__name__)
        return folder is None or (root / folder) in file_path.parents

    return [collector for collector in collectors if allowed(collector)]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the test workspace."""
    scratch = config.stash.get(_SCRATCH, None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give notebook cells time for real work (nbval waits only 5 s by default); mark them slow.

    Every notebook cell runs in a kernel, so ``pytest -m "not slow"`` leaves
    the notebooks out (this runs first, before ``-m`` deselects).
    """
    for item in items:
        if hasattr(item, "output_timeout"):
            item.output_timeout = NOTEBOOK_OUTPUT_TIMEOUT
            item.add_marker(pytest.mark.slow)
