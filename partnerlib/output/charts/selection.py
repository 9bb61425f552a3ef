"""Charts of the selection analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ...core.formats import write_number

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["plot_candidate_scores"]


# ---- chart -----------------------------------------------------------------------


def plot_candidate_scores(scored: pd.DataFrame) -> Figure:
    """Draw each need's candidates as bars of weighted score, the winner and gate failures in words.

    One panel per need, best first. A bar ends with the score, its
    percentage and the result: "winner", "ranked 2", or, for a candidate out
    at a gate, "out: below the minimum on …" (drawn grey and hatched).

    Args:
        scored: the result of :func:`score_candidates`.

    Returns:
        A matplotlib Figure with one panel per need.
    """
    from .style import PALETTE, new_figure, short_label

    groups = list(scored.groupby("need", sort=False))
    heights = [max(len(members), 1) for _, members in groups] or [1]
    figure = new_figure(10, 1.2 + 0.6 * sum(heights) + 0.6 * len(heights))
    axes = figure.subplots(len(heights), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, (_, members) in zip(axes, groups, strict=False):
        members = members.sort_values(
            "weighted_score", ascending=True, kind="stable", na_position="first"
        )
        positions = range(len(members))
        for y, row in zip(positions, members.itertuples(), strict=True):
            value = 0 if row.weighted_score != row.weighted_score else row.weighted_score
            colour = PALETTE[2] if row.winner else PALETTE[0] if row.passes_gates else "#BBBBBB"
            ax.barh(
                y, value, color=colour, hatch="" if row.passes_gates else "//", edgecolor="#555555"
            )
            figures = "" if not value else f"{write_number(row.weighted_score, 2)} ({write_number(row.percent, 0)}%) — "
            ax.text(
                value + 0.08, y, textwrap.fill(figures + row.result, 50), va="center", fontsize=9
            )
        ax.set_yticks(list(positions), [short_label(name) for name in members["name"]])
        ax.set_xlim(0, 10)
        ax.set_xticks([1, 2, 3, 4, 5])
        ax.set_title(members["need_title"].iloc[0], loc="left", fontsize=10, fontweight="bold", wrap=True)
    axes[-1].set_xlabel("Weighted score (1 poor – 5 excellent)")
    figure.suptitle("Candidates by weighted score", fontsize=12)
    return figure
