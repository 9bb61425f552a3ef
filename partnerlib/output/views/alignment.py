"""Views of step 2, internal alignment: peers, check-ins, the contact calendar, the team."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...analyses.checkins import checkin_schedule, contact_calendar
from ...analyses.tables import records_table
from ...core.formats import plural
from ...models import (
    CheckIn,
    Peer,
    Plan,
    TeamConversation,
    TeamMember,
)
from ..display import ShownTable, show_table
from .common import per_section

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "show_checkin_log",
    "show_checkin_schedule",
    "show_contact_calendar",
    "show_conversations",
    "show_peers",
    "show_team_members",
]


def _relationship_names(plan: Plan) -> dict[str, str]:
    """Peer departments and candidates by id → name (what a check-in can be held with)."""
    return {c.id: c.name for c in plan.partners.candidates} | {p.id: p.name for p in plan.alignment.peers}


def show_peers(plan: Plan) -> ShownTable:
    """Show the peer departments, what they are after, how we help and what we ask, by name.

    >>> from partnerlib.io.sample import load_sample
    >>> show_peers(load_sample()).frame["Department"].tolist()[:2]
    ['Finance and grants', 'Local chapters and churches']
    """
    frame = records_table(plan.alignment.peers, Peer)
    frame = frame.sort_values("name", key=lambda names: names.str.casefold(), kind="stable")
    return show_table(
        frame,
        columns={
            "name": "Department",
            "contact": "Contact",
            "goals": "Their goals",
            "challenges": "Their challenges",
            "how_we_help": "How the partnership helps them",
            "what_we_ask": "What we ask of them",
            "cadence": "Check in",
        },
        caption="Peer departments",
    )


def _in_words(days_until: int) -> str:
    """Say when a check-in falls: "3 days overdue", "due today", "in 14 days"."""
    if days_until < 0:
        return f"{plural(-days_until, 'day')} overdue"
    if days_until == 0:
        return "due today"
    return f"in {plural(days_until, 'day')}"


@per_section("alignment", "partners")
def _schedule(plan: Plan, as_of: dt.date) -> pd.DataFrame:
    """Every relationship (peer departments and selected partners) with its last and next check-in."""
    return checkin_schedule(plan, as_of=as_of)


def show_checkin_schedule(plan: Plan, *, as_of: dt.date) -> ShownTable:
    """Show every peer department and selected partner with its last and next check-in, most overdue first.

    A relationship never checked in is due on ``as_of``. The *When* column says
    how many days late or ahead the next check-in is, counted from ``as_of``.

    >>> from partnerlib.io.sample import load_sample
    >>> plan = load_sample()
    >>> shown = show_checkin_schedule(plan, as_of=plan.info.as_of)
    >>> shown.frame.iloc[0][["With", "When"]].tolist()
    ['Quality and certification', '82 days overdue']
    """
    schedule = _schedule(plan, as_of)
    schedule["when"] = schedule["days_until"].map(_in_words)
    return show_table(
        schedule,
        columns={
            "name": "With",
            "kind": "Kind",
            "contact": "Contact",
            "cadence": "Cadence",
            "last_checkin": "Last check-in",
            "next_due": "Next due",
            "when": "When",
            "status": "Status",
            "note": "Note",
        },
        formats={"last_checkin": "date", "next_due": "date"},
        status=("status",),
        caption=f"Check-ins as of {as_of.day} {as_of:%b %Y}",
    )


def show_contact_calendar(plan: Plan, *, as_of: dt.date, months: int = 3) -> ShownTable:
    """Show the coming check-ins over the next ``months`` months, by date.

    An overdue relationship appears first, on ``as_of`` (catch up now).

    >>> from partnerlib.io.sample import load_sample
    >>> plan = load_sample()
    >>> show_contact_calendar(plan, as_of=plan.info.as_of, months=1).frame["Date"].tolist()[:3]
    ['30 Sep 2026', '30 Sep 2026', '30 Sep 2026']
    """
    schedule = _schedule(plan, as_of)
    calendar = contact_calendar(schedule, as_of=as_of, months=months)
    return show_table(
        calendar,
        columns={"date": "Date", "name": "Check in with", "kind": "Kind", "cadence": "Cadence"},
        formats={"date": "date"},
        caption=f"Contact calendar for the next {plural(months, 'month')}",
    )


def show_checkin_log(plan: Plan) -> ShownTable:
    """Show the check-ins held, newest first, naming whom each was with.

    >>> from partnerlib.io.sample import load_sample
    >>> show_checkin_log(load_sample()).frame.iloc[0][["Date", "With"]].tolist()
    ['25 Sep 2026', 'Riverbend Health Centre']
    """
    frame = records_table(plan.alignment.checkins, CheckIn)
    names = _relationship_names(plan)
    frame["with"] = frame["relationship"].map(names).fillna(frame["relationship"])
    frame = frame.sort_values(["date", "with"], ascending=[False, True], kind="stable")
    return show_table(
        frame,
        columns={"date": "Date", "with": "With", "by": "Held by", "notes": "Notes"},
        formats={"date": "date"},
        caption="Check-ins held",
    )


def show_team_members(plan: Plan) -> ShownTable:
    """Show each team member's role, the partnership model in their work and their coaching needs, by name.

    >>> from partnerlib.io.sample import load_sample
    >>> show_team_members(load_sample()).frame["Coaching needs"].tolist()[0]
    'none named yet'
    """
    frame = records_table(plan.alignment.team_members, TeamMember)
    frame["coaching_needs"] = frame["coaching_needs"].fillna("").replace("", "none named yet")
    frame = frame.sort_values("name", key=lambda names: names.str.casefold(), kind="stable")
    return show_table(
        frame,
        columns={
            "name": "Team member",
            "role": "Role",
            "model_in_practice": "The model in their work",
            "coaching_needs": "Coaching needs",
        },
        caption="Team members and coaching",
    )


def show_conversations(plan: Plan) -> ShownTable:
    """Show the conversations with team leaders: those not yet held first, then by date.

    >>> from partnerlib.io.sample import load_sample
    >>> show_conversations(load_sample()).frame.iloc[0][["Team leader", "Held on"]].tolist()
    ['Priya Raman', 'not yet']
    """
    frame = records_table(plan.alignment.conversations, TeamConversation)
    frame = frame.sort_values("held_on", na_position="first", kind="stable")
    shown = show_table(
        frame,
        columns={"leader": "Team leader", "team": "Team", "points": "Points to discuss", "held_on": "Held on"},
        formats={"held_on": "date"},
        caption="Conversations with team leaders",
    )
    shown.frame["Held on"] = shown.frame["Held on"].replace("", "not yet")
    return shown
