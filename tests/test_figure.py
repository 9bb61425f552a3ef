"""The charts' Figure: plan text drawn as written (no formulas), no layout warning, in every place it is drawn."""

from __future__ import annotations

import io
import warnings

import pytest

from partnerlib import load_sample
from partnerlib.output.charts.style import new_figure
from partnerlib.output.views import show_stakeholder_map_chart

#: Text matplotlib would read as a formula, and fail on ("\foo" is no symbol it knows).
FORMULA_LIKE = r"Fund $\foo$ and costs $5 to $10"


def _plan_with_stakeholder(name: str):
    plan = load_sample()
    first = plan.community.stakeholders[0].model_copy(update={"name": name})
    community = plan.community.model_copy(update={"stakeholders": [first, *plan.community.stakeholders[1:]]})
    return plan.model_copy(update={"community": community})


@pytest.mark.parametrize("format", ["png", "svg"])
def test_a_name_with_dollar_signs_is_drawn_as_written(format):
    figure = show_stakeholder_map_chart(_plan_with_stakeholder(FORMULA_LIKE))
    figure.savefig(io.BytesIO(), format=format)
    drawn = [text for axes in figure.axes for text in axes.texts if "Fund" in text.get_text()]
    assert [(text.get_text().replace("\n", " "), text.get_parse_math()) for text in drawn] == [(FORMULA_LIKE, False)]


def test_labels_with_no_room_left_give_no_warning():
    figure = new_figure(2.0, 2.0)
    axes = figure.add_subplot()
    axes.set_yticks([0, 1], labels=["a name far longer than a figure two inches wide" * 2] * 2)
    axes.set_xticks([0, 1], labels=["a name far longer than a figure two inches wide" * 2] * 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.savefig(io.BytesIO(), format="png")



@pytest.mark.parametrize("format", ["png", "svg"])
def test_each_label_is_measured_by_the_one_renderer_drawing_it(format, monkeypatch):
    # Notebooks draw charts as PNG, the document as SVG; an SVG's layout measured every label
    # again with a renderer of its own (issue 13).
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

    renderer, canvas = (RendererAgg, FigureCanvasAgg) if format == "png" else (RendererSVG, FigureCanvasSVG)
    measuring = []
    measure = renderer.get_text_width_height_descent

    def counted(self, *args, **kwargs):
        measuring.append(self)
        return measure(self, *args, **kwargs)

    monkeypatch.setattr(renderer, "get_text_width_height_descent", counted)
    figure = show_stakeholder_map_chart(load_sample())
    getattr(canvas(figure), f"print_{format}")(io.BytesIO() if format == "png" else io.StringIO())
    assert len({id(one) for one in measuring}) == 1


def test_each_text_is_laid_out_once_a_drawing(monkeypatch):
    # matplotlib works a text's layout out again each time it asks where the text is (about four
    # times a text a drawing); the figure keeps the first answer while nothing it reads changes.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    laid_out = []
    work_out = Text._get_layout

    def counted(self, renderer):
        laid_out.append((id(self), self.get_text()))
        return work_out(self, renderer)

    monkeypatch.setattr(Text, "_get_layout", counted)
    FigureCanvasAgg(show_stakeholder_map_chart(load_sample())).print_png(io.BytesIO())
    assert len(laid_out) == len(set(laid_out))


def test_each_axis_works_its_ticks_out_once_for_each_place_of_its_axes(monkeypatch):
    # The layout moves the axes (and so may change the ticks); otherwise the ticks stay as worked out.
    from matplotlib.axis import Axis
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    worked_out = []
    work_out = Axis._update_ticks

    def counted(self):
        worked_out.append((id(self), self.axes.bbox.bounds))
        return work_out(self)

    monkeypatch.setattr(Axis, "_update_ticks", counted)
    FigureCanvasAgg(show_stakeholder_map_chart(load_sample())).print_png(io.BytesIO())
    assert len(worked_out) == len(set(worked_out))


@pytest.mark.parametrize("format", ["png", "svg"])
def test_laying_out_texts_and_ticks_once_draws_the_same_picture(format, monkeypatch):
    import contextlib

    from matplotlib import rc_context

    from partnerlib.output.charts import figure as plan_figure

    def drawn() -> bytes:
        picture = io.BytesIO()
        with rc_context({"svg.hashsalt": "same ids"}):  # an SVG's ids are random otherwise
            show_stakeholder_map_chart(load_sample()).savefig(picture, format=format, metadata={"Date": None})
        return picture.getvalue()

    once = drawn()
    monkeypatch.setattr(plan_figure, "_worked_out_once", lambda figure, texts: contextlib.nullcontext())
    assert once == drawn()


def test_without_the_private_parts_it_reads_charts_are_drawn_as_matplotlib_draws_them(monkeypatch):
    """A matplotlib that renamed a private method the shortcut reads is noticed, and the shortcut is skipped."""
    from matplotlib.axis import Axis

    from partnerlib.output.charts import figure as plan_figure

    assert plan_figure._has_private_parts()
    with monkeypatch.context() as renamed:
        renamed.delattr(Axis, "_update_ticks")
        assert not plan_figure._has_private_parts()

    def drawn() -> bytes:
        picture = io.BytesIO()
        show_stakeholder_map_chart(load_sample()).savefig(picture, format="png")
        return picture.getvalue()

    with_shortcut = drawn()
    monkeypatch.setattr(plan_figure, "_SHORTCUT", False)
    assert drawn() == with_shortcut
