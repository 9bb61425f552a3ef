"""Charts of the stakeholders analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...analyses.checks import (
    require_columns,
)
from ...analyses.stakeholders import QUADRANTS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["plot_stakeholder_map"]


# ---- chart -------------------------------------------------------------------


def _spread_overlaps(x: Any, y: Any, radius: float = 0.18) -> tuple[Any, Any]:
    """Offset points that share a position onto a small circle around it (no randomness)."""
    import numpy as np
    import pandas as pd

    spots = pd.DataFrame({"x": x, "y": y})
    rank = spots.groupby(["x", "y"]).cumcount().to_numpy()
    size = spots.groupby(["x", "y"])["x"].transform("size").to_numpy()
    angle = 2 * np.pi * rank / size + np.pi / 2
    shift = np.where(size > 1, radius, 0.0)
    return spots["x"].to_numpy(float) + shift * np.cos(angle), spots["y"].to_numpy(float) + shift * np.sin(angle)


def plot_stakeholder_map(mapped: pd.DataFrame, *, high: int = 3) -> Figure:
    """Draw the power/interest grid with each stakeholder placed and named.

    Stakeholders with the same scores are spread on a small circle around
    their point, always in the same way, so every name stays readable.

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
    x, y = _spread_overlaps(mapped["interest"].to_numpy(float), mapped["power"].to_numpy(float))
    colours = dict(zip(QUADRANTS, PALETTE, strict=False))
    axes.scatter(x, y, s=60, c=[colours[q] for q in mapped["quadrant"]], edgecolors="black", zorder=3)
    for name, px, py in zip(mapped["name"].astype(str), x, y, strict=True):
        axes.annotate(textwrap.fill(short_label(name), 18), (px, py), xytext=(6, 0), textcoords="offset points",
                      fontsize=8, va="center")
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
