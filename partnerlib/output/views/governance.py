"""Views of step 5, roles and governance: who does what, the groups, the RACI matrix and its problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.governance import check_raci, check_structure, raci_matrix
from ...analyses.tables import records_table
from ...models import (
    Group,
    Member,
    PartnerRole,
    Plan,
)
from ...output.charts.governance import plot_governance
from ..display import ShownTable, show_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "show_governance_chart",
    "show_groups",
    "show_partner_roles",
    "show_raci",
    "show_raci_problems",
    "show_structure_problems",
]

_LEVELS = {"strategic": 0, "project": 1, "implementing": 2}


def show_partner_roles(plan: Plan) -> ShownTable:
    """Show what each partner does, ourselves first, then the partners in the plan's order.

    >>> from partnerlib.io.sample import load_sample
    >>> show_partner_roles(load_sample()).frame["Partner"].tolist()[0]
    'Hope Alliance International'
    """
    parties = plan.parties()
    frame = records_table(plan.governance.roles, PartnerRole)
    order = {party: n for n, party in enumerate(parties)}
    frame["order"] = frame["party"].map(order).fillna(len(order))
    frame["name"] = frame["party"].map(parties).fillna(frame["party"] + " (not a party of the plan)")
    frame = frame.sort_values("order", kind="stable")
    return show_table(frame, columns={"name": "Partner", "role": "What they do"}, caption="Which partner does what")


def show_groups(plan: Plan) -> ShownTable:
    """Show the governance groups, strategic first, with their members and whom they report to.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_groups(load_sample())
    >>> shown.frame.iloc[1][["Group", "Reports to"]].tolist()
    ['Project group', 'Partnership board']
    """
    parties = plan.parties()
    groups = records_table(plan.governance.groups, Group)
    members = records_table(plan.governance.members, Member)
    members["line"] = (
        members["person"] + " (" + members["role"] + ", " + members["party"].map(parties).fillna(members["party"]) + ")"
    )
    listed = members.groupby("group", sort=False)["line"].agg("; ".join)
    names = dict(zip(groups["id"], groups["name"], strict=True))
    groups["members"] = groups["id"].map(listed).fillna("no members yet")
    groups["reports"] = groups["reports_to"].map(names).fillna("")
    groups["level"] = groups["kind"].map(_LEVELS)
    groups["kind"] = groups["kind"] + " group"  # "strategic group"
    groups = groups.sort_values("level", kind="stable")
    return show_table(
        groups,
        columns={
            "name": "Group",
            "kind": "Kind",
            "purpose": "What it decides or does",
            "meets": "Meets",
            "reports": "Reports to",
            "members": "Members",
        },
        caption="The governance groups",
    )


def show_raci(plan: Plan) -> ShownTable:
    """Show the responsibility matrix: a row per activity, a column per partner, a letter per cell.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_raci(load_sample())
    >>> shown.frame.iloc[0].tolist()
    ['Train community health workers', 'A', 'R', 'C', 'I']
    """
    governance = plan.governance
    grid = raci_matrix(governance.activities, governance.assignments, plan.parties()).reset_index()
    columns = {"activity": "Activity"} | {name: name for name in grid.columns if name != "activity"}
    return show_table(
        grid,
        columns=columns,
        caption="Who does what: R responsible (does the work), A accountable (answers for it, exactly one), "
        "C consulted, I informed",
    )


def show_raci_problems(plan: Plan) -> ShownTable:
    """Show what breaks the responsibility matrix's rules, in words (empty when all is well).

    >>> from partnerlib.io.sample import load_sample
    >>> show_raci_problems(load_sample()).frame["Activity"].tolist()
    ['Monthly KPI reporting']
    """
    governance = plan.governance
    problems = check_raci(governance.activities, governance.assignments, parties=plan.parties())
    return show_table(
        problems,
        columns={"activity": "Activity", "party": "Partner", "message": "Problem and what to do"},
        caption="Problems in the responsibility matrix",
        empty="No problem found: every activity has one partner accountable and someone responsible.",
    )


def show_structure_problems(plan: Plan) -> ShownTable:
    """Show what breaks the governance structure's rules, in words (empty when all is well).

    >>> from partnerlib.io.sample import load_sample
    >>> print(show_structure_problems(load_sample()))
    Problems in the governance structure
    No problem found: the groups, their members and whom they report to follow the rules.
    """
    problems = check_structure(plan)
    return show_table(
        problems,
        columns={"group": "Group", "party": "Partner", "message": "Problem and what to do"},
        caption="Problems in the governance structure",
        empty="No problem found: the groups, their members and whom they report to follow the rules.",
    )


def show_governance_chart(plan: Plan) -> Figure:
    """Draw the governance structure: a box per group with its members, arrows for whom it reports to."""
    return plot_governance(plan)
