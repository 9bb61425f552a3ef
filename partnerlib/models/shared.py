"""The organisation's register, shared by every plan in a workspace: organisations, people and gifts.

One management system for all the SSUs' partners: a partner organisation, a
contact person or a gift is kept once and referenced from the plans by id, so
renaming an organisation in the register renames it in every plan that uses it.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Literal, NamedTuple, Self, TypeVar

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


#: A three-letter currency code in capitals (ISO 4217), such as USD, EUR or KES.
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

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
    currency: CurrencyCode = Field(
        "USD", description="Three-letter currency code of the amount (e.g. USD, EUR, KES)."
    )
    kind: Literal[GIFT_KINDS] = Field("cash", description="Cash, in kind, or a pledge.")  # type: ignore[valid-type]
    designation: Name = Field("", description="What the donor gave it for, if they said.")
    status: Literal[GIFT_STATUSES] = Field(  # type: ignore[valid-type]
        "received", description="Whether it has arrived or is still expected."
    )

    @model_validator(mode="after")
    def _pledges_are_expected(self) -> Self:
        """A pledge that has arrived is recorded as the gift it became, not as a received pledge."""
        if self.kind == "pledge" and self.status == "received":
            raise rule_error("received_pledge", field="status", got=self.status)
        return self


#: The plan's records that can point at a register entry: (section, table, the field holding the
#: entry's id, the field holding its name, the register it points into).
REGISTER_LINKS = (
    ("partners", "candidates", "organisation_id", "name", "organisations"),
    ("community", "stakeholders", "organisation_id", "name", "organisations"),
    ("governance", "members", "person_id", "person", "people"),
)
#: Words that name a kind of organisation rather than which one ("Riverbend Health Centre Ltd" is
#: "Riverbend Health Centre"): left out when names are compared.
_LEGAL_FORMS = frozenset({"inc", "ltd", "llc", "plc", "gmbh", "ev", "cic", "the"})


def normalised_name(name: str) -> str:
    """Return a name as compared for duplicates: no accents, case, punctuation, legal form or extra spaces.

    >>> normalised_name("  The Riverbend Health-Centre, Ltd. ")
    'riverbend health centre'
    >>> normalised_name("Église Évangélique")
    'eglise evangelique'
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split()
    return " ".join(word for word in words if word not in _LEGAL_FORMS)


def duplicate_keys(entry: Organisation | Person) -> dict[str, str]:
    """Say what makes two register entries one: why → the value two duplicates share.

    Two entries are alike when their names are the same once normalised
    (:func:`normalised_name`), or, for people, when they have the same email
    address (ignoring case). An empty value matches nothing.

    >>> duplicate_keys(Person(name="Ann Lee Ltd", email=" Ann@X.org"))
    {'same name': 'ann lee', 'same email': 'ann@x.org'}
    """
    keys = {"same name": normalised_name(entry.name)}
    if isinstance(entry, Person):
        keys["same email"] = entry.email.strip().casefold()
    return {why: value for why, value in keys.items() if value}


def same_entry(
    entry: Organisation | Person, entries: Iterable[Organisation | Person]
) -> Organisation | Person | None:
    """Return the first of ``entries`` that is ``entry`` under another record: the same id, else a duplicate.

    >>> same_entry(Organisation(id="new", name="Riverbend Ltd"), [Organisation(id="o1", name="riverbend")]).id
    'o1'
    """
    entries = list(entries)
    keys = set(duplicate_keys(entry).items())
    found = next((e for e in entries if e.id == entry.id and type(e) is type(entry)), None)
    return found or next((e for e in entries if keys & set(duplicate_keys(e).items())), None)


#: An organisation or a person of the register.
_Entry = TypeVar("_Entry", Organisation, Person)


class RegisterMerge(NamedTuple):
    """How entries from elsewhere (a plan file, another workspace) join a register.

    Attributes:
        ids: each incoming entry's id → its id in the register: its own, or that of the
            entry it duplicates.
        organisations: the incoming organisations new to the register (to add).
        people: the incoming people new to the register (to add), pointing at
            their organisation's id in the register.
    """

    ids: dict[str, str]
    organisations: list[Organisation]
    people: list[Person]


