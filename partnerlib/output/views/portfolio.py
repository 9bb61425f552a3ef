"""Views of the organisation: every SSU plan side by side, the register, gifts, and each step's readiness.

Unlike the step views, most of these read more than one plan: they take the
plans and the register as plain data (a workspace hands them over with
:func:`partnerlib.portfolio_inputs`), so the portfolio notebook and the
organisation document show the same tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...core.collector import fewer_collections
from ...models import Organisation, Person, Plan
from ..display import ShownTable, format_money, format_money_rows, show_table

if TYPE_CHECKING:
    import pandas as pd

    from ...io.store import Workspace

__all__ = [
    "PortfolioInputs",
    "StepReadiness",
    "portfolio_inputs",
    "show_contacts_not_reached",
    "show_donors_to_thank",
    "show_gift_budget",
    "show_gifts_by_donor",
    "show_gifts_by_plan",
    "show_portfolio",
    "show_register_duplicates",
    "show_shared_partners",
    "show_step_readiness",
]


@dataclass(frozen=True)
class PortfolioInputs:
    """What the organisation's views read: every live plan, its measurements, and the register.

    Attributes:
        plans: plan name → plan, by name.
        measurements: plan name → its measurements.
        gifts: every gift, as :func:`~partnerlib.analyses.register.gifts_table` gives them.
        organisations: the register's organisations.
        people: the register's people.
        as_of: the organisation's date: the latest of the plans' dates (today without plans).
    """

    plans: Mapping[str, Plan]
    measurements: Mapping[str, pd.DataFrame]
    gifts: pd.DataFrame
    organisations: list[Organisation]
    people: list[Person]
    as_of: dt.date


@fewer_collections()
def portfolio_inputs(workspace: Workspace) -> PortfolioInputs:
    """Read what the organisation's views need from a workspace: every live plan, the measurements, the register."""
    from ...analyses.register import gifts_table

    plans = {summary.name: workspace.load(summary.name).plan for summary in workspace.plans()}
    organisations, people = workspace.organisations(), workspace.people()
    return PortfolioInputs(
        plans=plans,
        measurements={name: workspace.measurements(name) for name in plans},
        gifts=gifts_table(workspace.gifts(), organisations, people),
        organisations=organisations,
        people=people,
        as_of=max((plan.info.as_of for plan in plans.values()), default=dt.date.today()),
    )


def show_portfolio(
    inputs: PortfolioInputs,
    *,
    budgets: Mapping[str, pd.DataFrame] | None = None,
    readiness: Mapping[str, pd.DataFrame] | None = None,
) -> ShownTable:
    """Show every SSU plan on one row: readiness, KPI statuses, crucial risks, budget gap, health, next check-in.

    Args:
        inputs: the plans and the register.
        budgets: plan name → its :func:`~partnerlib.analyses.register.gift_budget`, when
            worked out already (the organisation document shows them as well).
        readiness: plan name → its :func:`~partnerlib.analyses.portfolio.step_readiness`, likewise.
    """
    from ...analyses.portfolio import portfolio_table

    table = portfolio_table(inputs.plans, inputs.measurements, inputs.gifts, budgets=budgets, readiness=readiness)
    table["budget_gap"] = [
        None if gap is None or gap != gap else format_money(gap, currency)
        for gap, currency in zip(table["budget_gap"], table["currency"], strict=True)
    ]
    return show_table(
        table,
        columns={
            "plan": "Plan", "ssu": "SSU", "steps_complete": "Steps complete (of 11)", "missing": "Items missing",
            "on_track": "KPIs on track", "at_risk": "KPIs at risk", "off_track": "KPIs off track",
            "crucial_risks": "Crucial risks", "above_appetite": "Above appetite",
            "budget_gap": "Expense not covered by gifts",
            "health": "Health", "next_checkin": "Next check-in due", "next_checkin_with": "With",
        },
        formats={"budget_gap": "text"},
        missing={"budget_gap": "no vision budget", "next_checkin": "—", "health": "—"},
        status=("health",),
        caption="Every SSU plan side by side",
        empty="The workspace has no plans yet.",
    )


class StepReadiness:
    """Each step of one plan with its readiness, as a table, each step a link to its page.

    Attributes:
        table: the readiness table (a :class:`ShownTable`), also what plain text shows.
        pages: step number → the page's file name (``06_risk_and_conflict.ipynb``).
    """

    def __init__(self, table: ShownTable, pages: Mapping[int, str]):
        self.table = table
        self.pages = dict(pages)

    def _repr_html_(self) -> str:
        import jinja2

        template = jinja2.Environment(autoescape=True).from_string(
            '<nav aria-label="Steps of the plan"><table class="partnerlib-table">'
            "<caption>{{ caption }}</caption><thead><tr>{% for h in headings %}<th>{{ h }}</th>{% endfor %}"
            "</tr></thead><tbody>{% for number, row in rows %}<tr>"
            '<td>{% if pages.get(number) %}<a href="{{ pages[number] }}">{{ row[0] }}</a>{% else %}{{ row[0] }}'
            "{% endif %}</td>{% for cell in row[1:] %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}"
            "</tbody></table></nav>"
        )
        frame = self.table.frame
        return template.render(
            caption=self.table.caption, headings=list(frame.columns), pages=self.pages,
            rows=[(number, list(row)) for number, row in enumerate(frame.itertuples(index=False), start=1)],
        )

    def __repr__(self) -> str:
        return repr(self.table)


