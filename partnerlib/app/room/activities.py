"""What each workshop activity asks, how its answers are checked, and how its result enters the plan.

An activity is built from the plan and the models: its questions carry the
model field whose type and bounds the answer obeys (a collaboration factor's
score is :class:`~partnerlib.models.FactorRating`'s ``score``, a risk's
likelihood is :class:`~partnerlib.models.Risk`'s ``likelihood``), read through
the same :class:`~partnerlib.ui.widgets.FieldType` the notebooks' forms use.
A submission is checked by a pydantic model made from those fields, and its
problems are worded by :func:`~partnerlib.core.problems.describe`, naming the
question as the participant reads it.

Kinds of activity (:data:`KINDS`):

* ``health``: the partnership health survey of step 11, anonymous, each person
  saying which partner organisation they belong to. Accepting a factor writes
  each person's rating into a review named after the activity.
* ``candidates``: each shortlisted candidate scored on each criterion (step 3);
  accepting writes the median (or the score agreed) as the candidate's score.
  With pairwise comparisons of the criteria (AHP), accepting the criterion
  weights writes the mean of the people's weights into step 3's criteria.
* ``risks``: likelihood and impact of the risks the facilitator picks (step 6).
  Accepting an item writes the median (or the value agreed) into the risk.
* ``stakeholders``: power and interest of each stakeholder (step 7), accepted
  as the median or the value agreed.
* ``survey``: step 7's engagement survey questions on the agreement scale;
  accepting adds each person's answer to the survey's answers.
* ``votes``: dot-voting (3 dots each) on SWOT factors or TOWS strategies
  (step 4): the room's totals, nothing written into the plan.
* ``parking``: a parking lot of free-text comments; accepting one adds it to
  step 11's recommendations, to be followed up.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ...analyses.room import ahp_consistency
from ...core.problems import PlanError, describe, render, sentence
from ...models import (
    FACTORS,
    Answer,
    FactorRating,
    Plan,
    Recommendation,
    Review,
    Risk,
    Score,
    Section,
    Stakeholder,
)
from ...ui.widgets import FieldType

__all__ = [
    "Activity",
    "CandidateScoring",
    "Checked",
    "DotVote",
    "DotVoting",
    "EngagementSurvey",
    "HealthSurvey",
    "KINDS",
    "PairwiseJudgment",
    "ParkingLot",
    "Question",
    "RiskRating",
    "StakeholderPlacement",
    "WEIGHTS_ITEM",
    "new_activity",
]


@dataclass(frozen=True)
class Question:
    """One thing an activity asks.

    Attributes:
        key: the item as stored in the answers (a factor, ``risk-id:likelihood``, ``comment``).
        label: what the participant reads.
        field: the model field the answer obeys (type, bounds, scale words, help).
        source: the model and field name the answer is checked against.
        group: the heading it is shown under (a factor group, a risk's title).
        words: the words of each answer of a small scale, lowest first, instead
            of the field's own scale words (a pairwise comparison names its two criteria).
        summarised: shown as an item of the results (median, spread); a
            pairwise judgment is summarised per person instead.
    """

    key: str
    label: str
    field: FieldType
    source: tuple[type[BaseModel], str]
    group: str = ""
    words: tuple[str, ...] = ()
    summarised: bool = True

    @property
    def choices(self) -> list[tuple[int, str]]:
        """The answers to offer as buttons (value, words) for a small whole-number scale; else none."""
        low, high = self.field.low, self.field.high
        if self.field.kind is not int or low is None or high is None or high - low > 10:
            return []
        if self.words:
            return list(zip(range(int(low), int(high) + 1), self.words, strict=True))
        words = self.field.scale or ()
        return [(n, f"{n} {words[n - int(low)]}" if words else str(n)) for n in range(int(low), int(high) + 1)]

    @property
    def numeric(self) -> bool:
        """True when the answer is a number (summarised by median and spread); else free text."""
        return self.field.kind in (int, float)


def _question(key: str, label: str, model: type[BaseModel], name: str, group: str = "") -> Question:
    return Question(key, label, FieldType.of(name, model.model_fields[name]), (model, name), group)


@dataclass(frozen=True)
class Checked:
    """A submission after checking: the answers to store, or a message per form field.

    Attributes:
        answers: question key → checked value (empty when there are problems).
        party: the participant's partner organisation ("" when not asked).
        name: the participant's name ("" when not asked).
        problems: form field → message; empty when the submission is good.
        typed: form field → what was typed, to show it again with the messages.
    """

    answers: dict[str, Any]
    party: str
    name: str
    problems: dict[str, str]
    typed: dict[str, str]


@dataclass(eq=False)
class Activity:
    """An activity of the room: what it asks, and whether it is open and its results shown.

    Attributes:
        id: the activity's id in the room (also the id of what it adds to the plan).
        title: its name, shown to everyone.
        questions: what it asks, in order.
        parties: partner organisations to choose from (id → name); empty: not asked.
        is_open: participants may answer (only open activities are reachable by the join link).
        shown: the facilitator shows its results to the room.
        accepted: question key → what was written into the plan.
        names: record id → name, for the records some items refer to by id (criteria compared in pairs).
        options: what the kind's ``build`` rebuilds it from, with the plan (the records it asks
            about, the TOWS strategies or not, pairs compared or not): kept in the workspace, so
            a room started again asks the same questions.
    """

    kind: ClassVar[str] = ""
    #: What the facilitator picks from: a code of :data:`~partnerlib.core.problems.MESSAGES`.
    summary: ClassVar[str] = ""
    #: What participants read above the questions: a code of MESSAGES (in words: :attr:`introduction`).
    intro: ClassVar[str] = ""
    #: Whether participants give their name (otherwise answers are anonymous).
    asks_name: ClassVar[bool] = False
    #: Whether accepting keeps each person's answer (else one value per item: the median or one agreed).
    per_person: ClassVar[bool] = False

    id: str
    title: str
    questions: tuple[Question, ...]
    parties: dict[str, str] = field(default_factory=dict)
    is_open: bool = False
    shown: bool = False
    accepted: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._slots = {f"q{number}": q for number, q in enumerate(self.questions)}
        self._model = self._answer_model()

    @property
    def introduction(self) -> str:
        """What participants read above the questions, in words."""
        return sentence(self.intro)

    @property
    def slots(self) -> dict[str, Question]:
        """Form field name → question, in order (``q0``, ``q1``, …)."""
        return self._slots

    def question(self, key: str) -> Question:
        """Return the question with this key (or raise PlanError naming it)."""
        for question in self.questions:
            if question.key == key:
                return question
        raise PlanError.of("room_no_item", activity=self.title, key=key)

    def _answer_model(self) -> type[BaseModel]:
        """A pydantic model of one submission, made from the questions' own model fields."""
        fields: dict[str, Any] = {}
        if self.parties:
            fields["party"] = (Literal[tuple(self.parties)], Field(description=sentence("room_page_your_organisation")))
        if self.asks_name:
            fields["name"] = _field_of(Recommendation, "owner")  # a short name, at most 200 characters
        for slot, question in self._slots.items():
            fields[slot] = _field_of(*question.source)
        config = ConfigDict(extra="ignore", str_strip_whitespace=True)
        return create_model(f"{type(self).__name__}Answers", __config__=config, **fields)

    def label(self, slot: str) -> str:
        """The words a participant reads by a form field (for messages)."""
        if slot == "party":
            return sentence("room_page_your_organisation")
        if slot == "name":
            return sentence("room_page_your_name")
        question = self._slots.get(slot)
        return question.label if question else slot

    def check(self, form: Mapping[str, str]) -> Checked:
        """Check one submission, as typed in the form (form field → text).

        Returns:
            The answers to store, or the problems (worded by ``describe``) and what was typed.
        """
        names = ["party"] * bool(self.parties) + ["name"] * self.asks_name + list(self._slots)
        typed = {name: form[name] for name in names if name in form}
        given = {name: value for name, value in typed.items() if value.strip()}  # empty: not answered
        try:
            checked = self._model.model_validate(given)
        except ValidationError as error:
            problems: dict[str, str] = {}
            details = error.errors(include_url=False)  # describe words them in this order
            for problem, detail in zip(describe(error, model=self._model), details, strict=True):
                slot = str(detail["loc"][0]) if detail["loc"] else ""
                problems.setdefault(slot if slot in names else "", render(problem, label=self.label, form=True))
            return Checked({}, "", "", problems, typed)
        values = checked.model_dump()
        answers = {q.key: values[slot] for slot, q in self._slots.items()}
        return Checked(answers, values.get("party", ""), values.get("name", ""), {}, typed)

    def accept(self, plan: Plan, key: str, value: Any, people: list[tuple[str, str, Any]]) -> tuple[str, Section]:
        """Write one item's result into the plan (in memory); the caller saves the section.

        Args:
            plan: the plan as loaded now.
            key: the question's key.
            value: the value agreed, or None for the median of the answers.
            people: each participant's latest answer to it, as (participant, party, value).

        Returns:
            The section's field name and its new value.
        """
        raise PlanError.of("room_nothing_to_accept", activity=self.title, key=key)


