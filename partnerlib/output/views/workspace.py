"""Views of step 0, the start: the plans a workspace holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..display import ShownTable, show_table

if TYPE_CHECKING:
    from ...io.store import Workspace

__all__ = ["show_plans"]


def show_plans(book: Workspace) -> ShownTable:
    """Show the plans in a workspace, by name: organisation, SSU, when last saved, saves made.

    A plan is created (or copied) with one revision per section; "Saves since
    created" counts the revisions after those, so a brand-new plan shows 0.

    Times are in UTC as ``2026-09-30 14:05`` (sortable, and the same for
    readers in any country).

    Args:
        book: an open workspace (``open_workspace(...)``).

    Returns:
        One row per live plan, in the workspace's order (by name).
    """
    import pandas as pd

    from ...models.plan import SECTIONS

    plans = book.plans()
    frame = pd.DataFrame(
        {
            "name": [p.name for p in plans],
            "organisation": [p.organisation for p in plans],
            "ssu_name": [p.ssu_name for p in plans],
            "updated": [p.updated.strftime("%Y-%m-%d %H:%M") for p in plans],
            "saves": pd.Series([max(p.revisions - len(SECTIONS), 0) for p in plans], dtype="int64"),
        }
    )
    return show_table(
        frame,
        columns={
            "name": "Plan",
            "organisation": "Organisation",
            "ssu_name": "Smallest strategic unit (SSU)",
            "updated": "Last saved (UTC)",
            "saves": "Saves since created",
        },
        formats={"updated": "text"},
        caption="The plans in this workspace",
    )
