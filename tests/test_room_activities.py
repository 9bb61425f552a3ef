"""Workshop activities: questions built from the plan and the models, answers checked by them, results accepted."""

import json
from pathlib import Path

import pytest

from partnerlib.app.room.activities import KINDS, WEIGHTS_ITEM, median_value, new_activity
from partnerlib.core.problems import MESSAGES, PlanError
from partnerlib.models import Plan

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_plan.json"


@pytest.fixture(scope="module")
def plan():
    return Plan.model_validate(json.loads(SAMPLE.read_text(encoding="utf-8"))["plan"])


#: Per kind: how many questions the sample plan gives, the first one's label, and its answers' scale.
BUILD_CASES = [
    ("health", 20, "History of collaboration", ["1", "2", "3", "4", "5"]),
    ("candidates", 36, "Riverbend Health Centre: Safeguarding policy and practice", ["1", "2", "3", "4", "5"]),
    ("risks", 36, "Floods damage water points: likelihood",
     ["1 Rare", "2 Unlikely", "3 Possible", "4 Likely", "5 Almost certain"]),
    ("stakeholders", 26, "District Health Office: power", ["1 Very low", "2 Low", "3 Medium", "4 High", "5 Very high"]),
    ("survey", 6, "The health workers who visit our home treat us with respect.",
     ["1 Strongly disagree", "2 Disagree", "3 Neutral", "4 Agree", "5 Strongly agree"]),
    ("votes", 17, "Trusted by village leaders after 10 years in the district", ["0", "1", "2", "3"]),
    ("parking", 1, "Your comment", []),
]


@pytest.mark.parametrize(("kind", "count", "label", "scale"), BUILD_CASES)
def test_each_activity_asks_what_the_plan_holds_on_the_models_scale(plan, kind, count, label, scale):
    activity = new_activity(plan, kind)
    first = activity.questions[0]
    assert (len(activity.questions), first.label, [words for _, words in first.choices]) == (count, label, scale)


