"""Make the Figures that views return show as pictures in Jupyter and Voilà.

A Figure made with :func:`partnerlib.charts.new_figure` is not registered with
pyplot, so the notebook's inline backend never learns how to draw it: a cell
ending in one showed only ``<Figure size ...>``. :func:`displayable` teaches
the running IPython, once, to render every Figure as PNG (as the inline
backend would), and does nothing outside IPython.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__: list[str] = []


def displayable(figure: Figure) -> Figure:
    """Return ``figure`` unchanged, after making sure the running IPython can show Figures as PNG."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook extras
        return figure
    shell = get_ipython()
    if shell is None:
        return figure
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    if Figure not in formatter.type_printers:
        formatter.for_type(Figure, partial(print_figure, fmt="png", base64=True, bbox_inches="tight"))
    return figure
