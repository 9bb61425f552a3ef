"""Where things live: the user's workspace file and the bundled sample data.

Paths are resolved here, never relative to a notebook's folder: papermill runs
kernels in the calling directory, nbval and Jupyter in the notebook's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Environment variable naming the workspace file to use instead of the default.
WORKSPACE_ENV = "PARTNERLIB_WORKSPACE"
#: Name of the sample plan seeded into a new workspace.
SAMPLE_PLAN = "Riverside Community Health"

__all__ = ["SAMPLE_PLAN", "WORKSPACE_ENV", "data_dir", "default_workspace", "plan_slug", "repo_dir"]


#: The folder of the partnerlib package (this module sits in its ``core`` layer).
_PACKAGE = Path(__file__).resolve().parents[1]


def default_workspace() -> Path:
    """Return the workspace file: ``$PARTNERLIB_WORKSPACE`` or ``~/.partnerlib/workspace.sqlite``."""
    chosen = os.environ.get(WORKSPACE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path.home() / ".partnerlib" / "workspace.sqlite"


def data_dir() -> Path:
    """Return the folder holding the sample plan and sample spreadsheets.

    An installed wheel carries them as ``partnerlib/_data``; a source checkout
    keeps them in the repository's top-level ``data/`` folder.
    """
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _PACKAGE.parent / "data"


def repo_dir() -> Path | None:
    """Return the source checkout holding ``notebooks/``, or None for an installed wheel."""
    top = _PACKAGE.parent
    return top if (top / "notebooks").is_dir() else None


def plan_slug(plan: str) -> str:
    """Return a plan's name as a file or folder name: lower case, words joined by hyphens.

    >>> plan_slug("Riverside Community Health")
    'riverside-community-health'
    >>> plan_slug("  ")
    'plan'
    """
    return re.sub(r"[\W_]+", "-", plan.lower()).strip("-") or "plan"
