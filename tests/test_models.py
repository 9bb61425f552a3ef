"""Rules of the plan models: hard errors refuse a value, gaps list what is still missing."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from partnerlib import SECTIONS, Plan, PlanInfo, describe
from partnerlib.core.fields import unwrap
from partnerlib.core.problems import MODELS_BY_TITLE
from partnerlib.models import (
    MEASUREMENT_COLUMNS,
    REQUIRED_MEASUREMENT_COLUMNS,
    STORED,
    Alignment,
    AuditItem,
    Benchmark,
    BusinessCase,
    Candidate,
    CheckIn,
    Collection,
    Communication,
    Community,
    Contribution,
    Criterion,
    FactorRating,
    Goals,
    Governance,
    Kpi,
    Line,
    Measurement,
    Member,
    Monitoring,
    Need,
    Objective,
    Partners,
    PartnershipReview,
    Resources,
    Review,
    Risk,
    Risks,
    Score,
    Share,
    Stakeholder,
    SwotFactor,
    TeamConversation,
    TowsStrategy,
)
from partnerlib.models._base import references_of

D = dt.date

# (model, input, expected message fragment): values a plan can never hold.
HARD_ERRORS = [
    (Risk, {"likelihood": 9}, "'likelihood' must be between 1 and 5 (got 9)"),
    (Risk, {"impact": 0}, "'impact' must be between 1 and 5 (got 0)"),
    (Risk, {"impact": "Enormous"}, "'impact' must be a whole number (got 'Enormous')"),
    (Risk, {"residual_impact": 6}, "'residual_impact' must be between 1 and 5 (got 6)"),
    (Risk, {"category": "weather"}, "'category' must be one of"),
    (Risk, {"reviewed": "31/02/2026"}, "'reviewed' must be a date like 2026-03-31"),
    (Risk, {"colour": "red"}, "'colour' is not a field here"),
    (Risk, {"title": "  "}, "'title' must not be empty"),
    (Contribution, {"party": "us", "amount": -5}, "'amount' must be between 0 and 1,000,000,000,000 (got -5)"),
    (PlanInfo, {"currency": "dollars"}, "'currency' must be a three-letter currency code in capitals, like USD or KES (got 'dollars')"),
    (PlanInfo, {"as_of": "soon"}, "'as_of' must be a date"),
    (SwotFactor, {"kind": "strength", "rating": 2}, "'rating' of a strength must be between 3 and 4 (got 2)"),
    (SwotFactor, {"kind": "weakness", "rating": 3}, "'rating' of a weakness must be between 1 and 2 (got 3)"),
    (SwotFactor, {"weight": 1.5}, "'weight' must be between 0 and 1 (got 1.5)"),
    (Kpi, {"baseline": 10, "target": 10}, "'target' must differ from the baseline (both are 10)"),
    (Kpi, {"unit": "percentage", "baseline": 10, "target": 120}, "'target' is a percentage and must be between 0 and 100 (got 120)"),
    (Kpi, {"direction": "increase", "baseline": 30, "target": 10}, "'direction' is increase but the target (10) is below the baseline (30)"),
    (Kpi, {"baseline_date": D(2026, 1, 1), "target_date": D(2025, 1, 1)}, "'target_date' must come after 'baseline_date'"),
    (Kpi, {"code": "water hh"}, "'code' must be without spaces (got 'water hh')"),
    (Measurement, {"kpi": "k1", "date": "2026-01-01", "value": float("nan")}, "'value' must be a number"),
    (Criterion, {"weight": 0}, "'weight' must be more than 0 and at most 100 (got 0)"),
    (Stakeholder, {"power": 7}, "'power' must be between 1 and 5 (got 7)"),
    (Share, {"party": "us", "percent": 140}, "'percent' must be between 0 and 100 (got 140)"),
    (Risk, {"title": "Floods\x00"},
     "'title' must not contain the unprintable character U+0000 (character 7) (got 'Floods\\x00')"),
    (Risk, {"owner": "An\x1fn"}, "'owner' must not contain the unprintable character U+001F (character 3)"),
    (Risk, {"mitigation": "a\x0bb"}, "'mitigation' must not contain the unprintable character U+000B (character 2)"),
    (Candidate, {"name": "ClearFlow", "need": "n\x08"}, "'need' must not contain the unprintable character U+0008"),
    (Measurement, {"kpi": "k1", "date": "2026-01-01", "value": 1, "group": "f\x0cm"},
     "'group' must not contain the unprintable character U+000C (character 2)"),
    (Risk, {"title": "Floods \ud800"}, "'title' must not contain the unprintable character U+D800 (character 8)"),
]


@pytest.mark.parametrize(("model", "data", "expected"), HARD_ERRORS)
def test_hard_errors_name_the_field_and_the_value(model, data, expected):
    with pytest.raises(ValidationError) as caught:
        model(**data)
    assert expected in " | ".join(p.message for p in describe(caught.value))


# (field of a risk, text): tab, newline and CR are kept in any text.
KEPT_CHARACTERS = [("mitigation", "Step 1\n\tcall\r\nStep 2"), ("title", "Floods\tin May")]


@pytest.mark.parametrize(("field", "text"), KEPT_CHARACTERS)
def test_tab_and_newline_stay_allowed(field, text):
    assert getattr(Risk(**{field: text}), field) == text


def test_text_stored_before_control_characters_were_refused_loses_them():
    assert Risk.model_validate({"title": "Flo\x00ods\x07"}, context=STORED).title == "Floods"


def _number_fields():
    """(model, field, words) for every number field of every model: int → 'a whole number'."""
    found = []
    ours = [m for m in MODELS_BY_TITLE.values() if m.__module__.startswith("partnerlib.")]
    for model in sorted(ours, key=lambda m: m.__name__):
        for name, info in model.model_fields.items():
            kind = unwrap(info.annotation)[0]
            if kind in (int, float):
                found.append((model, name, "a whole number" if kind is int else "a number"))
    return found


def test_there_are_about_thirty_number_fields():
    assert len(_number_fields()) >= 25


@pytest.mark.parametrize(("model", "field", "words"), _number_fields())
@pytest.mark.parametrize("flag", [True, False])
def test_true_and_false_are_not_numbers(model, field, words, flag):
    with pytest.raises(ValidationError) as caught:
        model.model_validate({field: flag})
    assert f"'{field}' must be {words} (got {flag})" in [p.message for p in describe(caught.value)]


# (section, input, expected message fragment): rules across the rows of one table.
TABLE_ERRORS = [
    (Risks, {"risks": [{"id": "r1"}, {"id": "r1"}]}, "risks row 2: 'id' 'r1' is used twice"),
    (Risks, {"appetite": [{"category": "financial"}, {"category": "financial"}]}, "appetite row 2: 'financial' is listed twice"),
    (Partners, {"candidates": [{"id": "c1", "need": "nope"}]}, "candidates row 1: 'need' must be the id of a need (got 'nope'"),
    (
        Partners,
        {"candidates": [{"id": "c1"}], "criteria": [{"id": "k"}], "scores": [{"candidate": "c1", "criterion": "k"}] * 2},
        "scores row 2: 'c1' is scored twice on 'k'",
    ),
    (Partners, {"audit": [{"candidate": "ghost", "check": "finances"}]}, "audit row 1: 'candidate' must be the id of a candidate"),
    (BusinessCase, {"strategies": [{"factors": ["f9"]}]}, "strategies row 1: 'factors' must be the id of a SWOT factor (got 'f9'"),
    (Governance, {"assignments": [{"activity": "a1", "party": "us"}]}, "assignments row 1: 'activity' must be the id of an activity"),
    (
        Governance,
        {"activities": [{"id": "a1"}], "assignments": [{"activity": "a1", "party": "us"}, {"activity": "a1", "party": "us", "role": "A"}]},
        "assignments row 2: 'us' has two roles in 'a1'",
    ),
    (Community, {"answers": [{"question": "q9", "respondent": "R1", "answer": 3}]}, "answers row 1: 'question' must be the id of a question"),
    (Resources, {"rule": "agreed shares", "shares": [{"party": "us", "percent": 60}]}, "'shares' must add up to 100 % under agreed shares (got 60 %)"),
    (Resources, {"contributions": [{"party": "us", "rate": "nurse"}]}, "contributions row 1: 'rate' must be the id of a rate"),
    (Monitoring, {"collection": [{"kpi": "k9"}]}, "collection row 1: 'kpi' must be the id of a KPI"),
    (
        Monitoring,
        {"kpis": [{"code": "HH_WATER"}, {"code": ""}, {"code": ""}, {"code": "hh_water"}]},
        "kpis row 4: 'code' 'hh_water' is used by another KPI",
    ),
    (
        PartnershipReview,
        {"reviews": [{"id": "r1", "date": "2026-01-01"}], "ratings": [{"review": "r1", "party": "us", "factor": "flexibility", "score": 4}] * 2},
        "ratings row 2: 'us' rated 'flexibility' twice in 'r1'",
    ),
]


@pytest.mark.parametrize(("section", "data", "expected"), TABLE_ERRORS)
def test_table_rules_name_the_row(section, data, expected):
    with pytest.raises(ValidationError) as caught:
        section.model_validate(data)
    assert expected in " | ".join(str(p) for p in describe(caught.value))


# (word, field, number): word scales are accepted wherever a 1–5 scale is.
WORD_SCALES = [
    ("Rare", "likelihood", 1),
    ("almost certain", "likelihood", 5),
    ("  Likely ", "likelihood", 4),
    ("Major", "impact", 4),
    ("CATASTROPHIC", "impact", 5),
    ("Possible", "residual_likelihood", 3),
]


@pytest.mark.parametrize(("word", "field", "number"), WORD_SCALES)
def test_word_scales_become_numbers(word, field, number):
    assert getattr(Risk(**{field: word}), field) == number


def _gap_messages(section) -> list[str]:
    return [gap.message for gap in section.gaps()]


# (section, expected gap fragment): saved, but listed as still missing.
GAPS = [
    (Goals(objectives=[Objective(title="Train 20 health workers", due=D(2026, 6, 1))]), 'The objective "Train 20 health workers" has no measure yet.'),
    (Goals(objectives=[Objective(title="Open a clinic", measure="doors open")]), 'The objective "Open a clinic" has no due date yet.'),
    (Goals(ssu_goal="Healthy families"), "Say how the SSU goal serves the organisation's goal."),
    (Monitoring(kpis=[Kpi(name="Wells built", baseline=0)]), 'The KPI "Wells built" has no target yet.'),
    (Monitoring(), "No impact KPI yet."),
    (Risks(risks=[Risk(title="Floods")]), 'The risk "Floods" has no owner yet.'),
    (Risks(risks=[Risk(title="Fraud", likelihood=2, impact=2, residual_likelihood=3, residual_impact=3)]), 'The risk "Fraud" has a residual score above its inherent one.'),
    (BusinessCase(swot=[SwotFactor(kind="strength", weight=0.5, rating=4), SwotFactor(kind="weakness", weight=0.4, rating=1)]), "The internal weights sum to 0.9, not 1."),
    (Partners(needs=[Need(id="n1", title="Clean water")], candidates=[Candidate(need="n1")]), 'The need "Clean water" has only 1 candidate: compare at least three.'),
    (
        Partners(candidates=[Candidate(id="c1", name="Clinic", status="selected")], audit=[AuditItem(candidate="c1", check="finances", result="pass")]),
        'The candidate "Clinic" still needs due diligence on legal status, reputation, safeguarding, data protection, capacity, values fit.',
    ),
    (Communication(), "No core messages yet."),
    (Community(stakeholders=[Stakeholder(name="Elders")]), 'The stakeholder "Elders" has no engagement planned yet.'),
    (Resources(contributions=[Contribution(party="us", description="Office space", form="in kind")]), 'The contribution "Office space" has no value yet.'),
    (
        PartnershipReview(reviews=[Review(id="r1", name="First review", date=D(2026, 1, 1))], ratings=[FactorRating(review="r1", party="us", factor="flexibility", score=4)]),
        'The review "First review" is not complete: "us" rated 1 of the 20 factors.',
    ),
    # a record named by another field than its name, or by its row when nothing names it
    (Communication(lines=[Line(audience="Riverside radio")]), 'The line to "Riverside radio" has no purpose yet.'),
    # (a testimonial as a dict: a class named Test… imported here would be collected as tests)
    (Communication(testimonials=[{"giver": "Ama"}]), 'The testimonial by "Ama" cannot be used yet: no permission given.'),
    (Alignment(conversations=[TeamConversation(leader="Ann")]), 'The team conversation with "Ann" has no points to discuss yet.'),
    (BusinessCase(strategies=[TowsStrategy(), TowsStrategy()]), "The TOWS strategy in row 2 has no text yet."),
    (Partners(needs=[Need(id="n1", title="Food")]), 'The need "Food" has no candidates yet: compare at least three.'),
]


@pytest.mark.parametrize(("section", "expected"), GAPS)
def test_gaps_are_listed_not_refused(section, expected):
    assert expected in _gap_messages(section)


# (plan, (section, gap)): references between sections that no single section can check.
PLAN_GAPS = [
    (Plan(resources=Resources(contributions=[Contribution(party="ghost", amount=10)])),
     ("resources", 'The party "ghost" named in the contributions is not a selected partner.')),
    (Plan(alignment=Alignment(checkins=[CheckIn(relationship="p9", date=D(2026, 1, 5))])),
     ("alignment", 'The check-in in row 1 is with "p9", which is neither a peer department nor a candidate partner.')),
    (Plan(business_case=BusinessCase(benchmarks=[Benchmark(text="More volunteers", kpi="k9")])),
     ("business_case", "The benchmark \"More volunteers\" names the KPI \"k9\", which is not one of the plan's KPIs.")),
    # a section names a party by its id; the plan words it by the party's name
    (Plan(info=PlanInfo(organisation="Hope"),
          review=PartnershipReview(reviews=[Review(id="r1", name="First review", date=D(2026, 1, 1))],
                                   ratings=[FactorRating(review="r1", party="us", factor="flexibility", score=4)])),
     ("review", 'The review "First review" is not complete: "Hope" rated 1 of the 20 factors.')),
    (Plan(partners=Partners(candidates=[Candidate(id="c1", name="Clinic", status="selected")]),
          review=PartnershipReview(reviews=[Review(id="r1", name="First review", date=D(2026, 1, 1))],
                                   ratings=[FactorRating(review="r1", party="c1", factor="flexibility", score=4)])),
     ("review", 'The review "First review" is not complete: "Clinic" rated 1 of the 20 factors.')),
    (Plan(review=PartnershipReview(reviews=[Review(id="r1", name="First review", date=D(2026, 1, 1))],
                                   ratings=[FactorRating(review="r1", party="c7", factor="flexibility", score=4)])),
     ("review", 'The review "First review" is not complete: "c7" rated 1 of the 20 factors.')),
]


@pytest.mark.parametrize(("plan", "gap"), PLAN_GAPS)
def test_plan_lists_references_between_sections_that_lead_nowhere(plan, gap):
    assert gap in [(s, g.message) for s, g in plan.gaps()]


def test_parties_are_ourselves_then_the_selected_partners():
    plan = Plan(
        info=PlanInfo(organisation="Hope"),
        partners=Partners(candidates=[Candidate(id="c1", name="Clinic", status="selected"), Candidate(id="c2", name="Other")]),
    )
    assert plan.parties() == {"us": "Hope", "c1": "Clinic"}


@pytest.mark.parametrize("name", list(SECTIONS))
def test_every_field_has_a_description(name):
    undescribed = [field for field, info in SECTIONS[name].model_fields.items() if not info.description]
    assert undescribed == []


@pytest.mark.parametrize("name", list(SECTIONS))
def test_every_section_has_a_default_and_a_title(name):
    section = SECTIONS[name]()
    assert (section.title != "", type(section).model_validate(section.model_dump()) == section) == (True, True)


def test_steps_follow_the_method():
    assert [cls.step for cls in SECTIONS.values()] == list(range(12))


# ---- facts declared once: references on the fields, the measurement schema ----------------

# (model, field, where its ids point): read from the field's RefersTo marker.
REFERENCES = [
    (Candidate, "need", ("needs",)),
    (Score, "criterion", ("criteria",)),
    (TowsStrategy, "factors", ("swot",)),
    (Member, "party", ("@parties",)),
    (CheckIn, "relationship", ("peers", "@candidates")),
    (Benchmark, "kpi", ("@kpis",)),
    (Collection, "kpi", ("kpis",)),
    (Contribution, "rate", ("rates",)),
]


@pytest.mark.parametrize(("model", "field", "sources"), REFERENCES)
def test_references_are_declared_on_the_field(model, field, sources):
    assert references_of(model)[field].sources == sources


def test_every_reference_to_a_list_of_its_section_points_at_one():
    wrong = [
        (section.__name__, table, field, source)
        for section in SECTIONS.values()
        for table, info in section.model_fields.items()
        if getattr(info.annotation, "__origin__", None) is list
        for field, marker in references_of(info.annotation.__args__[0]).items()
        for source in marker.sources
        if not source.startswith("@") and source not in section.model_fields
    ]
    assert wrong == []


def test_the_measurement_schema_is_the_measurement_model():
    assert tuple(Measurement.model_fields) == MEASUREMENT_COLUMNS


def test_the_required_measurement_columns_are_the_required_fields():
    assert REQUIRED_MEASUREMENT_COLUMNS == ("kpi", "date", "value")
