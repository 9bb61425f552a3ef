"""Step 8 — resources and budget: contributions, costs, the division rule, the vision budget."""

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ..core.formats import Year
from ..core.problems import rule_error
from ._base import (
    PARTIES,
    Gap,
    Money,
    Name,
    Number,
    Percent,
    Record,
    RecordId,
    Ref,
    RefersTo,
    RequiredName,
    Section,
    Text,
    WholeNumber,
    check_unique_ids,
    new_id,
    record_context,
)

CONTRIBUTION_TYPES = ("access", "data", "finance", "people")
#: The years a rate and a contribution may be given in.
FIRST_YEAR, LAST_YEAR = Year(1990), Year(2100)
DIVISION_RULES = ("proportional to contribution", "equal", "agreed shares")


class Rate(Record):
    """A money value for an hour of in-kind work, with its year and source."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this rate.")
    name: RequiredName = Field("New rate", description="Whose hour it values (nurse, volunteer …).")
    hourly: Money = Field(0.0, description="The value of one hour in the plan's currency.")
    year: WholeNumber = Field(2026, ge=FIRST_YEAR, le=LAST_YEAR, description="The year the value applies to.")
    source: Name = Field("", description="Where the value comes from.")


class Contribution(Record):
    """What one partner brings: access, data, finance or people, in cash or in kind."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this contribution.")
    party: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner ('us' for our own organisation)."
    )
    type: Literal[CONTRIBUTION_TYPES] = Field("finance", description="What kind of resource.")  # type: ignore[valid-type]
    description: RequiredName = Field("New contribution", description="What exactly is brought.")
    form: Literal["cash", "in kind"] = Field("cash", description="Cash or in kind.")
    amount: Money = Field(
        0.0, description="Its value in the plan's currency (for in-kind time, leave 0 and give hours)."
    )
    hours: Number = Field(
        0.0, ge=0, le=1e7, allow_inf_nan=False, description="In-kind hours, valued at the rate."
    )
    rate: Annotated[Ref, RefersTo("rates", what="a rate")] = Field(
        "", description="The id of the rate that values the hours."
    )
    year: WholeNumber | None = Field(
        None, ge=FIRST_YEAR, le=LAST_YEAR, description="The year it is given in."
    )


class Cost(Record):
    """A cost of the partnership and the party that paid it."""

    item: RequiredName = Field("New cost", description="What the money was spent on.")
    paid_by: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner who paid ('us' for ourselves)."
    )
    amount: Money = Field(0.0, description="The amount in the plan's currency.")
    date: dt.date | None = Field(None, description="When it was paid.")


class Share(Record):
    """An agreed share of the costs for one partner (used by the 'agreed shares' rule)."""

    party: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner ('us' for our own organisation)."
    )
    percent: Percent = Field(0.0, description="Their share of the costs, 0–100 %.")


class VisionLine(Record):
    """A line of the vision-based budget: an expense or income for one impact area."""

    impact_area: RequiredName = Field("New impact area", description="The impact it serves.")
    kind: Literal["expense", "income"] = Field("expense", description="Expense or income.")
    item: RequiredName = Field("New line", description="What it is.")
    amount: Money = Field(0.0, description="Yearly amount in the plan's currency.")


class Resources(Section):
    """Step 8: who brings what, who pays what, and how the costs are divided."""

    step = 8
    title = "Resources and budget"

    rates: list[Rate] = Field(default_factory=list, description="Values for in-kind hours.")
    contributions: list[Contribution] = Field(
        default_factory=list, description="What each partner contributes."
    )
    costs: list[Cost] = Field(default_factory=list, description="Costs and who paid them.")
    rule: Literal[DIVISION_RULES] = Field(  # type: ignore[valid-type]
        "proportional to contribution", description="How the partners agreed to divide the costs."
    )
    shares: list[Share] = Field(
        default_factory=list, description="Agreed shares of the costs (for 'agreed shares')."
    )
    vision_budget: list[VisionLine] = Field(
        default_factory=list, description="The SSU's vision-based budget, by impact area."
    )
    rule_note: Text = Field("", description="Anything else agreed about sharing costs.")

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        check_unique_ids(self.rates, "rates")
        check_unique_ids(self.contributions, "contributions")
        if self.rule == "agreed shares" and self.shares:
            total = round(sum(s.percent for s in self.shares), 6)
            if abs(total - 100) > 0.01:
                raise rule_error("shares_not_100", field="shares", total=total)
        return self

    def gaps(self) -> list[Gap]:
        """List contributions with no value, in-kind hours with no rate, missing shares."""
        found = []
        for number, c in enumerate(self.contributions, start=1):
            if c.amount == 0 and not (c.hours and c.rate):
                found.append(Gap(f"contributions[{number}]", "gap_no_value", record_context(c, number)))
        if self.rule == "agreed shares" and not self.shares:
            found.append(Gap("shares", "gap_no_shares"))
        if not self.vision_budget:
            found.append(Gap("vision_budget", "gap_no_vision_budget"))
        return found