def _field_of(model: type[BaseModel], name: str) -> tuple[Any, Any]:
    """A model field's annotation (with its bounds and scale) and a required Field with its help."""
    info = model.model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return annotation, Field(..., description=info.description)


def median_value(values: list[Any]) -> float:
    """The median of the answers, rounded half up to a whole number (a 1–5 scale has no 3.5).

    >>> median_value([2, 3, 4, 5]), median_value([1, 2, 2])
    (4, 2)
    """
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise PlanError.of("room_no_median")
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return math.floor(median + 0.5)


class HealthSurvey(Activity):
    """Step 11's partnership health survey: every collaboration factor rated 1–5, anonymously."""

    kind = "health"
    per_person = True
    summary, intro = "room_kind_health", "room_intro_health"

    @classmethod
    def build(cls, plan: Plan, activity_id: str, title: str = "", **_: Any) -> HealthSurvey:
        """Ask every collaboration factor, with the plan's parties to choose from."""
        questions = tuple(_question(factor, factor[:1].upper() + factor[1:], FactorRating, "score", group)
                          for factor, group in FACTORS.items())
        return cls(activity_id, title or sentence("room_title_health"), questions, parties=plan.parties())

    def _review(self, plan: Plan) -> Review:
        found = next((r for r in plan.review.reviews if r.id == self.id), None)
        return found or Review(id=self.id, name=self.title, date=dt.date.today())

    def accept(self, plan: Plan, key: str, value: Any, people: list[tuple[str, str, Any]]) -> tuple[str, Section]:
        """Write each person's rating of one factor into the activity's review (replacing earlier ones)."""
        self.question(key)
        if value is not None:
            raise PlanError.of("room_keeps_each_rating")
        if not people:
            raise PlanError.of("room_nobody_rated", key=key)
        review = self._review(plan)
        kept = [r for r in plan.review.ratings if not (r.review == review.id and r.factor == key)]
        new = [FactorRating(review=review.id, party=party, person=person, factor=key, score=score)
               for person, party, score in people]
        reviews = plan.review.reviews if review in plan.review.reviews else [*plan.review.reviews, review]
        section = plan.review.model_copy(update={"reviews": reviews, "ratings": kept + new})
        return "review", type(section).model_validate(section.model_dump())


