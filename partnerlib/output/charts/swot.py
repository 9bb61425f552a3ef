"""Charts of the swot analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ...analyses.swot import MIDPOINT, POSITIONS, SwotScore
from ...core.formats import write_number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_swot_board", "plot_swot_position"]


# ---- charts ----------------------------------------------------------------

_BOARD = (
    ("strength", "Strengths", "internal, helpful"),
    ("weakness", "Weaknesses", "internal, harmful"),
    ("opportunity", "Opportunities", "external, helpful"),
    ("threat", "Threats", "external, harmful"),
)


#: Height of one listed line on the SWOT board, in inches (9 pt text, normal line spacing).
_SWOT_LINE = 0.17
#: The indent of a factor's second and later lines: no-break spaces, which a browser showing
#: the document's SVG keeps (it would collapse ordinary leading spaces).
_INDENT = "\u00a0\u00a0"


def plot_swot_board(scored: SwotScore, *, width: int = 48) -> Figure:
    """Draw the SWOT as four quadrants listing each factor with its weight and rating.

    Factors are listed heaviest first, their text wrapped to ``width``
    characters; each line ends with "weight 0.30 × rating 4 = 1.20". The title
    gives both totals.

    Args:
        scored: the result of :func:`score_swot`.
        width: characters per line before a factor's text wraps.

    Returns:
        A matplotlib Figure with four panels.
    """
    from .style import STATUS_COLOURS, new_figure

    colours = {
        "strength": STATUS_COLOURS["strength"],
        "weakness": STATUS_COLOURS["concern"],
        "opportunity": "#0072B2",
        "threat": STATUS_COLOURS["borderline"],
    }
    table = scored.table.sort_values("weight", ascending=False, kind="stable")
    panels = []
    for kind, title, where in _BOARD:
        rows = table[table["kind"] == kind]
        lines = [
            textwrap.fill(f"• {row.text}", width, subsequent_indent=_INDENT)
            + f"\n{_INDENT}weight {write_number(row.weight, 2)} × rating {row.rating}"
            f" = {write_number(row.weighted_score, 2)}"
            for row in rows.itertuples()
        ] or ["(none listed yet)"]
        subtotal = write_number(rows["weighted_score"].sum(), 2)
        panels.append((kind, f"{title} ({where}) — subtotal {subtotal}", "\n".join(lines)))
    # Each row of panels is as tall as its longer list, so no list runs out of its box.
    heights = [max(panels[i][2].count("\n") + 1, panels[i + 1][2].count("\n") + 1) for i in (0, 2)]
    figure = new_figure(10, max(4.0, 1.6 + _SWOT_LINE * sum(heights)))
    axes = figure.subplots(2, 2, height_ratios=[height + 2 for height in heights])
    for ax, (kind, title, text) in zip(axes.flat, panels, strict=True):
        ax.set_title(title, loc="left", color=colours[kind], fontweight="bold", fontsize=10)
        ax.text(
            0.03,
            0.97,
            text,
            va="top",
            ha="left",
            fontsize=9,
            transform=ax.transAxes,
            wrap=False,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color(colours[kind])
            spine.set_linewidth(2)
    figure.suptitle(
        f"SWOT — internal total {write_number(scored.internal, 2)}, external total {write_number(scored.external, 2)} "
        f"(1–4, midpoint {MIDPOINT})",
        fontsize=12,
    )
    return figure


def plot_swot_position(scored: SwotScore) -> Figure:
    """Mark the partnership's position on the 1–4 × 1–4 internal × external grid.

    The internal total is across, the external total up; lines at 2.5 split the
    grid into the four positions, each labelled in words with the TOWS
    quadrant it favours.

    Args:
        scored: the result of :func:`score_swot`.

    Returns:
        A matplotlib Figure with one panel.
    """
    from .style import PALETTE, new_figure

    figure = new_figure(6.5, 6)
    ax = figure.subplots()
    ax.set_xlim(1, 4)
    ax.set_ylim(1, 4)
    ax.axvline(MIDPOINT, color="#777777", linewidth=1)
    ax.axhline(MIDPOINT, color="#777777", linewidth=1)
    corners = {"SO": (3.25, 3.85), "ST": (3.25, 1.15), "WO": (1.75, 3.85), "WT": (1.75, 1.15)}
    for quadrant, (x, y) in corners.items():
        label = f"{POSITIONS[quadrant][0]}\n({quadrant} strategies)"
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="top" if y > MIDPOINT else "bottom",
            fontsize=10,
            color="#333333",
            fontweight="bold" if quadrant == scored.quadrant else "normal",
        )
    ax.plot([scored.internal], [scored.external], "o", markersize=12, color=PALETTE[5])
    ax.annotate(
        f"Our partnership\n({write_number(scored.internal, 2)}, {write_number(scored.external, 2)})",
        (scored.internal, scored.external),
        xytext=(10, -10),
        textcoords="offset points",
        fontsize=9,
        va="top",
    )
    ax.set_xlabel("Internal total (strengths and weaknesses), 1–4")
    ax.set_ylabel("External total (opportunities and threats), 1–4")
    ax.set_title(f"Where the partnership stands: {scored.position}")
    return figure
