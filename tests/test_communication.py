import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import calendar_gaps, channel_mix, communication_calendar
from partnerlib.models import CHANNELS, Communication, Item, Line
from partnerlib.output.charts.communication import plot_communication_calendar

AS_OF = dt.date(2026, 4, 1)


def plan():
    return Communication(
        lines=[
            Line(owner="Ann", audience="Donors", audience_kind="donor", channel="newsletter"),
            Line(owner="Ben", audience="Clinic", audience_kind="partner", channel="phone"),
        ],
        calendar=[
            Item(date=dt.date(2026, 5, 10), title="Spring update", channel="newsletter", audience="Donors",
                 audience_kind="donor"),
            Item(date=dt.date(2026, 2, 1), title="Kick-off", channel="meeting", audience="Clinic"),
            Item(date=dt.date(2026, 5, 10), title="Video", channel="video", audience="Church",
                 audience_kind="church"),
            Item(date=dt.date(2026, 8, 1), title="Dropped", channel="email", audience="Clinic",
                 status="cancelled"),
            Item(date=AS_OF, title="Call", channel="phone", audience="Clinic"),
        ],
    )


def test_calendar_sorted_by_date_then_audience():
    assert communication_calendar(plan(), as_of=AS_OF)["title"].tolist() == [
        "Kick-off", "Call", "Video", "Spring update", "Dropped"]


def test_calendar_timing():
    assert communication_calendar(plan(), as_of=AS_OF)["timing"].tolist() == [
        "past", "upcoming", "upcoming", "upcoming", "cancelled"]


def test_an_item_already_done_is_past_even_on_or_after_the_date():
    done = plan().model_copy(deep=True)
    done.calendar[-1] = done.calendar[-1].model_copy(update={"status": "done"})  # the call on AS_OF
    calendar = communication_calendar(done, as_of=AS_OF)
    assert calendar.loc[calendar["title"].eq("Call"), "timing"].tolist() == ["past"]


def test_calendar_dates_are_dates():
    assert communication_calendar(plan(), as_of=AS_OF).loc[0, "date"] == dt.date(2026, 2, 1)


def test_as_of_must_be_a_date():
    with pytest.raises(TypeError, match="'as_of' must be a date"):
        communication_calendar(plan(), as_of=None)


def gaps():
    return calendar_gaps(plan(), start=dt.date(2026, 1, 20), quarters=3)


def test_gap_table_counts_per_quarter():
    # Donors: Q2 newsletter; Clinic: Q1 kick-off, Q2 call (Q3 item cancelled); Church: Q2 video.
    table = gaps().table.set_index("audience")[["2026 Q1", "2026 Q2", "2026 Q3"]]
    assert table.to_numpy().tolist() == [[0, 1, 0], [1, 1, 0], [0, 1, 0]]


def test_gap_table_audiences_lines_first():
    assert gaps().table["audience"].tolist() == ["Donors", "Clinic", "Church"]


def test_gaps_in_words():
    assert gaps().gaps == (
        "Donors: nothing planned in 2026 Q1.",
        "Donors: nothing planned in 2026 Q3.",
        "Clinic: nothing planned in 2026 Q3.",
        "Church: nothing planned in 2026 Q1.",
        "Church: nothing planned in 2026 Q3.",
    )


def test_quarters_must_be_positive():
    with pytest.raises(ValueError, match="'quarters' must be a whole number of at least 1"):
        calendar_gaps(plan(), start=AS_OF, quarters=0)


def test_channel_mix_of_calendar():
    mix = channel_mix(plan()).set_index("channel")
    # Not cancelled: newsletter/donor, meeting/partner, video/church, phone/partner.
    assert (mix.loc["phone", "partner"], mix.loc["email", "total"], int(mix["total"].sum())) == (1, 0, 4)


def test_channel_mix_lists_every_channel():
    assert channel_mix(plan())["channel"].tolist() == list(CHANNELS)


def test_channel_mix_of_lines():
    mix = channel_mix(plan(), of="lines").set_index("channel")
    assert (mix.loc["newsletter", "donor"], mix.loc["phone", "partner"]) == (1, 1)


def test_channel_mix_bad_choice():
    with pytest.raises(ValueError, match="'of' must be 'calendar' or 'lines'"):
        channel_mix(plan(), of="budget")


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(5)))
def test_reordering_items_never_changes_results(order):
    original = plan()
    shuffled = original.model_copy(update={"calendar": [original.calendar[i] for i in order]})
    assert (gaps().table.equals(calendar_gaps(shuffled, start=dt.date(2026, 1, 20), quarters=3).table)
            and channel_mix(original).equals(channel_mix(shuffled)))


def test_chart_rows_markers_and_labels():
    axes = plot_communication_calendar(communication_calendar(plan(), as_of=AS_OF), as_of=AS_OF).axes[0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    rows = [t.get_text() for t in axes.get_yticklabels()]
    assert (axes.get_title(), sorted(rows), legend) == (
        "Communication calendar", ["Church", "Clinic", "Donors"], ["video", "meeting", "newsletter", "phone"])


def test_chart_of_empty_calendar_says_so():
    axes = plot_communication_calendar(communication_calendar(Communication(), as_of=AS_OF)).axes[0]
    assert "Nothing in the calendar yet" in [t.get_text() for t in axes.texts]


def test_empty_plan():
    empty = Communication()
    assert (len(communication_calendar(empty, as_of=AS_OF)), calendar_gaps(empty, start=AS_OF).gaps,
            int(channel_mix(empty)["total"].sum())) == (0, (), 0)