class _RecordRating(Activity):
    """Rate fields of records of one section (``record-id:field`` items); accept the median or a value agreed."""

    #: The section and its list of records the items belong to, and the record's model.
    section: ClassVar[str] = ""
    table: ClassVar[str] = ""
    model: ClassVar[type[BaseModel]]
    #: The fields rated, the field naming a record, and the code of
    #: :data:`~partnerlib.core.problems.MESSAGES` saying what to do when the plan has no records to rate.
    rated: ClassVar[tuple[str, ...]] = ()
    named_by: ClassVar[str] = "name"
    none_yet: ClassVar[str] = ""

    @classmethod
    def build(cls, plan: Plan, activity_id: str, title: str = "", items: tuple[str, ...] = (),
              **_: Any) -> _RecordRating:
        """Ask the rated fields of the records picked (all of them when none is picked)."""
        records = [r for r in getattr(getattr(plan, cls.section), cls.table) if not items or r.id in items]
        if not records:
            raise PlanError.of(cls.none_yet)
        questions = tuple(
            _question(f"{record.id}:{part}", f"{getattr(record, cls.named_by)}: {part}", cls.model, part,
                      getattr(record, cls.named_by))
            for record in records for part in cls.rated
        )
        return cls(activity_id, title or sentence(f"room_title_{cls.kind}"), questions, parties=plan.parties(),
                   options={"items": [record.id for record in records]})

    def accept(self, plan: Plan, key: str, value: Any, people: list[tuple[str, str, Any]]) -> tuple[str, Section]:
        """Write the median (or the value agreed) into the record's field."""
        self.question(key)
        record_id, part = key.rsplit(":", 1)
        section = getattr(plan, self.section)
        rows = getattr(section, self.table)
        if not any(r.id == record_id for r in rows):
            raise PlanError.of("room_record_gone", record=record_id, section=section.title.lower())
        chosen = median_value([v for _, _, v in people]) if value is None else value
        changed = [r.model_dump() | ({part: chosen} if r.id == record_id else {}) for r in rows]
        return self.section, type(section).model_validate({**section.model_dump(), self.table: changed})


