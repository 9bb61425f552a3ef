r"""The Figure every partnerlib chart is drawn on: plan text drawn as written, wherever it is drawn.

Charts show names and notes people typed. To matplotlib, text between two
"$" signs is a formula, so a stakeholder called "Fund $\foo$" would stop the
chart from being drawn at all, and "costs $5 to $10" would come out in
italics. A :class:`PlanFigure` turns that off for all of its text each time it
is drawn (as a notebook's picture, in the plan document's SVG, or by
``savefig``), so the same rule holds in every place a chart is shown.

Each text's layout (its lines' sizes and offsets) and each axis's ticks
are worked out once per drawing, and again only when what they are worked
out from changes. matplotlib works them out each time it asks where a text
or a tick is: the constrained layout's two passes, the title and axis label
placement beside the tick labels, and the drawing itself, about four times a
text; together a fifth of a chart's drawing time. The picture is the same,
byte for byte.

It also keeps quiet when very long names leave matplotlib's layout no room:
the chart is still drawn, and ``short_label`` keeps labels short in the
first place.

Its text is drawn without font hinting, as matplotlib draws its own test
images: hinting moves glyphs to the pixel grid in ways that differ between
FreeType versions, so the same chart would come out a few pixels different
on another machine, and it costs about a tenth of a chart's drawing time.

:class:`DayMonthFormatter` writes date ticks the way the tables write dates
("5 Sep", not "05 Sep").

This module imports matplotlib; :func:`partnerlib.output.charts.style.new_figure` imports it
only when a chart is drawn.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from matplotlib import rc_context
from matplotlib.axis import Axis
from matplotlib.dates import ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["DayMonthFormatter", "PlanFigure"]

#: Glyphs at their true outline, not moved to the pixel grid (see the module's docstring).
_UNHINTED: dict[Any, Any] = {"text.hinting": "no_hinting"}
#: A day of the month written with a leading zero, at the start of a label ("05 Sep").
_PADDED_DAY = re.compile(r"^0(?=\d [^\W\d])")


class PlanFigure(Figure):
    """A matplotlib Figure whose text is never read as a formula, drawn unhinted and without layout warnings."""

    def __repr__(self) -> str:
        # Named as any matplotlib Figure is, "<Figure size 700x450 with 1 Axes>": what a notebook shows as text.
        return super().__repr__().replace(type(self).__name__, "Figure", 1)

    #: The renderer drawing the figure right now, or None between drawings.
    _drawing_with: Any = None

    def draw(self, renderer: Any) -> None:
        """Draw the figure with every text as plain text (``$`` is a dollar sign), unhinted."""
        texts = self.findobj(Text)
        for text in texts:
            text.set_parse_math(False)
        self._drawing_with = renderer
        try:
            with warnings.catch_warnings(), rc_context(_UNHINTED), _worked_out_once(self, texts):
                warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
                super().draw(renderer)
        finally:
            self._drawing_with = None

    def _get_renderer(self) -> Any:
        """Return the renderer the layout measures text with: while drawing, the one drawing.

        matplotlib's own choice is the same for a PNG, but for an SVG it makes a
        second renderer (by starting a throwaway drawing), whose text sizes are
        cached apart from the drawing's own: every label was measured twice. The
        sizes are the same, and so is the SVG.
        """
        return self._drawing_with or super()._get_renderer()  # type: ignore[misc]  # private in the stubs


def _layout_once(text: Text) -> Callable[[Any], Any]:
    """Return ``text._get_layout`` remembering its result for as long as nothing it reads changes."""
    work_out = text._get_layout  # type: ignore[attr-defined]  # private in the stubs
    known: dict[tuple[Any, ...], Any] = {}

    def layout(renderer: Any) -> Any:
        # Everything matplotlib's layout of one text reads (the position moves the box, not its layout).
        key = (
            id(renderer), text._get_wrapped_text(), hash(text.get_fontproperties()),  # type: ignore[attr-defined]
            text.get_rotation(), text.get_rotation_mode(), text.get_horizontalalignment(),
            text.get_verticalalignment(), text._multialignment, text._linespacing,  # type: ignore[attr-defined]
            text.get_usetex(), text.get_parse_math(), text.get_figure(root=True).dpi,  # type: ignore[union-attr]
        )
        if key not in known:
            known[key] = work_out(renderer)
        return known[key]

    return layout


def _ticks_once(axis: Axis) -> Callable[[], Any]:
    """Return ``axis._update_ticks`` doing the work again only when something it reads has changed."""
    work_out = axis._update_ticks  # type: ignore[attr-defined]  # private in the stubs
    last: list[Any] = [None, None]  # what the ticks were worked out from, and the ticks to draw

    def ticks() -> Any:
        # The axis's limits, the axes' place on the page (the layout moves it), its locators and formatters.
        key = (
            tuple(axis.get_view_interval()), tuple(axis.get_data_interval()), axis.axes.bbox.bounds,
            axis.get_major_locator(), axis.get_major_formatter(),
            axis.get_minor_locator(), axis.get_minor_formatter(),
        )
        if key != last[0]:
            last[:] = [key, work_out()]
        return last[1]

    return ticks


def _has_private_parts() -> bool:
    """Tell whether this matplotlib has the private methods and attributes the shortcut reads (3.11 has).

    A newer matplotlib may rename them; charts are then drawn as matplotlib
    draws them, the same pictures, only slower.
    """
    probe = Text()
    return all(hasattr(owner, name) for owner, name in (
        (Text, "_get_layout"), (Text, "_get_wrapped_text"), (probe, "_multialignment"), (probe, "_linespacing"),
        (Axis, "_update_ticks"),
    ))


#: Whether :func:`_worked_out_once` may take its shortcut with the matplotlib installed.
_SHORTCUT = _has_private_parts()


@contextmanager
def _worked_out_once(figure: Figure, texts: Iterable[Text]) -> Iterator[None]:
    """While drawing, work out each text's layout and each axis's ticks once (see the module's docstring)."""
    if not _SHORTCUT:
        yield
        return
    once: list[tuple[Any, str, Callable[..., Any]]] = [(text, "_get_layout", _layout_once(text)) for text in texts]
    once += [(axis, "_update_ticks", _ticks_once(axis)) for axes in figure.axes for axis in (axes.xaxis, axes.yaxis)]
    for owner, name, method in once:
        setattr(owner, name, method)  # this drawing's only
    try:
        yield
    finally:
        for owner, name, _method in once:
            delattr(owner, name)  # back to matplotlib's own


class DayMonthFormatter(ConciseDateFormatter):
    """Concise date ticks with the day unpadded, as the tables write it: "5 Sep", "5 Sep 2026".

    strftime has no portable unpadded day ("%-d" fails on Windows), so the
    leading zero is taken off the formatted labels.

    >>> _PADDED_DAY.sub("", "05 Sep 2026"), _PADDED_DAY.sub("", "09:30"), _PADDED_DAY.sub("", "2027")
    ('5 Sep 2026', '09:30', '2027')
    """

    def format_ticks(self, values: Any) -> list[str]:
        """Return the tick labels, each day unpadded."""
        return [_PADDED_DAY.sub("", label) for label in super().format_ticks(values)]

    def get_offset(self) -> str:
        """Return the text written once at the axis end ("Sep 2026"), its day unpadded."""
        return _PADDED_DAY.sub("", super().get_offset())
