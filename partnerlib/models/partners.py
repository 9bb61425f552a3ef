"""Step 3 — partner analysis: needs, candidates, weighted criteria, due diligence, feedback."""

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ._base import (
    CADENCE_DAYS,
    Gap,
    Name,
    Number,
    Rating,
    Record,
    RecordId,
    Ref,
    RefersTo,
    RequiredName,
    Section,
    Text,
    check_unique,
    check_unique_ids,
    new_id,
    record_context,
    row_gaps,
)

Cadence = Literal[tuple(CADENCE_DAYS)]  # type: ignore[valid-type]

#: The due-diligence checklist every candidate goes through.
AUDIT_CHECKS = (
    "legal status",
    "finances",
    "reputation",
    "safeguarding",
    "data protection",
    "capacity",
    "values fit",
)
ORGANISATION_KINDS = (
    "NGO",
    "church or mission",
    "clinic or hospital",
    "business",
    "government",
    "service provider",
    "community group",
    "other",
)


class Need(Record):
    """Something the SSU needs a partner for (clinical care, water, IT support …)."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this need.")
    title: RequiredName = Field("New need", description="What we need a partner for.")
    description: Text = Field("", description="What a good partner would bring.")


class Candidate(Record):
    """A possible partner for one need; compare several before choosing."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this candidate.")
    name: RequiredName = Field("New candidate", description="The organisation's name.")
    need: Annotated[Ref, RefersTo("needs", what="a need")] = Field(
        "", description="The id of the need this candidate could meet."
    )
    kind: Literal[ORGANISATION_KINDS] = Field(  # type: ignore[valid-type]
        "NGO", description="What kind of organisation it is."
    )
    contact: Name = Field("", description="The person we talk to there.")
    goals: Text = Field("", description="The candidate's own goals and objectives.")
    status: Literal["candidate", "shortlisted", "selected", "declined"] = Field(
        "candidate", description="Where the candidate stands in the selection."
    )
    cadence: Cadence = Field(  # type: ignore[valid-type]
        "monthly", description="How often we check in with this partner once selected."
    )
    organisation_id: Ref = Field(
        "", description="The id of the shared organisation record, if there is one."
    )


class Criterion(Record):
    """A weighted selection criterion; a gate must be passed whatever the total score."""

    id: RecordId = Field(default_factory=new_id, description="Short id of this criterion.")
    name: RequiredName = Field("New criterion", description="What candidates are judged on.")
    weight: Number = Field(
        1.0, gt=0, le=100, allow_inf_nan=False, description="Relative weight (any positive scale)."
    )
    gate: bool = Field(
        False, description="A must-pass gate: a candidate scoring below the minimum is out."
    )
    minimum: Rating = Field(3, description="The lowest score (1–5) that passes the gate.")


class Score(Record):
    """One candidate's score (1–5) on one criterion."""

    candidate: Annotated[RecordId, RefersTo("candidates", what="a candidate")] = Field(
        ..., description="The candidate's id."
    )
    criterion: Annotated[RecordId, RefersTo("criteria", what="a criterion")] = Field(
        ..., description="The criterion's id."
    )
    score: Rating = Field(3, description="How well the candidate meets it, 1 (poorly) to 5 (fully).")


class AuditItem(Record):
    """The result of one due-diligence check on one candidate."""

    candidate: Annotated[RecordId, RefersTo("candidates", what="a candidate")] = Field(
        ..., description="The candidate's id."
    )
    check: Literal[AUDIT_CHECKS] = Field(..., description="The check.")  # type: ignore[valid-type]
    result: Literal["pass", "concern", "fail", "not checked"] = Field(
        "not checked", description="What the check found."
    )
    note: Text = Field("", description="Evidence or the reason for a concern.")


class Feedback(Record):
    """Stakeholder feedback on the draft partnership design."""

    stakeholder: RequiredName = Field("Stakeholder", description="Who gave the feedback.")
    date: dt.date | None = Field(None, description="When it was given.")
    sentiment: Literal["supportive", "neutral", "concerned"] = Field(
        "neutral", description="The overall tone."
    )
    comment: Text = Field("", description="What they said.")


class Partners(Section):
    """Step 3: the candidates for each need, how they are judged and what the audit found."""

    step = 3
    title = "Partner analysis and due diligence"

    needs: list[Need] = Field(default_factory=list, description="What we need partners for.")
    candidates: list[Candidate] = Field(default_factory=list, description="Candidate partners.")
    criteria: list[Criterion] = Field(default_factory=list, description="Selection criteria.")
    scores: list[Score] = Field(default_factory=list, description="Scores per candidate and criterion.")
    audit: list[AuditItem] = Field(default_factory=list, description="Due-diligence results.")
    feedback: list[Feedback] = Field(
        default_factory=list, description="Stakeholder feedback on the draft design."
    )

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        for rows, name in ((self.needs, "needs"), (self.candidates, "candidates"), (self.criteria, "criteria")):
            check_unique_ids(rows, name)
        check_unique(
            self.scores, "scores", ("candidate", "criterion"), "scored_twice"
        )
        return self

    def selected(self) -> list[Candidate]:
        """Return the candidates chosen as partners, in the order they are listed."""
        return [c for c in self.candidates if c.status == "selected"]

    def gaps(self) -> list[Gap]:
        """List needs with fewer than three candidates, missing scores and unchecked audits."""
        found = row_gaps(self.candidates, "candidates", ("need", "gap_no_need"))
        for number, need in enumerate(self.needs, start=1):
            count = sum(c.need == need.id for c in self.candidates)
            if count < 3:
                code = ("gap_no_candidates", "gap_one_candidate", "gap_few_candidates")[count]
                found.append(Gap("candidates", code, record_context(need, number) | {"count": count}))
        scored = {(s.candidate, s.criterion) for s in self.scores}
        for number, candidate in enumerate(self.candidates, start=1):
            missing = [c.name for c in self.criteria if (candidate.id, c.id) not in scored]
            if missing:
                found.append(Gap("scores", "gap_not_scored", record_context(candidate, number) | {"criteria": missing}))
            checked = {a.check for a in self.audit if a.candidate == candidate.id and a.result != "not checked"}
            if candidate.status in ("shortlisted", "selected") and len(checked) < len(AUDIT_CHECKS):
                todo = [c for c in AUDIT_CHECKS if c not in checked]
                found.append(Gap("audit", "gap_not_audited", record_context(candidate, number) | {"checks": todo}))
        if not self.criteria:
            found.append(Gap("criteria", "gap_no_criteria"))
        return found
