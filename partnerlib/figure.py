r"""The Figure every partnerlib chart is drawn on: plan text drawn as written, wherever it is drawn.

Charts show names and notes people typed. To matplotlib, text between two
"$" signs is a formula, so a stakeholder called "Fund $\foo$" would stop the
chart from being drawn at all, and "costs $5 to $10" would come out in
italics. A :class:`PlanFigure` turns that off for all of its text each time it
is drawn (as a notebook's picture, in the plan document's SVG, or by
``savefig``), so the same rule holds in every place a chart is shown.

It also keeps quiet when very long names leave matplotlib's layout no room:
the chart is still drawn, and ``short_label`` keeps labels short in the
first place.

This module imports matplotlib; :func:`partnerlib.charts.new_figure` imports it
only when a chart is drawn.
"""

from __future__ import annotations

import warnings
from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["PlanFigure"]


class PlanFigure(Figure):
    """A matplotlib Figure whose text is never read as a formula, and that draws without layout warnings."""

    def __repr__(self) -> str:
        # Named as any matplotlib Figure is, "<Figure size 700x450 with 1 Axes>": what a notebook shows as text.
        return super().__repr__().replace(type(self).__name__, "Figure", 1)

    def draw(self, renderer: Any) -> None:
        """Draw the figure with every text as plain text (``$`` is a dollar sign)."""
        for text in self.findobj(Text):
            text.set_parse_math(False)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
            super().draw(renderer)
