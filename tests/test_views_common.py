"""What the views share: one analysis per section content, and each step's views loaded on their own."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import partnerlib.output.views
from partnerlib import load_sample
from partnerlib.output.views import (
    show_health_check,
    show_health_groups,
    show_missing,
    show_step_readiness,
)
from partnerlib.output.views.common import per_section


@pytest.fixture
def counted():
    """A helper of the review section that counts its runs, shared per section content."""
    runs = []

    @per_section("review", remember=2)
    def helper(plan, factor):
        runs.append(factor)
        return pd.DataFrame({"factor": [factor], "ratings": [len(plan.review.ratings)]})

    return helper, runs


def test_a_section_unchanged_is_worked_out_once_whichever_plan_holds_it(counted):
    helper, runs = counted
    first, second = helper(load_sample(), "trust"), helper(load_sample(), "trust")
    assert (runs, first.equals(second), first is second) == (["trust"], True, False)


def test_a_changed_table_does_not_change_what_the_next_view_gets(counted):
    helper, _ = counted
    plan = load_sample()
    changed = helper(plan, "trust")
    changed.loc[0, "ratings"] = -1
    assert helper(plan, "trust").loc[0, "ratings"] == len(plan.review.ratings)


def test_a_change_to_the_section_or_the_arguments_is_worked_out_again(counted):
    helper, runs = counted
    plan = load_sample()
    helper(plan, "trust")
    plan.review.ratings.append(plan.review.ratings[0].model_copy())
    changed = helper(plan, "trust")
    helper(plan, "communication")
    assert (runs, changed.loc[0, "ratings"]) == (["trust", "trust", "communication"], len(plan.review.ratings))


def test_a_change_to_another_section_is_not_worked_out_again(counted):
    helper, runs = counted
    plan = load_sample()
    helper(plan, "trust")
    plan.info.name = "Renamed"
    helper(plan, "trust")
    assert runs == ["trust"]


def test_a_helper_reading_two_sections_follows_both():
    runs = []

    @per_section("resources", "info")
    def helper(plan):
        runs.append(plan.info.organisation)
        return len(plan.resources.contributions)

    plan = load_sample()
    helper(plan)
    plan.info.organisation = "Renamed"
    helper(plan)
    plan.resources.contributions.pop()
    assert (helper(plan), runs) == (len(plan.resources.contributions), [runs[0], "Renamed", "Renamed"])


def test_only_the_latest_results_are_kept(counted):
    helper, runs = counted
    plan = load_sample()
    for factor in ["a", "b", "c", "a"]:
        helper(plan, factor)
    assert runs == ["a", "b", "c", "a"]


def test_health_views_follow_changed_ratings():
    plan = load_sample()
    before = (show_health_check(plan).frame["Overall"].tolist(), show_health_groups(plan).frame.copy())
    for rating in plan.review.ratings:
        rating.score = 1
    after = (show_health_check(plan).frame["Overall"].tolist(), show_health_groups(plan).frame)
    assert (before[0], after[0], after[1].equals(before[1])) == (["amber"], ["red"], False)


def test_a_step_loads_its_own_views_only():
    code = (
        "import sys, partnerlib; partnerlib.views.show_objectives; "
        "print(sorted(m for m in sys.modules if m.startswith('partnerlib.output.views.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['partnerlib.output.views.goals']"


def test_every_view_is_reached_from_the_views_package():
    views = [name for name in partnerlib.output.views.__all__ if name.startswith("show_")]
    assert (len(views) > 50, all(callable(getattr(partnerlib.output.views, name)) for name in views)) == (True, True)
    assert set(partnerlib.output.views.__all__) <= set(dir(partnerlib.output.views))


def test_an_unknown_view_is_an_attribute_error():
    with pytest.raises(AttributeError, match="attribute show_nothing"):
        _ = partnerlib.output.views.show_nothing


# (section, what the page says it still lacks): each gap a sentence naming the kind of record and which one.
MISSING = [
    ("communication", ['The line to "Riverside community radio" has no purpose yet.',
                       'The testimonial by "Water committee chair, Island 2" cannot be used yet: no permission given.']),
    ("alignment", ['The peer "Finance and grants" has no contact person yet.']),
    ("risks", []),
]


@pytest.mark.parametrize(("section", "sentences"), MISSING)
def test_what_is_missing_names_each_record_in_a_sentence(section, sentences):
    assert show_missing(load_sample(), section).frame["What is missing"].tolist() == sentences


def test_step_readiness_says_what_a_step_lacks_in_sentences():
    frame = show_step_readiness(load_sample()).table.frame.set_index("Step")
    assert frame.loc["7 · Community engagement", "What is missing"] == (
        'The stakeholder "Market traders\' association" has no engagement planned yet.')
