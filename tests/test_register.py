import datetime as dt

import pandas as pd
import pytest

from partnerlib.analyses.register import (
    contacts_not_reached,
    donors_to_thank,
    gift_budget,
    gifts_by,
    gifts_table,
    normalised_name,
    register_duplicates,
    shared_partners,
)
from partnerlib.models import (
    Candidate,
    Gift,
    Organisation,
    Partners,
    Person,
    Plan,
    PlanInfo,
    Resources,
    VisionLine,
)

NAME_CASES = [
    ("Riverbend Health Centre", "riverbend health centre"),
    ("  RIVERBEND   health-centre ", "riverbend health centre"),
    ("The Riverbend Health Centre Ltd.", "riverbend health centre"),
    ("Église Évangélique", "eglise evangelique"),
    ("St. Luke's", "st luke s"),
    ("", ""),
]


@pytest.mark.parametrize(("name", "expected"), NAME_CASES)
def test_normalised_name(name, expected):
    assert normalised_name(name) == expected


ORGANISATIONS = [
    Organisation(id="o1", name="ClearFlow Water Trust"),
    Organisation(id="o2", name="Clearflow water trust Ltd"),
    Organisation(id="o3", name="ByteBridge"),
]
PEOPLE = [
    Person(id="p1", name="Ann Lee", email="ann@clearflow.org", last_contacted=dt.date(2026, 9, 1)),
    Person(id="p2", name="Ann  Lee", email="", last_contacted=dt.date(2026, 1, 1)),
    Person(id="p3", name="A. Lee", email="ANN@clearflow.org"),
    Person(id="p4", name="Bo Chen", email="bo@bytebridge.io", last_contacted=dt.date(2026, 7, 1)),
]


def test_duplicates_pair_same_names_and_same_emails():
    found = register_duplicates(ORGANISATIONS, PEOPLE)
    assert found[["kind", "first", "second", "why"]].values.tolist() == [
        ["organisation", "o1", "o2", "same name"],
        ["person", "p1", "p2", "same name"],
        ["person", "p1", "p3", "same email"],
    ]


def test_contacts_not_reached_lists_the_silent_longest_first():
    found = contacts_not_reached(PEOPLE, as_of=dt.date(2026, 9, 30), days=60)
    assert found[["name", "days_since"]].values.tolist() == [["A. Lee", None], ["Ann  Lee", 272], ["Bo Chen", 91]]


GIFTS = [
    Gift(id="g1", donor="o1", plan="Riverside", date=dt.date(2026, 8, 1), amount=1000, currency="USD"),
    Gift(id="g2", donor="o1", plan="Riverside", date=dt.date(2026, 2, 1), amount=500, currency="USD"),
    Gift(id="g3", donor="p4", plan="Lakeside", date=dt.date(2026, 9, 1), amount=300, currency="EUR"),
    Gift(id="g4", donor="o3", plan="Riverside", date=dt.date(2026, 12, 1), amount=2000, currency="USD",
         kind="pledge", status="expected"),
    Gift(id="g5", donor="gone", plan="Riverside", date=dt.date(2026, 9, 15), amount=50, currency="EUR"),
]


@pytest.fixture
def gifts():
    return gifts_table(GIFTS, ORGANISATIONS, PEOPLE)


def test_gifts_table_names_each_donor_from_the_register(gifts):
    assert gifts["donor_name"].tolist() == [
        "ClearFlow Water Trust", "ClearFlow Water Trust", "Bo Chen", "unknown donor (gone)", "ByteBridge"
    ]


def test_gifts_by_donor_keeps_currencies_apart(gifts):
    totals = gifts_by(gifts, "donor")
    assert totals[["donor_name", "currency", "received", "expected", "gifts"]].values.tolist() == [
        ["ByteBridge", "USD", 0.0, 2000.0, 1],
        ["ClearFlow Water Trust", "USD", 1500.0, 0.0, 2],
        ["Bo Chen", "EUR", 300.0, 0.0, 1],
        ["unknown donor (gone)", "EUR", 50.0, 0.0, 1],
    ]


def test_gifts_by_plan(gifts):
    totals = gifts_by(gifts, "plan")
    assert totals[["plan", "currency", "total"]].values.tolist() == [
        ["Riverside", "USD", 3500.0], ["Lakeside", "EUR", 300.0], ["Riverside", "EUR", 50.0]
    ]


def test_gift_budget_counts_only_the_plans_currency(gifts):
    plan = Plan(info=PlanInfo(name="Riverside", currency="USD"), resources=Resources(vision_budget=[
        VisionLine(impact_area="Water", kind="expense", amount=10_000),
        VisionLine(impact_area="Water", kind="income", amount=4_000),
    ]))
    lines = gift_budget(plan, gifts)
    # expense 10,000 − received 1,500 − expected 2,000 = 6,500; the 50 EUR gift is listed, not counted.
    assert lines[["line", "amount", "currency", "counted"]].values.tolist() == [
        ["expense", 10_000.0, "USD", True], ["planned income", 4_000.0, "USD", True],
        ["received", 1_500.0, "USD", True], ["expected", 2_000.0, "USD", True], ["gap", 6_500.0, "USD", True],
        ["gifts in EUR, not counted", 50.0, "EUR", False],
    ]


def test_donors_to_thank_recent_gifts_and_expected_ones(gifts):
    found = donors_to_thank(gifts, as_of=dt.date(2026, 9, 30), days=90)
    assert found[["donor_name", "action"]].values.tolist() == [
        ["ClearFlow Water Trust", "thank"], ["Bo Chen", "thank"], ["unknown donor (gone)", "thank"],
        ["ByteBridge", "report and remind"],
    ]


def test_shared_partners_lists_plans_that_use_an_organisation():
    plans = {
        "Riverside": Plan(partners=Partners(candidates=[
            Candidate(id="c1", name="ClearFlow", organisation_id="o1", status="selected"),
            Candidate(id="c2", name="ByteBridge", organisation_id="o3")])),
        "Lakeside": Plan(partners=Partners(candidates=[Candidate(id="c9", name="ClearFlow", organisation_id="o1")])),
    }
    found = shared_partners(plans, ORGANISATIONS)
    assert found[["organisation", "plans", "ssus", "selected_in"]].values.tolist() == [
        ["ClearFlow Water Trust", 2, "Riverside, Lakeside", "Riverside"], ["ByteBridge", 1, "Riverside", ""]
    ]


def test_an_empty_register_gives_empty_tables():
    empty = gifts_table([], [], [])
    assert (len(empty), len(gifts_by(empty, "donor")), len(register_duplicates([], [])),
            list(empty.columns)) == (0, 0, 0, list(pd.Index(empty.columns)))


def test_a_received_pledge_is_refused():
    with pytest.raises(ValueError, match="pledge"):
        Gift(donor="o1", plan="Riverside", date=dt.date(2026, 1, 1), kind="pledge", status="received")
