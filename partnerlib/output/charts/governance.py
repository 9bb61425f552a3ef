"""Charts of the governance analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ...analyses.governance import parties_by_id, structure_tables
from ...models import (
    Governance,
    Plan,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_governance"]


# ---- chart -----------------------------------------------------------------------

_LEVEL = {"strategic": 0, "project": 1, "implementing": 2}
_LINE = 0.32  # height of one text line, in drawing units
_INCHES_PER_UNIT = 0.6  # how tall a drawing unit is on the figure, so _LINE is 0.19 in
_BOX_WIDTH = 4.2


def plot_governance(
    governance: Plan | Governance, parties: Mapping[str, str] | Iterable[str] | None = None
) -> Figure:
    """Draw the governance structure: a box per group with its members, arrows for "reports to".

    Strategic groups are drawn at the top, project groups in the middle and
    implementing groups at the bottom. Each box names the group, its kind and
    how often it meets, and lists its members as "person — role
    (organisation)". An arrow runs from each group to the group it reports to.

    Args:
        governance: a governance section, or a whole plan (its parties are then used).
        parties: the partnership's parties, id → name, to name each member's
            organisation; with a plan, ``plan.parties()`` when not given.

    Returns:
        A matplotlib Figure with one panel.
    """
    from matplotlib.patches import FancyBboxPatch

    from .style import PALETTE, new_figure, short_label

    if isinstance(governance, Plan):
        parties = governance.parties() if parties is None else parties
        governance = governance.governance
    names = parties_by_id(parties if parties is not None else [])
    groups, members = structure_tables(governance)
    members["organisation"] = members["party"].replace(names)
    lines = {
        group: [
            textwrap.shorten(f"• {person} — {role} ({organisation})", 72)
            for person, role, organisation in zip(
                rows["person"], rows["role"], rows["organisation"], strict=True
            )
        ]
        for group, rows in members.groupby("group", sort=False)
    }
    groups["level"] = groups["kind"].map(_LEVEL)
    groups["slot"] = groups.groupby("level").cumcount()
    groups["lines"] = [2 + max(len(lines.get(g, [])), 1) for g in groups["id"]]
    level_height = groups.groupby("level")["lines"].max() * _LINE + 0.5
    top = {
        level: -float(level_height.loc[:level].sum() - level_height.loc[level]) - 1.2 * level
        for level in level_height.index
    }
    widest = int(groups["slot"].max() + 1) if len(groups) else 1
    # Each box about 6 in wide, so a member's line (up to 72 characters) fits however many sit side by side;
    # the height is set below, from the boxes drawn.
    figure = new_figure(7.0 * widest, 4.0)
    ax = figure.subplots()
    ax.set_axis_off()
    colours = {"strategic": PALETTE[0], "project": PALETTE[2], "implementing": PALETTE[1]}
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for row in groups.itertuples():
        count = int((groups["level"] == row.level).sum())
        x = (widest - count) * (_BOX_WIDTH + 0.6) / 2 + row.slot * (_BOX_WIDTH + 0.6)
        height = row.lines * _LINE + 0.3
        y = top[row.level] - height
        boxes[row.id] = (x, y, _BOX_WIDTH, height)
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                _BOX_WIDTH,
                height,
                boxstyle="round,pad=0.05",
                facecolor="white",
                edgecolor=colours[row.kind],
                linewidth=2,
            )
        )
        meets = f" · meets {row.meets}" if row.meets else ""
        ax.text(
            x + 0.15, y + height - 0.15, short_label(row.name, 30), fontsize=11, fontweight="bold", va="top"
        )
        ax.text(
            x + 0.15,
            y + height - 0.15 - _LINE * 1.1,
            f"{row.kind.capitalize()} group{meets}",
            fontsize=9,
            va="top",
            color=colours[row.kind],
        )
        body = "\n".join(lines.get(row.id, ["(no members yet)"]))
        ax.text(
            x + 0.15, y + height - 0.2 - _LINE * 2.1, body, fontsize=9, va="top", linespacing=1.35
        )
    for row in groups.itertuples():
        if row.reports_to not in boxes:
            continue
        x, y, width, height = boxes[row.id]
        px, py, pwidth, pheight = boxes[row.reports_to]
        start = (x + width / 2, y + height) if py > y else (x + width / 2, y)
        end = (px + pwidth / 2, py) if py > y else (px + pwidth / 2, py + pheight)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "-|>", "color": "#555555", "linewidth": 1.5},
        )
        ax.text(
            (start[0] + end[0]) / 2 + 0.1,
            (start[1] + end[1]) / 2,
            "reports to",
            fontsize=8,
            color="#555555",
            va="center",
        )
    if boxes:
        xs = [b[0] for b in boxes.values()] + [b[0] + b[2] for b in boxes.values()]
        ys = [b[1] for b in boxes.values()] + [b[1] + b[3] for b in boxes.values()]
        ax.set_xlim(min(xs) - 0.3, max(xs) + 0.3)
        low, high = min(ys) - 0.3, max(ys) + 0.3
        ax.set_ylim(low, high)
        # As tall as the boxes need: a line of 9 pt text takes 0.17 in, _LINE units are given 0.19 in.
        figure.set_size_inches(figure.get_figwidth(), 0.8 + _INCHES_PER_UNIT * (high - low))
    else:
        ax.text(
            0.5, 0.5, "No governance groups yet.", ha="center", va="center", transform=ax.transAxes
        )
    ax.set_title("Governance structure", fontsize=12)
    return figure
