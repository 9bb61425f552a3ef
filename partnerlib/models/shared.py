"""The organisation's register, shared by every plan in a workspace: organisations, people and gifts.

One management system for all the SSUs' partners: a partner organisation, a
contact person or a gift is kept once and referenced from the plans by id, so
renaming an organisation in the register renames it in every plan that uses it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..core.problems import rule_error
from ._base import (
    Money,
    Name,
    OptionalDate,
    Record,
    RecordId,
    RequiredName,
    Section,
    Text,
    new_id,
)
from .partners import ORGANISATION_KINDS
from .plan import Plan


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
    last_contacted: OptionalDate = Field(None, description="When someone last spoke or wrote with them.")


#: How a gift is given: money, goods or services, or a promise of either.
GIFT_KINDS = ("cash", "in kind", "pledge")
#: Whether a gift has arrived.
GIFT_STATUSES = ("received", "expected")


class Gift(Record):
    """A gift to one SSU plan from an organisation or a person of the register.

    A pledge is a promise: it counts as expected until it is received. In-kind
    gifts are valued in money, as contributions are.
    """

    id: RecordId = Field(default_factory=new_id, description="Short id of this gift.")
    donor: RecordId = Field(..., description="The id of the organisation or person who gives it.")
    plan: RequiredName = Field(..., description="The name of the SSU plan it is for.")
    date: dt.date = Field(..., description="When it was given, or is expected.")
    amount: Money = Field(0.0, description="Its value, in the gift's currency.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        "USD", description="Three-letter currency code of the amount (e.g. USD, EUR, KES)."
    )
    kind: Literal[GIFT_KINDS] = Field("cash", description="Cash, in kind, or a pledge.")  # type: ignore[valid-type]
    designation: Name = Field("", description="What the donor gave it for, if they said.")
    status: Literal[GIFT_STATUSES] = Field(  # type: ignore[valid-type]
        "received", description="Whether it has arrived or is still expected."
    )

    @model_validator(mode="after")
    def _pledges_are_expected(self) -> Gift:
        """A pledge that has arrived is recorded as the gift it became, not as a received pledge."""
        if self.kind == "pledge" and self.status == "received":
            raise rule_error("received_pledge", field="status", got=self.status)
        return self


def register_renames(plan: Plan, organisations: list[Organisation], people: list[Person]) -> dict[str, Section]:
    """Return the plan's sections whose linked records carry an old name from the register.

    Candidates and stakeholders linked to a register organisation
    (``organisation_id``) and governance members linked to a register person
    (``person_id``) take the register's name: one record, one name everywhere.

    Args:
        plan: the plan to bring up to date.
        organisations: the register's organisations.
        people: the register's people.

    Returns:
        Section field name → the section with the register's names, only for
        the sections where a name changes (empty when the plan is up to date).
    """
    organisation_names = {o.id: o.name for o in organisations}
    person_names = {p.id: p.name for p in people}
    tables = (
        ("partners", "candidates", "organisation_id", "name", organisation_names),
        ("community", "stakeholders", "organisation_id", "name", organisation_names),
        ("governance", "members", "person_id", "person", person_names),
    )
    changed: dict[str, Section] = {}
    for section_name, table, link, name_field, names in tables:
        section = changed.get(section_name, getattr(plan, section_name))
        rows = getattr(section, table)
        renamed = [
            row.model_copy(update={name_field: names[getattr(row, link)]})
            if names.get(getattr(row, link), getattr(row, name_field)) != getattr(row, name_field)
            else row
            for row in rows
        ]
        if any(new is not old for new, old in zip(renamed, rows, strict=True)):
            changed[section_name] = section.model_copy(update={table: renamed})
    return changed
