"""Step 1 — goals: the organisation's impact goal, internal objectives, motivations, the SSU goal."""

from typing import Literal

from pydantic import Field

from ._base import (
    Gap,
    Name,
    OptionalDate,
    Record,
    RecordId,
    RequiredName,
    Section,
    Text,
    new_id,
    row_gaps,
)


class Objective(Record):
    """An internal goal or objective with the person who owns it, a date and a measure."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this objective.")
    title: RequiredName = Field("New objective", description="What will be achieved.")
    owner: Name = Field("", description="Who is responsible for it.")
    due: OptionalDate = Field(None, description="The date it should be reached by.")
    measure: Text = Field("", description="How we will know it has been reached.")
    status: Literal["not started", "in progress", "done"] = Field(
        "not started", description="Where the objective stands."
    )


class Motivation(Record):
    """An interest or motivation behind seeking a partnership."""

    statement: RequiredName = Field("New motivation", description="The interest or motivation.")
    kind: Literal["interest", "motivation"] = Field(
        "interest", description="An interest (what we want) or a motivation (why we care)."
    )


class Goals(Section):
    """Step 1: what the organisation and the SSU aim for, and why a partnership helps."""

    step = 1
    title = "Goals"

    organisation_goal: Text = Field(
        "", description="The organisation's overall impact goal, in one or two sentences."
    )
    objectives: list[Objective] = Field(
        default_factory=list, description="Internal goals and objectives."
    )
    motivations: list[Motivation] = Field(
        default_factory=list, description="Interests and motivations behind seeking a partnership."
    )
    ssu_goal: Text = Field("", description="The impact goal of the smallest strategic unit.")
    serves_organisation_goal: Text = Field(
        "", description="How the SSU goal serves the organisation's goal, stated explicitly."
    )

    def gaps(self) -> list[Gap]:
        """List missing goals, objectives without a measure or date, and the missing link."""
        found = []
        if not self.organisation_goal:
            found.append(Gap("organisation_goal", "gap_no_organisation_goal"))
        if not self.ssu_goal:
            found.append(Gap("ssu_goal", "gap_no_ssu_goal"))
        if not self.serves_organisation_goal:
            found.append(Gap("serves_organisation_goal", "gap_no_goal_link"))
        if not self.objectives:
            found.append(Gap("objectives", "gap_no_objectives"))
        found += row_gaps(
            self.objectives, "objectives", ("measure", "gap_no_measure"), ("due", "gap_no_due_date")
        )
        return found
