"""Charts of the risk analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from ...analyses.risk import DEFAULT_MATRIX, RiskMatrix, risk_matrix_counts
from .style import PALETTE, STATUS_COLOURS, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["band_colour", "plot_risk_heatmap", "plot_risk_heatmaps", "plot_risk_profile"]


def band_colour(matrix: RiskMatrix, band: str) -> str:
    """Return the colour of one of ``matrix``'s bands (the status colour when there is one)."""
    if band in STATUS_COLOURS:
        return STATUS_COLOURS[band]
    return PALETTE[matrix.band_names.index(band) % len(PALETTE)]


def _band_legend(ax: Axes, matrix: RiskMatrix, **kwargs: Any) -> None:
    from matplotlib.patches import Patch

    ranges = matrix.band_ranges()
    handles = [
        Patch(facecolor=band_colour(matrix, name), edgecolor="black", label=f"{name} ({low}–{top})")
        for name, (low, top) in ranges.items()
    ]
    ax.legend(handles=handles, title="Band (score)", **kwargs)


def plot_risk_heatmap(
    scored: pd.DataFrame,
    *,
    residual: bool = False,
    matrix: RiskMatrix = DEFAULT_MATRIX,
    ax: Axes | None = None,
) -> Figure:
    """Draw the risk matrix: cells coloured by band, each with the number of risks in it.

    Likelihood rises up the side and impact along the bottom, each step named
    with its word; the legend names every band's colour and score range.

    Args:
        scored: the table from :func:`score_risks`.
        residual: draw the residual risks (after mitigation) instead of the inherent ones.
        matrix: the matrix the risks were scored on.
        ax: draw into these Axes instead of a new figure.

    Returns:
        The Figure holding the heat map.
    """
    from matplotlib.colors import to_rgb

    counts = risk_matrix_counts(scored, residual=residual, matrix=matrix).to_numpy()
    size = matrix.size
    if ax is None:
        ax = new_figure(7.0, 5.5).add_subplot()
    steps = np.arange(1, size + 1)
    bands = np.asarray(matrix.band_of(np.outer(steps, steps).ravel()).astype(str)).reshape(size, size)
    image = np.array([[to_rgb(band_colour(matrix, band)) for band in row] for row in bands])
    # Vector cells (not an image): crisp when printed, and the SVG of the document stays text and shapes.
    edges = np.arange(size + 1) + 0.5
    ax.pcolormesh(edges, edges, image, edgecolors="white", linewidth=0.5)
    ax.set_aspect("equal")
    for likelihood in steps:
        for impact in steps:
            ax.text(float(impact), float(likelihood), str(counts[likelihood - 1, impact - 1]),
                    ha="center", va="center", fontsize=13, fontweight="bold")
    ax.set_xticks(steps, [f"{n}\n{word}" for n, word in zip(steps, matrix.impact_labels, strict=True)])
    ax.set_yticks(steps, [f"{word} {n}" for n, word in zip(steps, matrix.likelihood_labels, strict=True)])
    ax.set_xlabel("Impact")
    ax.set_ylabel("Likelihood")
    when = "after mitigation (residual)" if residual else "before mitigation (inherent)"
    ax.set_title(f"Risks {when}: {int(counts.sum())} in all")
    _band_legend(ax, matrix, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    return cast("Figure", ax.figure)  # the Figure it was drawn on (never a SubFigure here)


def plot_risk_heatmaps(scored: pd.DataFrame, *, matrix: RiskMatrix = DEFAULT_MATRIX) -> Figure:
    """Draw the risk matrix before and after mitigation, side by side.

    Args:
        scored: the table from :func:`score_risks`.
        matrix: the matrix the risks were scored on.

    Returns:
        A Figure with two heat maps: inherent on the left, residual on the right.
    """
    figure = new_figure(13.0, 5.5)
    before, after = figure.subplots(1, 2)
    plot_risk_heatmap(scored, matrix=matrix, ax=before)
    plot_risk_heatmap(scored, residual=True, matrix=matrix, ax=after)
    before.get_legend().remove()
    return figure


def plot_risk_profile(
    profile: pd.DataFrame, *, matrix: RiskMatrix = DEFAULT_MATRIX, ax: Axes | None = None
) -> Figure:
    """Draw the risk profile: per category, a bar of risk counts stacked by band.

    Args:
        profile: the table from :func:`risk_profile`.
        matrix: the matrix whose bands (and band colours) were used.
        ax: draw into these Axes instead of a new figure.

    Returns:
        A Figure with one horizontal bar per category; the legend names each band.
    """
    table = profile.pivot_table(
        index="category", columns="band", values="count", aggfunc="sum", fill_value=0, observed=False
    )
    table = table.reindex(columns=list(matrix.band_names), fill_value=0)
    own_figure = ax is None
    if ax is None:
        ax = new_figure(7.0, 1.6 + 0.45 * max(len(table), 1)).add_subplot()
    left = np.zeros(len(table))
    for band in table.columns:
        widths = table[band].to_numpy(dtype=float)
        ax.barh(table.index.astype(str), widths, left=left, color=band_colour(matrix, band),
                edgecolor="black", label=band)
        left += widths
    for y, total in enumerate(left):
        ax.text(total, y, f" {int(total)}", va="center")
    ax.set_xlim(0, max(left.max(initial=0), 1) * 1.1)  # room for the totals right of the bars
    ax.set_xlabel("Number of risks")
    ax.set_ylabel("Category")
    ax.set_title("Risk profile: risks per category and band")
    # Outside the axes, so it never covers a bar or the axis label (inside, with one category, it ran
    # over "Number of risks"): in a figure of its own, in one row below everything, placed by its layout.
    if own_figure:
        ax.figure.legend(title="Band", loc="outside lower center", ncols=len(table.columns), fontsize="small",
                         frameon=False)
    else:
        ax.legend(title="Band", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return cast("Figure", ax.figure)  # the Figure it was drawn on (never a SubFigure here)
