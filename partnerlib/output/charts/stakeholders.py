"""Charts of the stakeholders analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.checks import (
    require_columns,
)
from ...analyses.stakeholders import QUADRANTS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["plot_stakeholder_map"]


# ---- chart -------------------------------------------------------------------


def _points(mapped: pd.DataFrame) -> pd.DataFrame:
    """One row per position on the grid: its interest, power, quadrant, count and names (in the table's order)."""
    return (
        mapped.assign(name=mapped["name"].astype(str))
        .groupby(["interest", "power"], sort=False, as_index=False)
        .agg(quadrant=("quadrant", "first"), count=("name", "size"), names=("name", list))
    )


def plot_stakeholder_map(mapped: pd.DataFrame, *, high: int = 3) -> Figure:
    """Draw the power/interest grid with each stakeholder placed and named.

    Stakeholders with the same scores share one marker at their exact point,
    with their number inside it and their names stacked beside it: nothing is
    moved off its values (a point placed beside its scores would misread them).

    Args:
        mapped: the result of :func:`stakeholder_map` (``name``, ``power``,
            ``interest``, ``quadrant``).
        high: the score from which power or interest counts as high (as used for the map).

    Returns:
        A matplotlib Figure with one Axes.
    """
    import textwrap

    from .style import PALETTE, new_figure, short_label

    require_columns(mapped, ("name", "power", "interest", "quadrant"), "stakeholder map")
    figure = new_figure(8, 7)
    axes = figure.add_subplot()
    points = _points(mapped)
    colours = dict(zip(QUADRANTS, PALETTE, strict=False))
    axes.scatter(points["interest"].astype(float), points["power"].astype(float),
                 s=[60 if count == 1 else 190 for count in points["count"]],
                 c=[colours[q] for q in points["quadrant"]], edgecolors="black", zorder=3)
    for point in points.itertuples():
        if point.count > 1:
            axes.annotate(str(point.count), (point.interest, point.power), ha="center", va="center",
                          fontsize=8, fontweight="bold", color="white", zorder=4)
        bullet = "• " if point.count > 1 else ""  # tells stacked names apart when one wraps
        names = "\n".join(textwrap.fill(bullet + short_label(name), 18, subsequent_indent=" " * len(bullet))
                           for name in point.names)
        axes.annotate(names, (point.interest, point.power), xytext=(9, 0), textcoords="offset points",
                      fontsize=8, va="center", linespacing=1.1)
    line = high - 0.5
    axes.axvline(line, color="grey", linestyle="--", linewidth=1)
    axes.axhline(line, color="grey", linestyle="--", linewidth=1)
    corners = {
        "manage closely": (5.45, 5.45, "right"),
        "keep satisfied": (0.55, 5.45, "left"),
        "keep informed": (5.45, 0.55, "right"),
        "monitor": (0.55, 0.55, "left"),
    }
    for quadrant, (cx, cy, align) in corners.items():
        va = "top" if cy > 3 else "bottom"
        axes.text(cx, cy, quadrant.capitalize(), ha=align, va=va, fontsize=10,
                  fontweight="bold", color=colours[quadrant])
    axes.set_xlim(0.5, 5.5)
    axes.set_ylim(0.5, 5.5)
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.set_xlabel("Interest (1 very low – 5 very high)")
    axes.set_ylabel("Power (1 very low – 5 very high)")
    axes.set_title("Stakeholder map: power and interest")
    return figure
