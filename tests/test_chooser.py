"""The plan chooser of step 0 and the current plan every notebook reads."""

from __future__ import annotations

import html

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
from partnerlib.output.views import show_plans

#: The plans of the seeded workspace, by name: the sample's second SSU, then the sample plan.
SECOND = "Lakeside Girls' Education"

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
    with pytest.raises(PlanNotFound, match="The plans there are: \"Lakeside Girls' Education\", 'Riverside Community Health'"):
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


def test_a_new_plan_starts_as_a_copy_of_the_plan_chosen_under_start_from(book):
    chooser = plan_chooser(book)
    offered = chooser.start_from.options
    chooser.start_from.value = SAMPLE_PLAN
    _create(chooser)
    assert (offered[:2], len(book.load("Island health").plan.risks.risks)) == (
        (("an empty plan", ""), (f"a copy of {SECOND}", SECOND)), len(book.load(SAMPLE_PLAN).plan.risks.risks))


def test_a_bad_detail_is_named_and_what_was_typed_stays(book):
    chooser = plan_chooser(book)
    chooser.name.value, chooser.organisation.value, chooser.currency.value = "<b>Ours</b>", "Hope", "euro"
    chooser.create.click()
    assert (
        "currency" in chooser.message.value,
        "&lt;b&gt;" in chooser.message.value or "<b>Ours" not in chooser.message.value,
        chooser.name.value,
        [p.name for p in book.plans()],
    ) == (True, True, "<b>Ours</b>", [SECOND, SAMPLE_PLAN])


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


def _create(chooser, name="Island health", organisation="Hope", currency="KES"):
    chooser.name.value, chooser.organisation.value, chooser.currency.value = name, organisation, currency
    chooser.create.click()


def test_the_list_of_plans_shows_a_new_plan_at_once(book):
    chooser = plan_chooser(book)
    _create(chooser)
    assert ("Island health" in chooser.listing.value, chooser.plans.options) == (
        True,
        ("Island health", SECOND, SAMPLE_PLAN),
    )


def test_the_form_is_cleared_after_create(book):
    chooser = plan_chooser(book)
    _create(chooser)
    assert (chooser.name.value, chooser.organisation.value, chooser.currency.value) == ("", "", "USD")


def test_create_pressed_again_asks_for_a_name_and_not_for_another_one(book):
    chooser = plan_chooser(book)
    _create(chooser)
    chooser.create.click()
    assert ("already" in chooser.message.value, [p.name for p in book.plans()]) == (
        False,
        ["Island health", SECOND, SAMPLE_PLAN],
    )


def test_a_brand_new_plan_has_no_saves_yet(book):
    chooser = plan_chooser(book)
    _create(chooser)
    saves = show_plans(book).frame.set_index("Plan")["Saves since created"]
    assert (saves["Island health"], ">0</td>" in chooser.listing.value) == ("0", True)


# (what was typed as the currency, what the message quotes)
CURRENCIES = [("euro", "'euro'"), ("Euro dollars", "'Euro dollars'")]


@pytest.mark.parametrize(("typed", "quoted"), CURRENCIES)
def test_the_currency_message_quotes_what_was_typed(book, typed, quoted):
    chooser = plan_chooser(book)
    _create(chooser, currency=typed)
    assert html.escape(quoted) in chooser.message.value


def test_a_plan_is_renamed_and_stays_chosen(book):
    new_plan(book, "Ours", organisation="Hope")
    chooser = plan_chooser(book)
    chooser.plans.value = "Ours"
    chooser.new_name.value = "Island health"
    chooser.rename.click()
    assert ([p.name for p in book.plans()], current_plan(book), chooser.plans.value) == (
        ["Island health", SECOND, SAMPLE_PLAN],
        "Island health",
        "Island health",
    )


def test_delete_asks_first_and_keep_deletes_nothing(book):
    chooser = plan_chooser(book)
    chooser.delete.click()
    asked = chooser.confirmation.layout.display
    chooser.keep.click()
    assert (asked, chooser.confirmation.layout.display, [p.name for p in book.plans()]) == (
        None,
        "none",
        [SECOND, SAMPLE_PLAN],
    )


def test_a_confirmed_delete_removes_the_plan_from_the_list(book):
    new_plan(book, "Ours", organisation="Hope")
    chooser = plan_chooser(book)
    chooser.plans.value = "Ours"
    chooser.delete.click()
    chooser.confirm_delete.click()
    assert ([p.name for p in book.plans()], chooser.plans.options, "Ours" in chooser.listing.value) == (
        [SECOND, SAMPLE_PLAN],
        (SECOND, SAMPLE_PLAN),
        False,
    )


@pytest.fixture
def page_address(monkeypatch):
    """Stand for a Voilà page's kernel: set its query string."""

    def open_page(query: str) -> None:
        monkeypatch.setenv("QUERY_STRING", query)
        monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5")

    return open_page


# (query string of the page, plan it works on)
SESSIONS = [
    ("plan=Ours", "Ours"),
    ("plan=Riverside+Community+Health", SAMPLE_PLAN),
    ("plan=Gone", "Ours"),  # an unknown plan: the workspace's choice
    ("", "Ours"),
]


@pytest.mark.parametrize(("query", "works_on"), SESSIONS)
def test_a_voila_page_works_on_the_plan_in_its_address(book, page_address, query, works_on):
    new_plan(book, "Ours", organisation="Hope")  # the workspace's choice
    page_address(query)
    assert current_plan(book) == works_on


def test_two_browser_sessions_work_on_two_plans(book, page_address):
    new_plan(book, "Ours", organisation="Hope")
    page_address(f"plan={SAMPLE_PLAN}")
    first = current_plan(book)
    page_address("plan=Ours")
    assert (first, current_plan(book)) == (SAMPLE_PLAN, "Ours")


def test_choosing_in_voila_marks_the_session_plan_for_the_pages_links(book, page_address):
    new_plan(book, "Ours", organisation="Hope")
    page_address("plan=Ours")
    chooser = plan_chooser(book)
    chooser.plans.value = SAMPLE_PLAN
    chooser.use.click()
    assert (
        f'data-session-plan="{SAMPLE_PLAN}"' in chooser.message.value,
        "other browsers keep their own plan" in chooser.message.value,
    ) == (True, True)
