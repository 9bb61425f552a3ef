"""Charts of the communication analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...models.communication import CHANNELS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


_MARKERS = dict(zip(CHANNELS, ("o", "s", "D", "^", "v", "P", "X", "*"), strict=True))

__all__ = ["plot_communication_calendar"]


def plot_communication_calendar(calendar: pd.DataFrame, *, as_of: dt.date | None = None) -> Figure:
    """Draw the calendar as a timeline: one row per audience, one marker shape per channel.

    Cancelled items are left out; a dashed line marks ``as_of`` when given.

    Args:
        calendar: the result of :func:`communication_calendar`.
        as_of: the day to mark, or None.

    Returns:
        A matplotlib Figure with one Axes.
    """
    import pandas as pd

    from .style import (
        PALETTE,
        label_dates,
        new_figure,
        short_label,
    )

    shown = calendar[calendar["timing"].ne("cancelled")]
    audiences = list(dict.fromkeys(shown["audience"]))[::-1]
    position = {a: i for i, a in enumerate(audiences)}
    figure = new_figure(8, 1.5 + 0.5 * max(len(audiences), 1))
    axes = figure.add_subplot()
    dates = pd.to_datetime(shown["date"])
    for number, channel in enumerate(CHANNELS):
        mine = shown["channel"].eq(channel).to_numpy()
        if mine.any():
            axes.scatter(dates[mine], shown.loc[mine, "audience"].map(position), label=channel,
                         marker=_MARKERS[channel], color=PALETTE[number % len(PALETTE)],
                         edgecolors="black", s=60, zorder=3)
    if as_of is not None:
        axes.axvline(pd.Timestamp(as_of), color="grey", linestyle="--", linewidth=1)
        axes.text(pd.Timestamp(as_of), len(audiences) - 0.5 if audiences else 0, " as of", fontsize=8,
                  va="top")
    axes.set_yticks(range(len(audiences)), labels=[short_label(a) for a in audiences])
    axes.set_ylim(-0.6, max(len(audiences), 1) - 0.4)
    label_dates(axes.xaxis)
    axes.set_xlabel("Date")
    axes.set_title("Communication calendar")
    if len(shown):
        axes.legend(title="Channel", loc="upper center", bbox_to_anchor=(0.5, -0.12),
                    ncols=4, fontsize=8, frameon=False)
    else:
        axes.text(0.5, 0.5, "Nothing in the calendar yet", ha="center", transform=axes.transAxes)
    return figure
