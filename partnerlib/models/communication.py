"""Step 9 — communication plan: core messages, guidelines, who talks to whom, the calendar."""

import datetime as dt
from typing import Literal

from pydantic import Field

from ._base import (
    CADENCE_DAYS,
    Gap,
    Name,
    Record,
    RequiredName,
    Section,
    Text,
    record_context,
    row_gaps,
)

CHANNELS = (
    "email",
    "social media",
    "video",
    "website",
    "meeting",
    "newsletter",
    "phone",
    "print",
)
AUDIENCE_KINDS = ("partner", "donor", "community", "staff", "media", "church")


class Message(Record):
    """A core message of the SSU, for one audience or for all."""

    audience: Name = Field("", description="Who it is for (empty: everyone).")
    message: RequiredName = Field("New message", description="The message in one sentence.")


class Line(Record):
    """Who communicates with which audience, how often and on which channel."""

    owner: RequiredName = Field("Owner", description="Who communicates.")
    audience: RequiredName = Field("Audience", description="With whom (a partner, donor or group).")
    audience_kind: Literal[AUDIENCE_KINDS] = Field("partner", description="What kind of audience.")  # type: ignore[valid-type]
    channel: Literal[CHANNELS] = Field("email", description="The channel used.")  # type: ignore[valid-type]
    frequency: Literal[tuple(CADENCE_DAYS)] = Field("monthly", description="How often.")  # type: ignore[valid-type]
    purpose: Text = Field("", description="What the communication is for.")


class Item(Record):
    """A dated item in the communication calendar."""

    date: dt.date = Field(..., description="When it goes out.")
    title: RequiredName = Field("New item", description="What goes out.")
    channel: Literal[CHANNELS] = Field("email", description="The channel used.")  # type: ignore[valid-type]
    audience: RequiredName = Field("Audience", description="Who it is for.")
    audience_kind: Literal[AUDIENCE_KINDS] = Field("partner", description="What kind of audience.")  # type: ignore[valid-type]
    owner: Name = Field("", description="Who prepares it.")
    status: Literal["planned", "done", "cancelled"] = Field("planned", description="Where it stands.")


class Testimonial(Record):
    """A testimonial we may use, with the giver's permission."""

    giver: RequiredName = Field("Someone", description="Who said it.")
    text: Text = Field("", description="What they said.")
    date: dt.date | None = Field(None, description="When.")
    permission: bool = Field(False, description="They agreed that we use it publicly.")


class Communication(Section):
    """Step 9: what we say, who says it to whom, how often and when."""

    step = 9
    title = "Communication plan"

    messages: list[Message] = Field(default_factory=list, description="Core messages.")
    guidelines: Text = Field("", description="Communication guidelines all partners follow.")
    lines: list[Line] = Field(
        default_factory=list, description="Who communicates with whom, how often, on which channel."
    )
    calendar: list[Item] = Field(default_factory=list, description="The communication calendar.")
    testimonials: list[Testimonial] = Field(default_factory=list, description="Testimonials.")

    def gaps(self) -> list[Gap]:
        """List missing messages, guidelines and testimonials used without permission."""
        found = []
        if not self.messages:
            found.append(Gap("messages", "gap_no_messages"))
        if not self.guidelines:
            found.append(Gap("guidelines", "gap_no_guidelines"))
        found += row_gaps(self.lines, "lines", ("purpose", "gap_no_line_purpose"))
        for number, t in enumerate(self.testimonials, start=1):
            if not t.permission:
                found.append(Gap(f"testimonials[{number}]", "gap_no_permission", record_context(t, number)))
        return found
