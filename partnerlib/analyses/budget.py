"""Step 8 — resources and budget: contributions valued, shares, balances, the vision budget.

Money is in the plan's currency throughout. In-kind time is valued as hours ×
the hourly value of its rate; the rate's year and source travel with the value
so a reader can judge it. Step 4's business-case budget (costs, returns, return
on investment) is summarised here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.problems import PlanError
from ..models import CONTRIBUTION_TYPES
from .checks import raise_problems, rule_problems

if TYPE_CHECKING:
    import pandas as pd

    from ..models import BusinessCase, Resources

__all__ = [
    "Balances",
    "BusinessCaseBudget",
    "balances",
    "business_case_budget",
    "contributions_by_type",
    "contributions_table",
    "resource_shares",
    "vision_budget",
]

#: Amounts smaller than this (less than a cent) count as settled.
_CENT = 0.005


def _known_party(table: pd.DataFrame, column: str, parties: dict[str, str], name: str) -> None:
    """Refuse rows whose party is not one of the plan's parties."""
    bad = ~table[column].isin(list(parties))
    raise_problems(rule_problems(table, name, column, bad, "party", known=list(parties)))


def contributions_table(resources: Resources, parties: dict[str, str]) -> pd.DataFrame:
    """Value every contribution in money: its amount plus in-kind hours × the rate's hourly value.

    Cash is counted at its amount. In-kind time is counted as hours × the
    hourly value of its rate; an in-kind good with a money value is counted at
    its amount. The rate's name, year and source are carried along.

    >>> from partnerlib.models import Contribution, Rate, Resources
    >>> resources = Resources(
    ...     rates=[Rate(id="nurse", name="Nurse", hourly=30, year=2026, source="Union scale")],
    ...     contributions=[Contribution(id="c1", party="us", amount=1000),
    ...                    Contribution(id="c2", party="p1", type="people", form="in kind",
    ...                                 hours=10, rate="nurse")])
    >>> contributions_table(resources, {"us": "Us", "p1": "Clinic"})["value"].tolist()
    [1000.0, 300.0]

    Args:
        resources: the plan's step-8 section.
        parties: the plan's parties, id → name (``Plan.parties()``).

    Returns:
        One row per contribution: ``id``, ``party``, ``party_name``, ``type``,
        ``description``, ``form``, ``amount``, ``hours``, ``rate``, ``rate_name``,
        ``hourly``, ``rate_year``, ``rate_source``, ``value``.
    """
    import pandas as pd

    from ..models import Contribution, Rate
    from .tables import records_table

    table = records_table(resources.contributions, Contribution)
    _known_party(table, "party", parties, "contributions")
    rates = records_table(resources.rates, Rate).set_index("id")
    hourly = table["rate"].map(rates["hourly"]).astype(float).fillna(0.0)
    valued = pd.DataFrame(
        {
            "id": table["id"],
            "party": table["party"],
            "party_name": table["party"].map(parties),
            "type": table["type"],
            "description": table["description"],
            "form": table["form"],
            "amount": table["amount"].astype(float),
            "hours": table["hours"].astype(float),
            "rate": table["rate"],
            "rate_name": table["rate"].map(rates["name"]),
            "hourly": hourly,
            "rate_year": table["rate"].map(rates["year"]).astype("Int64"),
            "rate_source": table["rate"].map(rates["source"]),
        }
    )
    valued["value"] = valued["amount"] + valued["hours"] * valued["hourly"]
    return valued


def contributions_by_type(resources: Resources, parties: dict[str, str]) -> pd.DataFrame:
    """Total the contributions' values per party and type (access, data, finance, people).

    >>> from partnerlib.models import Contribution, Resources
    >>> resources = Resources(contributions=[Contribution(party="us", type="data", amount=50)])
    >>> contributions_by_type(resources, {"us": "Us"}).loc[0, ["data", "total"]].tolist()
    [50.0, 50.0]

    Args:
        resources: the plan's step-8 section.
        parties: the plan's parties, id → name.

    Returns:
        One row per party (in the order of ``parties``): ``party``, ``name``, one
        column per contribution type and ``total``.
    """
    valued = contributions_table(resources, parties)
    matrix = valued.pivot_table(index="party", columns="type", values="value", aggfunc="sum",
                                fill_value=0.0)
    matrix = matrix.reindex(index=list(parties), columns=list(CONTRIBUTION_TYPES), fill_value=0.0)
    matrix = matrix.astype(float)
    matrix["total"] = matrix.sum(axis=1)
    matrix.columns.name = None
    table = matrix.rename_axis("party").reset_index()
    table.insert(1, "name", table["party"].map(parties))
    return table


