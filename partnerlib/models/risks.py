"""Step 6 — risk and conflict: the risk register and the appetite per category."""

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from ._base import (
    Gap,
    Impact,
    Likelihood,
    Name,
    Record,
    RecordId,
    RequiredName,
    Section,
    Text,
    WholeNumber,
    check_unique,
    check_unique_ids,
    new_id,
    record_context,
    row_gaps,
)

RISK_CATEGORIES = (
    "strategic",
    "financial",
    "operational",
    "reputational",
    "legal and compliance",
    "safeguarding",
    "relational",
    "technology",
    "external",
)
RISK_STATUSES = ("open", "mitigating", "closed", "occurred")


class Risk(Record):
    """One risk with its cause, owner, inherent and residual likelihood and impact."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this risk.")
    title: RequiredName = Field("New risk", description="What could go wrong.")
    category: Literal[RISK_CATEGORIES] = Field("operational", description="The kind of risk.")  # type: ignore[valid-type]
    cause: Text = Field("", description="What would make it happen.")
    owner: Name = Field("", description="Who watches it and acts on it.")
    likelihood: Likelihood = Field(3, description="How likely, 1 (rare) to 5 (almost certain).")
    impact: Impact = Field(3, description="How bad, 1 (insignificant) to 5 (catastrophic).")
    mitigation: Text = Field("", description="What we do to reduce it.")
    residual_likelihood: Likelihood | None = Field(
        None, description="Likelihood once the mitigation works, 1–5."
    )
    residual_impact: Impact | None = Field(None, description="Impact once the mitigation works, 1–5.")
    status: Literal[RISK_STATUSES] = Field("open", description="Where the risk stands.")  # type: ignore[valid-type]
    phase: Literal["due diligence", "partnership"] = Field(
        "partnership", description="When it was assessed: during due diligence or the partnership."
    )
    reviewed: dt.date | None = Field(None, description="When it was last reviewed.")


class Appetite(Record):
    """The highest score (likelihood × impact, 1–25) accepted in one risk category."""

    category: Literal[RISK_CATEGORIES] = Field(..., description="The risk category.")  # type: ignore[valid-type]
    max_score: WholeNumber = Field(9, ge=1, le=25, description="The highest acceptable score, 1–25.")


class Risks(Section):
    """Step 6: the risk register, assessed in due diligence and again during the partnership."""

    step = 6
    title = "Risk and conflict"

    risks: list[Risk] = Field(default_factory=list, description="The risk register.")
    appetite: list[Appetite] = Field(
        default_factory=list, description="Risk appetite per category."
    )

    @model_validator(mode="after")
    def _unique(self) -> Self:
        check_unique_ids(self.risks, "risks")
        check_unique(self.appetite, "appetite", ("category",), "listed_twice")
        return self

    def gaps(self) -> list[Gap]:
        """List risks without an owner, a mitigation or a residual assessment."""
        found = row_gaps(
            self.risks,
            "risks",
            ("owner", "gap_no_owner"),
            ("mitigation", "gap_no_mitigation"),
            ("residual_likelihood", "gap_no_residual_likelihood"),
            ("residual_impact", "gap_no_residual_impact"),
        )
        for number, risk in enumerate(self.risks, start=1):
            if risk.residual_likelihood and risk.residual_impact and (
                risk.residual_likelihood * risk.residual_impact > risk.likelihood * risk.impact
            ):
                found.append(Gap(f"risks[{number}]", "gap_residual_above_inherent", record_context(risk, number)))
        if not self.appetite:
            found.append(Gap("appetite", "gap_no_appetite"))
        return found
