import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import PlanError, balances, business_case_budget, resource_shares, vision_budget
from partnerlib.analyses.budget import contributions_by_type, contributions_table
from partnerlib.models import (
    BudgetLine,
    BusinessCase,
    Contribution,
    Cost,
    Rate,
    Resources,
    Share,
    VisionLine,
)
from partnerlib.output.charts.budget import plot_resource_shares, plot_vision_budget

PARTIES = {"us": "Mission", "clinic": "Clinic", "church": "Church"}


def sample(**changes):
    """Us: 6,000 cash; clinic: 100 nurse hours at 40 = 4,000; church: nothing.

    Costs: us 3,000, clinic 1,000 (total 4,000).
    """
    return Resources(
        rates=[Rate(id="nurse", name="Nurse", hourly=40, year=2025, source="Pay scale")],
        contributions=[
            Contribution(id="c1", party="us", type="finance", amount=6000),
            Contribution(id="c2", party="clinic", type="people", form="in kind", hours=100, rate="nurse"),
        ],
        costs=[Cost(paid_by="us", amount=3000), Cost(paid_by="clinic", amount=1000)],
        **changes,
    )


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("value", [6000.0, 4000.0]),  # 100 h x 40
        ("party_name", ["Mission", "Clinic"]),
        ("rate_year", [None, 2025]),
        ("rate_source", [None, "Pay scale"]),
    ],
)
def test_contributions_table(column, expected):
    values = contributions_table(sample(), PARTIES)[column].tolist()
    assert [None if pd.isna(v) else v for v in values] == expected


def test_in_kind_amount_and_hours_add_up():
    resources = Resources(
        rates=[Rate(id="v", hourly=10)],
        contributions=[Contribution(party="us", form="in kind", amount=50, hours=3, rate="v")],
    )
    assert contributions_table(resources, PARTIES).loc[0, "value"] == 80.0  # 50 + 3 x 10


def test_contributions_by_type():
    table = contributions_by_type(sample(), PARTIES).set_index("party")
    assert table.loc[["us", "clinic", "church"], ["finance", "people", "total"]].to_numpy().tolist() == [
        [6000.0, 0.0, 6000.0], [0.0, 4000.0, 4000.0], [0.0, 0.0, 0.0]]


def test_unknown_party_names_the_row():
    resources = Resources(contributions=[Contribution(party="us"), Contribution(party="stranger")])
    with pytest.raises(PlanError, match="contributions row 2: 'party' must be a party of the plan"):
        contributions_table(resources, PARTIES)


def test_unknown_payer_names_the_row():
    resources = Resources(costs=[Cost(paid_by="stranger", amount=5)])
    with pytest.raises(PlanError, match="costs row 1: 'paid_by' must be a party of the plan"):
        resource_shares(resources, PARTIES)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("contribution_percent", [60.0, 40.0, 0.0]),  # 6,000 and 4,000 of 10,000
        ("cost_percent", [75.0, 25.0, 0.0]),  # 3,000 and 1,000 of 4,000
    ],
)
def test_resource_shares(column, expected):
    assert resource_shares(sample(), PARTIES)[column].tolist() == expected


@pytest.mark.parametrize(
    ("rule", "shares", "expected"),
    [
        # fair shares 60 % / 40 % / 0 % of 4,000 = 2,400 / 1,600 / 0, minus paid 3,000 / 1,000 / 0
        ("proportional to contribution", [], [-600.0, 600.0, 0.0]),
        # 4,000 / 3 each, minus paid
        ("equal", [], [4000 / 3 - 3000, 4000 / 3 - 1000, 4000 / 3]),
        # 50 / 25 / 25 % = 2,000 / 1,000 / 1,000
        ("agreed shares", [("us", 50), ("clinic", 25), ("church", 25)], [-1000.0, 0.0, 1000.0]),
    ],
)
def test_balances_per_rule(rule, shares, expected):
    resources = sample(rule=rule, shares=[Share(party=p, percent=v) for p, v in shares])
    assert balances(resources, PARTIES).table["balance"].tolist() == pytest.approx(expected)


def test_balance_status_in_words():
    assert balances(sample(), PARTIES).table["status"].tolist() == [
        "is owed 600.00", "owes 600.00", "settled"]


def test_settlement():
    settlements = balances(sample(rule="equal"), PARTIES).settlements
    # us is owed 1,666.67; church owes 1,333.33 and clinic 333.33, largest first.
    rows = [(r.payer, r.payee, round(r.amount, 2)) for r in settlements.itertuples()]
    assert rows == [("church", "us", 1333.33), ("clinic", "us", 333.33)]


def test_no_costs_means_nothing_owed():
    assert balances(Resources(), PARTIES).table["balance"].tolist() == [0.0, 0.0, 0.0]


def test_proportional_without_contributions_is_refused():
    resources = Resources(costs=[Cost(paid_by="us", amount=10)])
    with pytest.raises(PlanError, match="no contribution has a value yet"):
        balances(resources, PARTIES)


