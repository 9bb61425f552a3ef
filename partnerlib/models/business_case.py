"""Step 4 — business case: purpose, audiences, SWOT and TOWS, players, budget, benchmarks."""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ..core.problems import rule_error
from ._base import (
    KPIS,
    Gap,
    Money,
    Number,
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
    row_gaps,
)

SWOT_KINDS = ("strength", "weakness", "opportunity", "threat")
#: The ratings each kind of SWOT factor may take (internal factor evaluation
#: rates strengths 3–4 and weaknesses 1–2; external factors 1–4 by how well
#: the partnership responds to them).
SWOT_RATINGS = {
    "strength": (3, 4),
    "weakness": (1, 2),
    "opportunity": (1, 4),
    "threat": (1, 4),
}
TOWS_KINDS = ("SO", "ST", "WO", "WT")


class Audience(Record):
    """A target audience of the partnership."""

    name: RequiredName = Field("New audience", description="Who they are.")
    description: Text = Field("", description="What they need from the partnership.")


class SwotFactor(Record):
    """One strength, weakness, opportunity or threat, weighted and rated."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this factor.")
    kind: Literal[SWOT_KINDS] = Field("strength", description="Which quadrant it belongs to.")  # type: ignore[valid-type]
    text: RequiredName = Field("New factor", description="The factor, in a few words.")
    weight: Number = Field(
        0.1,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Importance from 0 to 1; internal weights sum to 1, external weights too.",
    )
    rating: WholeNumber = Field(
        3,
        ge=1,
        le=4,
        description="Rating 1–4: strengths 3–4, weaknesses 1–2, "
        "opportunities and threats by how well we respond.",
    )

    @model_validator(mode="after")
    def _rating_fits_kind(self) -> Self:
        low, high = SWOT_RATINGS[self.kind]
        if not low <= self.rating <= high:
            raise rule_error("rating_outside_kind", field="rating", kind=self.kind, low=low, high=high,
                             now=self.rating)
        return self


class TowsStrategy(Record):
    """A strategy that pairs internal factors with external ones (SO, ST, WO, WT)."""

    kind: Literal[TOWS_KINDS] = Field("SO", description="Which pairing it answers.")  # type: ignore[valid-type]
    factors: Annotated[list[RecordId], RefersTo("swot", what="a SWOT factor")] = Field(
        default_factory=list, description="The ids of the SWOT factors it pairs."
    )
    text: Text = Field("", description="The strategy, in our own words.")


class Player(Record):
    """An organisation or person involved in the partnership, and their part."""

    name: RequiredName = Field("New player", description="Who they are.")
    role: Text = Field("", description="Their part in the partnership.")


class BudgetLine(Record):
    """A cost of resources or an expected return, over the whole partnership."""

    item: RequiredName = Field("New item", description="What the money is for or comes from.")
    kind: Literal["cost", "return"] = Field("cost", description="A cost or an expected return.")
    amount: Money = Field(0.0, description="The amount in the plan's currency.")
    note: Text = Field("", description="How the figure was reached.")


class Benchmark(Record):
    """A quantitative or qualitative benchmark of success (the first KPIs)."""

    text: RequiredName = Field("New benchmark", description="What success looks like.")
    kind: Literal["quantitative", "qualitative"] = Field(
        "quantitative", description="A number to reach, or a quality to see."
    )
    kpi: Annotated[Ref, RefersTo(KPIS, what="a KPI")] = Field(
        "", description="The id of the KPI in monitoring that measures it, if any."
    )


class BusinessCase(Section):
    """Step 4: why the partnership is worth it, written down and kept up to date."""

    step = 4
    title = "Business case"

    purpose: Text = Field("", description="The purpose of the partnership.")
    audiences: list[Audience] = Field(default_factory=list, description="Target audiences.")
    objectives: Text = Field("", description="The partnership's objectives and goals.")
    swot: list[SwotFactor] = Field(default_factory=list, description="SWOT factors.")
    strategies: list[TowsStrategy] = Field(
        default_factory=list, description="TOWS strategies pairing the factors."
    )
    players: list[Player] = Field(default_factory=list, description="The players involved.")
    budget: list[BudgetLine] = Field(
        default_factory=list, description="Costs of resources and expected returns."
    )
    benchmarks: list[Benchmark] = Field(
        default_factory=list, description="Quantitative and qualitative benchmarks."
    )

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        check_unique_ids(self.swot, "swot")
        return self

    def gaps(self) -> list[Gap]:
        """List an empty purpose or quadrant, weights that do not sum to 1, strategies without text."""
        found = []
        if not self.purpose:
            found.append(Gap("purpose", "gap_no_purpose"))
        for kind in SWOT_KINDS:
            if not any(f.kind == kind for f in self.swot):
                found.append(Gap("swot", "gap_no_factor", {"factor": kind}))
        for side, kinds in (("internal", ("strength", "weakness")), ("external", ("opportunity", "threat"))):
            factors = [f for f in self.swot if f.kind in kinds]
            total = round(sum(f.weight for f in factors), 6)
            if factors and abs(total - 1) > 0.005:
                found.append(Gap("swot", f"gap_{side}_weights", {"total": total}))
        found += row_gaps(self.strategies, "strategies", ("text", "gap_no_strategy_text"))
        if not any(b.kind == "return" for b in self.budget):
            found.append(Gap("budget", "gap_no_returns"))
        return found
