"""Charts of the survey analysis: functions that take its results and return a matplotlib Figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.checks import (
    require_columns,
)
from ...core.formats import write_number
from ...models import AGREEMENT_LABELS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Colours of the five answers: warm for disagreeing, grey neutral, blue for
#: agreeing (Okabe–Ito hues, told apart with the common colour-vision deficiencies).
LIKERT_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")

__all__ = ["LIKERT_COLOURS", "plot_likert"]


def plot_likert(summary: pd.DataFrame, *, title: str = "Survey answers") -> Figure:
    """Draw each question's answers as a bar diverging from neutral.

    Disagreeing answers run left of zero, agreeing ones right, and neutral
    answers sit across the middle, half on each side. Segments of 10 % or more
    carry their percent; the legend names every answer.

    Args:
        summary: the result of :func:`summarise_likert`.
        title: the chart's title.

    Returns:
        A matplotlib Figure with one Axes.
    """
    import textwrap

    import numpy as np

    from .style import new_figure, short_label

    require_columns(summary, ("text", "n") + AGREEMENT_LABELS, "survey summary")
    shown = summary[summary["n"] > 0]
    group = summary.columns[2] if summary.columns[2] != "n" else None
    labels = [textwrap.fill(short_label(text, 120), 40) for text in shown["text"]]
    if group is not None:
        labels = [f"{text}\n({short_label(name)})" for text, name in zip(labels, shown[group], strict=True)]
    counts = shown[list(AGREEMENT_LABELS)].to_numpy(dtype=float)
    percent = counts * 100 / counts.sum(axis=1, keepdims=True) if len(shown) else counts
    starts = -(percent[:, 0] + percent[:, 1] + percent[:, 2] / 2)
    lefts = starts[:, None] + np.concatenate([np.zeros((len(shown), 1)), percent.cumsum(axis=1)[:, :-1]], axis=1)

    lines = sum(label.count("\n") + 1 for label in labels)
    figure = new_figure(9, 1.8 + 0.25 * lines + 0.2 * len(labels))
    axes = figure.add_subplot()
    rows = np.arange(len(shown))[::-1]
    for column, (label, colour) in enumerate(zip(AGREEMENT_LABELS, LIKERT_COLOURS, strict=True)):
        bars = axes.barh(rows, percent[:, column], left=lefts[:, column], color=colour,
                         edgecolor="white", label=label)
        words = [f"{write_number(p, 0)}%" if p >= 10 else "" for p in percent[:, column]]
        axes.bar_label(bars, labels=words, label_type="center", fontsize=8)
    # Behind the bars (zorder below theirs): it marks zero between them and never strikes through a label.
    axes.axvline(0, color="black", linewidth=0.8, zorder=0.5)
    axes.set_yticks(rows, labels=labels, fontsize=8)
    axes.set_xlim(-100, 100)
    axes.set_xlabel("Share of answers (%): disagree ← → agree")
    axes.set_title(title, wrap=True)
    figure.legend(*axes.get_legend_handles_labels(), loc="outside lower center", ncols=5, fontsize=8,
                  frameon=False)
    if not len(shown):
        axes.text(0, 0, "No answers yet", ha="center", va="center")
    return figure
