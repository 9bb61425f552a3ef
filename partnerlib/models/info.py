"""The plan's own details: whose plan it is, for which unit, in which currency, as of when."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ._base import (
    Name,
    RequiredName,
    Section,
    Text,
)

SSU_KINDS = ("programme", "local community", "people group", "initiative", "other")
#: Kinds of reporting organisation, as IATI's OrganisationType codelist names them.
ORGANISATION_TYPES = (
    "government", "international NGO", "national NGO", "regional NGO", "partner country based NGO",
    "public private partnership", "multilateral", "foundation", "private sector", "academic", "other",
)
#: An IATI identifier: the characters IATI allows (no spaces, no '/', '&', '|' or '?').
IatiIdentifier = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=r"^[^\s/&|?]*$")
]


class PlanInfo(Section):
    """Who the plan belongs to and the date its figures are read at.

    The ``as_of`` date is the plan's "today": check-ins due and KPI status are
    computed for it, so a saved plan gives the same results tomorrow.
    """

    step = 0
    title = "Plan details"

    name: RequiredName = Field(
        "Untitled plan", description="A short name for this plan, unique in the workspace."
    )
    organisation: RequiredName = Field(
        "Our organisation", description="The organisation that makes the plan."
    )
    ssu_name: Name = Field(
        "",
        description="The smallest strategic unit (SSU) the plan serves: the most local place "
        "where the strategy is carried out.",
    )
    ssu_kind: Literal[SSU_KINDS] = Field(  # type: ignore[valid-type]
        "programme", description="What kind of unit the SSU is."
    )
    ssu_description: Text = Field("", description="Who and where the SSU is, in a few sentences.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        "USD", description="Three-letter currency code for every amount (e.g. USD, EUR, KES)."
    )
    as_of: dt.date = Field(
        default_factory=dt.date.today,
        description="The date the plan is read at: check-ins due and KPI status use it.",
    )
    author: Name = Field("", description="Who keeps this plan up to date.")
    iati_organisation: IatiIdentifier = Field(
        "",
        description="The organisation's IATI identifier (e.g. GB-CHC-1234567), for publishing "
        "the plan's results to IATI.",
    )
    iati_organisation_type: Literal[ORGANISATION_TYPES] = Field(  # type: ignore[valid-type]
        "national NGO", description="What kind of organisation it is, as IATI classifies them."
    )
    iati_activity: IatiIdentifier = Field(
        "",
        description="The plan's IATI activity identifier: the organisation's identifier, '-', "
        "and a code of your own (e.g. GB-CHC-1234567-SSU1).",
    )