class RiskRating(_RecordRating):
    """Step 6's risk rating: the likelihood and impact of the risks the facilitator picks."""

    kind = "risks"
    summary, intro = "room_kind_risks", "room_intro_risks"
    section, table, model, rated, named_by = "risks", "risks", Risk, ("likelihood", "impact"), "title"
    none_yet = "room_no_risks"


class StakeholderPlacement(_RecordRating):
    """Step 7's stakeholder map: each stakeholder's power and interest, as each person sees them."""

    kind = "stakeholders"
    summary, intro = "room_kind_stakeholders", "room_intro_stakeholders"
    section, table, model, rated = "community", "stakeholders", Stakeholder, ("power", "interest")
    none_yet = "room_no_stakeholders"


#: Saaty's 1/9 … 9 scale as a participant answers it: code −4 … 4, how much more the first criterion matters.
SAATY = {-4: 1 / 9, -3: 1 / 7, -2: 1 / 5, -1: 1 / 3, 0: 1.0, 1: 3.0, 2: 5.0, 3: 7.0, 4: 9.0}


class PairwiseJudgment(BaseModel):
    """One comparison of two criteria: which matters more, and how much (Saaty's scale, coded −4 … 4)."""

    judgment: int = Field(0, ge=-4, le=4, description="−4: the second matters far more … 0: equal … 4: the first.")


def _pair_words(first: str, second: str) -> tuple[str, ...]:
    """The nine answers of one comparison, in words, from 'second far more' to 'first far more'."""
    return (*(sentence(f"room_more:{n}", criterion=second) for n in (4, 3, 2, 1)), sentence("room_equal"),
            *(sentence(f"room_more:{n}", criterion=first) for n in (1, 2, 3, 4)))


#: The item of a candidate scoring that stands for the criteria's weights, from the pairwise comparisons.
WEIGHTS_ITEM = "criterion weights"


