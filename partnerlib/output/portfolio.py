"""The organisation document: every SSU plan of a workspace side by side, and the register, as a page and a workbook.

It holds the same tables as the portfolio notebook (``13_portfolio``): the
plans' readiness and headline figures, each plan's steps, the partners the SSUs
share, gifts by donor and by SSU, and the contacts not reached lately. Like the
plan document, the page is one self-contained HTML file with every text escaped,
and the workbook has one typed sheet per table with no text ever read as a formula.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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


@dataclass(frozen=True)
class PortfolioSection:
    """One part of the organisation document: a title, a sentence saying what it shows, and its tables."""

    title: str
    intro: str
    tables: tuple[ShownTable, ...]


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
    budgets = {name: gift_budget(plan, inputs.gifts) for name, plan in inputs.plans.items()}  # shown twice
    sections = [
        PortfolioSection("Every plan side by side", "Each SSU plan on one row, read at its own date.",
                         (show_portfolio(inputs, budgets=budgets),)),
        PortfolioSection("Each plan step by step", "How far each of the eleven steps is, and what it still lacks.",
                         tuple(show_step_readiness(plan).table for plan in inputs.plans.values())),
        PortfolioSection("Budgets and gifts", "Each plan's vision-based budget against the gifts for it; "
                         "then who gives, and to which SSU. Amounts in different currencies are never added.",
                         (*(show_gift_budget(plan, inputs.gifts, lines=budgets[name])
                            for name, plan in inputs.plans.items()),
                          show_gifts_by_donor(inputs), show_gifts_by_plan(inputs))),
        PortfolioSection("Partners and contacts", "One register serves every SSU: the partners they share, "
                         "the contacts nobody has reached lately, and entries that may be the same.",
                         (show_shared_partners(inputs), show_contacts_not_reached(inputs, days=contact_days),
                          show_register_duplicates(inputs))),
    ]
    return PortfolioDocument(
        organisation=", ".join(organisations) or "No plans yet",
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

    tables = [(section.title, "", table.caption, table) for section in document.sections for table in section.tables]
    return write_tables_xlsx(tables, path, title=document.organisation, moment=document.as_of, currency="",
                             where_heading="Part")


def portfolio_from_workspace(workspace: Workspace, *, contact_days: int = 90) -> PortfolioDocument:
    """Build the organisation document from every live plan of a workspace and its register."""
    from .views.portfolio import portfolio_inputs

    return build_portfolio(portfolio_inputs(workspace), contact_days=contact_days)


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
