import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import InvalidInput, evaluate_kpis, kpi_rollup
from partnerlib.analyses.kpi import KpiThresholds, evaluate_kpis_by_group, kpi_periods, kpi_series
from partnerlib.analyses.tables import records_table
from partnerlib.models import Kpi, Measurement
from partnerlib.output.charts.kpi import plot_kpi_progress, plot_kpi_series

START = dt.date(2026, 1, 1)


def day(n):
    """The date n days after 1 January 2026."""
    return START + dt.timedelta(days=n)


def kpi_table(*overrides):
    """A KPI table made through the Kpi model: 40 → 80 over 2026, measured monthly."""
    rows = []
    for number, changes in enumerate(overrides or ({},), start=1):
        fields = {"id": f"k{number}", "name": f"KPI {number}", "baseline": 40, "target": 80,
                  "baseline_date": START, "target_date": dt.date(2027, 1, 1)} | changes
        rows.append(Kpi(**fields))
    return records_table(rows, Kpi)


def measured(*points, kpi="k1"):
    """Measurements from (day number, value) or (day number, value, group)."""
    rows = [Measurement(kpi=kpi, date=day(p[0]), value=p[1], group=p[2] if len(p) > 2 else "")
            for p in points]
    return records_table(rows, Measurement)


def evaluated(kpi, points, as_of, **options):
    return evaluate_kpis(kpi_table(kpi), measured(*points), as_of=day(as_of), **options).iloc[0]


# A KPI whose expected progress is exactly 50 % on day 100: baseline on day 0, target on day 200.
HALF_WAY = {"baseline": 0, "target": 100, "target_date": day(200)}