def resource_shares(resources: Resources, parties: dict[str, str]) -> pd.DataFrame:
    """Each party's share of the contributions and of the costs paid.

    Percents are of the totals over all parties (empty when the total is 0).

    >>> from partnerlib.models import Contribution, Cost, Resources
    >>> resources = Resources(
    ...     contributions=[Contribution(party="us", amount=300), Contribution(party="p1", amount=100)],
    ...     costs=[Cost(paid_by="p1", amount=50)])
    >>> resource_shares(resources, {"us": "Us", "p1": "Clinic"})[
    ...     ["party", "contribution_percent", "cost_percent"]].to_dict("records")
    [{'party': 'us', 'contribution_percent': 75.0, 'cost_percent': 0.0},
     {'party': 'p1', 'contribution_percent': 25.0, 'cost_percent': 100.0}]

    Args:
        resources: the plan's step-8 section.
        parties: the plan's parties, id → name.

    Returns:
        One row per party: ``party``, ``name``, ``contributed``,
        ``contribution_percent``, ``costs_paid``, ``cost_percent``.
    """
    import pandas as pd

    from ..models import Cost
    from .tables import records_table

    contributed = contributions_table(resources, parties).groupby("party")["value"].sum()
    costs = records_table(resources.costs, Cost)
    _known_party(costs, "paid_by", parties, "costs")
    paid = costs.groupby("paid_by")["amount"].sum()
    shares = pd.DataFrame({"party": list(parties), "name": list(parties.values())})
    shares["contributed"] = shares["party"].map(contributed).astype(float).fillna(0.0)
    shares["costs_paid"] = shares["party"].map(paid).astype(float).fillna(0.0)
    for column, percent in (("contributed", "contribution_percent"), ("costs_paid", "cost_percent")):
        total = shares[column].sum()
        shares[percent] = shares[column] * 100 / total if total > 0 else float("nan")
    return shares[["party", "name", "contributed", "contribution_percent", "costs_paid", "cost_percent"]]


@dataclass(frozen=True)
class Balances:
    """What each party owes or is owed under the agreed rule, and how to settle it.

    Attributes:
        rule: the division rule applied.
        total_costs: all costs paid, by every party.
        table: one row per party: ``party``, ``name``, ``costs_paid``,
            ``fair_percent`` (its share of the costs under the rule),
            ``fair_share`` (money), ``balance`` (fair share − costs paid:
            positive owes, negative is owed) and ``status`` in words.
        settlements: payments that settle every balance: ``payer``,
            ``payer_name``, ``payee``, ``payee_name``, ``amount``.
    """

    rule: str
    total_costs: float
    table: pd.DataFrame
    settlements: pd.DataFrame


def _fair_weights(resources: Resources, shares: pd.DataFrame) -> pd.Series:
    """Return each party's fraction of the costs under the agreed rule (summing to 1)."""
    import pandas as pd

    from ..models import Share
    from .tables import records_table

    parties = shares["party"]
    if resources.rule == "equal":
        weights = pd.Series(1.0, index=parties)
    elif resources.rule == "agreed shares":
        agreed = records_table(resources.shares, Share)
        _known_party(agreed, "party", dict.fromkeys(parties, ""), "shares")
        weights = parties.map(agreed.groupby("party")["percent"].sum()).fillna(0.0)
        weights.index = parties
        if weights.sum() <= 0:
            raise PlanError.of("no_agreed_shares")
    else:
        weights = pd.Series(shares["contributed"].to_numpy(), index=parties)
        if weights.sum() <= 0:
            raise PlanError.of("no_contribution_values")
    return weights / weights.sum()


def _settle(table: pd.DataFrame) -> pd.DataFrame:
    """Pair the largest debtor with the largest creditor until every balance is settled.

    Greedy: each payment settles one side in full, so there are at most
    (number of parties − 1) payments. Loops over parties, never over costs.
    """
    import pandas as pd

    owed = dict(zip(table["party"], table["balance"], strict=True))
    names = dict(zip(table["party"], table["name"], strict=True))
    payments = []
    while True:
        debtor = max(owed, key=lambda p: owed[p], default=None)
        creditor = min(owed, key=lambda p: owed[p], default=None)
        if debtor is None or owed[debtor] < _CENT or owed[creditor] > -_CENT:
            break
        amount = min(owed[debtor], -owed[creditor])
        payments.append((debtor, names[debtor], creditor, names[creditor], amount))
        owed[debtor] -= amount
        owed[creditor] += amount
    return pd.DataFrame(payments, columns=["payer", "payer_name", "payee", "payee_name", "amount"])


