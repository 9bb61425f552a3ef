"""Where things live: the user's workspace (a file, or a PostgreSQL URL) and the bundled sample data.

Paths are resolved here, never relative to a notebook's folder: papermill runs
kernels in the calling directory, nbval and Jupyter in the notebook's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: Environment variable naming the workspace (a file, or a PostgreSQL URL) to use instead of the default.
WORKSPACE_ENV = "PARTNERLIB_WORKSPACE"
#: How a workspace held by a PostgreSQL server is named: ``postgresql://user@host:port/database``.
DATABASE_SCHEMES = ("postgresql://", "postgres://")
#: Name of the sample plan seeded into a new workspace.
SAMPLE_PLAN = "Riverside Community Health"

__all__ = [
    "SAMPLE_PLAN",
    "WORKSPACE_ENV",
    "data_dir",
    "default_workspace",
    "is_database_url",
    "plan_slug",
    "repo_dir",
    "resolved_workspace",
    "shown_workspace",
    "workspace_target",
]

#: A workspace as the user names it: a file, or the URL of a PostgreSQL database (a str).
WorkspaceTarget = Path | str


#: The folder of the partnerlib package (this module sits in its ``core`` layer).
_PACKAGE = Path(__file__).resolve().parents[1]


def is_database_url(target: object) -> bool:
    """Say whether a workspace is named by a PostgreSQL URL rather than a file path.

    >>> is_database_url("postgresql://ana@db.example.org/plans"), is_database_url(Path("w.sqlite"))
    (True, False)
    """
    return isinstance(target, str) and target.lower().startswith(DATABASE_SCHEMES)


def workspace_target(text: str | os.PathLike[str]) -> WorkspaceTarget:
    """Read a workspace as typed (``--workspace``, ``PARTNERLIB_WORKSPACE``).

    A URL stays as it is; anything else is a file path (``~`` expanded).

    >>> workspace_target("postgresql://ana@db/plans"), workspace_target("plans.sqlite")
    ('postgresql://ana@db/plans', PosixPath('plans.sqlite'))
    """
    if is_database_url(text):
        return str(text)
    return Path(text).expanduser()


def resolved_workspace(target: WorkspaceTarget | os.PathLike[str]) -> WorkspaceTarget:
    """Return a workspace as another process in another folder finds it: a file's absolute path, or the URL."""
    if is_database_url(target):
        return str(target)
    return Path(target).expanduser().resolve()


def shown_workspace(target: WorkspaceTarget) -> str:
    """Name a workspace for people: a file's path, or a URL without its password.

    >>> shown_workspace("postgresql://ana:s3cret@db.example.org:5432/plans?sslmode=require")
    'postgresql://ana@db.example.org:5432/plans?sslmode=require'
    """
    if not is_database_url(target):
        return str(target)
    parts = urlsplit(str(target))
    host = parts.netloc.rpartition("@")[2]
    user = parts.username
    query = "&".join(p for p in parts.query.split("&") if not p.lower().startswith("password="))
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host, query=query))


def default_workspace() -> WorkspaceTarget:
    """Return the workspace: ``$PARTNERLIB_WORKSPACE`` or ``~/.partnerlib/workspace.sqlite``."""
    chosen = os.environ.get(WORKSPACE_ENV)
    if chosen:
        return workspace_target(chosen)
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