class CandidateScoring(Activity):
    """Step 3's candidate scoring: each shortlisted candidate on each criterion, 1–5; optionally AHP.

    With ``pairwise=True`` each person also compares every pair of criteria
    (which matters more, and how much); their consistency ratio is shown per
    person (:func:`~partnerlib.analyses.room.ahp_consistency`), and accepting
    :data:`WEIGHTS_ITEM` writes the mean of the people's weights into step 3's
    criteria.
    """

    kind = "candidates"
    summary, intro = "room_kind_candidates", "room_intro_candidates"

    @property
    def criteria(self) -> list[str]:
        """The ids of the criteria compared in pairs, in the plan's order (none without pairwise comparisons)."""
        return list(dict.fromkeys(c for q in self.questions if not q.summarised for c in q.key.split(":")[1:]))

    def judgments(self, answers: Any) -> Any:
        """The pairwise judgments among latest answers, as ``JUDGMENT_COLUMNS`` (values on Saaty's scale)."""
        pairs = answers[answers["item"].str.startswith("ahp:")]
        parts = pairs["item"].str.split(":", expand=True)
        return pairs.assign(row=parts[1] if len(pairs) else [], column=parts[2] if len(pairs) else [],
                            value=pairs["value"].map(SAATY))[["participant", "row", "column", "value"]]

    def consistency(self, answers: Any) -> Any:
        """Each person's weights of the criteria and consistency ratio, from their latest judgments.

        Args:
            answers: the latest answers (``RATING_COLUMNS``).

        Returns:
            One row per person who compared criteria (see :func:`ahp_consistency`):
            ``participant``, ``consistency_ratio``, ``consistent``, then one column of
            weights (summing to 1) per criterion id.
        """
        return ahp_consistency(self.judgments(answers), self.criteria)

    @classmethod
    def build(cls, plan: Plan, activity_id: str, title: str = "", items: tuple[str, ...] = (),
              pairwise: bool = False, **_: Any) -> CandidateScoring:
        """Ask a score for each shortlisted or selected candidate (or those picked) on each criterion."""
        partners = plan.partners
        candidates = [c for c in partners.candidates
                      if (c.id in items if items else c.status in ("shortlisted", "selected"))]
        if not candidates or not partners.criteria:
            raise PlanError.of("room_no_candidates")
        questions = tuple(
            _question(f"{candidate.id}:{criterion.id}", f"{candidate.name}: {criterion.name}", Score, "score",
                      candidate.name)
            for candidate in candidates for criterion in partners.criteria
        )
        if pairwise:
            criteria = partners.criteria
            questions += tuple(
                Question(f"ahp:{first.id}:{second.id}", sentence("room_pair", first=first.name, second=second.name),
                         FieldType.of("judgment", PairwiseJudgment.model_fields["judgment"]),
                         (PairwiseJudgment, "judgment"), sentence("room_which_matters_more"),
                         _pair_words(first.name, second.name), summarised=False)
                for number, first in enumerate(criteria) for second in criteria[number + 1:]
            )
        return cls(activity_id, title or sentence("room_title_candidates"), questions, parties=plan.parties(),
                   names={c.id: c.name for c in partners.criteria},
                   options={"items": [c.id for c in candidates], "pairwise": pairwise})

    def accept(self, plan: Plan, key: str, value: Any, people: list[tuple[str, str, Any]]) -> tuple[str, Section]:
        """Write the median (or the score agreed) as the candidate's score on the criterion.

        For :data:`WEIGHTS_ITEM`, ``people`` holds each person's weights (criterion id →
        weight); their mean becomes the criteria's weights in step 3, as percentages.
        """
        if key == WEIGHTS_ITEM:
            return "partners", self._weighted(plan, [weights for _, _, weights in people])
        if self.question(key).summarised is False:
            raise PlanError.of("room_comparison_not_a_weight", weights=WEIGHTS_ITEM)
        candidate, criterion = key.split(":", 1)
        chosen = median_value([v for _, _, v in people]) if value is None else value
        kept = [s.model_dump() for s in plan.partners.scores
                if (s.candidate, s.criterion) != (candidate, criterion)]
        scores = [*kept, {"candidate": candidate, "criterion": criterion, "score": chosen}]
        return "partners", type(plan.partners).model_validate({**plan.partners.model_dump(), "scores": scores})


    def _weighted(self, plan: Plan, people: list[dict[str, float]]) -> Section:
        """Step 3's section with each criterion's weight the mean of the people's, in percent (0.1 at least)."""
        if not self.criteria:
            raise PlanError.of("room_no_comparisons", activity=self.title)
        if not people:
            raise PlanError.of("room_nobody_compared")
        in_plan = [c.id for c in plan.partners.criteria]
        if sorted(in_plan) != sorted(self.criteria):
            raise PlanError.of("room_criteria_changed")
        mean = {c: math.fsum(weights[c] for weights in people) / len(people) for c in self.criteria}
        criteria = [c.model_dump() | {"weight": max(round(100 * mean[c.id], 1), 0.1)} for c in plan.partners.criteria]
        return type(plan.partners).model_validate({**plan.partners.model_dump(), "criteria": criteria})


class EngagementSurvey(Activity):
    """Step 7's engagement survey: the plan's own questions on the agreement scale, anonymous."""

    kind = "survey"
    per_person = True
    summary, intro = "room_kind_survey", "room_intro_survey"

    @classmethod
    def build(cls, plan: Plan, activity_id: str, title: str = "", **_: Any) -> EngagementSurvey:
        """Ask every question of step 7's survey."""
        if not plan.community.questions:
            raise PlanError.of("room_no_questions")
        questions = tuple(_question(q.id, q.text, Answer, "answer") for q in plan.community.questions)
        return cls(activity_id, title or sentence("room_title_survey"), questions, parties=plan.parties())

    def accept(self, plan: Plan, key: str, value: Any, people: list[tuple[str, str, Any]]) -> tuple[str, Section]:
        """Add each person's answer to the question to step 7's answers (replacing their earlier one)."""
        self.question(key)
        if value is not None:
            raise PlanError.of("room_keeps_each_answer")
        respondents = {f"{self.id}-{person}" for person, _, _ in people}
        kept = [a for a in plan.community.answers if not (a.question == key and a.respondent in respondents)]
        new = [Answer(question=key, respondent=f"{self.id}-{person}", group=self.parties.get(party, party),
                      answer=answer) for person, party, answer in people]
        return "community", type(plan.community).model_validate(
            {**plan.community.model_dump(), "answers": [a.model_dump() for a in kept + new]})