def test_every_kind_is_listed():
    assert list(KINDS) == ["health", "candidates", "risks", "stakeholders", "survey", "votes", "parking"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_named_and_introduced_in_words(kind):
    assert (KINDS[kind].summary in MESSAGES, KINDS[kind].intro in MESSAGES) == (True, True)


def test_the_dot_vote_says_how_many_dots_each_person_has(plan):
    assert new_activity(plan, "votes").introduction == (
        "You have 3 dots. Put them on the options that matter most: all on one, or spread.")


#: A submission (form fields) and the message beside its field, worded by describe.
CHECK_CASES = [
    ("risks", {"party": "us", "q0": "9"}, "q0", "Floods damage water points: likelihood must be between 1 and 5 "
     "(you typed '9')"),
    ("risks", {"party": "us", "q0": "almost certain", "q1": "x"}, "q1",
     "Floods damage water points: impact must be a whole number (you typed 'x')"),
    ("risks", {"party": "nobody", "q0": "3"}, "party",
     "Your organisation must be one of 'us', 'riverbend-clinic', 'clearflow' or 'bytebridge' (you typed 'nobody')"),
    ("health", {"party": "us"}, "q0", "History of collaboration is required"),
    ("votes", {"q0": "2", "q1": "2"}, "", "You have 3 dots in all (you placed 4)."),
    ("votes", {"q0": "4"}, "q0", "Trusted by village leaders after 10 years in the district must be between 0 "
     "and 3 (you typed '4')"),
    ("parking", {"q0": "x" * 5001}, "q0", "Your comment must be at most 5,000 characters (you typed 5,001)"),
    ("parking", {"q0": "   "}, "q0", "Your comment is required"),
]


@pytest.mark.parametrize(("kind", "form", "field", "message"), CHECK_CASES)
def test_a_bad_answer_is_named_by_its_question(plan, kind, form, field, message):
    assert new_activity(plan, kind).check(form).problems[field] == message


def test_scale_words_are_accepted_as_in_the_notebooks(plan):
    activity = new_activity(plan, "risks")
    form = {"party": "us"} | {slot: "Almost certain" if q.key.endswith("likelihood") else "2"
                              for slot, q in activity.slots.items()}
    assert activity.check(form).answers["r-floods:likelihood"] == 5


def test_what_was_typed_comes_back_with_the_problems(plan):
    checked = new_activity(plan, "risks").check({"party": "us", "q0": "9", "q1": "2"})
    assert checked.typed == {"party": "us", "q0": "9", "q1": "2"}


ACCEPT_CASES = [
    ("risks", "r-floods:likelihood", None, [("a", "us", 2), ("b", "us", 5)],
     lambda p: next(r.likelihood for r in p.risks.risks if r.id == "r-floods"), 4),
    ("stakeholders", "st-dho:interest", 1, [],
     lambda p: next(s.interest for s in p.community.stakeholders if s.id == "st-dho"), 1),
    ("candidates", "st-lukes:cr-safeguarding", None, [("a", "us", 1), ("b", "us", 2), ("c", "us", 2)],
     lambda p: next(s.score for s in p.partners.scores if (s.candidate, s.criterion) == ("st-lukes", "cr-safeguarding")),
     2),
]


@pytest.mark.parametrize(("kind", "key", "value", "people", "read", "expected"), ACCEPT_CASES)
def test_accepting_writes_the_median_or_the_value_agreed(plan, kind, key, value, people, read, expected):
    activity = new_activity(plan, kind)
    section, new = activity.accept(plan, key, value, people)
    assert read(plan.model_copy(update={section: new})) == expected


def test_accepting_the_survey_keeps_each_persons_answer(plan):
    activity = new_activity(plan, "survey")
    key = activity.questions[0].key
    _, community = activity.accept(plan, key, None, [("a", "us", 4), ("b", "clearflow", 2)])
    added = [(a.group, a.answer) for a in community.answers if a.respondent.startswith(activity.id)]
    assert added == [("Hope Alliance International", 4), ("ClearFlow Water Trust", 2)]


def test_votes_are_for_discussion_not_written_into_the_plan(plan):
    activity = new_activity(plan, "votes")
    with pytest.raises(PlanError, match="nothing to write into the plan"):
        activity.accept(plan, activity.questions[0].key, None, [])


MEDIAN_CASES = [([1, 2, 3], 2), ([2, 3], 3), ([1, 1, 4, 5], 3), ([4], 4)]


@pytest.mark.parametrize(("values", "expected"), MEDIAN_CASES)
def test_the_median_is_rounded_half_up_to_the_scale(values, expected):
    assert median_value(values) == expected


def test_a_pairwise_comparison_names_both_criteria_on_saatys_scale(plan):
    last = new_activity(plan, "candidates", pairwise=True).questions[-1]
    assert [words for _, words in last.choices][3:6] == [
        "Data protection a little more", "Equal", "Local presence and trust a little more"]


#: Options a facilitator may start each kind with (the records picked, TOWS, pairs compared).
REBUILD_CASES = [
    ("health", {}),
    ("candidates", {"items": ("riverbend-clinic", "st-lukes"), "pairwise": True}),
    ("risks", {"items": ("r-floods",)}),
    ("stakeholders", {}),
    ("survey", {}),
    ("votes", {"tows": True}),
    ("parking", {}),
]


@pytest.mark.parametrize(("kind", "options"), REBUILD_CASES)
def test_an_activity_is_rebuilt_from_its_options_asking_the_same(plan, kind, options):
    first = new_activity(plan, kind, **options)
    again = new_activity(plan, kind, activity_id=first.id, title=first.title, **first.options)
    assert (again.id, [q.key for q in again.questions]) == (first.id, [q.key for q in first.questions])


def test_weights_are_written_in_percent_and_never_zero(plan):
    activity = new_activity(plan, "candidates", pairwise=True)
    first, *others = activity.criteria
    _, partners = activity.accept(plan, WEIGHTS_ITEM, None, [("a", "", {first: 0.9996} | dict.fromkeys(others, 0.00008))])
    assert [c.weight for c in partners.criteria] == [100.0] + [0.1] * len(others)


def test_weights_without_anybodys_comparisons_are_refused(plan):
    activity = new_activity(plan, "candidates", pairwise=True)
    with pytest.raises(PlanError, match="Nobody has compared the criteria yet"):
        activity.accept(plan, WEIGHTS_ITEM, None, [])