def merge_register(
    register: tuple[Sequence[Organisation], Sequence[Person]],
    incoming: tuple[Sequence[Organisation], Sequence[Person]],
) -> RegisterMerge:
    """Match incoming organisations and people to a register's, by id or by the duplicate rules.

    An incoming entry with the id of a register entry, or the same normalised
    name (a person: or the same email), is that entry: the register's own
    record is kept. The others are new; two incoming entries alike become one.

    >>> merged = merge_register(([Organisation(id="o1", name="Riverbend")], []),
    ...                         ([Organisation(id="x9", name="Riverbend Ltd")], [Person(id="p", organisation="x9")]))
    >>> merged.ids, [p.organisation for p in merged.people]
    ({'x9': 'o1', 'p': 'p'}, ['o1'])

    Args:
        register: the register's organisations and people.
        incoming: the organisations and people to bring in.

    Returns:
        The ids' mapping and the entries to add.
    """
    ids: dict[str, str] = {}

    def joined(entries: Sequence[_Entry], known: Sequence[_Entry]) -> list[_Entry]:
        new: list[_Entry] = []
        for entry in entries:
            found = same_entry(entry, [*known, *new])
            ids[entry.id] = entry.id if found is None else found.id
            if found is None:
                new.append(entry)
        return new

    organisations = joined(incoming[0], register[0])
    people = joined([p.model_copy(update={"organisation": ids.get(p.organisation, p.organisation)})
                     for p in incoming[1]], register[1])
    return RegisterMerge(ids, organisations, people)


def register_links(plan: Plan) -> dict[str, set[str]]:
    """Return the ids of the register entries a plan's records point at, per register.

    Returns:
        ``{"organisations": {...}, "people": {...}}``.
    """
    links: dict[str, set[str]] = {"organisations": set(), "people": set()}
    for section, table, link, _, register in REGISTER_LINKS:
        links[register] |= {getattr(row, link) for row in getattr(getattr(plan, section), table) if getattr(row, link)}
    return links


def register_entries(
    plan: Plan, gifts: Sequence[Gift], organisations: Sequence[Organisation], people: Sequence[Person]
) -> tuple[list[Organisation], list[Person]]:
    """Pick the register entries a plan needs to keep its names and links elsewhere (in a plan file).

    These are the entries its records point at, its gifts' donors, the people at
    those organisations and the organisations of those people.

    Returns:
        The organisations and the people, in register order.
    """
    links = register_links(plan)
    wanted = links["organisations"] | links["people"] | {g.donor for g in gifts}
    chosen_people = [p for p in people if p.id in wanted or p.organisation in wanted]
    wanted |= {p.organisation for p in chosen_people}
    return [o for o in organisations if o.id in wanted], chosen_people


def relinked(
    plan: Plan, ids: Mapping[str, str], organisations: Sequence[Organisation] = (), people: Sequence[Person] = ()
) -> Plan:
    """Return the plan with its links to the register moved to other ids (see :func:`merge_register`).

    A record moved to another entry takes that entry's name, as after a rename
    (see :func:`register_renames`), when the entry is among those given.

    Args:
        plan: the plan.
        ids: old id → new id; ids not in it are kept.
        organisations: the register's organisations, whose names the plan takes.
        people: the register's people, whose names the plan takes.
    """
    update: dict[str, Section] = {}
    for section_name, table, link, _, _ in REGISTER_LINKS:
        section = update.get(section_name, getattr(plan, section_name))
        rows = [row.model_copy(update={link: ids.get(getattr(row, link), getattr(row, link))})
                for row in getattr(section, table)]
        update[section_name] = section.model_copy(update={table: rows})
    moved = plan.model_copy(update=update)
    targets = {new for old, new in ids.items() if new != old}
    names = register_renames(
        moved, [o for o in organisations if o.id in targets], [p for p in people if p.id in targets]
    )
    return moved.model_copy(update=names)


def register_renames(
    plan: Plan, organisations: Sequence[Organisation], people: Sequence[Person]
) -> dict[str, Section]:
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
    names_in = {"organisations": {o.id: o.name for o in organisations}, "people": {p.id: p.name for p in people}}
    changed: dict[str, Section] = {}
    for section_name, table, link, name_field, register in REGISTER_LINKS:
        names = names_in[register]
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
