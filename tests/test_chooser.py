"""The plan chooser of step 0 and the current plan every notebook reads."""

from __future__ import annotations

import pytest

from partnerlib import (
    PlanNotFound,
    choose_plan,
    current_plan,
    new_plan,
    open_workspace,
    plan_chooser,
)
from partnerlib.core.paths import SAMPLE_PLAN


@pytest.fixture
def book(workspace_target):
    workspace = open_workspace(workspace_target)
    yield workspace
    workspace.close()


def test_a_new_workspace_works_on_the_sample(book):
    assert current_plan(book) == SAMPLE_PLAN


def test_a_plan_named_in_the_parameters_wins(book):
    assert current_plan(book, "Another") == "Another"


def test_the_chosen_plan_is_remembered_by_the_workspace(book, workspace_target):
    new_plan(book, "Ours", organisation="Hope")
    choose_plan(book, SAMPLE_PLAN)
    book.close()
    again = open_workspace(workspace_target)
    assert current_plan(again) == SAMPLE_PLAN
    again.close()


def test_choosing_an_unknown_plan_names_the_plans_there_are(book):
    with pytest.raises(PlanNotFound, match="The plans there are: .*'Riverside Community Health'"):
        choose_plan(book, "Nope")


def test_a_copy_keeps_the_measurements_and_takes_the_new_details(book):
    snapshot = new_plan(book, "Ours", organisation="Hope", ssu_name="Islands", copy_of=SAMPLE_PLAN)
    assert (snapshot.plan.info.organisation, snapshot.plan.info.ssu_name, len(book.measurements("Ours"))) == (
        "Hope",
        "Islands",
        len(book.measurements(SAMPLE_PLAN)),
    )


def test_the_form_creates_an_empty_plan_and_chooses_it(book):
    chooser = plan_chooser(book)
    chooser.name.value, chooser.organisation.value, chooser.currency.value = "Island health", "Hope", "kes"
    chooser.create.click()
    assert (current_plan(book), book.load("Island health").plan.info.currency, chooser.plans.value) == (
        "Island health",
        "KES",
        "Island health",
    )


def test_a_bad_detail_is_named_and_what_was_typed_stays(book):
    chooser = plan_chooser(book)
    chooser.name.value, chooser.organisation.value, chooser.currency.value = "<b>Ours</b>", "Hope", "euro"
    chooser.create.click()
    assert (
        "currency" in chooser.message.value,
        "&lt;b&gt;" in chooser.message.value or "<b>Ours" not in chooser.message.value,
        chooser.name.value,
        [p.name for p in book.plans()],
    ) == (True, True, "<b>Ours</b>", ["Lakeside Girls' Education", SAMPLE_PLAN])


def test_a_taken_name_is_refused(book):
    chooser = plan_chooser(book)
    chooser.name.value, chooser.organisation.value = SAMPLE_PLAN, "Hope"
    chooser.create.click()
    assert "already a plan called" in chooser.message.value


def test_work_on_this_plan(book):
    new_plan(book, "Ours", organisation="Hope")
    chooser = plan_chooser(book)
    chooser.plans.value = SAMPLE_PLAN
    chooser.use.click()
    assert (current_plan(book), "now works on" in chooser.message.value) == (SAMPLE_PLAN, True)
