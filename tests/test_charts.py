"""What every chart shares: short labels, and date axes written the way the tables write dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from partnerlib.output.charts.style import label_amounts, label_dates, new_figure, short_label


def _date_ticks(first: dt.date, last: dt.date) -> tuple[list[str], str]:
    figure = new_figure()
    axes = figure.add_subplot()
    axes.plot([first, last], [0, 1])
    label_dates(axes.xaxis)
    figure.savefig(io.BytesIO(), format="png")
    return [tick.get_text() for tick in axes.get_xticklabels() if tick.get_text()], axes.xaxis.get_offset_text().get_text()


@pytest.mark.parametrize(
    ("first", "last", "ticks", "offset"),
    [
        # Over two years: months, and the year at each January.
        (dt.date(2026, 7, 1), dt.date(2027, 7, 1), ["Jul", "Sep", "Nov", "2027", "Mar", "May", "Jul"], ""),
        # Within one month: days (the month at its first day), and the month and year once.
        (dt.date(2026, 9, 1), dt.date(2026, 9, 29),
         ["Sep", "5 Sep", "9 Sep", "13 Sep", "17 Sep", "21 Sep", "25 Sep", "29 Sep"], "Sep 2026"),
        # Within one day: hours (their zeros kept), and the day written once, unpadded.
        (dt.datetime(2026, 9, 5, 6), dt.datetime(2026, 9, 5, 18), ["06:00", "08:00", "10:00", "12:00", "14:00", "16:00", "18:00"],
         "5 Sep 2026"),
    ],
)
def test_date_axes_name_months_and_days_in_words(first, last, ticks, offset):
    assert _date_ticks(first, last) == (ticks, offset)


def test_amounts_are_written_with_thousands_separated():
    figure = new_figure()
    axes = figure.add_subplot()
    axes.barh([0, 1], [12_000, 38_000])
    label_amounts(axes.xaxis)
    figure.savefig(io.BytesIO(), format="png")
    assert [tick.get_text() for tick in axes.get_xticklabels()] == [
        "0", "5,000", "10,000", "15,000", "20,000", "25,000", "30,000", "35,000", "40,000"
    ]


def test_a_long_label_is_cut_at_a_word():
    assert short_label("Riverside Community Health Partnership for Families", 30) == "Riverside Community Health…"


def test_a_notebook_shows_a_chart_as_savefig_draws_it():
    # Drawn once for the notebook, the picture is the same, byte for byte, as savefig's (which draws twice).
    import base64

    from IPython.core.interactiveshell import InteractiveShell

    from partnerlib import load_sample
    from partnerlib.output.charts.style import PNG_COMPRESSION
    from partnerlib.output.views import show_candidate_chart

    shell = InteractiveShell.instance()
    try:
        plan = load_sample()
        shown, _metadata = shell.display_formatter.format(show_candidate_chart(plan))
        saved = io.BytesIO()
        show_candidate_chart(plan).savefig(saved, format="png", pil_kwargs={"compress_level": PNG_COMPRESSION})
    finally:
        InteractiveShell.clear_instance()
    picture = shown["text/html"].split("data:image/png;base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(picture) == saved.getvalue()
