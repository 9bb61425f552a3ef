"""Charts of the health analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.health import HealthScore
from ...core.formats import round_half_away, write_number

if TYPE_CHECKING:
    from matplotlib.figure import Figure


__all__ = ["plot_health", "plot_health_change"]


def plot_health(scored: HealthScore) -> Figure:
    """Draw every factor's score as a bar, grouped, coloured and labelled by band.

    Dotted lines mark the band limits (3.0 and 4.0); each bar ends with its
    score and band in words, so the chart reads without colour.

    Args:
        scored: the result of :func:`score_health`.

    Returns:
        A matplotlib Figure with one Axes.
    """
    import numpy as np

    from ..display import format_date
    from .style import STATUS_COLOURS, new_figure, short_label

    factors = scored.factors
    figure = new_figure(8, 7.5)
    axes = figure.add_subplot()
    rows = np.arange(len(factors))[::-1]
    colours = [STATUS_COLOURS.get(band, "#999999") for band in factors["band"]]
    axes.barh(rows, factors["score"].fillna(0), color=colours)
    for row, score, band in zip(rows, factors["score"], factors["band"], strict=True):
        words = "no ratings" if band == "no data" else f"{write_number(score, 1)} {band}"
        axes.text((0 if np.isnan(score) else score) + 0.05, row, words, va="center", fontsize=7)
    labels = [short_label(f"{f} ({g})", 60) for f, g in zip(factors["factor"], factors["group"], strict=True)]
    axes.set_yticks(rows, labels=labels, fontsize=8)
    for limit in (3.0, 4.0):
        axes.axvline(limit, color="grey", linestyle=":", linewidth=1)
    axes.set_xlim(0, 6)
    axes.set_xlabel("Mean rating (1 strongly disagree – 5 strongly agree)")
    # The date's spaces do not break, so a wrapped title keeps "17 Sep 2026" on one line.
    date = format_date(scored.date).replace(" ", "\u00a0")
    axes.set_title(f"Partnership health: {scored.name} ({date}), overall {scored.overall}", wrap=True)
    return figure


def plot_health_change(scored: HealthScore) -> Figure:
    """Draw each group's score in the review before beside its score now.

    Args:
        scored: the result of :func:`score_health`.

    Returns:
        A matplotlib Figure with one Axes; without an earlier review it shows
        this review alone and says so.
    """
    import numpy as np

    from .style import PALETTE, new_figure, short_label

    groups = scored.groups
    figure = new_figure(7, 4.5)
    axes = figure.add_subplot()
    rows = np.arange(len(groups))[::-1]
    before = groups["previous"].to_numpy(dtype=float)
    now = groups["score"].to_numpy(dtype=float)
    if scored.previous is not None:
        axes.barh(rows + 0.2, np.nan_to_num(before), height=0.38, color="#999999",
                  label=short_label(f"Before: {scored.previous_name}"))
    bars = axes.barh(rows - 0.2 if scored.previous is not None else rows, np.nan_to_num(now),
                     height=0.38, color=PALETTE[0], label=short_label(f"Now: {scored.name}"))
    # The change is between the two numbers shown, as in the table: 4.1 after 3.8 is +0.3.
    change = round_half_away(now, 1) - round_half_away(before, 1)
    words = [
        "no ratings" if np.isnan(n) else write_number(n, 1)
        + ("" if np.isnan(c) else f" ({'+' if c > 0 else ''}{write_number(c, 1)})")
        for n, c in zip(now, change, strict=True)
    ]
    axes.bar_label(bars, labels=words, padding=3, fontsize=8)
    axes.set_yticks(rows, labels=[short_label(group) for group in groups["group"]])
    axes.set_xlim(0, 6)
    axes.set_xlabel("Mean rating (1–5)")
    axes.set_title("Partnership health by group: before and now")
    if scored.previous is None:
        axes.text(5.9, rows[0] if len(rows) else 0, "No earlier review to compare",
                  ha="right", va="center", fontsize=8)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, fontsize=8, frameon=False)
    return figure
