"""Views every step shares: what is still missing."""

from __future__ import annotations

from ..display import ShownTable, show_table
from ..models import Plan
from ..tables import missing_table

__all__ = ["show_missing"]


def view_title(name: str) -> str:
    """Name a view's result in words, from the view's name: ``show_risk_register`` → ``Risk register``.

    For a result with no caption or title of its own (a chart without a title, a
    view that cannot be drawn yet). Not a view itself, so not in ``__all__``.

    >>> view_title("show_risk_register"), view_title("_show_raci")
    ('Risk register', 'Raci')
    """
    return name.removeprefix("_").removeprefix("show_").replace("_", " ").capitalize()


def show_missing(plan: Plan, section: str | None = None) -> ShownTable:
    """Show what the plan (or one section of it) still lacks, in words."""
    frame = missing_table(plan, section)
    columns = {"missing": "What is missing"}
    if section is None:
        columns = {"section": "Step", **columns}
    return show_table(frame, columns=columns, caption="Still missing", empty="Nothing is missing here.")
