import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import PlanError, checkin_schedule, overdue
from partnerlib.analyses.checkins import contact_calendar
from partnerlib.models import Alignment, Candidate, CheckIn, Partners, Peer, Plan

AS_OF = dt.date(2026, 6, 1)


def plan():
    return Plan(
        alignment=Alignment(
            peers=[
                Peer(id="mem", name="Membership", cadence="monthly", contact="Ann"),
                Peer(id="cert", name="Certification", cadence="quarterly"),
            ],
            checkins=[
                CheckIn(relationship="mem", date=dt.date(2026, 3, 1)),
                CheckIn(relationship="mem", date=dt.date(2026, 4, 1)),  # last: due 1 May
                CheckIn(relationship="cert", date=dt.date(2026, 5, 1)),  # due 31 Jul
                CheckIn(relationship="clinic", date=dt.date(2026, 5, 20)),  # due 3 Jun
                CheckIn(relationship="clinic", date=dt.date(2026, 7, 1)),  # after as_of: ignored
                CheckIn(relationship="shop", date=dt.date(2026, 5, 30)),  # declined: ignored
            ],
        ),
        partners=Partners(
            candidates=[
                Candidate(id="clinic", name="Clinic", status="selected", cadence="fortnightly"),
                Candidate(id="church", name="Church", status="selected", cadence="yearly"),
                Candidate(id="shop", name="Shop", status="declined"),
            ]
        ),
    )


def row(name, column):
    return checkin_schedule(plan(), as_of=AS_OF).set_index("name").loc[name, column]


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("Membership", "last_checkin", dt.date(2026, 4, 1)),
        ("Membership", "next_due", dt.date(2026, 5, 1)),  # 1 Apr + 30 days
        ("Membership", "days_overdue", 31),  # 1 May → 1 Jun
        ("Membership", "status", "overdue"),
        ("Membership", "contact", "Ann"),
        ("Certification", "next_due", dt.date(2026, 7, 31)),  # 1 May + 91 days
        ("Certification", "status", "on schedule"),  # 60 days away
        ("Clinic", "last_checkin", dt.date(2026, 5, 20)),  # the 1 Jul entry is after as_of
        ("Clinic", "next_due", dt.date(2026, 6, 3)),  # 20 May + 14 days
        ("Clinic", "days_until", 2),
        ("Clinic", "status", "due soon"),
        ("Church", "next_due", AS_OF),  # never checked in: due now
        ("Church", "status", "due soon"),
        ("Church", "note", "never checked in"),
        ("Church", "kind", "partner"),
    ],
)
def test_schedule(name, column, expected):
    assert row(name, column) == expected


def test_only_peers_and_selected_partners():
    assert checkin_schedule(plan(), as_of=AS_OF)["name"].tolist() == [
        "Membership", "Church", "Clinic", "Certification"]  # soonest due first


def test_due_soon_window_is_configurable():
    schedule = checkin_schedule(plan(), as_of=AS_OF, soon=1).set_index("name")
    assert schedule.loc["Clinic", "status"] == "on schedule"


def test_overdue():
    assert overdue(checkin_schedule(plan(), as_of=AS_OF))["name"].tolist() == ["Membership"]


def tables():
    peers = pd.DataFrame({"id": ["mem"], "name": ["Membership"], "cadence": ["monthly"]})
    candidates = pd.DataFrame({"id": ["c"], "name": ["Clinic"], "cadence": ["weekly"], "status": ["selected"]})
    log = pd.DataFrame({"relationship": ["mem", "c"], "date": [dt.date(2026, 5, 1), dt.date(2026, 5, 30)]})
    return peers, candidates, log


def test_tables_work_like_a_plan():
    assert checkin_schedule(*tables(), as_of=AS_OF)["next_due"].tolist() == [
        dt.date(2026, 5, 31), dt.date(2026, 6, 6)]


def test_missing_columns_are_named():
    peers, candidates, log = tables()
    with pytest.raises(PlanError, match="candidates table has no column 'status'"):
        checkin_schedule(peers, candidates.drop(columns="status"), log, as_of=AS_OF)


def test_bad_cadence_names_the_row():
    peers, candidates, log = tables()
    peers.loc[0, "cadence"] = "sometimes"
    with pytest.raises(PlanError, match="peers row 1: 'cadence' must be one of weekly"):
        checkin_schedule(peers, candidates, log, as_of=AS_OF)


def test_bad_date_names_the_row():
    peers, candidates, log = tables()
    log = log.astype({"date": object})
    log.loc[1, "date"] = "last Tuesday"
    with pytest.raises(PlanError, match="check-ins row 2: 'date' must be a date"):
        checkin_schedule(peers, candidates, log, as_of=AS_OF)


def test_as_of_is_required_as_a_date():
    with pytest.raises(TypeError, match="'as_of' must be a date"):
        checkin_schedule(plan(), as_of="2026-06-01")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["mem", "c", "other"]), st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))),
             max_size=15),
    st.integers(0, 10_000),
)
def test_reordering_the_log_never_changes_the_schedule(entries, seed):
    peers, candidates, _ = tables()
    log = pd.DataFrame(entries, columns=["relationship", "date"])
    shuffled = log.sample(frac=1, random_state=seed)
    pd.testing.assert_frame_equal(checkin_schedule(peers, candidates, shuffled, as_of=AS_OF),
                                  checkin_schedule(peers, candidates, log, as_of=AS_OF))


def test_contact_calendar():
    schedule = checkin_schedule(plan(), as_of=AS_OF)
    calendar = contact_calendar(schedule, as_of=AS_OF, months=1)  # 1 Jun – 1 Jul
    # Membership overdue: now, then +30 = 1 Jul; Church due now (yearly); Clinic 3 Jun, 17 Jun, 1 Jul.
    assert [(r.date, r.name) for r in calendar.itertuples()] == [
        (dt.date(2026, 6, 1), "Church"), (dt.date(2026, 6, 1), "Membership"),
        (dt.date(2026, 6, 3), "Clinic"), (dt.date(2026, 6, 17), "Clinic"),
        (dt.date(2026, 7, 1), "Clinic"), (dt.date(2026, 7, 1), "Membership")]


def test_contact_calendar_horizon():
    calendar = contact_calendar(checkin_schedule(plan(), as_of=AS_OF), as_of=AS_OF, months=6)
    assert calendar["date"].max() <= dt.date(2026, 12, 1)


def test_contact_calendar_bad_months():
    with pytest.raises(ValueError, match="'months' must be a whole number of at least 1"):
        contact_calendar(checkin_schedule(plan(), as_of=AS_OF), as_of=AS_OF, months=0)


def test_contact_calendar_missing_columns_are_named():
    with pytest.raises(PlanError, match="the schedule table has no columns 'every_days', 'next_due'"):
        contact_calendar(pd.DataFrame(columns=["relationship", "name", "kind", "cadence"]), as_of=AS_OF)


def test_empty_plan_has_an_empty_schedule_and_calendar():
    schedule = checkin_schedule(Plan(), as_of=AS_OF)
    assert (len(schedule), len(contact_calendar(schedule, as_of=AS_OF))) == (0, 0)
