"""Test-run settings that pyproject.toml cannot express on its own.

``addopts`` switches on doctests and nbval for every path; this keeps each to
its own folder, so a plain ``pytest`` runs exactly:

* doctests of the modules in ``partnerlib/`` (test modules are not imported a
  second time to look for doctests);
* the tests in ``tests/``;
* strict nbval on ``notebooks/*.ipynb`` (a notebook elsewhere, e.g. a test
  fixture, is never run as a test).

It also finds the sanitize file from any working directory and gives notebook
cells more than nbval's hard-coded 5 s to produce output.
"""

from collections.abc import Generator
from pathlib import Path

import pytest

#: Seconds a notebook cell may take before nbval gives up waiting for its output.
NOTEBOOK_OUTPUT_TIMEOUT = 120

#: Collector class -> the folder (under the root) where it may collect.
COLLECT_ONLY_UNDER = {"DoctestModule": "partnerlib", "IPyNbFile": "notebooks"}


def pytest_configure(config: pytest.Config) -> None:
    """Resolve a relative ``--nbval-sanitize-with`` path against the repository root."""
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give notebook cells time for real work (nbval waits only 5 s by default)."""
    for item in items:
        if hasattr(item, "output_timeout"):
            item.output_timeout = NOTEBOOK_OUTPUT_TIMEOUT