class DotVote(BaseModel):
    """Dots one participant puts on one option of a dot vote."""

    dots: int = Field(0, ge=0, le=3, description="Dots on this option (you have 3 in all).")


class DotVoting(Activity):
    """Dot-voting on SWOT factors or TOWS strategies: 3 dots each, to spread or stack."""

    kind = "votes"
    summary, intro = "room_kind_votes", "room_intro_votes"
    #: How many dots each participant has.
    dots: ClassVar[int] = 3

    @property
    def introduction(self) -> str:
        """What participants read above the options: how many dots they have, and how to place them."""
        return sentence(self.intro, dots=self.dots)

    @classmethod
    def build(cls, plan: Plan, activity_id: str, title: str = "", tows: bool = False, **_: Any) -> DotVoting:
        """Offer the SWOT factors (``tows=True``: the TOWS strategies) as options."""
        case = plan.business_case
        if tows:
            options = [(f"tows-{n}", f"{t.kind}: {t.text}", t.kind) for n, t in enumerate(case.strategies) if t.text]
        else:
            options = [(f.id, f.text, f.kind) for f in case.swot]
        if not options:
            raise PlanError.of("room_nothing_to_vote_on")
        questions = tuple(_question(key, text, DotVote, "dots", group) for key, text, group in options)
        return cls(activity_id, title or sentence("room_title_votes"), questions, options={"tows": tows})

    def check(self, form: Mapping[str, str]) -> Checked:
        """Check each option's dots, then that no more than :attr:`dots` are placed in all."""
        form = {slot: form.get(slot) or "0" for slot in self.slots} | dict(form)
        checked = super().check({k: v or "0" for k, v in form.items()})
        placed = sum(checked.answers.values())
        if not checked.problems and placed > self.dots:
            return Checked({}, "", "", {"": sentence("room_too_many_dots", dots=self.dots, placed=placed)},
                           checked.typed)
        return checked


class ParkingLot(Activity):
    """A parking lot: comments to come back to, one at a time, anonymous."""

    kind = "parking"
    summary, intro = "room_kind_parking", "room_intro_parking"

    @classmethod
    def build(cls, plan: Plan, activity_id: str, title: str = "", **_: Any) -> ParkingLot:
        """Ask one free-text comment."""
        return cls(activity_id, title or sentence("room_title_parking"),
                   (_question("comment", sentence("room_your_comment"), Recommendation, "notes"),))

    def accept(self, plan: Plan, key: str, value: Any, people: list[tuple[str, str, Any]]) -> tuple[str, Section]:
        """Add a comment (``value``, the text) to step 11's recommendations to follow up."""
        text = " ".join(str(value or "").split())
        if not text:
            raise PlanError.of("room_choose_comment")
        notes = sentence("room_comment_note", activity=self.title.lower(), comment=text)
        item = Recommendation(text=text[:200], notes=notes[:5000])
        return "review", plan.review.model_copy(update={"recommendations": [*plan.review.recommendations, item]})


#: The kinds of activity a facilitator can start, by kind.
KINDS: dict[str, type[Activity]] = {
    kind.kind: kind
    for kind in (HealthSurvey, CandidateScoring, RiskRating, StakeholderPlacement, EngagementSurvey, DotVoting,
                 ParkingLot)
}


def new_activity(plan: Plan, kind: str, *, activity_id: str = "", **options: Any) -> Activity:
    """Build an activity of one kind from the plan, with a new id (``health-3f9a2c``) or its own.

    A new id is random so that a new room never mixes its answers, or the
    review it writes, with an earlier room's. A room started again rebuilds
    its activities with their own ids, titles and :attr:`Activity.options`.

    Args:
        plan: the plan as it is now.
        kind: one of :data:`KINDS`.
        activity_id: the id of an activity built before (empty: a new one).
        options: the kind's options (``title``, ``items``, ``tows``, ``pairwise``).

    Raises:
        PlanError: an unknown kind, or a plan without what the activity asks about.
    """
    if kind not in KINDS:
        raise PlanError.of("room_no_such_activity", got=kind, kinds=list(KINDS))
    return KINDS[kind].build(plan, activity_id or f"{kind}-{secrets.token_hex(3)}", **options)  # type: ignore[attr-defined]
