"""Views of step 1, goals."""

from __future__ import annotations

from ...analyses.tables import records_table
from ...models import Objective, Plan
from ..display import ShownTable, show_table

__all__ = ["show_objectives"]


def show_objectives(plan: Plan) -> ShownTable:
    """Show the internal objectives with owner, due date, measure and status, soonest due first."""
    frame = records_table(plan.goals.objectives, Objective).sort_values("due", na_position="last", kind="stable")
    return show_table(
        frame,
        columns={"title": "Objective", "owner": "Owner", "due": "Due", "measure": "Measure", "status": "Status"},
        formats={"due": "date"},
        caption="Internal objectives",
    )
