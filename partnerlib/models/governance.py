"""Step 5 — roles and governance: the groups, who sits in them, and who does what (RACI)."""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ._base import (
    PARTIES,
    Gap,
    Name,
    Record,
    RecordId,
    Ref,
    RefersTo,
    RequiredName,
    Section,
    Text,
    check_unique,
    check_unique_ids,
    new_id,
)

GROUP_KINDS = ("strategic", "project", "implementing")
RACI = ("R", "A", "C", "I")
RACI_WORDS = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}


class Group(Record):
    """A governance group: strategic (one representative per partner), project or implementing."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this group.")
    kind: Literal[GROUP_KINDS] = Field("project", description="Which of the three groups it is.")  # type: ignore[valid-type]
    name: RequiredName = Field("New group", description="What the group is called.")
    purpose: Text = Field("", description="What the group decides or does.")
    reports_to: Annotated[Ref, RefersTo("groups", what="a group")] = Field(
        "", description="The id of the group it reports to, if any."
    )
    meets: Name = Field("", description="How often it meets (e.g. quarterly).")


class Member(Record):
    """A person sitting in a group on behalf of a party."""

    group: Annotated[RecordId, RefersTo("groups", what="a group")] = Field(
        ..., description="The group's id."
    )
    person: RequiredName = Field("New member", description="The person's name.")
    party: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner they represent ('us' for our own organisation)."
    )
    role: Literal["representative", "chair", "project manager", "member"] = Field(
        "member", description="Their role in the group."
    )
    person_id: Ref = Field("", description="The id of this person in the register, if there is one.")


class PartnerRole(Record):
    """What one partner does in the partnership, in a sentence."""

    party: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner ('us' for our own organisation)."
    )
    role: Text = Field("", description="What this partner does.")


class Activity(Record):
    """An activity of the partnership that someone must do and someone must answer for."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this activity.")
    name: RequiredName = Field("New activity", description="The activity.")


class Assignment(Record):
    """One cell of the responsibility matrix: a party's role in an activity."""

    activity: Annotated[RecordId, RefersTo("activities", what="an activity")] = Field(
        ..., description="The activity's id."
    )
    party: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner ('us' for our own organisation)."
    )
    role: Literal[RACI] = Field(  # type: ignore[valid-type]
        "R", description="R responsible, A accountable, C consulted, I informed."
    )


class Governance(Section):
    """Step 5: who decides, who manages and who does the work, and for which activity."""

    step = 5
    title = "Roles and governance"

    roles: list[PartnerRole] = Field(default_factory=list, description="Which partner does what.")
    groups: list[Group] = Field(default_factory=list, description="The governance groups.")
    members: list[Member] = Field(default_factory=list, description="Who sits in each group.")
    activities: list[Activity] = Field(default_factory=list, description="The activities.")
    assignments: list[Assignment] = Field(
        default_factory=list, description="The responsibility matrix (RACI)."
    )

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        check_unique_ids(self.groups, "groups")
        check_unique_ids(self.activities, "activities")
        check_unique(
            self.assignments, "assignments", ("activity", "party"), "two_roles"
        )
        return self

    def gaps(self) -> list[Gap]:
        """List missing groups and activities with no one accountable."""
        found = []
        for kind in GROUP_KINDS:
            if not any(g.kind == kind for g in self.groups):
                found.append(Gap("groups", "gap_no_group", {"group": kind}))
        if not self.activities:
            found.append(Gap("activities", "gap_no_activities"))
        return found