def test_agreed_shares_missing_is_refused():
    resources = Resources(rule="agreed shares", costs=[Cost(paid_by="us", amount=10)])
    with pytest.raises(PlanError, match="no shares are set"):
        balances(resources, PARTIES)


def test_share_for_unknown_party_names_the_row():
    resources = Resources(rule="agreed shares", costs=[Cost(paid_by="us", amount=10)],
                          shares=[Share(party="us", percent=50), Share(party="stranger", percent=50)])
    with pytest.raises(PlanError, match="shares row 2: 'party' must be a party of the plan"):
        balances(resources, PARTIES)


money = st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 2))
party = st.sampled_from(list(PARTIES))
plans = st.builds(
    lambda rule, gifts, costs: Resources(
        rule=rule,
        contributions=[Contribution(party=p, amount=a) for p, a in gifts],
        costs=[Cost(paid_by=p, amount=a) for p, a in costs],
    ),
    st.sampled_from(["proportional to contribution", "equal"]),
    st.lists(st.tuples(party, money.filter(lambda v: v > 1)), min_size=1, max_size=6),
    st.lists(st.tuples(party, money), max_size=6),
)


@settings(max_examples=40, deadline=None)
@given(plans)
def test_balances_sum_to_zero(resources):
    result = balances(resources, PARTIES)
    assert result.table["balance"].sum() == pytest.approx(0, abs=1e-6 * max(result.total_costs, 1))


@settings(max_examples=40, deadline=None)
@given(plans)
def test_settlements_square_every_balance(resources):
    result = balances(resources, PARTIES)
    paid = result.settlements.groupby("payer")["amount"].sum()
    received = result.settlements.groupby("payee")["amount"].sum()
    net = paid.sub(received, fill_value=0).reindex(list(PARTIES), fill_value=0)
    assert net.tolist() == pytest.approx(result.table["balance"].tolist(), abs=0.01)


@settings(max_examples=50, deadline=None)
@given(plans, st.randoms(use_true_random=False))
def test_reordering_rows_never_changes_balances(resources, random):
    contributions, costs = list(resources.contributions), list(resources.costs)
    random.shuffle(contributions)
    random.shuffle(costs)
    shuffled = resources.model_copy(update={"contributions": contributions, "costs": costs})
    assert balances(shuffled, PARTIES).table["balance"].tolist() == pytest.approx(
        balances(resources, PARTIES).table["balance"].tolist(), abs=1e-6)


def test_vision_budget():
    resources = Resources(vision_budget=[
        VisionLine(impact_area="Water", kind="expense", amount=500),
        VisionLine(impact_area="Health", kind="expense", amount=300),
        VisionLine(impact_area="Water", kind="income", amount=200),
        VisionLine(impact_area="Water", kind="expense", amount=100),
    ])
    # Water: 600 - 200 = 400; Health: 300 - 0; total 900 - 200 = 700.
    rows = vision_budget(resources).to_numpy().tolist()
    assert rows == [["Water", 600.0, 200.0, 400.0], ["Health", 300.0, 0.0, 300.0],
                    ["Total", 900.0, 200.0, 700.0]]


def test_empty_vision_budget_has_a_zero_total():
    assert vision_budget(Resources()).to_numpy().tolist() == [["Total", 0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([("cost", 400), ("cost", 100), ("return", 750)], (500.0, 750.0, 250.0, 0.5)),  # 250 / 500
        ([("return", 10)], (0.0, 10.0, 10.0, None)),
        ([("cost", 200)], (200.0, 0.0, -200.0, -1.0)),
    ],
)
def test_business_case_budget(lines, expected):
    case = BusinessCase(budget=[BudgetLine(kind=k, amount=a) for k, a in lines])
    result = business_case_budget(case)
    assert (result.costs, result.returns, result.net, result.roi) == expected


def test_shares_chart():
    axes = plot_resource_shares(resource_shares(sample(), PARTIES)).axes[0]
    texts = [t.get_text() for t in axes.texts]
    assert (axes.get_title(), [t.get_text() for t in axes.get_yticklabels()], "60%" in texts,
            "75%" in texts) == ("Who brings what and who pays what", ["Mission", "Clinic", "Church"],
                                True, True)


def test_vision_chart():
    resources = Resources(vision_budget=[VisionLine(impact_area="Water", amount=500),
                                         VisionLine(impact_area="Water", kind="income", amount=200)])
    axes = plot_vision_budget(vision_budget(resources), currency="EUR").axes[0]
    assert (axes.get_title(), axes.get_xlabel(), [t.get_text().strip() for t in axes.texts]) == (
        "Vision budget by impact area", "Yearly amount (EUR)", ["gap 300"])


def test_empty_resources():
    result = balances(Resources(), {"us": "Mission"})
    assert (result.total_costs, result.table["balance"].tolist(), len(result.settlements),
            contributions_table(Resources(), PARTIES).empty) == (0.0, [0.0], 0, True)
