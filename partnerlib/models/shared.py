"""Records shared by every plan in a workspace: organisations and people.

One management system for all the SSUs' partners: a partner organisation or
a contact person is kept once and referenced from the plans by id.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import (
    Name,
    Record,
    RecordId,
    RequiredName,
    Text,
    new_id,
)
from .partners import ORGANISATION_KINDS


class Organisation(Record):
    """An organisation the workspace works with, referenced from plans by id."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this organisation.")
    name: RequiredName = Field("New organisation", description="The organisation's name.")
    kind: Literal[ORGANISATION_KINDS] = Field("NGO", description="What kind of organisation.")  # type: ignore[valid-type]
    website: Name = Field("", description="Its website address.")
    notes: Text = Field("", description="Anything worth remembering about it.")


class Person(Record):
    """A contact person, optionally at one of the shared organisations."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this person.")
    name: RequiredName = Field("New person", description="The person's name.")
    organisation: Name = Field("", description="The id of their organisation, if shared.")
    role: Name = Field("", description="Their role.")
    email: Name = Field("", description="Their email address.")