def show_step_readiness(
    plan: Plan, pages: Mapping[int, str] | None = None, *, readiness: pd.DataFrame | None = None
) -> StepReadiness:
    """Show each planning step as not started, in progress or complete, with what it still lacks.

    Args:
        plan: the plan.
        pages: step number → the file name of its page, to link each step; None for no links.
        readiness: the plan's :func:`~partnerlib.analyses.portfolio.step_readiness`, when worked
            out already (the organisation document counts it too).
    """
    from ...analyses.portfolio import step_readiness

    readiness = step_readiness(plan) if readiness is None else readiness.copy()
    readiness["step"] = [f"{number} · {title}" for number, title in zip(readiness["step"], readiness["title"],
                                                                     strict=True)]
    table = show_table(
        readiness,
        columns={"step": "Step", "status": "Status", "missing": "Items missing", "what": "What is missing"},
        caption=f"How far each step of {plan.info.name} is",
    )
    return StepReadiness(table, pages or {})


def show_shared_partners(inputs: PortfolioInputs) -> ShownTable:
    """Show the register's organisations that the SSU plans use, and which plans share each one."""
    from ...analyses.register import shared_partners

    return show_table(
        shared_partners(inputs.plans, inputs.organisations),
        columns={"organisation": "Organisation", "kind": "Kind", "plans": "Plans", "ssus": "Used by",
                 "selected_in": "Selected partner in"},
        caption="Partners across SSUs",
        empty="No plan's candidates point at the register yet.",
    )


def _gift_totals(inputs: PortfolioInputs, by: str, heading: str, caption: str) -> ShownTable:
    from ...analyses.register import gifts_by

    totals = gifts_by(inputs.gifts, by)
    key = "donor_name" if by == "donor" else "plan"
    totals[["received", "expected", "total"]] = totals[["received", "expected", "total"]].astype(float)
    return show_table(
        totals.assign(**{column: format_money_rows(totals[column], totals["currency"])
                         for column in ("received", "expected", "total")}),
        columns={key: heading, "received": "Received", "expected": "Expected", "total": "Total", "gifts": "Gifts"},
        formats={"received": "text", "expected": "text", "total": "text"},
        caption=caption,
        empty="No gifts recorded yet.",
    )


def show_gifts_by_donor(inputs: PortfolioInputs) -> ShownTable:
    """Show each donor's gifts received and expected, largest first (each currency on its own row)."""
    return _gift_totals(inputs, "donor", "Donor", "Gifts by donor")


def show_gifts_by_plan(inputs: PortfolioInputs) -> ShownTable:
    """Show each SSU plan's gifts received and expected, largest first (each currency on its own row)."""
    return _gift_totals(inputs, "plan", "Plan", "Gifts by SSU")


def show_contacts_not_reached(inputs: PortfolioInputs, *, days: int = 90) -> ShownTable:
    """Show the register's contacts nobody has reached in the last ``days`` days (or ever)."""
    from ...analyses.register import contacts_not_reached

    names = {o.id: o.name for o in inputs.organisations}
    frame = contacts_not_reached(inputs.people, as_of=inputs.as_of, days=days)
    frame["organisation"] = [names.get(org, org) for org in frame["organisation"]]
    return show_table(
        frame,
        columns={"name": "Contact", "organisation": "Organisation", "email": "Email",
                 "last_contacted": "Last contacted", "days_since": "Days since"},
        missing={"last_contacted": "never", "days_since": "—"},
        caption=f"Contacts not reached in the last {days} days",
        empty=f"Every contact was reached in the last {days} days.",
    )


def show_register_duplicates(inputs: PortfolioInputs) -> ShownTable:
    """Show register entries that look like the same organisation or person."""
    from ...analyses.register import register_duplicates

    return show_table(
        register_duplicates(inputs.organisations, inputs.people),
        columns={"kind": "Kind", "first_name": "Entry", "second_name": "Looks like", "why": "Why"},
        caption="Possible duplicates in the register",
        empty="No duplicates found.",
    )


def show_gift_budget(plan: Plan, gifts: pd.DataFrame, *, lines: pd.DataFrame | None = None) -> ShownTable:
    """Show the SSU's vision-based budget against the gifts received and expected for it, and the gap.

    Args:
        plan: the SSU plan.
        gifts: every plan's gifts (:func:`~partnerlib.analyses.register.gifts_table`).
        lines: the plan's :func:`~partnerlib.analyses.register.gift_budget`, when worked out already.
    """
    from ...analyses.register import gift_budget

    lines = gift_budget(plan, gifts) if lines is None else lines.copy()
    words = {"expense": "Vision budget: expense", "planned income": "Vision budget: planned income",
             "received": "Gifts received", "expected": "Gifts expected (pledges and promises)",
             "gap": "Gap: expense not yet covered by gifts"}
    lines["line"] = [words.get(line, line) for line in lines["line"]]
    lines["amount"] = format_money_rows(lines["amount"], lines["currency"])
    return show_table(
        lines[["line", "amount"]],
        columns={"line": "Budget line", "amount": "Amount"},
        formats={"amount": "text"},
        caption=f"The vision-based budget of {plan.info.name} against gifts",
    )


def show_donors_to_thank(plan: Plan, gifts: pd.DataFrame, *, days: int = 90) -> ShownTable:
    """Show this SSU's donors to thank (gifts of the last ``days`` days) and to report to (gifts expected)."""
    from ...analyses.register import donors_to_thank

    own = gifts[gifts["plan"] == plan.info.name]
    table = donors_to_thank(own, as_of=plan.info.as_of, days=days)
    table["amount"] = format_money_rows(table["amount"], table["currency"])
    return show_table(
        table,
        columns={"donor_name": "Donor", "date": "Date", "amount": "Amount", "status": "Status", "action": "To do"},
        formats={"amount": "text"},
        caption="Donors to thank or report to",
        empty=f"No gift in the last {days} days and none expected.",
    )
