"""Step 2 — internal alignment: team leaders, team members, peer departments, check-ins."""

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ._base import (
    CADENCE_DAYS,
    CANDIDATES,
    Gap,
    Name,
    OptionalDate,
    Record,
    RecordId,
    RefersTo,
    RequiredName,
    Section,
    Text,
    check_unique_ids,
    new_id,
    row_gaps,
)

Cadence = Literal[tuple(CADENCE_DAYS)]  # type: ignore[valid-type]


class TeamConversation(Record):
    """A conversation to hold with a team leader, and the points to discuss."""

    leader: RequiredName = Field("New leader", description="The team leader to talk to.")
    team: Name = Field("", description="The team they lead.")
    points: Text = Field("", description="The points to discuss with them.")
    held_on: OptionalDate = Field(None, description="When the conversation took place.")


class TeamMember(Record):
    """What the partnership model looks like for one team member, and their coaching needs."""

    name: RequiredName = Field("New team member", description="The team member.")
    role: Name = Field("", description="Their role in the SSU.")
    model_in_practice: Text = Field(
        "", description="What the partnership model looks like in their daily work."
    )
    coaching_needs: Text = Field("", description="Where they need coaching.")


class Peer(Record):
    """A peer department inside the organisation, and how the partnership relates to it."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this peer.")
    name: RequiredName = Field(
        "New department", description="The department (membership, certification, chapters …)."
    )
    contact: Name = Field("", description="The person we talk to there.")
    goals: Text = Field("", description="Their current goals.")
    challenges: Text = Field("", description="Their current challenges.")
    how_we_help: Text = Field("", description="How the partnership can help them.")
    what_we_ask: Text = Field("", description="What we can ask of them.")
    cadence: Cadence = Field("quarterly", description="How often we check in with them.")  # type: ignore[valid-type]


class CheckIn(Record):
    """One check-in held with a peer department or a partner."""

    relationship: Annotated[RecordId, RefersTo("peers", CANDIDATES, what="a peer or partner")] = Field(
        ..., description="The id of the peer department or partner we checked in with."
    )
    date: dt.date = Field(..., description="When the check-in took place.")
    by: Name = Field("", description="Who held it.")
    notes: Text = Field("", description="What was said and agreed.")


class Alignment(Section):
    """Step 2: the people inside our own organisation the partnership depends on."""

    step = 2
    title = "Internal alignment"

    conversations: list[TeamConversation] = Field(
        default_factory=list, description="Team leaders to talk to and the points to discuss."
    )
    team_members: list[TeamMember] = Field(
        default_factory=list, description="The model for each team member and their coaching."
    )
    peers: list[Peer] = Field(default_factory=list, description="Peer departments.")
    checkins: list[CheckIn] = Field(
        default_factory=list, description="The log of check-ins with peers and partners."
    )

    @model_validator(mode="after")
    def _unique_peers(self) -> Self:
        check_unique_ids(self.peers, "peers")
        return self

    def gaps(self) -> list[Gap]:
        """List peers with no contact and team members with no coaching plan."""
        found = []
        if not self.peers:
            found.append(Gap("peers", "gap_no_peers"))
        found += row_gaps(self.peers, "peers", ("contact", "gap_no_contact"))
        found += row_gaps(
            self.conversations, "conversations", ("points", "gap_no_points")
        )
        return found
