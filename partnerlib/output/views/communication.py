"""Views of step 9, the communication plan: messages, who talks to whom, the calendar, its gaps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from ...analyses.tables import records_table
from ...core.formats import plural
from ...models import Line, Message, Plan
from ...models.communication import AUDIENCE_KINDS
from ..display import ShownTable, format_date, show_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "show_calendar_gaps",
    "show_channel_mix",
    "show_communication_calendar",
    "show_communication_calendar_chart",
    "show_communication_lines",
    "show_core_messages",
    "show_testimonials",
]


def show_core_messages(plan: Plan) -> ShownTable:
    """Show the core messages, the one for everyone first, then per audience."""
    table = records_table(plan.communication.messages, Message)
    table = table.assign(general=table["audience"].ne("")).sort_values(
        ["general", "audience"], kind="stable"
    )
    table["audience"] = table["audience"].where(table["audience"].ne(""), "Everyone")
    return show_table(
        table, columns={"audience": "For", "message": "Message"}, caption="Core messages"
    )


def show_communication_lines(plan: Plan) -> ShownTable:
    """Show who talks to whom, how often and on which channel, grouped by kind of audience."""
    table = records_table(plan.communication.lines, Line)
    table["kind_order"] = table["audience_kind"].map({k: n for n, k in enumerate(AUDIENCE_KINDS)})
    table = table.sort_values(["kind_order", "audience"], kind="stable")
    return show_table(
        table,
        columns={
            "audience": "With whom",
            "audience_kind": "Kind",
            "owner": "Who talks",
            "channel": "Channel",
            "frequency": "How often",
            "purpose": "What for",
        },
        caption="Who communicates with whom",
    )


def show_communication_calendar(
    plan: Plan, *, as_of: dt.date, upcoming_only: bool = False
) -> ShownTable:
    """Show the calendar by date, each item marked past, upcoming or cancelled on ``as_of``."""
    from ...analyses.communication import communication_calendar

    calendar = communication_calendar(plan.communication, as_of=as_of)
    if upcoming_only:
        calendar = calendar[calendar["timing"].eq("upcoming")]
    return show_table(
        calendar,
        columns={
            "date": "Date",
            "title": "What",
            "channel": "Channel",
            "audience": "For",
            "owner": "Who prepares it",
            "status": "Status",
            "timing": f"On {format_date(as_of)}",
        },
        caption="Communication calendar" + (" (upcoming)" if upcoming_only else ""),
    )


def show_calendar_gaps(plan: Plan, *, start: dt.date, quarters: int = 4) -> ShownTable:
    """Show how many items each audience has planned per quarter, and the quarters with nothing.

    >>> import datetime as dt
    >>> from partnerlib import load_sample
    >>> table = show_calendar_gaps(load_sample(), start=dt.date(2026, 9, 30)).frame
    >>> table.loc[table["Audience"] == "Major donors", "Nothing planned in"].tolist()
    ['2027 Q1']
    """
    from ...analyses.communication import calendar_gaps

    result = calendar_gaps(plan.communication, start=start, quarters=quarters)
    table = result.table.copy()
    labels = list(table.columns[2:])
    table["gaps"] = [
        ", ".join(label for label, n in zip(labels, row, strict=True) if n == 0) or "none"
        for row in table[labels].to_numpy()
    ]
    return show_table(
        table,
        columns={
            "audience": "Audience",
            "audience_kind": "Kind",
            **{q: q for q in labels},
            "gaps": "Nothing planned in",
        },
        formats=dict.fromkeys(labels, "number"),
        caption=f"Items planned per quarter from {format_date(start)}: {plural(len(result.gaps), 'gap')}",
    )


def show_channel_mix(plan: Plan, *, of: Literal["calendar", "lines"] = "calendar") -> ShownTable:
    """Show how many items (or lines) use each channel, per kind of audience, most used first."""
    from ...analyses.communication import channel_mix

    mix = channel_mix(plan.communication, of=of).sort_values(
        "total", ascending=False, kind="stable"
    )
    what = "calendar items (cancelled left out)" if of == "calendar" else "communication lines"
    return show_table(
        mix,
        columns={
            "channel": "Channel",
            **{k: k.capitalize() for k in AUDIENCE_KINDS},
            "total": "Total",
        },
        caption=f"Channel mix: {what} per channel and kind of audience",
    )


def show_testimonials(plan: Plan) -> ShownTable:
    """Show the testimonials and whether we may use each in public, newest first."""
    # Imported here: at module level pytest would take a Test… name for a test class.
    from ...models import Testimonial

    table = records_table(plan.communication.testimonials, Testimonial)
    table = table.sort_values("date", ascending=False, na_position="last", kind="stable")
    return show_table(
        table,
        columns={
            "giver": "Who",
            "text": "What they said",
            "date": "When",
            "permission": "May we use it",
        },
        caption="Testimonials",
    )


def show_communication_calendar_chart(plan: Plan, *, as_of: dt.date) -> Figure:
    """Draw the calendar as a timeline, one row per audience, with a line on ``as_of``."""
    from ...analyses.communication import communication_calendar
    from ...output.charts.communication import plot_communication_calendar

    calendar = communication_calendar(plan.communication, as_of=as_of)
    return plot_communication_calendar(calendar, as_of=as_of)
