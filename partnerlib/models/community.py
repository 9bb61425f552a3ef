"""Step 7 — community engagement: stakeholders, engagement activities, survey answers."""

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ._base import (
    Agreement,
    Gap,
    Level,
    Name,
    Record,
    RecordId,
    Ref,
    RefersTo,
    RequiredName,
    Section,
    Text,
    check_unique_ids,
    new_id,
    record_context,
)

ENGAGEMENT_KINDS = (
    "survey",
    "interview",
    "briefing",
    "group meeting",
    "one-to-one meeting",
    "town hall",
    "workshop",
)
#: How far a stakeholder takes part in decisions, from least to most.
PARTICIPATION = ("informed", "consulted", "involved", "collaborating", "empowered")


class Stakeholder(Record):
    """A stakeholder or target group, with power, interest, legitimacy and urgency (1–5)."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this stakeholder.")
    name: RequiredName = Field("New stakeholder", description="Who they are.")
    group: Name = Field("", description="The group they belong to (leaders, families, staff …).")
    power: Level = Field(3, description="Their power over the partnership, 1–5.")
    interest: Level = Field(3, description="Their interest in it, 1–5.")
    legitimacy: Level = Field(3, description="How legitimate their claim is, 1–5.")
    urgency: Level = Field(3, description="How urgent their claim is, 1–5.")
    target_audience: bool = Field(False, description="Part of the target audience.")
    participation: Literal[PARTICIPATION] = Field(  # type: ignore[valid-type]
        "informed", description="How far they take part in decisions."
    )
    organisation_id: Ref = Field(
        "", description="The id of their organisation in the register, if there is one."
    )


class Engagement(Record):
    """A planned or held engagement activity."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this activity.")
    title: RequiredName = Field("New activity", description="What it is.")
    kind: Literal[ENGAGEMENT_KINDS] = Field("group meeting", description="The kind of activity.")  # type: ignore[valid-type]
    date: dt.date | None = Field(None, description="When it takes place.")
    stakeholders: Annotated[list[RecordId], RefersTo("stakeholders", what="a stakeholder")] = Field(
        default_factory=list, description="The ids of the stakeholders it reaches."
    )
    purpose: Text = Field("", description="What it is for.")
    status: Literal["planned", "held", "cancelled"] = Field("planned", description="Where it stands.")


class Question(Record):
    """A survey question answered on a 1–5 agreement scale."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this question.")
    text: RequiredName = Field("New question", description="The statement people rate.")


class Answer(Record):
    """One respondent's answer to one question (1 strongly disagree … 5 strongly agree)."""

    question: Annotated[RecordId, RefersTo("questions", what="a question")] = Field(
        ..., description="The question's id."
    )
    respondent: RequiredName = Field(..., description="An anonymous respondent code.")
    group: Name = Field("", description="The respondent's group, for summaries by group.")
    answer: Agreement = Field(..., description="1 strongly disagree … 5 strongly agree.")


class Community(Section):
    """Step 7: who the partnership affects, how we engage them and what they told us."""

    step = 7
    title = "Community engagement"

    stakeholders: list[Stakeholder] = Field(default_factory=list, description="Stakeholders.")
    engagements: list[Engagement] = Field(
        default_factory=list, description="Engagement activities with dates."
    )
    questions: list[Question] = Field(default_factory=list, description="Survey questions.")
    answers: list[Answer] = Field(default_factory=list, description="Survey answers.")

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        check_unique_ids(self.stakeholders, "stakeholders")
        check_unique_ids(self.questions, "questions")
        return self

    def gaps(self) -> list[Gap]:
        """List a missing target audience, stakeholders never engaged and undated activities."""
        found = []
        if not any(s.target_audience for s in self.stakeholders):
            found.append(Gap("stakeholders", "gap_no_target_audience"))
        reached = {s for e in self.engagements for s in e.stakeholders}
        for number, s in enumerate(self.stakeholders, start=1):
            if s.id not in reached:
                found.append(Gap(f"stakeholders[{number}]", "gap_not_engaged", record_context(s, number)))
        for number, e in enumerate(self.engagements, start=1):
            if e.date is None:
                found.append(Gap(f"engagements[{number}].date", "gap_no_date", record_context(e, number)))
        return found
