"""Charts of the budget analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.formats import write_number

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


__all__ = ["plot_resource_shares", "plot_vision_budget"]


def plot_resource_shares(shares: pd.DataFrame) -> Figure:
    """Draw each party's share of contributions beside its share of costs paid.

    Args:
        shares: the result of :func:`resource_shares`.

    Returns:
        A matplotlib Figure with one Axes; every bar carries its percent.
    """
    import numpy as np

    from .style import PALETTE, new_figure, short_label

    figure = new_figure(7, 1.5 + 0.7 * max(len(shares), 1))
    axes = figure.add_subplot()
    rows = np.arange(len(shares))[::-1]
    for offset, column, label, colour in (
        (0.2, "contribution_percent", "Share of contributions", PALETTE[0]),
        (-0.2, "cost_percent", "Share of costs paid", PALETTE[1]),
    ):
        values = shares[column].fillna(0.0).to_numpy(dtype=float)
        bars = axes.barh(rows + offset, values, height=0.38, color=colour, label=label)
        axes.bar_label(bars, labels=[f"{write_number(v, 0)}%" for v in values], padding=3, fontsize=8)
    axes.set_yticks(rows, labels=[short_label(name) for name in shares["name"]])
    axes.set_xlim(0, 110)
    axes.set_xlabel("Percent of the total")
    axes.set_title("Who brings what and who pays what")
    axes.legend(loc="lower right", fontsize=8)
    return figure


def plot_vision_budget(budget: pd.DataFrame, *, currency: str = "") -> Figure:
    """Draw expense and income per impact area, with the gap written beside each.

    Args:
        budget: the result of :func:`vision_budget` (its last row, the total, is left out).
        currency: the plan's currency, shown on the axis (such as ``"EUR"``).

    Returns:
        A matplotlib Figure with one Axes.
    """
    import numpy as np

    from .style import (
        PALETTE,
        label_amounts,
        new_figure,
        short_label,
    )

    areas = budget.iloc[:-1]
    figure = new_figure(7, 1.5 + 0.7 * max(len(areas), 1))
    axes = figure.add_subplot()
    rows = np.arange(len(areas))[::-1]
    axes.barh(rows + 0.2, areas["expense"], height=0.38, color=PALETTE[5], label="Expense")
    axes.barh(rows - 0.2, areas["income"], height=0.38, color=PALETTE[2], label="Income")
    for row, expense, income, gap in zip(rows, areas["expense"], areas["income"], areas["gap"],
                                         strict=True):
        words = "balanced" if gap == 0 else f"{'gap' if gap > 0 else 'surplus'} {write_number(abs(gap), 0)}"
        axes.text(max(expense, income), row, "  " + words, va="center", fontsize=8)
    axes.set_yticks(rows, labels=[short_label(area) for area in areas["impact_area"]])
    label_amounts(axes.xaxis)
    axes.set_xlabel(f"Yearly amount{f' ({currency})' if currency else ''}")
    axes.set_title("Vision budget by impact area")
    axes.margins(x=0.25)
    axes.legend(loc="lower right", fontsize=8)
    return figure
