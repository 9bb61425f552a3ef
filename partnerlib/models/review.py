"""Step 11 — partnership review: partners rate the relationship on 20 collaboration factors."""

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ._base import (
    PARTIES,
    Gap,
    Name,
    OptionalDate,
    Rating,
    Record,
    RecordId,
    RefersTo,
    RequiredName,
    Section,
    Text,
    check_unique,
    check_unique_ids,
    new_id,
    record_context,
)

#: The twenty factors of a healthy collaboration, in six groups (after the
#: Wilder Collaboration Factors Inventory).
FACTORS: dict[str, str] = {
    "history of collaboration": "environment",
    "seen as a legitimate leader": "environment",
    "favourable political and social climate": "environment",
    "mutual respect, understanding and trust": "membership",
    "appropriate cross-section of members": "membership",
    "collaboration in each member's self-interest": "membership",
    "ability to compromise": "membership",
    "shared stake in process and outcome": "process and structure",
    "multiple layers of participation": "process and structure",
    "flexibility": "process and structure",
    "clear roles and policy guidelines": "process and structure",
    "adaptability": "process and structure",
    "appropriate pace of development": "process and structure",
    "open and frequent communication": "communication",
    "informal relationships and links": "communication",
    "concrete, attainable goals": "purpose",
    "shared vision": "purpose",
    "unique purpose": "purpose",
    "sufficient funds, staff, materials and time": "resources",
    "skilled leadership": "resources",
}
FACTOR_GROUPS = tuple(dict.fromkeys(FACTORS.values()))


class Review(Record):
    """One partnership review: a date on which every partner rated the relationship."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this review.")
    name: RequiredName = Field("New review", description="What the review is called.")
    date: dt.date = Field(..., description="When the ratings were given.")


class FactorRating(Record):
    """One rating of one collaboration factor in one review (1–5), by a partner or by one of its people.

    A plan may hold one rating per partner (``person`` empty, as typed in the
    notebook) or one per person (``person`` set, as a workshop room collects
    them, anonymously); a partner's view is then the mean of its people's.
    """

    review: Annotated[RecordId, RefersTo("reviews", what="a review")] = Field(
        ..., description="The review's id."
    )
    party: Annotated[RecordId, RefersTo(PARTIES, what="a party")] = Field(
        ..., description="The partner who rated ('us' for ourselves)."
    )
    person: Name = Field(
        "", description="Who of that partner rated (an anonymous id from a workshop); empty for the partner as a whole."
    )
    factor: Literal[tuple(FACTORS)] = Field(..., description="The collaboration factor.")  # type: ignore[valid-type]
    score: Rating = Field(..., description="1 strongly disagree … 5 strongly agree it is true of us.")


class Recommendation(Record):
    """A change agreed after a review, for example to roles and responsibilities."""

    text: RequiredName = Field("New recommendation", description="The change.")
    owner: Name = Field("", description="Who sees it through.")
    due: OptionalDate = Field(None, description="By when.")
    notes: Text = Field("", description="Why, and what was agreed.")


class PartnershipReview(Section):
    """Step 11: how healthy the partnership itself is, rated by every partner (or its people) over time."""

    step = 11
    title = "Partnership review"

    reviews: list[Review] = Field(default_factory=list, description="The reviews held.")
    ratings: list[FactorRating] = Field(
        default_factory=list, description="Ratings per partner (or person) and factor."
    )
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="Changes recommended after a review."
    )

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        check_unique_ids(self.reviews, "reviews")
        check_unique(
            self.ratings,
            "ratings",
            ("review", "party", "person", "factor"),
            "rated_twice",
        )
        return self

    def gaps(self) -> list[Gap]:
        """List a partnership never reviewed and reviews where a party skipped factors."""
        found = []
        if not self.reviews:
            found.append(Gap("reviews", "gap_no_review"))
        for number, review in enumerate(self.reviews, start=1):
            by_party: dict[str, set[str]] = {}
            for r in self.ratings:
                if r.review == review.id:
                    by_party.setdefault(r.party, set()).add(r.factor)
            for party, factors in sorted(by_party.items()):
                count = len(factors)
                if count < len(FACTORS):
                    found.append(Gap("ratings", "gap_factors_unrated", record_context(review, number)
                                     | {"party": party, "count": count, "total": len(FACTORS)}))
        return found
