"""What the notebooks open: the user's workspace, seeded with the sample plan on first use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .paths import default_workspace

if TYPE_CHECKING:
    from .store import Workspace

__all__ = ["open_workspace"]


def open_workspace(path: str | Path | None = None) -> Workspace:
    """Open the workspace a notebook works on, creating it from the sample plan if it is new.

    Args:
        path: the workspace file; None means the user's own (``$PARTNERLIB_WORKSPACE``
            or ``~/.partnerlib/workspace.sqlite``).

    Returns:
        The open workspace. A new or empty workspace gets the sample plan, so
        every notebook has something to show on first use.
    """
    from .sample import seed_workspace
    from .store import Workspace

    target = Path(path).expanduser() if path else default_workspace()
    if target.exists():
        workspace = Workspace.open(target, create=False)
        if workspace.plans(include_deleted=True):
            return workspace
        workspace.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    return seed_workspace(target)
