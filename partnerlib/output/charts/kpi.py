"""Charts of the kpi analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from ...analyses.kpi import KPI_COLUMNS, KPI_STATUSES, evaluate_kpis, kpi_series
from ...core.formats import write_number
from ..display import format_date
from .style import (
    PALETTE,
    STATUS_COLOURS,
    label_amounts,
    label_dates,
    new_figure,
    short_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_kpi_progress", "plot_kpi_series"]


# ---- charts ------------------------------------------------------------------------------

def plot_kpi_progress(
    evaluated: pd.DataFrame, *, title: str = "Progress towards each KPI's target", ax: Axes | None = None
) -> Figure:
    """Draw each KPI's progress as a bar, with a marker where it should be by now.

    Bars run from the baseline (0 %) to the target (100 %) and beyond; each is
    coloured by status and carries the status and progress in words. The black
    mark on each row is the expected progress.

    Args:
        evaluated: the table from :func:`evaluate_kpis`.
        title: the chart's title.
        ax: draw into these Axes instead of a new figure.

    Returns:
        The Figure with one bar per KPI, the first KPI at the top.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    count = len(evaluated)
    if ax is None:
        ax = new_figure(9.0, 1.8 + 0.45 * max(count, 1)).add_subplot()
    rows = np.arange(count)[::-1]
    progress = evaluated["progress"].to_numpy(dtype=float) * 100
    statuses = evaluated["status"].astype(str).to_numpy()
    ax.barh(rows, np.nan_to_num(progress), color=[STATUS_COLOURS[s] for s in statuses],
            edgecolor="black", height=0.6)
    expected = evaluated["expected_progress"].to_numpy(dtype=float) * 100
    ax.plot(expected, rows, linestyle="none", marker="|", markersize=22, markeredgewidth=2.5, color=PALETTE[7])
    # The words go right of the bar and of the mark, so neither covers them.
    ends = np.fmax(np.nan_to_num(progress), np.nan_to_num(expected)).clip(min=0)
    for row, value, status, end in zip(rows, progress, statuses, ends, strict=True):
        words = status if np.isnan(value) else f"{status} · {write_number(value, 0)}%"
        ax.text(end + 3, row, words, va="center", fontsize="small")
    ax.axvline(100, color="grey", linestyle=":", linewidth=1)
    ax.set_yticks(rows, [short_label(name, 60) for name in evaluated["name"]])
    high = np.nanmax(np.r_[progress, 100.0])
    ax.set_xlim(min(np.nanmin(np.r_[progress, 0.0]), 0) - 5, high + 35)
    ax.set_xlabel("Progress from baseline (0 %) to target (100 %)")
    ax.set_title(title, wrap=True)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=STATUS_COLOURS[s], edgecolor="black", label=s) for s in KPI_STATUSES
    ]
    handles.append(Line2D([], [], color=PALETTE[7], marker="|", linestyle="none", markersize=12,
                          markeredgewidth=2.5, label="expected by now"))
    # Under the chart: beside it, the legend would take the bars' width.
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3,
              fontsize="small", frameon=False)
    return cast("Figure", ax.figure)  # the Figure it was drawn on (never a SubFigure here)


_UNIT_WORDS = {"number": "Number", "percentage": "Percent (%)", "currency": "Amount"}


def plot_kpi_series(
    kpi_row: pd.Series,
    measurements: pd.DataFrame,
    *,
    as_of: dt.date | str | pd.Timestamp,
    ax: Axes | None = None,
) -> Figure:
    """Draw one KPI over time: its values, the baseline and target, and the projection.

    The values are those the evaluation uses (groups summed or averaged, a
    running total for a cumulative KPI). The dashed line continues the trend
    from the latest value to the projected date of reaching the target.

    Args:
        kpi_row: one row of the KPI table or of :func:`evaluate_kpis`.
        measurements: the measurements (those of other KPIs are ignored).
        as_of: the date of the evaluation; later measurements are not drawn.
        ax: draw into these Axes instead of a new figure.

    Returns:
        The Figure with the KPI's series.
    """
    kpi = pd.DataFrame([kpi_row])[list(KPI_COLUMNS)].reset_index(drop=True)
    own = measurements[measurements["kpi"].astype(str) == str(kpi_row["id"])]
    row = evaluate_kpis(kpi, own, as_of=as_of).iloc[0]
    series = kpi_series(kpi, own, as_of=as_of)

    if ax is None:
        ax = new_figure(8.0, 4.5).add_subplot()
    label = "running total" if kpi["cumulative"].fillna(False).astype(bool).iloc[0] else "measured"
    ax.plot(series["date"].to_numpy(), series["value"].to_numpy(), marker="o", color=PALETTE[0], label=label)
    for name, colour, style in (("baseline", PALETTE[7], ":"), ("target", PALETTE[2], "-.")):
        if pd.notna(row[name]):
            ax.axhline(row[name], color=colour, linestyle=style, label=f"{name} {write_number(row[name])}")
    if pd.notna(row["projected_date"]) and row["projected_date"] > row["latest_date"]:
        ax.plot([row["latest_date"], row["projected_date"]], [row["latest"], row["target"]],
                linestyle="--", color=PALETTE[5],
                label=f"projected: target on {format_date(row['projected_date'])}")
    ax.axvline(pd.Timestamp(as_of), color="grey", linewidth=1, label=f"as of {format_date(pd.Timestamp(as_of))}")
    label_dates(ax.xaxis)
    label_amounts(ax.yaxis)
    ax.set_xlabel("Date")
    ax.set_ylabel(_UNIT_WORDS.get(str(row["unit"]), "Value"))
    ax.set_title(f"{row['name']}: {row['status']}", wrap=True)
    ax.legend(loc="best", fontsize="small")
    return cast("Figure", ax.figure)  # the Figure it was drawn on (never a SubFigure here)