# (kpi fields, measurements as (day, value), as_of day, column, expected) — arithmetic in the comment
CASES = [
    ({}, [(59, 50), (151, 60)], 181, "latest", 60),                    # the latest on or before as_of
    ({}, [(59, 50), (151, 60)], 181, "progress", 0.5),                 # (60 − 40) / (80 − 40)
    ({}, [(59, 50), (151, 60), (212, 70)], 181, "latest", 60),         # day 212 is after as_of
    ({}, [(59, 50), (151, 60), (212, 70)], 181, "measurement_count", 2),
    ({}, [(59, 50), (151, 60)], 151, "latest_date", pd.Timestamp(day(151))),
    ({}, [(59, 50), (151, 90)], 181, "progress", 1.25),               # (90 − 40) / 40: past the target
    ({}, [(59, 30)], 181, "progress", -0.25),                          # (30 − 40) / 40: went backwards
    # a decrease KPI: baseline 30 → target 10
    ({"baseline": 30, "target": 10, "direction": "decrease"}, [(10, 20)], 100, "progress", 0.5),  # (20-30)/(10-30)
    ({"baseline": 30, "target": 10, "direction": "decrease"}, [(10, 35)], 100, "progress", -0.25),  # (35-30)/(10-30)
    ({"baseline": 30, "target": 10, "direction": "decrease"}, [(10, 5)], 100, "progress", 1.25),  # (5-30)/(10-30)
    # cumulative: the baseline plus every measurement after the baseline date
    ({"baseline": 0, "target": 100, "cumulative": True}, [(-5, 10), (31, 20), (90, 30)], 120, "latest", 50),  # 0+20+30
    ({"baseline": 0, "target": 100, "cumulative": True}, [(-5, 10), (31, 20), (90, 30)], 120, "progress", 0.5),
    ({"baseline": 0, "target": 100, "cumulative": True}, [(-5, 10), (31, 20), (90, 30)], 120, "measurement_count", 2),
    ({"baseline": 0, "target": 100, "cumulative": True}, [(0, 10), (31, 20)], 120, "latest", 20),  # day 0 is the baseline's own
    ({"baseline": 100, "target": 300, "cumulative": True}, [(31, 50), (90, 50)], 120, "progress", 0.5),  # (100+50+50−100)/200
    ({"baseline": 0, "target": 100, "cumulative": True}, [(31, 20), (90, 30), (150, 40)], 120, "latest", 50),  # day 150 later
    # expected progress from time: day 182 of 365 → 0.4986 → 50 %
    ({}, [(59, 50)], 182, "expected_progress", 0.5),
    ({}, [(59, 50)], -30, "expected_progress", 0.0),                   # before the baseline date: 0
    ({}, [(59, 50)], 500, "expected_progress", 1.0),                   # after the target date: 1
    ({}, [(59, 50)], 73, "expected_progress", 0.2),                    # 73 / 365 = 0.2
    # status at the default gaps (15 and 30 points), expected exactly 50 % on day 100
    (HALF_WAY, [(90, 35)], 100, "status", "on track"),                 # 35 − 50 = −15: on the line
    (HALF_WAY, [(90, 34)], 100, "status", "at risk"),                  # −16
    (HALF_WAY, [(90, 20)], 100, "status", "at risk"),                  # −30: on the line
    (HALF_WAY, [(90, 19)], 100, "status", "off track"),                # −31
    (HALF_WAY, [(90, 80)], 100, "status", "on track"),                 # ahead
    # the rounding rule: judged as shown, not on hidden decimals
    (HALF_WAY, [(90, 34.6)], 100, "latest", 35),                       # decimals 0: 34.6 shows as 35
    (HALF_WAY, [(90, 34.6)], 100, "status", "on track"),               # shown 35 % → gap −15 (raw −15.4)
    (HALF_WAY | {"decimals": 1}, [(90, 34.9)], 100, "progress", 0.35),  # 34.9 % shows as 35 %
    (HALF_WAY | {"decimals": 1}, [(90, 34.9)], 100, "status", "on track"),  # raw gap 0.151, shown 15 %
    (HALF_WAY | {"decimals": 1}, [(90, 34.4)], 100, "status", "at risk"),   # shows as 34 %: gap 16
    (HALF_WAY | {"decimals": 2}, [(90, 12.345)], 100, "latest", 12.35),
    (HALF_WAY | {"decimals": 1}, [(90, 12.25)], 100, "latest", 12.3),  # a half rounds away from zero
    (HALF_WAY, [(90, 22.5)], 100, "latest", 23),                       # not to the even 22
    # the projection informs the status: behind, but the trend reaches the target by day 200
    (HALF_WAY, [(80, 10), (90, 30)], 100, "status", "on track"),       # gap −20, 2 a day: 100 on day 125
    (HALF_WAY, [(80, 10), (90, 30)], 100, "trend_in_time", True),
    (HALF_WAY, [(80, 14), (90, 19)], 100, "status", "off track"),      # gap −31, 0.5 a day: day 252
    (HALF_WAY, [(80, 1), (90, 19)], 100, "status", "at risk"),         # gap −31, 1.8 a day: day 135, one band up
    (HALF_WAY, [(80, 30), (90, 34)], 100, "status", "at risk"),        # gap −16, 0.4 a day: day 255, too late
    (HALF_WAY, [(80, 30), (90, 34)], 100, "trend_in_time", False),
    (HALF_WAY, [(80, 40), (90, 40)], 100, "trend_in_time", False),     # on track already: nothing to raise
    # no data
    ({}, [], 100, "status", "no data"),                                # no measurement
    ({}, [(150, 50)], 100, "status", "no data"),                       # only after as_of
    ({"baseline": None}, [(50, 50)], 100, "status", "no data"),        # no baseline
    ({"target": None}, [(50, 50)], 100, "status", "no data"),          # no target
    ({"target_date": None}, [(50, 50)], 100, "status", "no data"),     # no time frame to judge by
    ({"baseline": None}, [(50, 50)], 100, "latest", 50),               # the value is still shown
    ({}, [], 100, "measurement_count", 0),
    # trend: 40, 43, 46 at 30-day steps → 0.1 a day, 3 a month (30 days)
    ({}, [(0, 40), (30, 43), (60, 46)], 100, "trend_per_day", 0.1),
    ({}, [(0, 40), (30, 43), (60, 46)], 100, "trend_per_period", 3.0),
    ({"frequency": "quarterly"}, [(0, 40), (30, 43), (60, 46)], 100, "trend_per_period", 9.1),  # 0.1 × 91
    ({}, [(0, 40)], 100, "trend_per_day", None),                       # one point: no trend
    # projected date: 46 on day 60, 34 to go at 0.1 a day → 340 days later
    ({}, [(0, 40), (30, 43), (60, 46)], 100, "projected_date", pd.Timestamp(day(60 + 340))),
    ({}, [(0, 46), (30, 43), (60, 40)], 100, "projected_date", None),  # falling: points away
    ({}, [(0, 45), (30, 45)], 100, "projected_date", None),            # flat
    ({}, [(0, 60), (30, 85)], 100, "projected_date", pd.Timestamp(day(30))),  # reached already
    # decrease: 30 on day 0, 28 on day 10 → −0.2 a day, 18 to go → 90 days after day 10
    ({"baseline": 30, "target": 10, "direction": "decrease"}, [(0, 30), (10, 28)], 20,
     "projected_date", pd.Timestamp(day(100))),
]


