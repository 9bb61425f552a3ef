"""Charts' alternative text: every picture on a page says what it shows, in words."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from partnerlib import SAMPLE_PLAN, open_workspace
from partnerlib.output.charts.style import chart_description, figure_html
from partnerlib.output.views import show_risk_profile_chart


def _bars() -> Figure:
    figure = Figure()
    axes = figure.add_subplot()
    axes.bar(["a", "b", "c"], [1, 2, 3])
    axes.set(title="Risks per band", xlabel="Band", ylabel="Number of risks")
    return figure


def _points() -> Figure:
    figure = Figure()
    axes = figure.add_subplot()
    axes.scatter([1, 2], [3, 4])
    axes.set(xlabel="Interest", ylabel="Power")
    figure.suptitle("Stakeholder map")
    return figure


def _said_in_its_own_words() -> Figure:
    figure = _bars()
    figure.set_label("three bands, the highest with 3 risks")
    return figure


def _one_line() -> Figure:
    figure = Figure()
    axes = figure.add_subplot()
    axes.plot([1, 2], [1, 2], label="Measured")
    axes.set(title="A KPI\nover time", ylabel="Number")
    return figure


# (chart, its alternative text)
CASES = [
    (_bars, "Risks per band. 3 bars of Number of risks by Band."),
    (_points, "Stakeholder map. 2 points of Power by Interest."),
    (_said_in_its_own_words, "Risks per band. Three bands, the highest with 3 risks."),
    (_one_line, "A KPI over time. 1 line of Number."),
    (Figure, "Chart."),
]


@pytest.mark.parametrize(("chart", "said"), CASES, ids=[c[0].__name__ for c in CASES])
def test_chart_description(chart, said):
    assert chart_description(chart()) == said


def test_the_picture_carries_its_description_escaped():
    figure = _bars()
    figure.axes[0].set_title("<b>Risks</b> & bands")
    assert 'alt="&lt;b&gt;Risks&lt;/b&gt; &amp; bands. 3 bars' in figure_html(figure)


def test_a_real_chart_is_described_by_its_title(tmp_path):
    with open_workspace(tmp_path / "ws.sqlite") as book:
        figure = show_risk_profile_chart(book.load(SAMPLE_PLAN).plan)
    assert chart_description(figure).startswith(f"{figure.axes[0].get_title() or figure._suptitle.get_text()}.")
