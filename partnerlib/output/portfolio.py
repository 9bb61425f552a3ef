"""The organisation document: every SSU plan of a workspace side by side, and the register, as a page and a workbook.

It holds the same tables as the portfolio notebook (``13_portfolio``): the
plans' readiness and headline figures, each plan's steps, the partners the SSUs
share, gifts by donor and by SSU, and the contacts not reached lately. Like the
plan document, the page is one self-contained HTML file with every text escaped,
and the workbook has one typed sheet per table with no text ever read as a formula;
the tables every plan has one of (its steps, its budget) share one sheet, a "Plan"
column first, so a spreadsheet filters them by plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.collector import fewer_collections
from ..core.problems import sentence
from .display import ShownTable, format_date

if TYPE_CHECKING:
    from ..io.store import Workspace
    from .views.portfolio import PortfolioInputs

__all__ = [
    "PortfolioDocument",
    "PortfolioSection",
    "build_portfolio",
    "portfolio_from_workspace",
    "render_portfolio_html",
    "report_portfolio",
    "write_portfolio_xlsx",
]

#: The first column of a sheet that holds one table of each plan: whose row it is.
_PLAN_COLUMN = "Plan"


@dataclass(frozen=True)
class PortfolioSection:
    """One part of the organisation document: a title, a sentence saying what it shows, and its tables.

    Attributes:
        title: the part's heading.
        intro: one sentence on what it shows.
        tables: the tables shown after the plans' own ones.
        plan_tables: one table of the same kind per plan (plan name, table), in the plans'
            order, each captioned with its plan's name; the workbook holds them as one sheet
            with a "Plan" column first (``plan_sheet`` its title), which a spreadsheet can filter.
        plan_sheet: the title of that sheet.
    """

    title: str
    intro: str
    tables: tuple[ShownTable, ...] = ()
    plan_tables: tuple[tuple[str, ShownTable], ...] = ()
    plan_sheet: str = ""


@dataclass(frozen=True)
class PortfolioDocument:
    """The organisation document: whose, as of when, which plans, and its parts in order."""

    organisation: str
    as_of: dt.date
    plans: tuple[str, ...]
    sections: tuple[PortfolioSection, ...]


def build_portfolio(inputs: PortfolioInputs, *, contact_days: int = 90) -> PortfolioDocument:
    """Assemble the organisation document from the plans and the register.

    Args:
        inputs: what :func:`~partnerlib.output.views.portfolio.portfolio_inputs` reads from a workspace.
        contact_days: a contact not reached for more days than this is listed (1 or more).
    """
    from ..analyses.portfolio import step_readiness
    from ..analyses.register import gift_budget
    from .views.portfolio import (
        show_contacts_not_reached,
        show_gift_budget,
        show_gifts_by_donor,
        show_gifts_by_plan,
        show_portfolio,
        show_register_duplicates,
        show_shared_partners,
        show_step_readiness,
    )

    organisations = sorted({plan.info.organisation for plan in inputs.plans.values()})
    # each worked out once: counted in the first part, shown in their own
    budgets = {name: gift_budget(plan, inputs.gifts) for name, plan in inputs.plans.items()}
    readiness = {name: step_readiness(plan) for name, plan in inputs.plans.items()}
    sections = [
        PortfolioSection(sentence("doc_portfolio_plans"), sentence("doc_portfolio_plans_intro"),
                         (show_portfolio(inputs, budgets=budgets, readiness=readiness),)),
        PortfolioSection(sentence("doc_portfolio_steps"), sentence("doc_portfolio_steps_intro"),
                         plan_tables=tuple((name, show_step_readiness(plan, readiness=readiness[name]).table)
                                           for name, plan in inputs.plans.items()),
                         plan_sheet=sentence("doc_portfolio_steps_sheet")),
        PortfolioSection(sentence("doc_portfolio_budgets"), sentence("doc_portfolio_budgets_intro"),
                         (show_gifts_by_donor(inputs), show_gifts_by_plan(inputs)),
                         plan_tables=tuple((name, show_gift_budget(plan, inputs.gifts, lines=budgets[name]))
                                           for name, plan in inputs.plans.items()),
                         plan_sheet=sentence("doc_portfolio_budgets_sheet")),
        PortfolioSection(sentence("doc_portfolio_partners"), sentence("doc_portfolio_partners_intro"),
                         (show_shared_partners(inputs), show_contacts_not_reached(inputs, days=contact_days),
                          show_register_duplicates(inputs))),
    ]
    return PortfolioDocument(
        organisation=", ".join(organisations) or sentence("doc_portfolio_no_plans"),
        as_of=inputs.as_of,
        plans=tuple(inputs.plans),
        sections=tuple(sections),
    )


def render_portfolio_html(document: PortfolioDocument) -> str:
    """Return the organisation document as one self-contained HTML page (all text escaped)."""
    from importlib.metadata import version

    from .document import table_layout, template_environment

    return template_environment().get_template("portfolio.html").render(
        document=document, as_of=format_date(document.as_of), table_layout=table_layout, page=True,
        version=version("partnerlib"),
    )


def write_portfolio_xlsx(document: PortfolioDocument, path: str | Path) -> Path:
    """Write every table of the organisation document to an Excel workbook, one sheet each, with a contents sheet.

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    is stored as text, so no spreadsheet program runs it as a formula.
    """
    from .document import write_tables_xlsx

    tables = []
    for section in document.sections:
        if section.plan_tables:
            tables.append((section.title, "", section.plan_sheet, _one_sheet(section.plan_tables)))
        tables += [(section.title, "", table.caption, table) for table in section.tables]
    return write_tables_xlsx(tables, path, title=document.organisation, moment=document.as_of, currency="",
                             where_heading="Part")


def _one_sheet(plan_tables: tuple[tuple[str, ShownTable], ...]) -> ShownTable:
    """Put each plan's table of one kind under the others, a "Plan" column first, as one sheet holds them.

    Fifty plans make one sheet a spreadsheet can filter by plan, not fifty sheets; each
    cell keeps its own type, and a column whose rows each have their own kind keeps them.
    """
    import pandas as pd

    first = plan_tables[0][1]
    frames, data = [], []
    row_kinds: dict[str, list[str]] = {}
    for name, table in plan_tables:
        frames.append(table.frame.assign(**{_PLAN_COLUMN: name})[[_PLAN_COLUMN, *table.frame.columns]])
        data.append(table.data.assign(**{_PLAN_COLUMN: name})[[_PLAN_COLUMN, *table.data.columns]])
        for heading in table.row_kinds:
            row_kinds.setdefault(heading, []).extend(table.cell_kinds(heading))
    return ShownTable(pd.concat(frames, ignore_index=True), colours=first.colours,
                      data=pd.concat(data, ignore_index=True), kinds={_PLAN_COLUMN: "text", **first.kinds},
                      row_kinds=row_kinds or None)


def portfolio_from_workspace(workspace: Workspace, *, contact_days: int = 90) -> PortfolioDocument:
    """Build the organisation document from every live plan of a workspace and its register."""
    from .views.portfolio import portfolio_inputs

    return build_portfolio(portfolio_inputs(workspace), contact_days=contact_days)


@fewer_collections()
def report_portfolio(
    workspace: Workspace, *, html: str | Path | None = None, xlsx: str | Path | None = None, contact_days: int = 90
) -> PortfolioDocument:
    """Build the organisation document from a workspace and write its files.

    Args:
        workspace: the open workspace.
        html: the web page to write (replaced if it exists), or None.
        xlsx: the workbook to write (replaced if it exists), or None.
        contact_days: a contact not reached for more days than this is listed.

    Returns:
        The :class:`PortfolioDocument`.
    """
    document = portfolio_from_workspace(workspace, contact_days=contact_days)
    if html is not None:
        path = Path(html)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_portfolio_html(document), encoding="utf-8")
    if xlsx is not None:
        write_portfolio_xlsx(document, xlsx)
    return document