def same(actual, expected):
    if expected is None:
        return pd.isna(actual)
    if isinstance(expected, float):
        return actual == pytest.approx(expected)
    return actual == expected


@pytest.mark.parametrize(("kpi", "points", "as_of", "column", "expected"), CASES)
def test_evaluate_kpis(kpi, points, as_of, column, expected):
    assert same(evaluated(kpi, points, as_of)[column], expected)


TREND_POINTS = [
    (2, 0.1),        # the last two: 60 → 61 over 10 days
    (3, 1.05),       # 40, 60, 61 on days 0, 10, 20: slope Σdx·dy / Σdx² = (−10·−13.67 + 10·7.33) / 200
]


@pytest.mark.parametrize(("points", "expected"), TREND_POINTS)
def test_trend_points(points, expected):
    row = evaluated({}, [(0, 40), (10, 60), (20, 61)], 30, trend_points=points)
    assert row["trend_per_day"] == pytest.approx(expected)


THRESHOLDS = [
    (KpiThresholds(on_track=0.10, at_risk=0.20), 40, "on track"),    # gap −10
    (KpiThresholds(on_track=0.10, at_risk=0.20), 39, "at risk"),     # gap −11
    (KpiThresholds(on_track=0.10, at_risk=0.20), 29, "off track"),   # gap −21
    (KpiThresholds(on_track=0.0, at_risk=0.0), 49, "off track"),     # any gap is off track
]


@pytest.mark.parametrize(("thresholds", "value", "expected"), THRESHOLDS)
def test_thresholds_are_configurable(thresholds, value, expected):
    assert evaluated(HALF_WAY, [(90, value)], 100, thresholds=thresholds)["status"] == expected


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="on_track ≤ at_risk"):
        KpiThresholds(on_track=0.4, at_risk=0.2)


# ---- disaggregated KPIs ------------------------------------------------------------------

GROUPS = [
    ("number", [(10, 10, "female"), (10, 15, "male")], 25),             # 10 + 15
    ("currency", [(10, 10, "female"), (10, 15, "male")], 25),
    ("percentage", [(10, 40, "female"), (10, 60, "male")], 50),         # (40 + 60) / 2
    ("number", [(10, 10, "female"), (10, 15, "male"), (20, 12, "female")], 12),  # the latest date only
]


@pytest.mark.parametrize(("unit", "points", "expected"), GROUPS)
def test_groups_add_up_or_average(unit, points, expected):
    kpis = kpi_table({"unit": unit, "baseline": 0, "target": 100})
    assert evaluate_kpis(kpis, measured(*points), as_of=day(30))["latest"].iloc[0] == expected


BY_GROUP = [
    ("percentage", "group", ["female", "male"]),
    ("percentage", "latest", [12, 15]),
    ("percentage", "measurement_count", [2, 1]),
    ("percentage", "progress", [0.12, 0.15]),  # a rate: each group against the KPI's 0 → 100
    ("percentage", "share", [12 / 27, 15 / 27]),
    ("number", "latest", [12, 15]),
    ("number", "share", [12 / 27, 15 / 27]),  # a count: the target is for the total …
    ("number", "status", ["not applicable", "not applicable"]),  # … so no group is judged on it
    ("number", "trend_in_time", [False, False]),                 # nor raised by its trend
]


