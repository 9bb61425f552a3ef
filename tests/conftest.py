"""Fixtures shared by the test modules: a workspace seeded with the sample plan.

Each test gets its own (tests may change it); a module that needs something
else (a small plan, an empty workspace) defines its own fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from partnerlib import Workspace, seed_workspace


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    """The path of a workspace file holding the sample plan (closed, as a notebook or the CLI finds it)."""
    path = tmp_path / "workspace.sqlite"
    seed_workspace(path).close()
    return path


@pytest.fixture
def book(workspace_file: Path) -> Iterator[Workspace]:
    """The workspace of ``workspace_file``, open (named as the notebooks name it), closed after the test."""
    workspace = Workspace.open(workspace_file, create=False)
    yield workspace
    workspace.close()
