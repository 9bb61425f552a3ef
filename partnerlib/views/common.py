"""Views every step shares: what is still missing."""

from __future__ import annotations

from ..display import ShownTable, show_table
from ..models import Plan
from ..tables import missing_table

__all__ = ["show_missing"]


def show_missing(plan: Plan, section: str | None = None) -> ShownTable:
    """Show what the plan (or one section of it) still lacks, in words."""
    frame = missing_table(plan, section)
    columns = {"missing": "What is missing"}
    if section is None:
        columns = {"section": "Step", **columns}
    return show_table(frame, columns=columns, caption="Still missing", empty="Nothing is missing here.")