@pytest.mark.parametrize(("unit", "column", "expected"), BY_GROUP)
def test_evaluate_kpis_by_group(unit, column, expected):
    kpis = kpi_table({"unit": unit, "baseline": 0, "target": 100})
    points = measured((10, 10, "female"), (10, 15, "male"), (20, 12, "female"))
    assert evaluate_kpis_by_group(kpis, points, as_of=day(30))[column].tolist() == expected


def test_count_groups_have_no_progress():
    kpis = kpi_table({"unit": "number", "baseline": 0, "target": 100})
    points = measured((10, 10, "female"), (10, 15, "male"))
    assert evaluate_kpis_by_group(kpis, points, as_of=day(30))["progress"].isna().all()


def test_by_group_follows_the_kpi_table_order():
    kpis = kpi_table({"id": "b"}, {"id": "a"})
    points = pd.concat([measured((1, 50, "x"), kpi="a"), measured((1, 50, "y"), (1, 50, "x"), kpi="b")])
    table = evaluate_kpis_by_group(kpis, points, as_of=day(30))
    assert list(zip(table["id"], table["group"], strict=True)) == [("b", "x"), ("b", "y"), ("a", "x")]


# ---- tables in other shapes -------------------------------------------------------------

def test_one_row_per_kpi_in_table_order():
    kpis = kpi_table({"id": "zeta"}, {"id": "alpha"}, {"id": "mid"})
    points = measured((10, 50), kpi="alpha")
    assert evaluate_kpis(kpis, points, as_of=day(30))["id"].tolist() == ["zeta", "alpha", "mid"]


def test_measurements_of_unknown_kpis_are_ignored():
    points = pd.concat([measured((10, 50)), measured((20, 99), kpi="gone")])
    assert evaluate_kpis(kpi_table(), points, as_of=day(30))["latest"].iloc[0] == 50


DATE_FORMS = [
    lambda dates: dates,                                         # python dates
    lambda dates: pd.to_datetime(dates),                         # datetime64
    lambda dates: pd.to_datetime(dates).astype("datetime64[ns]"),
    lambda dates: dates.astype(str),                             # text like 2026-03-31
]


@pytest.mark.parametrize("form", DATE_FORMS)
def test_dates_in_any_form(form):
    points = measured((0, 40), (30, 43), (60, 46))
    points["date"] = form(points["date"])
    row = evaluate_kpis(kpi_table(), points, as_of="2026-04-11").iloc[0]
    assert (row["latest"], row["latest_date"], round(row["trend_per_day"], 6)) == (
        46, pd.Timestamp(day(60)), 0.1)


def test_no_kpis_but_measurements():
    table = evaluate_kpis(records_table([], Kpi), measured((1, 5), kpi="gone"), as_of=START)
    assert len(table) == 0


def test_by_group_with_only_unknown_kpis():
    assert len(evaluate_kpis_by_group(kpi_table(), measured((1, 5), kpi="gone"), as_of=START)) == 0


def test_empty_tables():
    assert len(evaluate_kpis(records_table([], Kpi), records_table([], Measurement), as_of=START)) == 0


