"""What every chart shares: a colour-blind-safe palette, status colours and a figure factory.

matplotlib is imported only when a chart is drawn, so ``import partnerlib``
stays light.
"""

from __future__ import annotations

import io
from collections.abc import Sized
from typing import TYPE_CHECKING, Any, cast

from ...core.formats import write_number

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

#: Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Colours for statuses and bands; every chart also writes the status in words.
STATUS_COLOURS = {
    "on track": "#009E73",
    "at risk": "#E69F00",
    "off track": "#D55E00",
    "no data": "#999999",
    "low": "#009E73",
    "medium": "#F0E442",
    "high": "#E69F00",
    "critical": "#D55E00",
    "strength": "#009E73",
    "borderline": "#E69F00",
    "concern": "#D55E00",
    "on schedule": "#009E73",
    "due soon": "#E69F00",
    "overdue": "#D55E00",
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
}

#: zlib level of a notebook's chart pictures: for these flat-coloured charts level 3 gives files
#: no larger than the default 6 (often smaller), about 4 ms sooner per chart.
PNG_COMPRESSION = 3

__all__ = [
    "PALETTE",
    "STATUS_COLOURS",
    "chart_description",
    "figure_html",
    "label_amounts",
    "label_dates",
    "new_figure",
    "short_label",
]


def new_figure(width: float = 7.0, height: float = 4.5, **kwargs: Any) -> Figure:
    """Return a new matplotlib Figure (not registered with pyplot, so nothing leaks or shows).

    Sizes are in inches. Notebooks display the returned Figure as their cell's
    result; the plan document saves it as SVG. Either way its text is drawn as
    written (:class:`~partnerlib.output.charts.figure.PlanFigure`: a "$" is a dollar sign).
    """
    from .figure import PlanFigure

    _show_figures_in_ipython()
    return PlanFigure(figsize=(width, height), layout="constrained", **kwargs)


def short_label(text: object, limit: int = 40) -> str:
    """Return plan text fit for a chart label: one line of at most ``limit`` characters.

    A name that runs on squeezes the plot itself to nothing (the layout makes
    room for every label), so a long one is cut at a word and ends in "…";
    the tables beside the chart show it in full.

    >>> short_label("Riverside Community Health Partnership for Families", 30)
    'Riverside Community Health…'
    >>> short_label("  Two   spaces ")
    'Two spaces'
    """
    words = " ".join(str(text).split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def label_dates(axis: Axis) -> None:
    """Label a date axis as the tables write dates: "Sep", "2027", "5 Sep 2026", never "2026-09".

    Ticks name the month (the year at January) or, over a few weeks, the
    day; the year or month the ticks share is written once at the axis end.
    """
    from matplotlib.dates import AutoDateLocator

    from .figure import DayMonthFormatter

    locator = AutoDateLocator(minticks=3, maxticks=9)
    axis.set_major_locator(locator)
    axis.set_major_formatter(DayMonthFormatter(
        locator,
        formats=["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%b", "%d %b", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%b %Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"],
    ))


def label_amounts(axis: Axis) -> None:
    """Write an axis's numbers as the tables do, thousands separated: "20,000", not "20000"."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(_amount))


def _amount(value: float, _position: object = None) -> str:
    """Format one tick: thousands separated from 1,000 on, shorter numbers as they are.

    >>> [_amount(v) for v in (20000.0, 1250000.0, 2.5, 0.0, -1500.0)]
    ['20,000', '1,250,000', '2.5', '0', '-1,500']
    """
    return write_number(value, 0) if abs(value) >= 1000 else f"{value:g}"


def _show_figures_in_ipython() -> None:
    """Teach a running IPython (Jupyter, Voilà) to draw Figures as PNG; nothing elsewhere.

    A Figure not made through pyplot is unknown to the notebook's inline
    backend, so a cell ending in one would show only ``<Figure size ...>``.
    """
    import sys

    if "IPython" not in sys.modules:  # not in a notebook: nothing to teach
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    formatters = shell.display_formatter.formatters
    if Figure not in formatters["text/html"].type_printers:
        # One picture, as HTML with its alternative text (screen readers, axe's image-alt rule);
        # the PNG printer gives nothing, so the picture is not stored twice.
        formatters["text/html"].for_type(Figure, figure_html)
        formatters["image/png"].for_type(Figure, lambda figure: None)


def _png_picture(figure: Figure) -> str:
    """Return the whole figure as a PNG picture, base64-encoded, as a notebook shows it.

    The figure is drawn once, its constrained layout worked out within that
    drawing (it already fits every label and title inside the figure).
    ``savefig`` and IPython's ``print_figure`` would first draw it once more
    without pixels, only to run that layout; the picture is the same, byte
    for byte, and comes about 15 % sooner.
    """
    import base64

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    picture = io.BytesIO()
    FigureCanvasAgg(figure).print_png(picture, pil_kwargs={"compress_level": PNG_COMPRESSION})
    return base64.b64encode(picture.getvalue()).decode("ascii")


def _axes_summary(axes: Any) -> str:
    """Say what one set of axes draws: how many bars, points and lines, of what against what."""
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    counts = (
        (sum(len(c) for c in axes.containers if isinstance(c, BarContainer)), "bar"),
        (sum(len(cast("Sized", c.get_offsets())) for c in axes.collections if isinstance(c, PathCollection)), "point"),
        (sum(1 for line in axes.get_lines() if not line.get_label().startswith("_")), "line"),
    )
    drawn = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts if n)
    x_label, y_label = axes.get_xlabel().strip(), axes.get_ylabel().strip()
    against = " by ".join(label for label in (y_label, x_label) if label)
    return " of ".join(part for part in (drawn, against) if part)


def chart_description(figure: Figure) -> str:
    """Return a chart's alternative text: its title, then one line on what it shows.

    A chart may say in its own words what it shows with ``figure.set_label(...)``;
    otherwise the line counts the bars, points and lines of each set of axes and
    names their axes, e.g. ``Risk profile. 4 bars of Number of risks by Band.``

    Args:
        figure: a chart from one of the ``plot_*`` functions.

    Returns:
        One or two sentences, plain text (escape it where it becomes HTML).
    """
    title = figure.get_suptitle().strip()
    titles = [axes.get_title().strip() for axes in figure.axes if axes.get_title().strip()]
    title = title or (titles[0] if titles else "Chart")
    summary = cast(str, figure.get_label()).strip() or "; ".join(
        filter(None, (_axes_summary(axes) for axes in figure.axes if axes.get_visible() and axes.has_data()))
    )
    title = " ".join(title.split())
    return f"{title}. {summary[:1].upper()}{summary[1:]}." if summary else f"{title}."


def figure_html(figure: Figure) -> str:
    """Return the chart as an HTML picture with its alternative text (:func:`chart_description`)."""
    import html

    return (
        f'<img alt="{html.escape(chart_description(figure))}" '
        f'src="data:image/png;base64,{_png_picture(figure)}">'
    )
