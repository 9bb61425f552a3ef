"""Views of step 8, resources and budget: contributions valued, shares, balances, the vision budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...models import CONTRIBUTION_TYPES, Plan
from ..display import ShownTable, show_table
from .common import per_section

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ...analyses.budget import Balances

__all__ = [
    "show_balances",
    "show_contributions",
    "show_contributions_by_type",
    "show_resource_shares",
    "show_resource_shares_chart",
    "show_settlements",
    "show_vision_budget",
    "show_vision_budget_chart",
]


# What each partner brings and pays depends on the partners selected (step 3) and on our own name.
@per_section("resources", "info", "partners")
def _shares(plan: Plan) -> pd.DataFrame:
    from ...analyses.budget import resource_shares

    return resource_shares(plan.resources, plan.parties())


@per_section("resources", "info", "partners")
def _balances(plan: Plan) -> Balances:
    from ...analyses.budget import balances

    return balances(plan.resources, plan.parties())


@per_section("resources")
def _vision(plan: Plan) -> pd.DataFrame:
    from ...analyses.budget import vision_budget

    return vision_budget(plan.resources)


def show_contributions(plan: Plan) -> ShownTable:
    """Show every contribution valued in money, partner by partner, largest first.

    In-kind time is valued as hours × the rate's hourly value; the rate's name,
    year and source are shown so readers can judge the value.
    """
    from ...analyses.budget import contributions_table

    parties = plan.parties()
    table = contributions_table(plan.resources, parties)
    table["party_order"] = table["party"].map({p: n for n, p in enumerate(parties)})
    table = table.sort_values(["party_order", "value"], ascending=[True, False], kind="stable")
    timed = table["hours"] > 0
    table["valued_as"] = ""
    table.loc[timed, "valued_as"] = (
        table.loc[timed, "hours"].map("{:,.0f}".format).astype(str)
        + " h × "
        + plan.info.currency
        + " "
        + table.loc[timed, "hourly"].map("{:,.2f}".format).astype(str)
        + " ("
        + table.loc[timed, "rate_name"].astype(str)
        + ", "
        + table.loc[timed, "rate_year"].astype(str)
        + ")"
    )
    return show_table(
        table,
        columns={
            "party_name": "Partner",
            "type": "Type",
            "description": "What",
            "form": "Cash or in kind",
            "valued_as": "Time valued as",
            "rate_source": "Source of the rate",
            "value": "Value",
        },
        formats={"value": "money"},
        currency=plan.info.currency,
        caption=f"Contributions valued in {plan.info.currency}",
    )


def show_contributions_by_type(plan: Plan) -> ShownTable:
    """Show each partner's contributions added up by type (access, data, finance, people)."""
    from ...analyses.budget import contributions_by_type

    table = contributions_by_type(plan.resources, plan.parties())
    money = {t: "money" for t in (*CONTRIBUTION_TYPES, "total")}
    return show_table(
        table,
        columns={
            "name": "Partner",
            **{t: t.capitalize() for t in CONTRIBUTION_TYPES},
            "total": "Total",
        },
        formats=money,
        currency=plan.info.currency,
        caption="Contributions by type",
    )


def show_resource_shares(plan: Plan) -> ShownTable:
    """Show each partner's share of everything contributed beside its share of the costs paid."""
    table = _shares(plan)
    table["contribution_percent"] = table["contribution_percent"] / 100
    table["cost_percent"] = table["cost_percent"] / 100
    return show_table(
        table,
        columns={
            "name": "Partner",
            "contributed": "Contributed",
            "contribution_percent": "Share of contributions",
            "costs_paid": "Costs paid",
            "cost_percent": "Share of costs",
        },
        formats={
            "contributed": "money",
            "costs_paid": "money",
            "contribution_percent": "percent",
            "cost_percent": "percent",
        },
        currency=plan.info.currency,
        caption="Who brings what and who pays what",
    )


def show_balances(plan: Plan) -> ShownTable:
    """Show what each partner owes or is owed once the costs are divided by the agreed rule."""
    result = _balances(plan)
    table = result.table
    table["fair_percent"] = table["fair_percent"] / 100
    table["status"] = table["status"].str.replace(r"\s+[\d,.]+$", "", regex=True)
    table["amount"] = table["balance"].abs().where(table["status"] != "settled", 0.0)
    currency = plan.info.currency
    return show_table(
        table,
        columns={
            "name": "Partner",
            "costs_paid": "Costs paid",
            "fair_percent": "Fair share (%)",
            "fair_share": "Fair share",
            "status": "Balance",
            "amount": "Amount",
        },
        formats={
            "costs_paid": "money",
            "fair_share": "money",
            "fair_percent": "percent",
            "amount": "money",
        },
        currency=currency,
        caption=f"Balances under the rule '{result.rule}' (costs of {currency} {result.total_costs:,.0f} in all)",
    )


def show_settlements(plan: Plan) -> ShownTable:
    """Show the payments that settle every balance, largest first."""
    payments = _balances(plan).settlements
    payments = payments.sort_values("amount", ascending=False, kind="stable")
    return show_table(
        payments,
        columns={"payer_name": "Who pays", "payee_name": "To whom", "amount": "Amount"},
        formats={"amount": "money"},
        currency=plan.info.currency,
        caption="Payments that settle the balances",
        empty="Every balance is settled: no payment is needed.",
    )


def show_vision_budget(plan: Plan) -> ShownTable:
    """Show the vision-based budget per impact area: yearly expense, income and the gap still to fund.

    >>> from partnerlib import load_sample
    >>> show_vision_budget(load_sample()).frame.iloc[-1].tolist()
    ['Total', 'USD 82,000', 'USD 56,000', 'USD 26,000']
    """
    table = _vision(plan)
    return show_table(
        table,
        columns={
            "impact_area": "Impact area",
            "expense": "Expense",
            "income": "Income",
            "gap": "Gap to fund",
        },
        formats={"expense": "money", "income": "money", "gap": "money"},
        currency=plan.info.currency,
        caption="Vision-based budget (yearly)",
    )


def show_resource_shares_chart(plan: Plan) -> Figure:
    """Draw each partner's share of contributions beside its share of costs paid."""
    from ...output.charts.budget import plot_resource_shares

    return plot_resource_shares(_shares(plan))


def show_vision_budget_chart(plan: Plan) -> Figure:
    """Draw expense and income per impact area, with the gap written beside each."""
    from ...output.charts.budget import plot_vision_budget

    return plot_vision_budget(_vision(plan), currency=plan.info.currency)