BAD_TABLES = [
    (lambda k, m: (k.drop(columns=["target", "unit"]), m), r"the kpis table has no columns 'unit', 'target'"),
    (lambda k, m: (k, m.drop(columns=["value"])), r"the measurements table has no column 'value'"),
    (lambda k, m: (k, m.assign(date=["2026-01-05", "soon", "2026-02-01"])),
     r"measurements row 2: 'date' must be a date like 2026-03-31 \(got 'soon'\)"),
    (lambda k, m: (k, m.assign(value=[1.0, 2.0, None])), r"measurements row 3: 'value' is required"),
    (lambda k, m: (k, m.assign(value=["1", "two", "3"])), r"measurements row 2: 'value' must be a number"),
    (lambda k, m: (pd.concat([k, k]), m), r"kpis row 2: 'id' 'k1' is used twice"),
    (lambda k, m: (k.assign(frequency="daily"), m), r"kpis row 1: 'frequency' must be one of weekly"),
    (lambda k, m: (k.assign(baseline="forty"), m), r"kpis row 1: 'baseline' must be a number"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_TABLES)
def test_bad_tables_are_named(spoil, message):
    kpis, points = spoil(kpi_table(), measured((4, 1), (10, 2), (31, 3)))
    with pytest.raises(InvalidInput, match=message):
        evaluate_kpis(kpis, points, as_of=day(60))


def test_trend_points_at_least_two():
    with pytest.raises(ValueError, match="at least 2"):
        evaluate_kpis(kpi_table(), measured((1, 1)), as_of=day(60), trend_points=1)


# ---- roll-up ---------------------------------------------------------------------------

ROLLUP = evaluate_kpis(
    kpi_table(HALF_WAY | {"level": "output"}, HALF_WAY | {"level": "output"},
              HALF_WAY | {"level": "impact"}),
    pd.concat([measured((90, 50), kpi="k1"), measured((90, 10), kpi="k2")]),
    as_of=day(100),
)

ROLLUP_CASES = [
    (("output", "on track"), 1),    # k1: 50 % as expected
    (("output", "off track"), 1),   # k2: 10 %, 40 behind
    (("impact", "no data"), 1),     # k3: nothing measured
    (("output", "total"), 2),
    (("input", "total"), 0),        # a level with no KPI is still listed
]


@pytest.mark.parametrize(("cell", "expected"), ROLLUP_CASES)
def test_kpi_rollup(cell, expected):
    assert kpi_rollup(ROLLUP).loc[cell] == expected


def test_kpi_rollup_by_other_column():
    assert kpi_rollup(ROLLUP, by="unit").to_dict("index") == {
        "number": {"on track": 1, "at risk": 0, "off track": 1, "no data": 1, "total": 3}}


# ---- properties -----------------------------------------------------------------------

point = st.tuples(st.sampled_from(["k1", "k2", "k3"]), st.integers(-20, 200),
                  st.integers(0, 120), st.sampled_from(["", "a", "b"]))


@settings(max_examples=40, deadline=None)
@given(points=st.lists(point, min_size=1, max_size=40), seed=st.integers(0, 2**32 - 1))
def test_reordering_rows_never_changes_a_result(points, seed):
    kpis = kpi_table({}, {"cumulative": True, "baseline": 0, "target": 500},
                     {"unit": "percentage", "baseline": 90, "target": 20, "direction": "decrease",
                      "decimals": 1})
    table = pd.DataFrame({"kpi": [p[0] for p in points], "date": [day(p[1]) for p in points],
                          "value": [float(p[2]) for p in points], "group": [p[3] for p in points]})
    state = np.random.RandomState(seed)
    first = evaluate_kpis(kpis, table, as_of=day(150))
    second = evaluate_kpis(kpis.sample(frac=1, random_state=state), table.sample(frac=1, random_state=state),
                           as_of=day(150)).set_index("id").loc[first["id"]].reset_index()
    by_group = evaluate_kpis_by_group(kpis, table, as_of=day(150))
    by_group_shuffled = evaluate_kpis_by_group(kpis, table.sample(frac=1, random_state=state), as_of=day(150))
    pd.testing.assert_frame_equal(first, second, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(by_group, by_group_shuffled, check_exact=False, rtol=1e-9)


@settings(max_examples=80, deadline=None)
@given(baseline=st.integers(20, 100), below=st.integers(1, 19), start=st.floats(0, 120),
       fall=st.floats(0, 50), decimals=st.integers(0, 3))
def test_a_decrease_kpi_falling_toward_its_target_gains_progress(baseline, below, start, fall, decimals):
    kpi = {"baseline": baseline, "target": baseline - below, "direction": "decrease", "decimals": decimals}
    before = evaluated(kpi, [(10, start)], 20)["progress"]
    after = evaluated(kpi, [(10, start - fall)], 20)["progress"]
    assert after >= before


# ---- charts (content, not pixels) -------------------------------------------------------

PROGRESS = evaluate_kpis(
    kpi_table(HALF_WAY | {"name": "Wells dug"}, HALF_WAY | {"name": "Girls in school"},
              HALF_WAY | {"name": "Nothing yet"}),
    pd.concat([measured((90, 50), kpi="k1"), measured((90, 10), kpi="k2")]),
    as_of=day(100),
)

PROGRESS_CHART = [
    (lambda ax: len(ax.patches), 3),                                    # one bar per KPI
    (lambda ax: {int(y): t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)},
     {2: "Wells dug", 1: "Girls in school", 0: "Nothing yet"}),       # the first KPI at the top
    (lambda ax: sorted(t.get_text() for t in ax.texts), ["no data", "off track · 10%", "on track · 50%"]),
    (lambda ax: list(ax.lines[0].get_xdata()), [50.0, 50.0, 50.0]),     # the expected-progress marks
    (lambda ax: ax.get_xlabel(), "Progress from baseline (0 %) to target (100 %)"),
    (lambda ax: ax.get_title(), "Progress towards each KPI's target"),
    (lambda ax: [t.get_text() for t in ax.get_legend().get_texts()],
     ["on track", "at risk", "off track", "no data", "expected by now"]),
]


@pytest.mark.parametrize(("read", "expected"), PROGRESS_CHART)
def test_progress_chart(read, expected):
    assert read(plot_kpi_progress(PROGRESS).axes[0]) == expected


SERIES = measured((0, 40), (30, 43), (60, 46))

SERIES_CHART = [
    (lambda ax: ax.get_title(), "KPI 1: on track"),  # (46 − 40) / 40 = 15 %, expected 100/365 = 27 %
    (lambda ax: ax.get_ylabel(), "Number"),
    (lambda ax: ax.get_xlabel(), "Date"),
    (lambda ax: list(ax.lines[0].get_ydata()), [40.0, 43.0, 46.0]),
    (lambda ax: [line.get_label() for line in ax.lines],
     ["measured", "baseline 40", "target 80", "projected: target on 5 Feb 2027", "as of 11 Apr 2026"]),
    (lambda ax: [line.get_linestyle() for line in ax.lines if line.get_label().startswith("projected")], ["--"]),
]


@pytest.mark.parametrize(("read", "expected"), SERIES_CHART)
def test_series_chart(read, expected):
    # 46 on day 60 (2 March 2026) at 0.1 a day: 34 to go → 340 days → 5 February 2027
    row = evaluate_kpis(kpi_table(), SERIES, as_of=day(100)).iloc[0]
    assert read(plot_kpi_series(row, SERIES, as_of=day(100)).axes[0]) == expected


def test_series_chart_of_a_cumulative_kpi_draws_the_running_total():
    kpis = kpi_table({"cumulative": True, "baseline": 0, "target": 100})
    figure = plot_kpi_series(kpis.iloc[0], measured((10, 5), (20, 7)), as_of=day(30))
    assert list(figure.axes[0].lines[0].get_ydata()) == [5.0, 12.0]


# ---- the series a KPI's chart draws ----------------------------------------------------------

# (kpi fields, measurements as (day, value) or (day, value, group), as_of day, expected (day, value, count) rows)
SERIES_CASES = [
    ({}, [(10, 41), (20, 43)], 100, [(10, 41.0, 1), (20, 43.0, 1)]),                  # one value per date
    ({}, [(20, 43), (10, 41)], 100, [(10, 41.0, 1), (20, 43.0, 1)]),                  # sorted by date
    ({}, [(10, 41), (200, 43)], 100, [(10, 41.0, 1)]),                                # after as_of: left out
    ({}, [(10, 20, "girls"), (10, 25, "boys")], 100, [(10, 45.0, 2)]),                # groups summed
    ({"unit": "percentage"}, [(10, 20, "girls"), (10, 30, "boys")], 100, [(10, 25.0, 2)]),  # averaged
    ({"cumulative": True, "baseline": 2}, [(10, 5), (20, 7)], 100, [(10, 7.0, 1), (20, 14.0, 1)]),  # running
    ({"cumulative": True, "baseline_date": day(15)}, [(10, 5), (20, 7)], 100, [(20, 47.0, 1)]),  # after baseline
    ({}, [], 100, []),
]


@pytest.mark.parametrize(("kpi", "points", "as_of", "expected"), SERIES_CASES)
def test_kpi_series(kpi, points, as_of, expected):
    table = kpi_series(kpi_table(kpi), measured(*points), as_of=day(as_of))
    assert [((d - pd.Timestamp(START)).days, v, c) for d, v, c in
            zip(table["date"], table["value"], table["measurement_count"], strict=True)] == expected


def test_kpi_series_names_each_kpi_in_table_order():
    table = kpi_series(kpi_table({}, {}), pd.concat([measured((5, 1), kpi="k2"), measured((9, 2))]), as_of=day(10))
    assert table["id"].tolist() == ["k1", "k2"]


# ---- reporting periods -----------------------------------------------------------------------

def periods(kpi, points, as_of):
    """kpi_periods of one KPI (40 → 80 from 1 January to 31 December 2026) as (start, end, target, actual, count)."""
    table = kpi_periods(kpi_table({"target_date": day(364)} | kpi), measured(*points), as_of=day(as_of))
    return [(f"{r.period_start:%Y-%m-%d}", f"{r.period_end:%Y-%m-%d}", r.target,
             None if np.isnan(r.actual) else r.actual, r.measurement_count) for r in table.itertuples()]


# (kpi fields, measurements as (day, value[, group]), as_of day, the periods expected)
PERIOD_CASES = [
    # quarterly: the target on the straight path at each quarter's end (40 + 40 × day / 364), rounded;
    # the actual is the last value measured in the quarter
    ({"frequency": "quarterly"}, [(10, 45), (80, 50), (100, 55)], 364,
     [("2026-01-01", "2026-03-31", 50.0, 50.0, 2), ("2026-04-01", "2026-06-30", 60.0, 55.0, 1),
      ("2026-07-01", "2026-09-30", 70.0, None, 0), ("2026-10-01", "2026-12-31", 80.0, None, 0)]),
    # twice a year; measurements after as_of do not count
    ({"frequency": "twice a year"}, [(10, 45), (200, 60)], 100,
     [("2026-01-01", "2026-06-30", 60.0, 45.0, 1), ("2026-07-01", "2026-12-31", 80.0, None, 0)]),
    # yearly, cumulative: the running total to the period's last measurement
    ({"frequency": "yearly", "cumulative": True, "baseline": 0, "target": 100}, [(10, 30), (20, 20)], 364,
     [("2026-01-01", "2026-12-31", 100.0, 50.0, 2)]),
    # groups on one date add up, counted as two measurements
    ({"frequency": "yearly"}, [(10, 30, "girls"), (10, 20, "boys")], 364,
     [("2026-01-01", "2026-12-31", 80.0, 50.0, 2)]),
    # no target date: periods run to as_of, with no target
    ({"frequency": "monthly", "target_date": None}, [(40, 50)], 40,
     [("2026-01-01", "2026-01-31", None, None, 0), ("2026-02-01", "2026-02-28", None, 50.0, 1)]),
]


@pytest.mark.parametrize(("kpi", "points", "as_of", "expected"), PERIOD_CASES)
def test_kpi_periods(kpi, points, as_of, expected):
    found = [(s, e, None if t != t else t, a, c) for s, e, t, a, c in periods(kpi, points, as_of)]
    assert found == expected


# weeks run Monday to Sunday: 1 January 2026 is a Thursday
def test_kpi_periods_weekly_runs_monday_to_sunday():
    table = kpi_periods(kpi_table({"frequency": "weekly", "target_date": day(10)}), measured(), as_of=day(10))
    assert [f"{d:%a %d %b}" for d in table["period_start"]] == ["Mon 29 Dec", "Mon 05 Jan"]


def test_kpi_periods_of_a_kpi_never_dated_or_measured_are_none():
    table = kpi_periods(kpi_table({"baseline_date": None}), measured(), as_of=day(10))
    assert len(table) == 0