def balances(resources: Resources, parties: dict[str, str]) -> Balances:
    """Work out what each party owes or is owed under the agreed division rule.

    Under *proportional to contribution* a party bears the costs in proportion
    to its share of the contributions; under *equal* every party bears the same;
    under *agreed shares* each bears its agreed percent. A party's balance is
    its fair share of the total costs minus what it paid: positive means it
    owes, negative that it is owed; the balances add up to 0. The settlement
    lists the payments that square them.

    >>> from partnerlib.models import Cost, Resources
    >>> resources = Resources(rule="equal", costs=[Cost(paid_by="us", amount=900)])
    >>> result = balances(resources, {"us": "Us", "p1": "Clinic", "p2": "Church"})
    >>> result.table["balance"].tolist()
    [-600.0, 300.0, 300.0]
    >>> result.settlements[["payer", "payee", "amount"]].to_dict("records")
    [{'payer': 'p1', 'payee': 'us', 'amount': 300.0}, {'payer': 'p2', 'payee': 'us', 'amount': 300.0}]

    Args:
        resources: the plan's step-8 section (contributions, costs, rule, shares).
        parties: the plan's parties, id → name.

    Returns:
        A :class:`Balances`.
    """
    import numpy as np

    shares = resource_shares(resources, parties)
    total = float(shares["costs_paid"].sum())
    table = shares[["party", "name", "costs_paid"]].copy()
    if total > 0 and len(table):
        weights = _fair_weights(resources, shares).to_numpy()
    else:
        weights = np.full(len(table), 1 / max(len(table), 1))
    table["fair_percent"] = weights * 100
    table["fair_share"] = weights * total
    table["balance"] = table["fair_share"] - table["costs_paid"]
    money = table["balance"].abs().map("{:,.2f}".format)
    table["status"] = np.select(
        [table["balance"] >= _CENT, table["balance"] <= -_CENT],
        ["owes " + money, "is owed " + money],
        "settled",
    )
    return Balances(rule=resources.rule, total_costs=total, table=table, settlements=_settle(table))


def vision_budget(resources: Resources) -> pd.DataFrame:
    """Total the vision-based budget per impact area: expense, income and the gap.

    The gap is expense − income: what the impact area still needs funded
    (negative when income exceeds expense). Areas keep the order they were
    first listed in; the last row, ``Total``, adds them up.

    >>> from partnerlib.models import Resources, VisionLine
    >>> resources = Resources(vision_budget=[
    ...     VisionLine(impact_area="Clean water", kind="expense", amount=500),
    ...     VisionLine(impact_area="Clean water", kind="income", amount=200)])
    >>> vision_budget(resources).to_dict("records")[0]
    {'impact_area': 'Clean water', 'expense': 500.0, 'income': 200.0, 'gap': 300.0}

    Args:
        resources: the plan's step-8 section.

    Returns:
        One row per impact area plus a final ``Total`` row: ``impact_area``,
        ``expense``, ``income``, ``gap``.
    """
    import numpy as np
    import pandas as pd

    from ..models import VisionLine
    from .tables import records_table

    lines = records_table(resources.vision_budget, VisionLine)
    areas = list(dict.fromkeys(lines["impact_area"]))
    # one grouped sum, read into columns: a pivot table costs ten times as much for the same sums
    sums = lines.groupby(["impact_area", "kind"], sort=False)["amount"].sum().to_dict()
    kinds = {kind: np.array([sums.get((area, kind), 0.0) for area in areas], dtype=float)
             for kind in ("expense", "income")}
    table = pd.DataFrame({"impact_area": [*areas, "Total"],
                          **{kind: np.append(amounts, amounts.sum()) for kind, amounts in kinds.items()}})
    table["gap"] = table["expense"] - table["income"]
    return table


@dataclass(frozen=True)
class BusinessCaseBudget:
    """The business case's money in four figures.

    Attributes:
        costs: the total of the cost lines.
        returns: the total of the expected returns.
        net: returns − costs.
        roi: return on investment, (returns − costs) / costs; None when there are no costs.
    """

    costs: float
    returns: float
    net: float
    roi: float | None


def business_case_budget(business_case: BusinessCase) -> BusinessCaseBudget:
    """Sum the business case's costs and expected returns and work out the return on investment.

    >>> from partnerlib.models import BudgetLine, BusinessCase
    >>> case = BusinessCase(budget=[BudgetLine(kind="cost", amount=400),
    ...                             BudgetLine(kind="return", amount=500)])
    >>> business_case_budget(case)
    BusinessCaseBudget(costs=400.0, returns=500.0, net=100.0, roi=0.25)

    Args:
        business_case: the plan's step-4 section.

    Returns:
        A :class:`BusinessCaseBudget`.
    """
    costs = float(sum(line.amount for line in business_case.budget if line.kind == "cost"))
    returns = float(sum(line.amount for line in business_case.budget if line.kind == "return"))
    return BusinessCaseBudget(
        costs=costs, returns=returns, net=returns - costs, roi=(returns - costs) / costs if costs else None
    )
